// The sign-in throttle's rules and arithmetic (worker/identity/throttle-rules.ts); the atomic
// reservation in D1 is tested in test/worker/sign-in-throttle.test.ts.
import { describe, expect, it } from "vitest";
import { ADDRESS_RULE, CLIENT_RULE, clientOf, throttleRules, waitMs } from "../../worker/identity/throttle-rules";

const MINUTE = 60_000;

describe("throttle rules", () => {
	it("count per address and client, and per client across addresses", () => {
		expect(throttleRules("a@acme.example", "203.0.113.9").map((r) => r.key)).toEqual(["address a@acme.example from 203.0.113.9", "client 203.0.113.9"]);
	});

	it("without a known client: only the per-address rule, for the client 'unknown'", () => {
		expect(throttleRules("a@acme.example", undefined)).toEqual([{ key: "address a@acme.example from unknown", ...ADDRESS_RULE }]);
	});

	it("are looser per client than per address", () => {
		expect(CLIENT_RULE.freeFailures).toBeGreaterThan(ADDRESS_RULE.freeFailures);
		// A wait at its cap must end before the failures would be forgotten, or waiting it out would reset them.
		for (const rule of [ADDRESS_RULE, CLIENT_RULE]) expect(rule.maxDelayMs).toBeLessThan(rule.forgetAfterMs);
	});
});

describe("waitMs", () => {
	const rule = { key: "k", ...ADDRESS_RULE };
	const at = 1_000_000_000;

	it("is 0 with no row, fewer failures than the free ones, or forgotten failures", () => {
		expect(waitMs(rule, undefined, at)).toBe(0);
		expect(waitMs(rule, { failures: 4, lastFailureAt: at }, at)).toBe(0);
		expect(waitMs(rule, { failures: 40, lastFailureAt: at - ADDRESS_RULE.forgetAfterMs }, at)).toBe(0);
	});

	it("doubles from a minute with each failure past the free ones, up to the cap", () => {
		const waits = [5, 6, 7, 8, 11, 12, 500].map((failures) => waitMs(rule, { failures, lastFailureAt: at }, at) / MINUTE);
		expect(waits).toEqual([1, 2, 4, 8, 60, 60, 60]);
	});

	it("counts from the last failure", () => {
		expect(waitMs(rule, { failures: 6, lastFailureAt: at }, at + 90_000)).toBe(30_000);
		expect(waitMs(rule, { failures: 6, lastFailureAt: at }, at + 120_000)).toBe(0);
	});
});

describe("clientOf (CF-Connecting-IP)", () => {
	it("keeps an IPv4 address", () => {
		expect(clientOf("203.0.113.9")).toBe("203.0.113.9");
		expect(clientOf(" 198.51.100.1 ")).toBe("198.51.100.1");
	});

	it("names an IPv6 client by its /64", () => {
		expect(clientOf("2001:db8:1:2::7")).toBe("2001:db8:1:2::/64");
		expect(clientOf("2001:DB8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
		expect(clientOf("2001:db8::")).toBe("2001:db8:0:0::/64");
		expect(clientOf("::1")).toBe("0:0:0:0::/64");
	});

	it("treats an IPv4-mapped IPv6 address as the IPv4 client", () => {
		expect(clientOf("::ffff:203.0.113.9")).toBe("203.0.113.9");
		expect(clientOf("::ffff:cb00:7109")).toBe("203.0.113.9");
	});

	it("treats a missing or malformed header as no client", () => {
		for (const bad of [undefined, "", "   ", "localhost", "256.1.1.1", "1.2.3", "1:2:3", "1::2::3", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "12345::1", "::ffff:1.2.3.400"]) {
			expect(clientOf(bad), String(bad)).toBeUndefined();
		}
	});
});

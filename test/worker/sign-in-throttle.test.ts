// The sign-in throttle: attempts are reserved atomically before the password is checked, per
// (address, client) with growing waits, plus a looser rule per client across addresses.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { directory } from "../../worker/db/client";
import { checkCredentials, type SignInOutcome } from "../../worker/identity/sign-in";
import { call, expectError, PASSWORD, signUp, uniqueEmail } from "./helpers";

const MINUTE = 60_000;

/** Status of a sign-in from the client `ip` (as Cloudflare names it in CF-Connecting-IP). */
async function attempt(email: string, password: string, ip: string): Promise<number> {
	const res = await call("/session", { body: { email, password }, headers: { "CF-Connecting-IP": ip } });
	await res.body?.cancel();
	return res.status;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/** Waits until `n` failures of the address (from any client) are reserved in D1. */
async function freeAttemptsReserved(email: string, n: number): Promise<void> {
	const failures = env.DB.prepare("SELECT max(failures) AS n FROM sign_in_failures WHERE key LIKE ?").bind(`address ${email.toLowerCase()} from %`);
	for (let i = 0; i < 500; i++) {
		if (((await failures.first<{ n: number | null }>())?.n ?? 0) >= n) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`${n} failures of ${email} were never reserved`);
}

/** Seconds to wait, from a throttled outcome (fails the test for any other outcome). */
function waitOf(outcome: SignInOutcome): number {
	if (outcome.ok || outcome.reason !== "throttled") throw new Error(`expected a throttled outcome, got ${JSON.stringify(outcome)}`);
	return outcome.retryAfterSeconds;
}

describe("a parallel burst for one address", () => {
	it("gets at most 5 password checks, and the right password sent with it does not get in", async () => {
		const admin = await signUp();
		const ip = "203.0.113.10";
		const wrong = Array.from({ length: 30 }, (_, i) => attempt(admin.email, `wrong password ${i}`, ip));
		// The right password joins the burst once the free attempts are reserved. Requests sent
		// together reach the throttle in no fixed order, and the right password among the first
		// five would simply be a correct sign-in (a CI run saw exactly that).
		await freeAttemptsReserved(admin.email, 5);
		const statuses = await Promise.all([...wrong, attempt(admin.email, PASSWORD, ip)]);
		expect(count(statuses, 200), "the right password got in during the burst").toBe(0);
		expect(count(statuses, 401), "password checks let through").toBe(5);
		expect(count(statuses, 429)).toBe(26);
		expect(statuses.at(-1)).toBe(429);
		// Still throttled afterwards, right password or not.
		expect(await attempt(admin.email, PASSWORD, ip)).toBe(429);
	});

	it("answers 429 with Retry-After and the shared error body", async () => {
		const admin = await signUp();
		const ip = "203.0.113.11";
		await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(admin.email, `wrong password ${i}`, ip)));
		const res = await call("/session", { body: { email: admin.email, password: PASSWORD }, headers: { "CF-Connecting-IP": ip } });
		const body = await expectError(res, 429, "rate_limited");
		expect(body.error.message).toMatch(/try again/i);
		const retryAfter = Number(res.headers.get("Retry-After"));
		expect(retryAfter).toBeGreaterThan(50);
		expect(retryAfter).toBeLessThanOrEqual(60);
	});
});

describe("not a denial of service", () => {
	it("the owner signs in from another client while someone else's failures throttle theirs", async () => {
		const admin = await signUp();
		const attacker = "198.51.100.7";
		for (let i = 0; i < 5; i++) expect(await attempt(admin.email, `guess ${i}`, attacker)).toBe(401);
		expect(await attempt(admin.email, PASSWORD, attacker)).toBe(429);
		expect(await attempt(admin.email, PASSWORD, "192.0.2.44")).toBe(200);
		// IPv6 clients are told apart by their /64: the attacker's neighbour addresses share its throttle.
		const v6 = "2001:db8:1:2::7";
		for (let i = 0; i < 5; i++) expect(await attempt(admin.email, `guess ${i}`, v6)).toBe(401);
		expect(await attempt(admin.email, PASSWORD, "2001:db8:1:2:ffff::1")).toBe(429);
		expect(await attempt(admin.email, PASSWORD, "2001:db8:1:3::7")).toBe(200);
	});

	it("a client guessing across many addresses is slowed down after 50 failures, other clients are not", async () => {
		const admin = await signUp();
		const db = directory(env.DB);
		const now = Date.now();
		const ip = "203.0.113.99";
		for (let i = 0; i < 50; i++) {
			const outcome = await checkCredentials(db, uniqueEmail("sprayed"), "Summer2026!", ip, now + i);
			expect(outcome).toEqual({ ok: false, reason: "wrong_credentials" });
		}
		expect(waitOf(await checkCredentials(db, admin.email, PASSWORD, ip, now + 50))).toBeGreaterThan(0);
		expect(await checkCredentials(db, admin.email, PASSWORD, "203.0.113.100", now + 50)).toMatchObject({ ok: true });
	});

	it("an unknown address is throttled exactly like a known one, so the throttle tells nobody who has an account", async () => {
		const known = await signUp();
		const unknown = uniqueEmail("nobody");
		const ip = "203.0.113.12";
		const answers = async (email: string) => {
			const statuses: number[] = [];
			for (let i = 0; i < 6; i++) statuses.push(await attempt(email, `wrong password ${i}`, ip));
			return statuses;
		};
		expect(await answers(known.email)).toEqual([401, 401, 401, 401, 401, 429]);
		expect(await answers(unknown)).toEqual([401, 401, 401, 401, 401, 429]);
	});
});

describe("growing waits", () => {
	it("after 5 free failures each further failure doubles the wait (1, 2, 4 … minutes), capped at an hour", async () => {
		const admin = await signUp();
		const db = directory(env.DB);
		const ip = "203.0.113.20";
		let now = Date.now();
		for (let i = 0; i < 5; i++) {
			expect(await checkCredentials(db, admin.email, `wrong ${i}`, ip, now)).toEqual({ ok: false, reason: "wrong_credentials" });
		}
		const waits: number[] = [];
		for (let round = 0; round < 8; round++) {
			const asked = now + 1_000;
			const wait = waitOf(await checkCredentials(db, admin.email, PASSWORD, ip, asked));
			waits.push(wait);
			now = asked + wait * 1_000;
			// Once the wait is over, one more attempt is let through (a wrong one here).
			expect(await checkCredentials(db, admin.email, "still wrong", ip, now)).toEqual({ ok: false, reason: "wrong_credentials" });
		}
		// Each wait is measured one second after the failure before it.
		expect(waits).toEqual([59, 119, 239, 479, 959, 1919, 3599, 3599]);
		// The right password works once its wait is over, and a success forgets the failures.
		expect(waitOf(await checkCredentials(db, admin.email, PASSWORD, ip, now + 1_000))).toBe(3599);
		now += 60 * MINUTE;
		expect(await checkCredentials(db, admin.email, PASSWORD, ip, now)).toMatchObject({ ok: true });
		for (let i = 0; i < 5; i++) {
			expect(await checkCredentials(db, admin.email, `wrong ${i}`, ip, now + i)).toEqual({ ok: false, reason: "wrong_credentials" });
		}
		expect(waitOf(await checkCredentials(db, admin.email, PASSWORD, ip, now + 5))).toBe(60);
	});

	it("failures are forgotten after a day without one", async () => {
		const admin = await signUp();
		const db = directory(env.DB);
		const ip = "203.0.113.21";
		const now = Date.now();
		for (let i = 0; i < 7; i++) await checkCredentials(db, admin.email, `wrong ${i}`, ip, now + i * 60 * MINUTE);
		expect(waitOf(await checkCredentials(db, admin.email, PASSWORD, ip, now + 6 * 60 * MINUTE + 1))).toBeGreaterThan(0);
		expect(await checkCredentials(db, admin.email, PASSWORD, ip, now + 6 * 60 * MINUTE + 24 * 60 * MINUTE)).toMatchObject({ ok: true });
	});
});

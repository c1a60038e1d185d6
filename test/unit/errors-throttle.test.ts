// The error vocabulary and its HTTP statuses, Result unwrapping, and the sign-in throttle rules.
import { describe, expect, it } from "vitest";
import { AppError, STATUS_OF, unwrap } from "../../worker/http/errors";
import { throttleRules } from "../../worker/identity/sign-in";
import { fail, ok } from "../../worker/lib/result";
import { ERROR_CODES, errorBody } from "../../worker/shared/errors";

describe("error statuses", () => {
	it("maps every error code to a status", () => {
		expect(Object.keys(STATUS_OF).sort()).toEqual([...ERROR_CODES].sort());
	});

	it("answers bad input with 400 (an oversized body included), a wrong media type with 415, and only 'internal' with 500", () => {
		expect(STATUS_OF.invalid_input).toBe(400);
		expect(STATUS_OF.malformed_json).toBe(400);
		expect(STATUS_OF.payload_too_large).toBe(400);
		expect(STATUS_OF.unsupported_media_type).toBe(415);
		expect(STATUS_OF.csrf_failed).toBe(403);
		expect(STATUS_OF.rate_limited).toBe(429);
		expect(ERROR_CODES.filter((code) => STATUS_OF[code] >= 500 && STATUS_OF[code] !== 503)).toEqual(["internal"]);
	});
});

describe("errorBody", () => {
	it("leaves details out when there are none", () => {
		expect(errorBody("not_found", "No such team.")).toEqual({ error: { code: "not_found", message: "No such team." } });
		expect("details" in errorBody("not_found", "x").error).toBe(false);
		expect(errorBody("invalid_input", "Bad.", [{ path: "name", message: "Required." }])).toEqual({ error: { code: "invalid_input", message: "Bad.", details: [{ path: "name", message: "Required." }] } });
	});
});

describe("unwrap", () => {
	it("returns the value of an ok result", () => {
		expect(unwrap(ok(42))).toBe(42);
	});

	it("throws an AppError with the failure's code, message and details", () => {
		try {
			unwrap(fail("conflict", "Taken.", [{ path: "name", message: "Taken." }]));
			expect.unreachable();
		} catch (err) {
			expect(err).toBeInstanceOf(AppError);
			expect(err).toMatchObject({ code: "conflict", message: "Taken.", details: [{ path: "name", message: "Taken." }] });
		}
	});
});

describe("sign-in throttle rules", () => {
	it("limit an address to 5 failures in 15 minutes, blocking it for 15 minutes", () => {
		expect(throttleRules("a@acme.example", undefined)).toEqual([{ key: "email:a@acme.example", maxFailures: 5, windowMs: 900_000, blockMs: 900_000 }]);
	});

	it("add a looser per-client-address rule when the address is known", () => {
		const rules = throttleRules("a@acme.example", "203.0.113.9");
		expect(rules.map((r) => r.key)).toEqual(["email:a@acme.example", "ip:203.0.113.9"]);
		expect(rules[1]?.maxFailures).toBeGreaterThan(rules[0]?.maxFailures ?? Infinity);
	});
});

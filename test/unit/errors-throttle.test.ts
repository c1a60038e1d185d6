// The error vocabulary and its HTTP statuses, and Result unwrapping. (The sign-in throttle rules
// are in sign-in-throttle.test.ts.)
import { describe, expect, it } from "vitest";
import { AppError, STATUS_OF, unwrap } from "../../worker/http/errors";
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

// The API rate limit's fixed window and its configuration (worker/limits/).
import { describe, expect, it } from "vitest";
import { FixedWindow } from "../../worker/limits/fixed-window";
import { DEFAULT_RATE_LIMITS, rateLimitConfig } from "../../worker/limits/rate-limit-config";

describe("FixedWindow", () => {
	it("lets `limit` requests through per window, starting with the first request, and does not count refusals", () => {
		const w = new FixedWindow();
		const at = 1_000_000;
		expect([0, 10, 20].map((dt) => w.hit(3, 1_000, at + dt))).toEqual([
			{ allowed: true, limit: 3, remaining: 2, resetMs: 1_000, windowMs: 1_000 },
			{ allowed: true, limit: 3, remaining: 1, resetMs: 990, windowMs: 1_000 },
			{ allowed: true, limit: 3, remaining: 0, resetMs: 980, windowMs: 1_000 },
		]);
		expect(w.hit(3, 1_000, at + 500)).toEqual({ allowed: false, limit: 3, remaining: 0, resetMs: 500, windowMs: 1_000 });
		expect(w.hit(3, 1_000, at + 999).allowed).toBe(false);
		// The next window starts with the first request after the old one ended.
		expect(w.hit(3, 1_000, at + 1_700)).toEqual({ allowed: true, limit: 3, remaining: 2, resetMs: 1_000, windowMs: 1_000 });
	});

	it("starts over if the clock goes backwards", () => {
		const w = new FixedWindow();
		w.hit(1, 60_000, 5_000);
		expect(w.hit(1, 60_000, 4_000).allowed).toBe(true);
	});
});

describe("rateLimitConfig", () => {
	it("reads the vars", () => {
		expect(rateLimitConfig({ API_RATE_LIMIT_SESSION: "100", API_RATE_LIMIT_TOKEN: "250", API_RATE_LIMIT_WINDOW_SECONDS: "10" })).toEqual({ sessionLimit: 100, tokenLimit: 250, windowMs: 10_000 });
	});

	it("uses the defaults for missing, empty or invalid values (the window at most 60 s)", () => {
		expect(rateLimitConfig({})).toEqual(DEFAULT_RATE_LIMITS);
		expect(rateLimitConfig({ API_RATE_LIMIT_SESSION: "", API_RATE_LIMIT_TOKEN: "lots", API_RATE_LIMIT_WINDOW_SECONDS: "3600" })).toEqual(DEFAULT_RATE_LIMITS);
		expect(rateLimitConfig({ API_RATE_LIMIT_SESSION: "0", API_RATE_LIMIT_TOKEN: "1.5", API_RATE_LIMIT_WINDOW_SECONDS: "-1" })).toEqual(DEFAULT_RATE_LIMITS);
		expect(DEFAULT_RATE_LIMITS).toEqual({ sessionLimit: 600, tokenLimit: 1200, windowMs: 60_000 });
	});
});

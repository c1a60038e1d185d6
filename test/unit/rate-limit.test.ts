// The API rate limit's fixed window and its configuration (worker/limits/).
import { describe, expect, it } from "vitest";
import { FixedWindow } from "../../worker/limits/fixed-window";
import { LeaseBook, maxLease } from "../../worker/limits/lease";
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

describe("LeaseBook (requests an instance was granted)", () => {
	/** One limiter object (the authority) and a clock; instances are LeaseBooks asking it. */
	function authority(limit: number, windowMs: number) {
		const window = new FixedWindow();
		let t = 1_000_000;
		const asks: number[] = [];
		return {
			now: () => t,
			advance: (ms: number) => {
				t += ms;
			},
			asks,
			ask: async (want: number) => {
				asks.push(want);
				return window.take(limit, windowMs, t, want);
			},
		};
	}

	it("counts an interactive caller one by one, with exact RateLimit-Remaining", async () => {
		const a = authority(5, 60_000);
		const book = new LeaseBook();
		const states = [];
		for (let i = 0; i < 6; i++) states.push(await book.take("k", 5, 60_000, a.now, a.ask));
		expect(states.map((s) => [s?.allowed, s?.remaining])).toEqual([
			[true, 4],
			[true, 3],
			[true, 2],
			[true, 1],
			[true, 0],
			[false, 0],
		]);
		expect(a.asks.every((w) => w === 1)).toBe(true);
	});

	it("serves a burst through one instance with few asks, and never more than the limit", async () => {
		const a = authority(600, 60_000);
		const book = new LeaseBook();
		let allowed = 0;
		for (let i = 0; i < 700; i++) if ((await book.take("k", 600, 60_000, a.now, a.ask))?.allowed) allowed += 1;
		expect(allowed).toBe(600);
		expect(a.asks.length).toBeLessThan(40);
		expect(Math.max(...a.asks)).toBe(maxLease(600));
	});

	it("never lets several instances together exceed the limit", async () => {
		const a = authority(100, 60_000);
		const books = [new LeaseBook(), new LeaseBook(), new LeaseBook()];
		let allowed = 0;
		for (let i = 0; i < 400; i++) if ((await books[i % 3]!.take("k", 100, 60_000, a.now, a.ask))?.allowed) allowed += 1;
		expect(allowed).toBeLessThanOrEqual(100);
		// Unused leases of the other instances cost at most a few leases of the limit.
		expect(allowed).toBeGreaterThanOrEqual(100 - 3 * maxLease(100));
	});

	it("remembers a refusal until the window ends, then asks again", async () => {
		const a = authority(1, 1_000);
		const book = new LeaseBook();
		expect((await book.take("k", 1, 1_000, a.now, a.ask))?.allowed).toBe(true);
		expect((await book.take("k", 1, 1_000, a.now, a.ask))?.allowed).toBe(false);
		const asked = a.asks.length;
		a.advance(400);
		expect(await book.take("k", 1, 1_000, a.now, a.ask)).toMatchObject({ allowed: false, resetMs: 600 });
		expect(a.asks.length).toBe(asked);
		a.advance(600);
		expect((await book.take("k", 1, 1_000, a.now, a.ask))?.allowed).toBe(true);
	});

	it("lets concurrent requests of one caller through, each on its own ask, within the limit", async () => {
		const a = authority(1_000, 60_000);
		const book = new LeaseBook();
		const first = await Promise.all(Array.from({ length: 8 }, () => book.take("k", 1_000, 60_000, a.now, a.ask)));
		expect(first.every((s) => s?.allowed)).toBe(true);
		let allowed = 8;
		for (let round = 0; round < 40; round++) {
			const states = await Promise.all(Array.from({ length: 8 }, () => book.take("k", 1_000, 60_000, a.now, a.ask)));
			allowed += states.filter((s) => s?.allowed).length;
		}
		expect(allowed).toBe(328);
		expect(a.asks.reduce((n, w) => n + w, 0)).toBeLessThanOrEqual(1_000);
		expect(a.asks.length).toBeLessThan(120);
	});

	it("never makes a request wait on another request's ask (which workerd cancels when that request ends)", async () => {
		const a = authority(1_000, 60_000);
		const book = new LeaseBook();
		// The first request's ask never settles, as when its request is answered early or cancelled.
		void book.take("k", 1_000, 60_000, a.now, () => new Promise<never>(() => {}));
		const next = await Promise.race([book.take("k", 1_000, 60_000, a.now, a.ask), new Promise((resolve) => setTimeout(() => resolve("stalled"), 200))]);
		expect(next).toMatchObject({ allowed: true });
	});

	it("does not carry requests granted in one window into the next", async () => {
		const a = authority(32, 1_000);
		const book = new LeaseBook();
		// A burst leaves this instance holding granted requests of the first window …
		for (let i = 0; i < 8; i++) await book.take("k", 32, 1_000, a.now, a.ask);
		a.advance(1_000);
		// … which a request in the next window does not use: the window ends for the lease too.
		let allowed = 0;
		for (let i = 0; i < 40; i++) if ((await book.take("k", 32, 1_000, a.now, a.ask))?.allowed) allowed += 1;
		expect(allowed).toBe(32);
	});

	it("answers undefined when the authority cannot be asked, and keeps nothing", async () => {
		const a = authority(10, 60_000);
		const book = new LeaseBook();
		expect(await book.take("k", 10, 60_000, a.now, async () => undefined)).toBeUndefined();
		expect(await book.take("k", 10, 60_000, a.now, a.ask)).toMatchObject({ allowed: true, remaining: 9 });
	});

	it("keeps callers apart", async () => {
		const a = authority(1, 60_000);
		const b = authority(1, 60_000);
		const book = new LeaseBook();
		expect((await book.take("a", 1, 60_000, a.now, a.ask))?.allowed).toBe(true);
		expect((await book.take("a", 1, 60_000, a.now, a.ask))?.allowed).toBe(false);
		expect((await book.take("b", 1, 60_000, b.now, b.ask))?.allowed).toBe(true);
	});
});

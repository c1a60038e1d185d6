// The API rate limit's counting, as plain logic: a fixed window per caller that starts with the
// caller's first request and lasts `windowMs`; up to `limit` requests are let through in it.
// The ApiRateLimiter Durable Object (rate-limiter-object.ts) holds one of these per caller.

/** What one request learns about its caller's window. */
export interface RateLimitState {
	allowed: boolean;
	limit: number;
	/** Requests still allowed in the current window (after this one). */
	remaining: number;
	/** Milliseconds until the window ends and the count starts again. */
	resetMs: number;
	windowMs: number;
}

export class FixedWindow {
	/** When the current window started; none before the first request. */
	#startedAt: number | undefined;
	#count = 0;

	/** Counts a request at `now` if the window has room; a refused request is not counted. */
	hit(limit: number, windowMs: number, now: number): RateLimitState {
		let startedAt = this.#startedAt;
		if (startedAt === undefined || now - startedAt >= windowMs || now < startedAt) {
			startedAt = this.#startedAt = now;
			this.#count = 0;
		}
		const allowed = this.#count < limit;
		if (allowed) this.#count += 1;
		return { allowed, limit, remaining: Math.max(0, limit - this.#count), resetMs: startedAt + windowMs - now, windowMs };
	}
}

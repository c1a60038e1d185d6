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

/** What a Worker instance is granted of a caller's window at once (see lease.ts). */
export interface RateLimitGrant {
	/** Requests granted now, 0 to `want`: counted in the window as soon as they are granted. */
	granted: number;
	limit: number;
	/** Requests still allowed in the window after this grant. */
	remaining: number;
	resetMs: number;
	windowMs: number;
	/** When the window the grant belongs to started, on the object's clock: tells windows apart. */
	windowStartedAt: number;
}

export class FixedWindow {
	/** When the current window started; none before the first request. */
	#startedAt: number | undefined;
	#count = 0;

	/**
	 * Grants up to `want` requests at `now`, as many as the window has room for; a request that
	 * finds no room is not counted.
	 */
	take(limit: number, windowMs: number, now: number, want = 1): RateLimitGrant {
		let startedAt = this.#startedAt;
		if (startedAt === undefined || now - startedAt >= windowMs || now < startedAt) {
			startedAt = this.#startedAt = now;
			this.#count = 0;
		}
		const granted = Math.max(0, Math.min(Math.floor(want), limit - this.#count));
		this.#count += granted;
		return { granted, limit, remaining: Math.max(0, limit - this.#count), resetMs: startedAt + windowMs - now, windowMs, windowStartedAt: startedAt };
	}

	/** Counts one request at `now` if the window has room. */
	hit(limit: number, windowMs: number, now: number): RateLimitState {
		const { granted, limit: l, remaining, resetMs } = this.take(limit, windowMs, now, 1);
		return { allowed: granted === 1, limit: l, remaining, resetMs, windowMs };
	}
}

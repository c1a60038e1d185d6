// ApiRateLimiter: one Durable Object per API caller (a session or an API token, named by the hash
// of its secret), counting that caller's requests in a fixed window. Durable Objects are unique
// worldwide and run one call at a time, so every Worker instance shares one exact count; a
// per-isolate map would give each instance its own allowance.
//
// The count lives in memory on purpose: writing it to storage would put a storage write (and its
// output-gate wait) on every API call. An object with no calls for 70–140 s is evicted and
// forgets its count; the window is at most 60 s (rate-limit-config.ts), so by then it has ended
// anyway. A deploy or a reset also starts a fresh window, which only ever errs towards letting a
// caller through.
import { DurableObject } from "cloudflare:workers";
import { FixedWindow, type RateLimitGrant } from "./fixed-window";

export class ApiRateLimiter extends DurableObject<Env> {
	readonly #window = new FixedWindow();

	/**
	 * Grants a Worker instance up to `want` of this caller's requests against `limit` per
	 * `windowMs` (one, unless the instance sees a burst: lease.ts).
	 */
	take(limit: number, windowMs: number, want: number): RateLimitGrant {
		return this.#window.take(limit, windowMs, Date.now(), want);
	}
}

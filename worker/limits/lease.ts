// Leases of a caller's allowance, so that a burst of API calls does not cost a Durable Object
// call each. The ApiRateLimiter object stays the only authority: a Worker instance lets a request
// through only with a request the object granted it, so the limit can never be exceeded, however
// many instances serve the caller. What an instance caches is *granted* requests, not a count of
// its own:
//   - the first request of a caller in a window asks for one (exact, as without leases);
//   - each time the instance has used up its lease within the window it asks for twice as many,
//     up to a sixteenth of the limit (at most 64): a steady stream of calls through one instance
//     costs the object one call per lease, while an interactive user is counted one by one;
//   - a refusal is remembered until the window ends (the object said when).
// No request ever waits on another request's ask. In workerd a promise belongs to the request
// that started it: when that request ends (answered early, or its client gone), its pending
// calls are cancelled and never settle, so a second request waiting on them would hang forever.
// Concurrent requests that find the lease used up therefore each ask for themselves; what they
// are granted lands in one shared lease, and grants from an older window are never carried
// into a newer one.
// The price: requests granted to an instance but not used there count against the caller until
// the window ends, so a caller spread over several instances may be refused up to a few leases
// early, and RateLimit-Remaining (the object's remaining plus this instance's unused lease) is
// exact only while one instance serves the caller.
import type { RateLimitGrant, RateLimitState } from "./fixed-window";

/** The largest lease for a limit: small enough that unused leases cost little of it. */
export function maxLease(limit: number): number {
	return Math.max(1, Math.min(64, Math.floor(limit / 16)));
}

interface Lease {
	limit: number;
	windowMs: number;
	/** Granted to this instance and not used yet. */
	left: number;
	/** The object's remaining after its last grant (the requests no instance holds). */
	remaining: number;
	/** The window the granted requests belong to (the object's start time), and when it ends here. */
	windowStartedAt: number;
	endsAt: number;
	/** Size of the last grant asked for, to double on the next one; 0 after a refusal. */
	size: number;
}

export class LeaseBook {
	readonly #leases = new Map<string, Lease>();
	constructor(private readonly maxCallers = 10_000) {}

	/**
	 * Lets one request of `key` through against `limit` per `windowMs`, or refuses it, asking the
	 * authority (`ask`, the caller's limiter object) when this instance holds no granted request.
	 * Undefined when the authority could not be asked (`ask` answers undefined then, and never
	 * throws; the caller decides what that means).
	 */
	async take(key: string, limit: number, windowMs: number, now: () => number, ask: (want: number) => Promise<RateLimitGrant | undefined>): Promise<RateLimitState | undefined> {
		const t = now();
		let lease = this.#leases.get(key);
		if (lease && (t >= lease.endsAt || lease.limit !== limit || lease.windowMs !== windowMs)) lease = undefined;
		if (lease && lease.left > 0) {
			lease.left -= 1;
			return { allowed: true, limit, remaining: lease.remaining + lease.left, resetMs: lease.endsAt - t, windowMs };
		}
		// Nothing left: a refusal stands until the window ends; a used-up lease asks for more.
		if (lease && lease.size === 0) return { allowed: false, limit, remaining: 0, resetMs: lease.endsAt - t, windowMs };
		const want = lease ? Math.min(lease.size * 2, maxLease(limit)) : 1;
		const entry: Lease = lease ?? { limit, windowMs, left: 0, remaining: 0, windowStartedAt: -Infinity, endsAt: t + windowMs, size: 1 };
		this.#remember(key, entry);
		const grant = await ask(want);
		const at = now();
		if (!grant) {
			if (this.#leases.get(key) === entry && entry.left === 0) this.#leases.delete(key);
			return undefined;
		}
		// A grant of an older window than the lease holds: this request was counted there, and
		// what else was granted with it is spent, as that window has ended.
		if (grant.windowStartedAt < entry.windowStartedAt) {
			return { allowed: grant.granted > 0, limit, remaining: grant.remaining, resetMs: grant.resetMs, windowMs };
		}
		if (grant.windowStartedAt > entry.windowStartedAt) {
			entry.windowStartedAt = grant.windowStartedAt;
			entry.left = 0;
			entry.size = 1;
		}
		entry.remaining = grant.remaining;
		entry.endsAt = at + grant.resetMs;
		// One granted request is this one; the rest wait here for the caller's next requests. A
		// refusal may still find requests that concurrent asks were granted meanwhile.
		let allowed = true;
		if (grant.granted > 0) {
			entry.left += grant.granted - 1;
			entry.size = Math.max(entry.size, want);
		} else if (entry.left > 0) {
			entry.left -= 1;
		} else {
			allowed = false;
			entry.size = 0; // the refusal stands until the window ends
		}
		return { allowed, limit, remaining: entry.remaining + entry.left, resetMs: entry.endsAt - at, windowMs };
	}

	#remember(key: string, lease: Lease): void {
		if (this.#leases.get(key) === lease) return;
		this.#leases.delete(key);
		// Maps keep insertion order: when full, forget the oldest caller.
		if (this.#leases.size >= this.maxCallers) {
			const oldest = this.#leases.keys().next().value;
			if (oldest !== undefined) this.#leases.delete(oldest);
		}
		this.#leases.set(key, lease);
	}
}

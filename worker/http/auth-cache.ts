// A short-lived, per-isolate memory of sessions and memberships, so that an authenticated call
// does not cost two D1 round trips every time. The trade-off, on purpose: in another isolate a
// signed-out session or a removed role can still work for up to TTL_MS. This isolate forgets at
// once (sign-out, role changes and removals evict here), and nothing is remembered that was not
// found (a new member is never told "no" from memory).
import type { SessionRecord } from "../db/sessions";
import type { Role } from "../shared/roles";

export const TTL_MS = 10_000;

class TtlCache<V> {
	readonly #entries = new Map<string, { value: V; until: number }>();
	constructor(private readonly max: number) {}

	get(key: string, now: number): V | undefined {
		const hit = this.#entries.get(key);
		if (!hit) return undefined;
		if (hit.until <= now) {
			this.#entries.delete(key);
			return undefined;
		}
		return hit.value;
	}

	set(key: string, value: V, now: number): void {
		// Maps keep insertion order: when full, forget the oldest entry.
		if (this.#entries.size >= this.max) {
			const oldest = this.#entries.keys().next().value;
			if (oldest !== undefined) this.#entries.delete(oldest);
		}
		this.#entries.set(key, { value, until: now + TTL_MS });
	}

	delete(key: string): void {
		this.#entries.delete(key);
	}

	deleteWhere(test: (key: string) => boolean): void {
		for (const key of this.#entries.keys()) if (test(key)) this.#entries.delete(key);
	}
}

export const sessions = new TtlCache<SessionRecord>(10_000);
export const memberships = new TtlCache<{ accountName: string; roles: Role[] }>(50_000);

export const membershipKey = (personId: string, accountId: string) => `${personId} ${accountId}`;

/** The person's roles in the account changed, or they left it. */
export function forgetMembership(personId: string, accountId: string): void {
	memberships.delete(membershipKey(personId, accountId));
}

/** The account was renamed: its name is part of every membership remembered for it. */
export function forgetAccount(accountId: string): void {
	memberships.deleteWhere((key) => key.endsWith(` ${accountId}`));
}

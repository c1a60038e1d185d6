// Sign-in throttling: failures are counted per key (an e-mail address, a client address) in a
// fixed window; past the limit the key is blocked for a while and sign-in answers 429.
import { eq, inArray, sql } from "drizzle-orm";
import type { Directory } from "./client";
import { signInThrottle } from "./schema";

export interface ThrottleRule {
	key: string;
	maxFailures: number;
	windowMs: number;
	blockMs: number;
}

/** Milliseconds until the first blocked key opens again, or 0 when none is blocked. */
export async function blockedFor(db: Directory, keys: string[], now: number): Promise<number> {
	const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, keys));
	let wait = 0;
	for (const r of rows) {
		const until = r.blockedUntil?.getTime() ?? 0;
		if (until > now) wait = Math.max(wait, until - now);
	}
	return wait;
}

/**
 * Counts one failure against every rule, atomically per key: the upsert reads the old row inside
 * the statement, so concurrent failures cannot undercount.
 */
export async function recordFailure(db: Directory, rules: ThrottleRule[], now: number): Promise<void> {
	const writes = rules.map((rule) => {
		const expired = sql`${now} - ${signInThrottle.windowStartedAt} >= ${rule.windowMs}`;
		const failures = sql`case when ${expired} then 1 else ${signInThrottle.failures} + 1 end`;
		return db
			.insert(signInThrottle)
			.values({
				key: rule.key,
				failures: 1,
				windowStartedAt: new Date(now),
				blockedUntil: rule.maxFailures <= 1 ? new Date(now + rule.blockMs) : null,
			})
			.onConflictDoUpdate({
				target: signInThrottle.key,
				set: {
					failures,
					windowStartedAt: sql`case when ${expired} then ${now} else ${signInThrottle.windowStartedAt} end`,
					blockedUntil: sql`case when ${failures} >= ${rule.maxFailures} then ${now + rule.blockMs} else ${signInThrottle.blockedUntil} end`,
				},
			});
	});
	const [first, ...rest] = writes;
	if (first) await db.batch([first, ...rest]);
}

export async function clearFailures(db: Directory, key: string): Promise<void> {
	await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}

// Sign-in throttling in D1: an attempt is *reserved* (counted as a failure) in one statement that
// first checks every rule, before the slow password check; a success gives the reservation back.
// D1 runs one statement at a time, so a parallel burst cannot read "not blocked" twice: exactly
// the free attempts get through, whatever the timing.
import { lt } from "drizzle-orm";
import { FORGET_AFTER_MS, MAX_DOUBLINGS, type FailureCount, type ThrottleRule, waitMs } from "../identity/throttle-rules";
import type { Directory } from "./client";
import { signInFailures } from "./schema";

export type Reservation = { reserved: true } | { reserved: false; waitMs: number };

/**
 * Counts one failed attempt against every rule, but only if no rule makes it wait; when one does,
 * nothing is counted and the answer says how long the longest wait still is. The arithmetic is
 * `waitMs` of throttle-rules.ts, in SQL.
 */
const reserveSql = (ruleCount: number) => `
WITH rules(key, free, first_delay, max_delay, forget) AS (VALUES ${ruleValues(ruleCount)})
INSERT INTO sign_in_failures (key, failures, last_failure_at)
SELECT rules.key, 1, ?1 FROM rules
WHERE NOT EXISTS (
	SELECT 1 FROM rules r JOIN sign_in_failures f ON f.key = r.key
	WHERE ?1 - f.last_failure_at < r.forget
		AND f.failures >= r.free
		AND ?1 < f.last_failure_at + min(r.first_delay << min(f.failures - r.free, ${MAX_DOUBLINGS}), r.max_delay)
)
ON CONFLICT (key) DO UPDATE SET
	failures = CASE
		WHEN excluded.last_failure_at - sign_in_failures.last_failure_at >= (SELECT forget FROM rules WHERE rules.key = excluded.key) THEN 1
		ELSE sign_in_failures.failures + 1
	END,
	last_failure_at = excluded.last_failure_at
RETURNING key`;

/** Numbered parameters: ?1 is `now`, each rule takes the next five ("(?2, ?3, ?4, ?5, ?6), (?7, …)"). */
function ruleValues(ruleCount: number): string {
	return Array.from({ length: ruleCount }, (_, i) => `(${Array.from({ length: 5 }, (_, j) => `?${2 + i * 5 + j}`).join(", ")})`).join(", ");
}

export async function reserveAttempt(db: Directory, rules: ThrottleRule[], now: number): Promise<Reservation> {
	const d1 = db.$client;
	const params = [now, ...rules.flatMap((r) => [r.key, r.freeFailures, r.firstDelayMs, r.maxDelayMs, r.forgetAfterMs])];
	const keys = rules.map((r) => r.key);
	const [reserved, rows] = await d1.batch<{ key: string; failures?: number; last_failure_at?: number }>([
		d1.prepare(reserveSql(rules.length)).bind(...params),
		d1.prepare(`SELECT key, failures, last_failure_at FROM sign_in_failures WHERE key IN (${keys.map(() => "?").join(", ")})`).bind(...keys),
	]);
	if ((reserved?.results.length ?? 0) > 0) return { reserved: true };
	const counts = new Map<string, FailureCount>();
	for (const row of rows?.results ?? []) counts.set(row.key, { failures: row.failures ?? 0, lastFailureAt: row.last_failure_at ?? 0 });
	const wait = Math.max(0, ...rules.map((rule) => waitMs(rule, counts.get(rule.key), now)));
	// Refused means some rule was waiting at `now`; never answer "retry in 0 s".
	return { reserved: false, waitMs: Math.max(wait, 1_000) };
}

/**
 * A successful sign-in: the address's failures from this client are forgotten, and the client's
 * count across addresses gets back the attempt it had reserved.
 */
export async function releaseAttempt(db: Directory, rules: ThrottleRule[]): Promise<void> {
	const d1 = db.$client;
	const [address, ...others] = rules;
	if (!address) return;
	await d1.batch([
		d1.prepare("DELETE FROM sign_in_failures WHERE key = ?").bind(address.key),
		...others.map((rule) => d1.prepare("UPDATE sign_in_failures SET failures = max(failures - 1, 0) WHERE key = ?").bind(rule.key)),
	]);
}

/** Deletes rows no rule looks at any more (their last failure is older than every rule's memory). */
export async function forgetOldFailures(db: Directory, now: number): Promise<void> {
	await db.delete(signInFailures).where(lt(signInFailures.lastFailureAt, new Date(now - FORGET_AFTER_MS)));
}

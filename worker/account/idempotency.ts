// Idempotency keys inside an AccountObject. A create sent with an `Idempotency-Key` records its
// answer in the same SQLite transaction as the create itself, so the key is recorded exactly
// when the create committed: a Worker cancelled after the commit (the client hung up) cannot
// leave a create without its key, nor a key "in progress" without a create. A retry with the
// key gets the stored answer back; the same key with a different request gets 422.
//
// Only successes are recorded: a refused create wrote nothing, and its retry simply runs again.
import { and, eq, sql } from "drizzle-orm";
import { IDEMPOTENCY_TTL_MS, type IdempotencyContext, type Replayable } from "../lib/idempotency";
import { fail, type Result } from "../lib/result";
import { transaction, type AccountDb } from "./db";
import { idempotencyKeys } from "./schema";

/** Expired keys removed per keyed write: more than one is written, so the table cannot outgrow 24 h of keys. */
export const PRUNE_BATCH = 50;

const reused = <T>(): Replayable<T> =>
	fail(
		"idempotency_key_reused",
		"This Idempotency-Key was used in the last 24 hours for a different request. Send a new key with a new request.",
		[{ path: "Idempotency-Key", message: "Already used for a different request." }],
	);

/** The stored answer for the key, a 422 if it came with another request, or undefined. */
function stored<T>(db: AccountDb, idem: IdempotencyContext, now: number): Replayable<T> | undefined {
	const row = db
		.select({ fingerprint: idempotencyKeys.fingerprint, answer: idempotencyKeys.answer, expiresAt: idempotencyKeys.expiresAt })
		.from(idempotencyKeys)
		.where(and(eq(idempotencyKeys.principal, idem.principal), eq(idempotencyKeys.key, idem.key)))
		.get();
	if (!row || row.expiresAt.getTime() <= now) return undefined;
	if (row.fingerprint !== idem.fingerprint) return reused<T>();
	return { ok: true, value: JSON.parse(row.answer) as T, replayed: true };
}

/**
 * Before a create that awaits something (another account's answer) ahead of its commit: the
 * earlier answer, or a 422, or undefined when the key is new. `commit` checks again.
 */
export function lookup<T>(db: AccountDb, idem: IdempotencyContext | undefined, now: number): Replayable<T> | undefined {
	return idem ? stored<T>(db, idem, now) : undefined;
}

/**
 * Runs `work` (synchronous: it must not await) under the key, in one transaction: the key is
 * checked again first — a twin request may have committed while this one awaited — then the
 * work runs and, if it succeeded, its value is recorded as the key's answer. Without a key it is
 * just `work()`.
 */
/** The stored answer to this key, if it was used before: for work that must not start again (a remote step before the commit). */
export function earlierAnswer<T>(db: AccountDb, idem: IdempotencyContext | undefined, now: number): Replayable<T> | undefined {
	return idem ? stored<T>(db, idem, now) : undefined;
}

export function commit<T>(db: AccountDb, idem: IdempotencyContext | undefined, now: number, work: () => Result<T>): Replayable<T> {
	if (!idem) return work();
	return transaction(db, () => {
		const earlier = stored<T>(db, idem, now);
		if (earlier) return earlier;
		const result = work();
		if (result.ok) record(db, idem, result.value, now);
		return result;
	});
}

function record(db: AccountDb, idem: IdempotencyContext, answer: unknown, now: number): void {
	// Opportunistic pruning, a batch at a time: one index probe that usually finds nothing.
	db.run(
		sql`DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= ${now} ORDER BY expires_at LIMIT ${PRUNE_BATCH})`,
	);
	const values = {
		principal: idem.principal,
		key: idem.key,
		fingerprint: idem.fingerprint,
		answer: JSON.stringify(answer),
		createdAt: new Date(now),
		expiresAt: new Date(now + IDEMPOTENCY_TTL_MS),
	};
	// A row still here for this key has expired (`stored` found no live one): it is replaced.
	db.insert(idempotencyKeys)
		.values(values)
		.onConflictDoUpdate({ target: [idempotencyKeys.principal, idempotencyKeys.key], set: values })
		.run();
}

/**
 * The key of a person of another account acting here (a provider's specialist on this
 * account's request): their keys are theirs in that account, never one of this account's.
 */
export function onBehalfOf(idem: IdempotencyContext | undefined, account: string): IdempotencyContext | undefined {
	return idem && { ...idem, principal: `${account}/${idem.principal}` };
}

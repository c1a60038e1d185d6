// Idempotency keys of creates whose data lives in D1 (API tokens, hostnames, new accounts). The
// key's record is one more statement in the create's own `db.batch`, so it is written exactly
// when the create is. A concurrent twin with the same key loses at the unique key (or at the
// create's own unique constraint, whichever comes first in its batch): its batch fails as a
// whole, and it answers with the winner's answer instead.
//
// Use in a route:
//   const key = await directoryKey<Answer>(c, db, accountId);      // http/idempotency.ts
//   if (key.replay) return c.json(key.replay, 201);
//   const answer = …;                                               // computed before the write
//   try { await db.batch([insertSomething, ...(await key.record(answer))]); }
//   catch (err) { const twin = await key.twin(); if (twin) return c.json(twin, 201); throw err; }
import { and, eq, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { AppError } from "../http/errors";
import { base64url, fromBase64url, sha256Hex } from "../identity/crypto";
import { IDEMPOTENCY_TTL_MS, type IdempotencyContext } from "../lib/idempotency";
import type { Directory } from "./client";
import { idempotencyKeys } from "./schema";

/** Expired rows removed per keyed create. */
const PRUNE_BATCH = 50;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The AES-GCM key that seals one key's answer, derived from the idempotency key itself: whoever
 * reads the table (a backup, a leak) without the client's key cannot read an answer — the answer
 * to an API token create holds the token's secret, which D1 otherwise keeps only hashed.
 */
async function sealingKey(scope: string, idem: IdempotencyContext): Promise<CryptoKey> {
	const base = await crypto.subtle.importKey("raw", encoder.encode(idem.key), "HKDF", false, ["deriveKey"]);
	return crypto.subtle.deriveKey(
		{ name: "HKDF", hash: "SHA-256", salt: encoder.encode(`${scope}\u0000${idem.principal}`), info: encoder.encode("trustdesk idempotency answer") },
		base,
		{ name: "AES-GCM", length: 256 },
		false,
		["encrypt", "decrypt"],
	);
}

async function seal(scope: string, idem: IdempotencyContext, answer: unknown): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await sealingKey(scope, idem), encoder.encode(JSON.stringify(answer)));
	return `${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

async function unseal(scope: string, idem: IdempotencyContext, sealed: string): Promise<unknown> {
	const [iv = "", data = ""] = sealed.split(".");
	const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv) }, await sealingKey(scope, idem), fromBase64url(data));
	return JSON.parse(decoder.decode(plain)) as unknown;
}

const reused = () =>
	new AppError("idempotency_key_reused", "This Idempotency-Key was used in the last 24 hours for a different request. Send a new key with a new request.", [
		{ path: "Idempotency-Key", message: "Already used for a different request." },
	]);

/** One create's key in the directory (or no key: then every method is a no-op). */
export class DirectoryKey<B> {
	private constructor(
		private readonly db: Directory,
		private readonly scope: string,
		private readonly idem: IdempotencyContext | undefined,
		private readonly keyHash: string,
		private readonly now: number,
		private readonly onReplay: () => void,
		/** A row for the key that expired: deleted in the create's batch, before the new one. */
		private readonly expired: boolean,
		/** The earlier answer: answer with it and write nothing. */
		readonly replay: B | undefined,
	) {}

	/** Looks the key up. Throws 422 `idempotency_key_reused` if it came with a different request. */
	static async begin<B>(db: Directory, scope: string, idem: IdempotencyContext | undefined, now: number, onReplay: () => void): Promise<DirectoryKey<B>> {
		if (!idem) return new DirectoryKey<B>(db, scope, undefined, "", now, onReplay, false, undefined);
		const keyHash = await sha256Hex(idem.key);
		const found = await DirectoryKey.find<B>(db, scope, idem, keyHash, now, onReplay);
		return new DirectoryKey<B>(db, scope, idem, keyHash, now, onReplay, found.expired, found.replay);
	}

	private static async find<B>(
		db: Directory,
		scope: string,
		idem: IdempotencyContext,
		keyHash: string,
		now: number,
		onReplay: () => void,
	): Promise<{ replay: B | undefined; expired: boolean }> {
		const row = await db
			.select({ fingerprint: idempotencyKeys.fingerprint, answer: idempotencyKeys.answer, expiresAt: idempotencyKeys.expiresAt })
			.from(idempotencyKeys)
			.where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.principal, idem.principal), eq(idempotencyKeys.keyHash, keyHash)))
			.get();
		if (!row) return { replay: undefined, expired: false };
		if (row.expiresAt.getTime() <= now) return { replay: undefined, expired: true };
		if (row.fingerprint !== idem.fingerprint) throw reused();
		onReplay();
		return { replay: (await unseal(scope, idem, row.answer)) as B, expired: false };
	}

	/** Statements for the create's batch that record `answer` under the key (none without a key). */
	async record(answer: B): Promise<BatchItem<"sqlite">[]> {
		const { db, idem, scope, keyHash, now } = this;
		if (!idem) return [];
		const here = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.principal, idem.principal), eq(idempotencyKeys.keyHash, keyHash));
		return [
			...(this.expired ? [db.delete(idempotencyKeys).where(and(here, lte(idempotencyKeys.expiresAt, new Date(now))))] : []),
			db.insert(idempotencyKeys).values({
				scope,
				principal: idem.principal,
				keyHash,
				fingerprint: idem.fingerprint,
				answer: await seal(scope, idem, answer),
				createdAt: new Date(now),
				expiresAt: new Date(now + IDEMPOTENCY_TTL_MS),
			}),
			// Opportunistic pruning, a batch at a time (an index probe that usually finds nothing).
			db.delete(idempotencyKeys).where(sql`rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= ${now} ORDER BY expires_at LIMIT ${PRUNE_BATCH})`),
		];
	}

	/**
	 * After the create's batch failed: if a twin request with the same key committed meanwhile
	 * (which is why this batch failed, on the key or on the create's own unique constraint), its
	 * answer; a 422 if the twin was a different request; otherwise undefined (rethrow the error).
	 */
	async twin(): Promise<B | undefined> {
		if (!this.idem) return undefined;
		return (await DirectoryKey.find<B>(this.db, this.scope, this.idem, this.keyHash, Date.now(), this.onReplay)).replay;
	}
}

// E-mail threading without trusting what a sender can guess. Every mail about a request carries a
// Reply-To address `<account>+r<number>-<tag>@<mail domain>`: the tag is an HMAC of the request's id
// under a key only the account object holds (account.mail_secret), so a reply reaches a request only
// if its sender saw a mail about it — knowing the request's number is not enough. Lowercase letters
// and digits only: mail servers may fold the case of a local part.
import { eq, sql } from "drizzle-orm";
import { randomSecret } from "../identity/crypto";
import { statements, type AccountDb } from "../account/db";
import { account, requests } from "../account/schema";

/** Every mail run about requests asks these: built once. */
const q = statements((db) => ({
	// The run's requests in one query: their ids go as a JSON array (one parameter, however many).
	numbers: db
		.select({ id: requests.id, number: requests.number })
		.from(requests)
		.where(sql`${requests.id} in (select value from json_each(${sql.placeholder("ids")}))`)
		.prepare(),
	secret: db.select({ id: account.id, secret: account.mailSecret }).from(account).prepare(),
}));

const TAG_LENGTH = 20; // 100 bits of base32
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const encoder = new TextEncoder();

/** The tag of one request's reply address under the account's key. */
export async function threadTag(secret: string, requestId: string): Promise<string> {
	const key = await hmacKey(secret);
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`thread:${requestId}`)));
	let out = "";
	let buffer = 0;
	let bits = 0;
	for (const byte of mac) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5 && out.length < TAG_LENGTH) {
			out += BASE32[(buffer >> (bits - 5)) & 31];
			bits -= 5;
		}
		buffer &= (1 << bits) - 1;
		if (out.length === TAG_LENGTH) break;
	}
	return out;
}

/**
 * Imported keys, by secret: every mail about a request needs its tag. A few per isolate (one per
 * account object it hosts); the oldest goes first beyond KEY_CACHE_SIZE.
 */
const keys = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_SIZE = 64;

function hmacKey(secret: string): Promise<CryptoKey> {
	let key = keys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
		keys.set(secret, key);
		key.catch(() => keys.delete(secret));
		if (keys.size > KEY_CACHE_SIZE) keys.delete(keys.keys().next().value ?? "");
	}
	return key;
}

/** What the local part of an address to the mail domain names. */
export type MailRoute =
	| { kind: "account"; accountId: string }
	| { kind: "thread"; accountId: string; requestNumber: number; tag: string };

const THREAD_PART = /^r([1-9][0-9]{0,9})-([a-z2-7]{20})$/;

/** Reads `<account>` or `<account>+r<number>-<tag>`; anything else (or an invalid account id) is null. */
export function parseLocalPart(localPart: string): MailRoute | null {
	const local = localPart.toLowerCase();
	const plus = local.indexOf("+");
	const accountId = plus < 0 ? local : local.slice(0, plus);
	if (!/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/.test(accountId)) return null;
	if (plus < 0) return { kind: "account", accountId };
	const match = THREAD_PART.exec(local.slice(plus + 1));
	if (!match) return null;
	return { kind: "thread", accountId, requestNumber: Number(match[1]), tag: match[2]! };
}

export function threadLocalPart(accountId: string, requestNumber: number, tag: string): string {
	return `${accountId}+r${requestNumber}-${tag}`;
}

/** The account's threading key, made (once) on first use. */
export function mailSecret(db: AccountDb): string {
	const row = q(db).secret.get();
	if (!row) throw new Error("account profile missing");
	if (row.secret) return row.secret;
	const secret = randomSecret("", 32);
	db.update(account).set({ mailSecret: secret }).where(eq(account.id, row.id)).run();
	return secret;
}

/** The Reply-To address of mails about one of this account's requests. */
export async function threadAddress(db: AccountDb, accountId: string, requestId: string, mailDomain: string): Promise<string | null> {
	return (await threadAddresses(db, accountId, [requestId], mailDomain)).get(requestId) ?? null;
}

/**
 * The Reply-To addresses of several requests at once (a mail run's): one query, the tags signed
 * together. A request that is gone is missing from the map.
 */
export async function threadAddresses(db: AccountDb, accountId: string, requestIds: readonly string[], mailDomain: string): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	if (requestIds.length === 0) return found;
	const rows = q(db).numbers.all({ ids: JSON.stringify([...new Set(requestIds)]) });
	if (rows.length === 0) return found;
	const secret = mailSecret(db);
	const tags = await Promise.all(rows.map((r) => threadTag(secret, r.id)));
	rows.forEach((r, i) => found.set(r.id, `${threadLocalPart(accountId, r.number, tags[i]!)}@${mailDomain}`));
	return found;
}

/** The request a reply address names, if its tag is right; null for a wrong or guessed tag. */
export async function requestForThread(db: AccountDb, requestNumber: number, tag: string): Promise<string | null> {
	const request = db.select({ id: requests.id }).from(requests).where(eq(requests.number, requestNumber)).get();
	if (!request) return null;
	const expected = await threadTag(mailSecret(db), request.id);
	return constantTimeEqual(expected, tag) ? request.id : null;
}

function constantTimeEqual(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}

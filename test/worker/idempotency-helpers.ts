// Helpers for the Idempotency-Key tests: keyed calls, their answers, and what the stores hold.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call, type Caller } from "./helpers";
import { inObject } from "./service-helpers";

export const HOUR = 60 * 60_000;

export const newKey = () => crypto.randomUUID();

/** A POST with `Idempotency-Key: key` (no body when `body` is undefined). */
export function keyed(path: string, as: Caller, key: string, body?: unknown): Promise<Response> {
	return call(path, { as, body, method: "POST", headers: { "Idempotency-Key": key } });
}

export interface Answer<T> {
	status: number;
	body: T;
	replayed: boolean;
}

/** The status, parsed body and replay mark of an answer; fails the test unless the status is `status`. */
export async function answer<T>(res: Response | Promise<Response>, status: number): Promise<Answer<T>> {
	const r = await res;
	const text = await r.text();
	expect(r.status, text).toBe(status);
	return { status: r.status, body: JSON.parse(text) as T, replayed: r.headers.get("Idempotent-Replayed") === "true" };
}

/** Asserts a first answer and its replay: same status and body, only the replay marked. */
export function expectReplay<T>(first: Answer<T>, again: Answer<T>): void {
	expect(first.replayed).toBe(false);
	expect(again.replayed).toBe(true);
	expect(again.status).toBe(first.status);
	expect(again.body).toEqual(first.body);
}

/** `SELECT count(*)` in the account's own database. */
export function countIn(accountId: string, query: string, ...bindings: (string | number)[]): Promise<number> {
	return inObject(accountId, (_i, state) => state.storage.sql.exec<{ n: number }>(query, ...bindings).one().n);
}

/** The account's idempotency rows (principal, key, expiry). */
export function accountKeys(accountId: string): Promise<{ principal: string; key: string; expires_at: number }[]> {
	return inObject(accountId, (_i, state) => state.storage.sql.exec<{ principal: string; key: string; expires_at: number }>("SELECT principal, key, expires_at FROM idempotency_keys").toArray());
}

/** Every idempotency row in D1, as stored. */
export async function directoryKeys(): Promise<Record<string, unknown>[]> {
	return (await env.DB.prepare("SELECT * FROM idempotency_keys").all<Record<string, unknown>>()).results;
}

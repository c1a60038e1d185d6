// The `Idempotency-Key` header of creates: checked here, at the edge, and handed to the create as
// plain data ({ key, fingerprint, principal }). The create itself records its answer under the
// key in the transaction that commits it — in the AccountObject (account/idempotency.ts) or in
// D1 (db/idempotency.ts) — so that a retry after a lost answer gets that answer instead of
// creating a second record.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { DirectoryKey } from "../db/idempotency";
import type { Directory } from "../db/client";
import type { AppEnv, Auth } from "../env";
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import { AppError, unwrap } from "./errors";
import { requireAuth } from "./auth";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";

/** Visible ASCII (no spaces or controls), as most APIs with this header accept: a UUID fits. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const encoder = new TextEncoder();

/** Keys are per caller: a person (whatever session they use) or an API token. */
export function principalOf(auth: Auth): string {
	return auth.kind === "session" ? `person:${auth.person.id}` : `token:${auth.token.id}`;
}

/** JSON with object keys sorted at every level: the same document whatever order the client wrote it in. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (value !== null && typeof value === "object") {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
	}
	return JSON.stringify(value) ?? "null";
}

/**
 * What makes two requests "the same": method, path and the body as parsed JSON in canonical form
 * (key order and whitespace do not matter; a body that does not parse counts as its raw text,
 * and is refused by validation anyway). The raw body rather than the validated one, because this
 * runs for every create before its route's schema does, and because a client retrying sends what
 * it sent before. An HMAC keyed by the idempotency key rather than a plain hash: a stored
 * fingerprint then says nothing about a body (which may hold a password) to whoever reads the
 * table without the key.
 */
export async function fingerprintOf(key: string, method: string, path: string, body: string): Promise<string> {
	let canonical = body;
	if (body.trim() !== "") {
		try {
			canonical = canonicalJson(JSON.parse(body));
		} catch {
			// not JSON: the raw text
		}
	}
	const hmacKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
	const mac = await crypto.subtle.sign("HMAC", hmacKey, encoder.encode(`${method} ${path}\n${canonical}`));
	return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Route middleware of every create (after accountScope): checks the header if sent and puts
 * `idempotency` on the context. Without the header it costs nothing and sets nothing.
 */
export const idempotencyKey: MiddlewareHandler<AppEnv> = async (c, next) => {
	const key = c.req.header(IDEMPOTENCY_HEADER);
	if (key !== undefined) {
		if (!KEY_PATTERN.test(key)) {
			throw new AppError("invalid_input", "The Idempotency-Key header must be 1 to 255 visible ASCII characters, e.g. a UUID.", [
				{ path: IDEMPOTENCY_HEADER, message: "1 to 255 visible ASCII characters." },
			]);
		}
		const principal = principalOf(requireAuth(c));
		// Hono keeps the body it read: the route's JSON validator reads the same text after this.
		const body = await c.req.text();
		c.set("idempotency", { key, principal, fingerprint: await fingerprintOf(key, c.req.method, c.req.path, body) });
	}
	await next();
};

/** The checked key of this request, if it came with one. */
export function idempotencyOf(c: Context<AppEnv>): IdempotencyContext | undefined {
	return c.get("idempotency");
}

/** Marks the response as a replay of an earlier answer. */
export function markReplayed(c: Context<AppEnv>): void {
	c.header(REPLAYED_HEADER, "true");
}

/**
 * The key of a create whose data lives in D1, looked up (see db/idempotency.ts for the pattern).
 * `scope` is the account the create is made in ("" for one outside any account).
 */
export function directoryKey<B>(c: Context<AppEnv>, db: Directory, scope: string): Promise<DirectoryKey<B>> {
	return DirectoryKey.begin<B>(db, scope, idempotencyOf(c), Date.now(), () => markReplayed(c));
}

/** The value of a create's result (a replay is marked as one), or the mapped HTTP error. */
export function unwrapCreate<T>(c: Context<AppEnv>, result: Replayable<T>): T {
	if (result.replayed) markReplayed(c);
	return unwrap(result);
}

/** The OpenAPI parameter every create lists (a reference to one shared definition). */
export const IDEMPOTENCY_PARAMETER = { $ref: "#/components/parameters/IdempotencyKey" } as const;

export function registerIdempotencyDocs(registry: OpenAPIHono<AppEnv>["openAPIRegistry"]): void {
	registry.registerComponent("parameters", "IdempotencyKey", {
		name: IDEMPOTENCY_HEADER,
		in: "header",
		required: false,
		description:
			"Makes a create safe to retry. Send a new random value (a UUID) with each new create and the same value with its retries: within 24 hours, a retry with the same key and the same request (method, path and JSON body; key order does not matter) answers the first answer again, with the same status and body and the header `Idempotent-Replayed: true`, instead of creating a second record. The same key with a different request answers 422 `idempotency_key_reused`. Keys are per caller (person or API token) and per account. Only successful creates are remembered: a refused one can be retried with the same key.",
		schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7E]+$" },
		example: "0f8fad5b-d9cb-469f-a165-70867728950e",
	});
}

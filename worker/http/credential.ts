// The credential a request carries, and its SHA-256 computed once per request: the rate limit
// keys the caller's limiter by it before authentication runs, and authentication looks the
// session or token up by the same hash.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { sha256Hex } from "../identity/crypto";
import { readSessionCookie } from "./session-cookie";

export interface Credential {
	kind: "session" | "token";
	secret: string;
}

/** A bearer token if the Authorization header is there (undefined if it is malformed), else the session cookie. */
export function credentialOf(c: Context<AppEnv>): Credential | undefined {
	const header = c.req.header("Authorization");
	if (header !== undefined) {
		const secret = bearerSecret(header);
		return secret ? { kind: "token", secret } : undefined;
	}
	const secret = readSessionCookie(c);
	return secret ? { kind: "session", secret } : undefined;
}

export function bearerSecret(header: string): string | undefined {
	return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/** The hex SHA-256 of `secret`, remembered on the request for the next caller asking for the same secret. */
export function secretHash(c: Context<AppEnv>, secret: string): Promise<string> {
	const known = c.get("credentialHash");
	if (known?.secret === secret) return known.hash;
	const hash = sha256Hex(secret);
	c.set("credentialHash", { secret, hash });
	return hash;
}

// Authentication and account scoping. `authenticate` identifies the caller (session cookie or
// bearer token); `accountScope` resolves the account in the path and the caller's permissions
// in it. Another account's data is always answered with 404, never 403, so that ids of other
// tenants cannot be probed.
import type { Context, MiddlewareHandler } from "hono";
import { directory } from "../db/client";
import { findMembership } from "../db/people";
import { extendSession, findLiveSession } from "../db/sessions";
import { findTokenByHash, touchToken } from "../db/tokens";
import type { AccountContext, AppEnv, Auth } from "../env";
import { timingSafeEqual } from "../identity/crypto";
import { bearerSecret, secretHash } from "./credential";
import { permissionsOfRoles, type Permission } from "../shared/roles";
import * as cache from "./auth-cache";
import { AppError } from "./errors";
import { readSessionCookie, SESSION_TTL_MS, writeSessionCookie } from "./session-cookie";

const TOKEN_TOUCH_INTERVAL_MS = 60_000;
const SESSION_REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/**
 * Writes that do not act through the current session (they start a new one), so a stale
 * session cookie in the browser must not make them fail. The Origin check still applies.
 */
const SESSION_FREE_WRITES = new Set(["POST /api/v1/session", "POST /api/v1/signup"]);

async function authenticateToken(c: Context<AppEnv>, secret: string): Promise<Auth> {
	const db = directory(c.env.DB);
	const token = await findTokenByHash(db, await secretHash(c, secret));
	const now = Date.now();
	if (!token || token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= now)) {
		throw new AppError("unauthenticated", "The API token is unknown, expired or revoked.", undefined, {
			"WWW-Authenticate": 'Bearer error="invalid_token"',
		});
	}
	// "Last used" is informational: one write a minute per token is plenty.
	if (!token.lastUsedAt || now - token.lastUsedAt.getTime() > TOKEN_TOUCH_INTERVAL_MS) {
		c.executionCtx.waitUntil(touchToken(db, token.id, new Date(now)).catch(() => undefined));
	}
	return {
		kind: "token",
		token: { id: token.id, name: token.name, accountId: token.accountId, accountName: token.accountName, scopes: token.scopes },
	};
}

async function authenticateSession(c: Context<AppEnv>, secret: string): Promise<Auth | undefined> {
	const db = directory(c.env.DB);
	const now = Date.now();
	const hash = await secretHash(c, secret);
	const remembered = cache.sessions.get(hash, now);
	const found = remembered && remembered.expiresAt.getTime() > now ? remembered : await findLiveSession(db, hash, new Date(now));
	if (!found) return undefined;
	cache.sessions.set(hash, found, now);
	// Sliding expiry, refreshed at most once a day to keep D1 writes off the hot path.
	if (found.expiresAt.getTime() - now < SESSION_TTL_MS - SESSION_REFRESH_AFTER_MS) {
		const expiresAt = new Date(now + SESSION_TTL_MS);
		await extendSession(db, found.tokenHash, expiresAt);
		writeSessionCookie(c, secret, expiresAt);
		found.expiresAt = expiresAt;
	}
	return {
		kind: "session",
		person: found.person,
		session: { tokenHash: found.tokenHash, csrfToken: found.csrfToken, expiresAt: found.expiresAt },
	};
}

/** Sets `auth` from `Authorization: Bearer …` or the session cookie; leaves it unset otherwise. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
	const header = c.req.header("Authorization");
	if (header !== undefined) {
		const secret = bearerSecret(header);
		if (!secret) throw new AppError("unauthenticated", "Use 'Authorization: Bearer <token>'.");
		c.set("auth", await authenticateToken(c, secret));
	} else {
		const secret = readSessionCookie(c);
		c.set("auth", secret ? await authenticateSession(c, secret) : undefined);
	}
	await next();
};

/**
 * Cookie-authenticated writes must carry the session's CSRF token in X-CSRF-Token, and no write
 * is accepted from another origin. Bearer-token calls are not sent by browsers on their own, so
 * they need no CSRF token.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
	if (!SAFE_METHODS.has(c.req.method)) {
		const origin = c.req.header("Origin");
		if (origin !== undefined && origin !== new URL(c.req.url).origin) {
			throw new AppError("csrf_failed", "Cross-origin writes are not accepted.");
		}
		const auth = c.get("auth");
		if (auth?.kind === "session" && !SESSION_FREE_WRITES.has(`${c.req.method} ${c.req.path}`)) {
			const sent = c.req.header("X-CSRF-Token") ?? "";
			if (!timingSafeEqual(sent, auth.session.csrfToken)) {
				throw new AppError("csrf_failed", "Missing or wrong X-CSRF-Token header. Reload the page and try again.");
			}
		}
	}
	await next();
};

export function requireAuth(c: Context<AppEnv>): Auth {
	const auth = c.get("auth");
	if (!auth) throw new AppError("unauthenticated", "Sign in first.");
	return auth;
}

export function requireSession(c: Context<AppEnv>): Extract<Auth, { kind: "session" }> {
	const auth = requireAuth(c);
	if (auth.kind !== "session") throw new AppError("forbidden", "This needs a signed-in person, not an API token.");
	return auth;
}

const notFoundAccount = () => new AppError("not_found", "No such account.");

async function resolveAccount(c: Context<AppEnv>, accountId: string): Promise<AccountContext> {
	const auth = requireAuth(c);
	if (auth.kind === "token") {
		if (auth.token.accountId !== accountId) throw notFoundAccount();
		return {
			id: accountId,
			name: auth.token.accountName,
			roles: [],
			permissions: new Set<Permission>(auth.token.scopes),
			actor: { type: "token", id: auth.token.id, name: auth.token.name },
		};
	}
	const key = cache.membershipKey(auth.person.id, accountId);
	const membership = cache.memberships.get(key, Date.now()) ?? (await findMembership(directory(c.env.DB), auth.person.id, accountId));
	if (!membership) throw notFoundAccount();
	cache.memberships.set(key, membership, Date.now());
	return {
		id: accountId,
		name: membership.accountName,
		roles: membership.roles,
		permissions: permissionsOfRoles(membership.roles),
		actor: { type: "person", id: auth.person.id, name: auth.person.name },
	};
}

/**
 * For routes under /accounts/{accountId}: the caller must be a member of (or a token of) that
 * account and hold `permission` there. Sets `account` on the context.
 */
export function accountScope(permission: Permission): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const accountId = c.req.param("accountId");
		if (!accountId) throw notFoundAccount();
		const account = await resolveAccount(c, accountId);
		if (!account.permissions.has(permission)) {
			throw new AppError("forbidden", `This needs the ${permission} permission in ${account.name}.`);
		}
		c.set("account", account);
		await next();
	};
}

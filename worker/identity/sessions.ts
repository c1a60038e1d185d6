// Starting a browser session and describing it to the portal.
import type { Context } from "hono";
import type { Directory } from "../db/client";
import { emailVerifiedAt } from "../db/email-tokens";
import { listMemberships } from "../db/people";
import { createSession, deleteExpiredSessions } from "../db/sessions";
import type { AppEnv } from "../env";
import { SESSION_TTL_MS, writeSessionCookie } from "../http/session-cookie";
import type { Session } from "../shared/api";
import { base64url, randomBytes, sha256Hex } from "./crypto";

export async function describeSession(
	db: Directory,
	person: { id: string; name: string; email: string },
	csrfToken: string,
	expiresAt: Date,
): Promise<Session> {
	// Read from the directory, not the session cache: the portal reloads the session right after
	// the person follows their verification link.
	const [memberships, verifiedAt] = await Promise.all([listMemberships(db, person.id), emailVerifiedAt(db, person.id)]);
	return {
		person: { id: person.id, name: person.name, email: person.email },
		memberships,
		csrfToken,
		expiresAt: expiresAt.toISOString(),
		emailVerified: Boolean(verifiedAt),
	};
}

/** Creates a session for `person`, sets the cookie, and returns the session for the portal. */
export async function startSession(
	c: Context<AppEnv>,
	db: Directory,
	person: { id: string; name: string; email: string },
): Promise<Session> {
	const secret = base64url(randomBytes(32));
	const csrfToken = base64url(randomBytes(24));
	const now = Date.now();
	const expiresAt = new Date(now + SESSION_TTL_MS);
	await createSession(db, { tokenHash: await sha256Hex(secret), personId: person.id, csrfToken, expiresAt });
	c.executionCtx.waitUntil(deleteExpiredSessions(db, person.id, new Date(now)).catch(() => undefined));
	writeSessionCookie(c, secret, expiresAt);
	return describeSession(db, person, csrfToken, expiresAt);
}

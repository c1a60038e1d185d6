// Browser sessions. The cookie holds a random token; D1 keeps only its SHA-256.
import { and, eq, gt, lt } from "drizzle-orm";
import type { Directory } from "./client";
import { people, sessions } from "./schema";

export interface SessionRecord {
	tokenHash: string;
	csrfToken: string;
	expiresAt: Date;
	person: { id: string; name: string; email: string };
}

export async function createSession(
	db: Directory,
	s: { tokenHash: string; personId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
	await db.insert(sessions).values(s);
}

export async function findLiveSession(db: Directory, tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
	const [row] = await db
		.select({
			tokenHash: sessions.tokenHash,
			csrfToken: sessions.csrfToken,
			expiresAt: sessions.expiresAt,
			id: people.id,
			name: people.name,
			email: people.email,
		})
		.from(sessions)
		.innerJoin(people, eq(people.id, sessions.personId))
		.where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
		.limit(1);
	if (!row) return undefined;
	const { id, name, email, ...session } = row;
	return { ...session, person: { id, name, email } };
}

export async function extendSession(db: Directory, tokenHash: string, expiresAt: Date): Promise<void> {
	await db.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: Directory, tokenHash: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Expired rows are useless; sign-in sweeps a person's own expired sessions. */
export async function deleteExpiredSessions(db: Directory, personId: string, now: Date): Promise<void> {
	await db.delete(sessions).where(and(eq(sessions.personId, personId), lt(sessions.expiresAt, now)));
}

// Mailed links (password reset, e-mail verification) in the directory. A token is used by one
// batch whose every statement is conditional on the token still being live, so two clicks at once
// cannot both set a password, and an expired or used link changes nothing.
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { PasswordHash } from "../identity/password";
import type { Directory } from "./client";
import { emailTokens, people, sessions, signInFailures, type EmailTokenPurpose } from "./schema";

export interface EmailTokenRecord {
	personId: string;
	email: string;
	name: string;
	expiresAt: Date;
}

/**
 * Stores a new token for the person and purpose, replacing any earlier one (only the newest link
 * works: a person who asks twice is not left with two live secrets in their mailbox).
 */
export async function replaceEmailToken(
	db: Directory,
	t: { tokenHash: string; purpose: EmailTokenPurpose; personId: string; email: string; now: Date; expiresAt: Date },
): Promise<void> {
	await db.batch([
		db.delete(emailTokens).where(and(eq(emailTokens.personId, t.personId), eq(emailTokens.purpose, t.purpose))),
		db.insert(emailTokens).values({ tokenHash: t.tokenHash, purpose: t.purpose, personId: t.personId, email: t.email, createdAt: t.now, expiresAt: t.expiresAt }),
	]);
}

/** The live token with this hash and purpose, with its person; undefined if unknown, used or expired. */
export async function findLiveEmailToken(db: Directory, tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<EmailTokenRecord | undefined> {
	const [row] = await db
		.select({ personId: emailTokens.personId, email: people.email, name: people.name, expiresAt: emailTokens.expiresAt })
		.from(emailTokens)
		.innerJoin(people, and(eq(people.id, emailTokens.personId), eq(people.email, emailTokens.email)))
		.where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), gt(emailTokens.expiresAt, now)))
		.limit(1);
	return row;
}

/** The person of a live token, as a subquery every statement of a batch can be conditional on. */
const personOfLiveToken = (tokenHash: string, purpose: EmailTokenPurpose, now: Date) =>
	sql`(select ${emailTokens.personId} from ${emailTokens} where ${emailTokens.tokenHash} = ${tokenHash} and ${emailTokens.purpose} = ${purpose} and ${emailTokens.expiresAt} > ${now.getTime()})`;

/**
 * Sets the new password of the reset token's person (and counts their address verified), ends
 * every session of theirs, forgets their failed sign-ins and uses up their reset tokens: one
 * batch, all or nothing. Returns the ended
 * sessions' hashes, or undefined when the token was not live (used meanwhile, or expired).
 */
export async function resetPasswordWithToken(
	db: Directory,
	t: { tokenHash: string; personId: string; email: string; password: PasswordHash; now: Date },
): Promise<string[] | undefined> {
	const person = personOfLiveToken(t.tokenHash, "password_reset", t.now);
	// The sign-in throttle's per-address keys (throttle-rules.ts), from every client.
	const failures = `address ${t.email} from `;
	const [, ended, , used] = await db.batch([
		db
			.update(people)
			// Following the mailed link proves the address too.
			.set({
				passwordHash: t.password.hash,
				passwordSalt: t.password.salt,
				passwordIterations: t.password.iterations,
				emailVerifiedAt: sql`coalesce(${people.emailVerifiedAt}, ${t.now.getTime()})`,
			})
			.where(and(eq(people.id, t.personId), sql`${people.id} = ${person}`)),
		db
			.delete(sessions)
			.where(and(eq(sessions.personId, t.personId), sql`${sessions.personId} = ${person}`))
			.returning({ tokenHash: sessions.tokenHash }),
		// The owner just proved they read this address's mail: earlier failed guesses no longer hold them back.
		db.delete(signInFailures).where(and(sql`substr(${signInFailures.key}, 1, ${failures.length}) = ${failures}`, sql`${t.personId} = ${person}`)),
		// Last, because the statements above look the token up.
		db
			.delete(emailTokens)
			.where(and(eq(emailTokens.personId, t.personId), eq(emailTokens.purpose, "password_reset"), sql`${t.personId} = ${person}`))
			.returning({ tokenHash: emailTokens.tokenHash }),
	]);
	return used.some((u) => u.tokenHash === t.tokenHash) ? ended.map((s) => s.tokenHash) : undefined;
}

/**
 * Marks the token's person verified (if the address is still theirs) and uses the token up.
 * Returns the person, or undefined when the token was not live.
 */
export async function verifyEmailWithToken(db: Directory, tokenHash: string, now: Date): Promise<{ personId: string; email: string } | undefined> {
	const person = personOfLiveToken(tokenHash, "email_verification", now);
	const [, used] = await db.batch([
		db
			.update(people)
			.set({ emailVerifiedAt: now })
			.where(and(sql`${people.id} = ${person}`, sql`${people.email} = (select ${emailTokens.email} from ${emailTokens} where ${emailTokens.tokenHash} = ${tokenHash})`, sql`${people.emailVerifiedAt} is null`)),
		db
			.delete(emailTokens)
			.where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, "email_verification"), gt(emailTokens.expiresAt, now)))
			.returning({ personId: emailTokens.personId, email: emailTokens.email }),
	]);
	return used[0];
}

/** Tokens past their expiry are useless; the issuing routes sweep now and then. */
export async function deleteExpiredEmailTokens(db: Directory, now: Date): Promise<void> {
	await db.delete(emailTokens).where(lt(emailTokens.expiresAt, now));
}

/** When the person's address was verified, or null; undefined for an unknown person. */
export async function emailVerifiedAt(db: Directory, personId: string): Promise<Date | null | undefined> {
	const row = await db.select({ at: people.emailVerifiedAt }).from(people).where(eq(people.id, personId)).get();
	return row ? row.at : undefined;
}

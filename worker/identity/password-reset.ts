// Password reset by e-mail. Asking for a reset answers the same, in the same time, whether or not
// the address signs in to Trustdesk: the only work done before answering (the throttle and one
// lookup) is the same for both, and the token and the mail for a known address are made after
// the answer. The link is single use, works 30 minutes, and only its hash is stored; using it
// sets the password and ends every session of the person, everywhere.
import type { Context } from "hono";
import type { Directory } from "../db/client";
import { deleteExpiredEmailTokens, findLiveEmailToken, replaceEmailToken, resetPasswordWithToken, type EmailTokenRecord } from "../db/email-tokens";
import { findPersonByEmail, listMemberships } from "../db/people";
import { reserveAttempt } from "../db/throttle";
import type { AppEnv } from "../env";
import { accountStub } from "../http/account-object";
import { sessions as sessionCache } from "../http/auth-cache";
import { AppError } from "../http/errors";
import type { PasswordResetRequestInput } from "../shared/identity-api";
import { sha256Hex } from "./crypto";
import { mailingAccountOf, newLinkToken, pageUrl, queueIdentityMail } from "./mail";
import { hashPassword } from "./password";
import { assertAcceptablePassword } from "./password-policy";
import { clientOf, resetRules } from "./throttle-rules";

export const RESET_TTL_MS = 30 * 60 * 1000;

export const RESET_REQUESTED_MESSAGE =
	"If this address signs in to Trustdesk, an e-mail with a link to choose a new password is on its way. The link works for 30 minutes.";

/** A link that is unknown, used, replaced by a newer one or expired: all look alike. */
const deadLink = () =>
	new AppError("not_found", "This password reset link does not work any more: it was used, replaced by a newer one, or expired. Ask for a new one.");

/** "Forgot password": throttled; a known address gets its mail after the answer. */
export async function requestPasswordReset(c: Context<AppEnv>, db: Directory, input: PasswordResetRequestInput): Promise<void> {
	const now = Date.now();
	const [reservation, person] = await Promise.all([reserveAttempt(db, resetRules(input.email, clientOf(c.req.header("CF-Connecting-IP"))), now), findPersonByEmail(db, input.email)]);
	if (!reservation.reserved) {
		const seconds = Math.ceil(reservation.waitMs / 1000);
		throw new AppError("rate_limited", "Too many password reset requests. Try again later.", undefined, { "Retry-After": String(seconds) });
	}
	if (!person) return;
	const work = mailResetLink(c, db, { id: person.id, email: person.email, name: person.name }, input.accountId, new Date(now)).catch((err: unknown) =>
		console.error(JSON.stringify({ level: "error", what: "password reset mail", error: String(err) })),
	);
	c.executionCtx.waitUntil(work);
}

async function mailResetLink(c: Context<AppEnv>, db: Directory, person: { id: string; email: string; name: string }, preferred: string | undefined, now: Date): Promise<void> {
	const accountId = await mailingAccountOf(db, person.id, preferred);
	// A person of no account has no outbox to be mailed from (see mailingAccountOf).
	if (!accountId) return;
	const { token, tokenHash } = await newLinkToken();
	await replaceEmailToken(db, { tokenHash, purpose: "password_reset", personId: person.id, email: person.email, now, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
	await queueIdentityMail(c.env, accountId, {
		kind: "password_reset",
		to: { email: person.email, name: person.name, personId: person.id },
		subject: "Choose a new Trustdesk password",
		paragraphs: [
			`Someone (we hope you) asked to reset the password of ${person.email}.`,
			"The link below works once, for 30 minutes. Setting a new password signs you out everywhere.",
			"If you did not ask for this, ignore this e-mail: your password stays as it is.",
		],
		action: { label: "Choose a new password", url: pageUrl(c, `/reset-password?token=${token}`) },
		sensitive: true,
	});
	if (Math.random() < 0.05) await deleteExpiredEmailTokens(db, now);
}

/** Whose password a live link resets (for the page the link opens). */
export async function readResetLink(db: Directory, token: string): Promise<EmailTokenRecord> {
	const record = await findLiveEmailToken(db, await sha256Hex(token), "password_reset", new Date());
	if (!record) throw deadLink();
	return record;
}

/**
 * Sets the new password through a live link, which it uses up (the address counts as verified
 * from then on), and ends every session of the person: the cached ones in this isolate at once, the live sockets in each of their accounts.
 * (Another isolate may still know a session for up to auth-cache.ts's TTL, 10 seconds.)
 */
export async function resetPassword(env: Env, db: Directory, token: string, password: string): Promise<{ personId: string }> {
	const tokenHash = await sha256Hex(token);
	const record = await findLiveEmailToken(db, tokenHash, "password_reset", new Date());
	if (!record) throw deadLink();
	assertAcceptablePassword(password, { email: record.email, name: record.name });
	const hash = await hashPassword(password);
	const ended = await resetPasswordWithToken(db, { tokenHash, personId: record.personId, email: record.email, password: hash, now: new Date() });
	if (!ended) throw deadLink();
	for (const session of ended) sessionCache.delete(session);
	const accounts = await listMemberships(db, record.personId);
	const closed = await Promise.allSettled(accounts.map((m) => accountStub(env, m.account.id).closeSocketsOf(record.personId)));
	for (const outcome of closed) {
		if (outcome.status === "rejected") console.error(JSON.stringify({ level: "error", what: "closing sockets after a password reset", error: String(outcome.reason) }));
	}
	return { personId: record.personId };
}

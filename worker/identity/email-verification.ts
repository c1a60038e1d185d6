// E-mail verification. A person who signs up gets a mail with a single-use link (24 hours; only
// its hash stored); until they follow it their address is unverified, which holds back exactly
// what would let a throwaway sign-up use Trustdesk to mail strangers:
// - no notification e-mails go to them (only this verification mail);
// - invitations they send (or an API token they made sends) are created as usual, but their
//   e-mails are held, and sent once they verify (re-sending is refused until then).
// Everything else works. A sign-in created from an invitation link is verified from the start:
// the link was mailed to that address. People who signed in before verification existed were
// taken as verified by the migration that added it.
import type { Context } from "hono";
import type { Directory } from "../db/client";
import { emailVerifiedAt, findLiveEmailToken, replaceEmailToken, verifyEmailWithToken } from "../db/email-tokens";
import { reserveAttempt } from "../db/throttle";
import type { AppEnv } from "../env";
import { AppError } from "../http/errors";
import type { EmailVerified } from "../shared/identity-api";
import { sha256Hex } from "./crypto";
import { mailingAccountOf, newLinkToken, pageUrl, queueIdentityMail } from "./mail";
import { verifyRules } from "./throttle-rules";

export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

const deadLink = () =>
	new AppError("not_found", "This confirmation link does not work any more: it was used, replaced by a newer one, or expired. Sign in and ask for a new one.");

/** True if the person's address is verified. */
export async function isVerified(db: Directory, personId: string): Promise<boolean> {
	return Boolean(await emailVerifiedAt(db, personId));
}

/**
 * Mails the person a new verification link (the previous one stops working), from the outbox of
 * `preferred` if they are a member of it. False if they belong to no account (no outbox).
 */
export async function mailVerificationLink(c: Context<AppEnv>, db: Directory, person: { id: string; email: string; name: string }, preferred: string | undefined): Promise<boolean> {
	const accountId = await mailingAccountOf(db, person.id, preferred);
	if (!accountId) return false;
	const now = new Date();
	const { token, tokenHash } = await newLinkToken();
	await replaceEmailToken(db, { tokenHash, purpose: "email_verification", personId: person.id, email: person.email, now, expiresAt: new Date(now.getTime() + VERIFICATION_TTL_MS) });
	await queueIdentityMail(c.env, accountId, {
		kind: "email_verification",
		to: { email: person.email, name: person.name, personId: person.id },
		subject: "Confirm your e-mail address for Trustdesk",
		paragraphs: [
			`Welcome, ${person.name}. Please confirm that ${person.email} is your address, so that Trustdesk can send you notifications and your invitations.`,
			"The link works once, for 24 hours. If you did not sign up for Trustdesk, ignore this e-mail.",
		],
		action: { label: "Confirm my e-mail address", url: pageUrl(c, `/verify-email?token=${token}`) },
		sensitive: true,
	});
	return true;
}

/** The signed-in person asks for a new link: refused when already verified, throttled. */
export async function resendVerification(c: Context<AppEnv>, db: Directory, person: { id: string; email: string; name: string }, preferred: string | undefined): Promise<void> {
	if (await isVerified(db, person.id)) throw new AppError("conflict", `${person.email} is already confirmed.`);
	const reservation = await reserveAttempt(db, verifyRules(person.id), Date.now());
	if (!reservation.reserved) {
		const seconds = Math.ceil(reservation.waitMs / 1000);
		throw new AppError("rate_limited", "A confirmation e-mail was sent just now. Check your mailbox (and its spam folder), or try again later.", undefined, {
			"Retry-After": String(seconds),
		});
	}
	if (!(await mailVerificationLink(c, db, person, preferred))) {
		throw new AppError("conflict", "You are not a member of any account, so there is no account to send the e-mail from.");
	}
}

/** Follows a verification link: the person's address is verified, the link used up. */
export async function confirmEmail(db: Directory, token: string): Promise<EmailVerified & { personId: string }> {
	const tokenHash = await sha256Hex(token);
	const now = new Date();
	// Looked up first so that a link of an address the person no longer has reads as dead.
	if (!(await findLiveEmailToken(db, tokenHash, "email_verification", now))) throw deadLink();
	const used = await verifyEmailWithToken(db, tokenHash, now);
	if (!used) throw deadLink();
	const at = (await emailVerifiedAt(db, used.personId)) ?? now;
	return { personId: used.personId, email: used.email, verifiedAt: at.toISOString() };
}

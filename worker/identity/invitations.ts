// Inviting people into an account, and the invitee's answers. Nobody becomes a member of an
// account without accepting: an administrator only ever creates an invitation, and the answer to
// that is the same whether or not the address already signs in to Trustdesk, so inviting cannot be
// used to find out who is registered.
import type { Context } from "hono";
import type { Directory } from "../db/client";
import {
	acceptInvitation,
	acceptInvitationAsNewPerson,
	declineInvitation,
	findInvitationForEmail,
	isMemberByEmail,
	listHeldInvitations,
	markNotMailed,
	openInvitationId,
	pendingInvitation,
	replaceInvitationToken,
	statusOf,
	toInvitation,
	upsertInvitation,
	type InvitationRecord,
} from "../db/invitations";
import { findPersonByEmail } from "../db/people";
import { tokenCreator } from "../db/tokens";
import type { AccountContext, Actor, AppEnv } from "../env";
import { AppError, notFound } from "../http/errors";
import { directoryKey } from "../http/idempotency";
import type { CreatedInvitation, Invitation, InvitePersonInput } from "../shared/invitation-api";
import { newId } from "./crypto";
import { isVerified } from "./email-verification";
import { newLinkToken, pageUrl, queueIdentityMail } from "./mail";
import { hashPassword } from "./password";
import { assertAcceptablePassword } from "./password-policy";

/** The accept link for a token: on the main address (PUBLIC_URL), else the request's origin. */
export function acceptUrlOf(c: Context<AppEnv>, token: string): string {
	return pageUrl(c, `/invitations/${token}`);
}

/**
 * Whether invitations by this actor are e-mailed now, or held until the inviter verifies their own
 * address (email-verification.ts): a person's own address, an API token's maker's.
 */
async function mayMailInvitations(db: Directory, actor: Actor): Promise<boolean> {
	const personId = actor.type === "person" ? actor.id : await tokenCreator(db, actor.id);
	return personId !== undefined && (await isVerified(db, personId));
}

/**
 * Queues the invitation e-mail in the inviting account's outbox. Someone without a Trustdesk
 * sign-in gets the link to the page that creates it (and accepts); someone with one, the link
 * to sign in and accept. The same work (one lookup, one queued mail) either way.
 */
async function mailInvitation(
	c: Context<AppEnv>,
	db: Directory,
	row: { accountId: string; accountName: string; email: string; name: string; invitedByType: "person" | "token"; invitedByName: string; expiresAt: Date },
	token: string,
): Promise<void> {
	const known = await findPersonByEmail(db, row.email);
	const url = acceptUrlOf(c, token);
	const until = row.expiresAt.toISOString().slice(0, 10);
	// An API token's name ("HR sync") means nothing to the invitee: the account invites then.
	const inviter = row.invitedByType === "person" ? row.invitedByName : row.accountName;
	await queueIdentityMail(c.env, row.accountId, {
		kind: "invitation",
		to: { email: row.email, name: row.name },
		subject: `${inviter} invites you to ${row.accountName} on Trustdesk`,
		paragraphs: known
			? [`${inviter} invited you to join ${row.accountName} on Trustdesk.`, `Sign in as ${row.email} and accept the invitation. It is open until ${until}.`]
			: [
					`${inviter} invited you to join ${row.accountName} on Trustdesk.`,
					`Choose a password to create your sign-in for ${row.email}; you join ${row.accountName} at once. The invitation is open until ${until}.`,
				],
		action: known ? { label: "Sign in and accept", url } : { label: "Choose a password and join", url: `${url}?new=1` },
		sensitive: true,
	});
}

/** Mails the invitation; if the queue refuses, the invitation stays (not mailed) and the error is logged. */
async function tryMailInvitation(c: Context<AppEnv>, db: Directory, row: Parameters<typeof mailInvitation>[2] & { id: string }, token: string): Promise<boolean> {
	try {
		await mailInvitation(c, db, row, token);
		return true;
	} catch (err) {
		console.error(JSON.stringify({ level: "error", what: "invitation mail", invitation: row.id, error: String(err) }));
		await markNotMailed(db, row.id);
		return false;
	}
}

export const invitationNotFound = () => notFound("invitation");

/** Why an invitation that is not pending cannot be answered, as the 409 says it. */
export function notPending(row: InvitationRecord, now: Date): AppError {
	const status = statusOf(row, now);
	const messages: Record<typeof status, string> = {
		pending: "The invitation changed meanwhile. Reload and try again.",
		accepted: `This invitation to ${row.accountName} was already accepted. Sign in to use the account.`,
		declined: `This invitation to ${row.accountName} was declined. Ask its administrator to invite you again.`,
		revoked: `This invitation to ${row.accountName} was withdrawn by the account. Ask its administrator to invite you again.`,
		expired: `This invitation to ${row.accountName} expired on ${row.expiresAt.toISOString().slice(0, 10)}. Ask its administrator to invite you again.`,
	};
	return new AppError("conflict", messages[status]);
}

/**
 * Invites `input.email` into the account, or refreshes the address's open invitation there. The
 * same statements run whether or not the address signs in already; only a current member of the
 * account (whom the administrator sees in the people list anyway) is refused. The answer is known
 * before the write, so that an Idempotency-Key records it in the same batch.
 */
export async function invitePerson(c: Context<AppEnv>, db: Directory, account: AccountContext, input: InvitePersonInput): Promise<CreatedInvitation> {
	const key = await directoryKey<CreatedInvitation>(c, db, account.id);
	if (key.replay) return key.replay;
	if (await isMemberByEmail(db, account.id, input.email)) {
		throw new AppError("conflict", `${input.email} is already a member of ${account.name}.`, [{ path: "email", message: "Already a member of this account." }]);
	}
	const { token, tokenHash } = await newLinkToken();
	const now = new Date();
	const id = (await openInvitationId(db, account.id, input.email)) ?? newId("inv");
	const mail = await mayMailInvitations(db, account.actor);
	const row = pendingInvitation({ id, accountId: account.id, email: input.email, name: input.name, roles: input.roles, invitedBy: account.actor, tokenHash, now, mailedAt: mail ? now : null });
	const answer: CreatedInvitation = { invitation: toInvitation({ ...row, accountName: account.name }, now), acceptUrl: acceptUrlOf(c, token) };
	try {
		await db.batch([upsertInvitation(db, row), ...(await key.record(answer))]);
	} catch (err) {
		const twin = await key.twin();
		if (twin) return twin;
		throw err;
	}
	// After the write, so that no mail carries a link that was never stored.
	if (mail && !(await tryMailInvitation(c, db, { ...row, accountName: account.name }, token))) {
		return { ...answer, invitation: { ...answer.invitation, mailedAt: null } };
	}
	return answer;
}

/**
 * A new accept link for a pending invitation of the account, handed to the caller and not mailed
 * (the old link, the mailed one too, stops working).
 */
export async function renewLink(c: Context<AppEnv>, db: Directory, row: InvitationRecord): Promise<string> {
	const now = new Date();
	const { token, tokenHash } = await newLinkToken();
	if (!(await replaceInvitationToken(db, row.accountId, row.id, tokenHash, now, null))) throw notPending(row, now);
	return acceptUrlOf(c, token);
}

/**
 * Mails a pending invitation again, with a new link (the old one stops working; the expiry stays).
 * Refused while the caller's own address (a token's maker's) is unverified.
 */
export async function resendInvitation(c: Context<AppEnv>, db: Directory, account: AccountContext, row: InvitationRecord): Promise<Invitation> {
	const now = new Date();
	if (statusOf(row, now) !== "pending") throw notPending(row, now);
	if (!(await mayMailInvitations(db, account.actor))) {
		throw new AppError(
			"forbidden",
			account.actor.type === "person"
				? "Confirm your own e-mail address first (see the link we sent you); invitation e-mails are sent once you have."
				: "The person who made this API token has not confirmed their e-mail address, so its invitations are not e-mailed.",
		);
	}
	const { token, tokenHash } = await newLinkToken();
	if (!(await replaceInvitationToken(db, row.accountId, row.id, tokenHash, now, now))) throw notPending(row, now);
	if (!(await tryMailInvitation(c, db, row, token))) throw new AppError("unavailable", "The e-mail could not be queued just now. Try again in a moment.");
	return toInvitation({ ...row, tokenHash, mailedAt: now }, now);
}

/** Sends the e-mails of the person's invitations that were held while they were unverified. */
export async function releaseHeldInvitations(c: Context<AppEnv>, db: Directory, personId: string): Promise<number> {
	const now = new Date();
	let sent = 0;
	for (const row of await listHeldInvitations(db, personId, now)) {
		const { token, tokenHash } = await newLinkToken();
		if (!(await replaceInvitationToken(db, row.accountId, row.id, tokenHash, now, now))) continue;
		if (await tryMailInvitation(c, db, row, token)) sent += 1;
	}
	return sent;
}

/** The signed-in person accepts an invitation addressed to their e-mail address. */
export async function accept(db: Directory, person: { id: string; email: string }, id: string): Promise<Invitation> {
	const now = new Date();
	const accepted = await acceptInvitation(db, person, id, now);
	const row = await findInvitationForEmail(db, person.email, id);
	// Someone else's invitation is not theirs to know about: 404, exactly as for an unknown id.
	if (!row) throw invitationNotFound();
	if (!accepted) throw notPending(row, now);
	return toInvitation(row, now);
}

/** The signed-in person declines an invitation addressed to them. */
export async function decline(db: Directory, person: { email: string }, id: string): Promise<Invitation> {
	const now = new Date();
	const declined = await declineInvitation(db, person.email, id, now);
	const row = await findInvitationForEmail(db, person.email, id);
	if (!row) throw invitationNotFound();
	if (!declined) throw notPending(row, now);
	return toInvitation(row, now);
}

/** D1's error when the address got a sign-in first (the people.email unique index). */
function isTakenEmail(err: unknown): boolean {
	return err instanceof Error && /UNIQUE constraint failed: people\.email/i.test(err.message);
}

/**
 * The holder of an accept link creates the sign-in of the invited address and accepts, in one
 * step. Only for an address that has no sign-in yet: an existing person signs in and accepts, so
 * nobody can set another person's password through a link.
 */
export async function signUpAndAccept(
	db: Directory,
	row: InvitationRecord,
	input: { name: string; password: string },
): Promise<{ id: string; name: string; email: string }> {
	const now = new Date();
	if (statusOf(row, now) !== "pending") throw notPending(row, now);
	assertAcceptablePassword(input.password, { email: row.email, name: input.name });
	const person = { id: newId("psn"), email: row.email, name: input.name, password: await hashPassword(input.password) };
	let accepted: boolean;
	try {
		accepted = await acceptInvitationAsNewPerson(db, row, person, now);
	} catch (err) {
		if (!isTakenEmail(err)) throw err;
		throw new AppError("conflict", `${row.email} already has a Trustdesk sign-in. Sign in with it to accept the invitation.`);
	}
	if (!accepted) throw notPending(row, now);
	return { id: person.id, name: person.name, email: person.email };
}

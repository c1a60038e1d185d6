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
	openInvitationId,
	pendingInvitation,
	replaceInvitationToken,
	statusOf,
	toInvitation,
	upsertInvitation,
	type InvitationRecord,
} from "../db/invitations";
import type { AccountContext, AppEnv } from "../env";
import { AppError, notFound } from "../http/errors";
import { directoryKey } from "../http/idempotency";
import type { CreatedInvitation, Invitation, InvitePersonInput } from "../shared/invitation-api";
import { base64url, newId, randomBytes, sha256Hex } from "./crypto";
import { hashPassword } from "./password";
import { assertAcceptablePassword } from "./password-policy";

/** The accept link for a token: on the main address (PUBLIC_URL), else the request's origin. */
export function acceptUrlOf(c: Context<AppEnv>, token: string): string {
	const origin = (c.env.PUBLIC_URL || new URL(c.req.url).origin).replace(/\/$/, "");
	return `${origin}/invitations/${token}`;
}

async function newToken(): Promise<{ token: string; tokenHash: string }> {
	const token = base64url(randomBytes(32));
	return { token, tokenHash: await sha256Hex(token) };
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
	const { token, tokenHash } = await newToken();
	const now = new Date();
	const id = (await openInvitationId(db, account.id, input.email)) ?? newId("inv");
	const row = pendingInvitation({ id, accountId: account.id, email: input.email, name: input.name, roles: input.roles, invitedBy: account.actor, tokenHash, now });
	const answer: CreatedInvitation = { invitation: toInvitation({ ...row, accountName: account.name }, now), acceptUrl: acceptUrlOf(c, token) };
	try {
		await db.batch([upsertInvitation(db, row), ...(await key.record(answer))]);
	} catch (err) {
		const twin = await key.twin();
		if (twin) return twin;
		throw err;
	}
	return answer;
}

/** A new accept link for a pending invitation of the account (the old link stops working). */
export async function renewLink(c: Context<AppEnv>, db: Directory, row: InvitationRecord): Promise<string> {
	const now = new Date();
	const { token, tokenHash } = await newToken();
	if (!(await replaceInvitationToken(db, row.accountId, row.id, tokenHash, now))) throw notPending(row, now);
	return acceptUrlOf(c, token);
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

// Invitations in the directory: created and refreshed by an account's administrators, found by the
// invitee through their e-mail address or the accept link's hash, and turned into a membership only
// by the invitee. Every state change is one conditional statement (or one batch), so that two
// clicks at once — accept and revoke, accept twice — cannot both win.
import { and, desc, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../env";
import type { Invitation, InvitationStatus } from "../shared/invitation-api";
import type { Role } from "../shared/roles";
import type { Directory } from "./client";
import type { NewPerson } from "./people";
import { accounts, apiTokens, invitations, memberships, people } from "./schema";

/** How long an accept link works. Re-inviting the address starts the period again. */
export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** Answered invitations stay in the account's list this long, so the administrator sees outcomes. */
export const ANSWERED_SHOWN_MS = 30 * 24 * 60 * 60 * 1000;

type Row = typeof invitations.$inferSelect;
export type InvitationRecord = Row & { accountName: string };

/** Not accepted, declined or revoked: the condition of the partial unique index, word for word. */
const OPEN = sql`accepted_at is null and declined_at is null and revoked_at is null`;
const isOpen = () => and(isNull(invitations.acceptedAt), isNull(invitations.declinedAt), isNull(invitations.revokedAt));
const isPending = (now: Date) => and(isOpen(), gt(invitations.expiresAt, now));

export function statusOf(row: Row, now: Date): InvitationStatus {
	if (row.acceptedAt) return "accepted";
	if (row.declinedAt) return "declined";
	if (row.revokedAt) return "revoked";
	return row.expiresAt.getTime() > now.getTime() ? "pending" : "expired";
}

export function toInvitation(row: InvitationRecord, now: Date): Invitation {
	const responded = row.acceptedAt ?? row.declinedAt ?? row.revokedAt;
	return {
		id: row.id,
		account: { id: row.accountId, name: row.accountName },
		email: row.email,
		name: row.name,
		roles: row.roles,
		status: statusOf(row, now),
		invitedBy: { type: row.invitedByType, name: row.invitedByName },
		createdAt: row.createdAt.toISOString(),
		expiresAt: row.expiresAt.toISOString(),
		respondedAt: responded ? responded.toISOString() : null,
		mailedAt: row.mailedAt ? row.mailedAt.toISOString() : null,
	};
}

async function selectWithAccount(db: Directory, where: SQL | undefined, limit?: number): Promise<InvitationRecord[]> {
	const query = db
		.select({ row: invitations, accountName: accounts.name })
		.from(invitations)
		.innerJoin(accounts, eq(accounts.id, invitations.accountId))
		.where(where)
		.orderBy(desc(invitations.createdAt), desc(invitations.id));
	const rows = limit === undefined ? await query : await query.limit(limit);
	return rows.map((r) => ({ ...r.row, accountName: r.accountName }));
}

/**
 * True if the address signs in as a member of the account. The one lookup an invitation makes by
 * address, whether or not the address is registered, so the answer's timing tells nothing either.
 */
export async function isMemberByEmail(db: Directory, accountId: string, email: string): Promise<boolean> {
	const [row] = await db
		.select({ one: sql<number>`1` })
		.from(memberships)
		.innerJoin(people, eq(people.id, memberships.personId))
		.where(and(eq(memberships.accountId, accountId), eq(people.email, email)))
		.limit(1);
	return row !== undefined;
}

/**
 * Creates the account's invitation for the address, or refreshes its open one (new roles, name,
 * link and expiry) so that re-inviting never piles up duplicates.
 */
/** The id of the account's open invitation for `email`, if there is one (re-inviting refreshes it). */
export async function openInvitationId(db: Directory, accountId: string, email: string): Promise<string | undefined> {
	const row = await db
		.select({ id: invitations.id })
		.from(invitations)
		.where(and(eq(invitations.accountId, accountId), eq(invitations.email, email), isOpen()))
		.get();
	return row?.id;
}

/**
 * The statement that creates the invitation, or refreshes the address's open one (keeping its id):
 * new name, roles, inviter, link and period. A statement, not a call, so that the route can run it
 * in one batch with the record of its Idempotency-Key.
 */
export function upsertInvitation(db: Directory, row: Row) {
	const { id, accountId, email, ...fresh } = row;
	return db
		.insert(invitations)
		.values(row)
		.onConflictDoUpdate({ target: [invitations.accountId, invitations.email], targetWhere: OPEN, set: fresh });
}

/** A new pending invitation's row, as `upsertInvitation` writes it. */
export function pendingInvitation(i: {
	id: string;
	accountId: string;
	email: string;
	name: string;
	roles: Role[];
	invitedBy: Actor;
	tokenHash: string;
	now: Date;
	/** Set when the invitation e-mail goes out with this link; null while it is held. */
	mailedAt: Date | null;
}): Row {
	return {
		id: i.id,
		accountId: i.accountId,
		email: i.email,
		name: i.name,
		roles: i.roles,
		invitedByType: i.invitedBy.type,
		invitedById: i.invitedBy.id,
		invitedByName: i.invitedBy.name,
		tokenHash: i.tokenHash,
		createdAt: i.now,
		expiresAt: new Date(i.now.getTime() + INVITATION_TTL_MS),
		acceptedAt: null,
		acceptedBy: null,
		declinedAt: null,
		revokedAt: null,
		mailedAt: i.mailedAt,
	};
}

/** The account's open invitations and those answered in the last ANSWERED_SHOWN_MS, newest first. */
export async function listAccountInvitations(db: Directory, accountId: string, now: Date): Promise<InvitationRecord[]> {
	const since = new Date(now.getTime() - ANSWERED_SHOWN_MS);
	return selectWithAccount(
		db,
		and(
			eq(invitations.accountId, accountId),
			or(isOpen(), gt(sql`coalesce(${invitations.acceptedAt}, ${invitations.declinedAt}, ${invitations.revokedAt})`, since.getTime())),
		),
		200,
	);
}

/** Pending invitations addressed to `email`, across accounts. */
export async function listPendingForEmail(db: Directory, email: string, now: Date): Promise<InvitationRecord[]> {
	return selectWithAccount(db, and(eq(invitations.email, email), isPending(now)), 100);
}

export async function findAccountInvitation(db: Directory, accountId: string, id: string): Promise<InvitationRecord | undefined> {
	const [row] = await selectWithAccount(db, and(eq(invitations.accountId, accountId), eq(invitations.id, id)), 1);
	return row;
}

export async function findInvitationForEmail(db: Directory, email: string, id: string): Promise<InvitationRecord | undefined> {
	const [row] = await selectWithAccount(db, and(eq(invitations.email, email), eq(invitations.id, id)), 1);
	return row;
}

export async function findInvitationByTokenHash(db: Directory, tokenHash: string): Promise<InvitationRecord | undefined> {
	const [row] = await selectWithAccount(db, eq(invitations.tokenHash, tokenHash), 1);
	return row;
}

/** Revokes an open invitation (pending or expired). False if it was not open. */
export async function revokeInvitation(db: Directory, accountId: string, id: string, now: Date): Promise<boolean> {
	const rows = await db
		.update(invitations)
		.set({ revokedAt: now })
		.where(and(eq(invitations.accountId, accountId), eq(invitations.id, id), isOpen()))
		.returning({ id: invitations.id });
	return rows.length === 1;
}

/**
 * A new accept link for a pending invitation; the old link stops working. `mailedAt`: when the
 * new link is mailed, or null when it is handed to the caller instead. False if not pending.
 */
export async function replaceInvitationToken(db: Directory, accountId: string, id: string, tokenHash: string, now: Date, mailedAt: Date | null): Promise<boolean> {
	const rows = await db
		.update(invitations)
		.set({ tokenHash, mailedAt })
		.where(and(eq(invitations.accountId, accountId), eq(invitations.id, id), isPending(now)))
		.returning({ id: invitations.id });
	return rows.length === 1;
}

/** Records that the invitation's mail could not be queued after all (the link stays valid). */
export async function markNotMailed(db: Directory, id: string): Promise<void> {
	await db.update(invitations).set({ mailedAt: null }).where(eq(invitations.id, id));
}

/**
 * Pending invitations whose e-mail is held because the person was unverified: theirs, and those
 * of API tokens they made.
 */
export async function listHeldInvitations(db: Directory, personId: string, now: Date): Promise<InvitationRecord[]> {
	const byThem = or(
		and(eq(invitations.invitedByType, "person"), eq(invitations.invitedById, personId)),
		and(eq(invitations.invitedByType, "token"), sql`${invitations.invitedById} in (select ${apiTokens.id} from ${apiTokens} where ${apiTokens.createdBy} = ${personId})`),
	);
	return selectWithAccount(db, and(byThem, isNull(invitations.mailedAt), isPending(now)), 100);
}

/** Declines a pending invitation addressed to `email`. False if it was not pending. */
export async function declineInvitation(db: Directory, email: string, id: string, now: Date): Promise<boolean> {
	const rows = await db
		.update(invitations)
		.set({ declinedAt: now })
		.where(and(eq(invitations.email, email), eq(invitations.id, id), isPending(now)))
		.returning({ id: invitations.id });
	return rows.length === 1;
}

/**
 * The membership an invitation grants, inserted only while the invitation is pending. (Inserting
 * from a SELECT lists every column of the table, in the schema's order.)
 */
function grantMembership(db: Directory, personId: string, id: string, email: string, now: Date) {
	// A person who is already a member (the account was created meanwhile, say) keeps their roles.
	return db
		.insert(memberships)
		.select(
			sql`select ${personId}, account_id, roles, ${now.getTime()} from ${invitations}
			where id = ${id} and email = ${email} and ${OPEN} and expires_at > ${now.getTime()}
			and exists (select 1 from ${people} where id = ${personId})`,
		)
		.onConflictDoNothing();
}

function markAccepted(db: Directory, personId: string, id: string, email: string, now: Date) {
	return db
		.update(invitations)
		.set({ acceptedAt: now, acceptedBy: personId })
		.where(and(eq(invitations.id, id), eq(invitations.email, email), isPending(now), sql`exists (select 1 from ${people} where id = ${personId})`))
		.returning({ id: invitations.id });
}

/**
 * Accepts a pending invitation for the signed-in person whose address it is: the membership and
 * the acceptance are written in one batch (one transaction), both or neither.
 */
export async function acceptInvitation(db: Directory, person: { id: string; email: string }, id: string, now: Date): Promise<boolean> {
	const [, accepted] = await db.batch([grantMembership(db, person.id, id, person.email, now), markAccepted(db, person.id, id, person.email, now)]);
	return accepted.length === 1;
}

/**
 * Accepts a pending invitation by creating the sign-in of its address at the same time, in one
 * batch: the person is inserted only while the invitation is pending, so a revoked or expired
 * link creates nobody. Throws D1's UNIQUE error if the address already has a sign-in.
 */
export async function acceptInvitationAsNewPerson(db: Directory, invitation: { id: string; email: string }, person: NewPerson, now: Date): Promise<boolean> {
	const createPerson = db.insert(people).select(
		// The last column is email_verified_at: the link that creates this sign-in was mailed to the address.
		sql`select ${person.id}, ${person.email}, ${person.name}, ${person.password.hash}, ${person.password.salt}, ${person.password.iterations}, ${now.getTime()}, ${now.getTime()}
		where exists (select 1 from ${invitations} where id = ${invitation.id} and email = ${invitation.email} and ${OPEN} and expires_at > ${now.getTime()})`,
	);
	const [, , accepted] = await db.batch([
		createPerson,
		grantMembership(db, person.id, invitation.id, invitation.email, now),
		markAccepted(db, person.id, invitation.id, invitation.email, now),
	]);
	return accepted.length === 1;
}

// People (sign-in identities) and their memberships in accounts.
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AccountPerson, Membership } from "../shared/api";
import type { Role } from "../shared/roles";
import type { PasswordHash } from "../identity/password";
import type { Directory } from "./client";
import { accounts, apiTokens, memberships, people, sessions } from "./schema";

export interface PersonRow {
	id: string;
	email: string;
	name: string;
	passwordHash: string;
	passwordSalt: string;
	passwordIterations: number;
	/** Null while the address is unverified (identity/email-verification.ts). */
	emailVerifiedAt: Date | null;
}

export interface NewPerson {
	id: string;
	email: string;
	name: string;
	password: PasswordHash;
}

function personValues(p: NewPerson) {
	return {
		id: p.id,
		email: p.email,
		name: p.name,
		passwordHash: p.password.hash,
		passwordSalt: p.password.salt,
		passwordIterations: p.password.iterations,
	};
}

export async function findPersonByEmail(db: Directory, email: string): Promise<PersonRow | undefined> {
	return db.query.people.findFirst({ where: eq(people.email, email) });
}

export async function findPerson(db: Directory, id: string): Promise<PersonRow | undefined> {
	return db.query.people.findFirst({ where: eq(people.id, id) });
}

/** Where mail reaches each of these people (one query for a whole mail run); the missing are gone. */
export async function mailAddressesOf(db: Directory, ids: readonly string[]): Promise<Map<string, { email: string; name: string; verified: boolean }>> {
	const found = new Map<string, { email: string; name: string; verified: boolean }>();
	const unique = [...new Set(ids)];
	// D1 binds at most 100 parameters per statement.
	for (let i = 0; i < unique.length; i += 100) {
		const rows = await db
			.select({ id: people.id, email: people.email, name: people.name, verifiedAt: people.emailVerifiedAt })
			.from(people)
			.where(inArray(people.id, unique.slice(i, i + 100)))
			.all();
		for (const r of rows) found.set(r.id, { email: r.email, name: r.name, verified: r.verifiedAt !== null });
	}
	return found;
}

/**
 * Creates an account and makes `admin` its first account administrator, in one atomic batch:
 * either the account exists with its administrator or nothing was written.
 * `admin` is a new person, or the id of a person who already exists. `also` joins the batch
 * (the create's idempotency key).
 */
export async function createAccountWithAdmin(
	db: Directory,
	account: { id: string; name: string },
	admin: NewPerson | { existingPersonId: string },
	also: BatchItem<"sqlite">[] = [],
): Promise<void> {
	const personId = "existingPersonId" in admin ? admin.existingPersonId : admin.id;
	const roles: Role[] = ["account_administrator", "specialist", "end_user"];
	const insertAccount = db.insert(accounts).values(account);
	const insertMembership = db.insert(memberships).values({ personId, accountId: account.id, roles });
	if ("existingPersonId" in admin) {
		await db.batch([insertAccount, insertMembership, ...also]);
	} else {
		await db.batch([insertAccount, db.insert(people).values(personValues(admin)), insertMembership, ...also]);
	}
}

export async function listMemberships(db: Directory, personId: string): Promise<Membership[]> {
	const rows = await db
		.select({ id: accounts.id, name: accounts.name, roles: memberships.roles })
		.from(memberships)
		.innerJoin(accounts, eq(accounts.id, memberships.accountId))
		.where(eq(memberships.personId, personId))
		.orderBy(asc(accounts.name));
	return rows.map((r) => ({ account: { id: r.id, name: r.name }, roles: r.roles }));
}

export async function findMembership(
	db: Directory,
	personId: string,
	accountId: string,
): Promise<{ accountName: string; roles: Role[] } | undefined> {
	const [row] = await db
		.select({ accountName: accounts.name, roles: memberships.roles })
		.from(memberships)
		.innerJoin(accounts, eq(accounts.id, memberships.accountId))
		.where(and(eq(memberships.personId, personId), eq(memberships.accountId, accountId)))
		.limit(1);
	return row;
}

const accountPersonColumns = {
	id: people.id,
	name: people.name,
	email: people.email,
	roles: memberships.roles,
	addedAt: memberships.createdAt,
};

function toAccountPerson(r: { id: string; name: string; email: string; roles: Role[]; addedAt: Date }): AccountPerson {
	return { ...r, addedAt: r.addedAt.toISOString() };
}

export async function listAccountPeople(db: Directory, accountId: string): Promise<AccountPerson[]> {
	const rows = await db
		.select(accountPersonColumns)
		.from(memberships)
		.innerJoin(people, eq(people.id, memberships.personId))
		.where(eq(memberships.accountId, accountId))
		.orderBy(asc(people.name));
	return rows.map(toAccountPerson);
}

export async function findAccountPerson(db: Directory, accountId: string, personId: string): Promise<AccountPerson | undefined> {
	const [row] = await db
		.select(accountPersonColumns)
		.from(memberships)
		.innerJoin(people, eq(people.id, memberships.personId))
		.where(and(eq(memberships.accountId, accountId), eq(memberships.personId, personId)))
		.limit(1);
	return row && toAccountPerson(row);
}

/** A person of the account by their address (one query: the events API asks it per event). */
export async function findAccountPersonByEmail(db: Directory, accountId: string, email: string): Promise<AccountPerson | undefined> {
	const [row] = await db
		.select(accountPersonColumns)
		.from(memberships)
		.innerJoin(people, eq(people.id, memberships.personId))
		.where(and(eq(memberships.accountId, accountId), eq(people.email, email)))
		.limit(1);
	return row && toAccountPerson(row);
}

/** The person who created the token, if they are still a person of its account (one query, as above). */
export async function tokenCreatorInAccount(db: Directory, accountId: string, tokenId: string): Promise<AccountPerson | undefined> {
	const [row] = await db
		.select(accountPersonColumns)
		.from(apiTokens)
		.innerJoin(memberships, and(eq(memberships.personId, apiTokens.createdBy), eq(memberships.accountId, apiTokens.accountId)))
		.innerJoin(people, eq(people.id, memberships.personId))
		.where(and(eq(apiTokens.id, tokenId), eq(apiTokens.accountId, accountId)))
		.limit(1);
	return row && toAccountPerson(row);
}

/** True if someone other than `personId` is an account administrator of the account. */
function anotherAdminExists(accountId: string, personId: string) {
	return sql`exists (select 1 from memberships other where other.account_id = ${accountId}
		and other.person_id <> ${personId}
		and exists (select 1 from json_each(other.roles) where json_each.value = 'account_administrator'))`;
}

/**
 * Changes a person's roles unless that would leave the account without an account
 * administrator. The check runs inside the UPDATE, so two administrators demoting each other at
 * once cannot both succeed. Returns "not_found", "last_admin" or "ok".
 */
export async function updateRoles(
	db: Directory,
	accountId: string,
	personId: string,
	roles: Role[],
): Promise<"ok" | "not_found" | "last_admin"> {
	const keepsAdmin = roles.includes("account_administrator");
	const rows = await db
		.update(memberships)
		.set({ roles })
		.where(
			and(
				eq(memberships.accountId, accountId),
				eq(memberships.personId, personId),
				keepsAdmin ? undefined : anotherAdminExists(accountId, personId),
			),
		)
		.returning({ personId: memberships.personId });
	if (rows.length === 1) return "ok";
	return (await findMembership(db, personId, accountId)) ? "last_admin" : "not_found";
}

/** Removes a person from the account, unless they are its last account administrator. */
export async function removeMembership(db: Directory, accountId: string, personId: string): Promise<"ok" | "not_found" | "last_admin"> {
	const rows = await db
		.delete(memberships)
		.where(
			and(
				eq(memberships.accountId, accountId),
				eq(memberships.personId, personId),
				sql`(not exists (select 1 from json_each(${memberships.roles}) where json_each.value = 'account_administrator') or ${anotherAdminExists(accountId, personId)})`,
			),
		)
		.returning({ personId: memberships.personId });
	if (rows.length === 1) return "ok";
	return (await findMembership(db, personId, accountId)) ? "last_admin" : "not_found";
}

/** The account's people among `ids`, by id. Ids of people outside the account are left out. */
export async function namesOfAccountPeople(db: Directory, accountId: string, ids: string[]): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	// D1 binds at most 100 parameters per statement; one goes to the account id.
	for (let i = 0; i < ids.length; i += 90) {
		const chunk = ids.slice(i, i + 90);
		const rows = await db
			.select({ id: people.id, name: people.name })
			.from(memberships)
			.innerJoin(people, eq(people.id, memberships.personId))
			.where(and(eq(memberships.accountId, accountId), inArray(memberships.personId, chunk)));
		for (const r of rows) names.set(r.id, r.name);
	}
	return names;
}

/**
 * Sets a person's password and ends every other session of theirs, in one batch: a thief holding
 * an old session loses it at the moment the password changes. Returns the ended sessions' hashes
 * so the caller can evict them from the per-isolate session cache.
 */
export async function changePassword(db: Directory, personId: string, password: PasswordHash, keepSessionHash: string): Promise<string[]> {
	const [, ended] = await db.batch([
		db
			.update(people)
			.set({ passwordHash: password.hash, passwordSalt: password.salt, passwordIterations: password.iterations })
			.where(eq(people.id, personId)),
		db
			.delete(sessions)
			.where(and(eq(sessions.personId, personId), ne(sessions.tokenHash, keepSessionHash)))
			.returning({ tokenHash: sessions.tokenHash }),
	]);
	return ended.map((s) => s.tokenHash);
}

/** Ids of the account's administrators (they hear of trust events). */
export async function administratorIds(db: Directory, accountId: string): Promise<string[]> {
	const rows = await db
		.select({ id: memberships.personId })
		.from(memberships)
		.where(and(eq(memberships.accountId, accountId), sql`exists (select 1 from json_each(${memberships.roles}) where json_each.value = 'account_administrator')`));
	return rows.map((r) => r.id);
}

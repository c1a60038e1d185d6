// Accounts and the hostnames that point at them.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Directory } from "./client";
import { accountHostnames, accounts } from "./schema";

export interface AccountRow {
	id: string;
	name: string;
	createdAt: Date;
}

export async function findAccount(db: Directory, id: string): Promise<AccountRow | undefined> {
	return db.query.accounts.findFirst({ where: eq(accounts.id, id) });
}

export async function renameAccount(db: Directory, id: string, name: string): Promise<void> {
	await db.update(accounts).set({ name }).where(eq(accounts.id, id));
}

export async function listHostnames(db: Directory, accountId: string): Promise<string[]> {
	const rows = await db
		.select({ hostname: accountHostnames.hostname })
		.from(accountHostnames)
		.where(eq(accountHostnames.accountId, accountId))
		.orderBy(asc(accountHostnames.hostname));
	return rows.map((r) => r.hostname);
}

export async function accountForHostname(db: Directory, hostname: string): Promise<string | undefined> {
	const row = await db.query.accountHostnames.findFirst({ where: eq(accountHostnames.hostname, hostname) });
	return row?.accountId;
}

/**
 * The insert of a hostname, to run in a batch (with the create's idempotency key). It fails with
 * a unique-constraint error when the hostname already points at an account (this one or another).
 */
export function insertHostname(db: Directory, accountId: string, hostname: string) {
	return db.insert(accountHostnames).values({ hostname, accountId });
}

export async function removeHostname(db: Directory, accountId: string, hostname: string): Promise<boolean> {
	const removed = await db
		.delete(accountHostnames)
		.where(and(eq(accountHostnames.hostname, hostname), eq(accountHostnames.accountId, accountId)))
		.returning({ hostname: accountHostnames.hostname });
	return removed.length === 1;
}

/** Names of the given accounts, by id (ids of accounts that no longer exist are left out). */
export async function accountNames(db: Directory, ids: string[]): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	const unique = [...new Set(ids)];
	// D1 binds at most 100 parameters per statement.
	for (let i = 0; i < unique.length; i += 90) {
		const rows = await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, unique.slice(i, i + 90)));
		for (const r of rows) names.set(r.id, r.name);
	}
	return names;
}

// API tokens: bound to one account, carrying scopes; D1 keeps only a SHA-256 of the secret.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { ApiToken } from "../shared/api";
import type { Scope } from "../shared/roles";
import type { Directory } from "./client";
import { accounts, apiTokens, people } from "./schema";

export interface TokenRecord {
	id: string;
	accountId: string;
	accountName: string;
	name: string;
	scopes: Scope[];
	expiresAt: Date | null;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The insert of a new token, to run in a batch (with the create's idempotency key). */
export function insertToken(
	db: Directory,
	t: { id: string; accountId: string; name: string; tokenHash: string; scopes: Scope[]; createdBy: string | null; createdAt: Date; expiresAt: Date | null },
) {
	return db.insert(apiTokens).values(t);
}

export async function findTokenByHash(db: Directory, tokenHash: string): Promise<TokenRecord | undefined> {
	const [row] = await db
		.select({
			id: apiTokens.id,
			accountId: apiTokens.accountId,
			accountName: accounts.name,
			name: apiTokens.name,
			scopes: apiTokens.scopes,
			expiresAt: apiTokens.expiresAt,
			lastUsedAt: apiTokens.lastUsedAt,
			revokedAt: apiTokens.revokedAt,
		})
		.from(apiTokens)
		.innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
		.where(eq(apiTokens.tokenHash, tokenHash))
		.limit(1);
	return row;
}

export async function touchToken(db: Directory, id: string, at: Date): Promise<void> {
	await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

async function selectTokens(db: Directory, accountId: string, tokenId?: string): Promise<ApiToken[]> {
	const rows = await db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			scopes: apiTokens.scopes,
			createdAt: apiTokens.createdAt,
			expiresAt: apiTokens.expiresAt,
			lastUsedAt: apiTokens.lastUsedAt,
			creatorId: people.id,
			creatorName: people.name,
		})
		.from(apiTokens)
		.leftJoin(people, eq(people.id, apiTokens.createdBy))
		.where(
			and(
				eq(apiTokens.accountId, accountId),
				isNull(apiTokens.revokedAt),
				tokenId === undefined ? undefined : eq(apiTokens.id, tokenId),
			),
		)
		.orderBy(desc(apiTokens.createdAt));
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		scopes: r.scopes,
		createdAt: r.createdAt.toISOString(),
		createdBy: r.creatorId && r.creatorName ? { id: r.creatorId, name: r.creatorName } : null,
		expiresAt: iso(r.expiresAt),
		lastUsedAt: iso(r.lastUsedAt),
	}));
}

/** The account's tokens that have not been revoked (expired ones included, so they can be cleaned up). */
export async function listTokens(db: Directory, accountId: string): Promise<ApiToken[]> {
	return selectTokens(db, accountId);
}

export async function findToken(db: Directory, accountId: string, tokenId: string): Promise<ApiToken | undefined> {
	const [token] = await selectTokens(db, accountId, tokenId);
	return token;
}

/** Returns false when the account has no such live token. */
export async function revokeToken(db: Directory, accountId: string, tokenId: string, at: Date): Promise<boolean> {
	const rows = await db
		.update(apiTokens)
		.set({ revokedAt: at })
		.where(and(eq(apiTokens.id, tokenId), eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)))
		.returning({ id: apiTokens.id });
	return rows.length === 1;
}

/** Revokes the live tokens a person created in an account (they left it, or stopped being its administrator). */
export async function revokeTokensCreatedBy(db: Directory, accountId: string, personId: string, at: Date): Promise<number> {
	const rows = await db
		.update(apiTokens)
		.set({ revokedAt: at })
		.where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.createdBy, personId), isNull(apiTokens.revokedAt)))
		.returning({ id: apiTokens.id });
	return rows.length;
}

/** The person who made the token, if they still exist. */
export async function tokenCreator(db: Directory, tokenId: string): Promise<string | undefined> {
	const row = await db.select({ createdBy: apiTokens.createdBy }).from(apiTokens).where(eq(apiTokens.id, tokenId)).get();
	return row?.createdBy ?? undefined;
}

/** Sets a live token's scopes (an app installation's token follows its approved version). */
export async function setTokenScopes(db: Directory, accountId: string, tokenId: string, scopes: Scope[]): Promise<void> {
	await db
		.update(apiTokens)
		.set({ scopes })
		.where(and(eq(apiTokens.id, tokenId), eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)));
}

/** When each of the account's tokens was last used (null: never), by token id. */
export async function lastUsedOf(db: Directory, accountId: string, tokenIds: string[]): Promise<Map<string, string | null>> {
	if (tokenIds.length === 0) return new Map();
	const rows = await db
		.select({ id: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.where(and(eq(apiTokens.accountId, accountId), inArray(apiTokens.id, tokenIds)));
	return new Map(rows.map((r) => [r.id, iso(r.lastUsedAt)]));
}

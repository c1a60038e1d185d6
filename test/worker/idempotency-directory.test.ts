// Idempotency-Key on the creates whose data lives in D1: API tokens, hostnames, new accounts. The
// key's record joins the create's batch; a racing twin loses and answers with the winner's answer;
// D1 holds neither a key nor an answer in readable form (an API token's answer has its secret).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Account, ApiToken, CreatedApiToken, Membership, Session } from "../../worker/shared/api";
import { addMember, callError, callJson, signUp, unique, callItems } from "./helpers";
import { answer, directoryKeys, expectReplay, HOUR, keyed, newKey } from "./idempotency-helpers";

const tokensPath = (accountId: string) => `/accounts/${accountId}/api-tokens`;

async function tokensNamed(admin: { cookie: string; csrf: string }, accountId: string, name: string): Promise<ApiToken[]> {
	return (await callItems<ApiToken>(tokensPath(accountId), { as: admin })).filter((t) => t.name === name);
}

/** Moves every stored key's expiry into the past, as if it had been written a day ago. */
async function ageKeys(): Promise<void> {
	await env.DB.prepare("UPDATE idempotency_keys SET created_at = created_at - ?1, expires_at = expires_at - ?1").bind(25 * HOUR).run();
}

describe("API tokens", () => {
	it("a retried create answers the first answer, secret included, and makes one token that works", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { name: unique("CI"), scopes: ["teams:read"] };
		const first = await answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), admin, key, body), 201);
		expectReplay(first, await answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), admin, key, body), 201));
		expect(await tokensNamed(admin, admin.accountId, body.name)).toEqual([first.body.token]);
		await callJson(`/accounts/${admin.accountId}/teams`, 200, { as: { token: first.body.secret } });
	});

	it("keeps neither the key nor the answer readable in D1", async () => {
		const admin = await signUp();
		const key = newKey();
		const created = await answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), admin, key, { name: unique("CI"), scopes: ["teams:read"] }), 201);
		const stored = JSON.stringify(await directoryKeys());
		expect(stored).toContain(`person:${admin.session.person.id}`);
		expect(stored).not.toContain(key);
		expect(stored).not.toContain(created.body.secret);
		expect(stored).not.toContain(created.body.token.id);
	});

	it("answers a different token with a used key 422 and creates nothing", async () => {
		const admin = await signUp();
		const key = newKey();
		await answer(keyed(tokensPath(admin.accountId), admin, key, { name: unique("CI"), scopes: ["teams:read"] }), 201);
		const other = { name: unique("Other"), scopes: ["teams:read"] };
		await callError(tokensPath(admin.accountId), 422, "idempotency_key_reused", { as: admin, body: other, headers: { "Idempotency-Key": key } });
		expect(await tokensNamed(admin, admin.accountId, other.name)).toEqual([]);
	});

	it("never hands one caller's answer to another: another administrator, another account", async () => {
		const admin = await signUp();
		const colleague = await addMember(admin, admin.accountId, ["account_administrator", "specialist"]);
		const stranger = await signUp();
		const key = newKey();
		const body = { name: unique("CI"), scopes: ["teams:read"] };
		const mine = await answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), admin, key, body), 201);
		const theirs = await answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), colleague, key, body), 201);
		const elsewhere = await answer<CreatedApiToken>(keyed(tokensPath(stranger.accountId), stranger, key, body), 201);
		for (const other of [theirs, elsewhere]) {
			expect(other.replayed).toBe(false);
			expect(other.body.secret).not.toBe(mine.body.secret);
			expect(other.body.token.id).not.toBe(mine.body.token.id);
		}
		expect(await tokensNamed(admin, admin.accountId, body.name)).toHaveLength(2);
		expect(await tokensNamed(stranger, stranger.accountId, body.name)).toHaveLength(1);
		// A key used in another account cannot be used to reach this account's answer either.
		await callError(tokensPath(admin.accountId), 404, "not_found", { as: stranger, body, headers: { "Idempotency-Key": key } });
	});

	it("concurrent identical creates with one key make one token and all answer it", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { name: unique("CI"), scopes: ["teams:read"] };
		const answers = await Promise.all(Array.from({ length: 4 }, () => answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), admin, key, body), 201)));
		expect(new Set(answers.map((a) => a.body.secret)).size).toBe(1);
		expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
		expect(await tokensNamed(admin, admin.accountId, body.name)).toHaveLength(1);
	});

	it("forgets a key after 24 hours: the same create is then a new token, and expired keys are pruned", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { name: unique("CI"), scopes: ["teams:read"] };
		await answer(keyed(tokensPath(admin.accountId), admin, key, body), 201);
		await answer(keyed(tokensPath(admin.accountId), admin, newKey(), { ...body, name: unique("Other") }), 201);
		await ageKeys();
		const again = await answer<CreatedApiToken>(keyed(tokensPath(admin.accountId), admin, key, body), 201);
		expect(again.replayed).toBe(false);
		expect(await tokensNamed(admin, admin.accountId, body.name)).toHaveLength(2);
		// The expired rows (of this file's earlier tests too) went with the write: only the new key is left.
		const rows = await directoryKeys();
		expect(rows).toHaveLength(1);
		expect(Number(rows[0]?.expires_at)).toBeGreaterThan(Date.now() + 23 * HOUR);
	});
});

describe("hostnames", () => {
	it("a retried add answers the first answer instead of 409, and concurrent twins all answer it", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}/hostnames`;
		const key = newKey();
		const body = { hostname: `${unique("support")}.acme.test` };
		const first = await answer<Account>(keyed(path, admin, key, body), 201);
		expect(first.body.hostnames).toEqual([body.hostname]);
		expectReplay(first, await answer<Account>(keyed(path, admin, key, body), 201));
		await callError(path, 409, "conflict", { as: admin, body });
		await callError(path, 422, "idempotency_key_reused", { as: admin, body: { hostname: `${unique("other")}.acme.test` }, headers: { "Idempotency-Key": key } });

		const raceKey = newKey();
		const raced = { hostname: `${unique("race")}.acme.test` };
		const answers = await Promise.all(Array.from({ length: 3 }, () => answer<Account>(keyed(path, admin, raceKey, raced), 201)));
		expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
		expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
		expect((await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin })).hostnames).toEqual([body.hostname, raced.hostname].sort());
	});
});

describe("new accounts", () => {
	it("a retried POST /accounts answers the first answer instead of 409; the account exists once and works", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { accountId: unique("second"), accountName: "Second Account" };
		const first = await answer<Membership>(keyed("/accounts", admin, key, body), 201);
		expectReplay(first, await answer<Membership>(keyed("/accounts", admin, key, body), 201));
		await callError("/accounts", 409, "conflict", { as: admin, body });
		await callError("/accounts", 422, "idempotency_key_reused", { as: admin, body: { ...body, accountId: unique("third") }, headers: { "Idempotency-Key": key } });
		const session = await callJson<Session>("/session", 200, { as: admin });
		expect(session.memberships.filter((m) => m.account.id === body.accountId)).toEqual([first.body]);
		await callJson(`/accounts/${body.accountId}`, 200, { as: admin });
	});

	it("concurrent identical creates with one key all answer the one new account", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { accountId: unique("raced"), accountName: "Raced" };
		const answers = await Promise.all(Array.from({ length: 3 }, () => answer<Membership>(keyed("/accounts", admin, key, body), 201)));
		expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
		for (const a of answers) expect(a.body).toEqual(answers[0]?.body);
	});
});

describe("what a key costs in D1", () => {
	/** The statements a token create prepares and the batches it sends, seen at the D1 binding. */
	async function observe(admin: { cookie: string; csrf: string; accountId: string }, key: string | undefined) {
		const db = env.DB as D1Database;
		const [prepare, batch] = [db.prepare.bind(db), db.batch.bind(db)];
		const prepared: string[] = [];
		const batches: number[] = [];
		db.prepare = (query: string) => {
			prepared.push(query);
			return prepare(query);
		};
		db.batch = (statements: D1PreparedStatement[]) => {
			batches.push(statements.length);
			return batch(statements);
		};
		try {
			const headers: Record<string, string> = key === undefined ? {} : { "Idempotency-Key": key };
			await callJson(tokensPath(admin.accountId), 201, { as: admin, body: { name: unique("CI"), scopes: ["teams:read"] }, headers });
		} finally {
			Reflect.deleteProperty(db, "prepare");
			Reflect.deleteProperty(db, "batch");
		}
		return { batches, keyStatements: prepared.filter((q) => q.includes("idempotency_keys")).map((q) => q.split(" ")[0]) };
	}

	it("without a key, one batch of one insert; with one, an indexed lookup before and the record and a prune probe in the batch", async () => {
		const admin = await signUp();
		expect(await observe(admin, undefined)).toEqual({ batches: [1], keyStatements: [] });
		expect(await observe(admin, newKey())).toEqual({ batches: [3], keyStatements: ["select", "insert", "delete"] });
	});
});


describe("invitations (POST …/people)", () => {
	const peoplePath = (accountId: string) => `/accounts/${accountId}/people`;
	const invitationsOf = async (admin: { cookie: string; csrf: string }, accountId: string, email: string) =>
		(await callItems<{ email: string; id: string }>(`/accounts/${accountId}/invitations`, { as: admin })).filter((i) => i.email === email);

	it("a retried invitation answers the first answer, link included, and leaves one invitation whose link works", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { name: "Ivy Invitee", email: `${unique("ivy")}@example.test`, roles: ["specialist"] };
		const first = await answer<{ invitation: { id: string }; acceptUrl: string }>(keyed(peoplePath(admin.accountId), admin, key, body), 201);
		expectReplay(first, await answer(keyed(peoplePath(admin.accountId), admin, key, body), 201));
		expect((await invitationsOf(admin, admin.accountId, body.email)).map((i) => i.id)).toEqual([first.body.invitation.id]);
		// A fresh invite without the key would have made a new link and broken the first one; the replay did not.
		const token = first.body.acceptUrl.split("/").pop() ?? "";
		await callJson(`/invitation-links/${token}`, 200);
	});

	it("answers another invitation with a used key 422 and invites nobody", async () => {
		const admin = await signUp();
		const key = newKey();
		await answer(keyed(peoplePath(admin.accountId), admin, key, { name: "Ivy", email: `${unique("ivy")}@example.test`, roles: ["specialist"] }), 201);
		const other = { name: "Oscar", email: `${unique("oscar")}@example.test`, roles: ["end_user"] };
		await callError(peoplePath(admin.accountId), 422, "idempotency_key_reused", { as: admin, body: other, headers: { "Idempotency-Key": key } });
		expect(await invitationsOf(admin, admin.accountId, other.email)).toEqual([]);
	});
});

// API tokens: created by administrators, shown once, bound to one account and their scopes.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Account, ApiToken, CreatedApiToken } from "../../worker/shared/api";
import { acceptInvitation, addMember, call, callError, callJson, createToken, expectError, invite, signUp, unique, uniqueEmail, callItems } from "./helpers";

const tokens = (accountId: string) => `/accounts/${accountId}/api-tokens`;

describe("creating and listing tokens", () => {
	it("shows the secret once on creation; the list never shows it", async () => {
		const admin = await signUp();
		const created = await callJson<CreatedApiToken>(tokens(admin.accountId), 201, {
			as: admin,
			body: { name: "Monitoring", scopes: ["account:read", "teams:read", "account:read"] },
		});
		expect(created.secret).toMatch(/^td_[A-Za-z0-9_-]{40,}$/);
		expect(created.token).toMatchObject({
			name: "Monitoring",
			scopes: ["account:read", "teams:read"],
			createdBy: { id: admin.session.person.id, name: "Ada Admin" },
			lastUsedAt: null,
		});
		const list = await call(tokens(admin.accountId), { as: admin });
		const text = await list.text();
		expect(list.status).toBe(200);
		expect(text).not.toContain(created.secret);
		expect(text).not.toContain(created.secret.slice(3));
		const parsed = JSON.parse(text) as { items: ApiToken[]; nextCursor: string | null };
		expect(parsed).toEqual({ items: [created.token], nextCursor: null });
	});

	it("stores only a hash of the secret", async () => {
		const admin = await signUp();
		const created = await createToken(admin, admin.accountId);
		const row = await env.DB.prepare("SELECT * FROM api_tokens WHERE id = ?").bind(created.token.id).first();
		expect(row).not.toBeNull();
		expect(JSON.stringify(row)).not.toContain(created.secret);
	});

	it("expires after 90 days by default, never with expiresInDays: null, or after the given days", async () => {
		const admin = await signUp();
		const day = 24 * 60 * 60 * 1000;
		const byDefault = await createToken(admin, admin.accountId);
		const expires = Date.parse(byDefault.token.expiresAt ?? "");
		expect(Math.abs(expires - (Date.now() + 90 * day))).toBeLessThan(60_000);
		const forever = await callJson<CreatedApiToken>(tokens(admin.accountId), 201, { as: admin, body: { name: "Forever", scopes: ["account:read"], expiresInDays: null } });
		expect(forever.token.expiresAt).toBeNull();
		const week = await callJson<CreatedApiToken>(tokens(admin.accountId), 201, { as: admin, body: { name: "Week", scopes: ["account:read"], expiresInDays: 7 } });
		expect(Math.abs(Date.parse(week.token.expiresAt ?? "") - (Date.now() + 7 * day))).toBeLessThan(60_000);
	});

	it.each([
		["0 days", { expiresInDays: 0 }],
		["367 days", { expiresInDays: 367 }],
		["a fraction of a day", { expiresInDays: 1.5 }],
		["days as a string", { expiresInDays: "30" }],
		["no scopes", { scopes: [] }],
		["the tokens:manage scope", { scopes: ["tokens:manage"] }],
		["the trusts:write scope", { scopes: ["trusts:read", "trusts:write"] }],
		["the messages:manage scope", { scopes: ["messages:manage"] }],
		["the apps:manage scope (installing apps lets another account in)", { scopes: ["apps:manage"] }],
		["the inbox:read scope", { scopes: ["inbox:read"] }],
		["an unknown scope", { scopes: ["everything"] }],
		["an unknown field", { accountId: "other" }],
	])("refuses %s with 400 and creates nothing", async (_what, overrides) => {
		const admin = await signUp();
		await callError(tokens(admin.accountId), 400, "invalid_input", { as: admin, body: { name: "Bad", scopes: ["account:read"], ...overrides } });
		const list = await callItems<ApiToken>(tokens(admin.accountId), { as: admin });
		expect(list).toEqual([]);
	});

	it("is forbidden to a specialist and an end user (403)", async () => {
		const admin = await signUp();
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		const endUser = await addMember(admin, admin.accountId, ["end_user", "auditor"]);
		for (const who of [specialist, endUser]) {
			await callError(tokens(admin.accountId), 403, "forbidden", { as: who, body: { name: "Mine", scopes: ["account:read"] } });
			await callError(tokens(admin.accountId), 403, "forbidden", { as: who });
		}
		expect(await callItems<ApiToken>(tokens(admin.accountId), { as: admin })).toEqual([]);
	});
});

describe("using tokens", () => {
	it("works as a Bearer token within its scopes, and is 403 outside them", async () => {
		const admin = await signUp();
		const { secret } = await createToken(admin, admin.accountId, ["account:read", "people:read"]);
		const as = { token: secret };
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as });
		expect(account.id).toBe(admin.accountId);
		await callJson(`/accounts/${admin.accountId}/people`, 200, { as });
		await callError(`/accounts/${admin.accountId}/teams`, 403, "forbidden", { as });
		await callError(`/accounts/${admin.accountId}`, 403, "forbidden", { method: "PATCH", as, body: { name: "Nope" } });
		await callError(`/accounts/${admin.accountId}/people`, 403, "forbidden", { as, body: { name: "N", email: `${unique("n")}@example.test`, roles: ["end_user"] } });
		const after = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(after.name).toBe(`Account ${admin.accountId}`);
	});

	it("records when a token was last used", async () => {
		const admin = await signUp();
		const created = await createToken(admin, admin.accountId, ["account:read"]);
		await callJson(`/accounts/${admin.accountId}`, 200, { as: { token: created.secret } });
		// The touch is written in waitUntil; poll briefly for it.
		let lastUsedAt: string | null = null;
		for (let i = 0; i < 20 && lastUsedAt === null; i++) {
			const list = await callItems<ApiToken>(tokens(admin.accountId), { as: admin });
			lastUsedAt = list.find((t) => t.id === created.token.id)?.lastUsedAt ?? null;
			if (lastUsedAt === null) await new Promise((r) => setTimeout(r, 25));
		}
		expect(lastUsedAt).not.toBeNull();
	});

	it("stops working at once when revoked (401), and disappears from the list", async () => {
		const admin = await signUp();
		const keep = await createToken(admin, admin.accountId, ["account:read"], "Keep");
		const revoke = await createToken(admin, admin.accountId, ["account:read"], "Revoke");
		await callJson(`/accounts/${admin.accountId}`, 200, { as: { token: revoke.secret } });
		const res = await call(`${tokens(admin.accountId)}/${revoke.token.id}`, { method: "DELETE", as: admin });
		expect(res.status).toBe(204);
		const denied = await call(`/accounts/${admin.accountId}`, { as: { token: revoke.secret } });
		expect(denied.headers.get("WWW-Authenticate")).toMatch(/invalid_token/);
		await expectError(denied, 401, "unauthenticated");
		await callJson(`/accounts/${admin.accountId}`, 200, { as: { token: keep.secret } });
		const list = await callItems<ApiToken>(tokens(admin.accountId), { as: admin });
		expect(list.map((t) => t.id)).toEqual([keep.token.id]);
		await callError(`${tokens(admin.accountId)}/${revoke.token.id}`, 404, "not_found", { method: "DELETE", as: admin });
	});

	it("stops working once expired (401)", async () => {
		const admin = await signUp();
		const created = await createToken(admin, admin.accountId, ["account:read"]);
		await env.DB.prepare("UPDATE api_tokens SET expires_at = ? WHERE id = ?").bind(Date.now() - 1000, created.token.id).run();
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated", { as: { token: created.secret } });
	});

	it("cannot list, create or revoke tokens, even with every scope (403)", async () => {
		const admin = await signUp();
		const created = await createToken(admin, admin.accountId);
		const as = { token: created.secret };
		await callError(tokens(admin.accountId), 403, "forbidden", { as });
		await callError(tokens(admin.accountId), 403, "forbidden", { as, body: { name: "Child", scopes: ["account:read"] } });
		await callError(`${tokens(admin.accountId)}/${created.token.id}`, 403, "forbidden", { method: "DELETE", as });
		await callJson(`/accounts/${admin.accountId}`, 200, { as });
		expect((await callItems<ApiToken>(tokens(admin.accountId), { as: admin })).map((t) => t.id)).toEqual([created.token.id]);
	});

	it("cannot register or act on requests, nor read the Inbox or the realtime socket, even with every scope (403); it reads requests (requests-tokens.test.ts)", async () => {
		const admin = await signUp();
		const as = { token: (await createToken(admin, admin.accountId)).secret };
		const base = `/accounts/${admin.accountId}`;
		const request = `${base}/requests/req_aaaaaaaaaaaaaaaa`;
		await callJson(`${base}/requests`, 200, { as });
		await callError(`${base}/requests`, 403, "forbidden", { as, body: { providerAccountId: "widget-dc", slaId: "sla_aaaaaaaaaaaa", subject: "From a script" } });
		await callError(request, 404, "not_found", { as });
		await callError(`${request}/actions`, 403, "forbidden", { as, body: { type: "note", body: "From a script" } });
		await callError(`${base}/inbox`, 403, "forbidden", { as });
		await callError(`${base}/realtime/tickets`, 403, "forbidden", { as, method: "POST" });
		// The same calls go through for the administrator who made the token.
		await callJson(`${base}/requests`, 200, { as: admin });
		await callJson(`${base}/inbox`, 200, { as: admin });
	});

	it("cannot act as a person: GET /session and POST /accounts are 403", async () => {
		const admin = await signUp();
		const { secret } = await createToken(admin, admin.accountId);
		await callError("/session", 403, "forbidden", { as: { token: secret } });
		await callError("/session", 403, "forbidden", { method: "DELETE", as: { token: secret } });
	});

	it("of account A is 404 on account B, even when its creator is a member of B", async () => {
		const a = await signUp();
		const b = await signUp();
		const { invitation } = await invite(b, b.accountId, { name: "A's admin", email: a.email, roles: ["account_administrator"] });
		await acceptInvitation(a, invitation.id);
		await callJson(`/accounts/${b.accountId}`, 200, { as: a });
		const { secret } = await createToken(a, a.accountId);
		await callError(`/accounts/${b.accountId}`, 404, "not_found", { as: { token: secret } });
		await callError(`/accounts/${b.accountId}/people`, 404, "not_found", { as: { token: secret } });
		await callError(`/accounts/${b.accountId}`, 404, "not_found", { method: "PATCH", as: { token: secret }, body: { name: "Taken over" } });
		const accountB = await callJson<Account>(`/accounts/${b.accountId}`, 200, { as: b });
		expect(accountB.name).toBe(`Account ${b.accountId}`);
	});

	it("refuses a malformed Authorization header with 401 rather than falling back to the cookie", async () => {
		const admin = await signUp();
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated", { as: { cookie: admin.cookie }, headers: { Authorization: "Bearer" } });
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated", { as: { cookie: admin.cookie }, headers: { Authorization: "Token abc" } });
	});
});

describe("tokens and the administrator role", () => {
	it("cannot grant, change or revoke the account administrator role, and changes nothing trying", async () => {
		const admin = await signUp();
		const token = await createToken(admin, admin.accountId, ["people:read", "people:write"]);
		const bot = { token: token.secret };
		const people = `/accounts/${admin.accountId}/people`;
		await callError(people, 403, "forbidden", { as: bot, body: { name: "Mallory", email: uniqueEmail("mallory"), roles: ["account_administrator"] } });
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		await callError(`${people}/${specialist.id}`, 403, "forbidden", { as: bot, method: "PATCH", body: { roles: ["account_administrator", "specialist"] } });
		await callError(`${people}/${admin.session.person.id}`, 403, "forbidden", { as: bot, method: "PATCH", body: { roles: ["end_user"] } });
		await callError(`${people}/${admin.session.person.id}`, 403, "forbidden", { as: bot, method: "DELETE" });
		const after = await callItems<{ id: string; roles: string[] }>(people, { as: admin });
		expect(after.map((p) => p.roles.includes("account_administrator"))).toEqual(
			after.map((p) => p.id === admin.session.person.id),
		);
		// Everything short of the administrator role stays open to it.
		await callJson(people, 201, { as: bot, body: { name: "Sven", email: uniqueEmail("sven"), roles: ["specialist"] } });
		await callJson(`${people}/${specialist.id}`, 200, { as: bot, method: "PATCH", body: { roles: ["specialist", "auditor"] } });
	});

	it("stop working when the administrator who created them leaves the account or stops being administrator", async () => {
		const admin = await signUp();
		const second = await addMember(admin, admin.accountId, ["account_administrator"]);
		const third = await addMember(admin, admin.accountId, ["account_administrator"]);
		const fromSecond = await createToken(second, admin.accountId, ["account:read"]);
		const fromThird = await createToken(third, admin.accountId, ["account:read"]);
		const fromAdmin = await createToken(admin, admin.accountId, ["account:read"]);
		const account = `/accounts/${admin.accountId}`;
		for (const t of [fromSecond, fromThird, fromAdmin]) await callJson(account, 200, { as: { token: t.secret } });

		await call(`${account}/people/${second.id}`, { as: admin, method: "DELETE" });
		await callJson(`${account}/people/${third.id}`, 200, { as: admin, method: "PATCH", body: { roles: ["specialist"] } });

		await callError(account, 401, "unauthenticated", { as: { token: fromSecond.secret } });
		await callError(account, 401, "unauthenticated", { as: { token: fromThird.secret } });
		await callJson(account, 200, { as: { token: fromAdmin.secret } });
	});
});

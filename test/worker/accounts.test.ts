// Accounts: profile, portal design, hostnames, more accounts per person, and the public portal.
import { createExecutionContext, evictDurableObject, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { Account, Membership, PublicPortal, Session } from "../../worker/shared/api";
import type { SlaReport } from "../../worker/shared/sla-api";
import { addMember, call, callError, callJson, createToken, expectError, ORIGIN, signUp, unique } from "./helpers";

const hostname = () => `${unique("support")}.acme.test`;

describe("GET /accounts/{accountId}", () => {
	it("describes the account: design, URL, time zone and the viewer's roles and permissions", async () => {
		const admin = await signUp();
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(account).toMatchObject({
			id: admin.accountId,
			name: `Account ${admin.accountId}`,
			url: `${ORIGIN}/${admin.accountId}/`,
			hostnames: [],
			timeZone: "UTC",
			design: { title: `Account ${admin.accountId}`, logoUrl: null, primaryColor: "#1d4ed8", accentColor: "#0f766e" },
		});
		expect(account.viewer.roles).toEqual(["account_administrator", "specialist", "end_user"]);
		expect(account.viewer.permissions).toEqual([
			"account:read",
			"account:write",
			"apps:manage",
			"catalog:read",
			"events:write",
			"inbox:read",
			"mail:read",
			"messages:manage",
			"notes:internal:read",
			"people:read",
			"people:write",
			"reports:read",
			"requests:read",
			"services:read",
			"services:write",
			"slas:read",
			"slas:write",
			"teams:read",
			"teams:write",
			"tokens:manage",
			"trusts:read",
			"trusts:write",
			"webhooks:read",
			"webhooks:write",
		]);
	});

	it("shows an end user only the account:read, catalog:read and requests:read permissions", async () => {
		const admin = await signUp();
		const endUser = await addMember(admin, admin.accountId, ["end_user"]);
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: endUser });
		expect(account.viewer).toEqual({ roles: ["end_user"], permissions: ["account:read", "catalog:read", "requests:read"] });
	});

	it("shows a specialist the staff reads, and a service level manager services:write, slas:write and reports:read on top", async () => {
		const admin = await signUp();
		const reads = ["account:read", "catalog:read", "inbox:read", "people:read", "requests:read", "services:read", "slas:read", "teams:read", "trusts:read"];
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		expect((await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: specialist })).viewer.permissions).toEqual(reads);
		const manager = await addMember(admin, admin.accountId, ["specialist", "service_level_manager"]);
		expect((await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: manager })).viewer.permissions).toEqual([...reads, "reports:read", "services:write", "slas:write"].sort());
		const auditor = await addMember(admin, admin.accountId, ["auditor"]);
		expect((await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: auditor })).viewer.permissions).toEqual([...reads, "reports:read"].sort());
	});

	it("shows a token its scopes as permissions and no roles", async () => {
		const admin = await signUp();
		const { secret } = await createToken(admin, admin.accountId, ["account:read", "teams:read"]);
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: { token: secret } });
		expect(account.viewer).toEqual({ roles: [], permissions: ["account:read", "teams:read"] });
	});

	it("answers 401 without credentials", async () => {
		const admin = await signUp();
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated");
	});
});

describe("PATCH /accounts/{accountId}", () => {
	it("renames the account; the session's memberships and the public portal show the new name", async () => {
		const admin = await signUp();
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { method: "PATCH", as: admin, body: { name: "Acme Support" } });
		expect(account.name).toBe("Acme Support");
		const session = await callJson<Session>("/session", 200, { as: admin });
		expect(session.memberships[0]?.account.name).toBe("Acme Support");
		const portal = await callJson<PublicPortal>(`/portals/${admin.accountId}`, 200);
		expect(portal.name).toBe("Acme Support");
		// The object's own copy, which names the account in its requests and reports.
		expect((await env.ACCOUNT.getByName(admin.accountId).getProfile())?.name).toBe("Acme Support");
	});

	it("an account made before its profile kept the name learns it from the directory once", async () => {
		const admin = await signUp();
		const stub = env.ACCOUNT.getByName(admin.accountId);
		expect((await stub.getProfile())?.name).toBe(`Account ${admin.accountId}`);
		await runInDurableObject(stub, (_instance, state) => {
			state.storage.sql.exec("UPDATE account SET name = NULL");
		});
		await evictDurableObject(stub); // the object holds its profile in memory
		const again = env.ACCOUNT.getByName(admin.accountId);
		expect((await again.getProfile())?.name).toBeNull();
		const report = await callJson<SlaReport>(`/accounts/${admin.accountId}/sla-reports?from=2026-01-01&until=2026-01-31`, 200, { as: admin });
		expect(report.provider.name).toBe(`Account ${admin.accountId}`);
		expect((await again.getProfile())?.name).toBe(`Account ${admin.accountId}`);
	});

	it("changes the time zone", async () => {
		const admin = await signUp();
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { method: "PATCH", as: admin, body: { timeZone: "Europe/Amsterdam" } });
		expect(account.timeZone).toBe("Europe/Amsterdam");
		const again = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(again.timeZone).toBe("Europe/Amsterdam");
	});

	it("refuses an unknown time zone with 400 and keeps the old one", async () => {
		const admin = await signUp();
		await callError(`/accounts/${admin.accountId}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { timeZone: "Mars/Olympus_Mons" } });
		await callError(`/accounts/${admin.accountId}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { name: "New name", timeZone: "Nowhere" } });
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(account.timeZone).toBe("UTC");
		expect(account.name).toBe(`Account ${admin.accountId}`);
	});

	it("refuses unknown fields and an empty name with 400", async () => {
		const admin = await signUp();
		await callError(`/accounts/${admin.accountId}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { id: "other" } });
		await callError(`/accounts/${admin.accountId}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { name: "" } });
	});

	it("is forbidden to a specialist (403)", async () => {
		const admin = await signUp();
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		await callError(`/accounts/${admin.accountId}`, 403, "forbidden", { method: "PATCH", as: specialist, body: { name: "Mine" } });
	});
});

describe("PATCH /accounts/{accountId}/design", () => {
	it("changes the given design fields and keeps the others", async () => {
		const admin = await signUp();
		const design = { title: "Acme Help", logoUrl: "https://cdn.acme.test/logo.svg", primaryColor: "#112233", welcomeText: "Hi!" };
		const account = await callJson<Account>(`/accounts/${admin.accountId}/design`, 200, { method: "PATCH", as: admin, body: design });
		expect(account.design).toEqual({ ...design, accentColor: "#0f766e" });
		const portal = await callJson<PublicPortal>(`/portals/${admin.accountId}`, 200);
		expect(portal.design).toEqual(account.design);
		const cleared = await callJson<Account>(`/accounts/${admin.accountId}/design`, 200, { method: "PATCH", as: admin, body: { logoUrl: null } });
		expect(cleared.design).toEqual({ ...design, logoUrl: null, accentColor: "#0f766e" });
	});

	it.each([
		["a colour name", { primaryColor: "red" }],
		["a short hex colour", { accentColor: "#123" }],
		["a javascript: logo URL", { logoUrl: "javascript:alert(1)" }],
		["a data: logo URL", { logoUrl: "data:image/png;base64,AAAA" }],
		["an ftp logo URL", { logoUrl: "ftp://files.acme.test/logo.png" }],
		["a relative logo URL", { logoUrl: "/logo.png" }],
		["an empty title", { title: " " }],
		["a welcome text of 2001 characters", { welcomeText: "x".repeat(2001) }],
		["an unknown field", { fontFamily: "Comic Sans" }],
	])("refuses %s with 400 and keeps the design", async (_what, body) => {
		const admin = await signUp();
		const before = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		await callError(`/accounts/${admin.accountId}/design`, 400, "invalid_input", { method: "PATCH", as: admin, body });
		const after = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(after.design).toEqual(before.design);
	});

	it("accepts an http logo URL", async () => {
		const admin = await signUp();
		const account = await callJson<Account>(`/accounts/${admin.accountId}/design`, 200, { method: "PATCH", as: admin, body: { logoUrl: "http://acme.test/logo.png" } });
		expect(account.design.logoUrl).toBe("http://acme.test/logo.png");
	});
});

describe("hostnames", () => {
	it("adds a hostname (lowercased), lists it, and removes it", async () => {
		const admin = await signUp();
		const host = hostname();
		const added = await callJson<Account>(`/accounts/${admin.accountId}/hostnames`, 201, { as: admin, body: { hostname: host.toUpperCase() } });
		expect(added.hostnames).toEqual([host]);
		const res = await call(`/accounts/${admin.accountId}/hostnames/${host}`, { method: "DELETE", as: admin });
		expect(res.status).toBe(204);
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(account.hostnames).toEqual([]);
		await callError(`/accounts/${admin.accountId}/hostnames/${host}`, 404, "not_found", { method: "DELETE", as: admin });
	});

	it("answers 409 when another account claims the same hostname, and 409 for a repeat", async () => {
		const a = await signUp();
		const b = await signUp();
		const host = hostname();
		await callJson(`/accounts/${a.accountId}/hostnames`, 201, { as: a, body: { hostname: host } });
		await callError(`/accounts/${b.accountId}/hostnames`, 409, "conflict", { as: b, body: { hostname: host } });
		await callError(`/accounts/${a.accountId}/hostnames`, 409, "conflict", { as: a, body: { hostname: host } });
		const accountB = await callJson<Account>(`/accounts/${b.accountId}`, 200, { as: b });
		expect(accountB.hostnames).toEqual([]);
	});

	it("does not let another account remove a hostname it does not own (404)", async () => {
		const a = await signUp();
		const b = await signUp();
		const host = hostname();
		await callJson(`/accounts/${a.accountId}/hostnames`, 201, { as: a, body: { hostname: host } });
		await callError(`/accounts/${b.accountId}/hostnames/${host}`, 404, "not_found", { method: "DELETE", as: b });
		const accountA = await callJson<Account>(`/accounts/${a.accountId}`, 200, { as: a });
		expect(accountA.hostnames).toEqual([host]);
	});

	it.each([["an IP address", "10.0.0.1"], ["a single label", "localhost"], ["a URL", "https://acme.test"], ["a label over 63 characters", `${"a".repeat(64)}.test`]])(
		"refuses %s with 400",
		async (_what, host) => {
			const admin = await signUp();
			await callError(`/accounts/${admin.accountId}/hostnames`, 400, "invalid_input", { as: admin, body: { hostname: host } });
		},
	);

	it("refuses Trustdesk's own hostname with 400, so no account can take over the service's front page", async () => {
		const admin = await signUp();
		const own = new URL(ORIGIN).hostname;
		await callError(`/accounts/${admin.accountId}/hostnames`, 400, "invalid_input", { as: admin, body: { hostname: own } });
		await callError(`/accounts/${admin.accountId}/hostnames`, 400, "invalid_input", { as: admin, body: { hostname: own.toUpperCase() } });
		const res = await call(`${ORIGIN}/`);
		expect(res.status).not.toBe(302);
		await res.body?.cancel();
		const account = await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(account.hostnames).toEqual([]);
	});

	it("with PUBLIC_URL set, refuses its hostname even when called on another host, and builds account URLs from it", async () => {
		const admin = await signUp();
		const { app } = createApp();
		const publicEnv: Env = { ...env, PUBLIC_URL: "https://help.trustdesk.example" };
		const send = async (method: string, path: string, body?: unknown) => {
			const headers = new Headers({ Cookie: admin.cookie, "X-CSRF-Token": admin.csrf });
			if (body !== undefined) headers.set("Content-Type", "application/json");
			const request = new Request(`${ORIGIN}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
			const ctx = createExecutionContext();
			const res = await app.fetch(request, publicEnv, ctx);
			await waitOnExecutionContext(ctx);
			return res;
		};
		await expectError(await send("POST", `/accounts/${admin.accountId}/hostnames`, { hostname: "help.trustdesk.example" }), 400, "invalid_input");
		const account = (await (await send("GET", `/accounts/${admin.accountId}`)).json()) as Account;
		expect(account.url).toBe(`https://help.trustdesk.example/${admin.accountId}/`);
		expect(account.hostnames).toEqual([]);
	});

	it("GET / on a claimed hostname redirects (302) to the account's portal", async () => {
		const admin = await signUp();
		const host = hostname();
		await callJson(`/accounts/${admin.accountId}/hostnames`, 201, { as: admin, body: { hostname: host } });
		const res = await call(`http://${host}/`);
		expect(res.status).toBe(302);
		expect(new URL(res.headers.get("Location") ?? "", `http://${host}`).pathname).toBe(`/${admin.accountId}/`);
		await callJson(`/accounts/${admin.accountId}/hostnames/${host}`, 204, { method: "DELETE", as: admin });
		const after = await call(`http://${host}/`);
		expect(after.status).not.toBe(302);
		await after.body?.cancel();
	});

	it("GET / on an unclaimed hostname does not redirect", async () => {
		const res = await call(`http://${hostname()}/`);
		expect(res.status).not.toBe(302);
		expect(res.headers.get("Location")).toBeNull();
		await res.body?.cancel();
	});
});

describe("POST /accounts", () => {
	it("creates another account for the signed-in person, who can then switch to it", async () => {
		const admin = await signUp();
		const accountId = unique("second");
		const created = await callJson<Membership>("/accounts", 201, { as: admin, body: { accountId, accountName: "Second Co" } });
		expect(created).toEqual({ account: { id: accountId, name: "Second Co" }, roles: ["account_administrator", "specialist", "end_user"] });
		const session = await callJson<Session>("/session", 200, { as: admin });
		expect(session.memberships.map((m) => m.account.id).sort()).toEqual([admin.accountId, accountId].sort());
		const account = await callJson<Account>(`/accounts/${accountId}`, 200, { as: admin });
		expect(account.design.title).toBe("Second Co");
		expect(account.viewer.permissions).toContain("tokens:manage");
	});

	it("answers 409 for a taken account id and 400 for a reserved one", async () => {
		const admin = await signUp();
		const other = await signUp();
		await callError("/accounts", 409, "conflict", { as: admin, body: { accountId: other.accountId, accountName: "Mine now" } });
		await callError(`/accounts/${other.accountId}`, 404, "not_found", { as: admin });
		await callError("/accounts", 400, "invalid_input", { as: admin, body: { accountId: "signin", accountName: "Signin" } });
	});

	it("needs a signed-in person: 401 anonymously, 403 for an API token", async () => {
		const admin = await signUp();
		const { secret } = await createToken(admin, admin.accountId);
		const body = { accountId: unique("tok"), accountName: "Token Co" };
		await callError("/accounts", 401, "unauthenticated", { body });
		await callError("/accounts", 403, "forbidden", { as: { token: secret }, body });
		await callError(`/portals/${body.accountId}`, 404, "not_found");
	});
});

describe("GET /portals/{accountId}", () => {
	it("shows the name and design to anyone, without the account's internals", async () => {
		const admin = await signUp();
		const portal = await callJson<Record<string, unknown>>(`/portals/${admin.accountId}`, 200);
		expect(Object.keys(portal).sort()).toEqual(["design", "id", "name"]);
		expect(portal.id).toBe(admin.accountId);
	});

	it("answers 404 for an unknown account", async () => {
		await callError(`/portals/${unique("nobody")}`, 404, "not_found");
	});
});

// Accounts: create another one, read and change the profile, portal design and hostnames, and
// the public branding the sign-in page shows.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { AccountProfile } from "../account/profile";
import { findAccount, insertHostname, listHostnames, removeHostname, renameAccount } from "../db/accounts";
import { directory } from "../db/client";
import type { AccountContext, AppEnv } from "../env";
import { forgetAccount } from "../http/auth-cache";
import { accountScope, requireSession } from "../http/auth";
import { accountStub, loadProfile } from "../http/account-object";
import { AppError, notFound, unwrap } from "../http/errors";
import { directoryKey, IDEMPOTENCY_PARAMETER, idempotencyKey } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { createAccount } from "../identity/accounts";
import { mailDomain } from "../mail/domain";
import {
	Account,
	AccountId,
	AddHostnameInput,
	CreateAccountInput,
	Hostname,
	Membership,
	PublicPortal,
	UpdateAccountInput,
	UpdatePortalDesignInput,
} from "../shared/api";


export function accountUrl(c: Context<AppEnv>, accountId: string): string {
	const origin = c.env.PUBLIC_URL || new URL(c.req.url).origin;
	return `${origin.replace(/\/$/, "")}/${accountId}/`;
}

/**
 * Hostnames Trustdesk itself is served on. No account may claim one: "/" there would then send
 * every visitor of the service to that account's portal.
 */
function isOwnHostname(c: Context<AppEnv>, hostname: string): boolean {
	const own = [new URL(c.req.url).hostname];
	if (c.env.PUBLIC_URL && URL.canParse(c.env.PUBLIC_URL)) own.push(new URL(c.env.PUBLIC_URL).hostname);
	return own.includes(hostname);
}

async function describeAccount(c: Context<AppEnv>, account: AccountContext, profile: AccountProfile, name = account.name): Promise<Account> {
	return {
		id: account.id,
		name,
		url: accountUrl(c, account.id),
		hostnames: await listHostnames(directory(c.env.DB), account.id),
		timeZone: profile.timeZone,
		createdAt: profile.createdAt,
		design: profile.design,
		mail: { address: `${account.id}@${mailDomain(c.env)}`, intake: profile.mailIntake },
		viewer: { roles: account.roles, permissions: [...account.permissions].sort() },
	};
}

const createAccountRoute = createRoute({
	method: "post",
	path: "/accounts",
	tags: ["Accounts"],
	summary: "Create another account",
	description: "The signed-in person becomes its account administrator and can switch to it.",
	middleware: idempotencyKey,
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { body: jsonBody(CreateAccountInput) },
	responses: { 201: json(Membership, "The new account and your roles in it."), ...errors(400, 401, 403, 409, 415, 422) },
});

const getAccount = createRoute({
	method: "get",
	path: "/accounts/{accountId}",
	tags: ["Accounts"],
	summary: "An account: profile, portal design, URL, and your roles in it",
	middleware: accountScope("account:read"),
	request: { params: AccountParams },
	responses: { 200: json(Account, "The account."), ...errors(401, 403, 404) },
});

const updateAccount = createRoute({
	method: "patch",
	path: "/accounts/{accountId}",
	tags: ["Accounts"],
	summary: "Rename the account, change its time zone or its e-mail intake service",
	middleware: accountScope("account:write"),
	request: { params: AccountParams, body: jsonBody(UpdateAccountInput) },
	responses: { 200: json(Account, "The updated account."), ...errors(400, 401, 403, 404, 415) },
});

const updateDesign = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/design",
	tags: ["Accounts"],
	summary: "Change the portal design: title, logo, colours, welcome text",
	middleware: accountScope("account:write"),
	request: { params: AccountParams, body: jsonBody(UpdatePortalDesignInput) },
	responses: { 200: json(Account, "The account with its new design."), ...errors(400, 401, 403, 404, 415) },
});

const addHostnameRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/hostnames",
	tags: ["Accounts"],
	summary: "Point a hostname at the account's portal",
	description:
		"Requests for / on this hostname are sent to the account's portal. In production the hostname must also be routed to the Worker (a custom domain or Cloudflare for SaaS).",
	middleware: [accountScope("account:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(AddHostnameInput) },
	responses: { 201: json(Account, "The account with the hostname added."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const removeHostnameRoute = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/hostnames/{hostname}",
	tags: ["Accounts"],
	summary: "Remove a hostname from the account",
	middleware: accountScope("account:write"),
	request: { params: AccountParams.extend({ hostname: Hostname }) },
	responses: { 204: { description: "Removed." }, ...errors(400, 401, 403, 404) },
});

const getPortal = createRoute({
	security: [],
	method: "get",
	path: "/portals/{accountId}",
	tags: ["Accounts"],
	summary: "Public branding of an account's portal",
	description: "Name and design only; shown on the account's sign-in page before anyone signs in.",
	request: { params: z.object({ accountId: AccountId }) },
	responses: { 200: json(PublicPortal, "The portal's branding."), ...errors(400, 404) },
});

export const accountRoutes = router()
	.openapi(createAccountRoute, async (c) => {
		const auth = requireSession(c);
		const input = c.req.valid("json");
		const db = directory(c.env.DB);
		// Outside any account: the key is the person's own ("" scope).
		const key = await directoryKey<Membership>(c, db, "");
		if (key.replay) return c.json(key.replay, 201);
		const answer: Membership = { account: { id: input.accountId, name: input.accountName }, roles: ["account_administrator", "specialist", "end_user"] };
		try {
			await createAccount(c.env, db, { ...answer.account, timeZone: input.timeZone }, { existingPersonId: auth.person.id }, await key.record(answer));
		} catch (err) {
			// A twin with the same key made the account first: this one failed on the taken id.
			const twin = await key.twin();
			if (twin) return c.json(twin, 201);
			throw err;
		}
		return c.json(answer, 201);
	})
	.openapi(getAccount, async (c) => {
		const account = c.get("account");
		return c.json(await describeAccount(c, account, await loadProfile(c.env, account)), 200);
	})
	.openapi(updateAccount, async (c) => {
		const account = c.get("account");
		const input = c.req.valid("json");
		let name = account.name;
		if (input.name !== undefined && input.name !== account.name) {
			await renameAccount(directory(c.env.DB), account.id, input.name);
			forgetAccount(account.id);
			name = input.name;
		}
		let profile = await loadProfile(c.env, account);
		// The object's copy of the name follows the directory's; compared with the copy, so a retry
		// after a failure between the two writes still brings it in line.
		if (input.name !== undefined && input.name !== profile.name) profile = unwrap(await accountStub(c.env, account.id).updateName(input.name));
		if (input.timeZone !== undefined) profile = unwrap(await accountStub(c.env, account.id).updateTimeZone(input.timeZone));
		if (input.mailIntake !== undefined) profile = unwrap(await accountStub(c.env, account.id).updateMailIntake(input.mailIntake));
		return c.json(await describeAccount(c, account, profile, name), 200);
	})
	.openapi(updateDesign, async (c) => {
		const account = c.get("account");
		await loadProfile(c.env, account);
		const profile = unwrap(await accountStub(c.env, account.id).updateDesign(c.req.valid("json")));
		return c.json(await describeAccount(c, account, profile), 200);
	})
	.openapi(addHostnameRoute, async (c) => {
		const account = c.get("account");
		const { hostname } = c.req.valid("json");
		const db = directory(c.env.DB);
		const key = await directoryKey<Account>(c, db, account.id);
		if (key.replay) return c.json(key.replay, 201);
		if (isOwnHostname(c, hostname)) {
			throw new AppError("invalid_input", `${hostname} is Trustdesk's own hostname.`, [{ path: "hostname", message: "This is Trustdesk's own hostname." }]);
		}
		// The answer is the account as it will be, so the key can record it in the insert's batch.
		const before = await describeAccount(c, account, await loadProfile(c.env, account));
		const answer: Account = { ...before, hostnames: [...before.hostnames, hostname].sort() };
		try {
			await db.batch([insertHostname(db, account.id, hostname), ...(await key.record(answer))]);
		} catch (err) {
			const twin = await key.twin();
			if (twin) return c.json(twin, 201);
			// drizzle may wrap the driver's error: look at its cause too.
			if (err instanceof Error && /UNIQUE constraint failed: account_hostnames/i.test(`${err.message} ${String(err.cause)}`)) {
				throw new AppError("conflict", `${hostname} already points at an account.`);
			}
			throw err;
		}
		return c.json(answer, 201);
	})
	.openapi(removeHostnameRoute, async (c) => {
		const account = c.get("account");
		const { hostname } = c.req.valid("param");
		if (!(await removeHostname(directory(c.env.DB), account.id, hostname))) throw notFound("hostname");
		return c.body(null, 204);
	})
	.openapi(getPortal, async (c) => {
		const { accountId } = c.req.valid("param");
		const row = await findAccount(directory(c.env.DB), accountId);
		if (!row) throw notFound("account");
		const profile = await loadProfile(c.env, row);
		return c.json({ id: row.id, name: row.name, design: profile.design }, 200);
	});

// Trusts: ask another account for one, answer, end it, change its capabilities. Each side is its
// own AccountObject's record; the two meet only through the handshake's messages.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { TrustView } from "../account/trust-flow";
import { accountNames, findAccount } from "../db/accounts";
import { directory } from "../db/client";
import { listAccountPeople } from "../db/people";
import type { AccountContext, AppEnv } from "../env";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import { newId } from "../identity/crypto";
import { AccountId } from "../shared/api";
import { ProposeCapabilitiesInput, RequestTrustInput, Trust, TRUST_ACTIONS } from "../shared/trust-api";

const TrustParams = AccountParams.extend({ otherAccountId: AccountId });

export function actorOf(account: AccountContext) {
	return { name: account.actor.name, accountId: account.id };
}

/** The acting person too, so that the account's other administrators are told and they are not. */
function commandActor(account: AccountContext) {
	return { ...actorOf(account), personId: account.actor.type === "person" ? account.actor.id : undefined };
}

async function describeTrusts(c: Context<AppEnv>, views: TrustView[]): Promise<Trust[]> {
	const names = await accountNames(directory(c.env.DB), views.map((v) => v.otherAccountId));
	return views.map(({ otherAccountId, ...v }) => ({ ...v, account: { id: otherAccountId, name: names.get(otherAccountId) ?? otherAccountId } }));
}

async function describeTrust(c: Context<AppEnv>, view: TrustView): Promise<Trust> {
	const [trust] = await describeTrusts(c, [view]);
	if (!trust) throw new AppError("internal", "Could not describe the trust.");
	return trust;
}

const listTrusts = createRoute({
	method: "get",
	path: "/accounts/{accountId}/trusts",
	tags: ["Trusts"],
	summary: "Trusts of the account, with their history",
	middleware: accountScope("trusts:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(Trust, "TrustPage"), "Trusts, by other account."), ...errors(401, 403, 404) },
});

const requestTrust = createRoute({
	method: "post",
	path: "/accounts/{accountId}/trusts",
	tags: ["Trusts"],
	summary: "Ask another account for a trust",
	description:
		"ourRole customer: we trust the other account, which may then offer us services through SLAs. ourRole provider: we ask the other account to trust us. The trust becomes active when the other account accepts (or has asked for the same at the same time).",
	middleware: [accountScope("trusts:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(RequestTrustInput) },
	responses: { 201: json(Trust, "The pending (or, if both asked, active) trust."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getTrust = createRoute({
	method: "get",
	path: "/accounts/{accountId}/trusts/{otherAccountId}",
	tags: ["Trusts"],
	summary: "The trust with another account",
	middleware: accountScope("trusts:read"),
	request: { params: TrustParams },
	responses: { 200: json(Trust, "The trust."), ...errors(400, 401, 403, 404) },
});

const actOnTrust = createRoute({
	method: "post",
	path: "/accounts/{accountId}/trusts/{otherAccountId}/{action}",
	tags: ["Trusts"],
	summary: "Answer or end a trust",
	description:
		"accept / reject: answer the other account's request (accepting twice is harmless). cancel: withdraw our own request. deactivate: end an active trust (refused while SLAs between the two accounts are active or scheduled). accept-capabilities / reject-capabilities: answer a capability change the other account proposed.",
	middleware: [accountScope("trusts:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: TrustParams.extend({ action: z.enum(TRUST_ACTIONS) }) },
	responses: { 200: json(Trust, "The trust after the action."), ...errors(400, 401, 403, 404, 409, 422) },
});

const proposeCapabilities = createRoute({
	method: "put",
	path: "/accounts/{accountId}/trusts/{otherAccountId}/capabilities",
	tags: ["Trusts"],
	summary: "Propose new capabilities for an active trust",
	description: "They change only when the other account accepts the proposal.",
	middleware: accountScope("trusts:write"),
	request: { params: TrustParams, body: jsonBody(ProposeCapabilitiesInput) },
	responses: { 200: json(Trust, "The trust with the proposal pending."), ...errors(400, 401, 403, 404, 409, 415) },
});

const customerPeople = createRoute({
	method: "get",
	path: "/accounts/{accountId}/trusts/{otherAccountId}/people",
	tags: ["Trusts"],
	summary: "People of a customer account, for SLA coverage",
	description: "Only while the other account actively trusts this one as its provider.",
	middleware: accountScope("slas:write"),
	request: { params: TrustParams, query: PageQuery },
	responses: {
		200: pageResponse(pageOf(z.object({ id: z.string(), name: z.string(), email: z.string() }), "CustomerPersonPage"), "The customer's people, by name."),
		...errors(400, 401, 403, 404),
	},
});

export const trustRoutes = router()
	.openapi(listTrusts, async (c) =>
		c.json(paged(c, paginate(await describeTrusts(c, await accountStub(c.env, c.get("account").id).listTrusts()), (x) => [x.account.id], c.req.valid("query"))), 200),
	)
	.openapi(requestTrust, async (c) => {
		const account = c.get("account");
		const input = c.req.valid("json");
		if (input.accountId !== account.id && !(await findAccount(directory(c.env.DB), input.accountId))) {
			throw new AppError("not_found", `There is no account "${input.accountId}".`, [{ path: "accountId", message: "No such account." }]);
		}
		const command = { type: "request" as const, ourRole: input.ourRole, capabilities: input.capabilities, round: newId("round") };
		const view = unwrapCreate(c, await accountStub(c.env, account.id).commandTrust(input.accountId, command, commandActor(account), idempotencyOf(c)));
		return c.json(await describeTrust(c, view), 201);
	})
	.openapi(getTrust, async (c) => {
		const { otherAccountId } = c.req.valid("param");
		return c.json(await describeTrust(c, unwrap(await accountStub(c.env, c.get("account").id).getTrust(otherAccountId))), 200);
	})
	.openapi(actOnTrust, async (c) => {
		const account = c.get("account");
		const { otherAccountId, action } = c.req.valid("param");
		const view = unwrapCreate(c, await accountStub(c.env, account.id).commandTrust(otherAccountId, { type: action }, commandActor(account), idempotencyOf(c)));
		return c.json(await describeTrust(c, view), 200);
	})
	.openapi(proposeCapabilities, async (c) => {
		const account = c.get("account");
		const { otherAccountId } = c.req.valid("param");
		const command = { type: "propose" as const, capabilities: c.req.valid("json").capabilities };
		const view = unwrap(await accountStub(c.env, account.id).commandTrust(otherAccountId, command, commandActor(account)));
		return c.json(await describeTrust(c, view), 200);
	})
	.openapi(customerPeople, async (c) => {
		const { otherAccountId } = c.req.valid("param");
		const trust = await accountStub(c.env, c.get("account").id).getTrust(otherAccountId);
		if (!trust.ok || trust.value.status !== "active" || trust.value.ourRole !== "provider") {
			throw new AppError("not_found", `${otherAccountId} does not trust this account as its provider.`);
		}
		const people = await listAccountPeople(directory(c.env.DB), otherAccountId);
		const all = people.map((p) => ({ id: p.id, name: p.name, email: p.email }));
		return c.json(paged(c, paginate(all, (x) => [x.name.toLowerCase(), x.id], c.req.valid("query"))), 200);
	});

// SLAs: a provider offers a service offering to a customer account. Also the customer's view of
// the SLAs it receives, and its self-service catalog.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ReceivedSlaRecord } from "../account/received";
import type { SlaRecord } from "../account/slas";
import { accountNames } from "../db/accounts";
import { directory } from "../db/client";
import { namesOfAccountPeople } from "../db/people";
import type { AppEnv } from "../env";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import type { Coverage } from "../shared/service-api";
import { Catalog, CreateSlaInput, ReceivedSla, Sla, SlaActionInput, SlaId, UpdateSlaInput } from "../shared/service-api";

const SlaParams = AccountParams.extend({ slaId: SlaId });

async function describeSlas(c: Context<AppEnv>, records: SlaRecord[]): Promise<Sla[]> {
	const names = await accountNames(directory(c.env.DB), records.map((r) => r.customerAccountId));
	return records.map(({ customerAccountId, ...r }) => ({ ...r, customer: { id: customerAccountId, name: names.get(customerAccountId) ?? customerAccountId } }));
}

async function describeSla(c: Context<AppEnv>, record: SlaRecord): Promise<Sla> {
	const [sla] = await describeSlas(c, [record]);
	if (!sla) throw new AppError("internal", "Could not describe the SLA.");
	return sla;
}

/** People selected for coverage must be people of the customer account. */
async function checkCoverage(c: Context<AppEnv>, customer: string, coverage: Coverage | undefined): Promise<void> {
	if (coverage?.type !== "people") return;
	const known = await namesOfAccountPeople(directory(c.env.DB), customer, coverage.personIds);
	const unknown = coverage.personIds.filter((id) => !known.has(id));
	if (unknown.length > 0) {
		throw new AppError("invalid_input", `Covered people must be people of ${customer}.`, unknown.map((id) => ({ path: "coverage.personIds", message: `${id} is not a person of ${customer}.` })));
	}
}

const actorName = (c: Context<AppEnv>) => c.get("account").actor.name;

const listSlas = createRoute({
	method: "get",
	path: "/accounts/{accountId}/slas",
	tags: ["SLAs"],
	summary: "SLAs this account provides, with their history",
	middleware: accountScope("slas:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(Sla, "SlaPage"), "SLAs by customer and name."), ...errors(401, 403, 404) },
});

const createSla = createRoute({
	method: "post",
	path: "/accounts/{accountId}/slas",
	tags: ["SLAs"],
	summary: "Offer a service offering to a customer account",
	description: "Needs an active trust in which the customer trusts this account. The SLA starts being_prepared; schedule it to start on its start date.",
	middleware: [accountScope("slas:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateSlaInput) },
	responses: { 201: json(Sla, "The SLA."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getSla = createRoute({
	method: "get",
	path: "/accounts/{accountId}/slas/{slaId}",
	tags: ["SLAs"],
	summary: "One SLA",
	middleware: accountScope("slas:read"),
	request: { params: SlaParams },
	responses: { 200: json(Sla, "The SLA."), ...errors(400, 401, 403, 404) },
});

const updateSla = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/slas/{slaId}",
	tags: ["SLAs"],
	summary: "Change an SLA's name, coverage, team or dates",
	description: "Setting an expiry date ends an active SLA at the end of that day (the alarm does it).",
	middleware: accountScope("slas:write"),
	request: { params: SlaParams, body: jsonBody(UpdateSlaInput) },
	responses: { 200: json(Sla, "The SLA."), ...errors(400, 401, 403, 404, 409, 415) },
});

const actOnSla = createRoute({
	method: "post",
	path: "/accounts/{accountId}/slas/{slaId}/status",
	tags: ["SLAs"],
	summary: "Move an SLA along its lifecycle",
	middleware: [accountScope("slas:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: SlaParams, body: jsonBody(SlaActionInput) },
	responses: { 200: json(Sla, "The SLA."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const listReceived = createRoute({
	method: "get",
	path: "/accounts/{accountId}/received-slas",
	tags: ["SLAs"],
	summary: "SLAs other accounts provide to this account",
	description: "As the providers last reported them.",
	middleware: accountScope("slas:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(ReceivedSla, "ReceivedSlaPage"), "Received SLAs, by provider and name."), ...errors(401, 403, 404) },
});

const getCatalog = createRoute({
	method: "get",
	path: "/accounts/{accountId}/catalog",
	tags: ["Self service"],
	summary: "The services the signed-in person can request",
	description: "Asked live of every provider this account trusts; each checks the trust and the SLA's coverage.",
	middleware: accountScope("catalog:read"),
	request: { params: AccountParams },
	responses: { 200: json(Catalog, "The catalog."), ...errors(401, 403, 404) },
});

async function describeReceived(c: Context<AppEnv>, records: ReceivedSlaRecord[]) {
	const names = await accountNames(directory(c.env.DB), records.map((r) => r.providerAccountId));
	return records
		.filter((r) => r.status !== "being_prepared")
		.map(({ providerAccountId, ...r }) => ({ ...r, provider: { id: providerAccountId, name: names.get(providerAccountId) ?? providerAccountId } }));
}

export const slaRoutes = router()
	.openapi(listSlas, async (c) => {
		const all = await describeSlas(c, await accountStub(c.env, c.get("account").id).listSlas());
		return c.json(paged(c, paginate(all, (x) => [x.customer.name.toLowerCase(), x.name.toLowerCase(), x.id], c.req.valid("query"))), 200);
	})
	.openapi(createSla, async (c) => {
		const input = c.req.valid("json");
		await checkCoverage(c, input.customerAccountId, input.coverage);
		const customerName = (await accountNames(directory(c.env.DB), [input.customerAccountId])).get(input.customerAccountId) ?? input.customerAccountId;
		const record = unwrapCreate(c, await accountStub(c.env, c.get("account").id).createSla(input, customerName, actorName(c), idempotencyOf(c)));
		return c.json(await describeSla(c, record), 201);
	})
	.openapi(getSla, async (c) => c.json(await describeSla(c, unwrap(await accountStub(c.env, c.get("account").id).getSla(c.req.valid("param").slaId))), 200))
	.openapi(updateSla, async (c) => {
		const stub = accountStub(c.env, c.get("account").id);
		const { slaId } = c.req.valid("param");
		const input = c.req.valid("json");
		if (input.coverage) await checkCoverage(c, unwrap(await stub.getSla(slaId)).customerAccountId, input.coverage);
		return c.json(await describeSla(c, unwrap(await stub.updateSla(slaId, input, actorName(c)))), 200);
	})
	.openapi(actOnSla, async (c) => {
		const { slaId } = c.req.valid("param");
		const record = unwrapCreate(c, await accountStub(c.env, c.get("account").id).actOnSla(slaId, c.req.valid("json").action, actorName(c), idempotencyOf(c)));
		return c.json(await describeSla(c, record), 200);
	})
	.openapi(listReceived, async (c) => {
		const all = await describeReceived(c, await accountStub(c.env, c.get("account").id).listReceivedSlas());
		return c.json(paged(c, paginate(all, (x) => [x.provider.name.toLowerCase(), x.name.toLowerCase(), x.provider.id, x.slaId], c.req.valid("query"))), 200);
	})
	.openapi(getCatalog, async (c) => {
		const account = c.get("account");
		// A token reads the catalog as no particular person: only SLAs covering the whole account.
		const personId = account.actor.type === "person" ? account.actor.id : "";
		const catalog = await accountStub(c.env, account.id).getCatalog(personId);
		const names = await accountNames(directory(c.env.DB), [...catalog.entries.map((e) => e.providerAccountId), ...catalog.unavailable]);
		const name = (id: string) => names.get(id) ?? id;
		return c.json(
			{
				entries: catalog.entries.map(({ providerAccountId, ...e }) => ({ ...e, provider: { id: providerAccountId, name: name(providerAccountId) } })),
				unavailable: catalog.unavailable.map((id) => ({ id, name: name(id) })),
			},
			200,
		);
	});

// Apps between accounts. Provider side: app offerings (create, change, publish to the accounts
// that trust this one, see who installed them). Customer side: the apps trusted providers publish
// here, installations (a token in this account with exactly the app's scopes), update approval,
// uninstall. All of it is for the account's administrators (apps:manage, which no token holds).
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { InstallationRecord } from "../account/apps";
import { accountNames } from "../db/accounts";
import { directory } from "../db/client";
import { lastUsedOf } from "../db/tokens";
import type { AppEnv } from "../env";
import { accountScope, requireSession } from "../http/auth";
import { accountStub } from "../http/account-object";
import { unwrap } from "../http/errors";
import { PageQuery, paged, pageResponse, paginate } from "../http/pagination";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import {
	AppInstallation,
	AppInstallationPage,
	AppOffering,
	AppOfferingPage,
	AppSubscriber,
	AvailableApp,
	CreateAppOfferingInput,
	CreatedAppOffering,
	InstallAppInput,
	PublishAppOfferingInput,
	UpdateAppOfferingInput,
} from "../shared/app-api";

const OfferingParams = AccountParams.extend({ offeringId: z.string().min(1).max(64).meta({ example: "app_3JmX9kq2Vb7TqL0a" }) });
const InstallationParams = AccountParams.extend({ installationId: z.string().min(1).max(64).meta({ example: "ains_8sKq2LmZpR4WqL0a" }) });
const InstallationQuery = PageQuery.extend({ status: z.enum(["active", "uninstalled"]).optional().meta({ description: "Only live or only uninstalled ones." }) });

const OFFERINGS = "/accounts/{accountId}/app-offerings";
const INSTALLATIONS = "/accounts/{accountId}/app-installations";
const TAG_PROVIDER = "Apps (provider)";
const TAG_CUSTOMER = "Apps (customer)";

/** Adds provider names and the token's last use, both from the directory. */
async function describeInstallations(c: Context<AppEnv>, records: InstallationRecord[]): Promise<AppInstallation[]> {
	const db = directory(c.env.DB);
	const accountId = c.get("account").id;
	const [names, used] = await Promise.all([accountNames(db, records.map((r) => r.providerAccountId)), lastUsedOf(db, accountId, records.map((r) => r.tokenId))]);
	return records.map(({ providerAccountId, ...r }) => ({ ...r, provider: { id: providerAccountId, name: names.get(providerAccountId) ?? providerAccountId }, lastUsedAt: used.get(r.tokenId) ?? null }));
}

async function describeInstallation(c: Context<AppEnv>, record: InstallationRecord): Promise<AppInstallation> {
	const [one] = await describeInstallations(c, [record]);
	if (!one) throw new Error("unreachable: one record in, one out");
	return one;
}

const listOfferings = createRoute({
	method: "get",
	path: OFFERINGS,
	tags: [TAG_PROVIDER],
	summary: "App offerings of this account",
	middleware: accountScope("apps:manage"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(AppOfferingPage, "Offerings, oldest first."), ...errors(400, 401, 403, 404) },
});

const createOffering = createRoute({
	method: "post",
	path: OFFERINGS,
	tags: [TAG_PROVIDER],
	summary: "Offer an app to the accounts that trust this one",
	description:
		"Version 1, published to nobody yet (see …/publication). The answer carries the signing secret (Standard Webhooks, whsec_…) of the deliveries to the app's endpoint, shown once: app.installed (with the customer's token, its configuration and the secret of the customer's webhook subscription for the app) and app.uninstalled.",
	middleware: [accountScope("apps:manage"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateAppOfferingInput) },
	responses: { 201: json(CreatedAppOffering, "The offering and its signing secret (shown once)."), ...errors(400, 401, 403, 404, 415, 422) },
});

const getOffering = createRoute({
	method: "get",
	path: `${OFFERINGS}/{offeringId}`,
	tags: [TAG_PROVIDER],
	summary: "One app offering",
	middleware: accountScope("apps:manage"),
	request: { params: OfferingParams },
	responses: { 200: json(AppOffering, "The offering."), ...errors(400, 401, 403, 404) },
});

const updateOffering = createRoute({
	method: "patch",
	path: `${OFFERINGS}/{offeringId}`,
	tags: [TAG_PROVIDER],
	summary: "Change an app offering",
	description:
		"A change of scopes, configuration form, events or endpoint is a new version, announced to every account that has it installed: with the same or fewer scopes it applies there at once; needing more, it waits for that account's approval (its token keeps the old scopes until then).",
	middleware: accountScope("apps:manage"),
	request: { params: OfferingParams, body: jsonBody(UpdateAppOfferingInput) },
	responses: { 200: json(AppOffering, "The offering after the change."), ...errors(400, 401, 403, 404, 415) },
});

const deleteOffering = createRoute({
	method: "delete",
	path: `${OFFERINGS}/{offeringId}`,
	tags: [TAG_PROVIDER],
	summary: "Delete an app offering nobody has installed",
	middleware: accountScope("apps:manage"),
	request: { params: OfferingParams },
	responses: { 204: { description: "Deleted." }, ...errors(400, 401, 403, 404, 409) },
});

const publishOffering = createRoute({
	method: "put",
	path: `${OFFERINGS}/{offeringId}/publication`,
	tags: [TAG_PROVIDER],
	summary: "Publish an app offering (or withdraw it)",
	description: "Only accounts that actively trust this one as their provider ever see it, whatever the list says.",
	middleware: accountScope("apps:manage"),
	request: { params: OfferingParams, body: jsonBody(PublishAppOfferingInput) },
	responses: { 200: json(AppOffering, "The offering with its audience."), ...errors(400, 401, 403, 404, 415) },
});

const listSubscribers = createRoute({
	method: "get",
	path: `${OFFERINGS}/{offeringId}/installations`,
	tags: [TAG_PROVIDER],
	summary: "Installations of an app offering, per customer",
	middleware: accountScope("apps:manage"),
	request: { params: OfferingParams, query: PageQuery },
	responses: { 200: pageResponse(z.object({ items: z.array(AppSubscriber), nextCursor: z.string().nullable() }), "Installations, oldest first (uninstalled ones too)."), ...errors(400, 401, 403, 404) },
});

const availableApps = createRoute({
	method: "get",
	path: "/accounts/{accountId}/available-apps",
	tags: [TAG_CUSTOMER],
	summary: "Apps this account's providers publish to it",
	description: "Asked of each provider this account actively trusts, at each call; nothing is copied here.",
	middleware: accountScope("apps:manage"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(z.object({ items: z.array(AvailableApp), nextCursor: z.string().nullable() }), "Available apps, by provider, then name."), ...errors(400, 401, 403, 404) },
});

const listInstallations = createRoute({
	method: "get",
	path: INSTALLATIONS,
	tags: [TAG_CUSTOMER],
	summary: "Apps installed in this account",
	middleware: accountScope("apps:manage"),
	request: { params: AccountParams, query: InstallationQuery },
	responses: { 200: pageResponse(AppInstallationPage, "Installations, oldest first."), ...errors(400, 401, 403, 404) },
});

const installApp = createRoute({
	method: "post",
	path: INSTALLATIONS,
	tags: [TAG_CUSTOMER],
	summary: "Install a provider's app",
	description:
		"Makes an API token in this account with exactly the app's scopes (never more) and hands it, with the configuration, to the provider, whose app endpoint receives it in a signed app.installed delivery. Secret fields are write-only: they go to the app and are never shown again.",
	middleware: [accountScope("apps:manage"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(InstallAppInput) },
	responses: { 201: json(AppInstallation, "The installation."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getInstallation = createRoute({
	method: "get",
	path: `${INSTALLATIONS}/{installationId}`,
	tags: [TAG_CUSTOMER],
	summary: "One installation",
	middleware: accountScope("apps:manage"),
	request: { params: InstallationParams },
	responses: { 200: json(AppInstallation, "The installation."), ...errors(400, 401, 403, 404) },
});

const approveUpdate = createRoute({
	method: "post",
	path: `${INSTALLATIONS}/{installationId}/approve-update`,
	tags: [TAG_CUSTOMER],
	summary: "Approve the waiting version of an app (it needs more scopes)",
	description: "The app's token gets the new version's scopes before this answers. Nothing waiting: 409.",
	middleware: accountScope("apps:manage"),
	request: { params: InstallationParams },
	responses: { 200: json(AppInstallation, "The installation at its new version."), ...errors(400, 401, 403, 404, 409) },
});

const uninstallApp = createRoute({
	method: "delete",
	path: `${INSTALLATIONS}/{installationId}`,
	tags: [TAG_CUSTOMER],
	summary: "Uninstall an app",
	description: "Its token is revoked before this answers (its next call gets 401); the provider's app is told (app.uninstalled).",
	middleware: accountScope("apps:manage"),
	request: { params: InstallationParams },
	responses: { 204: { description: "Uninstalled." }, ...errors(400, 401, 403, 404) },
});

export const appRoutes = router()
	.openapi(listOfferings, async (c) => {
		const { cursor, limit } = c.req.valid("query");
		return c.json(paged(c, unwrap(await accountStub(c.env, c.get("account").id).listAppOfferings(cursor, limit))), 200);
	})
	.openapi(createOffering, async (c) => {
		const created = unwrapCreate(c, await accountStub(c.env, c.get("account").id).createAppOffering(c.req.valid("json"), idempotencyOf(c)));
		return c.json(created, 201);
	})
	.openapi(getOffering, async (c) => c.json(unwrap(await accountStub(c.env, c.get("account").id).getAppOffering(c.req.valid("param").offeringId)), 200))
	.openapi(updateOffering, async (c) => {
		const { offeringId } = c.req.valid("param");
		return c.json(unwrap(await accountStub(c.env, c.get("account").id).updateAppOffering(offeringId, c.req.valid("json"))), 200);
	})
	.openapi(deleteOffering, async (c) => {
		unwrap(await accountStub(c.env, c.get("account").id).deleteAppOffering(c.req.valid("param").offeringId));
		return c.body(null, 204);
	})
	.openapi(publishOffering, async (c) => {
		const { offeringId } = c.req.valid("param");
		return c.json(unwrap(await accountStub(c.env, c.get("account").id).publishAppOffering(offeringId, c.req.valid("json").to)), 200);
	})
	.openapi(listSubscribers, async (c) => {
		const { cursor, limit } = c.req.valid("query");
		const page = unwrap(await accountStub(c.env, c.get("account").id).listAppSubscribers(c.req.valid("param").offeringId, cursor, limit));
		const names = await accountNames(directory(c.env.DB), page.items.map((r) => r.customerAccountId));
		const items = page.items.map(({ customerAccountId, ...r }) => ({ ...r, customer: { id: customerAccountId, name: names.get(customerAccountId) ?? customerAccountId } }));
		return c.json(paged(c, { items, nextCursor: page.nextCursor }), 200);
	})
	.openapi(availableApps, async (c) => {
		const found = await accountStub(c.env, c.get("account").id).availableApps();
		const names = await accountNames(directory(c.env.DB), found.map((f) => f.providerAccountId));
		const items = found.map((f) => ({ ...f.listing, provider: { id: f.providerAccountId, name: names.get(f.providerAccountId) ?? f.providerAccountId }, installationId: f.installationId }));
		return c.json(paged(c, paginate(items, (a) => [a.provider.id, a.name.toLowerCase(), a.offeringId], c.req.valid("query"))), 200);
	})
	.openapi(listInstallations, async (c) => {
		const { cursor, limit, status } = c.req.valid("query");
		const page = unwrap(await accountStub(c.env, c.get("account").id).listAppInstallations(cursor, limit, status));
		return c.json(paged(c, { items: await describeInstallations(c, page.items), nextCursor: page.nextCursor }), 200);
	})
	.openapi(installApp, async (c) => {
		const { person } = requireSession(c);
		const accountId = c.get("account").id;
		const apiUrl = `${new URL(c.req.url).origin}/api/v1/accounts/${accountId}`;
		const installer = { personId: person.id, name: person.name };
		const record = unwrapCreate(c, await accountStub(c.env, accountId).installApp(installer, c.req.valid("json"), apiUrl, idempotencyOf(c)));
		return c.json(await describeInstallation(c, record), 201);
	})
	.openapi(getInstallation, async (c) => {
		const record = unwrap(await accountStub(c.env, c.get("account").id).getAppInstallation(c.req.valid("param").installationId));
		return c.json(await describeInstallation(c, record), 200);
	})
	.openapi(approveUpdate, async (c) => {
		const record = unwrap(await accountStub(c.env, c.get("account").id).approveAppUpdate(c.req.valid("param").installationId));
		return c.json(await describeInstallation(c, record), 200);
	})
	.openapi(uninstallApp, async (c) => {
		unwrap(await accountStub(c.env, c.get("account").id).uninstallApp(c.req.valid("param").installationId));
		return c.body(null, 204);
	});

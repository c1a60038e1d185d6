// Apps between accounts through the HTTP API: a provider offers an app to the accounts that trust
// it; a customer's administrator installs it (a token with exactly the app's scopes), approves a
// version that needs more, uninstalls it; ending the trust uninstalls it. Nothing the app's token
// does can exceed the scopes the customer granted.
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import type { AppInstallation, AppInstallationPage, AppOffering, AppSubscriber, AvailableApp, CreatedAppOffering } from "../../worker/shared/app-api";
import type { ApiToken } from "../../worker/shared/api";
import type { Scope } from "../../worker/shared/roles";
import { addMember, call, callError, callItems, callJson, createToken, signUp, unique, type AccountAdmin } from "./helpers";
import { activeSla, register } from "./request-helpers";
import { actOnTrust, defineEmail, inObject, onboard, settle, stubOf } from "./service-helpers";

declare module "vitest" {
	interface ProvidedContext {
		webhookReceiver: string;
	}
}

/** A path of its own on the tests' webhook receiver (test/worker/webhook-receiver.setup.mjs). */
const receiverUrl = () => `${inject("webhookReceiver")}/${unique("app")}`;

interface Received {
	headers: Record<string, string>;
	body: string;
}

/** What the receiver got at `url`, after the account's due webhooks were sent. */
async function receivedAt(url: string, accountId: string): Promise<Received[]> {
	await stubOf(accountId).sendWebhooksNow();
	const { origin, pathname } = new URL(url);
	return (await (await fetch(`${origin}/received${pathname}`)).json()) as Received[];
}

/** Verifies a delivery with the standardwebhooks library and returns its body. */
function verified(secret: string, delivery: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
	return new Webhook(secret).verify(delivery.body, delivery.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
}

const offeringsPath = (a: AccountAdmin) => `/accounts/${a.accountId}/app-offerings`;
const installationsPath = (a: AccountAdmin) => `/accounts/${a.accountId}/app-installations`;

const MONITORING = {
	name: "Widget Monitoring",
	description: "Opens requests from monitoring alerts.",
	scopes: ["events:write", "teams:read"] as Scope[],
	configFields: [
		{ key: "site", label: "Site name", type: "text", required: true },
		{ key: "api_key", label: "Monitoring API key", type: "secret", required: true },
		{ key: "dashboard", label: "Dashboard URL", type: "url", required: false },
	],
	events: ["request.*"],
	endpointUrl: "https://monitoring.example.test/trustdesk",
};
/** The offering each test made, by id: its endpoint and its signing secret (shown once). */
const secrets = new Map<string, { url: string; secret: string }>();
const CONFIG = { site: "Main office", api_key: "s3cret-key", dashboard: "https://dash.example.test/acme" };

async function offer(provider: AccountAdmin, body: Record<string, unknown> = {}): Promise<CreatedAppOffering> {
	const endpointUrl = receiverUrl();
	const created = await callJson<CreatedAppOffering>(offeringsPath(provider), 201, { as: provider, body: { ...MONITORING, endpointUrl, ...body } });
	if (created.signingSecret) secrets.set(created.offering.id, { url: endpointUrl, secret: created.signingSecret });
	return created;
}

async function publish(provider: AccountAdmin, offeringId: string, to: "all" | "none" | string[]): Promise<AppOffering> {
	return callJson<AppOffering>(`${offeringsPath(provider)}/${offeringId}/publication`, 200, { as: provider, method: "PUT", body: { to } });
}

async function available(customer: AccountAdmin): Promise<AvailableApp[]> {
	return (await callJson<{ items: AvailableApp[] }>(`/accounts/${customer.accountId}/available-apps`, 200, { as: customer })).items;
}

/**
 * Installs, and returns the installation with what the provider's app endpoint received: the
 * app.installed delivery, its signature verified with the offering's secret.
 */
async function install(customer: AccountAdmin, provider: AccountAdmin, offeringId: string, config: Record<string, string> = CONFIG): Promise<{ installation: AppInstallation; token: string; handover: Record<string, unknown> }> {
	const installation = await callJson<AppInstallation>(installationsPath(customer), 201, { as: customer, body: { providerAccountId: provider.accountId, offeringId, config } });
	await settle(customer.accountId, provider.accountId);
	const endpoint = secrets.get(offeringId);
	if (!endpoint) throw new Error("offer() made no such offering");
	const deliveries = (await receivedAt(endpoint.url, provider.accountId)).map((d) => verified(endpoint.secret, d));
	const handover = deliveries.find((d) => d.type === "app.installed" && d.data.installationId === installation.id)?.data;
	if (!handover) throw new Error(`no app.installed for ${installation.id} at ${endpoint.url}: ${JSON.stringify(deliveries)}`);
	return { installation, token: String(handover.token), handover };
}

/** The app's endpoint got a signed app.uninstalled for the installation, with the reason. */
async function expectUninstalled(provider: AccountAdmin, offeringId: string, installationId: string, reason: string): Promise<void> {
	const endpoint = secrets.get(offeringId);
	if (!endpoint) throw new Error("offer() made no such offering");
	const deliveries = (await receivedAt(endpoint.url, provider.accountId)).map((d) => verified(endpoint.secret, d));
	expect(deliveries.filter((d) => d.type === "app.uninstalled").map((d) => d.data)).toEqual([{ installationId, account: { id: expect.any(String) }, offering: { id: offeringId }, reason }]);
}

async function setup(): Promise<{ provider: AccountAdmin; customer: AccountAdmin; offering: AppOffering }> {
	const [provider, customer] = await Promise.all([signUp(), signUp()]);
	await onboard(provider, customer);
	const { offering } = await offer(provider);
	await publish(provider, offering.id, "all");
	return { provider, customer, offering };
}

const asToken = (token: string) => ({ token });

describe("offering an app", () => {
	it("creates version 1, unpublished, with a Standard Webhooks signing secret shown once", async () => {
		const provider = await signUp();
		const created = await offer(provider);
		expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
		expect(created.offering).toMatchObject({ name: "Widget Monitoring", version: 1, scopes: ["events:write", "teams:read"], events: ["request.*"], publishedTo: "none", installations: 0 });
		const again = await callJson<AppOffering>(`${offeringsPath(provider)}/${created.offering.id}`, 200, { as: provider });
		expect(JSON.stringify(again)).not.toContain(created.signingSecret);
		const page = await callJson<{ items: AppOffering[]; nextCursor: string | null }>(offeringsPath(provider), 200, { as: provider });
		expect(page.items.map((o) => o.id)).toEqual([created.offering.id]);
		expect(page.nextCursor).toBeNull();
	});

	it("pages the offerings with a cursor", async () => {
		const provider = await signUp();
		const ids = [];
		for (let i = 0; i < 3; i++) ids.push((await offer(provider, { name: `App ${i}` })).offering.id);
		const first = await callJson<{ items: AppOffering[]; nextCursor: string | null }>(`${offeringsPath(provider)}?limit=2`, 200, { as: provider });
		expect(first.items).toHaveLength(2);
		expect(first.nextCursor).not.toBeNull();
		const second = await callJson<{ items: AppOffering[]; nextCursor: string | null }>(`${offeringsPath(provider)}?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? "")}`, 200, { as: provider });
		expect([...first.items, ...second.items].map((o) => o.id).sort()).toEqual([...ids].sort());
		expect(second.nextCursor).toBeNull();
		await callError(`${offeringsPath(provider)}?cursor=nonsense`, 400, "invalid_input", { as: provider });
	});

	it("refuses bad offerings with 400: scopes outside SCOPES, duplicates, bad fields, endpoint with credentials or not http(s)", async () => {
		const provider = await signUp();
		const bad: Record<string, unknown>[] = [
			{ scopes: ["tokens:manage"] },
			{ scopes: ["trusts:write"] },
			{ scopes: ["apps:manage"] },
			{ scopes: [] },
			{ scopes: ["teams:read", "teams:read"] },
			{ endpointUrl: "https://user:pass@example.test/hook" },
			{ endpointUrl: "ftp://example.test/hook" },
			{ endpointUrl: "not a url" },
			{ configFields: [{ key: "Bad Key", label: "x", type: "text", required: true }] },
			{ configFields: [{ key: "a", label: "x", type: "password", required: true }] },
			{ configFields: [{ key: "a", label: "x", type: "text", required: true }, { key: "a", label: "y", type: "text", required: false }] },
			{ events: ["request.*", "request.*"] },
			{ events: ["DROP TABLE"] },
			{ name: "" },
			{ surprise: true },
		];
		for (const body of bad) await callError(offeringsPath(provider), 400, "invalid_input", { as: provider, body: { ...MONITORING, ...body } });
		await callError(offeringsPath(provider), 400, "malformed_json", { as: provider, raw: "{", headers: { "Content-Type": "application/json" } });
		const { offering } = await offer(provider);
		await callError(`${offeringsPath(provider)}/${offering.id}`, 400, "invalid_input", { as: provider, method: "PATCH", body: {} });
		await callError(`${offeringsPath(provider)}/${offering.id}/publication`, 400, "invalid_input", { as: provider, method: "PUT", body: { to: "everyone" } });
		await callError(`${offeringsPath(provider)}/app_nope`, 404, "not_found", { as: provider });
		expect((await callJson<{ items: AppOffering[] }>(offeringsPath(provider), 200, { as: provider })).items).toHaveLength(1);
	});

	it("is for administrators: a specialist or a token with every scope is refused", async () => {
		const provider = await signUp();
		const specialist = await addMember(provider, provider.accountId, ["specialist"]);
		const token = await createToken(provider, provider.accountId);
		await callError(offeringsPath(provider), 403, "forbidden", { as: specialist });
		await callError(offeringsPath(provider), 403, "forbidden", { as: asToken(token.secret), body: MONITORING });
		await callError(`/accounts/${provider.accountId}/available-apps`, 403, "forbidden", { as: asToken(token.secret) });
	});

	it("shows only to accounts that actively trust the provider, and only those it is published to", async () => {
		const [provider, acme, globex, stranger] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
		await onboard(provider, acme);
		await onboard(provider, globex);
		const { offering } = await offer(provider);
		expect(await available(acme)).toEqual([]); // not published yet
		await publish(provider, offering.id, [acme.accountId, stranger.accountId]);
		expect((await available(acme)).map((a) => [a.provider.id, a.offeringId, a.installationId])).toEqual([[provider.accountId, offering.id, null]]);
		expect(await available(globex)).toEqual([]);
		expect(await available(stranger)).toEqual([]); // listed, but no trust
		await callError(installationsPath(stranger), 404, "not_found", { as: stranger, body: { providerAccountId: provider.accountId, offeringId: offering.id, config: CONFIG } });
		await callError(installationsPath(globex), 404, "not_found", { as: globex, body: { providerAccountId: provider.accountId, offeringId: offering.id, config: CONFIG } });
		await publish(provider, offering.id, "all");
		expect((await available(globex)).map((a) => a.offeringId)).toEqual([offering.id]);
		expect(await available(stranger)).toEqual([]);
		const listing = (await available(globex))[0];
		expect(listing && Object.keys(listing).sort()).toEqual(["configFields", "description", "endpointUrl", "events", "installationId", "name", "offeringId", "provider", "scopes", "version"]);
	});
});

describe("installing an app", () => {
	it("makes a token with exactly the app's scopes, hands it to the provider, and lists the installation", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token, handover } = await install(customer, provider, offering.id);
		expect(installation).toMatchObject({
			provider: { id: provider.accountId, name: `Account ${provider.accountId}` },
			offeringId: offering.id,
			name: "Widget Monitoring",
			version: 1,
			scopes: ["events:write", "teams:read"],
			status: "active",
			pendingUpdate: null,
			installedBy: { id: customer.session.person.id, name: "Ada Admin" },
			lastUsedAt: null,
			// The secret is write-only: it went to the app, it is not kept here.
			config: { site: "Main office", api_key: null, dashboard: "https://dash.example.test/acme" },
		});
		// The app's endpoint got it signed (verified above with the standardwebhooks library): the
		// token, the configuration with the secret, and the secret of its subscription to the customer's events.
		expect(handover).toMatchObject({
			installationId: installation.id,
			account: { id: customer.accountId },
			offering: { id: offering.id, version: 1 },
			config: CONFIG,
			scopes: ["events:write", "teams:read"],
			apiUrl: `http://trustdesk.test/api/v1/accounts/${customer.accountId}`,
			webhook: { events: ["request.*"] },
		});
		expect(token).toMatch(/^td_/);
		const hookSecret = (handover.webhook as { secret: string }).secret;
		expect(hookSecret).toMatch(/^whsec_/);
		// That subscription is an endpoint of the customer's account, managed by the installation.
		const endpoints = await callJson<{ items: { url: string; eventTypes: string[]; managedBy: { kind: string; id: string } | null }[] }>(`/accounts/${customer.accountId}/webhooks`, 200, { as: customer });
		expect(endpoints.items).toMatchObject([{ url: secrets.get(offering.id)?.url, eventTypes: ["request.*"], managedBy: { kind: "app_installation", id: installation.id } }]);
		// Nobody removes it but the installation.
		const endpointId = (endpoints.items[0] as unknown as { id: string }).id;
		await callError(`/accounts/${customer.accountId}/webhooks/${endpointId}`, 409, "conflict", { as: customer, method: "DELETE" });
		// The token is not kept in plain text anywhere once delivered: not in the customer's outbox,
		// not in the provider's delivery log.
		const [outboxLeft, logLeft] = await Promise.all([
			inObject(customer.accountId, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE payload LIKE ?", `%${token}%`).one().n),
			inObject(provider.accountId, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE payload LIKE ?", `%${token}%`).one().n),
		]);
		expect([outboxLeft, logLeft]).toEqual([0, 0]);
		const tokens = await callItems<ApiToken>(`/accounts/${customer.accountId}/api-tokens`, { as: customer });
		expect(tokens.find((t) => t.id === installation.tokenId)?.scopes).toEqual(["events:write", "teams:read"]);
		// The token works within its scopes, and its use shows as the installation's last use.
		await callJson(`/accounts/${customer.accountId}/teams`, 200, { as: asToken(token) });
		const listed = await callJson<AppInstallationPage>(installationsPath(customer), 200, { as: customer });
		expect(listed.items.map((i) => i.id)).toEqual([installation.id]);
		expect(listed.items[0]?.lastUsedAt).not.toBeNull();
		expect((await available(customer))[0]?.installationId).toBe(installation.id);
		// The provider sees who installed which version.
		const subscribers = await callJson<{ items: AppSubscriber[] }>(`${offeringsPath(provider)}/${offering.id}/installations`, 200, { as: provider });
		expect(subscribers.items).toMatchObject([{ installationId: installation.id, customer: { id: customer.accountId }, version: 1, status: "active" }]);
		expect((await callJson<AppOffering>(`${offeringsPath(provider)}/${offering.id}`, 200, { as: provider })).installations).toBe(1);
	});

	it("follows the customer's requests through the customer's own webhooks, signed with the secret it was handed", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, handover } = await install(customer, provider, offering.id);
		const hookSecret = (handover.webhook as { secret: string }).secret;
		const sla = await activeSla(provider, await defineEmail(provider), customer.accountId);
		const request = await register({ provider, customer }, sla, customer, { subject: "Printer on fire" });
		const endpoint = secrets.get(offering.id);
		const events = (await receivedAt(endpoint?.url ?? "", customer.accountId)).filter((d) => JSON.parse(d.body).type !== "app.installed");
		// The customer's deliveries verify with the installation's secret (not the offering's).
		const created = events.map((d) => verified(hookSecret, d)).find((e) => e.type === "request.created");
		expect(created?.data).toMatchObject({ request: { id: request.id } });
		expect(() => verified(secrets.get(offering.id)?.secret ?? "", events[0] as Received)).toThrow();
		// Uninstalled, it hears no more.
		await callJson(`${installationsPath(customer)}/${installation.id}`, 204, { as: customer, method: "DELETE" });
		// (The endpoint also gets the provider's app.* deliveries: only the customer's events count here.)
		const requestEvents = async () => (await receivedAt(endpoint?.url ?? "", customer.accountId)).filter((d) => JSON.parse(d.body).type.startsWith("request.")).length;
		const before = await requestEvents();
		await register({ provider, customer }, sla, customer, { subject: "Second fire" });
		expect(await requestEvents()).toBe(before);
	});

	it("never lets the app's token exceed its scopes", async () => {
		const { provider, customer, offering } = await setup();
		const { token } = await install(customer, provider, offering.id);
		const as = asToken(token);
		const base = `/accounts/${customer.accountId}`;
		await callError(`${base}/people`, 403, "forbidden", { as });
		await callError(`${base}/api-tokens`, 403, "forbidden", { as });
		await callError(`${base}/api-tokens`, 403, "forbidden", { as, body: { name: "More", scopes: ["people:write"] } });
		await callError(`${base}/trusts`, 403, "forbidden", { as, body: { accountId: provider.accountId, ourRole: "customer" } });
		await callError(`${base}/trusts`, 403, "forbidden", { as });
		await callError(`${base}/app-installations`, 403, "forbidden", { as });
		await callError(`${base}/app-installations`, 403, "forbidden", { as, body: { providerAccountId: provider.accountId, offeringId: offering.id, config: CONFIG } });
		await callError(`${base}/teams`, 403, "forbidden", { as, body: { name: "Rogue" } });
		await callError(`${base}/messages`, 403, "forbidden", { as });
		// Another account, the provider's included, does not exist for it.
		await callError(`/accounts/${provider.accountId}/teams`, 404, "not_found", { as });
		// And within its scopes it works (so the refusals above are the scopes' doing).
		await callJson(`${base}/teams`, 200, { as });
	});

	it("checks the configuration against the app's form, and refuses a second installation", async () => {
		const { provider, customer, offering } = await setup();
		const body = (config: Record<string, string>) => ({ providerAccountId: provider.accountId, offeringId: offering.id, config });
		const missing = await callError(installationsPath(customer), 400, "invalid_input", { as: customer, body: body({ site: "x" }) });
		expect(missing.error.details).toEqual([{ path: "config.api_key", message: "Monitoring API key is required." }]);
		const unknown = await callError(installationsPath(customer), 400, "invalid_input", { as: customer, body: body({ ...CONFIG, extra: "1" }) });
		expect(unknown.error.details).toEqual([{ path: "config.extra", message: "Not a field of this app." }]);
		await callError(installationsPath(customer), 400, "invalid_input", { as: customer, body: body({ ...CONFIG, dashboard: "javascript:alert(1)" }) });
		await callError(installationsPath(customer), 400, "invalid_input", { as: customer, body: { ...body(CONFIG), surprise: 1 } });
		await callError(installationsPath(customer), 404, "not_found", { as: customer, body: { ...body(CONFIG), offeringId: "app_missing" } });
		// Nothing was made by the refusals: no installation, no token.
		expect((await callJson<AppInstallationPage>(installationsPath(customer), 200, { as: customer })).items).toEqual([]);
		expect(await callItems<ApiToken>(`/accounts/${customer.accountId}/api-tokens`, { as: customer })).toEqual([]);
		await install(customer, provider, offering.id);
		await callError(installationsPath(customer), 409, "conflict", { as: customer, body: body(CONFIG) });
		expect((await callItems<ApiToken>(`/accounts/${customer.accountId}/api-tokens`, { as: customer })).length).toBe(1);
	});

	it("answers a retry with the same Idempotency-Key with the first installation, making no second token", async () => {
		const { provider, customer, offering } = await setup();
		const opts = { as: customer, body: { providerAccountId: provider.accountId, offeringId: offering.id, config: CONFIG }, headers: { "Idempotency-Key": "install-1" } };
		const first = await callJson<AppInstallation>(installationsPath(customer), 201, opts);
		const res = await call(installationsPath(customer), opts);
		expect(res.status).toBe(201);
		expect(((await res.json()) as AppInstallation).id).toBe(first.id);
		expect((await callItems<ApiToken>(`/accounts/${customer.accountId}/api-tokens`, { as: customer })).map((t) => t.id)).toEqual([first.tokenId]);
	});

	it("belongs to the account, not to the administrator who installed it: it outlives their leaving", async () => {
		const { provider, customer, offering } = await setup();
		const other = await addMember(customer, customer.accountId, ["account_administrator"]);
		const { installation, token } = await install({ ...other, accountId: customer.accountId, email: other.email }, provider, offering.id);
		expect(installation.installedBy).toEqual({ id: other.id, name: other.name });
		expect((await call(`/accounts/${customer.accountId}/people/${other.id}`, { as: customer, method: "DELETE" })).status).toBe(204);
		await callJson(`/accounts/${customer.accountId}/teams`, 200, { as: asToken(token) });
	});

	it("registers the events its token posts for the administrator who installed it; once they left, the app must name a requester", async () => {
		const { provider, customer, offering } = await setup();
		await activeSla(provider, await defineEmail(provider), customer.accountId);
		const other = await addMember(customer, customer.accountId, ["account_administrator"]);
		const { token } = await install({ ...other, accountId: customer.accountId, email: other.email }, provider, offering.id);
		const events = `/accounts/${customer.accountId}/events`;
		const alert = (sourceId: string) => ({ source: "widget-monitoring", sourceId, service: "Email", subject: `Disk full ${sourceId}` });
		const created = await callJson<{ request: { requestedBy: { id: string } } }>(events, 201, { as: asToken(token), body: alert(unique("disk")) });
		expect(created.request.requestedBy.id).toBe(other.id);
		expect((await call(`/accounts/${customer.accountId}/people/${other.id}`, { as: customer, method: "DELETE" })).status).toBe(204);
		await callError(events, 400, "invalid_input", { as: asToken(token), body: alert(unique("disk")) });
		const named = await callJson<{ request: { requestedBy: { id: string } } }>(events, 201, { as: asToken(token), body: { ...alert(unique("disk")), requestedBy: customer.email } });
		expect(named.request.requestedBy.id).toBe(customer.session.person.id);
	});

	it("the provider pages through its installations per customer", async () => {
		const { provider, customer, offering } = await setup();
		const second = await signUp();
		await onboard(provider, second);
		await install(customer, provider, offering.id);
		await install(second, provider, offering.id);
		const base = `${offeringsPath(provider)}/${offering.id}/installations`;
		const first = await callJson<{ items: AppSubscriber[]; nextCursor: string | null }>(`${base}?limit=1`, 200, { as: provider });
		expect(first.items.map((i) => i.customer.id)).toEqual([customer.accountId]);
		const next = await callJson<{ items: AppSubscriber[]; nextCursor: string | null }>(`${base}?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? "")}`, 200, { as: provider });
		expect(next).toMatchObject({ items: [{ customer: { id: second.accountId, name: `Account ${second.accountId}` } }], nextCursor: null });
		await callError(`${base}?cursor=bad`, 400, "invalid_input", { as: provider });
		await callError(`${base}?limit=0`, 400, "invalid_input", { as: provider });
	});

	it("is for the customer's administrators only", async () => {
		const { provider, customer, offering } = await setup();
		const specialist = await addMember(customer, customer.accountId, ["specialist"]);
		await callError(installationsPath(customer), 403, "forbidden", { as: specialist, body: { providerAccountId: provider.accountId, offeringId: offering.id, config: CONFIG } });
		await callError(installationsPath(customer), 403, "forbidden", { as: specialist });
	});
});

describe("uninstalling", () => {
	it("revokes the token at once, marks the installation and tells the provider", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token } = await install(customer, provider, offering.id);
		await callJson(`/accounts/${customer.accountId}/teams`, 200, { as: asToken(token) });
		const res = await call(`${installationsPath(customer)}/${installation.id}`, { as: customer, method: "DELETE" });
		expect(res.status).toBe(204);
		await callError(`/accounts/${customer.accountId}/teams`, 401, "unauthenticated", { as: asToken(token) });
		const after = await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer });
		expect(after.status).toBe("uninstalled");
		expect(after.uninstalledAt).not.toBeNull();
		await callError(`${installationsPath(customer)}/${installation.id}`, 404, "not_found", { as: customer, method: "DELETE" });
		await settle(customer.accountId, provider.accountId);
		const subscribers = await callJson<{ items: AppSubscriber[] }>(`${offeringsPath(provider)}/${offering.id}/installations`, 200, { as: provider });
		expect(subscribers.items.map((s) => s.status)).toEqual(["uninstalled"]);
		expect((await callJson<AppInstallationPage>(`${installationsPath(customer)}?status=active`, 200, { as: customer })).items).toEqual([]);
		// The app hears of it (signed), and its subscription to the customer's events is gone.
		await expectUninstalled(provider, offering.id, installation.id, "uninstalled");
		expect((await callJson<{ items: unknown[] }>(`/accounts/${customer.accountId}/webhooks`, 200, { as: customer })).items).toEqual([]);
		// It can be installed again: a new installation with a new token.
		const again = await install(customer, provider, offering.id);
		expect(again.installation.id).not.toBe(installation.id);
		await callJson(`/accounts/${customer.accountId}/teams`, 200, { as: asToken(again.token) });
	});

	it("happens when the trust ends: the provider's apps lose their tokens", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token } = await install(customer, provider, offering.id);
		await actOnTrust(customer, provider.accountId, "deactivate");
		await callError(`/accounts/${customer.accountId}/teams`, 401, "unauthenticated", { as: asToken(token) });
		expect((await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer })).status).toBe("uninstalled");
		await settle(customer.accountId, provider.accountId);
		const subscribers = await callJson<{ items: AppSubscriber[] }>(`${offeringsPath(provider)}/${offering.id}/installations`, 200, { as: provider });
		expect(subscribers.items.map((s) => s.status)).toEqual(["uninstalled"]);
		expect(await available(customer)).toEqual([]);
		await expectUninstalled(provider, offering.id, installation.id, "trust_ended");
		expect((await callJson<{ items: unknown[] }>(`/accounts/${customer.accountId}/webhooks`, 200, { as: customer })).items).toEqual([]);
	});

	it("happens when the provider ends the trust too", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token } = await install(customer, provider, offering.id);
		await actOnTrust(provider, customer.accountId, "deactivate");
		await settle(customer.accountId, provider.accountId);
		await callError(`/accounts/${customer.accountId}/teams`, 401, "unauthenticated", { as: asToken(token) });
		expect((await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer })).status).toBe("uninstalled");
	});
});

describe("new versions", () => {
	it("needing more scopes waits for approval; the token keeps its old scopes until then", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token } = await install(customer, provider, offering.id);
		const v2 = await callJson<AppOffering>(`${offeringsPath(provider)}/${offering.id}`, 200, { as: provider, method: "PATCH", body: { scopes: ["events:write", "teams:read", "people:read"] } });
		expect(v2.version).toBe(2);
		await settle(customer.accountId, provider.accountId);
		const waiting = await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer });
		expect(waiting).toMatchObject({ version: 1, scopes: ["events:write", "teams:read"], pendingUpdate: { version: 2, addedScopes: ["people:read"] } });
		await callError(`/accounts/${customer.accountId}/people`, 403, "forbidden", { as: asToken(token) });
		const approved = await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}/approve-update`, 200, { as: customer, method: "POST" });
		expect(approved).toMatchObject({ version: 2, scopes: ["events:write", "teams:read", "people:read"], pendingUpdate: null });
		await callJson(`/accounts/${customer.accountId}/people`, 200, { as: asToken(token) });
		await callError(`${installationsPath(customer)}/${installation.id}/approve-update`, 409, "conflict", { as: customer, method: "POST" });
		await settle(customer.accountId, provider.accountId);
		const subscribers = await callJson<{ items: AppSubscriber[] }>(`${offeringsPath(provider)}/${offering.id}/installations`, 200, { as: provider });
		expect(subscribers.items.map((s) => s.version)).toEqual([2]);
	});

	it("with fewer or the same scopes applies at once, and the token loses what was dropped", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token } = await install(customer, provider, offering.id);
		await callJson(`/accounts/${customer.accountId}/teams`, 200, { as: asToken(token) });
		await callJson<AppOffering>(`${offeringsPath(provider)}/${offering.id}`, 200, { as: provider, method: "PATCH", body: { scopes: ["events:write"] } });
		await settle(customer.accountId, provider.accountId);
		const now = await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer });
		expect(now).toMatchObject({ version: 2, scopes: ["events:write"], pendingUpdate: null });
		await callError(`/accounts/${customer.accountId}/teams`, 403, "forbidden", { as: asToken(token) });
		// Same scopes, new events: a new version, no approval needed.
		await callJson<AppOffering>(`${offeringsPath(provider)}/${offering.id}`, 200, { as: provider, method: "PATCH", body: { events: ["request.created"] } });
		await settle(customer.accountId, provider.accountId);
		expect(await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer })).toMatchObject({ version: 3, events: ["request.created"], pendingUpdate: null });
		// A new name alone is not a new version.
		expect((await callJson<AppOffering>(`${offeringsPath(provider)}/${offering.id}`, 200, { as: provider, method: "PATCH", body: { name: "Widget Watch" } })).version).toBe(3);
		await settle(customer.accountId, provider.accountId);
		expect((await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer })).name).toBe("Widget Watch");
	});

	it("an offering someone has installed cannot be deleted; one nobody has can", async () => {
		const { provider, customer, offering } = await setup();
		const spare = (await offer(provider, { name: "Spare" })).offering;
		await install(customer, provider, offering.id);
		await callError(`${offeringsPath(provider)}/${offering.id}`, 409, "conflict", { as: provider, method: "DELETE" });
		expect((await call(`${offeringsPath(provider)}/${spare.id}`, { as: provider, method: "DELETE" })).status).toBe(204);
		await callError(`${offeringsPath(provider)}/${spare.id}`, 404, "not_found", { as: provider });
	});
});

describe("isolation", () => {
	it("another tenant cannot see, change or uninstall what is not theirs", async () => {
		const { provider, customer, offering } = await setup();
		const { installation, token } = await install(customer, provider, offering.id);
		const other = await signUp();
		// Its own account, with ids of another's: nothing found.
		await callError(`${offeringsPath(other)}/${offering.id}`, 404, "not_found", { as: other });
		await callError(`${offeringsPath(other)}/${offering.id}/installations`, 404, "not_found", { as: other });
		await callError(`${installationsPath(other)}/${installation.id}`, 404, "not_found", { as: other });
		await callError(`${installationsPath(other)}/${installation.id}`, 404, "not_found", { as: other, method: "DELETE" });
		// The other account's paths: 404 as for any account it is not in.
		await callError(`${installationsPath(customer)}/${installation.id}`, 404, "not_found", { as: other, method: "DELETE" });
		await callError(`${offeringsPath(provider)}/${offering.id}`, 404, "not_found", { as: other, method: "PATCH", body: { scopes: ["people:write"] } });
		// The provider cannot act on its customer's installation either.
		await callError(`${installationsPath(customer)}/${installation.id}`, 404, "not_found", { as: provider, method: "DELETE" });
		await callJson(`/accounts/${customer.accountId}/teams`, 200, { as: asToken(token) });
		expect((await callJson<AppInstallation>(`${installationsPath(customer)}/${installation.id}`, 200, { as: customer })).status).toBe("active");
	});
});

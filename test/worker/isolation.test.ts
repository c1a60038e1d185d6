// Tenant isolation: nobody of account B (person of any role, or B's API token) reaches anything of
// account A, whatever ids or headers they send; A's data stays exactly as it was.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Account, Team } from "../../worker/shared/api";
import type { Invitation } from "../../worker/shared/invitation-api";
import type { OutboxMessage, ReceivedSla, Sla } from "../../worker/shared/service-api";
import type { Trust } from "../../worker/shared/trust-api";
import {
	acceptInvitation,
	addMember,
	call,
	callError,
	callJson,
	type Caller,
	createTeam,
	expectError,
	invite,
	seedAccount,
	type SeededAccount,
	snapshotAccount,
	type AccountSnapshot,
	unique,
	uniqueEmail,
	signUp,
	type AccountAdmin,
	verifyAddress,
	callItems,
} from "./helpers";
import { ENDPOINTS, type Endpoint, PERSON_ONLY_ROUTES, type Target } from "./isolation-endpoints";
import { activeSla, inboxOf, register } from "./request-helpers";
import { actOnTrust, askTrust, createSla, defineEmail, type EmailModel, failDeliveries, OFFICE_HOURS, onboard, parkHead, settle, TARGETS } from "./service-helpers";

const ACTORS = ["admin", "specialist", "endUser", "token"] as const;
type ActorName = (typeof ACTORS)[number];

function actor(account: SeededAccount, name: ActorName): Caller {
	return account[name];
}

/** POST creates (201) except where it acts on something that exists (200); an upload creates a file. */
/** Webhook actions answer 202 (queued), a rotation 200 (not a create). */
const WEBHOOK_ACTION = /\/webhooks\/\{endpointId\}\/(test|deliveries\/\{deliveryId\}\/redeliver|rotate-secret)$/;
const expectedSuccess = (e: Endpoint) => (e.method === "POST" && WEBHOOK_ACTION.test(e.route) ? (e.route.endsWith("rotate-secret") ? 200 : 202) : e.method === "POST" && !e.route.endsWith("/attachments") && /\{(action|slaId|seq|requestId|invitationId|installationId)\}/.test(e.route) ? 200 : { GET: 200, POST: 201, PUT: 200, PATCH: 200, DELETE: 204 }[e.method]);
const requestOf = (e: Endpoint, t: Target, as?: Caller) => call(e.path(t), { method: e.method, as, body: e.body?.(t) });
const label = (e: Endpoint) => `${e.method} ${e.route}`;

let A: SeededAccount;
let B: SeededAccount;
let targetA: Target;
let targetB: Target;
let teamA: Team;
let teamB: Team;
let before: AccountSnapshot;
let beforeServices: ServiceSnapshot;
let beforeRequests: RequestSnapshot;
let beforeNotifications: unknown;
let beforeWebhooks: unknown;
let beforePreferences: unknown;
let beforeSavedFilters: unknown;
const claimedHostnames: string[] = [];
const triedEmails: string[] = [];

/** The other accounts of the fixture: a customer of both A and B, one asking both, one unrelated, one unreachable. */
let customer: AccountAdmin;
let asker: AccountAdmin;
let stranger: AccountAdmin;
let unreachable: AccountAdmin;
/** A provider both A and B are customers of, so that each has a request to protect. */
let supplier: AccountAdmin;
let supplierModel: EmailModel;
/** The supplier's apps: one every account installs (then a version with more scopes), one left to install. */
let supplierApp: string;
let supplierSpareApp: string;

/** What an administrator can read of an account's trusts, services, SLAs and outbox. */
interface ServiceSnapshot {
	trusts: Trust[];
	model: unknown;
	slas: Sla[];
	received: ReceivedSla[];
	messages: OutboxMessage[];
	catalog: unknown;
}

async function snapshotServices(admin: Caller, accountId: string): Promise<ServiceSnapshot> {
	const base = `/accounts/${accountId}`;
	const [trusts, model, slas, received, messages, catalog] = await Promise.all([
		callItems<Trust>(`${base}/trusts`, { as: admin }),
		callJson(`${base}/service-model`, 200, { as: admin }),
		callItems<Sla>(`${base}/slas`, { as: admin }),
		callItems<ReceivedSla>(`${base}/received-slas`, { as: admin }),
		callItems<OutboxMessage>(`${base}/messages`, { as: admin }),
		callJson(`${base}/catalog`, 200, { as: admin }),
	]);
	return { trusts, model, slas, received, messages, catalog };
}

/** A's requests as its administrator sees them, and what its supplier's Inbox holds of them. */
interface RequestSnapshot {
	list: unknown;
	request: unknown;
	inbox: unknown;
	supplierInbox: unknown;
}

async function snapshotRequests(admin: Caller, target: Target): Promise<RequestSnapshot> {
	const base = `/accounts/${target.accountId}`;
	return {
		list: await callJson(`${base}/requests?scope=account`, 200, { as: admin }),
		request: await callJson(`${base}/requests/${target.requestId}`, 200, { as: admin }),
		inbox: await callJson(`${base}/inbox`, 200, { as: admin }),
		supplierInbox: (await inboxOf(supplier.accountId, supplier)).items.filter((i) => i.owner.id === target.accountId),
	};
}

async function targetOf(account: SeededAccount, team: Team): Promise<Target> {
	const admin = { ...account.admin, accountId: account.accountId };
	const hostname = `${unique("help")}.${account.accountId}.test`;
	await callJson(`/accounts/${account.accountId}/hostnames`, 201, { as: admin, body: { hostname } });
	const victim = await addMember(admin, account.accountId, ["end_user"], "Vic Victim");
	await onboard(admin, customer);
	await askTrust(asker, account.accountId, "customer");
	await askTrust(unreachable, account.accountId, "customer");
	await settle(asker.accountId, unreachable.accountId, account.accountId);
	// The answer to `unreachable` fails until it is parked.
	await failDeliveries(unreachable.accountId, 1000);
	await actOnTrust(admin, unreachable.accountId, "accept");
	const parked = await parkHead(account.accountId, unreachable.accountId);
	const model = await defineEmail(admin);
	const spare = await defineEmail(admin, " (spare)");
	await callJson(`/accounts/${account.accountId}/service-instances/${spare.instance.id}`, 204, { method: "DELETE", as: admin });
	await callJson(`/accounts/${account.accountId}/service-offerings/${spare.offering.id}`, 204, { method: "DELETE", as: admin });
	const spareInstance = await callJson<{ id: string }>(`/accounts/${account.accountId}/service-instances`, 201, { as: admin, body: { serviceId: model.service.id, name: "Spare" } });
	const spareOffering = await callJson<{ id: string }>(`/accounts/${account.accountId}/service-offerings`, 201, {
		as: admin,
		body: { serviceId: model.service.id, name: "Spare", targets: TARGETS, supportHours: OFFICE_HOURS },
	});
	const sla = await createSla(admin, model, customer.accountId);
	await onboard(supplier, admin);
	const supply = await activeSla(supplier, supplierModel, account.accountId);
	const request = await register({ provider: supplier, customer: admin }, supply, account.endUser, { subject: `${account.accountId}'s request`, note: "Keep out" });
	// A file on a note of that request (the download endpoint's target).
	const file = await callJson<{ id: string }>(`/accounts/${account.accountId}/requests/${request.id}/attachments?name=keep-out.txt`, 201, {
		as: account.endUser,
		raw: "Keep out",
		headers: { "Content-Type": "text/plain", "Content-Length": "8" },
	});
	await callJson(`/accounts/${account.accountId}/requests/${request.id}/actions`, 200, { as: account.endUser, body: { type: "note", body: "The file", attachmentIds: [file.id] } });
	const { invitation } = await invite(admin, account.accountId, { name: "Ivy Invitee", email: uniqueEmail("ivy"), roles: ["specialist"] });
	// The asker's trust request told the administrator: a notification of theirs to protect.
	const notifications = await callJson<{ items: { id: string; kind: string }[] }>(`/accounts/${account.accountId}/notifications`, 200, { as: admin });
	const asked = notifications.items.find((n) => n.kind === "trust_asked");
	if (!asked) throw new Error("the fixture's administrator has no trust_asked notification");
	const saved = await callJson<{ id: string }>(`/accounts/${account.accountId}/saved-filters`, 201, { as: admin, body: { name: "Breached", view: "inbox", query: "sla=breached" } });
	const appBody = { scopes: ["teams:read"], endpointUrl: `${inject("webhookReceiver")}/${unique("isolation-app")}` };
	const app = await callJson<{ offering: { id: string } }>(`/accounts/${account.accountId}/app-offerings`, 201, { as: admin, body: { ...appBody, name: "Own app" } });
	const spareApp = await callJson<{ offering: { id: string } }>(`/accounts/${account.accountId}/app-offerings`, 201, { as: admin, body: { ...appBody, name: "Spare app" } });
	const installation = await callJson<{ id: string }>(`/accounts/${account.accountId}/app-installations`, 201, {
		as: admin,
		body: { providerAccountId: supplier.accountId, offeringId: supplierApp, config: {} },
	});
	await settle(account.accountId, supplier.accountId);
	// A webhook endpoint with one delivery in its log (to the tests' receiver).
	const hook = await callJson<{ endpoint: { id: string } }>(`/accounts/${account.accountId}/webhooks`, 201, {
		as: admin,
		body: { url: `${inject("webhookReceiver")}/${unique("isolation")}`, eventTypes: ["webhook.test"] },
	});
	const hookDelivery = await callJson<{ id: string }>(`/accounts/${account.accountId}/webhooks/${hook.endpoint.id}/test`, 202, { as: admin, method: "POST" });
	return {
		accountId: account.accountId,
		teamId: team.id,
		hostname,
		readPersonId: account.admin.id,
		patchPersonId: account.specialist.id,
		deletePersonId: victim.id,
		tokenId: account.token.id ?? "",
		customerId: customer.accountId,
		askerId: asker.accountId,
		strangerId: stranger.accountId,
		serviceId: model.service.id,
		instanceId: model.instance.id,
		offeringId: model.offering.id,
		spareServiceId: spare.service.id,
		spareInstanceId: spareInstance.id,
		spareOfferingId: spareOffering.id,
		slaId: sla.id,
		parked: { to: parked.to, seq: Number(parked.id.split("#")[1]) },
		supplierId: supplier.accountId,
		supplySlaId: supply.id,
		requestId: request.id,
		attachmentId: file.id,
		invitationId: invitation.id,
		notificationId: asked.id,
		savedFilterId: saved.id,
		appOfferingId: app.offering.id,
		spareAppOfferingId: spareApp.offering.id,
		appInstallationId: installation.id,
		installableAppId: supplierSpareApp,
		webhookId: hook.endpoint.id,
		webhookDeliveryId: hookDelivery.id,
	};
}

beforeAll(async () => {
	[A, B] = await Promise.all([seedAccount("a"), seedAccount("b")]);
	// Re-sending an invitation's mail needs a confirmed address (email-verification.ts).
	await Promise.all([verifyAddress(A.admin), verifyAddress(B.admin)]);
	[customer, asker, stranger, unreachable, supplier] = await Promise.all([signUp(), signUp(), signUp(), signUp(), signUp()]);
	supplierModel = await defineEmail(supplier);
	const appOf = async (name: string) => {
		const app = await callJson<{ offering: { id: string } }>(`/accounts/${supplier.accountId}/app-offerings`, 201, {
			as: supplier,
			body: { name, scopes: ["teams:read"], endpointUrl: `${inject("webhookReceiver")}/${unique("supplier-app")}` },
		});
		await callJson(`/accounts/${supplier.accountId}/app-offerings/${app.offering.id}/publication`, 200, { as: supplier, method: "PUT", body: { to: "all" } });
		return app.offering.id;
	};
	supplierApp = await appOf("Supplier app");
	supplierSpareApp = await appOf("Another supplier app");
	teamA = await createTeam(A.admin, A.accountId, { name: "A Team", memberIds: [A.specialist.id], coordinatorId: A.specialist.id });
	teamB = await createTeam(B.admin, B.accountId, { name: "B Team", memberIds: [B.specialist.id] });
	await callJson(`/accounts/${A.accountId}/design`, 200, { method: "PATCH", as: A.admin, body: { welcomeText: "A's welcome" } });
	targetA = await targetOf(A, teamA);
	targetB = await targetOf(B, teamB);
	// A version of the supplier's app with more scopes: waiting for approval in A and in B.
	await callJson(`/accounts/${supplier.accountId}/app-offerings/${supplierApp}`, 200, { as: supplier, method: "PATCH", body: { scopes: ["teams:read", "people:read"] } });
	await settle(supplier.accountId, A.accountId, B.accountId);
	before = await snapshotAccount(A.admin, A.accountId);
	beforeServices = await snapshotServices(A.admin, A.accountId);
	beforeRequests = await snapshotRequests(A.admin, targetA);
	beforeNotifications = await callJson(`/accounts/${A.accountId}/notifications?order=newest`, 200, { as: A.admin });
	beforePreferences = await callJson(`/accounts/${A.accountId}/notification-preferences`, 200, { as: A.admin });
	beforeSavedFilters = await callJson(`/accounts/${A.accountId}/saved-filters`, 200, { as: A.admin });
	await env.ACCOUNT.getByName(A.accountId).sendWebhooksNow();
	beforeWebhooks = await webhooksOf(A.admin, targetA);
}, 60_000);

/** A's endpoints and the log of the fixture's one (its test event, sent). */
async function webhooksOf(admin: Caller, target: Target) {
	return {
		endpoints: await callJson(`/accounts/${target.accountId}/webhooks`, 200, { as: admin }),
		log: await callJson(`/accounts/${target.accountId}/webhooks/${target.webhookId}/deliveries`, 200, { as: admin }),
	};
}

describe("the fixture", () => {
	it("the matrix covers every account-scoped operation of the OpenAPI document", async () => {
		const doc = await callJson<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json", 200);
		const documented = Object.entries(doc.paths)
			.filter(([path]) => path.startsWith("/api/v1/accounts/{accountId}"))
			.flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.slice("/api/v1".length)}`));
		expect(ENDPOINTS.map(label).sort()).toEqual(documented.sort());
	});

	it.each(ACTORS)("B's %s can reach B's own account, so a 404 on A is isolation and not bad credentials", async (name) => {
		const account = await callJson<Account>(`/accounts/${B.accountId}`, 200, { as: actor(B, name) });
		expect(account.id).toBe(B.accountId);
	});

	it("A's snapshot holds real data to protect", () => {
		expect(before.people.length).toBe(4);
		expect(before.teams.map((t) => t.name).sort()).toEqual(["A Team", "Email Support", "Email Support (spare)"]);
		const appToken = before.tokens.find((t) => t.name.startsWith("App: "));
		expect(before.tokens.map((t) => t.id).sort()).toEqual([targetA.tokenId, appToken?.id].sort());
		expect(before.account.hostnames).toEqual([targetA.hostname]);
		const trusts = Object.fromEntries(beforeServices.trusts.map((t) => [t.account.id, [t.status, t.initiatedBy]]));
		expect(trusts).toEqual({
			[customer.accountId]: ["active", "them"],
			[asker.accountId]: ["pending", "them"],
			[unreachable.accountId]: ["active", "them"],
			[supplier.accountId]: ["active", "us"],
		});
		expect(beforeServices.slas.map((s) => [s.id, s.status])).toEqual([[targetA.slaId, "being_prepared"]]);
		expect(beforeServices.messages.map((m) => [m.to, m.status])).toEqual([[unreachable.accountId, "parked"]]);
		expect(beforeRequests.list).toMatchObject({ total: 1, items: [{ id: targetA.requestId, status: "assigned" }] });
		expect(beforeRequests.supplierInbox).toMatchObject([{ id: targetA.requestId }]);
	});

	// (B's token on B, so that A's token stays unused for the comparison below.)
	it.each([...PERSON_ONLY_ROUTES])("%s is for signed-in people: an account's own token with every scope gets 403", async (route) => {
		const endpoint = ENDPOINTS.find((e) => `${e.method} ${e.route}` === route) as Endpoint;
		await expectError(await requestOf(endpoint, targetB, B.token), 403, "forbidden");
	});
});

describe.each(ACTORS)("B's %s using A's account id", (name) => {
	it.each(ENDPOINTS.map((e) => [label(e), e] as const))("%s answers 404 not_found", async (_label, endpoint) => {
		const body = endpoint.body?.(targetA);
		if (body && typeof body === "object") {
			if ("hostname" in body) claimedHostnames.push(String(body.hostname));
			if ("email" in body) triedEmails.push(String(body.email));
		}
		const res = await call(endpoint.path(targetA), { method: endpoint.method, as: actor(B, name), body });
		await expectError(res, 404, "not_found");
	});
});

describe("anonymous callers", () => {
	it.each(ENDPOINTS.map((e) => [label(e), e] as const))("%s on A answers 401", async (_label, endpoint) => {
		await expectError(await requestOf(endpoint, targetA), 401, "unauthenticated");
	});
});

describe("after every attempt", () => {
	it("A's account, design, hostnames, people, teams and tokens are unchanged", async () => {
		expect(triedEmails.length).toBeGreaterThan(0);
		const after = await snapshotAccount(A.admin, A.accountId);
		expect(after).toEqual(before);
	});

	it("A's trusts, service model, SLAs, received SLAs, outbox and catalog are unchanged", async () => {
		expect(await snapshotServices(A.admin, A.accountId)).toEqual(beforeServices);
	});

	it("A's administrator's notifications and preferences are unchanged", async () => {
		expect(await callJson(`/accounts/${A.accountId}/notifications?order=newest`, 200, { as: A.admin })).toEqual(beforeNotifications);
		expect(await callJson(`/accounts/${A.accountId}/notification-preferences`, 200, { as: A.admin })).toEqual(beforePreferences);
	});

	it("A's webhook endpoints and their log are unchanged", async () => {
		// The fixture's endpoint, and those A's app offerings own (their deliveries go out through them).
		expect(beforeWebhooks).toMatchObject({ endpoints: { items: expect.arrayContaining([expect.objectContaining({ id: targetA.webhookId })]) }, log: { items: [{ id: targetA.webhookDeliveryId, status: "succeeded", attempts: 1 }] } });
		expect((beforeWebhooks as { endpoints: { items: unknown[] } }).endpoints.items).toHaveLength(3);
		await env.ACCOUNT.getByName(A.accountId).sendWebhooksNow();
		expect(await webhooksOf(A.admin, targetA)).toEqual(beforeWebhooks);
	});

	it("A's administrator's saved filters are unchanged", async () => {
		expect(beforeSavedFilters).toMatchObject({ items: [{ id: targetA.savedFilterId, name: "Breached" }] });
		expect(await callJson(`/accounts/${A.accountId}/saved-filters`, 200, { as: A.admin })).toEqual(beforeSavedFilters);
	});

	it("A's requests, its Inbox and its supplier's index of them are unchanged", async () => {
		await settle(A.accountId, supplier.accountId);
		expect(await snapshotRequests(A.admin, targetA)).toEqual(beforeRequests);
	});

	it("the accounts A deals with heard nothing from B's attempts", async () => {
		await settle(A.accountId, customer.accountId, asker.accountId, stranger.accountId);
		expect((await callJson<Trust>(`/accounts/${asker.accountId}/trusts/${A.accountId}`, 200, { as: asker })).status).toBe("pending");
		await callError(`/accounts/${stranger.accountId}/trusts/${A.accountId}`, 404, "not_found", { as: stranger });
		const capabilities = (await callJson<Trust>(`/accounts/${customer.accountId}/trusts/${A.accountId}`, 200, { as: customer })).proposedCapabilities;
		expect(capabilities).toBeNull();
	});

	it("no hostname B tried to claim for A was claimed, and no address B tried to add exists", async () => {
		for (const hostname of claimedHostnames) {
			const row = await env.DB.prepare("SELECT account_id FROM account_hostnames WHERE hostname = ?").bind(hostname).first();
			expect(row).toBeNull();
		}
		for (const email of triedEmails) {
			const row = await env.DB.prepare("SELECT id FROM people WHERE email = ?").bind(email).first();
			expect(row).toBeNull();
			const invited = await env.DB.prepare("SELECT id FROM invitations WHERE email = ?").bind(email).first();
			expect(invited).toBeNull();
		}
	});

	it("A's app offerings and installation are as they were: the installation live, its update still waiting", async () => {
		const installation = await callJson<{ status: string; version: number }>(`/accounts/${A.accountId}/app-installations/${targetA.appInstallationId}`, 200, { as: A.admin });
		expect(installation).toMatchObject({ status: "active", version: 1, pendingUpdate: { version: 2 } });
		const offering = await callJson<{ description: string }>(`/accounts/${A.accountId}/app-offerings/${targetA.appOfferingId}`, 200, { as: A.admin });
		expect(offering).toMatchObject({ description: "", publishedTo: "none" });
		await callJson(`/accounts/${A.accountId}/app-offerings/${targetA.spareAppOfferingId}`, 200, { as: A.admin });
	});

	it("A's people, team and token still work", async () => {
		await callJson(`/accounts/${A.accountId}/people`, 200, { as: A.specialist });
		await callJson(`/accounts/${A.accountId}/teams/${teamA.id}`, 200, { as: A.token });
		await callJson(`/accounts/${A.accountId}`, 200, { as: A.endUser });
	});
});

describe("B's administrator on B's own path with A's ids", () => {
	const own = () => `/accounts/${B.accountId}`;

	it("A's team id is 404 for read, change and delete", async () => {
		await callError(`${own()}/teams/${teamA.id}`, 404, "not_found", { as: B.admin });
		await callError(`${own()}/teams/${teamA.id}`, 404, "not_found", { method: "PATCH", as: B.admin, body: { name: "Stolen" } });
		await callError(`${own()}/teams/${teamA.id}`, 404, "not_found", { method: "DELETE", as: B.admin });
		const team = await callJson<Team>(`/accounts/${A.accountId}/teams/${teamA.id}`, 200, { as: A.admin });
		expect(team.name).toBe("A Team");
	});

	it("A's person id is 404 for read, role change and removal", async () => {
		const id = A.specialist.id;
		await callError(`${own()}/people/${id}`, 404, "not_found", { as: B.admin });
		await callError(`${own()}/people/${id}`, 404, "not_found", { method: "PATCH", as: B.admin, body: { roles: ["end_user"] } });
		await callError(`${own()}/people/${id}`, 404, "not_found", { method: "DELETE", as: B.admin });
		const team = await callJson<Team>(`/accounts/${A.accountId}/teams/${teamA.id}`, 200, { as: A.admin });
		expect(team.members.map((m) => m.id)).toEqual([id]);
	});

	it("A's token id is 404 for revocation, and the token keeps working", async () => {
		await callError(`${own()}/api-tokens/${targetA.tokenId}`, 404, "not_found", { method: "DELETE", as: B.admin });
		await callJson(`/accounts/${A.accountId}`, 200, { as: A.token });
	});

	it("A's invitation id is 404 for a new link, a re-sent mail and revocation, and it stays pending", async () => {
		await callError(`${own()}/invitations/${targetA.invitationId}/link`, 404, "not_found", { method: "POST", as: B.admin });
		await callError(`${own()}/invitations/${targetA.invitationId}/resend`, 404, "not_found", { method: "POST", as: B.admin });
		await callError(`/accounts/${A.accountId}/invitations/${targetA.invitationId}/resend`, 404, "not_found", { method: "POST", as: B.token });
		await callError(`${own()}/invitations/${targetA.invitationId}/revoke`, 404, "not_found", { method: "POST", as: B.admin });
		const invitations = await callItems<Invitation>(`/accounts/${A.accountId}/invitations`, { as: A.admin });
		expect(invitations.find((i) => i.id === targetA.invitationId)?.status).toBe("pending");
	});

	it("A's invitation, addressed to someone else, is 404 for B's people to accept or decline; 403 for B's token", async () => {
		for (const who of [B.admin, B.specialist, B.endUser]) {
			for (const action of ["accept", "decline"]) {
				await callError(`/invitations/${targetA.invitationId}/${action}`, 404, "not_found", { method: "POST", as: who });
			}
			const mine = await callItems<Invitation>("/invitations", { as: who });
			expect(mine.map((i) => i.id)).not.toContain(targetA.invitationId);
		}
		await callError(`/invitations/${targetA.invitationId}/accept`, 403, "forbidden", { method: "POST", as: B.token });
		const invitations = await callItems<Invitation>(`/accounts/${A.accountId}/invitations`, { as: A.admin });
		expect(invitations.find((i) => i.id === targetA.invitationId)?.status).toBe("pending");
		await callError(`/accounts/${A.accountId}`, 404, "not_found", { as: B.admin });
	});

	it("A's hostname is 404 for removal", async () => {
		await callError(`${own()}/hostnames/${targetA.hostname}`, 404, "not_found", { method: "DELETE", as: B.admin });
		const account = await callJson<Account>(`/accounts/${A.accountId}`, 200, { as: A.admin });
		expect(account.hostnames).toEqual([targetA.hostname]);
	});

	it("A's person id as a member or coordinator of B's team is 400", async () => {
		const id = A.specialist.id;
		const created = await callError(`${own()}/teams`, 400, "invalid_input", { as: B.admin, body: { name: unique("Mixed"), memberIds: [id] } });
		expect(JSON.stringify(created.error.details)).toContain(id);
		await callError(`${own()}/teams/${teamB.id}`, 400, "invalid_input", { method: "PATCH", as: B.admin, body: { memberIds: [B.specialist.id, id] } });
		await callError(`${own()}/teams/${teamB.id}`, 400, "invalid_input", { method: "PATCH", as: B.admin, body: { memberIds: [id], coordinatorId: id } });
		const team = await callJson<Team>(`${own()}/teams/${teamB.id}`, 200, { as: B.admin });
		expect(team.members.map((m) => m.id)).toEqual([B.specialist.id]);
	});
});

describe("account ids smuggled outside the path", () => {
	it("an X-Account-Id header or accountId query parameter naming A changes nothing: B's request acts on B", async () => {
		const headers = { "X-Account-Id": A.accountId, "X-Tenant-Id": A.accountId };
		const read = await callJson<Account>(`/accounts/${B.accountId}?accountId=${A.accountId}`, 200, { as: B.admin, headers });
		expect(read.id).toBe(B.accountId);
		const people = await callItems<{ id: string }>(`/accounts/${B.accountId}/people?accountId=${A.accountId}`, { as: B.token, headers });
		expect(people.map((p) => p.id)).not.toContain(A.admin.id);
		const renamed = await callJson<Account>(`/accounts/${B.accountId}`, 200, { method: "PATCH", as: B.admin, headers, body: { name: "B renamed" } });
		expect(renamed.id).toBe(B.accountId);
		const a = await callJson<Account>(`/accounts/${A.accountId}`, 200, { as: A.admin });
		expect(a.name).toBe(before.account.name);
	});

	it.each([
		["PATCH", "", { name: "X", accountId: "A" }],
		["POST", "/teams", { name: "X", accountId: "A" }],
		["POST", "/people", { name: "X", email: "x@example.test", roles: ["end_user"], accountId: "A" }],
		["POST", "/api-tokens", { name: "X", scopes: ["account:read"], accountId: "A" }],
		["POST", "/hostnames", { hostname: "x.example.test", accountId: "A" }],
	])("an accountId field in a %s%s body is refused with 400", async (method, suffix, template) => {
		const body = { ...template, accountId: A.accountId };
		await callError(`/accounts/${B.accountId}${suffix}`, 400, "invalid_input", { method, as: B.admin, body });
	});

	it("a bearer token wins over a session cookie: B's token with A's admin cookie still cannot reach A", async () => {
		await callError(`/accounts/${A.accountId}`, 404, "not_found", { as: { token: B.token.token, cookie: A.admin.cookie } });
		await callError(`/accounts/${A.accountId}/people`, 404, "not_found", { as: { token: B.token.token, cookie: A.admin.cookie } });
	});

	it("ids in other cases or with trailing junk do not resolve to A", async () => {
		for (const segment of [A.accountId.toUpperCase(), `${A.accountId}%20`, `${A.accountId}%00`, `%20${A.accountId}`, `${A.accountId}.`]) {
			await callError(`/accounts/${segment}`, 404, "not_found", { as: B.admin });
		}
	});
});

describe("a person who belongs to both accounts", () => {
	it("holds in each account only the roles given there", async () => {
		const a = await seedAccount("dual-a");
		const b = await seedAccount("dual-b");
		// B's administrator is only an end user in A.
		const { invitation } = await invite(a.admin, a.accountId, { name: "B admin", email: b.admin.email, roles: ["end_user"] });
		await acceptInvitation(b.admin, invitation.id);
		await callJson(`/accounts/${b.accountId}/people`, 200, { as: b.admin });
		await callError(`/accounts/${a.accountId}/people`, 403, "forbidden", { as: b.admin });
		await callError(`/accounts/${a.accountId}`, 403, "forbidden", { method: "PATCH", as: b.admin, body: { name: "Mine" } });
		await callError(`/accounts/${a.accountId}/api-tokens`, 403, "forbidden", { as: b.admin, body: { name: "T", scopes: ["people:read"] } });
		const account = await callJson<Account>(`/accounts/${a.accountId}`, 200, { as: b.admin });
		expect(account.viewer.roles).toEqual(["end_user"]);
	});
});

describe("the same requests on B's own account", () => {
	// Proves the table's requests are valid: only the account decides between success and 404.
	it.each(ENDPOINTS.map((e) => [label(e), e] as const))("%s succeeds for B's administrator", async (_label, endpoint) => {
		const res = await requestOf(endpoint, targetB, B.admin);
		const text = await res.text();
		expect(res.status, text).toBe(expectedSuccess(endpoint));
	});
});

// The isolation matrix: every endpoint under /api/v1/accounts/{accountId}, with a valid request
// against the objects of one account (see isolation.test.ts).
import { unique, uniqueEmail } from "./helpers";
import { daysFromToday, OFFICE_HOURS, TARGETS, today } from "./service-helpers";

/** The objects of one account an endpoint can point at. */
export interface Target {
	accountId: string;
	teamId: string;
	hostname: string;
	/** A person to read, one to change, one to remove. */
	readPersonId: string;
	patchPersonId: string;
	deletePersonId: string;
	tokenId: string;
	/** An active customer of the account (the account is its provider). */
	customerId: string;
	/** An account whose trust request the account has not answered yet. */
	askerId: string;
	/** An account without any trust with the account. */
	strangerId: string;
	/** Service model: one service with an instance and an offering the SLA uses, and spare ones to delete. */
	serviceId: string;
	instanceId: string;
	offeringId: string;
	spareServiceId: string;
	spareInstanceId: string;
	spareOfferingId: string;
	/** An SLA being prepared for the customer. */
	slaId: string;
	/** A message that failed until it was parked. */
	parked: { to: string; seq: number };
	/** A provider the account is a customer of, with an active SLA for it (to register requests under). */
	supplierId: string;
	supplySlaId: string;
	/** A request of the account's end user, registered under that SLA. */
	requestId: string;
	/** A file on a shared note of that request. */
	attachmentId: string;
	/** A pending invitation of the account (to an address of nobody in the fixture). */
	invitationId: string;
	/** A notification of the account's administrator (the asker's trust request). */
	notificationId: string;
	/** A saved filter of the account's administrator. */
	savedFilterId: string;
	/** An app offering of the account (installed by nobody), and a spare one to delete. */
	appOfferingId: string;
	spareAppOfferingId: string;
	/** The account's installation of the supplier's app, with a new version waiting for approval. */
	appInstallationId: string;
	/** Another app of the supplier, published to the account and not installed. */
	installableAppId: string;
	/** A webhook endpoint of the account, and one delivery of its log. */
	webhookId: string;
	webhookDeliveryId: string;
}

export interface Endpoint {
	method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
	/** The route as the OpenAPI document names it. */
	route: string;
	path: (t: Target) => string;
	/** A valid body, so that a missing check would let the request through. */
	body?: (t: Target) => unknown;
}

const acct = (t: Target) => `/accounts/${t.accountId}`;
/** A report range around today (the fixture's requests were registered today). */
const range = () => `from=${daysFromToday(-1)}&until=${daysFromToday(1)}`;

/** Every endpoint under /api/v1/accounts/{accountId}. */
export const ENDPOINTS: Endpoint[] = [
	{ method: "GET", route: "/accounts/{accountId}", path: acct },
	{ method: "PATCH", route: "/accounts/{accountId}", path: acct, body: () => ({ name: "Taken over", timeZone: "Asia/Tokyo" }) },
	{ method: "PATCH", route: "/accounts/{accountId}/design", path: (t) => `${acct(t)}/design`, body: () => ({ title: "Taken over", primaryColor: "#000000" }) },
	{ method: "POST", route: "/accounts/{accountId}/hostnames", path: (t) => `${acct(t)}/hostnames`, body: () => ({ hostname: `${unique("claim")}.evil.test` }) },
	{ method: "DELETE", route: "/accounts/{accountId}/hostnames/{hostname}", path: (t) => `${acct(t)}/hostnames/${t.hostname}` },
	{ method: "GET", route: "/accounts/{accountId}/people", path: (t) => `${acct(t)}/people` },
	{
		method: "POST",
		route: "/accounts/{accountId}/people",
		path: (t) => `${acct(t)}/people`,
		body: () => ({ name: "Intruder", email: uniqueEmail("intruder"), roles: ["account_administrator"] }),
	},
	{ method: "GET", route: "/accounts/{accountId}/invitations", path: (t) => `${acct(t)}/invitations` },
	// A new link and a re-sent mail before the revocation: on B's own account all must succeed in this order.
	{ method: "POST", route: "/accounts/{accountId}/invitations/{invitationId}/link", path: (t) => `${acct(t)}/invitations/${t.invitationId}/link` },
	{ method: "POST", route: "/accounts/{accountId}/invitations/{invitationId}/resend", path: (t) => `${acct(t)}/invitations/${t.invitationId}/resend` },
	{ method: "POST", route: "/accounts/{accountId}/invitations/{invitationId}/revoke", path: (t) => `${acct(t)}/invitations/${t.invitationId}/revoke` },
	{ method: "GET", route: "/accounts/{accountId}/people/{personId}", path: (t) => `${acct(t)}/people/${t.readPersonId}` },
	{ method: "PATCH", route: "/accounts/{accountId}/people/{personId}", path: (t) => `${acct(t)}/people/${t.patchPersonId}`, body: () => ({ roles: ["account_administrator"] }) },
	{ method: "DELETE", route: "/accounts/{accountId}/people/{personId}", path: (t) => `${acct(t)}/people/${t.deletePersonId}` },
	{ method: "GET", route: "/accounts/{accountId}/teams", path: (t) => `${acct(t)}/teams` },
	{ method: "POST", route: "/accounts/{accountId}/teams", path: (t) => `${acct(t)}/teams`, body: () => ({ name: unique("Intruders") }) },
	{ method: "GET", route: "/accounts/{accountId}/teams/{teamId}", path: (t) => `${acct(t)}/teams/${t.teamId}` },
	{ method: "PATCH", route: "/accounts/{accountId}/teams/{teamId}", path: (t) => `${acct(t)}/teams/${t.teamId}`, body: () => ({ name: unique("Renamed"), memberIds: [] }) },
	{ method: "DELETE", route: "/accounts/{accountId}/teams/{teamId}", path: (t) => `${acct(t)}/teams/${t.teamId}` },
	{ method: "GET", route: "/accounts/{accountId}/api-tokens", path: (t) => `${acct(t)}/api-tokens` },
	{ method: "POST", route: "/accounts/{accountId}/api-tokens", path: (t) => `${acct(t)}/api-tokens`, body: () => ({ name: "Backdoor", scopes: ["people:write"], expiresInDays: null }) },
	{ method: "DELETE", route: "/accounts/{accountId}/api-tokens/{tokenId}", path: (t) => `${acct(t)}/api-tokens/${t.tokenId}` },
	{ method: "GET", route: "/accounts/{accountId}/trusts", path: (t) => `${acct(t)}/trusts` },
	{ method: "POST", route: "/accounts/{accountId}/trusts", path: (t) => `${acct(t)}/trusts`, body: (t) => ({ accountId: t.strangerId, ourRole: "customer" }) },
	{ method: "GET", route: "/accounts/{accountId}/trusts/{otherAccountId}", path: (t) => `${acct(t)}/trusts/${t.customerId}` },
	{ method: "POST", route: "/accounts/{accountId}/trusts/{otherAccountId}/{action}", path: (t) => `${acct(t)}/trusts/${t.askerId}/accept` },
	{
		method: "PUT",
		route: "/accounts/{accountId}/trusts/{otherAccountId}/capabilities",
		path: (t) => `${acct(t)}/trusts/${t.customerId}/capabilities`,
		body: () => ({ capabilities: { shareRoles: true, assignTasks: true } }),
	},
	{ method: "GET", route: "/accounts/{accountId}/trusts/{otherAccountId}/people", path: (t) => `${acct(t)}/trusts/${t.customerId}/people` },
	{ method: "GET", route: "/accounts/{accountId}/service-model", path: (t) => `${acct(t)}/service-model` },
	{ method: "POST", route: "/accounts/{accountId}/services", path: (t) => `${acct(t)}/services`, body: () => ({ name: unique("Intrusion") }) },
	{ method: "PATCH", route: "/accounts/{accountId}/services/{id}", path: (t) => `${acct(t)}/services/${t.serviceId}`, body: () => ({ description: "Taken over" }) },
	{ method: "DELETE", route: "/accounts/{accountId}/services/{id}", path: (t) => `${acct(t)}/services/${t.spareServiceId}` },
	{ method: "POST", route: "/accounts/{accountId}/service-instances", path: (t) => `${acct(t)}/service-instances`, body: (t) => ({ serviceId: t.serviceId, name: unique("Rogue") }) },
	{ method: "PATCH", route: "/accounts/{accountId}/service-instances/{id}", path: (t) => `${acct(t)}/service-instances/${t.instanceId}`, body: () => ({ status: "discontinued" }) },
	{ method: "DELETE", route: "/accounts/{accountId}/service-instances/{id}", path: (t) => `${acct(t)}/service-instances/${t.spareInstanceId}` },
	{
		method: "POST",
		route: "/accounts/{accountId}/service-offerings",
		path: (t) => `${acct(t)}/service-offerings`,
		body: (t) => ({ serviceId: t.serviceId, name: unique("Free"), targets: TARGETS, supportHours: OFFICE_HOURS }),
	},
	{ method: "PATCH", route: "/accounts/{accountId}/service-offerings/{id}", path: (t) => `${acct(t)}/service-offerings/${t.offeringId}`, body: () => ({ summary: "Taken over" }) },
	{ method: "DELETE", route: "/accounts/{accountId}/service-offerings/{id}", path: (t) => `${acct(t)}/service-offerings/${t.spareOfferingId}` },
	{ method: "GET", route: "/accounts/{accountId}/slas", path: (t) => `${acct(t)}/slas` },
	{
		method: "POST",
		route: "/accounts/{accountId}/slas",
		path: (t) => `${acct(t)}/slas`,
		body: (t) => ({ offeringId: t.offeringId, serviceInstanceId: t.instanceId, customerAccountId: t.customerId, startDate: today(), name: unique("Rogue SLA") }),
	},
	{ method: "GET", route: "/accounts/{accountId}/slas/{slaId}", path: (t) => `${acct(t)}/slas/${t.slaId}` },
	{ method: "PATCH", route: "/accounts/{accountId}/slas/{slaId}", path: (t) => `${acct(t)}/slas/${t.slaId}`, body: () => ({ name: unique("Renamed SLA") }) },
	{ method: "POST", route: "/accounts/{accountId}/slas/{slaId}/status", path: (t) => `${acct(t)}/slas/${t.slaId}/status`, body: () => ({ action: "activate" }) },
	{ method: "GET", route: "/accounts/{accountId}/received-slas", path: (t) => `${acct(t)}/received-slas` },
	{ method: "GET", route: "/accounts/{accountId}/catalog", path: (t) => `${acct(t)}/catalog` },
	{ method: "GET", route: "/accounts/{accountId}/messages", path: (t) => `${acct(t)}/messages` },
	{ method: "POST", route: "/accounts/{accountId}/messages/{to}/{seq}/retry", path: (t) => `${acct(t)}/messages/${t.parked.to}/${t.parked.seq}/retry` },
	{ method: "GET", route: "/accounts/{accountId}/mail-deliveries", path: (t) => `${acct(t)}/mail-deliveries` },
	{ method: "GET", route: "/accounts/{accountId}/requests", path: (t) => `${acct(t)}/requests?scope=account` },
	{
		method: "POST",
		route: "/accounts/{accountId}/requests",
		path: (t) => `${acct(t)}/requests`,
		body: (t) => ({ providerAccountId: t.supplierId, slaId: t.supplySlaId, subject: "Planted request", note: "Planted" }),
	},
	{ method: "GET", route: "/accounts/{accountId}/requests/{requestId}", path: (t) => `${acct(t)}/requests/${t.requestId}` },
	{
		method: "POST",
		route: "/accounts/{accountId}/requests/{requestId}/actions",
		path: (t) => `${acct(t)}/requests/${t.requestId}/actions`,
		body: () => ({ type: "note", body: "Planted note" }),
	},
	{
		method: "POST",
		route: "/accounts/{accountId}/requests/{requestId}/attachments",
		path: (t) => `${acct(t)}/requests/${t.requestId}/attachments?name=planted.txt`,
		// Any body is a file; JSON is as good as any.
		body: () => ({ planted: "file" }),
	},
	{
		method: "GET",
		route: "/accounts/{accountId}/requests/{requestId}/attachments/{attachmentId}",
		path: (t) => `${acct(t)}/requests/${t.requestId}/attachments/${t.attachmentId}`,
	},
	{ method: "GET", route: "/accounts/{accountId}/requests/{requestId}/slas", path: (t) => `${acct(t)}/requests/${t.requestId}/slas` },
	{ method: "GET", route: "/accounts/{accountId}/inbox", path: (t) => `${acct(t)}/inbox` },
	// The events API (events.test.ts): the supplier's service is "Email".
	{
		method: "POST",
		route: "/accounts/{accountId}/events",
		path: (t) => `${acct(t)}/events`,
		body: () => ({ source: "planted", sourceId: unique("alert"), service: "Email", subject: "Planted event", note: "Planted" }),
	},
	{ method: "POST", route: "/accounts/{accountId}/realtime/tickets", path: (t) => `${acct(t)}/realtime/tickets` },
	// SLA reports: the account's own (as a provider), and its supplier's report of its SLAs (as a customer).
	{ method: "GET", route: "/accounts/{accountId}/sla-reports", path: (t) => `${acct(t)}/sla-reports?${range()}` },
	{ method: "GET", route: "/accounts/{accountId}/sla-reports/requests", path: (t) => `${acct(t)}/sla-reports/requests?${range()}&provider=${t.supplierId}` },
	{ method: "GET", route: "/accounts/{accountId}/sla-reports/export.csv", path: (t) => `${acct(t)}/sla-reports/export.csv?${range()}&provider=${t.supplierId}` },
	// The signed-in person's own notifications and preferences (notifications.test.ts).
	{ method: "GET", route: "/accounts/{accountId}/notifications", path: (t) => `${acct(t)}/notifications` },
	{ method: "GET", route: "/accounts/{accountId}/notifications/unread-count", path: (t) => `${acct(t)}/notifications/unread-count` },
	{ method: "PUT", route: "/accounts/{accountId}/notifications/{notificationId}/read", path: (t) => `${acct(t)}/notifications/${t.notificationId}/read` },
	{ method: "PUT", route: "/accounts/{accountId}/notifications/read-all", path: (t) => `${acct(t)}/notifications/read-all` },
	{ method: "GET", route: "/accounts/{accountId}/notification-preferences", path: (t) => `${acct(t)}/notification-preferences` },
	// Global search (search.test.ts): open to tokens too, for the kinds their scopes read.
	{ method: "GET", route: "/accounts/{accountId}/search", path: (t) => `${acct(t)}/search?q=planted` },
	{
		method: "PUT",
		route: "/accounts/{accountId}/notification-preferences",
		path: (t) => `${acct(t)}/notification-preferences`,
		body: () => ({ items: [{ kind: "my_request_updated", inApp: false, email: false }] }),
	},
	// The signed-in person's own saved filters (inbox-filters.test.ts).
	{ method: "GET", route: "/accounts/{accountId}/saved-filters", path: (t) => `${acct(t)}/saved-filters` },
	{ method: "POST", route: "/accounts/{accountId}/saved-filters", path: (t) => `${acct(t)}/saved-filters`, body: () => ({ name: "Planted", view: "inbox", query: "status=assigned" }) },
	{ method: "PATCH", route: "/accounts/{accountId}/saved-filters/{filterId}", path: (t) => `${acct(t)}/saved-filters/${t.savedFilterId}`, body: () => ({ name: "Taken over" }) },
	{ method: "DELETE", route: "/accounts/{accountId}/saved-filters/{filterId}", path: (t) => `${acct(t)}/saved-filters/${t.savedFilterId}` },
	// Apps (apps.test.ts): the account's offerings as a provider, its installations as a customer.
	{ method: "GET", route: "/accounts/{accountId}/app-offerings", path: (t) => `${acct(t)}/app-offerings` },
	{
		method: "POST",
		route: "/accounts/{accountId}/app-offerings",
		path: (t) => `${acct(t)}/app-offerings`,
		body: () => ({ name: unique("Rogue app"), scopes: ["people:read"], endpointUrl: "https://rogue.example.test/hook" }),
	},
	{ method: "GET", route: "/accounts/{accountId}/app-offerings/{offeringId}", path: (t) => `${acct(t)}/app-offerings/${t.appOfferingId}` },
	{ method: "PATCH", route: "/accounts/{accountId}/app-offerings/{offeringId}", path: (t) => `${acct(t)}/app-offerings/${t.appOfferingId}`, body: () => ({ description: "Taken over" }) },
	{ method: "DELETE", route: "/accounts/{accountId}/app-offerings/{offeringId}", path: (t) => `${acct(t)}/app-offerings/${t.spareAppOfferingId}` },
	{ method: "PUT", route: "/accounts/{accountId}/app-offerings/{offeringId}/publication", path: (t) => `${acct(t)}/app-offerings/${t.appOfferingId}/publication`, body: (t) => ({ to: [t.strangerId] }) },
	{ method: "GET", route: "/accounts/{accountId}/app-offerings/{offeringId}/installations", path: (t) => `${acct(t)}/app-offerings/${t.appOfferingId}/installations` },
	{ method: "GET", route: "/accounts/{accountId}/available-apps", path: (t) => `${acct(t)}/available-apps` },
	{ method: "GET", route: "/accounts/{accountId}/app-installations", path: (t) => `${acct(t)}/app-installations` },
	{
		method: "POST",
		route: "/accounts/{accountId}/app-installations",
		path: (t) => `${acct(t)}/app-installations`,
		body: (t) => ({ providerAccountId: t.supplierId, offeringId: t.installableAppId, config: {} }),
	},
	{ method: "GET", route: "/accounts/{accountId}/app-installations/{installationId}", path: (t) => `${acct(t)}/app-installations/${t.appInstallationId}` },
	{ method: "POST", route: "/accounts/{accountId}/app-installations/{installationId}/approve-update", path: (t) => `${acct(t)}/app-installations/${t.appInstallationId}/approve-update` },
	{ method: "DELETE", route: "/accounts/{accountId}/app-installations/{installationId}", path: (t) => `${acct(t)}/app-installations/${t.appInstallationId}` },
	// Webhooks (webhooks.test.ts). The planted URL is public, so only the account check can stop it.
	{ method: "GET", route: "/accounts/{accountId}/webhooks", path: (t) => `${acct(t)}/webhooks` },
	{ method: "POST", route: "/accounts/{accountId}/webhooks", path: (t) => `${acct(t)}/webhooks`, body: () => ({ url: "https://planted.example.com/hook", eventTypes: ["*"] }) },
	{ method: "GET", route: "/accounts/{accountId}/webhooks/{endpointId}", path: (t) => `${acct(t)}/webhooks/${t.webhookId}` },
	{ method: "PATCH", route: "/accounts/{accountId}/webhooks/{endpointId}", path: (t) => `${acct(t)}/webhooks/${t.webhookId}`, body: () => ({ url: "https://planted.example.com/hook" }) },
	{ method: "POST", route: "/accounts/{accountId}/webhooks/{endpointId}/rotate-secret", path: (t) => `${acct(t)}/webhooks/${t.webhookId}/rotate-secret` },
	{ method: "GET", route: "/accounts/{accountId}/webhooks/{endpointId}/deliveries", path: (t) => `${acct(t)}/webhooks/${t.webhookId}/deliveries` },
	{
		method: "POST",
		route: "/accounts/{accountId}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
		path: (t) => `${acct(t)}/webhooks/${t.webhookId}/deliveries/${t.webhookDeliveryId}/redeliver`,
	},
	{ method: "POST", route: "/accounts/{accountId}/webhooks/{endpointId}/test", path: (t) => `${acct(t)}/webhooks/${t.webhookId}/test` },
	// Last: the endpoints above use it.
	{ method: "DELETE", route: "/accounts/{accountId}/webhooks/{endpointId}", path: (t) => `${acct(t)}/webhooks/${t.webhookId}` },
];

/** What a token with requests:read reads of requests (requests-tokens.test.ts): everything else about requests is for people. */
export const TOKEN_READABLE_REQUEST_ROUTES = new Set([
	"GET /accounts/{accountId}/requests",
	"GET /accounts/{accountId}/requests/{requestId}",
	"GET /accounts/{accountId}/requests/{requestId}/slas",
]);

/** The request, notification and saved-filter endpoints: for signed-in people only, never for API tokens (SLA reports are for tokens with reports:read too). */
export const PERSON_ONLY_ROUTES = new Set(
	ENDPOINTS.filter((e) => /^\/accounts\/\{accountId\}\/(requests|inbox|realtime|notifications|notification-preferences|saved-filters)/.test(e.route))
		.map((e) => `${e.method} ${e.route}`)
		.filter((route) => !TOKEN_READABLE_REQUEST_ROUTES.has(route)),
);

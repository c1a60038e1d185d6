// The API description: the OpenAPI 3.1 document, the reference page, and unknown routes.
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../worker/shared/errors";
import { call, callError, callJson } from "./helpers";

interface Operation {
	responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
	requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
	security?: unknown[];
	parameters?: { $ref?: string }[];
}

interface OpenApiDocument {
	openapi: string;
	info: { title: string; version: string };
	paths: Record<string, Record<string, Operation>>;
	components: {
		schemas: Record<string, { properties?: Record<string, { properties?: Record<string, { enum?: string[] }> }> }>;
		securitySchemes: Record<string, { type: string }>;
		parameters: Record<string, { name: string; in: string; required: boolean }>;
	};
}

/** Every route the worker tests exercise, as "METHOD path". */
const EXERCISED_ROUTES = [
	"GET /api/v1/health",
	"POST /api/v1/signup",
	"POST /api/v1/session",
	"GET /api/v1/session",
	"DELETE /api/v1/session",
	"POST /api/v1/accounts",
	"GET /api/v1/accounts/{accountId}",
	"PATCH /api/v1/accounts/{accountId}",
	"PATCH /api/v1/accounts/{accountId}/design",
	"POST /api/v1/accounts/{accountId}/hostnames",
	"DELETE /api/v1/accounts/{accountId}/hostnames/{hostname}",
	"GET /api/v1/portals/{accountId}",
	"GET /api/v1/accounts/{accountId}/people",
	"POST /api/v1/accounts/{accountId}/people",
	"GET /api/v1/accounts/{accountId}/people/{personId}",
	"PATCH /api/v1/accounts/{accountId}/people/{personId}",
	"DELETE /api/v1/accounts/{accountId}/people/{personId}",
	// Invitations and passwords (invitations.test.ts, passwords.test.ts)
	"GET /api/v1/accounts/{accountId}/invitations",
	"POST /api/v1/accounts/{accountId}/invitations/{invitationId}/revoke",
	"POST /api/v1/accounts/{accountId}/invitations/{invitationId}/link",
	"GET /api/v1/invitations",
	"POST /api/v1/invitations/{invitationId}/accept",
	"POST /api/v1/invitations/{invitationId}/decline",
	"GET /api/v1/invitation-links/{token}",
	"POST /api/v1/invitation-links/{token}/sign-up",
	"PUT /api/v1/profile/password",
	// Mailed identity links (password-reset.test.ts, email-verification.test.ts, invitations.test.ts)
	"POST /api/v1/password-resets",
	"GET /api/v1/password-resets/{token}",
	"POST /api/v1/password-resets/{token}",
	"POST /api/v1/email-verification",
	"POST /api/v1/email-verification/{token}",
	"POST /api/v1/accounts/{accountId}/invitations/{invitationId}/resend",
	"GET /api/v1/accounts/{accountId}/teams",
	"POST /api/v1/accounts/{accountId}/teams",
	"GET /api/v1/accounts/{accountId}/teams/{teamId}",
	"PATCH /api/v1/accounts/{accountId}/teams/{teamId}",
	"DELETE /api/v1/accounts/{accountId}/teams/{teamId}",
	"GET /api/v1/accounts/{accountId}/api-tokens",
	"POST /api/v1/accounts/{accountId}/api-tokens",
	"DELETE /api/v1/accounts/{accountId}/api-tokens/{tokenId}",
	// Trusts (trusts.test.ts)
	"GET /api/v1/accounts/{accountId}/trusts",
	"POST /api/v1/accounts/{accountId}/trusts",
	"GET /api/v1/accounts/{accountId}/trusts/{otherAccountId}",
	"POST /api/v1/accounts/{accountId}/trusts/{otherAccountId}/{action}",
	"PUT /api/v1/accounts/{accountId}/trusts/{otherAccountId}/capabilities",
	"GET /api/v1/accounts/{accountId}/trusts/{otherAccountId}/people",
	// Service model (services.test.ts)
	"GET /api/v1/accounts/{accountId}/service-model",
	"POST /api/v1/accounts/{accountId}/services",
	"PATCH /api/v1/accounts/{accountId}/services/{id}",
	"DELETE /api/v1/accounts/{accountId}/services/{id}",
	"POST /api/v1/accounts/{accountId}/service-instances",
	"PATCH /api/v1/accounts/{accountId}/service-instances/{id}",
	"DELETE /api/v1/accounts/{accountId}/service-instances/{id}",
	"POST /api/v1/accounts/{accountId}/service-offerings",
	"PATCH /api/v1/accounts/{accountId}/service-offerings/{id}",
	"DELETE /api/v1/accounts/{accountId}/service-offerings/{id}",
	// SLAs, the customer's side and the catalog (slas.test.ts)
	"GET /api/v1/accounts/{accountId}/slas",
	"POST /api/v1/accounts/{accountId}/slas",
	"GET /api/v1/accounts/{accountId}/slas/{slaId}",
	"PATCH /api/v1/accounts/{accountId}/slas/{slaId}",
	"POST /api/v1/accounts/{accountId}/slas/{slaId}/status",
	"GET /api/v1/accounts/{accountId}/received-slas",
	"GET /api/v1/accounts/{accountId}/catalog",
	// The outbox (messaging.test.ts)
	"GET /api/v1/accounts/{accountId}/messages",
	"POST /api/v1/accounts/{accountId}/messages/{to}/{seq}/retry",
	// The e-mail delivery log (mail.test.ts)
	"GET /api/v1/accounts/{accountId}/mail-deliveries",
	// Requests, the Inbox and realtime tickets (requests.test.ts, inbox.test.ts, realtime.test.ts)
	"GET /api/v1/accounts/{accountId}/requests",
	"POST /api/v1/accounts/{accountId}/requests",
	"GET /api/v1/accounts/{accountId}/requests/{requestId}",
	"POST /api/v1/accounts/{accountId}/requests/{requestId}/actions",
	"GET /api/v1/accounts/{accountId}/inbox",
	"POST /api/v1/accounts/{accountId}/realtime/tickets",
	// SLA clocks and reports (sla-clocks.test.ts, sla-reports.test.ts)
	"GET /api/v1/accounts/{accountId}/requests/{requestId}/slas",
	"POST /api/v1/accounts/{accountId}/requests/{requestId}/attachments",
	"GET /api/v1/accounts/{accountId}/requests/{requestId}/attachments/{attachmentId}",
	"GET /api/v1/accounts/{accountId}/sla-reports",
	"GET /api/v1/accounts/{accountId}/sla-reports/requests",
	"GET /api/v1/accounts/{accountId}/sla-reports/export.csv",
	// Global search (search.test.ts)
	"GET /api/v1/accounts/{accountId}/search",
	// Notifications and preferences (notifications.test.ts)
	"GET /api/v1/accounts/{accountId}/notifications",
	"GET /api/v1/accounts/{accountId}/notifications/unread-count",
	"PUT /api/v1/accounts/{accountId}/notifications/{notificationId}/read",
	"PUT /api/v1/accounts/{accountId}/notifications/read-all",
	"GET /api/v1/accounts/{accountId}/notification-preferences",
	"PUT /api/v1/accounts/{accountId}/notification-preferences",
	// Saved filters (inbox-filters.test.ts)
	"GET /api/v1/accounts/{accountId}/saved-filters",
	"POST /api/v1/accounts/{accountId}/saved-filters",
	"PATCH /api/v1/accounts/{accountId}/saved-filters/{filterId}",
	"DELETE /api/v1/accounts/{accountId}/saved-filters/{filterId}",
	// The events API (events.test.ts)
	"POST /api/v1/accounts/{accountId}/events",
	// Apps between accounts (apps.test.ts)
	"GET /api/v1/accounts/{accountId}/app-offerings",
	"POST /api/v1/accounts/{accountId}/app-offerings",
	"GET /api/v1/accounts/{accountId}/app-offerings/{offeringId}",
	"PATCH /api/v1/accounts/{accountId}/app-offerings/{offeringId}",
	"DELETE /api/v1/accounts/{accountId}/app-offerings/{offeringId}",
	"PUT /api/v1/accounts/{accountId}/app-offerings/{offeringId}/publication",
	"GET /api/v1/accounts/{accountId}/app-offerings/{offeringId}/installations",
	"GET /api/v1/accounts/{accountId}/available-apps",
	"GET /api/v1/accounts/{accountId}/app-installations",
	"POST /api/v1/accounts/{accountId}/app-installations",
	"GET /api/v1/accounts/{accountId}/app-installations/{installationId}",
	"POST /api/v1/accounts/{accountId}/app-installations/{installationId}/approve-update",
	"DELETE /api/v1/accounts/{accountId}/app-installations/{installationId}",
	// Webhooks (webhooks.test.ts)
	"GET /api/v1/accounts/{accountId}/webhooks",
	"POST /api/v1/accounts/{accountId}/webhooks",
	"GET /api/v1/accounts/{accountId}/webhooks/{endpointId}",
	"PATCH /api/v1/accounts/{accountId}/webhooks/{endpointId}",
	"DELETE /api/v1/accounts/{accountId}/webhooks/{endpointId}",
	"POST /api/v1/accounts/{accountId}/webhooks/{endpointId}/rotate-secret",
	"GET /api/v1/accounts/{accountId}/webhooks/{endpointId}/deliveries",
	"POST /api/v1/accounts/{accountId}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
	"POST /api/v1/accounts/{accountId}/webhooks/{endpointId}/test",
];

/**
 * The POSTs that take no Idempotency-Key, and why: signing in creates nothing to repeat; sign-up
 * cannot repeat (its account id and e-mail are unique: a retry answers 409, see its description);
 * a socket ticket is single-use and short-lived by design. Any other POST is a create and must
 * declare the key, so that a new one cannot forget it.
 */
const POSTS_WITHOUT_IDEMPOTENCY_KEY = [
	// Start a session: a retry simply signs in again (an answer holding a session must not be stored).
	"POST /api/v1/session",
	"POST /api/v1/signup",
	"POST /api/v1/invitation-links/{token}/sign-up",
	// One-time socket tickets: a retry asks for another.
	"POST /api/v1/accounts/{accountId}/realtime/tickets",
	// State changes of one invitation: a retry cannot make anything twice; it answers 409 with the state.
	"POST /api/v1/accounts/{accountId}/invitations/{invitationId}/revoke",
	"POST /api/v1/accounts/{accountId}/invitations/{invitationId}/link",
	"POST /api/v1/invitations/{invitationId}/accept",
	"POST /api/v1/invitations/{invitationId}/decline",
	"POST /api/v1/accounts/{accountId}/invitations/{invitationId}/resend",
	// Mailed links: asking again replaces the link (throttled); using one is single use by design.
	"POST /api/v1/password-resets",
	"POST /api/v1/password-resets/{token}",
	"POST /api/v1/email-verification",
	"POST /api/v1/email-verification/{token}",
	// A file upload: a retry stores another pending file, which no note names and the alarm removes;
	// a stored answer would have to be keyed to a streamed body of up to 25 MB.
	"POST /api/v1/accounts/{accountId}/requests/{requestId}/attachments",
	// Approving an app's waiting version: a retry finds nothing waiting and answers 409 with the state.
	"POST /api/v1/accounts/{accountId}/app-installations/{installationId}/approve-update",
	// A new webhook secret: an answer holding a secret is never stored; a retry rotates again.
	"POST /api/v1/accounts/{accountId}/webhooks/{endpointId}/rotate-secret",
	// Redelivery queues the same message (same webhook-id) again: a retry cannot make a second one.
	"POST /api/v1/accounts/{accountId}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
];

async function openApi(): Promise<OpenApiDocument> {
	return callJson<OpenApiDocument>("/openapi.json", 200);
}

function operationsOf(doc: OpenApiDocument): string[] {
	return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
}

describe("GET /api/v1/openapi.json", () => {
	it("is an OpenAPI 3.1 document titled Trustdesk API", async () => {
		const doc = await openApi();
		expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
		expect(doc.info.title).toBe("Trustdesk API");
	});

	it("describes exactly the routes the API serves", async () => {
		const doc = await openApi();
		expect(operationsOf(doc).sort()).toEqual([...EXERCISED_ROUTES].sort());
	});

	it("every documented route answers something other than 'no route' (404 from the router)", async () => {
		const doc = await openApi();
		for (const op of operationsOf(doc)) {
			const [method = "GET", template = ""] = op.split(" ");
			const path = template
				.replace("{accountId}", "nobody-here")
				.replace("{personId}", "psn_0000000000000000")
				.replace("{teamId}", "team_0000000000000000")
				.replace("{tokenId}", "tok_0000000000000000")
				.replace("{hostname}", "x.example.test")
				.replace("{otherAccountId}", "someone-else")
				.replace("{action}", "accept")
				.replace("{id}", "svc_0000000000000000")
				.replace("{slaId}", "sla_0000000000000000")
				.replace("{requestId}", "req_0000000000000000")
				.replace("{to}", "someone-else")
				.replace("{seq}", "1")
				.replace("{invitationId}", "inv_0000000000000000")
				.replace("{token}", "A".repeat(43));
			const res = await call(`http://trustdesk.test${path}`, { method, body: method === "GET" || method === "DELETE" ? undefined : {} });
			const text = await res.text();
			expect(text, `${op} is documented but not routed`).not.toContain("No route for");
			expect(res.status, `${op}: ${text}`).toBeLessThan(500);
		}
	});

	it("every create (POST) declares the shared Idempotency-Key header parameter and its 422", async () => {
		const doc = await openApi();
		expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: "Idempotency-Key", in: "header", required: false });
		const posts = operationsOf(doc).filter((op) => op.startsWith("POST "));
		const keyed = posts.filter((op) => !POSTS_WITHOUT_IDEMPOTENCY_KEY.includes(op));
		expect(keyed.length).toBeGreaterThanOrEqual(14);
		for (const op of keyed) {
			const operation = doc.paths[op.slice("POST ".length)]?.post;
			expect(operation?.parameters?.map((p) => p.$ref), op).toContain("#/components/parameters/IdempotencyKey");
			expect(operation?.responses["422"]?.content?.["application/json"]?.schema?.$ref, op).toBe("#/components/schemas/Error");
		}
		for (const op of POSTS_WITHOUT_IDEMPOTENCY_KEY) {
			expect(posts, op).toContain(op);
			expect(doc.paths[op.slice("POST ".length)]?.post?.parameters?.map((p) => p.$ref) ?? [], op).not.toContain("#/components/parameters/IdempotencyKey");
		}
	});

	it("has the shared Error component, used for the error responses", async () => {
		const doc = await openApi();
		const error = doc.components.schemas.Error;
		expect(error).toBeDefined();
		expect(error?.properties?.error?.properties?.code?.enum).toEqual([...ERROR_CODES]);
		const getAccount = doc.paths["/api/v1/accounts/{accountId}"]?.get;
		expect(getAccount?.responses["404"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Error");
		expect(getAccount?.responses["200"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Account");
	});

	it("names the DTO components and both security schemes", async () => {
		const doc = await openApi();
		for (const name of [
			"Account",
			"Session",
			"Team",
			"ApiToken",
			"CreatedApiToken",
			"AccountPerson",
			"SignUpInput",
			"PortalDesign",
			"Role",
			"Scope",
			"Trust",
			"TrustCapabilities",
			"RequestTrustInput",
			"Service",
			"ServiceInstance",
			"ServiceOffering",
			"Calendar",
			"Targets",
			"Sla",
			"CreateSlaInput",
			"ReceivedSla",
			"Catalog",
			"OutboxMessage",
			"RequestSummary",
			"Request",
			"RequestNote",
			"RequestAuditEntry",
			"CreateRequestInput",
			"RequestCommand",
			"InboxPage",
			"AffectedSla",
			"AffectedSlaList",
			"ClockEvent",
			"ClockStop",
			"SlaReport",
			"SlaFigures",
			"SlaReportRow",
			"SlaDrillPage",
			"SlaDrillItem",
			"Invitation",
			"InvitePersonInput",
			"CreatedInvitation",
			"InvitationSignUpInput",
			"Notification",
			"NotificationPage",
			"NotificationPreferences",
			"UpdateNotificationPreferences",
			"ChangePasswordInput",
			"EventInput",
			"EventResult",
			"AppOffering",
			"CreateAppOfferingInput",
			"CreatedAppOffering",
			"AvailableApp",
			"AppInstallation",
			"InstallAppInput",
		]) {
			expect(Object.keys(doc.components.schemas)).toContain(name);
		}
		expect(doc.components.securitySchemes.session?.type).toBe("apiKey");
		expect(doc.components.securitySchemes.bearer?.type).toBe("http");
	});

	it("documents request bodies with their schemas", async () => {
		const doc = await openApi();
		const signUp = doc.paths["/api/v1/signup"]?.post;
		expect(signUp?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/SignUpInput");
		const offering = doc.paths["/api/v1/accounts/{accountId}/service-offerings"]?.post;
		expect(offering?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/CreateServiceOfferingInput");
		const events = doc.paths["/api/v1/accounts/{accountId}/events"]?.post;
		expect(events?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/EventInput");
		const trust = doc.paths["/api/v1/accounts/{accountId}/trusts"]?.post;
		expect(trust?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/RequestTrustInput");
		expect(trust?.responses["409"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Error");
		const create = doc.paths["/api/v1/accounts/{accountId}/requests"]?.post;
		expect(create?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/CreateRequestInput");
		expect(create?.responses["201"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/RequestSummary");
		const act = doc.paths["/api/v1/accounts/{accountId}/requests/{requestId}/actions"]?.post;
		expect(act?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/RequestCommand");
		expect(act?.responses["409"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Error");
		const read = doc.paths["/api/v1/accounts/{accountId}/requests/{requestId}"]?.get;
		expect(read?.responses["200"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Request");
		const clocks = doc.paths["/api/v1/accounts/{accountId}/requests/{requestId}/slas"]?.get;
		expect(clocks?.responses["200"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/AffectedSlaList");
		const report = doc.paths["/api/v1/accounts/{accountId}/sla-reports"]?.get;
		expect(report?.responses["200"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/SlaReport");
		expect(report?.responses["400"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Error");
		const drill = doc.paths["/api/v1/accounts/{accountId}/sla-reports/requests"]?.get;
		expect(drill?.responses["200"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/SlaDrillPage");
		const invite = doc.paths["/api/v1/accounts/{accountId}/people"]?.post;
		expect(invite?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/InvitePersonInput");
		expect(invite?.responses["201"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/CreatedInvitation");
		const password = doc.paths["/api/v1/profile/password"]?.put;
		expect(password?.requestBody?.content["application/json"]?.schema?.$ref).toBe("#/components/schemas/ChangePasswordInput");
		expect(password?.responses["429"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Error");
		const csv = doc.paths["/api/v1/accounts/{accountId}/sla-reports/export.csv"]?.get;
		expect(Object.keys(csv?.responses["200"]?.content ?? {})).toEqual(["text/csv"]);
	});
});

describe("GET /api/v1/docs", () => {
	it("is an HTML page that loads the OpenAPI document", async () => {
		const res = await call("http://trustdesk.test/api/v1/docs");
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
		const html = await res.text();
		expect(html).toMatch(/^<!doctype html>/i);
		expect(html).toContain("/api/v1/openapi.json");
	});
});

describe("unknown API routes", () => {
	it.each([
		["GET", "/nope"],
		["POST", "/accounts/x/tickets"],
		["GET", "/v2/health"],
		["PUT", "/session"],
	])("%s /api/v1%s answers 404 with the error body", async (method, path) => {
		await callError(path, 404, "not_found", { method });
	});

	it("sets no-store and security headers on API responses", async () => {
		const res = await call("/health");
		expect(res.headers.get("Cache-Control")).toBe("no-store");
		expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect(res.headers.get("X-Request-Id")).toBeTruthy();
		await res.body?.cancel();
	});
});

// Requests: register one from the catalog, list them, read one, act on it; the specialist's
// Inbox; and tickets for the realtime socket.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { PersonActor, TokenReader } from "../account/context";
import { directory } from "../db/client";
import { namesOfAccountPeople } from "../db/people";
import type { AppEnv } from "../env";
import { accountScope, requireSession } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { decodeCursor, pageResponse, paged } from "../http/pagination";
import { InboxPosition } from "../account/inbox";
import { RequestListPosition, ReturnedPosition } from "../account/requests";
import { personActorOf } from "../identity/person-actor";
import { topicsFor } from "../shared/live-topics";
import { AffectedSlaList } from "../shared/sla-api";
import { CreateRequestInput, InboxPage, InboxQuery, MyRequestsQuery, Request, RequestCommand, RequestId, RequestSummary } from "../shared/request-api";

const RequestParams = AccountParams.extend({ requestId: RequestId });

/** The signed-in person in this account, as the AccountObject needs them. Requests are a people's thing. */
function personActor(c: Context<AppEnv>): PersonActor {
	return personActorOf(requireSession(c).person, c.get("account").roles);
}

/**
 * An API token that reads requests (requests:read, checked by the route's scope): internal notes
 * only with notes:internal:read too. Undefined for a signed-in person.
 */
export function tokenReader(c: Context<AppEnv>): TokenReader | undefined {
	const account = c.get("account");
	if (account.actor.type !== "token") return undefined;
	return { tokenId: account.actor.id, name: account.actor.name, internalNotes: account.permissions.has("notes:internal:read") };
}

const listRequests = createRoute({
	method: "get",
	path: "/accounts/{accountId}/requests",
	tags: ["Requests"],
	summary: "Requests of this account",
	description:
		"scope=mine (default): requests from or for you. scope=account: every request registered in this account (its specialists). The filters (status, teamId, service, impact, assignee, sla, text) narrow either; lists are comma-separated. An API token (requests:read) is no person: it always lists as scope=account, and assignee=me matches nobody.",
	middleware: accountScope("requests:read"),
	request: { params: AccountParams, query: MyRequestsQuery },
	responses: { 200: pageResponse(InboxPage, "A page of requests, most recently changed first."), ...errors(400, 401, 403, 404) },
});

const createRequest = createRoute({
	method: "post",
	path: "/accounts/{accountId}/requests",
	tags: ["Requests"],
	summary: "Register a request for a service from the catalog",
	description: "The provider's SLA routes it to a team; it appears live in that team's Inbox.",
	middleware: [accountScope("requests:read"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateRequestInput) },
	responses: { 201: json(RequestSummary, "The request."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getRequestClocks = createRoute({
	method: "get",
	path: "/accounts/{accountId}/requests/{requestId}/slas",
	tags: ["Requests"],
	summary: "The SLA clocks of a request",
	description:
		"One affected SLA per SLA that covers the request, kept by the provider: targets, stops, actuals, breaches and a timeline. The customer's account shows them as the provider last reported them.",
	middleware: accountScope("requests:read"),
	request: { params: RequestParams },
	responses: { 200: json(AffectedSlaList, "The clocks."), ...errors(401, 403, 404) },
});

const getRequest = createRoute({
	method: "get",
	path: "/accounts/{accountId}/requests/{requestId}",
	tags: ["Requests"],
	summary: "One request with its notes and audit trail, as you may see it",
	description:
		"Internal notes are shown only to specialists of the account they belong to. An API token with requests:read reads this account's requests and those its teams work on, as the account's overseers do, without internal notes unless it also has notes:internal:read; `allowed` is empty for it (tokens do not act on requests).",
	middleware: accountScope("requests:read"),
	request: { params: RequestParams },
	responses: { 200: json(Request, "The request."), ...errors(400, 401, 403, 404) },
});

const actOnRequest = createRoute({
	method: "post",
	path: "/accounts/{accountId}/requests/{requestId}/actions",
	tags: ["Requests"],
	summary: "Act on a request: note, accept, change status, assign, reopen, withdraw",
	description: "A status the request cannot go to from where it is answers 409 invalid_transition. A request you may not see answers 404.",
	middleware: [accountScope("requests:read"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: RequestParams, body: jsonBody(RequestCommand) },
	responses: { 200: json(RequestSummary, "The request after the action."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getInbox = createRoute({
	method: "get",
	path: "/accounts/{accountId}/inbox",
	tags: ["Requests"],
	summary: "The specialist's Inbox, across every account that assigns to this account's teams",
	description:
		"view=mine: assigned to you; view=teams: assigned to your teams; sorted by next target, then age. The filters (status, teamId, customer, service, impact, assignee, sla, text) narrow any view; lists are comma-separated (status=assigned,accepted). view=returned: this account's requests taken back from a provider whose trust ended (each with its `returned` mark: from whom, why, when), until a team of this account has them or they are completed; oldest return first.",
	middleware: accountScope("inbox:read"),
	request: { params: AccountParams, query: InboxQuery },
	responses: { 200: pageResponse(InboxPage, "A page of the Inbox."), ...errors(400, 401, 403, 404) },
});

const issueTicket = createRoute({
	method: "post",
	path: "/accounts/{accountId}/realtime/tickets",
	tags: ["Realtime"],
	summary: "A one-time ticket to open this account's WebSocket",
	description:
		"Valid 30 seconds, once. Open `wss://<host>/api/v1/accounts/{accountId}/realtime?ticket=…` and send {\"type\":\"resume\",\"lastSeq\":n} to catch up from event n. " +
		"Besides request events the socket carries invalidations, {\"type\":\"invalidate\",\"seq\":n,\"topic\":\"trusts|slas|received_slas|catalog\",\"id\":…}, for the topics your permissions read (trusts:read, slas:read, catalog:read): refetch them through the API. " +
		"A handshake whose Origin is another site's (or \"null\") is refused with 403; one without Origin (not a browser) is accepted with the ticket.",
	middleware: accountScope("requests:read"),
	request: { params: AccountParams },
	responses: { 201: json(z.object({ ticket: z.string(), url: z.string() }), "The ticket and the socket's URL."), ...errors(401, 403, 404) },
});

export const requestRoutes = router()
	.openapi(listRequests, async (c) => {
		const q = c.req.valid("query");
		const token = tokenReader(c);
		if (token) return c.json(await accountStub(c.env, c.get("account").id).listRequests(token.tokenId, { ...q, scope: "account" }), 200);
		const actor = personActor(c);
		if (q.scope === "account" && !actor.staff) throw new AppError("forbidden", "Only this account's specialists see all its requests.");
		decodeCursor(RequestListPosition, q.cursor);
		return c.json(paged(c, await accountStub(c.env, c.get("account").id).listRequests(actor.personId, q)), 200);
	})
	.openapi(createRequest, async (c) => {
		const actor = personActor(c);
		const account = c.get("account");
		const input = c.req.valid("json");
		const db = directory(c.env.DB);
		let requestedFor = { id: actor.personId, name: actor.name };
		if (input.requestedForId && input.requestedForId !== actor.personId) {
			if (!actor.staff) throw new AppError("forbidden", "Only specialists register requests on behalf of someone else.");
			const name = (await namesOfAccountPeople(db, account.id, [input.requestedForId])).get(input.requestedForId);
			if (!name) throw new AppError("invalid_input", "That person is not a person of this account.", [{ path: "requestedForId", message: "Not a person of this account." }]);
			requestedFor = { id: input.requestedForId, name };
		}
		const { requestedForId: _ignored, ...rest } = input;
		const summary = unwrapCreate(
			c,
			await accountStub(c.env, account.id).createRequest(actor, { ...rest, requestedFor }, idempotencyOf(c)),
		);
		return c.json(summary, 201);
	})
	.openapi(getRequest, async (c) => {
		const stub = accountStub(c.env, c.get("account").id);
		const { requestId } = c.req.valid("param");
		const token = tokenReader(c);
		const request = unwrap(token ? await stub.readRequest(token, requestId) : await stub.getRequest(personActor(c), requestId));
		return c.json(request, 200);
	})
	.openapi(actOnRequest, async (c) => {
		const account = c.get("account");
		const cmd = c.req.valid("json");
		let memberName: string | undefined;
		if (cmd.type === "assign" && cmd.memberId) {
			memberName = (await namesOfAccountPeople(directory(c.env.DB), account.id, [cmd.memberId])).get(cmd.memberId);
			if (!memberName) throw new AppError("invalid_input", "That person is not a person of this account.", [{ path: "memberId", message: "Not a person of this account." }]);
		}
		const summary = unwrapCreate(c, await accountStub(c.env, account.id).commandRequest(personActor(c), c.req.valid("param").requestId, cmd, memberName, idempotencyOf(c)));
		return c.json(summary, 200);
	})
	.openapi(getRequestClocks, async (c) => {
		const stub = accountStub(c.env, c.get("account").id);
		const { requestId } = c.req.valid("param");
		const token = tokenReader(c);
		const items = unwrap(token ? await stub.readRequestClocks(token, requestId) : await stub.requestClocks(personActor(c), requestId));
		return c.json({ items }, 200);
	})
	.openapi(getInbox, async (c) => {
		const q = c.req.valid("query");
		decodeCursor(q.view === "returned" ? ReturnedPosition : InboxPosition, q.cursor);
		return c.json(paged(c, await accountStub(c.env, c.get("account").id).queryInbox(personActor(c), q)), 200);
	})
	.openapi(issueTicket, async (c) => {
		const account = c.get("account");
		const ticket = await accountStub(c.env, account.id).issueSocketTicket(personActor(c), topicsFor(account.permissions));
		const url = new URL(`/api/v1/accounts/${account.id}/realtime`, c.req.url);
		url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
		url.searchParams.set("ticket", ticket);
		return c.json({ ticket, url: url.toString() }, 201);
	});

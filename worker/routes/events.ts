// The events API: monitoring tools post alerts with an API token (events:write); each becomes a
// request of this account, a note on the open request of its key, or that request's completion
// (worker/account/events.ts). The requester is checked here, in the directory.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { PersonActor } from "../account/context";
import { directory } from "../db/client";
import { findAccountPerson, findAccountPersonByEmail, tokenCreatorInAccount } from "../db/people";
import type { AppEnv } from "../env";
import { accountScope, requireAuth } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { personActorOf } from "../identity/person-actor";
import { EventInput, EventResult } from "../shared/event-api";

const postEvent = createRoute({
	method: "post",
	path: "/accounts/{accountId}/events",
	tags: ["Events"],
	summary: "Post an event of a monitoring tool: it opens, updates or completes a request",
	description: [
		"For monitoring tools, with an API token with the events:write scope (an account administrator may post one too).",
		"The event is keyed by (source, sourceId) in this account. No open request of the key: a new request is registered (201, outcome created) for the service `service` names, among the services offered to this account by SLA that cover the requester (the portal's catalog); it is routed like any request and appears live in the provider team's Inbox. While that request is open, a repeat adds its note (or its subject) to it, marked as the event's (200, outcome noted); a `resolved` event completes it as solved (200, outcome completed; 409 invalid_transition when there is nothing open to complete). Once the request is completed, the next event of the key opens a new request.",
		"The requester is the person `requestedBy` names (an address of a person of this account), else the person who created the API token (an installed app's token: the administrator who installed it; or the signed-in person).",
		"`ci` is kept as text on the request: Trustdesk has no configuration items yet, so the service is found by `service` alone.",
		"Send an Idempotency-Key to retry safely: a retry answers the first answer instead of adding a second note.",
	].join("\n\n"),
	middleware: [accountScope("events:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(EventInput) },
	responses: {
		201: json(EventResult, "A new request was opened (outcome created)."),
		200: json(EventResult, "The open request of this key took a note (outcome noted) or was completed (outcome completed)."),
		...errors(400, 401, 403, 404, 409, 415, 422),
	},
});

const unknownRequester = () =>
	new AppError("invalid_input", "No person of this account has that e-mail address.", [{ path: "requestedBy", message: "Not a person of this account." }]);

/** Who the event is registered for, as a person of this account (see the route's description). */
async function requesterOf(c: Context<AppEnv>, requestedBy: string | undefined): Promise<PersonActor> {
	const account = c.get("account");
	const db = directory(c.env.DB);
	if (requestedBy !== undefined) {
		// A person of another account is told the same as nobody: addresses are not probed through here.
		const member = await findAccountPersonByEmail(db, account.id, requestedBy);
		if (!member) throw unknownRequester();
		return personActorOf(member, member.roles);
	}
	const auth = requireAuth(c);
	if (auth.kind === "session") return personActorOf(auth.person, account.roles);
	// A token someone made registers for them; an app's token (no creator) for its installer.
	const installer = async () => {
		const id = await accountStub(c.env, account.id).appInstallerOfToken(auth.token.id);
		return id === undefined ? undefined : findAccountPerson(db, account.id, id);
	};
	const creator = (await tokenCreatorInAccount(db, account.id, auth.token.id)) ?? (await installer());
	if (!creator) {
		throw new AppError("invalid_input", "The person who created this API token (or installed its app) is no longer in this account: name the requester in requestedBy.", [
			{ path: "requestedBy", message: "Required for this token." },
		]);
	}
	return personActorOf(creator, creator.roles);
}

export const eventRoutes = router().openapi(postEvent, async (c) => {
	const input = c.req.valid("json");
	const account = c.get("account");
	const person = await requesterOf(c, input.requestedBy);
	const result = unwrapCreate(c, await accountStub(c.env, account.id).postEvent(person, input, idempotencyOf(c)));
	return c.json(result, result.outcome === "created" ? 201 : 200);
});

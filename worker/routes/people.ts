// People of an account: who belongs to it and with which roles. New people are invited (see
// routes/invitations.ts for the invitations themselves).
import { createRoute } from "@hono/zod-openapi";
import { directory } from "../db/client";
import { findAccountPerson, listAccountPeople, removeMembership, updateRoles } from "../db/people";
import { revokeTokensCreatedBy } from "../db/tokens";
import type { AccountContext } from "../env";
import { forgetMembership } from "../http/auth-cache";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, notFound } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import { invitePerson } from "../identity/invitations";
import { AccountPerson, PersonId, UpdatePersonInput } from "../shared/api";
import { CreatedInvitation, InvitePersonInput } from "../shared/invitation-api";

const PersonParams = AccountParams.extend({ personId: PersonId });

const lastAdmin = () =>
	new AppError("conflict", "An account needs at least one account administrator. Make someone else administrator first.");

/**
 * API tokens may manage people but not administrators: otherwise a token with people:write could
 * make itself an administrator (and so mint tokens) by adding a person it controls.
 */
export function forbidAdminChangeByToken(account: AccountContext, touchesAdmin: boolean): void {
	if (touchesAdmin && account.actor.type === "token") {
		throw new AppError("forbidden", "Only a signed-in account administrator can grant, change or revoke the account administrator role.");
	}
}

const listPeople = createRoute({
	method: "get",
	path: "/accounts/{accountId}/people",
	tags: ["People"],
	summary: "People of the account, with their roles",
	middleware: accountScope("people:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(AccountPerson, "AccountPersonPage"), "People, by name."), ...errors(401, 403, 404) },
});

const invitePersonRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/people",
	tags: ["People"],
	summary: "Invite a person",
	description:
		"Creates a pending invitation for the e-mail address with the given roles (or refreshes the address's open invitation: new roles, name, link and 14 days). Nobody becomes a member until they accept, signed in with that address (`POST /invitations/{invitationId}/accept`) or by creating their sign-in from the accept link. The answer is the same whether or not the address already signs in to Trustdesk. 409 if the address is already a member; API tokens cannot invite account administrators.",
	middleware: [accountScope("people:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(InvitePersonInput) },
	responses: { 201: json(CreatedInvitation, "The pending invitation and its accept link."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getPerson = createRoute({
	method: "get",
	path: "/accounts/{accountId}/people/{personId}",
	tags: ["People"],
	summary: "One person of the account",
	middleware: accountScope("people:read"),
	request: { params: PersonParams },
	responses: { 200: json(AccountPerson, "The person."), ...errors(400, 401, 403, 404) },
});

const updatePerson = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/people/{personId}",
	tags: ["People"],
	summary: "Change a person's roles in the account",
	middleware: accountScope("people:write"),
	request: { params: PersonParams, body: jsonBody(UpdatePersonInput) },
	responses: { 200: json(AccountPerson, "The person with the new roles."), ...errors(400, 401, 403, 404, 409, 415) },
});

const removePerson = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/people/{personId}",
	tags: ["People"],
	summary: "Remove a person from the account",
	description: "They leave the account's teams; their sign-in and other accounts are untouched.",
	middleware: accountScope("people:write"),
	request: { params: PersonParams },
	responses: { 204: { description: "Removed." }, ...errors(400, 401, 403, 404, 409) },
});

export const peopleRoutes = router()
	.openapi(listPeople, async (c) => c.json(paged(c, paginate(await listAccountPeople(directory(c.env.DB), c.get("account").id), (x) => [x.name.toLowerCase(), x.id], c.req.valid("query"))), 200))
	.openapi(invitePersonRoute, async (c) => {
		const account = c.get("account");
		const input = c.req.valid("json");
		forbidAdminChangeByToken(account, input.roles.includes("account_administrator"));
		return c.json(await invitePerson(c, directory(c.env.DB), account, input), 201);
	})
	.openapi(getPerson, async (c) => {
		const person = await findAccountPerson(directory(c.env.DB), c.get("account").id, c.req.valid("param").personId);
		if (!person) throw notFound("person");
		return c.json(person, 200);
	})
	.openapi(updatePerson, async (c) => {
		const account = c.get("account");
		const { personId } = c.req.valid("param");
		const { roles } = c.req.valid("json");
		const db = directory(c.env.DB);
		const current = await findAccountPerson(db, account.id, personId);
		if (!current) throw notFound("person");
		const wasAdmin = current.roles.includes("account_administrator");
		const staysAdmin = roles.includes("account_administrator");
		forbidAdminChangeByToken(account, wasAdmin || staysAdmin);
		const outcome = await updateRoles(db, account.id, personId, roles);
		forgetMembership(personId, account.id);
		if (outcome === "not_found") throw notFound("person");
		if (outcome === "last_admin") throw lastAdmin();
		// Tokens an administrator created stop working when they stop being one.
		if (wasAdmin && !staysAdmin) await revokeTokensCreatedBy(db, account.id, personId, new Date());
		// What they may see live changed with the roles: their sockets reconnect with a new ticket.
		await accountStub(c.env, account.id).closeSocketsOf(personId);
		const person = await findAccountPerson(db, account.id, personId);
		if (!person) throw notFound("person");
		return c.json(person, 200);
	})
	.openapi(removePerson, async (c) => {
		const account = c.get("account");
		const { personId } = c.req.valid("param");
		const db = directory(c.env.DB);
		const current = await findAccountPerson(db, account.id, personId);
		if (!current) throw notFound("person");
		forbidAdminChangeByToken(account, current.roles.includes("account_administrator"));
		const outcome = await removeMembership(db, account.id, personId);
		forgetMembership(personId, account.id);
		if (outcome === "not_found") throw notFound("person");
		if (outcome === "last_admin") throw lastAdmin();
		await revokeTokensCreatedBy(db, account.id, personId, new Date());
		// The membership is gone, so the person can no longer act in the account; their team
		// places are cleaned up after (team listings also hide people who left).
		await accountStub(c.env, account.id).removePersonFromTeams(personId);
		return c.body(null, 204);
	});

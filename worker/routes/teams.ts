// Teams of an account. The AccountObject owns teams; the directory knows who belongs to the
// account, so member ids are checked here and member names joined here.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { TeamRecord } from "../account/teams";
import { directory } from "../db/client";
import { namesOfAccountPeople } from "../db/people";
import type { AppEnv } from "../env";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import { CreateTeamInput, Team, TeamId, UpdateTeamInput } from "../shared/api";

const TeamParams = AccountParams.extend({ teamId: TeamId });

/** Team records with member names; people who left the account are left out. */
async function describeTeams(c: Context<AppEnv>, records: TeamRecord[]): Promise<Team[]> {
	const ids = new Set<string>();
	for (const t of records) {
		for (const id of t.memberIds) ids.add(id);
		if (t.coordinatorId) ids.add(t.coordinatorId);
	}
	const names = await namesOfAccountPeople(directory(c.env.DB), c.get("account").id, [...ids]);
	const member = (id: string) => {
		const name = names.get(id);
		return name === undefined ? [] : [{ id, name }];
	};
	return records.map((t) => ({
		id: t.id,
		name: t.name,
		description: t.description,
		coordinator: t.coordinatorId ? (member(t.coordinatorId)[0] ?? null) : null,
		members: t.memberIds.flatMap(member).sort((a, b) => a.name.localeCompare(b.name)),
		createdAt: t.createdAt,
		updatedAt: t.updatedAt,
	}));
}

async function describeTeam(c: Context<AppEnv>, record: TeamRecord): Promise<Team> {
	const [team] = await describeTeams(c, [record]);
	if (!team) throw new AppError("internal", "Could not describe the team.");
	return team;
}

/** Every id must be a person of this account; answers 400 naming the ones that are not. */
async function checkPeople(c: Context<AppEnv>, memberIds: string[] | undefined, coordinatorId: string | null | undefined) {
	const ids = [...new Set([...(memberIds ?? []), ...(coordinatorId ? [coordinatorId] : [])])];
	if (ids.length === 0) return;
	const known = await namesOfAccountPeople(directory(c.env.DB), c.get("account").id, ids);
	const unknown = ids.filter((id) => !known.has(id));
	if (unknown.length > 0) {
		throw new AppError("invalid_input", "Team members and coordinator must be people of this account.", unknown.map((id) => ({ path: "memberIds", message: `${id} is not a person of this account.` })));
	}
}

const listTeams = createRoute({
	method: "get",
	path: "/accounts/{accountId}/teams",
	tags: ["Teams"],
	summary: "Teams of the account",
	middleware: accountScope("teams:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(Team, "TeamPage"), "Teams, by name."), ...errors(401, 403, 404) },
});

const createTeam = createRoute({
	method: "post",
	path: "/accounts/{accountId}/teams",
	tags: ["Teams"],
	summary: "Create a team",
	description: "Team names are unique within an account (ignoring case). The coordinator must be one of the members.",
	middleware: [accountScope("teams:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateTeamInput) },
	responses: { 201: json(Team, "The new team."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getTeam = createRoute({
	method: "get",
	path: "/accounts/{accountId}/teams/{teamId}",
	tags: ["Teams"],
	summary: "One team",
	middleware: accountScope("teams:read"),
	request: { params: TeamParams },
	responses: { 200: json(Team, "The team."), ...errors(400, 401, 403, 404) },
});

const updateTeam = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/teams/{teamId}",
	tags: ["Teams"],
	summary: "Change a team",
	description: "Fields left out keep their value; memberIds replaces the member list.",
	middleware: accountScope("teams:write"),
	request: { params: TeamParams, body: jsonBody(UpdateTeamInput) },
	responses: { 200: json(Team, "The updated team."), ...errors(400, 401, 403, 404, 409, 415) },
});

const deleteTeam = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/teams/{teamId}",
	tags: ["Teams"],
	summary: "Delete a team",
	middleware: accountScope("teams:write"),
	request: { params: TeamParams },
	responses: { 204: { description: "Deleted." }, ...errors(400, 401, 403, 404) },
});

export const teamRoutes = router()
	.openapi(listTeams, async (c) => {
		const records = await accountStub(c.env, c.get("account").id).listTeams();
		return c.json(paged(c, paginate(await describeTeams(c, records), (x) => [x.name.toLowerCase(), x.id], c.req.valid("query"))), 200);
	})
	.openapi(createTeam, async (c) => {
		const input = c.req.valid("json");
		await checkPeople(c, input.memberIds, input.coordinatorId);
		const record = unwrapCreate(c, await accountStub(c.env, c.get("account").id).createTeam(input, idempotencyOf(c)));
		return c.json(await describeTeam(c, record), 201);
	})
	.openapi(getTeam, async (c) => {
		const record = unwrap(await accountStub(c.env, c.get("account").id).getTeam(c.req.valid("param").teamId));
		return c.json(await describeTeam(c, record), 200);
	})
	.openapi(updateTeam, async (c) => {
		const input = c.req.valid("json");
		await checkPeople(c, input.memberIds, input.coordinatorId);
		const record = unwrap(await accountStub(c.env, c.get("account").id).updateTeam(c.req.valid("param").teamId, input));
		return c.json(await describeTeam(c, record), 200);
	})
	.openapi(deleteTeam, async (c) => {
		unwrap(await accountStub(c.env, c.get("account").id).deleteTeam(c.req.valid("param").teamId));
		return c.body(null, 204);
	});

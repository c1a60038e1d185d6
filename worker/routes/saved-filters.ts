// The signed-in person's saved filters of the Inbox and the request list in one account. For
// people only, never API tokens; a person only ever reaches their own (the AccountObject is asked
// for the session's person, never for an id from the request): another's filter answers 404.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { accountScope, requireSession } from "../http/auth";
import { accountStub } from "../http/account-object";
import { unwrap } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { pageResponse, paged, paginate } from "../http/pagination";
import { CreateSavedFilter, SavedFilter, SavedFilterId, SavedFilterList, SavedFilterListQuery, UpdateSavedFilter } from "../shared/saved-filter-api";

const TAG = "Saved filters";
/** Everyone in the account has account:read; the session check below keeps tokens out. */
const scope = accountScope("account:read");
const FilterParams = AccountParams.extend({ filterId: SavedFilterId });

function me(c: Context<AppEnv>): { personId: string; accountId: string } {
	return { personId: requireSession(c).person.id, accountId: c.get("account").id };
}

const listRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/saved-filters",
	tags: [TAG],
	summary: "Your saved filters in this account",
	description: "By page (inbox, requests), then name. Apply one by opening its page with its query string.",
	middleware: scope,
	request: { params: AccountParams, query: SavedFilterListQuery },
	responses: { 200: pageResponse(SavedFilterList, "Your saved filters."), ...errors(400, 401, 403, 404) },
});

const createRoute_ = createRoute({
	method: "post",
	path: "/accounts/{accountId}/saved-filters",
	tags: [TAG],
	summary: "Save a filter of the Inbox or the request list",
	description:
		"The query is validated against that list's query parameters (an unknown or repeated parameter, or a bad value, answers 400) and saved without paging. A name you already use on that page answers 409, as does a 51st filter (a retry with the create's Idempotency-Key answers the first answer instead).",
	middleware: [scope, idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateSavedFilter) },
	responses: { 201: json(SavedFilter, "The saved filter."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const updateRoute = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/saved-filters/{filterId}",
	tags: [TAG],
	summary: "Rename one of your saved filters, or change its query",
	middleware: scope,
	request: { params: FilterParams, body: jsonBody(UpdateSavedFilter) },
	responses: { 200: json(SavedFilter, "The saved filter after the change."), ...errors(400, 401, 403, 404, 409, 415) },
});

const deleteRoute = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/saved-filters/{filterId}",
	tags: [TAG],
	summary: "Delete one of your saved filters",
	middleware: scope,
	request: { params: FilterParams },
	responses: { 204: { description: "Deleted." }, ...errors(400, 401, 403, 404) },
});

export const savedFilterRoutes = router()
	.openapi(listRoute, async (c) => {
		const { personId, accountId } = me(c);
		const q = c.req.valid("query");
		const all = await accountStub(c.env, accountId).listSavedFilters(personId, q.view);
		return c.json(paged(c, paginate(all, (x) => [x.view, x.name.toLowerCase(), x.id], q)), 200);
	})
	.openapi(createRoute_, async (c) => {
		const { personId, accountId } = me(c);
		return c.json(unwrapCreate(c, await accountStub(c.env, accountId).createSavedFilter(personId, c.req.valid("json"), idempotencyOf(c))), 201);
	})
	.openapi(updateRoute, async (c) => {
		const { personId, accountId } = me(c);
		return c.json(unwrap(await accountStub(c.env, accountId).updateSavedFilter(personId, c.req.valid("param").filterId, c.req.valid("json"))), 200);
	})
	.openapi(deleteRoute, async (c) => {
		const { personId, accountId } = me(c);
		unwrap(await accountStub(c.env, accountId).deleteSavedFilter(personId, c.req.valid("param").filterId));
		return c.body(null, 204);
	});

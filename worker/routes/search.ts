// Global search: one query over what the caller may read in the account, grouped by kind.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { matchExpression } from "../account/search";
import { directory } from "../db/client";
import { searchAccountPeople } from "../db/people-search";
import type { AppEnv } from "../env";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { AccountParams, errors, json, router } from "../http/openapi";
import { personActorOf } from "../identity/person-actor";
import type { Permission } from "../shared/roles";
import { SearchQuery, SearchResults, type SearchKind } from "../shared/search-api";

/** The permission that reads each kind. Requests are searched only by signed-in people (their view decides what they see), whatever a token's scopes. */
const READS: Record<SearchKind, Permission> = { requests: "requests:read", people: "people:read", teams: "teams:read", services: "services:read" };

const searchRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/search",
	tags: ["Search"],
	summary: "Search requests, people, teams and services",
	description:
		"Full-text search, ranked (bm25), diacritics folded, the last word a prefix. What you type is words, never query syntax. " +
		"Each kind answers only what your permissions read, with the rules of its list: an end user finds the requests from or for them; a specialist every request of this account and the customers' requests assigned to their teams (administrators, auditors and service level managers: to any team of this account); internal notes match only for this account's specialists. " +
		"Highlights are ranges of plain text, never HTML.",
	middleware: accountScope("account:read"),
	request: { params: AccountParams, query: SearchQuery },
	responses: { 200: json(SearchResults, "Hits grouped by kind."), ...errors(400, 401, 403, 404) },
});

function searcher(c: Context<AppEnv>) {
	const auth = c.get("auth");
	return auth?.kind === "session" ? personActorOf(auth.person, c.get("account").roles) : null;
}

export const searchRoutes = router().openapi(searchRoute, async (c) => {
	const account = c.get("account");
	const { q, kinds, limit } = c.req.valid("query");
	if (matchExpression(q) === null) throw new AppError("invalid_input", "Type at least one word or number to search for.", [{ path: "q", message: "No word to search for." }]);
	const readable = kinds.filter((k) => account.permissions.has(READS[k]));
	const person = searcher(c);
	const local = readable.filter((k): k is Exclude<SearchKind, "people"> => k !== "people" && (k !== "requests" || person !== null));
	// The account's index and the directory answer at the same time.
	const [found, people] = await Promise.all([
		local.length > 0 ? accountStub(c.env, account.id).search(person ?? { personId: "", name: "", staff: false, overseer: false }, local, q, limit) : null,
		readable.includes("people") ? searchAccountPeople(directory(c.env.DB), account.id, q, limit) : [],
	]);
	const groups = found ? unwrap(found) : { requests: [], teams: [], services: [] };
	return c.json({ q, groups: { ...groups, people } }, 200);
});

// Saved filters: a person's named Inbox or request-list queries, kept as the query string the
// page's URL carries, so that applying one is opening that URL.
import { z } from "zod";
import { PageQuery, pageOf } from "./page-api";
import { InboxQuery, MyRequestsQuery } from "./request-api";
import { lineText } from "./text";

export const SAVED_FILTER_VIEWS = ["inbox", "requests"] as const;
export type SavedFilterView = (typeof SAVED_FILTER_VIEWS)[number];
/** Enough for every page a person works from; more is a list nobody reads. */
export const MAX_SAVED_FILTERS = 50;
export const MAX_FILTER_QUERY = 1000;

export const SavedFilterId = z.string().regex(/^sf_[A-Za-z0-9]{10,40}$/, "Not a saved filter id.").meta({ description: "A saved filter's id.", example: "sf_3k9x2m8q4z" });

const QUERIES = { inbox: InboxQuery, requests: MyRequestsQuery } as const;
/** Where a list is, not what it holds: paging is left out of a saved filter. */
const NOT_SAVED = new Set(["cursor", "limit", "page", "perPage"]);

/**
 * The query string as saved: parsed against the page's own query schema (an unknown parameter,
 * a repeated one or a bad value is refused), paging dropped, parameters sorted. A leading "?" is
 * allowed.
 */
export function normalizeFilterQuery(view: SavedFilterView, query: string): { ok: true; query: string } | { ok: false; message: string } {
	const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
	const schema = QUERIES[view];
	const known = new Set(Object.keys(schema.shape));
	const kept: [string, string][] = [];
	for (const [key, value] of params) {
		if (!known.has(key)) return { ok: false, message: `Unknown filter "${key}". One of: ${[...known].filter((k) => !NOT_SAVED.has(k)).join(", ")}.` };
		if (params.getAll(key).length > 1) return { ok: false, message: `"${key}" is given twice; list several values with commas.` };
		if (!NOT_SAVED.has(key) && value !== "") kept.push([key, value]);
	}
	const parsed = schema.safeParse(Object.fromEntries(kept));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { ok: false, message: `${issue?.path.join(".") || "query"}: ${issue?.message ?? "not a valid filter."}` };
	}
	// By code unit, as URLSearchParams.sort() orders them (the portal compares queries that way).
	kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	// Commas stay commas: they separate a list's values, and read better in a URL than %2C.
	return { ok: true, query: new URLSearchParams(kept).toString().replace(/%2C/gi, ",") };
}

export const SavedFilter = z
	.object({
		id: SavedFilterId,
		name: z.string(),
		view: z.enum(SAVED_FILTER_VIEWS).meta({ description: "inbox: the Inbox's filters (GET /inbox); requests: the request list's (GET /requests)." }),
		query: z.string().meta({ description: "The list's query string, as its URL carries it.", example: "customer=acme&status=assigned,accepted&view=teams" }),
		createdAt: z.iso.datetime(),
		updatedAt: z.iso.datetime(),
	})
	.meta({ id: "SavedFilter" });
export type SavedFilter = z.infer<typeof SavedFilter>;

export const SavedFilterList = pageOf(SavedFilter, "SavedFilterList");

export const SavedFilterListQuery = z.object({ view: z.enum(SAVED_FILTER_VIEWS).optional().meta({ description: "Only this page's filters." }), ...PageQuery.shape });

const FilterName = lineText({ max: 80 });
const FilterQuery = z.string().max(MAX_FILTER_QUERY).meta({ description: "The list's query string (without paging); validated against that list's query parameters." });

export const CreateSavedFilter = z
	.strictObject({ name: FilterName, view: z.enum(SAVED_FILTER_VIEWS), query: FilterQuery })
	.meta({ id: "CreateSavedFilter", example: { name: "Globex, waiting", view: "inbox", query: "customer=globex&status=assigned,accepted" } });
export type CreateSavedFilter = z.infer<typeof CreateSavedFilter>;

export const UpdateSavedFilter = z
	.strictObject({ name: FilterName.optional(), query: FilterQuery.optional() })
	.refine((v) => v.name !== undefined || v.query !== undefined, "Change the name, the query or both.")
	.meta({ id: "UpdateSavedFilter" });
export type UpdateSavedFilter = z.infer<typeof UpdateSavedFilter>;

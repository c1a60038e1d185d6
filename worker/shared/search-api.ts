// Global search: the query and the grouped results of GET /accounts/{id}/search.
import { z } from "zod";

export const SEARCH_KINDS = ["requests", "people", "teams", "services"] as const;
export const SearchKind = z.enum(SEARCH_KINDS);
export type SearchKind = z.infer<typeof SearchKind>;

export const SearchQuery = z.object({
	q: z
		.string()
		.trim()
		.min(1, "Type something to search for.")
		.max(200, "At most 200 characters.")
		.meta({ description: "Words to find. Each word must occur; the last one may be the start of a word. Nothing typed is query syntax.", example: "printer toner" }),
	kinds: z
		.string()
		.default(SEARCH_KINDS.join(","))
		.transform((v, ctx) => {
			const parts = [...new Set(v.split(",").map((p) => p.trim()).filter(Boolean))];
			const bad = parts.filter((p) => !(SEARCH_KINDS as readonly string[]).includes(p));
			if (bad.length > 0 || parts.length === 0) {
				ctx.addIssue({ code: "custom", message: `Kinds are a comma-separated list of ${SEARCH_KINDS.join(", ")}.` });
				return z.NEVER;
			}
			return parts as SearchKind[];
		})
		.meta({ description: "Comma-separated kinds to search: requests, people, teams, services (default: all that your permissions read).", example: "requests,teams" }),
	limit: z.coerce.number().int().min(1).max(50).default(10).meta({ description: "At most this many hits per kind." }),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchText = z
	.object({
		text: z.string(),
		marks: z
			.array(z.object({ start: z.number().int(), end: z.number().int() }))
			.meta({ description: "Matched ranges of `text`, start inclusive, end exclusive (UTF-16 offsets), to highlight." }),
	})
	.meta({ id: "SearchText", description: "Plain text (never HTML) with the ranges that matched." });
export type SearchText = z.infer<typeof SearchText>;

export const SearchHit = z
	.object({
		kind: SearchKind,
		id: z.string(),
		title: SearchText,
		snippet: SearchText.meta({ description: "The best matching excerpt (a note, a description, a name); empty when only the title matched." }),
		link: z.string().meta({ description: "Path of the record in this account's portal.", example: "/widget-dc/requests/req_1" }),
	})
	.meta({ id: "SearchHit" });
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResults = z
	.object({
		q: z.string(),
		groups: z.object({
			requests: z.array(SearchHit),
			people: z.array(SearchHit),
			teams: z.array(SearchHit),
			services: z.array(SearchHit),
		}),
	})
	.meta({ id: "SearchResults", description: "Hits grouped by kind, best first. A kind not asked for, or not readable with your permissions, is empty." });
export type SearchResults = z.infer<typeof SearchResults>;

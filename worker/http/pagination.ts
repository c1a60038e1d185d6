// Cursor pagination, the same on every list of the API: `?cursor=&limit=`, the body
// `{ items, nextCursor }`, and an RFC 8288 `Link: <…>; rel="next"` header with the absolute URL of
// the next page (the other query parameters kept). One module, so every list reads the same way;
// the cursor itself (encode, read against a position schema, the page of a keyset query) is
// worker/lib/cursor.ts, which the account's modules use without the HTTP layer.
//
// A cursor is opaque to clients: base64url of a small JSON position (the last item's sort key and
// a unique tiebreak), never an offset where a list can be long, so a page stays right while rows
// are added or removed in front of it. Where a list is short by nature (teams, SLAs, tokens …) it
// is loaded whole and cut here (paginate); where it can grow without bound (requests, Inbox,
// notifications, mail and webhook deliveries, apps) the query itself starts after the position (keyset).
//
// How to apply it to a new list:
//   1. query:    `request: { query: PageQuery }` (or `YourFilters.extend(PageQuery.shape)`)
//   2. response: `200: pageResponse(pageOf(Item, "ItemPage"), "…")`
//   3. handler:  short list → `return c.json(paged(c, paginate(all, (x) => [x.name, x.id], q)), 200)`
//                long list  → `const after = decodeCursor(Position, q.cursor)` (400 if bad), run the
//                keyset query with `limit + 1` rows, then `pageFrom(rows, q.limit, (r) => position)`
//                and `return c.json(paged(c, page), 200)`.
import type { Context } from "hono";
import { z } from "zod";
import { encodeCursor, pageFrom, readCursor } from "../lib/cursor";
import { PageQuery, type Page } from "../shared/page-api";
import { AppError } from "./errors";

export { encodeCursor, pageFrom, readCursor };
export { DEFAULT_LIMIT, LINK_HEADER, MAX_LIMIT, PageQuery, pageOf, pageResponse, pageWith, type Page } from "../shared/page-api";

/** readCursor for a route handler: a bad cursor answers 400. */
export function decodeCursor<T extends z.ZodType>(schema: T, cursor: string | undefined): z.infer<T> | undefined {
	const result = readCursor(schema, cursor);
	if (!result.ok) throw AppError.from(result.error);
	return result.value;
}

type Key = (string | number)[];
const KeySchema = z.array(z.union([z.string(), z.number()])).min(1).max(8);

function compareKeys(a: Key, b: Key): number {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const x = a[i];
		const y = b[i];
		if (x === y) continue;
		if (x === undefined) return -1;
		if (y === undefined) return 1;
		if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
		return x < y ? -1 : 1;
	}
	return 0;
}

/**
 * One page of a list that is short by nature and loaded whole. `key` gives each item's sort key,
 * ending with something unique (its id); the list is ordered by it and the page starts after the
 * cursor's key, so an item added or removed before the cursor moves nothing.
 */
export function paginate<T>(all: readonly T[], key: (item: T) => Key, q: PageQuery): Page<T> {
	const after = decodeCursor(KeySchema, q.cursor);
	const sorted = all.map((item) => ({ item, k: key(item) })).sort((a, b) => compareKeys(a.k, b.k));
	const rest = after === undefined ? sorted : sorted.filter((x) => compareKeys(x.k, after) > 0);
	return pageFrom(rest, q.limit, (x) => x.item, (x) => x.k);
}

/** Sets the Link header of the next page (the request's own URL with the next cursor) and passes the page on. */
export function paged<P extends { nextCursor: string | null }>(c: Context, page: P): P {
	if (page.nextCursor !== null) {
		const url = new URL(c.req.url);
		url.searchParams.set("cursor", page.nextCursor);
		c.header("Link", `<${url.toString()}>; rel="next"`);
	}
	return page;
}

/**
 * The Link header of a numbered page (`page`, `perPage`, `total`), for the one list ranked by a
 * figure computed per request (the SLA report drill-down), where no keyset exists: the same
 * rel="next" as every other list, to `page + 1`.
 */
export function pagedByNumber<P extends { page: number; perPage: number; total: number }>(c: Context, page: P): P {
	if (page.page * page.perPage < page.total) {
		const url = new URL(c.req.url);
		url.searchParams.set("page", String(page.page + 1));
		c.header("Link", `<${url.toString()}>; rel="next"`);
	}
	return page;
}

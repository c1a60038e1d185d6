// The page shape and query of every list of the API (worker/http/pagination.ts has the cursor and
// the Link header). Here, apart, because the portal reads these types too.
import { z } from "zod";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const PageQuery = z.object({
	cursor: z
		.string()
		.min(1)
		.max(1000)
		.optional()
		.meta({ description: "The nextCursor of the previous page (opaque; also in its Link header). Omit for the first page.", example: "WyIyMDI2LTEyLTA3IiwicmVxXzEyIl0" }),
	limit: z.coerce
		.number()
		.int()
		.min(1)
		.max(MAX_LIMIT)
		.default(DEFAULT_LIMIT)
		.meta({ description: `Items per page, 1–${MAX_LIMIT}; ${DEFAULT_LIMIT} if not given.`, example: DEFAULT_LIMIT }),
});
export type PageQuery = z.infer<typeof PageQuery>;

export type Page<T> = { items: T[]; nextCursor: string | null };

const NEXT_CURSOR_DESCRIPTION = "Pass as `cursor` for the next page (the Link header rel=\"next\" has the whole URL); null on the last page.";

/** The body schema of a page of `item`, registered under `id` in the OpenAPI document. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
	return z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: NEXT_CURSOR_DESCRIPTION }) }).meta({ id });
}

/** A page body with more fields (e.g. a total or an unread count) next to items and nextCursor. */
export function pageWith<T extends z.ZodType, E extends z.ZodRawShape>(item: T, extra: E, id: string) {
	return z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: NEXT_CURSOR_DESCRIPTION }), ...extra }).meta({ id });
}

export const LINK_HEADER = {
	Link: {
		description: 'RFC 8288: `<absolute URL of the next page>; rel="next"`, the same query with the next cursor. Absent on the last page.',
		schema: { type: "string" as const, example: '<https://trustdesk.example/api/v1/accounts/widget-dc/requests?status=open&cursor=WyIy…&limit=50>; rel="next"' },
	},
};

/** The OpenAPI 200 response of a list: the page body and the Link header. */
export function pageResponse<T extends z.ZodType>(schema: T, description: string) {
	return { description, headers: LINK_HEADER, content: { "application/json": { schema } } } as const;
}


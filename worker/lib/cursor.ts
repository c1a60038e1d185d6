// Cursors of keyset pages, the part the account's own modules need (no HTTP here): a cursor is
// base64url of a small JSON position, read back against the position's schema. The API's side of
// pagination (query schema, Link header, a bad cursor as 400) is worker/http/pagination.ts.
import type { z } from "zod";
import type { Page } from "../shared/page-api";
import { fail, ok, type Result } from "./result";

/** The opaque cursor of a position (any JSON value). */
export function encodeCursor(position: unknown): string {
	const bytes = new TextEncoder().encode(JSON.stringify(position));
	let binary = "";
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const INVALID_CURSOR = { path: "cursor", message: "Pass back a nextCursor from an earlier page of the same list." };

/** The position in a cursor, checked against its schema; an unknown or tampered cursor is invalid input. */
export function readCursor<T extends z.ZodType>(schema: T, cursor: string | undefined): Result<z.infer<T> | undefined> {
	if (cursor === undefined) return ok(undefined);
	let parsed: unknown;
	try {
		if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
		const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
		parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
	} catch {
		return fail("invalid_input", "Unknown cursor.", [INVALID_CURSOR]);
	}
	const result = schema.safeParse(parsed);
	return result.success ? ok(result.data) : fail("invalid_input", "Unknown cursor.", [INVALID_CURSOR]);
}

/**
 * The page from a keyset query that asked for `limit + 1` rows: the extra row only says that
 * there is a next page, whose cursor is the position of the last row shown.
 */
export function pageFrom<R, T>(rows: R[], limit: number, item: (row: R) => T, position: (row: R) => unknown): Page<T> {
	const shown = rows.slice(0, limit);
	const last = shown[shown.length - 1];
	return { items: shown.map(item), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}

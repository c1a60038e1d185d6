// The typed API client. Routes, inputs and outputs come from the Worker's route definitions
// (Hono RPC), so no DTO is declared twice. Cookie-authenticated writes carry the CSRF token.
import { hc, parseResponse, type ClientResponse } from "hono/client";
import type { AppType } from "../../../worker/app";
import type { ApiErrorBody, ErrorCode } from "../../../worker/shared/errors";

let csrfToken = "";

/** Remembered from the session; sent as X-CSRF-Token on every write. */
export function setCsrfToken(token: string): void {
	csrfToken = token;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const api = hc<AppType>(`${location.origin}/api/v1`, {
	fetch: (input: RequestInfo | URL, init?: RequestInit) => {
		const headers = new Headers(init?.headers);
		const method = (init?.method ?? "GET").toUpperCase();
		if (!SAFE.has(method) && csrfToken) headers.set("X-CSRF-Token", csrfToken);
		return fetch(input, { ...init, headers, credentials: "same-origin" });
	},
});

/** An API failure, with the server's error code. UI code switches on `code`. */
export class ApiError extends Error {
	override name = "ApiError";
	constructor(
		readonly code: ErrorCode | "network",
		message: string,
		readonly status: number,
		readonly details?: unknown,
	) {
		super(message);
	}

	/** Messages per field path, from a validation error's details. */
	fieldErrors(): Record<string, string> {
		const out: Record<string, string> = {};
		if (Array.isArray(this.details)) {
			for (const item of this.details) {
				if (item && typeof item === "object" && "path" in item && "message" in item) {
					const path = String(item.path);
					out[path] ??= String(item.message);
				}
			}
		}
		return out;
	}
}

async function toApiError(res: Response): Promise<ApiError> {
	try {
		const body = (await res.json()) as Partial<ApiErrorBody>;
		if (body.error) return new ApiError(body.error.code, body.error.message, res.status, body.error.details);
	} catch {
		// Not our error body (a proxy, an outage): fall through to a generic message.
	}
	return new ApiError("internal", `The server answered ${res.status}.`, res.status);
}

/** Runs an API call: the parsed success body, or an ApiError. */
export async function request<T extends ClientResponse<unknown>>(call: Promise<T>) {
	let res: T;
	try {
		res = await call;
	} catch {
		throw new ApiError("network", "Cannot reach Trustdesk. Check your connection and try again.", 0);
	}
	if (!res.ok) throw await toApiError(res as unknown as Response);
	return parseResponse(res);
}

export function messageOf(err: unknown): string {
	return err instanceof Error ? err.message : "Something went wrong.";
}

/** The query of one page of a list (worker/http/pagination.ts): as many as the API gives at once. */
export type PageParams = { limit: string; cursor?: string };
const ALL_PAGE_SIZE = "200";
type ItemOf<R extends ClientResponse<unknown>> = Awaited<ReturnType<typeof request<R>>> extends { items: (infer I)[] } ? I : never;

/**
 * Every item of a paged list, following nextCursor, for lists the page needs whole (select
 * lists, the short lists of settings pages), so nothing is cut off silently at the first page.
 */
export async function requestAll<R extends ClientResponse<unknown>>(page: (query: PageParams) => Promise<R>): Promise<ItemOf<R>[]> {
	const items: ItemOf<R>[] = [];
	let cursor: string | null = null;
	do {
		const query: PageParams = cursor === null ? { limit: ALL_PAGE_SIZE } : { limit: ALL_PAGE_SIZE, cursor };
		const body = (await request(page(query))) as unknown as { items: ItemOf<R>[]; nextCursor: string | null };
		items.push(...body.items);
		cursor = body.nextCursor;
	} while (cursor !== null);
	return items;
}

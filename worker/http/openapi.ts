// Helpers to declare routes once: validation, OpenAPI description and the typed client all come
// from the same `createRoute` definition.
import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { ErrorBody } from "../shared/api";
import { errorBody } from "../shared/errors";
import { issuesOf } from "./errors";

/** Every validation failure at the edge answers 400 with the shared error body. */
export const validationHook: Hook<unknown, AppEnv, string, Response | undefined> = (result, c) => {
	if (!result.success) {
		return c.json(
			errorBody("invalid_input", `Invalid ${result.target === "json" ? "request body" : result.target}.`, issuesOf(result.error)),
			400,
		);
	}
	return undefined;
};

/**
 * Path parameters of account-scoped routes. The id is not validated as a slug here: accountScope
 * has already answered 404 for any id the caller cannot reach, well-formed or not.
 */
export const AccountParams = z.object({ accountId: z.string().meta({ description: "Account id", example: "widget-dc" }) });

export function router() {
	return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

const ERROR_DESCRIPTIONS = {
	400: "Invalid input: malformed JSON, wrong types, unknown fields, or a body over 1 MB.",
	401: "Not signed in, or the API token is unknown, expired or revoked.",
	403: "Signed in, but without the permission (role or token scope) this needs.",
	404: "No such resource in an account the caller can see.",
	409: "Conflicts with the current state.",
	412: "precondition_failed: If-Match named an ETag that is no longer the resource's; read it again (its ETag is in this answer's ETag header).",
	415: "The body is not JSON.",
	422: "idempotency_key_reused: the Idempotency-Key was used in the last 24 hours for a different request.",
	429: "Too many attempts; retry after the number of seconds in Retry-After.",
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;
type ErrorResponses<S extends ErrorStatus> = {
	[K in S]: { description: string; content: { "application/json": { schema: typeof ErrorBody } } };
};

/** OpenAPI responses for the error statuses a route can answer with. */
export function errors<const S extends ErrorStatus>(...statuses: S[]): ErrorResponses<S> {
	const out: Partial<ErrorResponses<S>> = {};
	for (const s of statuses) {
		out[s] = { description: ERROR_DESCRIPTIONS[s], content: { "application/json": { schema: ErrorBody } } } as ErrorResponses<S>[S];
	}
	return out as ErrorResponses<S>;
}

export function json<T extends z.ZodType>(schema: T, description: string) {
	return { description, content: { "application/json": { schema } } } as const;
}

export function jsonBody<T extends z.ZodType>(schema: T) {
	return { required: true, content: { "application/json": { schema } } } as const;
}

// One error model for the HTTP API: handlers throw AppError (or unwrap an AccountObject Result),
// and `handleError` turns everything into `{ error: { code, message, details? } }`.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { AppEnv } from "../env";
import type { Result } from "../lib/result";
import { errorBody, type ApiError, type ErrorCode, type ErrorDetail } from "../shared/errors";

export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
	invalid_input: 400,
	malformed_json: 400,
	unsupported_media_type: 415,
	// The issue's contract: an oversized body is bad input like any other, answered with 400.
	payload_too_large: 400,
	// Attachments (worker/routes/attachments.ts): over the file or request limit, nothing stored.
	attachment_too_large: 413,
	// An upload must say its size up front, so the limit is checked before a byte is read.
	length_required: 411,
	unauthenticated: 401,
	forbidden: 403,
	csrf_failed: 403,
	not_found: 404,
	conflict: 409,
	invalid_transition: 409,
	// If-Match named a version of the resource that is no longer current (http/conditional.ts).
	precondition_failed: 412,
	// The request is well-formed but contradicts the key's earlier request (as Stripe and the
	// IETF idempotency-key draft answer it).
	idempotency_key_reused: 422,
	rate_limited: 429,
	unavailable: 503,
	internal: 500,
};

export class AppError extends Error {
	override name = "AppError";
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly details?: ErrorDetail[],
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}

	static from(error: ApiError): AppError {
		return new AppError(error.code, error.message, error.details);
	}
}

export const notFound = (what = "resource") => new AppError("not_found", `No such ${what}.`);

/** The value of an AccountObject result, or the mapped HTTP error. */
export function unwrap<T>(result: Result<T>): T {
	if (!result.ok) throw AppError.from(result.error);
	return result.value;
}

function respond(c: Context<AppEnv>, err: AppError) {
	for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
	return c.json(errorBody(err.code, err.message, err.details), STATUS_OF[err.code]);
}

export const handleError: ErrorHandler<AppEnv> = (err, c) => {
	if (err instanceof AppError) return respond(c, err);
	if (err instanceof HTTPException) {
		if (err.status === 400 && err.message.startsWith("Malformed JSON")) {
			return respond(c, new AppError("malformed_json", "The request body is not valid JSON."));
		}
		if (err.status === 413) return respond(c, new AppError("payload_too_large", "The request body is larger than 1 MB."));
		if (err.status >= 400 && err.status < 500) {
			return c.json(errorBody("invalid_input", err.message || "Bad request."), err.status);
		}
	}
	console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
	return c.json(errorBody("internal", "Something went wrong on our side. The request id is in the X-Request-Id header."), 500);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
	c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);

/** Zod issues as a flat list a form can show next to its fields. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

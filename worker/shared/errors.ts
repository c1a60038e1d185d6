// The one error vocabulary of the API, shared by the Worker, the AccountObject and the portal.
// UI code switches on `code`, never on message text.

export const ERROR_CODES = [
	"invalid_input",
	"malformed_json",
	"unsupported_media_type",
	"payload_too_large",
	"attachment_too_large",
	"length_required",
	"unauthenticated",
	"forbidden",
	"csrf_failed",
	"not_found",
	"conflict",
	"precondition_failed",
	"rate_limited",
	"invalid_transition",
	"idempotency_key_reused",
	"unavailable",
	"internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with the input, named by its path (e.g. "hours.2.until"). */
export interface ErrorDetail {
	path: string;
	message: string;
}

export interface ApiError {
	code: ErrorCode;
	message: string;
	/** A plain, serializable type on purpose: results cross Durable Object RPC. */
	details?: ErrorDetail[];
}

/** The body of every non-2xx API response. */
export interface ApiErrorBody {
	error: ApiError;
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]): ApiErrorBody {
	return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

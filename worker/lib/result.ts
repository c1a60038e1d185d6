// Expected failures cross the AccountObject's RPC boundary as values: Workers RPC keeps only an
// error's message and name, so a thrown `code` or status would be lost on the way.
import type { ApiError, ErrorCode, ErrorDetail } from "../shared/errors";

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(code: ErrorCode, message: string, details?: ErrorDetail[]): Result<T> => ({
	ok: false,
	error: details === undefined ? { code, message } : { code, message, details },
});

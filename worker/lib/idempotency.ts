// Idempotency keys, the parts the Worker and the AccountObject share: what the Worker's
// middleware hands to a create (plain data: it crosses Durable Object RPC) and what a create
// answers when it replays an earlier answer instead of running again.
import type { Result } from "./result";

/** How long a key and its answer are kept: a retry after this runs as a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The `Idempotency-Key` of one create, as the Worker checked it. */
export interface IdempotencyContext {
	/** The header's value (1–255 visible ASCII characters). */
	key: string;
	/**
	 * Of the request the key came with: method, path and body (see http/idempotency.ts). The same
	 * key with another fingerprint is a different request, answered 422.
	 */
	fingerprint: string;
	/**
	 * Who sent it (`person:<id>` or `token:<id>`): keys are per caller, so two callers never see
	 * each other's answers. Per account too: each account keeps its own keys.
	 */
	principal: string;
}

/** A create's result; `replayed` when it is the stored answer of an earlier request with the key. */
export type Replayable<T> = Result<T> & { replayed?: true };

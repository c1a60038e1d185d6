// The API rate limit, per session and per API token (worker/limits/). Two middleware around
// `authenticate`:
//   - `startRateLimit` runs first and already asks the caller's ApiRateLimiter object, keyed by
//     the hash of the credential the request carries (the same hash authentication looks up), so
//     the limiter's round trip overlaps authentication's instead of adding to it;
//   - `enforceRateLimit` runs after `authenticate`: if the credential turned out to be the
//     caller's, it waits for the limiter's answer and refuses with 429 + Retry-After when the
//     window is used up.
// Every answer to an authenticated caller carries RateLimit-Limit, RateLimit-Remaining,
// RateLimit-Reset and RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers-06), errors too.
// Requests without a credential are not counted here (sign-in has its own throttle).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import type { RateLimitState } from "../limits/fixed-window";
import { LeaseBook } from "../limits/lease";
import { rateLimitConfig } from "../limits/rate-limit-config";
import { AppError } from "./errors";
import { credentialOf, secretHash } from "./credential";

/** The limiter call of one request: started before authentication, read after it. */
export interface RateLimitCall {
	kind: "session" | "token";
	answer: Promise<RateLimitState | undefined>;
	/** Set by enforceRateLimit once the caller is known to own the credential. */
	state?: RateLimitState;
}

/** Requests this Worker instance was granted by callers' limiter objects (see limits/lease.ts). */
const leases = new LeaseBook();

async function ask(env: Env, kind: "session" | "token", hash: Promise<string>): Promise<RateLimitState | undefined> {
	const config = rateLimitConfig(env);
	const limit = kind === "token" ? config.tokenLimit : config.sessionLimit;
	const name = `${kind}:${await hash}`;
	return leases.take(name, limit, config.windowMs, Date.now, async (want) => {
		try {
			return await env.API_RATE_LIMITER.getByName(name).take(limit, config.windowMs, want);
		} catch (err) {
			// The limit protects the service; an unreachable limiter must not take the API down with it.
			console.error(JSON.stringify({ level: "error", message: "rate limiter unavailable; request let through", error: String(err) }));
			return undefined;
		}
	});
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
	return {
		"RateLimit-Limit": String(state.limit),
		"RateLimit-Remaining": String(state.remaining),
		"RateLimit-Reset": String(seconds(state.resetMs)),
		"RateLimit-Policy": `${state.limit};w=${seconds(state.windowMs)}`,
	};
}

export const startRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
	const credential = credentialOf(c);
	if (credential) c.set("rateLimit", { kind: credential.kind, answer: ask(c.env, credential.kind, secretHash(c, credential.secret)) });
	await next();
	// After the handler or the error handler: the answer, whatever it is, gets the headers.
	const state = c.get("rateLimit")?.state;
	if (state) for (const [name, value] of Object.entries(rateLimitHeaders(state))) c.res.headers.set(name, value);
};

export const enforceRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
	const call = c.get("rateLimit");
	// Counted only for a caller who owns the credential; a wrong one has already been answered 401.
	if (call && c.get("auth")?.kind === call.kind) {
		call.state = await call.answer;
		if (call.state && !call.state.allowed) {
			const who = call.kind === "token" ? "this API token" : "this session";
			throw new AppError("rate_limited", `Too many requests for ${who}: ${call.state.limit} per ${seconds(call.state.windowMs)} seconds. Try again in ${seconds(call.state.resetMs)} seconds.`, undefined, {
				"Retry-After": String(seconds(call.state.resetMs)),
			});
		}
	}
	await next();
};

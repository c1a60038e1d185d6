// The signed-in person's own profile: changing their password.
import { createRoute } from "@hono/zod-openapi";
import { directory } from "../db/client";
import { changePassword } from "../db/people";
import { requireSession } from "../http/auth";
import { sessions as sessionCache } from "../http/auth-cache";
import { AppError } from "../http/errors";
import { errors, jsonBody, router } from "../http/openapi";
import { hashPassword } from "../identity/password";
import { assertAcceptablePassword } from "../identity/password-policy";
import { checkCredentials } from "../identity/sign-in";
import { ChangePasswordInput } from "../shared/invitation-api";

const changePasswordRoute = createRoute({
	method: "put",
	path: "/profile/password",
	tags: ["Sessions"],
	summary: "Change your password",
	description:
		"Needs the current password, checked exactly as at sign-in and counted against the same throttle (a wrong one is a failed sign-in; 429 with Retry-After when blocked). The new password follows the password rule. Every other session of yours ends; this one stays.",
	request: { body: jsonBody(ChangePasswordInput) },
	responses: { 204: { description: "Changed; your other sessions are signed out." }, ...errors(400, 401, 403, 415, 429) },
});

export const profileRoutes = router().openapi(changePasswordRoute, async (c) => {
	const auth = requireSession(c);
	const { currentPassword, password } = c.req.valid("json");
	const db = directory(c.env.DB);
	// The new password first: refusing it costs no attempt against the throttle.
	assertAcceptablePassword(password, auth.person);
	const outcome = await checkCredentials(db, auth.person.email, currentPassword, c.req.header("CF-Connecting-IP"), Date.now());
	if (!outcome.ok) {
		if (outcome.reason === "throttled") {
			throw new AppError("rate_limited", "Too many wrong passwords. Try again later.", undefined, { "Retry-After": String(outcome.retryAfterSeconds) });
		}
		throw new AppError("invalid_input", "Your current password is not correct.", [{ path: "currentPassword", message: "This is not your current password." }]);
	}
	const ended = await changePassword(db, auth.person.id, await hashPassword(password), auth.session.tokenHash);
	// Another isolate may still know an ended session for up to the cache's TTL (auth-cache.ts).
	for (const hash of ended) sessionCache.delete(hash);
	return c.body(null, 204);
});

// Sign-up, sign-in, the current session, sign-out.
import { createRoute } from "@hono/zod-openapi";
import { directory } from "../db/client";
import { deleteSession } from "../db/sessions";
import { AppError } from "../http/errors";
import { errors, json, jsonBody, router } from "../http/openapi";
import { requireSession } from "../http/auth";
import { sessions as sessionCache } from "../http/auth-cache";
import { clearSessionCookie } from "../http/session-cookie";
import { createAccount } from "../identity/accounts";
import { mailVerificationLink } from "../identity/email-verification";
import { newId } from "../identity/crypto";
import { hashPassword } from "../identity/password";
import { assertAcceptablePassword } from "../identity/password-policy";
import { describeSession, startSession } from "../identity/sessions";
import { checkCredentials } from "../identity/sign-in";
import { clientOf } from "../identity/throttle-rules";
import { Session, SignInInput, SignUpInput } from "../shared/api";

const signUp = createRoute({
	security: [],
	method: "post",
	path: "/signup",
	tags: ["Sessions"],
	summary: "Sign up: create an account and its first account administrator",
	description:
		"Creates the account, a person with the given e-mail address as its account administrator, and signs them in. The address is unverified until the person follows the link mailed to it (`POST /email-verification/{token}`); until then no notification e-mails go to them and their invitations are not e-mailed. Safe to retry without an Idempotency-Key: the account id and the e-mail address are unique, so a retry of a sign-up that went through answers 409 and creates nothing; sign in with the password just chosen.",
	request: { body: jsonBody(SignUpInput) },
	responses: { 201: json(Session, "Signed in to the new account."), ...errors(400, 409, 415) },
});

const signIn = createRoute({
	security: [],
	method: "post",
	path: "/session",
	tags: ["Sessions"],
	summary: "Sign in",
	description:
		"Starts a session and sets an HttpOnly session cookie. Failed sign-ins are throttled per address and client (the connecting IP address; an IPv6 /64): five are free, then each further attempt must wait 1, 2, 4 … minutes (at most an hour) after the last failure; a client is also slowed down after 50 failures across addresses. A throttled attempt is refused before its password is checked, the right password too: 429 with Retry-After (seconds). A successful sign-in forgets the failures.",
	request: { body: jsonBody(SignInInput) },
	responses: { 200: json(Session, "Signed in."), ...errors(400, 401, 415, 429) },
});

const getSession = createRoute({
	method: "get",
	path: "/session",
	tags: ["Sessions"],
	summary: "The current session",
	description: "The signed-in person, their accounts and roles, and the CSRF token for writes.",
	responses: { 200: json(Session, "The current session."), ...errors(401) },
});

const signOut = createRoute({
	method: "delete",
	path: "/session",
	tags: ["Sessions"],
	summary: "Sign out",
	responses: { 204: { description: "Signed out; the session cookie is cleared." }, ...errors(401, 403) },
});

/** "45 seconds", "1 minute", "16 minutes": how long a throttled person has to wait. */
function inWords(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export const authRoutes = router()
	.openapi(signUp, async (c) => {
		const input = c.req.valid("json");
		assertAcceptablePassword(input.password, input);
		const db = directory(c.env.DB);
		const person = { id: newId("psn"), email: input.email, name: input.name, password: await hashPassword(input.password) };
		await createAccount(c.env, db, { id: input.accountId, name: input.accountName, timeZone: input.timeZone }, person);
		// The account exists now: a mail that cannot be queued must not fail the sign-up (the portal's banner offers "send again").
		await mailVerificationLink(c, db, person, input.accountId).catch((err: unknown) =>
			console.error(JSON.stringify({ level: "error", what: "verification mail", error: String(err) })),
		);
		return c.json(await startSession(c, db, person), 201);
	})
	.openapi(signIn, async (c) => {
		const { email, password } = c.req.valid("json");
		const db = directory(c.env.DB);
		const client = clientOf(c.req.header("CF-Connecting-IP"));
		const outcome = await checkCredentials(db, email, password, client, Date.now(), (work) => c.executionCtx.waitUntil(work));
		if (!outcome.ok) {
			if (outcome.reason === "throttled") {
				throw new AppError("rate_limited", `Too many failed sign-ins. Try again in ${inWords(outcome.retryAfterSeconds)}.`, undefined, {
					"Retry-After": String(outcome.retryAfterSeconds),
				});
			}
			throw new AppError("unauthenticated", "Wrong e-mail address or password.");
		}
		return c.json(await startSession(c, db, outcome.person), 200);
	})
	.openapi(getSession, async (c) => {
		const auth = requireSession(c);
		const session = await describeSession(directory(c.env.DB), auth.person, auth.session.csrfToken, auth.session.expiresAt);
		return c.json(session, 200);
	})
	.openapi(signOut, async (c) => {
		const auth = requireSession(c);
		await deleteSession(directory(c.env.DB), auth.session.tokenHash);
		sessionCache.delete(auth.session.tokenHash);
		clearSessionCookie(c);
		return c.body(null, 204);
	});

// Sign-up, sign-in, sessions, CSRF, and the edge's answers to bad input.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Session } from "../../worker/shared/api";
import {
	call,
	callError,
	callJson,
	createToken,
	expectError,
	ORIGIN,
	PASSWORD,
	sessionCookieOf,
	signIn,
	signInStatus,
	signUp,
	unique,
	uniqueEmail,
} from "./helpers";

function signUpBody(overrides: Record<string, unknown> = {}) {
	return { accountId: unique("acct"), accountName: "Acme", name: "Ada", email: uniqueEmail("signup"), password: PASSWORD, ...overrides };
}

/** Nothing of a refused sign-up was written: no account row, no person, and the address cannot sign in. */
async function expectNothingWritten(body: { accountId: unknown; email: unknown }) {
	const accounts = await env.DB.prepare("SELECT count(*) AS n FROM accounts WHERE id = ?").bind(String(body.accountId)).first<{ n: number }>();
	expect(accounts?.n).toBe(0);
	if (typeof body.email === "string") {
		const email = body.email.trim().toLowerCase();
		const people = await env.DB.prepare("SELECT count(*) AS n FROM people WHERE email = ?").bind(email).first<{ n: number }>();
		expect(people?.n).toBe(0);
		if (email.includes("@")) expect(await signInStatus(email)).toBe(401);
	}
}

describe("sign-up", () => {
	it("creates the account, signs the administrator in and sets an HttpOnly SameSite=Lax cookie", async () => {
		const body = signUpBody();
		const res = await call("/signup", { body });
		expect(res.status).toBe(201);
		const cookie = res.headers.get("Set-Cookie") ?? "";
		expect(cookie).toMatch(/^td_session=/);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
		const session = (await res.json()) as Session;
		expect(session.person.email).toBe(body.email);
		expect(session.memberships).toEqual([
			{ account: { id: body.accountId, name: "Acme" }, roles: ["account_administrator", "specialist", "end_user"] },
		]);
		expect(session.csrfToken.length).toBeGreaterThan(20);
		const portal = await callJson<{ name: string }>(`/portals/${body.accountId}`, 200);
		expect(portal.name).toBe("Acme");
	});

	it("over https names the cookie __Host-td_session and marks it Secure", async () => {
		const res = await call("https://trustdesk.test/api/v1/signup", { body: signUpBody() });
		expect(res.status).toBe(201);
		const cookie = res.headers.get("Set-Cookie") ?? "";
		expect(cookie).toMatch(/^__Host-td_session=/);
		expect(cookie).toMatch(/Secure/i);
		expect(cookie).toMatch(/Path=\//i);
		expect(cookie).not.toMatch(/Domain=/i);
		const session = await call("https://trustdesk.test/api/v1/session", { as: { cookie: sessionCookieOf(res) } });
		expect(session.status).toBe(200);
	});

	it("over https accepts only the __Host- cookie, not a plain td_session cookie another subdomain could plant", async () => {
		const admin = await signUp();
		const secret = admin.cookie.slice("td_session=".length);
		await callError("https://trustdesk.test/api/v1/session", 401, "unauthenticated", { as: { cookie: `td_session=${secret}` } });
		await callJson("https://trustdesk.test/api/v1/session", 200, { as: { cookie: `__Host-td_session=${secret}` } });
	});

	it("normalises the e-mail address, so sign-in works in any case", async () => {
		const email = uniqueEmail("MiXeD").toUpperCase();
		await callJson("/signup", 201, { body: signUpBody({ email: `  ${email} ` }) });
		expect(await signInStatus(email.toLowerCase())).toBe(200);
		expect(await signInStatus(email)).toBe(200);
	});

	it("answers malformed JSON with 400 malformed_json and writes nothing", async () => {
		const body = signUpBody();
		const raw = JSON.stringify(body).slice(0, -2);
		await callError("/signup", 400, "malformed_json", { raw, headers: { "Content-Type": "application/json" } });
		await expectNothingWritten(body);
	});

	const invalidBodies: [string, Record<string, unknown>][] = [
		["a number as the account name", { accountName: 42 }],
		["a missing password", { password: undefined }],
		["an unknown field", { isAdmin: true }],
		["a reserved account id", { accountId: "api" }],
		["an account id with capitals", { accountId: "Acme-Corp" }],
		["an account id ending in a dash", { accountId: "acme-" }],
		["a password of 9 characters", { password: "123456789" }],
		["an invalid e-mail address", { email: "not-an-address" }],
		["an empty name", { name: "   " }],
	];
	it.each(invalidBodies)("refuses %s with 400 invalid_input and writes nothing", async (_what, overrides) => {
		const body = signUpBody(overrides);
		const { error } = await callError("/signup", 400, "invalid_input", { body });
		expect(Array.isArray(error.details)).toBe(true);
		await expectNothingWritten({ accountId: body.accountId, email: body.email });
	});

	it("refuses a JSON array or null body with 400", async () => {
		await callError("/signup", 400, "invalid_input", { body: [signUpBody()] });
		await callError("/signup", 400, "invalid_input", { body: null });
	});

	it("refuses a body over 1 MB with 400 payload_too_large and writes nothing", async () => {
		const body = signUpBody({ accountName: "x".repeat(1024 * 1024 + 10) });
		await callError("/signup", 400, "payload_too_large", { body });
		await expectNothingWritten(body);
	});

	it("refuses a streamed body over 1 MB without a Content-Length", async () => {
		const body = signUpBody({ accountName: "x".repeat(1024 * 1024 + 10) });
		const bytes = new TextEncoder().encode(JSON.stringify(body));
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
				controller.close();
			},
		});
		await callError("/signup", 400, "payload_too_large", { raw: stream, headers: { "Content-Type": "application/json" } });
		await expectNothingWritten(body);
	});

	it("refuses a non-JSON body with 415 unsupported_media_type", async () => {
		const body = signUpBody();
		await callError("/signup", 415, "unsupported_media_type", { raw: JSON.stringify(body), headers: { "Content-Type": "text/plain" } });
		await callError("/signup", 415, "unsupported_media_type", {
			raw: new URLSearchParams({ accountId: body.accountId }),
		});
		await expectNothingWritten(body);
	});

	it("accepts application/json with a charset", async () => {
		await callJson("/signup", 201, { body: signUpBody(), headers: { "Content-Type": "application/json; charset=utf-8" } });
	});

	it("answers a taken account id with 409 and does not register the new address", async () => {
		const first = await signUp();
		const body = signUpBody({ accountId: first.accountId });
		const { error } = await callError("/signup", 409, "conflict", { body });
		expect(error.details).toEqual([{ path: "accountId", message: expect.any(String) }]);
		expect(await signInStatus(body.email)).toBe(401);
	});

	it("answers an e-mail address that is already registered with 409 and does not create the account", async () => {
		const first = await signUp();
		const body = signUpBody({ email: first.email, password: "another password 123" });
		const { error } = await callError("/signup", 409, "conflict", { body });
		expect(error.details).toEqual([{ path: "email", message: expect.any(String) }]);
		await callError(`/portals/${body.accountId}`, 404, "not_found");
		expect(await signInStatus(first.email)).toBe(200);
		expect(await signInStatus(first.email, "another password 123")).toBe(401);
	});
});

describe("sign-in", () => {
	it("starts a session for the right password", async () => {
		const admin = await signUp();
		const session = await signIn(admin.email);
		expect(session.session.person.id).toBe(admin.session.person.id);
		expect(session.csrf).not.toBe(admin.csrf);
		const me = await callJson<Session>("/session", 200, { as: session });
		expect(me.person.email).toBe(admin.email);
	});

	it("answers a wrong password and an unknown address alike: 401 with the same message", async () => {
		const admin = await signUp();
		const wrong = await callError("/session", 401, "unauthenticated", { body: { email: admin.email, password: "wrong password!" } });
		const unknown = await callError("/session", 401, "unauthenticated", { body: { email: uniqueEmail("nobody"), password: PASSWORD } });
		expect(wrong.error.message).toBe(unknown.error.message);
	});

	it("blocks an address after 5 wrong passwords: the next attempt, even the right one, gets 429 with Retry-After", async () => {
		const admin = await signUp();
		for (let i = 0; i < 5; i++) expect(await signInStatus(admin.email, `wrong password ${i}`)).toBe(401);
		const res = await call("/session", { body: { email: admin.email, password: PASSWORD } });
		await expectError(res, 429, "rate_limited");
		const retryAfter = Number(res.headers.get("Retry-After"));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(15 * 60);
		// Other addresses are not affected.
		const other = await signUp();
		expect(await signInStatus(other.email)).toBe(200);
	});

	it("forgets earlier failures after a successful sign-in", async () => {
		const admin = await signUp();
		for (let i = 0; i < 4; i++) expect(await signInStatus(admin.email, "wrong password")).toBe(401);
		expect(await signInStatus(admin.email)).toBe(200);
		for (let i = 0; i < 4; i++) expect(await signInStatus(admin.email, "wrong password")).toBe(401);
		expect(await signInStatus(admin.email)).toBe(200);
	});

	it("refuses unknown fields and wrong types with 400", async () => {
		const admin = await signUp();
		await callError("/session", 400, "invalid_input", { body: { email: admin.email, password: PASSWORD, remember: true } });
		await callError("/session", 400, "invalid_input", { body: { email: admin.email, password: 12345678901 } });
	});
});

describe("the session", () => {
	it("GET /session returns the person, their memberships and the CSRF token", async () => {
		const admin = await signUp();
		const session = await callJson<Session>("/session", 200, { as: { cookie: admin.cookie } });
		expect(session.person).toEqual({ id: admin.session.person.id, name: "Ada Admin", email: admin.email });
		expect(session.memberships.map((m) => m.account.id)).toEqual([admin.accountId]);
		expect(session.csrfToken).toBe(admin.csrf);
		expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
	});

	it("never contains the password hash or salt", async () => {
		const admin = await signUp();
		const res = await call("/session", { body: { email: admin.email, password: PASSWORD } });
		expect(res.status).toBe(200);
		expect(await res.text()).not.toMatch(/password|salt|hash|iterations/i);
	});

	it("an expired session no longer works", async () => {
		const admin = await signUp();
		await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE person_id = ?").bind(Date.now() - 1000, admin.session.person.id).run();
		await callError("/session", 401, "unauthenticated", { as: admin });
	});

	it("slides the expiry of a session that is more than a day old, and renews the cookie", async () => {
		const admin = await signUp();
		const day = 24 * 60 * 60 * 1000;
		const old = Date.now() + 10 * day;
		await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE person_id = ?").bind(old, admin.session.person.id).run();
		const res = await call("/session", { as: admin });
		expect(res.status).toBe(200);
		expect(res.headers.get("Set-Cookie") ?? "").toContain(admin.cookie);
		const session = (await res.json()) as Session;
		expect(Date.parse(session.expiresAt)).toBeGreaterThan(old + 3 * day);
		// A fresh session is not rewritten on every request.
		const again = await call("/session", { as: admin });
		expect(again.headers.get("Set-Cookie")).toBeNull();
		await again.body?.cancel();
	});

	it("GET /session without a cookie, or with an unknown one, is 401", async () => {
		await callError("/session", 401, "unauthenticated");
		await callError("/session", 401, "unauthenticated", { as: { cookie: "td_session=forged" } });
	});

	it("DELETE /session signs out: the cookie stops working", async () => {
		const admin = await signUp();
		const res = await call("/session", { method: "DELETE", as: admin });
		expect(res.status).toBe(204);
		expect(res.headers.get("Set-Cookie") ?? "").toMatch(/td_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
		await callError("/session", 401, "unauthenticated", { as: admin });
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated", { as: admin });
	});

	it("signing out ends only that session", async () => {
		const admin = await signUp();
		const second = await signIn(admin.email);
		await callJson("/session", 204, { method: "DELETE", as: second });
		await callJson("/session", 200, { as: admin });
	});

	it("signs out over https too, clearing the __Host- cookie", async () => {
		const signup = await call("https://trustdesk.test/api/v1/signup", { body: signUpBody() });
		const session = (await signup.json()) as Session;
		const caller = { cookie: sessionCookieOf(signup), csrf: session.csrfToken };
		const res = await call("https://trustdesk.test/api/v1/session", { method: "DELETE", as: caller });
		expect(res.status).toBe(204);
		expect(res.headers.get("Set-Cookie") ?? "").toMatch(/^__Host-td_session=;/);
		expect((await call("https://trustdesk.test/api/v1/session", { as: caller })).status).toBe(401);
	});
});

describe("CSRF protection", () => {
	it("refuses a cookie-authenticated write without X-CSRF-Token with 403 csrf_failed", async () => {
		const admin = await signUp();
		await callError(`/accounts/${admin.accountId}`, 403, "csrf_failed", { method: "PATCH", as: { cookie: admin.cookie }, body: { name: "Hijacked" } });
		const account = await callJson<{ name: string }>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(account.name).toBe(`Account ${admin.accountId}`);
	});

	it("refuses a wrong X-CSRF-Token, including another session's token", async () => {
		const admin = await signUp();
		const other = await signUp();
		const patch = (csrf: string) =>
			callError(`/accounts/${admin.accountId}`, 403, "csrf_failed", { method: "PATCH", as: { cookie: admin.cookie, csrf }, body: { name: "Hijacked" } });
		await patch("wrong");
		await patch(other.csrf);
		await callError("/session", 403, "csrf_failed", { method: "DELETE", as: { cookie: admin.cookie, csrf: "wrong" } });
		await callJson("/session", 200, { as: admin });
	});

	it("refuses a write from a foreign Origin even with the right token", async () => {
		const admin = await signUp();
		await callError(`/accounts/${admin.accountId}`, 403, "csrf_failed", {
			method: "PATCH",
			as: admin,
			body: { name: "Hijacked" },
			headers: { Origin: "https://evil.example" },
		});
		await callJson(`/accounts/${admin.accountId}`, 200, { method: "PATCH", as: admin, body: { name: "Renamed" }, headers: { Origin: ORIGIN } });
	});

	it("refuses a sign-up posted from a foreign Origin", async () => {
		const body = signUpBody();
		await callError("/signup", 403, "csrf_failed", { body, headers: { Origin: "https://evil.example" } });
		await expectNothingWritten(body);
	});

	it("lets bearer-token writes through without a CSRF token", async () => {
		const admin = await signUp();
		const { secret } = await createToken(admin, admin.accountId, ["account:write", "account:read"]);
		const account = await callJson<{ name: string }>(`/accounts/${admin.accountId}`, 200, {
			method: "PATCH",
			as: { token: secret },
			body: { name: "Renamed by token" },
		});
		expect(account.name).toBe("Renamed by token");
	});
});

describe("bad input never causes a 500", () => {
	it("answers garbage authorization, ids and bodies with 4xx", async () => {
		const admin = await signUp();
		const base = `/accounts/${admin.accountId}`;
		await callError(base, 401, "unauthenticated", { headers: { Authorization: "Basic abc" } });
		await callError(base, 401, "unauthenticated", { as: { token: "td_nope" } });
		await callError(`${base}/people/not-an-id`, 400, "invalid_input", { as: admin });
		await callError(`${base}/teams/team_%00%27--`, 400, "invalid_input", { as: admin });
		await callError(`${base}/people`, 400, "invalid_input", { as: admin, body: { name: "x", email: "x@example.test", roles: "admin" } });
		await callError(`${base}/people`, 400, "malformed_json", { as: admin, raw: "{", headers: { "Content-Type": "application/json" } });
		await callError(`${base}/teams`, 400, "invalid_input", { as: admin, body: { name: "T", memberIds: Array(600).fill("psn_aaaaaaaaaaaa") } });
		await callError("/portals/NOT_VALID", 400, "invalid_input");
	});
});

describe("signing in over a stale session", () => {
	it("signs in and signs up without a CSRF token even when the browser still sends a session cookie", async () => {
		const first = await signUp();
		const again = await call("/session", { as: { cookie: first.cookie }, body: { email: first.email, password: PASSWORD } });
		expect(again.status).toBe(200);
		const other = await call("/signup", {
			as: { cookie: first.cookie },
			body: { accountId: unique("acct"), accountName: "Other", name: "Other Admin", email: uniqueEmail("other"), password: PASSWORD },
		});
		expect(other.status).toBe(201);
		// A foreign Origin is still refused.
		const foreign = await call("/session", { headers: { Origin: "https://evil.example" }, body: { email: first.email, password: PASSWORD } });
		expect(foreign.status).toBe(403);
	});
});

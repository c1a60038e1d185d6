// The API rate limit, per session and per API token. This file runs in its own vitest project
// (vitest.config.ts) with API_RATE_LIMIT_SESSION=5, API_RATE_LIMIT_TOKEN=4 and a 3-second window.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, createToken, expectError, signIn, signUp, type Caller } from "./helpers";

const SESSION_LIMIT = 5;
const TOKEN_LIMIT = 4;
const WINDOW_SECONDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
	status: number;
	limit: string | null;
	remaining: string | null;
	reset: string | null;
	policy: string | null;
	retryAfter: string | null;
}

async function read(as: Caller, path: string): Promise<Answer> {
	const res = await call(path, { as });
	await res.body?.cancel();
	const h = res.headers;
	return {
		status: res.status,
		limit: h.get("RateLimit-Limit"),
		remaining: h.get("RateLimit-Remaining"),
		reset: h.get("RateLimit-Reset"),
		policy: h.get("RateLimit-Policy"),
		retryAfter: h.get("Retry-After"),
	};
}

/** Waits until the caller's window (as its last answer told) is over. */
async function waitForReset(last: Answer): Promise<void> {
	await sleep(Number(last.retryAfter ?? last.reset ?? WINDOW_SECONDS) * 1000 + 200);
}

describe("the API rate limit", () => {
	it("the vitest project runs with the small limits this file expects", () => {
		expect([env.API_RATE_LIMIT_SESSION, env.API_RATE_LIMIT_TOKEN, env.API_RATE_LIMIT_WINDOW_SECONDS]).toEqual([String(SESSION_LIMIT), String(TOKEN_LIMIT), String(WINDOW_SECONDS)]);
	});

	it("lets a session make its limit of requests per window, counting down in RateLimit-* headers; then 429 with Retry-After; then recovers", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}`;
		const answers: Answer[] = [];
		for (let i = 0; i < SESSION_LIMIT; i++) answers.push(await read(admin, path));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
		expect(answers.map((a) => a.remaining)).toEqual(["4", "3", "2", "1", "0"]);
		for (const a of answers) {
			expect(a.limit).toBe(String(SESSION_LIMIT));
			expect(a.policy).toBe(`${SESSION_LIMIT};w=${WINDOW_SECONDS}`);
			expect(Number(a.reset)).toBeGreaterThanOrEqual(1);
			expect(Number(a.reset)).toBeLessThanOrEqual(WINDOW_SECONDS);
			expect(a.retryAfter).toBeNull();
		}

		const res = await call(path, { as: admin });
		const body = await expectError(res, 429, "rate_limited");
		expect(body.error.message).toMatch(/this session/);
		const retryAfter = Number(res.headers.get("Retry-After"));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
		expect(res.headers.get("RateLimit-Remaining")).toBe("0");
		expect(res.headers.get("RateLimit-Reset")).toBe(String(retryAfter));
		// Writes are refused as well, before they change anything.
		const write = await call(path, { method: "PATCH", as: admin, body: { name: "Renamed while limited" } });
		await expectError(write, 429, "rate_limited");

		await sleep(retryAfter * 1000 + 200);
		const again = await read(admin, path);
		expect(again.status).toBe(200);
		expect(again.remaining).toBe(String(SESSION_LIMIT - 1));
		const account = await callJson<{ name: string }>(path, 200, { as: admin });
		expect(account.name).not.toBe("Renamed while limited");
	});

	it("one session's or token's exhaustion leaves other sessions and tokens alone", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}`;
		const token: Caller = { token: (await createToken(admin, admin.accountId)).secret };
		const other = await signIn(admin.email);

		let last = await read(admin, path);
		for (let i = 0; i < SESSION_LIMIT && last.status === 200; i++) last = await read(admin, path);
		expect(last.status).toBe(429);
		// The same person, another session; and the account's token: untouched.
		expect(await read(other, path)).toMatchObject({ status: 200, remaining: String(SESSION_LIMIT - 1) });
		expect(await read(token, path)).toMatchObject({ status: 200, limit: String(TOKEN_LIMIT), remaining: String(TOKEN_LIMIT - 1), policy: `${TOKEN_LIMIT};w=${WINDOW_SECONDS}` });

		// A token's own limit, and its exhaustion leaves the other session alone.
		for (let i = 1; i < TOKEN_LIMIT; i++) expect((await read(token, path)).status).toBe(200);
		const refused = await call(path, { as: token });
		const body = await expectError(refused, 429, "rate_limited");
		expect(body.error.message).toMatch(/this API token/);
		expect(refused.headers.get("Retry-After")).not.toBeNull();
		expect(await read(other, path)).toMatchObject({ status: 200, remaining: String(SESSION_LIMIT - 2) });
		await waitForReset(last);
	});

	it("a monitoring tool's token posting events is limited like any token: 429 before the event is looked at, then it recovers", async () => {
		const admin = await signUp();
		const monitor: Caller = { token: (await createToken(admin, admin.accountId, ["events:write"], "Monitoring")).secret };
		const path = `/accounts/${admin.accountId}/events`;
		// This account is offered no service, so each event is refused (400) after it was counted.
		const event = { source: "zabbix", sourceId: "trigger-1", service: "Email", subject: "Queue above 1000" };
		for (let i = 0; i < TOKEN_LIMIT; i++) {
			const res = await call(path, { as: monitor, body: event });
			await expectError(res, 400, "invalid_input");
			expect(res.headers.get("RateLimit-Remaining")).toBe(String(TOKEN_LIMIT - 1 - i));
		}
		const limited = await call(path, { as: monitor, body: event });
		const body = await expectError(limited, 429, "rate_limited");
		expect(body.error.message).toMatch(/this API token/);
		await sleep(Number(limited.headers.get("Retry-After")) * 1000 + 200);
		await expectError(await call(path, { as: monitor, body: event }), 400, "invalid_input");
	});

	it("error answers of a known caller carry the headers and count; answers without a valid credential neither", async () => {
		const admin = await signUp();
		const notFound = await read(admin, `/accounts/${admin.accountId}/teams/team_0000000000000000`);
		expect(notFound).toMatchObject({ status: 404, limit: String(SESSION_LIMIT), remaining: String(SESSION_LIMIT - 1) });
		// A cookie-authenticated write without its CSRF token: refused, and counted.
		const csrf = await call(`/accounts/${admin.accountId}/teams`, { as: { cookie: admin.cookie }, body: { name: "No token" } });
		expect(csrf.status).toBe(403);
		expect(csrf.headers.get("RateLimit-Remaining")).toBe(String(SESSION_LIMIT - 2));
		await csrf.body?.cancel();

		const anonymous = await read({}, "/health");
		expect(anonymous).toMatchObject({ status: 200, limit: null, remaining: null, policy: null });
		const wrongToken = await read({ token: "td_not-a-real-token" }, `/accounts/${admin.accountId}`);
		expect(wrongToken).toMatchObject({ status: 401, limit: null, remaining: null });
		const staleCookie = await read({ cookie: "td_session=not-a-session" }, `/accounts/${admin.accountId}`);
		expect(staleCookie).toMatchObject({ status: 401, limit: null, remaining: null });
		// None of those counted against the administrator's session.
		expect(await read(admin, `/accounts/${admin.accountId}`)).toMatchObject({ status: 200, remaining: String(SESSION_LIMIT - 3) });
	});

	it("a request answered before authentication (wrong media type, too large) does not stall the caller's next requests", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}/teams`;
		// Answered by the media-type and body-size checks while the limiter's answer is on its way.
		for (const res of await Promise.all([
			call(path, { as: admin, raw: "{}", headers: { "Content-Type": "text/plain" } }),
			call(path, { as: admin, raw: JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) }) }),
		])) {
			expect([413, 415]).toContain(res.status);
			await res.body?.cancel();
		}
		const next = await Promise.race([read(admin, `/accounts/${admin.accountId}`), sleep(5_000).then(() => "stalled" as const)]);
		expect(next).toMatchObject({ status: 200 });
	});
});

const THROTTLED_PUBLIC = new Set(["POST /api/v1/session", "POST /api/v1/password-resets"]);

describe("the OpenAPI document", () => {
	interface Operation {
		security?: unknown[];
		responses: Record<string, { headers?: Record<string, { $ref?: string }> }>;
	}

	it("documents 429 and the RateLimit headers on every authenticated route, and not on public ones", async () => {
		const doc = await callJson<{ paths: Record<string, Record<string, Operation>>; components: { headers?: Record<string, unknown> } }>("/openapi.json", 200);
		expect(Object.keys(doc.components.headers ?? {})).toEqual(expect.arrayContaining(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After"]));
		let authenticated = 0;
		for (const [path, ops] of Object.entries(doc.paths)) {
			for (const [method, op] of Object.entries(ops)) {
				const where = `${method.toUpperCase()} ${path}`;
				const isPublic = Array.isArray(op.security) && op.security.length === 0;
				if (isPublic) {
					// Public routes are not under the API rate limit; those with a throttle of their own
					// (sign-in, asking for a password reset link) document its 429.
					if (!THROTTLED_PUBLIC.has(where)) expect(op.responses["429"], where).toBeUndefined();
					continue;
				}
				authenticated++;
				expect(op.responses["429"], where).toBeDefined();
				expect(op.responses["429"]?.headers?.["Retry-After"]?.$ref, where).toBe("#/components/headers/Retry-After");
				for (const [status, response] of Object.entries(op.responses)) {
					expect(response.headers?.["RateLimit-Remaining"]?.$ref, `${where} ${status}`).toBe("#/components/headers/RateLimit-Remaining");
				}
			}
		}
		expect(authenticated).toBeGreaterThan(40);
	});
});

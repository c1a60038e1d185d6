// Passwords through the API: the password rule at every place a password is set (sign-up, sign-up
// from an invitation, changing it), and changing one's password (current one required, counted
// like a sign-in; every other session ends, this one stays).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Session } from "../../worker/shared/api";
import { call, callError, callJson, invite, PASSWORD, signIn, signInStatus, signUp, unique, uniqueEmail } from "./helpers";

const NEW_PASSWORD = "a fresh new passphrase";
const change = (body: unknown) => ({ method: "PUT", body });

describe("the password rule", () => {
	const email = () => uniqueEmail("rule");
	const weak = (address: string) => ["aaaaaaaaaa", "1234567890", "password123", address, address.toUpperCase(), `${address.split("@")[0]}-1234!`];

	it("refuses common, repeated and e-mail passwords at sign-up with 400 on `password`, creating nothing", async () => {
		for (const address of [email()]) {
			for (const password of weak(address)) {
				const accountId = unique("weak");
				const { error } = await callError("/signup", 400, "invalid_input", {
					body: { accountId, accountName: "Weak", name: "Wes Weak", email: address, password },
				});
				expect(error.details, password).toEqual([expect.objectContaining({ path: "password", message: expect.any(String) })]);
				expect(error.message.length).toBeGreaterThan(20);
				const account = await env.DB.prepare("SELECT id FROM accounts WHERE id = ?").bind(accountId).first();
				expect(account).toBeNull();
			}
			expect(await signInStatus(address, "password123")).toBe(401);
		}
	});

	it("explains what is wrong", async () => {
		const address = email();
		const repeated = await callError("/signup", 400, "invalid_input", { body: { accountId: unique("w"), accountName: "W", name: "W", email: address, password: "aaaaaaaaaa" } });
		expect(repeated.error.message).toMatch(/harder to guess.*Repeated characters/);
		const mail = await callError("/signup", 400, "invalid_input", { body: { accountId: unique("w"), accountName: "W", name: "W", email: address, password: `My ${address}!` } });
		expect(mail.error.message).toMatch(/e-mail address/);
	});

	it("accepts a passphrase, and the demo's password", async () => {
		await callJson<Session>("/signup", 201, { body: { accountId: unique("ok"), accountName: "Ok", name: "Olga Ok", email: email(), password: "trustdesk-demo" } });
		await callJson<Session>("/signup", 201, { body: { accountId: unique("ok"), accountName: "Ok", name: "Olga Ok", email: email(), password: NEW_PASSWORD } });
	});

	it("applies to sign-up from an invitation too", async () => {
		const admin = await signUp();
		const address = uniqueEmail("invited");
		const { token } = await invite(admin, admin.accountId, { name: "Ina", email: address, roles: ["end_user"] });
		for (const password of weak(address)) {
			const { error } = await callError(`/invitation-links/${token}/sign-up`, 400, "invalid_input", { body: { name: "Ina", password } });
			expect(error.details).toEqual([expect.objectContaining({ path: "password" })]);
		}
		expect(await signInStatus(address, "password123")).toBe(401);
	});
});

describe("changing one's password", () => {
	it("needs the current password, ends every other session, keeps this one", async () => {
		const admin = await signUp();
		const other = await signIn(admin.email);
		const third = await signIn(admin.email);
		await callJson(`/accounts/${admin.accountId}`, 200, { as: other });
		const res = await call("/profile/password", { ...change({ currentPassword: PASSWORD, password: NEW_PASSWORD }), as: admin });
		expect(res.status).toBe(204);

		// This session goes on; the other two are gone, in D1 and in this isolate's memory alike.
		await callJson(`/accounts/${admin.accountId}`, 200, { as: admin });
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated", { as: other });
		await callError("/session", 401, "unauthenticated", { as: third });
		const rows = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE person_id = ?").bind(admin.session.person.id).first<{ n: number }>();
		expect(rows?.n).toBe(1);

		expect(await signInStatus(admin.email, PASSWORD)).toBe(401);
		expect(await signInStatus(admin.email, NEW_PASSWORD)).toBe(200);
	});

	it("refuses a wrong current password with 400 on `currentPassword`, changing nothing", async () => {
		const admin = await signUp();
		const other = await signIn(admin.email);
		const { error } = await callError("/profile/password", 400, "invalid_input", { ...change({ currentPassword: "not my password", password: NEW_PASSWORD }), as: admin });
		expect(error.details).toEqual([expect.objectContaining({ path: "currentPassword" })]);
		await callJson(`/accounts/${admin.accountId}`, 200, { as: other });
		expect(await signInStatus(admin.email, PASSWORD)).toBe(200);
	});

	it("refuses a weak new password with 400 on `password`, changing nothing", async () => {
		const admin = await signUp();
		for (const password of ["aaaaaaaaaa", "1234567890", "password123", admin.email]) {
			const { error } = await callError("/profile/password", 400, "invalid_input", { ...change({ currentPassword: PASSWORD, password }), as: admin });
			expect(error.details).toEqual([expect.objectContaining({ path: "password" })]);
		}
		await callError("/profile/password", 400, "invalid_input", { ...change({ currentPassword: PASSWORD, password: "short" }), as: admin });
		await callError("/profile/password", 400, "invalid_input", { ...change({ currentPassword: PASSWORD, password: NEW_PASSWORD, email: "x@example.test" }), as: admin });
		expect(await signInStatus(admin.email, PASSWORD)).toBe(200);
	});

	it("is no faster to guess than sign-in: wrong current passwords count as failed sign-ins, then 429", async () => {
		const admin = await signUp();
		for (let i = 0; i < 5; i++) {
			await callError("/profile/password", 400, "invalid_input", { ...change({ currentPassword: `guess number ${i}`, password: NEW_PASSWORD }), as: admin });
		}
		const res = await call("/profile/password", { ...change({ currentPassword: PASSWORD, password: NEW_PASSWORD }), as: admin });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
		await res.body?.cancel();
		expect(await signInStatus(admin.email, PASSWORD)).toBe(429);
	});

	it("is for a signed-in person: 401 anonymous, 403 for an API token, 403 without the CSRF token", async () => {
		const admin = await signUp();
		const { secret } = await callJson<{ secret: string }>(`/accounts/${admin.accountId}/api-tokens`, 201, { as: admin, body: { name: "T", scopes: ["people:read"] } });
		await callError("/profile/password", 401, "unauthenticated", change({ currentPassword: PASSWORD, password: NEW_PASSWORD }));
		await callError("/profile/password", 403, "forbidden", { ...change({ currentPassword: PASSWORD, password: NEW_PASSWORD }), as: { token: secret } });
		await callError("/profile/password", 403, "csrf_failed", { ...change({ currentPassword: PASSWORD, password: NEW_PASSWORD }), as: { cookie: admin.cookie } });
		expect(await signInStatus(admin.email, PASSWORD)).toBe(200);
	});
});

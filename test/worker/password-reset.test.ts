// Password reset by e-mail: asking answers alike for known and unknown addresses, is throttled
// alike, and mails a link that works once, for 30 minutes, whose secret is stored only as a hash;
// using it sets the password (the password rule applies) and ends every session of the person,
// their live sockets included.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { directory } from "../../worker/db/client";
import { replaceEmailToken } from "../../worker/db/email-tokens";
import { base64url, randomBytes, sha256Hex } from "../../worker/identity/crypto";
import { RESET_TTL_MS } from "../../worker/identity/password-reset";
import type { PasswordResetLink, PasswordResetRequested } from "../../worker/shared/identity-api";
import { acceptInvitation, call, callError, callJson, invite, signIn, signInStatus, signUp, uniqueEmail, PASSWORD } from "./helpers";
import { acceptMail, holdMail, mailsOf, mailTo } from "./identity-mail-helpers";
import { openSocket, until } from "./request-helpers";

const NEW_PASSWORD = "a fresh new passphrase";
const ask = (email: string, extra: Record<string, unknown> = {}) => call("/password-resets", { body: { email, ...extra } });

interface TokenRow {
	token_hash: string;
	purpose: string;
	person_id: string;
	email: string;
	created_at: number;
	expires_at: number;
}

async function tokenRows(personId: string, purpose = "password_reset"): Promise<TokenRow[]> {
	const { results } = await env.DB.prepare("SELECT * FROM email_tokens WHERE person_id = ? AND purpose = ?").bind(personId, purpose).all<TokenRow>();
	return results;
}

/**
 * A live reset link for the person, stored as the issuing code stores it (the mail that carries
 * it is tested with the mail queue): tests of using a link need its secret, which the directory
 * does not keep.
 */
async function plantLink(person: { id: string; email: string }, ttlMs = RESET_TTL_MS): Promise<string> {
	const token = base64url(randomBytes(32));
	const now = new Date();
	await replaceEmailToken(directory(env.DB), { tokenHash: await sha256Hex(token), purpose: "password_reset", personId: person.id, email: person.email, now, expiresAt: new Date(now.getTime() + ttlMs) });
	return token;
}

/** Polls `read` (10 ms apart, 3 s at most) until `done` holds, and returns the last reading. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
	let value = await read();
	for (let waited = 0; waited < 3000 && !done(value); waited += 10) {
		await new Promise((r) => setTimeout(r, 10));
		value = await read();
	}
	return value;
}

const personOf = (admin: Awaited<ReturnType<typeof signUp>>) => ({ id: admin.session.person.id, email: admin.email });

describe("asking for a reset link", () => {
	it("answers 202 with the same body and headers for a known and an unknown address", async () => {
		const known = await signUp();
		const a = await ask(known.email);
		const b = await ask(uniqueEmail("nobody"));
		expect(a.status).toBe(202);
		expect(b.status).toBe(202);
		const [bodyA, bodyB] = [(await a.json()) as PasswordResetRequested, (await b.json()) as PasswordResetRequested];
		expect(bodyA).toEqual(bodyB);
		expect(bodyA.message).toMatch(/30 minutes/);
		const headers = (r: Response) => [...r.headers.entries()].filter(([k]) => k !== "x-request-id").sort();
		expect(headers(a)).toEqual(headers(b));
	});

	it("stores one live token per person, as a hash, for 30 minutes; a newer one replaces it", async () => {
		const admin = await signUp();
		expect((await ask(admin.email)).status).toBe(202);
		// The token is made after the answer (so that known and unknown addresses take the same time).
		const rows = await eventually(() => tokenRows(admin.session.person.id), (r) => r.length > 0);
		expect(rows).toHaveLength(1);
		const [row] = rows;
		expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(row?.email).toBe(admin.email);
		expect((row?.expires_at ?? 0) - (row?.created_at ?? 0)).toBe(RESET_TTL_MS);

		expect((await ask(admin.email)).status).toBe(202);
		const replaced = await eventually(() => tokenRows(admin.session.person.id), (r) => r[0]?.token_hash !== row?.token_hash);
		expect(replaced).toHaveLength(1);
		expect(replaced[0]?.token_hash).not.toBe(row?.token_hash);
	});

	it("stores nothing for an unknown address", async () => {
		const email = uniqueEmail("ghost");
		expect((await ask(email)).status).toBe(202);
		await new Promise((r) => setTimeout(r, 100));
		const row = await env.DB.prepare("SELECT count(*) AS n FROM email_tokens WHERE email = ?").bind(email).first<{ n: number }>();
		expect(row?.n).toBe(0);
	});

	it("is throttled per address, for known and unknown addresses alike: 3, then 429 with Retry-After", async () => {
		const known = await signUp();
		for (const email of [known.email, uniqueEmail("ghost")]) {
			for (let i = 0; i < 3; i++) expect((await ask(email)).status).toBe(202);
			const refused = await ask(email);
			const { error } = await callError("/password-resets", 429, "rate_limited", { body: { email } });
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
			expect(error.message).toMatch(/Too many/);
		}
		// Another address is not held back.
		expect((await ask(uniqueEmail("other"))).status).toBe(202);
	});

	it("refuses bad input with 400/415 and the error body", async () => {
		await callError("/password-resets", 400, "invalid_input", { body: {} });
		await callError("/password-resets", 400, "invalid_input", { body: { email: "not an address" } });
		await callError("/password-resets", 400, "invalid_input", { body: { email: uniqueEmail(), extra: 1 } });
		await callError("/password-resets", 400, "invalid_input", { body: { email: uniqueEmail(), accountId: "Not A Slug!" } });
		await callError("/password-resets", 400, "malformed_json", { raw: "{", headers: { "Content-Type": "application/json" } });
		await callError("/password-resets", 415, "unsupported_media_type", { raw: "email=a@b.test", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
	});
});

describe("using a reset link", () => {
	it("tells whose password it sets, checks the password rule (the link stays usable), then sets it once", async () => {
		const admin = await signUp();
		const token = await plantLink(personOf(admin));
		const link = await callJson<PasswordResetLink>(`/password-resets/${token}`, 200);
		expect(link.email).toBe(admin.email);
		expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(RESET_TTL_MS - 60_000);

		const weak = await callError(`/password-resets/${token}`, 400, "invalid_input", { body: { password: "password123" } });
		expect(weak.error.details).toEqual([expect.objectContaining({ path: "password" })]);
		await callError(`/password-resets/${token}`, 400, "invalid_input", { body: { password: admin.email } });
		expect(await signInStatus(admin.email, PASSWORD)).toBe(200);

		const res = await call(`/password-resets/${token}`, { body: { password: NEW_PASSWORD } });
		expect(res.status).toBe(204);
		expect(await signInStatus(admin.email, PASSWORD)).toBe(401);
		expect(await signInStatus(admin.email, NEW_PASSWORD)).toBe(200);

		// Single use: the link is gone, and a second try changes nothing.
		await callError(`/password-resets/${token}`, 404, "not_found");
		await callError(`/password-resets/${token}`, 404, "not_found", { body: { password: "yet another passphrase" } });
		expect(await tokenRows(admin.session.person.id)).toEqual([]);
		// The link reached the address: it counts as confirmed now.
		expect(admin.session.emailVerified).toBe(false);
		expect((await signIn(admin.email, NEW_PASSWORD)).session.emailVerified).toBe(true);
	});

	it("ends every session of the person and closes their live sockets", async () => {
		const admin = await signUp();
		const other = await signIn(admin.email);
		const socket = await openSocket(admin.accountId, admin);
		await callJson("/session", 200, { as: admin });
		await callJson("/session", 200, { as: other });

		await callJson(`/password-resets/${await plantLink(personOf(admin))}`, 204, { body: { password: NEW_PASSWORD } });

		await callError("/session", 401, "unauthenticated", { as: admin });
		await callError("/session", 401, "unauthenticated", { as: other });
		await callError(`/accounts/${admin.accountId}`, 401, "unauthenticated", { as: other });
		const rows = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE person_id = ?").bind(admin.session.person.id).first<{ n: number }>();
		expect(rows?.n).toBe(0);
		await until(() => socket.closed !== null, "the socket closed");
		expect(socket.closed?.code).toBe(4001);
	});

	it("lets the owner sign in at once, even after failed sign-ins had throttled the address", async () => {
		const admin = await signUp();
		for (let i = 0; i < 5; i++) expect(await signInStatus(admin.email, "wrong password!")).toBe(401);
		expect(await signInStatus(admin.email, "wrong password!")).toBe(429);
		await callJson(`/password-resets/${await plantLink(personOf(admin))}`, 204, { body: { password: NEW_PASSWORD } });
		expect(await signInStatus(admin.email, NEW_PASSWORD)).toBe(200);
	});

	it("an expired link (older than 30 minutes) does nothing", async () => {
		const admin = await signUp();
		const token = await plantLink(personOf(admin), -1000);
		await callError(`/password-resets/${token}`, 404, "not_found");
		await callError(`/password-resets/${token}`, 404, "not_found", { body: { password: NEW_PASSWORD } });
		expect(await signInStatus(admin.email, PASSWORD)).toBe(200);
		await callJson("/session", 200, { as: admin });
	});

	it("only the newest link works", async () => {
		const admin = await signUp();
		const first = await plantLink(personOf(admin));
		const second = await plantLink(personOf(admin));
		await callError(`/password-resets/${first}`, 404, "not_found", { body: { password: NEW_PASSWORD } });
		await callJson(`/password-resets/${second}`, 204, { body: { password: NEW_PASSWORD } });
	});

	it("a verification link is not a reset link, and malformed links are 400", async () => {
		const admin = await signUp();
		const token = base64url(randomBytes(32));
		const now = new Date();
		await replaceEmailToken(directory(env.DB), { tokenHash: await sha256Hex(token), purpose: "email_verification", personId: admin.session.person.id, email: admin.email, now, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
		await callError(`/password-resets/${token}`, 404, "not_found", { body: { password: NEW_PASSWORD } });
		await callError("/password-resets/short", 400, "invalid_input");
		await callError(`/password-resets/${"x".repeat(43)}!`, 400, "invalid_input", { body: { password: NEW_PASSWORD } });
		await callError(`/password-resets/${token}`, 400, "invalid_input", { body: { password: NEW_PASSWORD, email: admin.email } });
		expect(await signInStatus(admin.email, PASSWORD)).toBe(200);
	});
});

describe("the reset mail", () => {
	const LINK = /^http:\/\/trustdesk\.test\/reset-password\?token=([A-Za-z0-9_-]{43})$/;

	it("comes from the account whose portal it was asked on, with a single-use link whose hash alone is stored", async () => {
		const person = await signUp();
		const other = await signUp();
		const { invitation } = await invite(other, other.accountId, { name: "Two Homes", email: person.email, roles: ["end_user"] });
		await acceptInvitation(person, invitation.id);
		await holdMail(other.accountId);
		expect((await ask(person.email, { accountId: other.accountId })).status).toBe(202);

		const mail = await mailTo(other.accountId, "password_reset", person.email);
		expect(mail).toMatchObject({ personId: person.session.person.id, sensitive: true, subject: "Choose a new Trustdesk password" });
		expect(mail.paragraphs.join(" ")).toMatch(/30 minutes/);
		expect(mail.action?.label).toBe("Choose a new password");
		const token = LINK.exec(mail.action?.url ?? "")?.[1] ?? "";
		expect(token).toHaveLength(43);
		const rows = await tokenRows(person.session.person.id);
		expect(rows.map((r) => r.token_hash)).toEqual([await sha256Hex(token)]);
		expect(JSON.stringify(rows)).not.toContain(token);
		// Not from the person's other account.
		expect((await mailsOf(person.accountId)).filter((m) => m.kind === "password_reset")).toEqual([]);

		await callJson(`/password-resets/${token}`, 204, { body: { password: NEW_PASSWORD } });
		await callError(`/password-resets/${token}`, 404, "not_found", { body: { password: "yet another passphrase" } });
		expect(await signInStatus(person.email, NEW_PASSWORD)).toBe(200);
		await acceptMail(other.accountId);
	});

	it("asked on a portal the person does not belong to, it comes from their own account", async () => {
		const person = await signUp();
		const stranger = await signUp();
		await holdMail(person.accountId);
		expect((await ask(person.email, { accountId: stranger.accountId })).status).toBe(202);
		const mail = await mailTo(person.accountId, "password_reset", person.email);
		expect(mail.action?.url).toMatch(LINK);
		expect((await mailsOf(stranger.accountId)).filter((m) => m.kind === "password_reset")).toEqual([]);
		await acceptMail(person.accountId);
	});
});

// E-mail verification at sign-up: a new person is unverified and gets a single-use link (24 hours,
// hashed at rest); following it verifies them. While unverified their invitations are not mailed
// (held, then sent on verification). People who join from an invitation link are verified.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { directory } from "../../worker/db/client";
import { replaceEmailToken } from "../../worker/db/email-tokens";
import { base64url, randomBytes, sha256Hex } from "../../worker/identity/crypto";
import { VERIFICATION_TTL_MS } from "../../worker/identity/email-verification";
import type { Session } from "../../worker/shared/api";
import type { EmailVerified, VerificationRequested } from "../../worker/shared/identity-api";
import type { Invitation } from "../../worker/shared/invitation-api";
import type { MailDelivery } from "../../worker/mail/queue";
import { addMember, call, callError, callJson, createToken, invite, signUp, type AccountAdmin, uniqueEmail, verifyAddress, callItems } from "./helpers";
import { acceptMail, holdMail, mailTo } from "./identity-mail-helpers";
import { stubOf } from "./service-helpers";

interface TokenRow {
	token_hash: string;
	email: string;
	created_at: number;
	expires_at: number;
}

async function verificationRows(personId: string): Promise<TokenRow[]> {
	const { results } = await env.DB.prepare("SELECT * FROM email_tokens WHERE person_id = ? AND purpose = 'email_verification'").bind(personId).all<TokenRow>();
	return results;
}

/** A live verification link, stored as the issuing code stores it (the mail carrying it is tested with the mail queue). */
async function plantLink(admin: AccountAdmin, ttlMs = VERIFICATION_TTL_MS): Promise<string> {
	const token = base64url(randomBytes(32));
	const now = new Date();
	await replaceEmailToken(directory(env.DB), {
		tokenHash: await sha256Hex(token),
		purpose: "email_verification",
		personId: admin.session.person.id,
		email: admin.email,
		now,
		expiresAt: new Date(now.getTime() + ttlMs),
	});
	return token;
}

const sessionOf = (as: AccountAdmin) => callJson<Session>("/session", 200, { as });
const invitationsOf = (admin: AccountAdmin) => callItems<Invitation>(`/accounts/${admin.accountId}/invitations`, { as: admin });

describe("signing up", () => {
	it("leaves the address unverified and stores one verification token, hashed, for 24 hours", async () => {
		const admin = await signUp();
		expect(admin.session.emailVerified).toBe(false);
		expect((await sessionOf(admin)).emailVerified).toBe(false);
		const rows = await verificationRows(admin.session.person.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[0]?.email).toBe(admin.email);
		expect((rows[0]?.expires_at ?? 0) - (rows[0]?.created_at ?? 0)).toBe(VERIFICATION_TTL_MS);
	});

	it("from an invitation link verifies the address: the link was mailed to it", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["end_user"]);
		expect(member.session.emailVerified).toBe(true);
		expect(await verificationRows(member.id)).toEqual([]);
	});
});

describe("following the link", () => {
	it("verifies the address once; the link is then used up", async () => {
		const admin = await signUp();
		const token = await plantLink(admin);
		// No session needed: the link may be opened in another browser.
		const verified = await callJson<EmailVerified>(`/email-verification/${token}`, 200, { method: "POST" });
		expect(verified.email).toBe(admin.email);
		expect(Math.abs(Date.parse(verified.verifiedAt) - Date.now())).toBeLessThan(60_000);
		expect((await sessionOf(admin)).emailVerified).toBe(true);
		expect(await verificationRows(admin.session.person.id)).toEqual([]);
		await callError(`/email-verification/${token}`, 404, "not_found", { method: "POST" });
	});

	it("an expired or replaced link does nothing", async () => {
		const admin = await signUp();
		const expired = await plantLink(admin, -1000);
		await callError(`/email-verification/${expired}`, 404, "not_found", { method: "POST" });
		const older = await plantLink(admin);
		const newer = await plantLink(admin);
		await callError(`/email-verification/${older}`, 404, "not_found", { method: "POST" });
		expect((await sessionOf(admin)).emailVerified).toBe(false);
		await callJson(`/email-verification/${newer}`, 200, { method: "POST" });
		expect((await sessionOf(admin)).emailVerified).toBe(true);
	});

	it("refuses malformed links with 400", async () => {
		await callError("/email-verification/not-a-token", 400, "invalid_input", { method: "POST" });
		await callError(`/email-verification/${"a".repeat(44)}`, 400, "invalid_input", { method: "POST" });
	});
});

describe("asking for a new link", () => {
	it("replaces the link; refused once verified (409); signed-in people only", async () => {
		const admin = await signUp();
		const [first] = await verificationRows(admin.session.person.id);
		const answer = await callJson<VerificationRequested>("/email-verification", 202, { as: admin, body: { accountId: admin.accountId } });
		expect(answer.email).toBe(admin.email);
		const [second] = await verificationRows(admin.session.person.id);
		expect(second?.token_hash).not.toBe(first?.token_hash);

		await callError("/email-verification", 401, "unauthenticated", { body: {} });
		const token = await createToken(admin, admin.accountId);
		await callError("/email-verification", 403, "forbidden", { as: { token: token.secret }, body: {} });
		await callError("/email-verification", 400, "invalid_input", { as: admin, body: { accountId: "No Slug" } });
		await callError("/email-verification", 400, "invalid_input", { as: admin, body: { other: 1 } });

		await callJson(`/email-verification/${await plantLink(admin)}`, 200, { method: "POST" });
		await callError("/email-verification", 409, "conflict", { as: admin, body: {} });
	});

	it("is throttled: 3, then 429 with Retry-After", async () => {
		const admin = await signUp();
		for (let i = 0; i < 3; i++) await callJson("/email-verification", 202, { as: admin, body: {} });
		const res = await call("/email-verification", { as: admin, body: {} });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
	});
});

describe("what an unverified person's invitations do", () => {
	it("they are created, but their e-mail is held; re-sending is refused until the inviter verifies", async () => {
		const admin = await signUp();
		const { invitation } = await invite(admin, admin.accountId, { name: "Held", email: uniqueEmail("held"), roles: ["end_user"] });
		expect(invitation.status).toBe("pending");
		expect(invitation.mailedAt).toBeNull();
		const { error } = await callError(`/accounts/${admin.accountId}/invitations/${invitation.id}/resend`, 403, "forbidden", { as: admin, method: "POST" });
		expect(error.message).toMatch(/Confirm your own e-mail address/);
		// An API token its unverified maker created holds its invitations too.
		const token = await createToken(admin, admin.accountId);
		const byToken = await invite({ token: token.secret }, admin.accountId, { name: "Held too", email: uniqueEmail("held"), roles: ["end_user"] });
		expect(byToken.invitation.mailedAt).toBeNull();
		await callError(`/accounts/${admin.accountId}/invitations/${byToken.invitation.id}/resend`, 403, "forbidden", { as: { token: token.secret }, method: "POST" });
		expect((await invitationsOf(admin)).map((i) => i.mailedAt)).toEqual([null, null]);
	});

	it("once the inviter verifies, the held invitations go out, theirs and their token's", async () => {
		const admin = await signUp();
		const token = await createToken(admin, admin.accountId);
		await invite(admin, admin.accountId, { name: "One", email: uniqueEmail("one"), roles: ["end_user"] });
		await invite({ token: token.secret }, admin.accountId, { name: "Two", email: uniqueEmail("two"), roles: ["end_user"] });
		await verifyAddress(admin);
		const mailed = (await invitationsOf(admin)).map((i) => i.mailedAt);
		expect(mailed).toHaveLength(2);
		for (const at of mailed) expect(at).not.toBeNull();
	});
});

describe("the verification mail", () => {
	const LINK = /^http:\/\/trustdesk\.test\/verify-email\?token=([A-Za-z0-9_-]{43})$/;

	async function deliveries(accountId: string): Promise<MailDelivery[]> {
		await stubOf(accountId).sendMailNow();
		const page = await stubOf(accountId).listMailDeliveries();
		if (!page.ok) throw new Error(page.error.message);
		return page.value.items;
	}

	it("sign-up mails it from the new account; the log shows it sent, marked sensitive", async () => {
		const admin = await signUp();
		const log = (await deliveries(admin.accountId)).filter((d) => d.kind === "email_verification");
		expect(log).toEqual([expect.objectContaining({ status: "sent", sensitive: true, recipient: { email: admin.email, name: "Ada Admin" } })]);
	});

	it("a new link is mailed, and following it verifies the address", async () => {
		const admin = await signUp();
		await holdMail(admin.accountId);
		await callJson("/email-verification", 202, { as: admin, body: { accountId: admin.accountId } });
		const mail = await mailTo(admin.accountId, "email_verification", admin.email);
		expect(mail).toMatchObject({ personId: admin.session.person.id, sensitive: true, action: { label: "Confirm my e-mail address" } });
		const token = LINK.exec(mail.action?.url ?? "")?.[1] ?? "";
		expect(token).toHaveLength(43);
		await callJson(`/email-verification/${token}`, 200, { method: "POST" });
		expect((await callJson<Session>("/session", 200, { as: admin })).emailVerified).toBe(true);
		await acceptMail(admin.accountId);
	});

	it("notification e-mails reach only confirmed addresses", async () => {
		const admin = await signUp();
		const verified = await signUp();
		await verifyAddress(verified);
		const notify = (person: AccountAdmin) =>
			stubOf(admin.accountId).queueMail({ kind: "notification", to: { email: person.email, name: "Someone", personId: person.session.person.id }, subject: "Your request was updated", paragraphs: ["News."] });
		expect((await notify(admin)).ok).toBe(true);
		expect((await notify(verified)).ok).toBe(true);
		const log = (await deliveries(admin.accountId)).filter((d) => d.kind === "notification");
		const of = (email: string) => log.find((d) => d.recipient.email === email);
		expect(of(admin.email)).toMatchObject({ status: "failed", lastError: expect.stringMatching(/not confirmed/) });
		expect(of(verified.email)).toMatchObject({ status: "sent" });
	});
});

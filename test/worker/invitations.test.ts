// Invitations: adding a person to an account takes their consent. The answer to an invitation is
// the same for a registered and an unregistered address; nothing changes for the invitee until
// they accept; invitations can be revoked, declined, refreshed, and expire.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Account, AccountPerson, Session } from "../../worker/shared/api";
import type { CreatedInvitation, Invitation } from "../../worker/shared/invitation-api";
import {
	acceptInvitation,
	addMember,
	call,
	callError,
	callJson,
	type Caller,
	createToken,
	invite,
	PASSWORD,
	signIn,
	signInStatus,
	signUp,
	signUpFromLink,
	tokenOf,
	uniqueEmail,
	verifyAddress,
	callItems,
} from "./helpers";
import { acceptMail, holdMail, mailTo } from "./identity-mail-helpers";

const people = (accountId: string) => `/accounts/${accountId}/people`;
const invitationsOf = (accountId: string, as: Caller) => callItems<Invitation>(`/accounts/${accountId}/invitations`, { as });
const mine = (as: Caller) => callItems<Invitation>("/invitations", { as });
const memberships = async (as: Caller) => (await callJson<Session>("/session", 200, { as })).memberships.map((m) => m.account.id).sort();

/** Moves an invitation's expiry into the past, as 14 days of waiting would. */
async function expire(invitationId: string): Promise<void> {
	await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?").bind(Date.now() - 1000, invitationId).run();
}

/** The shape of a JSON value: its keys and the types of its leaves, recursively. */
function shapeOf(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(shapeOf);
	if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
	return value === null ? "null" : typeof value;
}

describe("inviting a person who already signs in elsewhere", () => {
	it("makes them a member of nothing until they accept", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const created = await callJson<CreatedInvitation>(people(inviter.accountId), 201, {
			as: inviter,
			body: { name: "Given Name", email: existing.email, roles: ["account_administrator"] },
		});
		expect(created.invitation).toMatchObject({
			account: { id: inviter.accountId },
			email: existing.email,
			name: "Given Name",
			roles: ["account_administrator"],
			status: "pending",
			invitedBy: { type: "person", name: "Ada Admin" },
			respondedAt: null,
		});
		const days = (Date.parse(created.invitation.expiresAt) - Date.parse(created.invitation.createdAt)) / 86_400_000;
		expect(days).toBe(14);

		// Nothing changed for them: no membership, no access, and the account's people are as they were.
		expect(await memberships(existing)).toEqual([existing.accountId]);
		await callError(`/accounts/${inviter.accountId}`, 404, "not_found", { as: existing });
		await callError(people(inviter.accountId), 404, "not_found", { as: existing });
		const list = await callItems<AccountPerson>(people(inviter.accountId), { as: inviter });
		expect(list.map((p) => p.email)).toEqual([inviter.email]);

		// They see it, and accepting makes them a member with the invited roles.
		const pending = await mine(existing);
		expect(pending).toEqual([created.invitation]);
		const accepted = await acceptInvitation(existing, created.invitation.id);
		expect(accepted.status).toBe("accepted");
		expect(accepted.respondedAt).not.toBeNull();
		expect(await memberships(existing)).toEqual([existing.accountId, inviter.accountId].sort());
		const account = await callJson<Account>(`/accounts/${inviter.accountId}`, 200, { as: existing });
		expect(account.viewer.roles).toEqual(["account_administrator"]);
		const person = (await callItems<AccountPerson>(people(inviter.accountId), { as: inviter })).find((p) => p.email === existing.email);
		expect(person).toMatchObject({ id: existing.session.person.id, name: "Ada Admin", roles: ["account_administrator"] });
		expect(await mine(existing)).toEqual([]);

		// Their own password is untouched, and the invitation is answered for good.
		expect(await signInStatus(existing.email, PASSWORD)).toBe(200);
		await callError(`/invitations/${created.invitation.id}/accept`, 409, "conflict", { method: "POST", as: existing });
		expect((await invitationsOf(inviter.accountId, inviter))[0]).toMatchObject({ id: created.invitation.id, status: "accepted" });
	});

	it("answers exactly as for an address nobody uses: same status, same keys, same shape", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const registered = await call(people(inviter.accountId), { as: inviter, body: { name: "Someone", email: existing.email, roles: ["specialist"] } });
		const unregistered = await call(people(inviter.accountId), { as: inviter, body: { name: "Someone", email: uniqueEmail("nobody"), roles: ["specialist"] } });
		expect(registered.status).toBe(201);
		expect(unregistered.status).toBe(registered.status);
		const [a, b] = [(await registered.json()) as CreatedInvitation, (await unregistered.json()) as CreatedInvitation];
		expect(Object.keys(a)).toEqual(Object.keys(b));
		expect(Object.keys(a.invitation)).toEqual(Object.keys(b.invitation));
		expect(shapeOf(a)).toEqual(shapeOf(b));
		const { id: _a, email: _ea, createdAt: _ca, expiresAt: _xa, mailedAt: _ma, ...restA } = a.invitation;
		const { id: _b, email: _eb, createdAt: _cb, expiresAt: _xb, mailedAt: _mb, ...restB } = b.invitation;
		expect(a.invitation.mailedAt === null).toBe(b.invitation.mailedAt === null);
		expect(restA).toEqual(restB);
		expect(a.acceptUrl).toMatch(/^http:\/\/trustdesk\.test\/invitations\/[A-Za-z0-9_-]{43}$/);
		expect(b.acceptUrl).toMatch(/^http:\/\/trustdesk\.test\/invitations\/[A-Za-z0-9_-]{43}$/);
		// Headers too (apart from the request id).
		const headers = (r: Response) => [...r.headers.entries()].filter(([k]) => k !== "x-request-id").map(([k]) => k).sort();
		expect(headers(registered)).toEqual(headers(unregistered));
		// Both wait in the list alike; neither is among the people.
		const listed = await invitationsOf(inviter.accountId, inviter);
		expect(listed.map((i) => i.status)).toEqual(["pending", "pending"]);
		expect((await callItems<AccountPerson>(people(inviter.accountId), { as: inviter })).length).toBe(1);
	});
});

describe("the invitee's answers", () => {
	it("declining leaves them outside, and the account sees the outcome", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const { invitation } = await invite(inviter, inviter.accountId, { name: "D", email: existing.email, roles: ["end_user"] });
		const declined = await callJson<Invitation>(`/invitations/${invitation.id}/decline`, 200, { method: "POST", as: existing });
		expect(declined.status).toBe("declined");
		expect(await mine(existing)).toEqual([]);
		expect(await memberships(existing)).toEqual([existing.accountId]);
		const { error } = await callError(`/invitations/${invitation.id}/accept`, 409, "conflict", { method: "POST", as: existing });
		expect(error.message).toContain("declined");
		await callError(`/invitations/${invitation.id}/decline`, 409, "conflict", { method: "POST", as: existing });
		expect((await invitationsOf(inviter.accountId, inviter)).map((i) => [i.id, i.status])).toEqual([[invitation.id, "declined"]]);
	});

	it("an invitation for another address is 404 to accept or decline, like an id that does not exist", async () => {
		const inviter = await signUp();
		const invitee = await signUp();
		const bystander = await signUp();
		const { invitation } = await invite(inviter, inviter.accountId, { name: "I", email: invitee.email, roles: ["specialist"] });
		for (const action of ["accept", "decline"]) {
			const foreign = await callError(`/invitations/${invitation.id}/${action}`, 404, "not_found", { method: "POST", as: bystander });
			const unknown = await callError(`/invitations/inv_0000000000000000/${action}`, 404, "not_found", { method: "POST", as: bystander });
			expect(foreign).toEqual(unknown);
		}
		expect(await mine(bystander)).toEqual([]);
		expect(await memberships(bystander)).toEqual([bystander.accountId]);
		expect((await mine(invitee)).map((i) => i.status)).toEqual(["pending"]);
	});

	it("needs a signed-in person: anonymous 401, an API token 403, a malformed id 400", async () => {
		const inviter = await signUp();
		const { invitation } = await invite(inviter, inviter.accountId, { name: "T", email: uniqueEmail(), roles: ["end_user"] });
		const { secret } = await createToken(inviter, inviter.accountId);
		await callError(`/invitations/${invitation.id}/accept`, 401, "unauthenticated", { method: "POST" });
		await callError("/invitations", 401, "unauthenticated");
		await callError(`/invitations/${invitation.id}/accept`, 403, "forbidden", { method: "POST", as: { token: secret } });
		await callError("/invitations", 403, "forbidden", { as: { token: secret } });
		await callError("/invitations/not-an-id/accept", 400, "invalid_input", { method: "POST", as: inviter });
	});

	it("after accepting, their roles are the account's to change like anyone's", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const { invitation } = await invite(inviter, inviter.accountId, { name: "R", email: existing.email, roles: ["specialist", "auditor"] });
		await acceptInvitation(existing, invitation.id);
		await callJson(`/accounts/${inviter.accountId}/people`, 200, { as: existing });
		await callError(`/accounts/${inviter.accountId}/api-tokens`, 403, "forbidden", { as: existing });
	});
});

describe("revoking, refreshing and expiry", () => {
	it("a revoked invitation disappears for the invitee, and its link creates nobody", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const newcomer = uniqueEmail("newcomer");
		const forExisting = await invite(inviter, inviter.accountId, { name: "E", email: existing.email, roles: ["end_user"] });
		const forNewcomer = await invite(inviter, inviter.accountId, { name: "N", email: newcomer, roles: ["end_user"] });
		for (const { invitation } of [forExisting, forNewcomer]) {
			const revoked = await callJson<Invitation>(`/accounts/${inviter.accountId}/invitations/${invitation.id}/revoke`, 200, { method: "POST", as: inviter });
			expect(revoked.status).toBe("revoked");
		}
		expect(await mine(existing)).toEqual([]);
		const { error } = await callError(`/invitations/${forExisting.invitation.id}/accept`, 409, "conflict", { method: "POST", as: existing });
		expect(error.message).toContain("withdrawn");
		expect((await callJson<Invitation>(`/invitation-links/${forNewcomer.token}`, 200)).status).toBe("revoked");
		await callError(`/invitation-links/${forNewcomer.token}/sign-up`, 409, "conflict", { body: { name: "N", password: PASSWORD } });
		expect(await signInStatus(newcomer)).toBe(401);
		expect(await memberships(existing)).toEqual([existing.accountId]);
		await callError(`/accounts/${inviter.accountId}/invitations/${forExisting.invitation.id}/revoke`, 409, "conflict", { method: "POST", as: inviter });
		await callError(`/accounts/${inviter.accountId}/invitations/inv_0000000000000000/revoke`, 404, "not_found", { method: "POST", as: inviter });
	});

	it("an accepted invitation cannot be revoked, and the member stays", async () => {
		const inviter = await signUp();
		const member = await addMember(inviter, inviter.accountId, ["end_user"]);
		const [invitation] = await invitationsOf(inviter.accountId, inviter);
		expect(invitation?.status).toBe("accepted");
		await callError(`/accounts/${inviter.accountId}/invitations/${invitation?.id}/revoke`, 409, "conflict", { method: "POST", as: inviter });
		await callJson(`/accounts/${inviter.accountId}`, 200, { as: member });
	});

	it("an expired invitation cannot be accepted, declined or used to sign up; re-inviting makes it pending again", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const newcomer = uniqueEmail("late");
		const old = await invite(inviter, inviter.accountId, { name: "E", email: existing.email, roles: ["end_user"] });
		const oldLink = await invite(inviter, inviter.accountId, { name: "L", email: newcomer, roles: ["end_user"] });
		await expire(old.invitation.id);
		await expire(oldLink.invitation.id);

		expect(await mine(existing)).toEqual([]);
		const { error } = await callError(`/invitations/${old.invitation.id}/accept`, 409, "conflict", { method: "POST", as: existing });
		expect(error.message).toContain("expired");
		await callError(`/invitations/${old.invitation.id}/decline`, 409, "conflict", { method: "POST", as: existing });
		expect(await memberships(existing)).toEqual([existing.accountId]);
		expect((await callJson<Invitation>(`/invitation-links/${oldLink.token}`, 200)).status).toBe("expired");
		await callError(`/invitation-links/${oldLink.token}/sign-up`, 409, "conflict", { body: { name: "L", password: PASSWORD } });
		expect(await signInStatus(newcomer)).toBe(401);
		await callError(`/accounts/${inviter.accountId}/invitations/${oldLink.invitation.id}/link`, 409, "conflict", { method: "POST", as: inviter });
		expect((await invitationsOf(inviter.accountId, inviter)).map((i) => i.status)).toEqual(["expired", "expired"]);

		// Re-inviting refreshes the same invitation: pending again, with a new link and 14 days.
		const again = await invite(inviter, inviter.accountId, { name: "L", email: newcomer, roles: ["specialist"] });
		expect(again.invitation).toMatchObject({ id: oldLink.invitation.id, status: "pending", roles: ["specialist"] });
		await callError(`/invitation-links/${oldLink.token}`, 404, "not_found");
		const joined = await signUpFromLink(again.token, "Lena Late");
		expect(joined.session.memberships).toEqual([{ account: { id: inviter.accountId, name: `Account ${inviter.accountId}` }, roles: ["specialist"] }]);
	});

	it("re-inviting a pending address replaces its invitation instead of adding another", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const first = await invite(inviter, inviter.accountId, { name: "First", email: existing.email, roles: ["end_user"] });
		const second = await invite(inviter, inviter.accountId, { name: "Second", email: existing.email.toUpperCase(), roles: ["specialist"] });
		expect(second.invitation.id).toBe(first.invitation.id);
		expect(second.token).not.toBe(first.token);
		const listed = await invitationsOf(inviter.accountId, inviter);
		expect(listed.map((i) => [i.id, i.name, i.roles])).toEqual([[first.invitation.id, "Second", ["specialist"]]]);
		expect(await mine(existing)).toHaveLength(1);
		const count = await env.DB.prepare("SELECT count(*) AS n FROM invitations WHERE account_id = ?").bind(inviter.accountId).first<{ n: number }>();
		expect(count?.n).toBe(1);
		await acceptInvitation(existing, first.invitation.id);
		const account = await callJson<Account>(`/accounts/${inviter.accountId}`, 200, { as: existing });
		expect(account.viewer.roles).toEqual(["specialist"]);
	});

	it("a new link replaces the old one and keeps the expiry", async () => {
		const inviter = await signUp();
		const created = await invite(inviter, inviter.accountId, { name: "Nia", email: uniqueEmail("nia"), roles: ["end_user"] });
		const { acceptUrl } = await callJson<{ acceptUrl: string }>(`/accounts/${inviter.accountId}/invitations/${created.invitation.id}/link`, 200, { method: "POST", as: inviter });
		await callError(`/invitation-links/${created.token}`, 404, "not_found");
		const read = await callJson<Invitation>(`/invitation-links/${tokenOf(acceptUrl)}`, 200);
		expect(read).toMatchObject({ id: created.invitation.id, expiresAt: created.invitation.expiresAt, status: "pending" });
	});
});

describe("the accept link", () => {
	it("shows the invitation, and creates the sign-in of a new address, which is then a member", async () => {
		const inviter = await signUp();
		const email = uniqueEmail("fresh");
		const created = await invite(inviter, inviter.accountId, { name: "Fay Fresh", email, roles: ["specialist"] });
		const read = await callJson<Invitation>(`/invitation-links/${created.token}`, 200);
		expect(read).toEqual(created.invitation);

		const joined = await signUpFromLink(created.token, "Fay Fresh");
		expect(joined.session.person).toMatchObject({ name: "Fay Fresh", email });
		expect(joined.session.memberships.map((m) => [m.account.id, m.roles])).toEqual([[inviter.accountId, ["specialist"]]]);
		expect(await signInStatus(email)).toBe(200);
		expect((await callJson<Invitation>(`/invitation-links/${created.token}`, 200)).status).toBe("accepted");
		await callError(`/invitation-links/${created.token}/sign-up`, 409, "conflict", { body: { name: "Again", password: PASSWORD } });
	});

	it("does not let a link set the password of an address that already signs in (409, nothing written)", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		const created = await invite(inviter, inviter.accountId, { name: "X", email: existing.email, roles: ["account_administrator"] });
		const { error } = await callError(`/invitation-links/${created.token}/sign-up`, 409, "conflict", { body: { name: "Mallory", password: "mallory's own password" } });
		expect(error.message).toContain("Sign in");
		expect(await signInStatus(existing.email, "mallory's own password")).toBe(401);
		expect(await signInStatus(existing.email, PASSWORD)).toBe(200);
		expect(await memberships(existing)).toEqual([existing.accountId]);
		expect((await mine(existing)).map((i) => i.status)).toEqual(["pending"]);
		const person = await env.DB.prepare("SELECT name FROM people WHERE email = ?").bind(existing.email).first<{ name: string }>();
		expect(person?.name).toBe("Ada Admin");
	});

	it("refuses a weak password with 400 on `password`, and writes nothing", async () => {
		const inviter = await signUp();
		const email = uniqueEmail("weak");
		const created = await invite(inviter, inviter.accountId, { name: "W", email, roles: ["end_user"] });
		for (const password of ["aaaaaaaaaa", "1234567890", "password123", email]) {
			const { error } = await callError(`/invitation-links/${created.token}/sign-up`, 400, "invalid_input", { body: { name: "W", password } });
			expect(error.details).toEqual([expect.objectContaining({ path: "password" })]);
		}
		expect(await signInStatus(email, "password123")).toBe(401);
		expect((await callJson<Invitation>(`/invitation-links/${created.token}`, 200)).status).toBe("pending");
	});

	it("answers 404 for an unknown link, 400 for a malformed one and for bad input", async () => {
		const inviter = await signUp();
		const created = await invite(inviter, inviter.accountId, { name: "B", email: uniqueEmail(), roles: ["end_user"] });
		await callError(`/invitation-links/${"A".repeat(43)}`, 404, "not_found");
		await callError(`/invitation-links/${"A".repeat(43)}/sign-up`, 404, "not_found", { body: { name: "X", password: PASSWORD } });
		await callError("/invitation-links/short", 400, "invalid_input");
		await callError(`/invitation-links/${created.token}/sign-up`, 400, "invalid_input", { body: { name: "", password: PASSWORD } });
		await callError(`/invitation-links/${created.token}/sign-up`, 400, "invalid_input", { body: { name: "X", password: PASSWORD, email: "other@example.test" } });
		expect((await callJson<Invitation>(`/invitation-links/${created.token}`, 200)).status).toBe("pending");
	});
});

describe("who may invite", () => {
	it("a token with people:write invites, but not administrators and cannot get an administrator invitation's link", async () => {
		const admin = await signUp();
		const { secret } = await createToken(admin, admin.accountId, ["people:read", "people:write"]);
		const bot = { token: secret };
		const created = await callJson<CreatedInvitation>(people(admin.accountId), 201, { as: bot, body: { name: "Bo", email: uniqueEmail(), roles: ["end_user"] } });
		expect(created.invitation.invitedBy).toEqual({ type: "token", name: "Integration" });
		await callError(people(admin.accountId), 403, "forbidden", { as: bot, body: { name: "Mal", email: uniqueEmail(), roles: ["account_administrator"] } });
		const adminInvite = await invite(admin, admin.accountId, { name: "Ad", email: uniqueEmail(), roles: ["account_administrator"] });
		await callError(`/accounts/${admin.accountId}/invitations/${adminInvite.invitation.id}/link`, 403, "forbidden", { method: "POST", as: bot });
		await callJson(`/accounts/${admin.accountId}/invitations/${created.invitation.id}/link`, 200, { method: "POST", as: bot });
		expect((await invitationsOf(admin.accountId, admin)).map((i) => i.roles)).toEqual([["account_administrator"], ["end_user"]]);
	});

	it("another account's administrator reaches none of the account's invitations (404)", async () => {
		const a = await signUp();
		const b = await signUp();
		const { invitation } = await invite(a, a.accountId, { name: "V", email: uniqueEmail(), roles: ["end_user"] });
		await callError(`/accounts/${a.accountId}/invitations`, 404, "not_found", { as: b });
		await callError(`/accounts/${a.accountId}/invitations/${invitation.id}/revoke`, 404, "not_found", { method: "POST", as: b });
		await callError(`/accounts/${b.accountId}/invitations/${invitation.id}/revoke`, 404, "not_found", { method: "POST", as: b });
		await callError(`/accounts/${b.accountId}/invitations/${invitation.id}/link`, 404, "not_found", { method: "POST", as: b });
		expect(await invitationsOf(b.accountId, b)).toEqual([]);
		expect((await invitationsOf(a.accountId, a)).map((i) => i.status)).toEqual(["pending"]);
	});

	it("signing in changes nothing about pending invitations", async () => {
		const inviter = await signUp();
		const existing = await signUp();
		await invite(inviter, inviter.accountId, { name: "S", email: existing.email, roles: ["end_user"] });
		const again = await signIn(existing.email);
		expect(again.session.memberships.map((m) => m.account.id)).toEqual([existing.accountId]);
		expect(await mine(again)).toHaveLength(1);
	});
});

describe("invitation e-mails", () => {
	const resend = (accountId: string, id: string, as: Caller) => call(`/accounts/${accountId}/invitations/${id}/resend`, { method: "POST", as });
	const linkWorks = async (token: string) => (await call(`/invitation-links/${token}`)).status === 200;

	it("a verified administrator's invitation is mailed; re-sending mails a new link and the old one stops working", async () => {
		const admin = await signUp();
		await verifyAddress(admin);
		const created = await invite(admin, admin.accountId, { name: "Mia Mailed", email: uniqueEmail("mailed"), roles: ["end_user"] });
		expect(created.invitation.mailedAt).not.toBeNull();
		const res = await resend(admin.accountId, created.invitation.id, admin);
		expect(res.status, await res.clone().text()).toBe(200);
		const resent = (await res.json()) as Invitation;
		expect(resent).toMatchObject({ id: created.invitation.id, status: "pending", expiresAt: created.invitation.expiresAt });
		expect(Date.parse(resent.mailedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(created.invitation.mailedAt ?? ""));
		expect(await linkWorks(created.token)).toBe(false);

		// A link handed out instead (POST …/link) is not mailed: the list says so.
		await callJson(`/accounts/${admin.accountId}/invitations/${created.invitation.id}/link`, 200, { method: "POST", as: admin });
		expect((await invitationsOf(admin.accountId, admin))[0]?.mailedAt).toBeNull();
	});

	it("re-sending needs a pending invitation of the account: 409 once answered, 404 for another account's, 400 for a malformed id", async () => {
		const admin = await signUp();
		await verifyAddress(admin);
		const existing = await signUp();
		const { invitation } = await invite(admin, admin.accountId, { name: "X", email: existing.email, roles: ["end_user"] });
		await acceptInvitation(existing, invitation.id);
		await callError(`/accounts/${admin.accountId}/invitations/${invitation.id}/resend`, 409, "conflict", { method: "POST", as: admin });
		const other = await signUp();
		await verifyAddress(other);
		const theirs = await invite(other, other.accountId, { name: "Y", email: uniqueEmail("y"), roles: ["end_user"] });
		await callError(`/accounts/${admin.accountId}/invitations/${theirs.invitation.id}/resend`, 404, "not_found", { method: "POST", as: admin });
		await callError(`/accounts/${other.accountId}/invitations/${theirs.invitation.id}/resend`, 404, "not_found", { method: "POST", as: admin });
		await callError(`/accounts/${admin.accountId}/invitations/not-an-id/resend`, 400, "invalid_input", { method: "POST", as: admin });
		expect(await linkWorks(theirs.token)).toBe(true);
	});

	it("an unverified inviter's invitations are held, and mailed with a new link once they verify", async () => {
		const admin = await signUp();
		const held = await invite(admin, admin.accountId, { name: "Hal Held", email: uniqueEmail("held"), roles: ["end_user"] });
		expect(held.invitation.mailedAt).toBeNull();
		await verifyAddress(admin);
		const [after] = await invitationsOf(admin.accountId, admin);
		expect(after?.id).toBe(held.invitation.id);
		expect(after?.mailedAt).not.toBeNull();
		// The mailed link replaced the one the administrator was shown.
		expect(await linkWorks(held.token)).toBe(false);
	});

	it("mails a new address the link to choose a password and join, a known one the link to sign in and accept", async () => {
		const admin = await signUp();
		await verifyAddress(admin);
		const existing = await signUp();
		const newcomer = uniqueEmail("newcomer");
		await holdMail(admin.accountId);
		const toNew = await invite(admin, admin.accountId, { name: "Nina New", email: newcomer, roles: ["end_user"] });
		const toKnown = await invite(admin, admin.accountId, { name: "Kim Known", email: existing.email, roles: ["specialist"] });

		const first = await mailTo(admin.accountId, "invitation", newcomer);
		expect(first).toMatchObject({ personId: null, sensitive: true, subject: `Ada Admin invites you to Account ${admin.accountId} on Trustdesk` });
		expect(first.action).toEqual({ label: "Choose a password and join", url: `${toNew.acceptUrl}?new=1` });
		const second = await mailTo(admin.accountId, "invitation", existing.email);
		expect(second.action).toEqual({ label: "Sign in and accept", url: toKnown.acceptUrl });
		await acceptMail(admin.accountId);

		// The mailed link creates the newcomer's sign-in (verified: the link reached the address).
		const joined = await signUpFromLink(toNew.token, "Nina New");
		expect(joined.session.emailVerified).toBe(true);
		expect(joined.session.memberships.map((m) => m.account.id)).toEqual([admin.accountId]);
	});

	it("re-sending mails the new link to the invitee", async () => {
		const admin = await signUp();
		await verifyAddress(admin);
		const email = uniqueEmail("again");
		const { invitation } = await invite(admin, admin.accountId, { name: "Aga Again", email, roles: ["end_user"] });
		await holdMail(admin.accountId);
		await callJson(`/accounts/${admin.accountId}/invitations/${invitation.id}/resend`, 200, { method: "POST", as: admin });
		const mail = await mailTo(admin.accountId, "invitation", email);
		const token = /\/invitations\/([A-Za-z0-9_-]{43})\?new=1$/.exec(mail.action?.url ?? "")?.[1] ?? "";
		expect((await callJson<Invitation>(`/invitation-links/${token}`, 200)).id).toBe(invitation.id);
		await acceptMail(admin.accountId);
	});
});

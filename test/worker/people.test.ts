// People of an account: inviting (the rules of the invitation form; invitations.test.ts has the rest),
// roles, the last administrator, removal.
import { describe, expect, it } from "vitest";
import type { AccountPerson, Team } from "../../worker/shared/api";
import type { CreatedInvitation } from "../../worker/shared/invitation-api";
import { acceptInvitation, addMember, call, callError, callJson, createTeam, createToken, invite, PASSWORD, signIn, signInStatus, signUp, unique, uniqueEmail, callItems } from "./helpers";

const people = (accountId: string) => `/accounts/${accountId}/people`;

describe("listing and reading people", () => {
	it("lists the account's people by name with their roles", async () => {
		const admin = await signUp();
		const zed = await addMember(admin, admin.accountId, ["end_user"], "Zed Zimmer");
		const bea = await addMember(admin, admin.accountId, ["specialist", "auditor"], "Bea Baker");
		const list = await callItems<AccountPerson>(people(admin.accountId), { as: admin });
		expect(list.map((p) => p.name)).toEqual(["Ada Admin", "Bea Baker", "Zed Zimmer"]);
		expect(list.find((p) => p.id === bea.id)?.roles).toEqual(["specialist", "auditor"]);
		expect(list.find((p) => p.id === zed.id)?.email).toBe(zed.email);
	});

	it("reads one person, and answers 404 for a person who is not in the account", async () => {
		const admin = await signUp();
		const other = await signUp();
		const member = await addMember(admin, admin.accountId, ["specialist"]);
		const person = await callJson<AccountPerson>(`${people(admin.accountId)}/${member.id}`, 200, { as: admin });
		expect(person).toMatchObject({ id: member.id, email: member.email, roles: ["specialist"] });
		await callError(`${people(admin.accountId)}/${other.session.person.id}`, 404, "not_found", { as: admin });
	});

	it("lets a specialist read people but not add them; an end user can do neither", async () => {
		const admin = await signUp();
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		const endUser = await addMember(admin, admin.accountId, ["end_user"]);
		await callJson(people(admin.accountId), 200, { as: specialist });
		const body = { name: "New", email: uniqueEmail(), roles: ["end_user"] };
		await callError(people(admin.accountId), 403, "forbidden", { as: specialist, body });
		await callError(people(admin.accountId), 403, "forbidden", { as: endUser });
		await callError(`${people(admin.accountId)}/${specialist.id}`, 403, "forbidden", { as: endUser });
		expect(await signInStatus(body.email)).toBe(401);
	});
});

describe("inviting people", () => {
	it("answers 409 when the address is already a member, and keeps their roles", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["end_user"]);
		await callError(people(admin.accountId), 409, "conflict", { as: admin, body: { name: "Again", email: member.email, roles: ["account_administrator"] } });
		await callError(people(admin.accountId), 409, "conflict", { as: admin, body: { name: "Me", email: admin.email.toUpperCase(), roles: ["end_user"] } });
		const person = await callJson<AccountPerson>(`${people(admin.accountId)}/${member.id}`, 200, { as: admin });
		expect(person.roles).toEqual(["end_user"]);
	});

	it.each([
		["service level manager without specialist", ["service_level_manager"]],
		["no roles", []],
		["an unknown role", ["superuser"]],
	])("refuses %s with 400 and invites nobody", async (_what, roles) => {
		const admin = await signUp();
		const email = uniqueEmail();
		const { error } = await callError(people(admin.accountId), 400, "invalid_input", { as: admin, body: { name: "X", email, roles } });
		expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^roles/) })]));
		expect(await callItems<unknown>(`/accounts/${admin.accountId}/invitations`, { as: admin })).toEqual([]);
	});

	it("accepts service level manager together with specialist, and drops duplicate roles", async () => {
		const admin = await signUp();
		const created = await callJson<CreatedInvitation>(people(admin.accountId), 201, {
			as: admin,
			body: { name: "Sly", email: uniqueEmail(), roles: ["specialist", "service_level_manager", "specialist"] },
		});
		expect(created.invitation.roles).toEqual(["specialist", "service_level_manager"]);
	});

	it("refuses a password (administrators no longer set them) and unknown fields with 400", async () => {
		const admin = await signUp();
		const email = uniqueEmail();
		await callError(people(admin.accountId), 400, "invalid_input", { as: admin, body: { name: "X", email, roles: ["end_user"], password: "a given password" } });
		await callError(people(admin.accountId), 400, "invalid_input", { as: admin, body: { name: "X", email, roles: ["end_user"], accountId: "x" } });
		expect(await signInStatus(email, "a given password")).toBe(401);
		expect(await callItems<unknown>(`/accounts/${admin.accountId}/invitations`, { as: admin })).toEqual([]);
	});

	it("lets a specialist read people and invitations but not invite; an end user can do neither", async () => {
		const admin = await signUp();
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		const endUser = await addMember(admin, admin.accountId, ["end_user"]);
		await callJson(`/accounts/${admin.accountId}/invitations`, 200, { as: specialist });
		const body = { name: "New", email: uniqueEmail(), roles: ["end_user"] };
		await callError(people(admin.accountId), 403, "forbidden", { as: specialist, body });
		await callError(people(admin.accountId), 403, "forbidden", { as: endUser, body });
		await callError(`/accounts/${admin.accountId}/invitations`, 403, "forbidden", { as: endUser });
		const invitations = await callItems<{ email: string }>(`/accounts/${admin.accountId}/invitations`, { as: admin });
		expect(invitations.map((i) => i.email)).not.toContain(body.email);
	});
});

describe("changing roles", () => {
	it("replaces a person's roles, which changes what they may do", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["end_user"]);
		await callError(people(admin.accountId), 403, "forbidden", { as: member });
		const updated = await callJson<AccountPerson>(`${people(admin.accountId)}/${member.id}`, 200, { method: "PATCH", as: admin, body: { roles: ["specialist"] } });
		expect(updated.roles).toEqual(["specialist"]);
		await callJson(people(admin.accountId), 200, { as: member });
	});

	it("refuses service level manager without specialist with 400", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["specialist"]);
		await callError(`${people(admin.accountId)}/${member.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { roles: ["service_level_manager"] } });
		const person = await callJson<AccountPerson>(`${people(admin.accountId)}/${member.id}`, 200, { as: admin });
		expect(person.roles).toEqual(["specialist"]);
	});

	it("answers 404 for a person of another account", async () => {
		const admin = await signUp();
		const other = await signUp();
		await callError(`${people(admin.accountId)}/${other.session.person.id}`, 404, "not_found", { method: "PATCH", as: admin, body: { roles: ["end_user"] } });
		const theirs = await callJson<AccountPerson>(`${people(other.accountId)}/${other.session.person.id}`, 200, { as: other });
		expect(theirs.roles).toContain("account_administrator");
	});

	it("does not let the last account administrator be demoted (409)", async () => {
		const admin = await signUp();
		const id = admin.session.person.id;
		await callError(`${people(admin.accountId)}/${id}`, 409, "conflict", { method: "PATCH", as: admin, body: { roles: ["specialist"] } });
		const person = await callJson<AccountPerson>(`${people(admin.accountId)}/${id}`, 200, { as: admin });
		expect(person.roles).toContain("account_administrator");
	});

	it("lets an administrator step down once there is another administrator", async () => {
		const admin = await signUp();
		const second = await addMember(admin, admin.accountId, ["account_administrator"]);
		const id = admin.session.person.id;
		await callJson(`${people(admin.accountId)}/${id}`, 200, { method: "PATCH", as: admin, body: { roles: ["specialist"] } });
		await callError(`${people(admin.accountId)}/${second.id}`, 409, "conflict", { method: "PATCH", as: second, body: { roles: ["end_user"] } });
		await callError(people(admin.accountId), 403, "forbidden", { as: admin, body: { name: "X", email: uniqueEmail(), roles: ["end_user"] } });
	});
});

describe("removing people", () => {
	it("does not let the last account administrator be removed (409)", async () => {
		const admin = await signUp();
		const id = admin.session.person.id;
		await callError(`${people(admin.accountId)}/${id}`, 409, "conflict", { method: "DELETE", as: admin });
		await callJson(`/accounts/${admin.accountId}`, 200, { as: admin });
	});

	it("removes a person from the account's teams, and they lose access to it (404)", async () => {
		const admin = await signUp();
		const leaver = await addMember(admin, admin.accountId, ["specialist"], "Lee Leaver");
		const stayer = await addMember(admin, admin.accountId, ["specialist"], "Sue Stayer");
		const team = await createTeam(admin, admin.accountId, { memberIds: [leaver.id, stayer.id], coordinatorId: leaver.id });
		await callJson(people(admin.accountId), 200, { as: leaver });

		const res = await call(`${people(admin.accountId)}/${leaver.id}`, { method: "DELETE", as: admin });
		expect(res.status).toBe(204);

		const after = await callJson<Team>(`/accounts/${admin.accountId}/teams/${team.id}`, 200, { as: admin });
		expect(after.members.map((m) => m.id)).toEqual([stayer.id]);
		expect(after.coordinator).toBeNull();
		await callError(`/accounts/${admin.accountId}`, 404, "not_found", { as: leaver });
		await callError(people(admin.accountId), 404, "not_found", { as: leaver });
		await callError(`${people(admin.accountId)}/${leaver.id}`, 404, "not_found", { as: admin });
		await callError(`${people(admin.accountId)}/${leaver.id}`, 404, "not_found", { method: "DELETE", as: admin });
		// Their sign-in still works; they just have no account left.
		const session = await signIn(leaver.email, PASSWORD);
		expect(session.session.memberships).toEqual([]);
	});

	it("re-adding a removed person does not bring back their old team places", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["specialist"]);
		const team = await createTeam(admin, admin.accountId, { memberIds: [member.id] });
		await callJson(`${people(admin.accountId)}/${member.id}`, 204, { method: "DELETE", as: admin });
		const { invitation } = await invite(admin, admin.accountId, { name: "Back", email: member.email, roles: ["specialist"] });
		await acceptInvitation(member, invitation.id);
		const after = await callJson<Team>(`/accounts/${admin.accountId}/teams/${team.id}`, 200, { as: admin });
		expect(after.members).toEqual([]);
	});

	it("keeps the person's other accounts", async () => {
		const a = await signUp();
		const b = await signUp();
		const member = await addMember(a, a.accountId, ["specialist"]);
		const { invitation } = await invite(b, b.accountId, { name: "X", email: member.email, roles: ["end_user"] });
		await acceptInvitation(member, invitation.id);
		await callJson(`${people(a.accountId)}/${member.id}`, 204, { method: "DELETE", as: a });
		await callJson(`/accounts/${b.accountId}`, 200, { as: member });
	});

	it("is allowed to a token with people:write but not one with only people:read", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["end_user"]);
		const reader = await createToken(admin, admin.accountId, ["people:read"]);
		const writer = await createToken(admin, admin.accountId, ["people:write"]);
		await callError(`${people(admin.accountId)}/${member.id}`, 403, "forbidden", { method: "DELETE", as: { token: reader.secret } });
		await callJson(`${people(admin.accountId)}/${member.id}`, 204, { method: "DELETE", as: { token: writer.secret } });
		await callJson(people(admin.accountId), 201, { as: { token: writer.secret }, body: { name: unique("Tok"), email: uniqueEmail(), roles: ["end_user"] } });
	});
});

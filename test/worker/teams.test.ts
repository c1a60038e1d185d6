// Teams of an account: CRUD, unique names, coordinator and member checks, who may read and write.
import { describe, expect, it } from "vitest";
import type { Team } from "../../worker/shared/api";
import { addMember, call, callError, callJson, createTeam, createToken, signUp, unique, callItems } from "./helpers";

const teams = (accountId: string) => `/accounts/${accountId}/teams`;

async function accountWithPeople() {
	const admin = await signUp();
	const alice = await addMember(admin, admin.accountId, ["specialist"], "Alice Anders");
	const bob = await addMember(admin, admin.accountId, ["specialist"], "Bob Berg");
	return { admin, alice, bob, accountId: admin.accountId };
}

describe("creating and reading teams", () => {
	it("creates a team with members and a coordinator, and reads it back with their names", async () => {
		const { admin, alice, bob, accountId } = await accountWithPeople();
		const team = await callJson<Team>(teams(accountId), 201, {
			as: admin,
			body: { name: "Service Desk", description: "First line", memberIds: [bob.id, alice.id, alice.id], coordinatorId: alice.id },
		});
		expect(team).toMatchObject({
			name: "Service Desk",
			description: "First line",
			coordinator: { id: alice.id, name: "Alice Anders" },
			members: [
				{ id: alice.id, name: "Alice Anders" },
				{ id: bob.id, name: "Bob Berg" },
			],
		});
		expect(team.id).toMatch(/^team_/);
		expect(await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { as: admin })).toEqual(team);
	});

	it("defaults to no description, no coordinator and no members", async () => {
		const { admin, accountId } = await accountWithPeople();
		const team = await callJson<Team>(teams(accountId), 201, { as: admin, body: { name: "Empty" } });
		expect(team).toMatchObject({ name: "Empty", description: "", coordinator: null, members: [] });
	});

	it("lists teams ordered by name, ignoring case", async () => {
		const admin = await signUp();
		for (const name of ["charlie", "Alpha", "bravo"]) await createTeam(admin, admin.accountId, { name });
		const list = await callItems<Team>(teams(admin.accountId), { as: admin });
		expect(list.map((t) => t.name)).toEqual(["Alpha", "bravo", "charlie"]);
	});

	it("answers 409 for a name that exists in another case, and keeps one team", async () => {
		const { admin, accountId } = await accountWithPeople();
		await createTeam(admin, accountId, { name: "Network" });
		await callError(teams(accountId), 409, "conflict", { as: admin, body: { name: "NETWORK" } });
		await callError(teams(accountId), 409, "conflict", { as: admin, body: { name: "  network " } });
		const list = await callItems<Team>(teams(accountId), { as: admin });
		expect(list.filter((t) => t.name.toLowerCase() === "network")).toHaveLength(1);
	});

	it("allows the same team name in two different accounts", async () => {
		const a = await signUp();
		const b = await signUp();
		await createTeam(a, a.accountId, { name: "Shared Name" });
		await createTeam(b, b.accountId, { name: "Shared Name" });
	});

	it("refuses a coordinator who is not a member with 400, and creates nothing", async () => {
		const { admin, alice, bob, accountId } = await accountWithPeople();
		const name = unique("Team");
		const { error } = await callError(teams(accountId), 400, "invalid_input", { as: admin, body: { name, memberIds: [bob.id], coordinatorId: alice.id } });
		expect(JSON.stringify(error.details)).toContain("coordinatorId");
		const list = await callItems<Team>(teams(accountId), { as: admin });
		expect(list.map((t) => t.name)).not.toContain(name);
	});

	it("refuses member ids that are not people of this account with 400 naming them", async () => {
		const { admin, alice, accountId } = await accountWithPeople();
		const stranger = await signUp();
		const strangerId = stranger.session.person.id;
		const madeUp = "psn_0000000000000000";
		const { error } = await callError(teams(accountId), 400, "invalid_input", { as: admin, body: { name: "Mixed", memberIds: [alice.id, strangerId, madeUp] } });
		const text = JSON.stringify(error.details);
		expect(text).toContain(strangerId);
		expect(text).toContain(madeUp);
		expect(text).not.toContain(alice.id);
	});

	it("refuses malformed input with 400", async () => {
		const { admin, accountId } = await accountWithPeople();
		await callError(teams(accountId), 400, "invalid_input", { as: admin, body: { name: "" } });
		await callError(teams(accountId), 400, "invalid_input", { as: admin, body: { name: "X", memberIds: ["bob"] } });
		await callError(teams(accountId), 400, "invalid_input", { as: admin, body: { name: "X", id: "team_0000000000000000" } });
		await callError(teams(accountId), 400, "invalid_input", { as: admin, body: { name: "X", description: "d".repeat(2001) } });
	});
});

describe("changing and deleting teams", () => {
	it("changes only the given fields", async () => {
		const { admin, alice, bob, accountId } = await accountWithPeople();
		const team = await createTeam(admin, accountId, { name: "Before", description: "Keep me", memberIds: [alice.id], coordinatorId: alice.id });
		const renamed = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { method: "PATCH", as: admin, body: { name: "After" } });
		expect(renamed).toMatchObject({ name: "After", description: "Keep me", coordinator: { id: alice.id }, members: [{ id: alice.id }] });
		expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(team.updatedAt));

		const members = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { method: "PATCH", as: admin, body: { memberIds: [alice.id, bob.id] } });
		expect(members.members.map((m) => m.id).sort()).toEqual([alice.id, bob.id].sort());
		expect(members.name).toBe("After");

		const noCoordinator = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { method: "PATCH", as: admin, body: { coordinatorId: null } });
		expect(noCoordinator.coordinator).toBeNull();
		expect(noCoordinator.members).toHaveLength(2);
	});

	it("refuses to drop the coordinator from the members unless the coordinator changes too", async () => {
		const { admin, alice, bob, accountId } = await accountWithPeople();
		const team = await createTeam(admin, accountId, { memberIds: [alice.id, bob.id], coordinatorId: alice.id });
		await callError(`${teams(accountId)}/${team.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { memberIds: [bob.id] } });
		const unchanged = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { as: admin });
		expect(unchanged.members).toHaveLength(2);
		const changed = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { method: "PATCH", as: admin, body: { memberIds: [bob.id], coordinatorId: bob.id } });
		expect(changed.coordinator?.id).toBe(bob.id);
	});

	it("answers 409 when renaming onto another team's name, but allows a case change of its own name", async () => {
		const { admin, accountId } = await accountWithPeople();
		await createTeam(admin, accountId, { name: "Taken" });
		const team = await createTeam(admin, accountId, { name: "Mine" });
		await callError(`${teams(accountId)}/${team.id}`, 409, "conflict", { method: "PATCH", as: admin, body: { name: "taken" } });
		const recased = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { method: "PATCH", as: admin, body: { name: "MINE" } });
		expect(recased.name).toBe("MINE");
	});

	it("refuses a member of another account in a change with 400", async () => {
		const { admin, alice, accountId } = await accountWithPeople();
		const stranger = await signUp();
		const team = await createTeam(admin, accountId, { memberIds: [alice.id] });
		await callError(`${teams(accountId)}/${team.id}`, 400, "invalid_input", {
			method: "PATCH",
			as: admin,
			body: { memberIds: [alice.id, stranger.session.person.id] },
		});
		const unchanged = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { as: admin });
		expect(unchanged.members.map((m) => m.id)).toEqual([alice.id]);
	});

	it("deletes a team; reading, changing or deleting it again is 404", async () => {
		const { admin, accountId } = await accountWithPeople();
		const team = await createTeam(admin, accountId);
		const res = await call(`${teams(accountId)}/${team.id}`, { method: "DELETE", as: admin });
		expect(res.status).toBe(204);
		await callError(`${teams(accountId)}/${team.id}`, 404, "not_found", { as: admin });
		await callError(`${teams(accountId)}/${team.id}`, 404, "not_found", { method: "PATCH", as: admin, body: { name: "Zombie" } });
		await callError(`${teams(accountId)}/${team.id}`, 404, "not_found", { method: "DELETE", as: admin });
		const list = await callItems<Team>(teams(accountId), { as: admin });
		expect(list.map((t) => t.id)).not.toContain(team.id);
		// The name is free again.
		await createTeam(admin, accountId, { name: team.name });
	});
});

describe("who may read and write teams", () => {
	it("an end user can neither read nor write teams (403)", async () => {
		const { admin, accountId } = await accountWithPeople();
		const endUser = await addMember(admin, accountId, ["end_user"]);
		const team = await createTeam(admin, accountId);
		await callError(teams(accountId), 403, "forbidden", { as: endUser });
		await callError(`${teams(accountId)}/${team.id}`, 403, "forbidden", { as: endUser });
		await callError(teams(accountId), 403, "forbidden", { as: endUser, body: { name: unique("Team") } });
	});

	it("a specialist can read teams but not create, change or delete them (403)", async () => {
		const { admin, alice, accountId } = await accountWithPeople();
		const team = await createTeam(admin, accountId);
		await callItems<Team>(teams(accountId), { as: alice });
		await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { as: alice });
		const name = unique("Team");
		await callError(teams(accountId), 403, "forbidden", { as: alice, body: { name } });
		await callError(`${teams(accountId)}/${team.id}`, 403, "forbidden", { method: "PATCH", as: alice, body: { name } });
		await callError(`${teams(accountId)}/${team.id}`, 403, "forbidden", { method: "DELETE", as: alice });
		const after = await callJson<Team>(`${teams(accountId)}/${team.id}`, 200, { as: admin });
		expect(after.name).toBe(team.name);
	});

	it("an auditor and a service level manager can read teams", async () => {
		const { admin, accountId } = await accountWithPeople();
		const auditor = await addMember(admin, accountId, ["auditor"]);
		const slm = await addMember(admin, accountId, ["specialist", "service_level_manager"]);
		await callJson(teams(accountId), 200, { as: auditor });
		await callJson(teams(accountId), 200, { as: slm });
	});

	it("a token needs teams:write to create a team and teams:read to list them", async () => {
		const { admin, accountId } = await accountWithPeople();
		const writer = await createToken(admin, accountId, ["teams:write"]);
		const reader = await createToken(admin, accountId, ["teams:read"]);
		const team = await callJson<Team>(teams(accountId), 201, { as: { token: writer.secret }, body: { name: unique("Team") } });
		await callError(teams(accountId), 403, "forbidden", { as: { token: writer.secret } });
		const list = await callItems<Team>(teams(accountId), { as: { token: reader.secret } });
		expect(list.map((t) => t.id)).toContain(team.id);
		await callError(`${teams(accountId)}/${team.id}`, 403, "forbidden", { method: "DELETE", as: { token: reader.secret } });
	});
});

describe("accounts with many teams", () => {
	// SQLite in a Durable Object binds at most 100 parameters per statement; listing must not
	// depend on the number of teams.
	it("lists 150 teams with their members", async () => {
		const admin = await signUp();
		const member = await addMember(admin, admin.accountId, ["specialist"]);
		for (let i = 0; i < 150; i++) {
			await createTeam(admin, admin.accountId, { name: `Team ${String(i).padStart(3, "0")}`, memberIds: [member.id], coordinatorId: member.id });
		}
		const list = await callItems<Team>(teams(admin.accountId), { as: admin });
		expect(list).toHaveLength(150);
		expect(list.every((t) => t.members.length === 1 && t.coordinator?.id === member.id)).toBe(true);
		expect(list[0]?.name).toBe("Team 000");
	});
});

// Teams of an account: name, description, coordinator and members (person ids). Whether a person
// belongs to the account is the directory's fact; the Worker checks it before calling in here.
import { and, asc, eq, sql } from "drizzle-orm";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import { statements, transaction, type AccountDb } from "./db";
import { indexTeam, unindexTeam } from "./search";
import { teamMembers, teams } from "./schema";

export interface TeamRecord {
	id: string;
	name: string;
	description: string;
	coordinatorId: string | null;
	memberIds: string[];
	createdAt: string;
	updatedAt: string;
}

export interface TeamChanges {
	name?: string;
	description?: string;
	coordinatorId?: string | null;
	memberIds?: string[];
}

export type NewTeam = Required<TeamChanges>;

/**
 * Member ids per team: of one team, or of all teams. No `IN (…)` list: SQLite in a Durable
 * Object binds at most 100 parameters per statement, and an account may have more teams.
 */
function membersOf(db: AccountDb, teamId?: string): Map<string, string[]> {
	const rows = db
		.select()
		.from(teamMembers)
		.where(teamId === undefined ? undefined : eq(teamMembers.teamId, teamId))
		.orderBy(asc(teamMembers.personId))
		.all();
	const byTeam = new Map<string, string[]>();
	for (const r of rows) {
		const list = byTeam.get(r.teamId);
		if (list) list.push(r.personId);
		else byTeam.set(r.teamId, [r.personId]);
	}
	return byTeam;
}

function toRecord(row: typeof teams.$inferSelect, memberIds: string[]): TeamRecord {
	return {
		id: row.id,
		name: row.name,
		description: row.description,
		coordinatorId: row.coordinatorId,
		memberIds,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString(),
	};
}

export function listTeams(db: AccountDb): TeamRecord[] {
	const rows = db.select().from(teams).orderBy(asc(teams.nameKey)).all();
	const members = membersOf(db);
	return rows.map((r) => toRecord(r, members.get(r.id) ?? []));
}

export function getTeam(db: AccountDb, id: string): TeamRecord | undefined {
	const q = teamStatements(db);
	const row = q.team.get({ id });
	return row && toRecord(row, q.members.all({ id }).map((r) => r.personId));
}

/**
 * Who hears of work assigned to the team and to none of its members yet: its coordinator, or every
 * member while it has none. The coordinator takes the team's unassigned work (as in 4me, see
 * reference/domain.md, Teams); telling every member as well would tell each of them of every new
 * request, which is what a coordinator is there to spare them.
 */
export function teamRecipients(db: AccountDb, teamId: string): string[] {
	const q = teamStatements(db);
	const row = q.team.get({ id: teamId });
	if (!row) return [];
	return row.coordinatorId !== null ? [row.coordinatorId] : q.members.all({ id: teamId }).map((r) => r.personId);
}

/** A team and its members, asked for every request assigned to a team (who hears of it): built once. */
const teamStatements = statements((db) => ({
	team: db.select().from(teams).where(eq(teams.id, sql.placeholder("id"))).prepare(),
	members: db.select({ personId: teamMembers.personId }).from(teamMembers).where(eq(teamMembers.teamId, sql.placeholder("id"))).orderBy(asc(teamMembers.personId)).prepare(),
}));

function nameTaken(db: AccountDb, name: string, exceptId?: string): boolean {
	const row = db.select({ id: teams.id }).from(teams).where(eq(teams.nameKey, name.toLowerCase())).get();
	return row !== undefined && row.id !== exceptId;
}

function coordinatorProblem(coordinatorId: string | null, memberIds: string[]): string | null {
	if (coordinatorId !== null && !memberIds.includes(coordinatorId)) {
		return "The coordinator must be a member of the team.";
	}
	return null;
}

function replaceMembers(db: AccountDb, teamId: string, memberIds: string[]): void {
	db.delete(teamMembers).where(eq(teamMembers.teamId, teamId)).run();
	for (const personId of memberIds) db.insert(teamMembers).values({ teamId, personId }).run();
}

export function createTeam(db: AccountDb, input: NewTeam, now: Date): Result<TeamRecord> {
	if (nameTaken(db, input.name)) return fail("conflict", `A team named "${input.name}" already exists.`);
	const problem = coordinatorProblem(input.coordinatorId, input.memberIds);
	if (problem) return fail("invalid_input", problem, [{ path: "coordinatorId", message: problem }]);
	const id = newId("team");
	transaction(db, () => {
		db.insert(teams)
			.values({
				id,
				name: input.name,
				nameKey: input.name.toLowerCase(),
				description: input.description,
				coordinatorId: input.coordinatorId,
				createdAt: now,
				updatedAt: now,
			})
			.run();
		replaceMembers(db, id, input.memberIds);
		indexTeam(db, { id, name: input.name, description: input.description });
	});
	const team = getTeam(db, id);
	return team ? ok(team) : fail("internal", "Team vanished after it was created.");
}

export function updateTeam(db: AccountDb, id: string, changes: TeamChanges, now: Date): Result<TeamRecord> {
	const current = getTeam(db, id);
	if (!current) return fail("not_found", "No such team.");
	if (changes.name !== undefined && nameTaken(db, changes.name, id)) {
		return fail("conflict", `A team named "${changes.name}" already exists.`);
	}
	const memberIds = changes.memberIds ?? current.memberIds;
	const coordinatorId = changes.coordinatorId === undefined ? current.coordinatorId : changes.coordinatorId;
	const problem = coordinatorProblem(coordinatorId, memberIds);
	if (problem) return fail("invalid_input", problem, [{ path: "coordinatorId", message: problem }]);
	transaction(db, () => {
		const [row] = db
			.update(teams)
			.set({
				name: changes.name,
				nameKey: changes.name?.toLowerCase(),
				description: changes.description,
				coordinatorId,
				updatedAt: now,
			})
			.where(eq(teams.id, id))
			.returning()
			.all();
		if (row) indexTeam(db, row);
		if (changes.memberIds) replaceMembers(db, id, changes.memberIds);
	});
	const team = getTeam(db, id);
	return team ? ok(team) : fail("internal", "Team vanished after it was updated.");
}

export function deleteTeam(db: AccountDb, id: string): Result<{ id: string }> {
	const removed = transaction(db, () => {
		db.delete(teamMembers).where(eq(teamMembers.teamId, id)).run();
		unindexTeam(db, id);
		return db.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id }).all();
	});
	return removed.length === 1 ? ok({ id }) : fail("not_found", "No such team.");
}

/** A person left the account: they leave all its teams, and stop coordinating any. */
export function removePersonFromTeams(db: AccountDb, personId: string, now: Date): number {
	return transaction(db, () => {
		const memberships = db.delete(teamMembers).where(eq(teamMembers.personId, personId)).returning().all();
		db.update(teams).set({ coordinatorId: null, updatedAt: now }).where(eq(teams.coordinatorId, personId)).run();
		return memberships.length;
	});
}

/** The teams a person is a member of. */
export function teamIdsOf(db: AccountDb, personId: string): string[] {
	return teamIdsStatement(db).all({ personId }).map((r) => r.teamId);
}

/** Asked for every person acting on a request: built once. */
const teamIdsStatement = statements((db) => db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.personId, sql.placeholder("personId"))).prepare());

/** A team of this account and, when given, whether the person is one of its members. */
export function teamWithMember(db: AccountDb, teamId: string, personId?: string): { name: string; hasMember: boolean } | undefined {
	const team = db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId)).get();
	if (!team) return undefined;
	const hasMember = personId === undefined || db.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.personId, personId))).get() !== undefined;
	return { name: team.name, hasMember };
}

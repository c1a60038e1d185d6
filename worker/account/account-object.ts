// AccountObject: one Durable Object per account. A thin shell: it owns the account's SQLite
// database (migrated once per start) and exposes the account's operations as RPC methods, each a
// call into a plain domain module. The Worker has already authenticated the caller and checked
// their permission; methods here enforce the account's own invariants.
import { DurableObject } from "cloudflare:workers";
import migrations from "../../migrations/account/migrations.js";
import type { UpdatePortalDesignInput } from "../shared/api";
import { fail, ok, type Result } from "../lib/result";
import { accountDb, type AccountDb } from "./db";
import { migrate } from "./migrate";
import * as profile from "./profile";
import * as teams from "./teams";

export type { AccountProfile } from "./profile";
export type { TeamRecord, TeamChanges, NewTeam } from "./teams";

export class AccountObject extends DurableObject<Env> {
	readonly #db: AccountDb;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#db = accountDb(ctx.storage);
		// Runs before any call is delivered. A diverging migration history throws here, which
		// resets the object: it refuses to serve rather than run on an unknown schema.
		void ctx.blockConcurrencyWhile(async () => {
			migrate(ctx.storage, migrations);
		});
	}

	// ── Profile and portal design ─────────────────────────────────────────

	/** Creates the account's profile on first call; idempotent. */
	async initialize(input: { accountId: string; portalTitle: string; timeZone?: string }): Promise<profile.AccountProfile> {
		return profile.initializeProfile(this.#db, input, new Date());
	}

	/** The profile, or null when the account was never initialized. */
	async getProfile(): Promise<profile.AccountProfile | null> {
		return profile.readProfile(this.#db) ?? null;
	}

	async updateDesign(input: UpdatePortalDesignInput): Promise<Result<profile.AccountProfile>> {
		const current = profile.readProfile(this.#db);
		if (!current) return fail("not_found", "No such account.");
		const updated = profile.updateDesign(this.#db, current.id, input, new Date());
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	async updateTimeZone(timeZone: string): Promise<Result<profile.AccountProfile>> {
		const current = profile.readProfile(this.#db);
		if (!current) return fail("not_found", "No such account.");
		const updated = profile.updateTimeZone(this.#db, current.id, timeZone, new Date());
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	// ── Teams ─────────────────────────────────────────────────────────────

	async listTeams(): Promise<teams.TeamRecord[]> {
		return teams.listTeams(this.#db);
	}

	async getTeam(id: string): Promise<Result<teams.TeamRecord>> {
		const team = teams.getTeam(this.#db, id);
		return team ? ok(team) : fail("not_found", "No such team.");
	}

	async createTeam(input: teams.NewTeam): Promise<Result<teams.TeamRecord>> {
		return teams.createTeam(this.#db, input, new Date());
	}

	async updateTeam(id: string, changes: teams.TeamChanges): Promise<Result<teams.TeamRecord>> {
		return teams.updateTeam(this.#db, id, changes, new Date());
	}

	async deleteTeam(id: string): Promise<Result<{ id: string }>> {
		return teams.deleteTeam(this.#db, id);
	}

	/** Called when a person leaves the account. Returns the number of teams they left. */
	async removePersonFromTeams(personId: string): Promise<number> {
		return teams.removePersonFromTeams(this.#db, personId, new Date());
	}
}

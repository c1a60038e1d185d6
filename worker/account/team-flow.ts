// Team changes that change who sees what, over the account's context (context.ts): whoever joins
// or leaves a team sees other requests now, so their open sockets are closed, to come back with a
// ticket for what they may see now (see SocketHub.closeFor). The records are kept in teams.ts.
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import type { Result } from "../lib/result";
import type { AccountContext } from "./context";
import * as teams from "./teams";

export async function createTeam(ctx: AccountContext, input: teams.NewTeam, idem?: IdempotencyContext): Promise<Replayable<teams.TeamRecord>> {
	const result = ctx.commit(idem, (now) => teams.createTeam(ctx.db, input, new Date(now)));
	if (result.ok && !result.replayed) ctx.hub.closeFor(result.value.memberIds);
	return result;
}

export async function updateTeam(ctx: AccountContext, id: string, changes: teams.TeamChanges): Promise<Result<teams.TeamRecord>> {
	const before = teams.getTeam(ctx.db, id)?.memberIds ?? [];
	const result = teams.updateTeam(ctx.db, id, changes, new Date(ctx.now()));
	if (result.ok) {
		const after = result.value.memberIds;
		ctx.hub.closeFor([...before.filter((p) => !after.includes(p)), ...after.filter((p) => !before.includes(p))]);
	}
	return result;
}

export async function deleteTeam(ctx: AccountContext, id: string): Promise<Result<{ id: string }>> {
	const members = teams.getTeam(ctx.db, id)?.memberIds ?? [];
	const result = teams.deleteTeam(ctx.db, id);
	if (result.ok) ctx.hub.closeFor(members);
	return result;
}

/** Called when a person leaves the account. Returns the number of teams they left. */
export async function removePersonFromTeams(ctx: AccountContext, personId: string): Promise<number> {
	ctx.hub.closeFor([personId]);
	return teams.removePersonFromTeams(ctx.db, personId, new Date(ctx.now()));
}

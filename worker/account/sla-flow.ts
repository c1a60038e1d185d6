// The SLA commands of an account, over its context (context.ts): each is checked and committed in
// slas.ts with the account's SLA context (who acts, when, in which time zone); then the sockets
// hear of it, and a change that queued messages for the customer is delivered.
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import type { Result } from "../lib/result";
import type { CreateSlaInput, SlaAction, UpdateSlaInput } from "../shared/service-api";
import type { AccountContext } from "./context";
import * as idempotency from "./idempotency";
import * as slas from "./slas";

export async function createSla(ctx: AccountContext, input: CreateSlaInput, customerName: string, actor: string, idem?: IdempotencyContext): Promise<Replayable<slas.SlaRecord>> {
	const sla = slaContext(ctx, actor);
	const result = idempotency.commit(ctx.db, idem, sla.now, () => slas.createSla(ctx.db, input, customerName, sla));
	ctx.hub.push();
	return result;
}

export async function updateSla(ctx: AccountContext, id: string, input: UpdateSlaInput, actor: string): Promise<Result<slas.SlaRecord>> {
	const result = slas.updateSla(ctx.db, id, input, slaContext(ctx, actor));
	await ctx.afterWrite();
	return result;
}

export async function actOnSla(ctx: AccountContext, id: string, action: SlaAction, actor: string, idem?: IdempotencyContext): Promise<Replayable<slas.SlaRecord>> {
	const sla = slaContext(ctx, actor);
	const result = idempotency.commit(ctx.db, idem, sla.now, () => slas.actOnSla(ctx.db, id, action, sla));
	await ctx.afterWrite();
	return result;
}

function slaContext(ctx: AccountContext, actor: string): slas.SlaContext {
	return { self: ctx.self(), now: ctx.now(), timeZone: ctx.timeZone(), actor };
}

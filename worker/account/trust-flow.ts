// The trust commands of an account, over its context (context.ts): the handshake's commands as
// this account's administrators give them (trusts.ts decides and records), the guard that keeps a
// trust from ending while SLAs stand on it, and what ending it sets off (message-handler.ts).
import { directory } from "../db/client";
import { administratorIds } from "../db/people";
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import { fail, ok, type Result } from "../lib/result";
import type { AccountContext } from "./context";
import { transaction } from "./db";
import * as idempotency from "./idempotency";
import { onTrustEnded } from "./message-handler";
import * as notifications from "./notifications";
import * as received from "./received";
import * as slas from "./slas";
import type { TrustCommand } from "./trust-machine";
import * as trusts from "./trusts";

/** A trust as this account sees it, with the SLAs that stand in the way of ending it. */
export type TrustView = trusts.TrustRecord & { activeSlaCount: number };

export async function listTrusts(ctx: AccountContext): Promise<TrustView[]> {
	return trusts.listTrusts(ctx.db).map((t) => trustView(ctx, t));
}

export async function getTrust(ctx: AccountContext, other: string): Promise<Result<TrustView>> {
	const t = trusts.getTrust(ctx.db, other);
	return t ? ok(trustView(ctx, t)) : fail("not_found", `No trust with ${other}.`);
}

/**
 * A person of this account acts in the handshake with `other`. `personId` is theirs: the
 * account's other administrators hear of a trust becoming active or ending; they do not.
 */
export async function commandTrust(
	ctx: AccountContext,
	other: string,
	command: TrustCommand,
	{ personId, ...actor }: trusts.TrustActor & { personId?: string | undefined },
	idem?: IdempotencyContext,
): Promise<Replayable<TrustView>> {
	const self = ctx.self();
	// Asked before the (synchronous) commit; trust commands are rare, so always.
	const administrators = await administratorIds(directory(ctx.env.DB), self);
	if (command.type === "deactivate") {
		const current = trusts.getTrust(ctx.db, other);
		const live = current ? trustView(ctx, current).activeSlaCount : 0;
		if (current?.status === "active" && live > 0) {
			return fail(
				"conflict",
				current.ourRole === "provider"
					? `${live} SLA${live === 1 ? " is" : "s are"} still active or scheduled for ${other}. Expire ${live === 1 ? "it" : "them"} first.`
					: `${other} still provides ${live} active or scheduled SLA${live === 1 ? "" : "s"} to this account. Ask ${other} to expire ${live === 1 ? "it" : "them"} first.`,
			);
		}
	}
	const result = idempotency.commit(ctx.db, idem, ctx.now(), () => {
		const before = trusts.trustStatus(ctx.db, other);
		const changed = trusts.commandTrust(ctx.db, self, other, command, actor, ctx.now());
		if (changed.ok && before?.status === "active" && changed.value.status !== "active") {
			transaction(ctx.db, () => onTrustEnded(ctx.db, self, other, changed.value.ourRole, "us", ctx.now(), ctx.timeZone(), ctx.jobs.appContext()));
		}
		if (changed.ok) {
			const change = { before: before?.status, after: changed.value.status, asked: false };
			notifications.notifyTrustChange(ctx.db, self, other, change, { personId: personId ?? null, name: actor.name }, administrators, ctx.now());
		}
		return changed.ok ? ok(trustView(ctx, changed.value)) : changed;
	});
	await ctx.afterWrite();
	return result;
}

function trustView(ctx: AccountContext, t: trusts.TrustRecord): TrustView {
	const activeSlaCount =
		t.ourRole === "provider" ? slas.liveSlaCount(ctx.db, t.otherAccountId) : received.liveReceivedCount(ctx.db, t.otherAccountId);
	return { ...t, activeSlaCount };
}


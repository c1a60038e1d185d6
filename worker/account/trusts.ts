// This account's side of its trusts: persistence and history around the handshake machine.
import { asc, eq, sql } from "drizzle-orm";
import { fail, ok, type Result } from "../lib/result";
import type { TrustCapabilities, TrustHistoryEntry, TrustRole, TrustStatus } from "../shared/trust-api";
import { statements, transaction, type AccountDb } from "./db";
import { enqueue } from "./messaging";
import { appendInvalidation } from "./realtime";
import { trustEvents, trusts } from "./schema";
import { apply, decide, type TrustCommand, type TrustMessage, type TrustState } from "./trust-machine";

export const TRUST_MESSAGE = "trust";

/** Who acted, as both sides' histories show it. */
export interface TrustActor {
	name: string;
	accountId: string;
}

export type TrustPayload = TrustMessage & { actor: TrustActor };

export interface TrustRecord {
	otherAccountId: string;
	ourRole: TrustRole;
	status: TrustStatus;
	initiatedBy: "us" | "them";
	capabilities: TrustCapabilities;
	proposedCapabilities: TrustCapabilities | null;
	proposedBy: "us" | "them" | null;
	createdAt: string;
	updatedAt: string;
	history: TrustHistoryEntry[];
}

function readState(db: AccountDb, other: string): (TrustState & { createdAt: Date; updatedAt: Date }) | undefined {
	const row = db.select().from(trusts).where(eq(trusts.otherAccountId, other)).get();
	if (!row) return undefined;
	return {
		round: row.round,
		ourRole: row.ourRole,
		status: row.status,
		initiatedBy: row.initiatedBy,
		capabilities: row.capabilities as TrustCapabilities,
		proposedCapabilities: (row.proposedCapabilities as TrustCapabilities | null) ?? null,
		proposedBy: row.proposedBy ?? null,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt,
	};
}

export function trustStatus(db: AccountDb, other: string): { ourRole: TrustRole; status: TrustStatus } | undefined {
	return trustStatusStatement(db).get({ other });
}

/** Asked on nearly every cross-account step (is the trust still active?): built once. */
const trustStatusStatement = statements((db) =>
	db.select({ ourRole: trusts.ourRole, status: trusts.status }).from(trusts).where(eq(trusts.otherAccountId, sql.placeholder("other"))).prepare(),
);

/** True when `other` is an active trust in which this account has `role`. */
export function isActiveTrust(db: AccountDb, other: string, role: TrustRole): boolean {
	const t = trustStatus(db, other);
	return t?.status === "active" && t.ourRole === role;
}

function historyOf(db: AccountDb, other: string): TrustHistoryEntry[] {
	return db
		.select()
		.from(trustEvents)
		.where(eq(trustEvents.otherAccountId, other))
		.orderBy(asc(trustEvents.id))
		.all()
		.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: { name: e.actorName, accountId: e.actorAccountId }, detail: e.detail }));
}

function toRecord(db: AccountDb, other: string): TrustRecord | undefined {
	const s = readState(db, other);
	if (!s) return undefined;
	return {
		otherAccountId: other,
		ourRole: s.ourRole,
		status: s.status,
		initiatedBy: s.initiatedBy,
		capabilities: s.capabilities,
		proposedCapabilities: s.proposedCapabilities,
		proposedBy: s.proposedBy,
		createdAt: s.createdAt.toISOString(),
		updatedAt: s.updatedAt.toISOString(),
		history: historyOf(db, other),
	};
}

export function getTrust(db: AccountDb, other: string): TrustRecord | undefined {
	return toRecord(db, other);
}

export function listTrusts(db: AccountDb): TrustRecord[] {
	return db
		.select({ other: trusts.otherAccountId })
		.from(trusts)
		.orderBy(asc(trusts.otherAccountId))
		.all()
		.flatMap((r) => toRecord(db, r.other) ?? []);
}

/** Saves a new state with its history entry and outgoing messages: one transaction. */
function commit(
	db: AccountDb,
	other: string,
	next: TrustState | undefined,
	action: string | null,
	detail: string | undefined,
	send: TrustMessage[],
	actor: TrustActor,
	now: number,
	sendAs: TrustActor = actor,
): void {
	if (!next || (action === null && send.length === 0)) return;
	const before = trustStatus(db, other)?.status;
	const at = new Date(now);
	const values = {
		round: next.round,
		ourRole: next.ourRole,
		status: next.status,
		initiatedBy: next.initiatedBy,
		capabilities: next.capabilities,
		proposedCapabilities: next.proposedCapabilities,
		proposedBy: next.proposedBy,
		updatedAt: at,
	};
	db.insert(trusts)
		.values({ otherAccountId: other, createdAt: at, ...values })
		.onConflictDoUpdate({ target: trusts.otherAccountId, set: values })
		.run();
	if (action !== null) {
		db.insert(trustEvents).values({ otherAccountId: other, at, action, actorName: actor.name, actorAccountId: actor.accountId, detail: detail ?? null }).run();
	}
	for (const msg of send) enqueue(db, other, TRUST_MESSAGE, { ...msg, actor: sendAs } satisfies TrustPayload, now);
	// Live: both sides' Trusts pages (each side commits its own row), and a customer's catalog
	// when a provider starts or stops serving it.
	appendInvalidation(db, "trusts", other, now);
	if (next.ourRole === "customer" && (before === "active") !== (next.status === "active")) appendInvalidation(db, "catalog", null, now);
}

/** A person of this account acts on the trust with `other`. */
export function commandTrust(db: AccountDb, self: string, other: string, cmd: TrustCommand, actor: TrustActor, now: number): Result<TrustRecord> {
	if (other === self) return fail("invalid_input", "An account cannot trust itself.", [{ path: "accountId", message: "That is this account." }]);
	const decision = decide(self, other, readState(db, other), cmd);
	if (!decision.ok) return fail(decision.code, decision.message);
	const { state, action, send } = decision.outcome;
	transaction(db, () => commit(db, other, state, action, undefined, send, actor, now));
	const record = toRecord(db, other);
	return record ? ok(record) : fail("not_found", `No trust with ${other}.`);
}

/**
 * A trust message from `from`, inside the receiver's transaction. Returns the status before and
 * after, so the caller can react (a provider ends its SLAs when the trust ends).
 */
export function applyTrustMessage(db: AccountDb, self: string, from: string, payload: TrustPayload, now: number): { before: TrustStatus | undefined; after: TrustStatus | undefined; ourRole: TrustRole | undefined } {
	const { actor, ...msg } = payload;
	if (msg.type === "requested" && !((msg.customer === self && msg.provider === from) || (msg.provider === self && msg.customer === from))) {
		throw new Error(`A trust request from ${from} must name ${from} and ${self} as its two parties.`);
	}
	const before = readState(db, from);
	const outcome = apply(self, from, before, msg as TrustMessage);
	// Replies the rules send on their own (crossing requests) are signed by this account, not by
	// the person on the other side whose message caused them.
	const automatic: TrustActor = { name: "Trustdesk, automatically", accountId: self };
	commit(db, from, outcome.state, outcome.action, outcome.detail, outcome.send, { name: actor.name, accountId: actor.accountId }, now, automatic);
	const after = readState(db, from);
	return { before: before?.status, after: after?.status, ourRole: after?.ourRole };
}

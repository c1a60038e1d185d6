// Who may read a provider's SLA report of one customer, and how the trust between the two stands.
//
// A customer keeps its history after offboarding: the provider still computes its report (the
// provider keeps the clocks), read-only, for every account that is or was its customer under a
// trust *and* had SLAs from it that were active at some time. What that excludes, on purpose:
// an account with no trust at all, one whose trust request was only ever pending, rejected or
// cancelled (no SLA can be created, let alone activated, without an active trust), and a former
// customer whose SLAs never went live (it has no history to keep). Reading a report registers
// nothing and reaches nothing but the clocks of that one customer.
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { SlaReportTrust } from "../shared/sla-api";
import type { AccountDb } from "./db";
import { receivedSlas, slaEvents, slas, trustEvents } from "./schema";
import { trustStatus } from "./trusts";

/** The trust actions that end an active trust, on either side (see trust-machine.ts). */
const ENDINGS = ["deactivated", "cancelled"];

/** Provider side: did any SLA of this account for `customer` ever become active? */
function hadLiveSlas(db: AccountDb, customer: string): boolean {
	const row = db
		.select({ id: slaEvents.id })
		.from(slaEvents)
		.innerJoin(slas, eq(slas.id, slaEvents.slaId))
		.where(and(eq(slas.customerAccountId, customer), eq(slaEvents.toStatus, "active")))
		.limit(1)
		.get();
	return row !== undefined;
}

/**
 * When the trust with `other` last stopped being active: the first ending after the last time it
 * was accepted (a later request that was only cancelled or rejected ends nothing).
 */
function lastEndedAt(db: AccountDb, other: string): Date | null {
	const accepted = db
		.select({ id: trustEvents.id })
		.from(trustEvents)
		.where(and(eq(trustEvents.otherAccountId, other), eq(trustEvents.action, "accepted")))
		.orderBy(desc(trustEvents.id))
		.limit(1)
		.get();
	const row = db
		.select({ at: trustEvents.at })
		.from(trustEvents)
		.where(and(eq(trustEvents.otherAccountId, other), inArray(trustEvents.action, ENDINGS), gt(trustEvents.id, accepted?.id ?? 0)))
		.orderBy(asc(trustEvents.id))
		.limit(1)
		.get();
	return row?.at ?? null;
}

/**
 * Provider side: how this account stands with `customer` for reporting, or null when `customer`
 * may not read this account's report (a stranger, an account that never had a live SLA here).
 * An active trust reads as it always did, even before any SLA; an ended one only with history.
 */
export function customerStanding(db: AccountDb, customer: string): SlaReportTrust | null {
	const trust = trustStatus(db, customer);
	if (!trust) return null;
	if (trust.status === "active" && trust.ourRole === "provider") return { status: "active", endedAt: null };
	if (!hadLiveSlas(db, customer)) return null;
	const ended = lastEndedAt(db, customer);
	return { status: "ended", endedAt: ended ? ended.toISOString() : null };
}

/**
 * Customer side: may this account ask `provider` for its report at all? Only of a provider it
 * trusts now, or one that once gave it SLAs. The provider decides for itself again
 * (customerStanding): this only keeps the customer's object from asking arbitrary accounts.
 */
export function mayAskProvider(db: AccountDb, provider: string): boolean {
	const trust = trustStatus(db, provider);
	if (!trust) return false;
	if (trust.status === "active" && trust.ourRole === "customer") return true;
	return db.select({ id: receivedSlas.slaId }).from(receivedSlas).where(eq(receivedSlas.providerAccountId, provider)).limit(1).get() !== undefined;
}

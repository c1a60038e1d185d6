// SLAs other accounts provide to this one: a read model, changed only by their messages.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { AccountDb } from "./db";
import { appendInvalidation } from "./realtime";
import { receivedSlas } from "./schema";
import type { SlaPayload } from "./slas";
import { trustStatus } from "./trusts";

export interface ReceivedSlaRecord extends SlaPayload {
	providerAccountId: string;
	updatedAt: string;
}

/** Inside the receiver's transaction. */
export function applySlaMessage(db: AccountDb, from: string, p: SlaPayload, now: number): void {
	// Only a provider this account trusts, or trusted until just now (its SLAs end with the trust
	// and it reports that after the deactivation).
	const trust = trustStatus(db, from);
	if (trust?.ourRole !== "customer" || (trust.status !== "active" && trust.status !== "deactivated")) {
		throw new Error(`${from} is not a provider of this account.`);
	}
	const before = db
		.select({ status: receivedSlas.status })
		.from(receivedSlas)
		.where(and(eq(receivedSlas.providerAccountId, from), eq(receivedSlas.slaId, p.slaId)))
		.get()?.status;
	const values = {
		name: p.name,
		serviceName: p.serviceName,
		offeringName: p.offeringName,
		status: p.status,
		startDate: p.startDate,
		noticeDate: p.noticeDate,
		expiryDate: p.expiryDate,
		updatedAt: new Date(now),
	};
	db.insert(receivedSlas)
		.values({ providerAccountId: from, slaId: p.slaId, ...values })
		.onConflictDoUpdate({ target: [receivedSlas.providerAccountId, receivedSlas.slaId], set: values })
		.run();
	appendInvalidation(db, "received_slas", p.slaId, now);
	// The catalog lists active SLAs only (and whom they cover, which may change while active).
	if (before === "active" || p.status === "active") appendInvalidation(db, "catalog", null, now);
}

export function listReceivedSlas(db: AccountDb): ReceivedSlaRecord[] {
	return db
		.select()
		.from(receivedSlas)
		.orderBy(asc(receivedSlas.providerAccountId), asc(receivedSlas.name))
		.all()
		.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
}

/** Active or scheduled SLAs from a provider, as last reported: what stands in the way of ending the trust. */
export function liveReceivedCount(db: AccountDb, provider: string): number {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(receivedSlas)
			.where(and(eq(receivedSlas.providerAccountId, provider), inArray(receivedSlas.status, ["active", "scheduled_for_activation"])))
			.get()?.n ?? 0
	);
}

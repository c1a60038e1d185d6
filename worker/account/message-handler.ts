// What an AccountObject does with each kind of message from another account. Runs inside the
// receiver's transaction (see messaging.receive): throwing refuses the message, and the sender
// retries it later or parks it.
import { z } from "zod";
import { RequestNote, RequestSummary } from "../shared/request-api";
import { AffectedSla } from "../shared/sla-api";
import { AFFECTED_SLA_MESSAGE, applyAffectedSlaMessage, onRequestChange, releaseCustomerClocks, releaseReportedClocks, type AffectedSlaPayload } from "./affected-slas";
import { SLA_STATUSES } from "../shared/service-api";
import { TrustCapabilities } from "../shared/trust-api";
import type { AccountDb } from "./db";
import type { Handler } from "./messaging";
import { applySlaMessage } from "./received";
import { applyRequestMessage, dropOwner, type RequestMessage } from "./inbox";
import { REQUEST_MESSAGE, returnFromProvider } from "./requests";
import { endSlasForCustomer, SLA_MESSAGE, type SlaPayload } from "./slas";
import { applyTrustMessage, isActiveTrust, TRUST_MESSAGE, type TrustPayload } from "./trusts";
import { notifyTrustChange } from "./notifications";
import type { TrustRole } from "../shared/trust-api";
import { APP_MESSAGE, AppMessage, applyAtCustomer, applyAtProvider, endSubscriptionsOf, uninstallFrom, type AppContext } from "./apps";

const Actor = z.object({ name: z.string().max(200), accountId: z.string().max(64) });
const base = { round: z.string().min(1).max(100), actor: Actor };

const TrustPayloadSchema = z.discriminatedUnion("type", [
	z.object({ ...base, type: z.literal("requested"), customer: z.string(), provider: z.string(), capabilities: TrustCapabilities }),
	z.object({ ...base, type: z.literal("accepted"), capabilities: TrustCapabilities }),
	z.object({ ...base, type: z.literal("rejected") }),
	z.object({ ...base, type: z.literal("cancelled") }),
	z.object({ ...base, type: z.literal("deactivated") }),
	z.object({ ...base, type: z.literal("capabilities_proposed"), capabilities: TrustCapabilities }),
	z.object({ ...base, type: z.literal("capabilities_accepted"), capabilities: TrustCapabilities }),
	z.object({ ...base, type: z.literal("capabilities_rejected") }),
]) satisfies z.ZodType<TrustPayload>;

const SlaPayloadSchema = z.object({
	slaId: z.string().max(64),
	name: z.string().max(200),
	serviceName: z.string().max(200),
	offeringName: z.string().max(200),
	status: z.enum(SLA_STATUSES),
	startDate: z.string().max(10),
	noticeDate: z.string().max(10).nullable(),
	expiryDate: z.string().max(10).nullable(),
}) satisfies z.ZodType<SlaPayload>;

const RequestMessageSchema = z.object({
	kind: z.enum(["request.created", "request.updated", "note.added", "request.removed"]),
	request: RequestSummary,
	note: RequestNote.nullable(),
	actor: z.object({ personId: z.string().max(64), accountId: z.string().max(64), name: z.string().max(200) }).nullish(),
}) satisfies z.ZodType<RequestMessage>;

const AffectedSlaPayloadSchema = z.object({ requestId: z.string().max(64), items: z.array(AffectedSla).max(50) }) satisfies z.ZodType<AffectedSlaPayload>;

/**
 * A trust stopped being active, by our command (`endedBy` "us") or their message ("them"). A
 * provider's access ends at once: its SLAs for the customer end and the customer's requests leave
 * its Inbox (their clocks stay, no longer counted); a customer takes back the open requests the
 * provider's teams had, marked "returned" with the reason. The provider's SLA history of the
 * customer stays readable by both (report-access.ts).
 */
export function onTrustEnded(db: AccountDb, self: string, other: string, ourRole: TrustRole, endedBy: "us" | "them", now: number, timeZone: string, appContext: AppContext): void {
	if (ourRole === "provider") {
		endSlasForCustomer(db, other, now, timeZone);
		dropOwner(db, other, now);
		releaseCustomerClocks(db, other, now, timeZone);
		endSubscriptionsOf(db, other, now, appContext.deliver);
	} else {
		returnFromProvider(db, self, other, endedBy, now);
		releaseReportedClocks(db, other, now);
		// The provider's apps lose access here: their tokens are revoked right after this transaction.
		uninstallFrom(db, other, now);
	}
}

/**
 * `administrators`: this account's administrators, from the directory, read before the envelope
 * is applied (only when it carries trust messages: they hear of the other side's acts).
 */
export function messageHandler(db: AccountDb, self: string, now: number, timeZone: string, appContext: AppContext, administrators: readonly string[] = []): Handler {
	return (from, kind, payload) => {
		switch (kind) {
			case TRUST_MESSAGE: {
				const trustPayload = TrustPayloadSchema.parse(payload);
				const change = applyTrustMessage(db, self, from, trustPayload, now);
				// The actor is the other account's person: nobody here to leave out.
				notifyTrustChange(db, self, from, { before: change.before, after: change.after, asked: trustPayload.type === "requested" }, { name: trustPayload.actor.name }, administrators, now);
				// The other side ended the trust (normally with no SLA left: ending a trust is refused
				// while SLAs are live, but the two may cross).
				if (change.ourRole && change.before === "active" && change.after !== "active") onTrustEnded(db, self, from, change.ourRole, "them", now, timeZone, appContext);
				return;
			}
			case REQUEST_MESSAGE: {
				const msg = RequestMessageSchema.parse(payload);
				const trusted = isActiveTrust(db, from, "provider");
				if (trusted && msg.request.owner.id === from) {
					// This account's SLA clocks follow the change first: the Inbox sorts by their next target.
					const next = onRequestChange(db, self, msg.request, now, timeZone);
					msg.request = { ...msg.request, nextTargetAt: next === null ? null : new Date(next).toISOString() };
				}
				applyRequestMessage(db, self, from, msg, trusted, now);
				return;
			}
			case AFFECTED_SLA_MESSAGE:
				if (!isActiveTrust(db, from, "customer")) return; // a provider's word counts only while we trust it
				applyAffectedSlaMessage(db, self, from, AffectedSlaPayloadSchema.parse(payload), now);
				return;
			case SLA_MESSAGE:
				applySlaMessage(db, from, SlaPayloadSchema.parse(payload), now);
				return;
			case APP_MESSAGE: {
				const msg = AppMessage.parse(payload);
				if (msg.type === "offering_updated") applyAtCustomer(db, from, msg, appContext.policy, now);
				else applyAtProvider(db, from, msg, now, appContext.deliver);
				return;
			}
			default:
				throw new Error(`Unknown message kind "${kind}".`);
		}
	};
}

// The events an account's webhooks can subscribe to, and what each one carries. Payloads are
// thin: what happened and to what, as the receiving account sees it, with `links` to the API for
// the rest (fetched with the account's own token, so the API's access rules decide what more an
// integration reads). A request visible in two accounts fires each account's own webhooks, each
// from its own transaction; an internal note is only ever an event of the account that wrote it.
import type { RequestChange } from "../account/notifications";
import type { TrustStatus } from "../shared/trust-api";

export const EVENT_TYPES = [
	"request.created",
	"request.status_changed",
	"request.note_added",
	"request.assigned",
	"sla.warning",
	"sla.breached",
	"trust.requested",
	"trust.accepted",
	"trust.deactivated",
	"webhook.test",
] as const;
export type CatalogEventType = (typeof EVENT_TYPES)[number];

export const EVENT_LABELS: Record<CatalogEventType, string> = {
	"request.created": "A request is registered (or reaches this account's team for the first time)",
	"request.status_changed": "A request's status changes",
	"request.note_added": "A note is added to a request (internal notes: only the writing account's)",
	"request.assigned": "A request is assigned to a team or member",
	"sla.warning": "An SLA target of a request this account works on is approaching",
	"sla.breached": "An SLA target of a request this account works on is breached",
	"trust.requested": "Another account asks for a trust",
	"trust.accepted": "A trust becomes active",
	"trust.deactivated": "A trust ends",
	"webhook.test": "A test event, sent on demand",
};

/** `app.*` is reserved for apps (their own events, such as the installation handing over a token). */
export const APP_EVENT = /^app\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

export function isEventType(type: string): boolean {
	return (EVENT_TYPES as readonly string[]).includes(type) || APP_EVENT.test(type);
}

/** A subscription entry: an event type, a family wildcard (`request.*`, `app.*`), or `*`. */
export function isEventFilter(filter: string): boolean {
	if (filter === "*") return true;
	if (filter.endsWith(".*")) {
		const family = filter.slice(0, -2);
		return family === "app" || EVENT_TYPES.some((t) => t.startsWith(`${family}.`));
	}
	return isEventType(filter);
}

export function matches(filters: readonly string[], type: string): boolean {
	return filters.some((f) => f === "*" || f === type || (f.endsWith(".*") && type.startsWith(f.slice(0, -1))));
}

/** What an event says; the envelope ({type, timestamp, data}) is added when it is queued. */
export interface WebhookEvent {
	type: string;
	data: Record<string, unknown>;
}

const api = (self: string) => `/api/v1/accounts/${self}`;

function requestData(self: string, s: RequestChange["request"]): Record<string, unknown> {
	return {
		request: {
			id: s.id,
			number: s.number,
			owner: s.owner,
			subject: s.subject,
			status: s.status,
			impact: s.impact,
			team: s.team && { accountId: s.team.accountId, id: s.team.id, name: s.team.name },
			member: s.member && { id: s.member.id, name: s.member.name },
			updatedAt: s.updatedAt,
		},
		links: { request: `${api(self)}/requests/${s.id}` },
	};
}

/**
 * The events of one request change as `self` sees it (the same facts notifyRequestChange tells
 * people of). New to this account: created; otherwise a status change, a note, an assignment to
 * this account's team or member. An internal note here is this account's own (the other
 * account's internal notes never reach it).
 */
export function requestEvents(self: string, change: RequestChange): WebhookEvent[] {
	const { before, request: s, note, actor } = change;
	const base = requestData(self, s);
	const by = actor ? { actor: { name: actor.name, accountId: actor.accountId } } : {};
	const out: WebhookEvent[] = [];
	if (before === null) {
		out.push({ type: "request.created", data: { ...base, ...by } });
		return out;
	}
	if (before.status !== s.status) out.push({ type: "request.status_changed", data: { ...base, ...by, previousStatus: before.status } });
	if (note) {
		out.push({
			type: "request.note_added",
			data: { ...base, ...by, note: { id: note.id, visibility: note.visibility, account: note.account, createdAt: note.createdAt } },
		});
	}
	const teamChanged = before.teamAccountId !== (s.team?.accountId ?? null) || before.teamId !== (s.team?.id ?? null);
	const memberChanged = before.memberId !== (s.member?.id ?? null);
	if (s.team && (teamChanged || memberChanged)) out.push({ type: "request.assigned", data: { ...base, ...by } });
	return out;
}

export function slaEvent(
	self: string,
	event: { kind: "warning" | "breach"; text: string; request: { id: string; number: number; accountId: string; subject: string }; slaName: string },
): WebhookEvent {
	return {
		type: event.kind === "warning" ? "sla.warning" : "sla.breached",
		data: {
			request: { id: event.request.id, number: event.request.number, owner: { id: event.request.accountId }, subject: event.request.subject },
			sla: { name: event.slaName },
			target: event.text,
			links: { request: `${api(self)}/requests/${event.request.id}` },
		},
	};
}

export function trustEvent(self: string, other: string, change: { before: TrustStatus | undefined; after: TrustStatus | undefined; asked: boolean }): WebhookEvent | null {
	let type: CatalogEventType | null = null;
	if (change.asked && change.after === "pending") type = "trust.requested";
	else if (change.before !== "active" && change.after === "active") type = "trust.accepted";
	else if (change.before === "active" && change.after !== "active") type = "trust.deactivated";
	if (!type) return null;
	return { type, data: { trust: { accountId: other, status: change.after ?? null }, links: { trust: `${api(self)}/trusts/${other}` } } };
}

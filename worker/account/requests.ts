// Requests registered in this account: creating them, changing them under the rules of
// shared/request-machine.ts, and reading them as each kind of person may. Every change is committed
// once, here, with its audit trail, the event for this account's sockets and, when another
// account's team works on the request, the message that refreshes that account's Inbox.
import { and, asc, desc, eq, gt, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { pageFrom, readCursor } from "../lib/cursor";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import type { AuditEntry, CompletionReason, EventMark, InboxPage, InboxQuery, MyRequestsQuery, Request, RequestNote, RequestStatus, RequestSummary } from "../shared/request-api";
import { placeholders, statements, stored, transaction, type AccountDb } from "./db";
import { audienceOfSummary, indexRequest } from "./inbox";
import { enqueue } from "./messaging";
import { notifyRequestChange, type ChangeActor, type RequestBefore } from "./notifications";
import { allowedActions, checkTransition, label, statusAfterCustomerAnswer, type RequestRole } from "../shared/request-machine";
import { appendEvent, type Audience, type EventKind } from "./realtime";
import { filterConditions, type FilterColumns } from "./request-filters";
import { requestAudit, requestNotes, requests } from "./schema";
import { attachToNote, checkAttachable, filesByNote } from "./attachments";
import { indexOwnRequest } from "./search";
import { isActiveTrust } from "./trusts";

export const REQUEST_MESSAGE = "request";

type Row = typeof requests.$inferSelect;

/** What the owner tells the account whose team works on the request. */
export interface RequestPayload {
	kind: EventKind;
	request: RequestSummary;
	/** A shared note that was just added (never an internal one). */
	note: RequestNote | null;
	/** Who made the change (their account's person), so that the other side leaves them out of its notifications. */
	actor: ChangeActor | null;
}

/** Somebody acting on a request: a person of this account, or of the account whose team works on it. */
export interface RequestActor {
	personId: string;
	name: string;
	accountId: string;
	/** Specialist, administrator or auditor of their own account. */
	staff: boolean;
	/** Ids of the teams they are a member of, in their own account. */
	teamIds: string[];
	/**
	 * An administrator, auditor or service level manager of their account: they read every request
	 * their account's teams work on (the Inbox, the SLA reports' drill-downs), and act only as members.
	 */
	overseer?: boolean | undefined;
}

/** Where a new request goes, as the providing account's SLA says. */
export interface Route {
	providerAccountId: string;
	providerName: string;
	slaId: string;
	serviceName: string;
	instance: { id: string; name: string };
	team: { accountId: string; id: string; name: string };
}

export function summaryOf(r: Row): RequestSummary {
	const iso = (d: Date | null) => (d ? d.toISOString() : null);
	return {
		id: r.id,
		number: r.number,
		owner: { id: "", name: r.ownerName },
		subject: r.subject,
		category: r.category,
		impact: r.impact,
		status: r.status,
		completionReason: (r.completionReason as CompletionReason | null) ?? null,
		requestedBy: { id: r.requestedById, name: r.requestedByName },
		requestedFor: { id: r.requestedForId, name: r.requestedForName },
		provider: r.providerAccountId ? { id: r.providerAccountId, name: r.providerName ?? r.providerAccountId } : null,
		service: { name: r.serviceName, instance: { id: r.instanceId, name: r.instanceName } },
		team: r.teamAccountId && r.teamId ? { accountId: r.teamAccountId, id: r.teamId, name: r.teamName ?? "" } : null,
		member: r.memberId ? { id: r.memberId, name: r.memberName ?? "" } : null,
		reopenCount: r.reopenCount,
		assignmentCount: r.assignmentCount,
		nextTargetAt: iso(r.nextTargetAt),
		desiredCompletionAt: iso(r.desiredCompletionAt),
		createdAt: r.createdAt.toISOString(),
		updatedAt: r.updatedAt.toISOString(),
		completedAt: iso(r.completedAt),
		returned: r.returnedAt ? { from: { id: r.returnedFromId ?? "", name: r.returnedFromName ?? r.returnedFromId ?? "" }, reason: r.returnedReason ?? "", at: r.returnedAt.toISOString() } : null,
		event: r.eventSource !== null && r.eventSourceId !== null ? { source: r.eventSource, sourceId: r.eventSourceId, ci: r.eventCi } : null,
	};
}

function summary(self: string, r: Row): RequestSummary {
	const s = summaryOf(r);
	return { ...s, owner: { id: self, name: s.owner.name } };
}

/** The summary of one of this account's requests. */
export function summaryById(db: AccountDb, self: string, id: string): RequestSummary | undefined {
	const r = getRow(db, id);
	return r && summary(self, r);
}

/**
 * The providers' reported clocks moved the request's next target (affected-slas.ts): the row
 * keeps it for sorting and this account's sockets hear of it.
 */
export function setNextTarget(db: AccountDb, self: string, requestId: string, next: number | null, now: number): void {
	const r = q(db).setNextTarget.get({ id: requestId, next });
	if (!r) return;
	const s = summary(self, r);
	appendEvent(db, { kind: "request.updated", requestId, audience: audienceOfSummary(s), request: s, note: null }, now);
}

export function audienceOf(self: string, r: Row, internal = false): Audience {
	return {
		ownerAccountId: self,
		requesterIds: [...new Set([r.requestedById, r.requestedForId])],
		teamAccountId: r.teamAccountId,
		teamId: r.teamId,
		internal,
	};
}

const getRow = (db: AccountDb, id: string) => q(db).row.get({ id });

/** The columns a new request is written with (the rest take their defaults). */
const NEW_REQUEST_COLUMNS = [
	"id",
	"number",
	"subject",
	"category",
	"impact",
	"status",
	"requestedById",
	"requestedByName",
	"requestedForId",
	"requestedForName",
	"ownerName",
	"providerAccountId",
	"providerName",
	"slaId",
	"serviceName",
	"instanceId",
	"instanceName",
	"teamAccountId",
	"teamId",
	"teamName",
	"assignmentCount",
	"eventSource",
	"eventSourceId",
	"eventCi",
	"createdAt",
	"updatedAt",
] as const satisfies readonly (keyof Row)[];

/** The request hot path's statements, built once per object (db.ts). */
const q = statements((db) => ({
	row: db.select().from(requests).where(eq(requests.id, sql.placeholder("id"))).prepare(),
	lastNumber: db.select({ n: sql<number | null>`max(${requests.number})` }).from(requests).prepare(),
	// Values through `.values(...)` are mapped as the columns say (Dates); `next` goes as epoch ms.
	setNextTarget: db
		.update(requests)
		.set({ nextTargetAt: stored("next") })
		.where(eq(requests.id, sql.placeholder("id")))
		.returning()
		.prepare(),
	// A null would reach the Date mapping: the desired completion goes as epoch ms or null.
	insert: db
		.insert(requests)
		.values({ ...placeholders(...NEW_REQUEST_COLUMNS), desiredCompletionAt: stored("desiredCompletionAt") })
		.returning()
		.prepare(),
	audit: db.insert(requestAudit).values(placeholders("requestId", "at", "actorName", "actorAccountId", "field", "fromValue", "toValue")).prepare(),
	note: db
		.insert(requestNotes)
		.values(placeholders("id", "requestId", "authorId", "authorName", "authorAccountId", "body", "internal", "createdAt", "eventSource", "eventSourceId"))
		.prepare(),
}));


/**
 * After a change, inside its transaction: the event for this account's sockets, the Inbox index
 * when this account's own team works on it, and the message to the team's account otherwise.
 * `previousTeamAccount` is told too when the request has just left it.
 */
function publish(
	db: AccountDb,
	self: string,
	r: Row,
	kind: EventKind,
	note: RequestNote | null,
	now: number,
	change: { before: RequestBefore | null; actor: RequestActor },
	previousTeamAccount?: string | null,
): void {
	const s = summary(self, r);
	indexOwnRequest(db, r, note && { body: note.body, internal: note.visibility === "internal" }, kind === "request.created");
	appendEvent(db, { kind, requestId: r.id, audience: audienceOf(self, r, note?.visibility === "internal"), request: s, note }, now);
	const actor: ChangeActor = { personId: change.actor.personId, accountId: change.actor.accountId, name: change.actor.name };
	// This account's people hear of it here; the team's account, from the message below.
	notifyRequestChange(db, self, { before: change.before, request: s, note, actor }, now);
	if (note?.visibility === "internal") return; // internal notes never leave this account
	const targets = new Set<string>();
	if (r.teamAccountId) targets.add(r.teamAccountId);
	if (previousTeamAccount) targets.add(previousTeamAccount);
	for (const account of targets) {
		if (account === self) indexRequest(db, self, self, s, null);
		// A provider whose trust has ended hears nothing more (a completed request still names its
		// team): it would only drop the message, and the request's notes must not leave this account.
		else if (isActiveTrust(db, account, "customer")) enqueue(db, account, REQUEST_MESSAGE, { kind, request: s, note, actor } satisfies RequestPayload, now);
	}
}

function auditRow(requestId: string, actor: { name: string; accountId: string }, field: string, from: string | null, to: string | null, now: number) {
	return { requestId, at: new Date(now), actorName: actor.name, actorAccountId: actor.accountId, field, fromValue: from, toValue: to };
}

function audit(db: AccountDb, requestId: string, actor: { name: string; accountId: string }, field: string, from: string | null, to: string | null, now: number) {
	q(db).audit.run(auditRow(requestId, actor, field, from, to, now));
}

/** `event`: the note was written by an event of that source and key (the events API). */
function insertNote(db: AccountDb, requestId: string, actor: RequestActor, body: string, internal: boolean, self: string, now: number, event?: EventMark): RequestNote {
	const id = newId("note");
	q(db).note.run({
		id,
		requestId,
		authorId: actor.personId,
		authorName: actor.name,
		authorAccountId: actor.accountId,
		body,
		internal,
		createdAt: new Date(now),
		eventSource: event?.source ?? null,
		eventSourceId: event?.sourceId ?? null,
	} satisfies typeof requestNotes.$inferInsert);
	return {
		id,
		author: { id: actor.personId, name: actor.name, accountId: actor.accountId },
		body,
		visibility: internal ? "internal" : "shared",
		account: internal ? self : "",
		createdAt: new Date(now).toISOString(),
		...(event ? { event: { source: event.source, sourceId: event.sourceId } } : {}),
	};
}

export interface NewRequest {
	subject: string;
	category: Row["category"];
	impact: Row["impact"];
	note?: string | undefined;
	requestedFor: { id: string; name: string };
	ownerName: string;
	desiredCompletionAt?: number | undefined;
	/** Opened by the events API: the alert's key (and CI text); its first note is marked as the event's. */
	event?: (EventMark & { ci: string | null }) | undefined;
}

/**
 * Registers a request. `route` null: no service was chosen (a mail that matched none): it stays
 * with this account, without a team, for its own specialists to give one (roleOf: every
 * specialist of the account may work on such a request).
 */
export function createRequest(db: AccountDb, self: string, actor: RequestActor, input: NewRequest, route: Route | null, now: number): RequestSummary {
	const id = newId("req");
	const where = route
		? {
				providerAccountId: route.providerAccountId,
				providerName: route.providerName,
				slaId: route.slaId,
				serviceName: route.serviceName,
				instanceId: route.instance.id,
				instanceName: route.instance.name,
				teamAccountId: route.team.accountId,
				teamId: route.team.id,
				teamName: route.team.name,
				assignmentCount: 1,
			}
		: { providerAccountId: null, providerName: null, slaId: null, serviceName: "", instanceId: "", instanceName: "", teamAccountId: self, teamId: null, teamName: null, assignmentCount: 0 };
	return transaction(db, () => {
		const number = (q(db).lastNumber.get()?.n ?? 0) + 1;
		const values: Pick<Row, (typeof NEW_REQUEST_COLUMNS)[number]> & { desiredCompletionAt: number | null } = {
			id,
			number,
			subject: input.subject,
			category: input.category,
			impact: input.impact,
			status: "assigned",
			requestedById: actor.personId,
			requestedByName: actor.name,
			requestedForId: input.requestedFor.id,
			requestedForName: input.requestedFor.name,
			ownerName: input.ownerName,
			...where,
			desiredCompletionAt: input.desiredCompletionAt ?? null,
			eventSource: input.event?.source ?? null,
			eventSourceId: input.event?.sourceId ?? null,
			eventCi: input.event?.ci ?? null,
			createdAt: new Date(now),
			updatedAt: new Date(now),
		};
		const row = q(db).insert.get(values);
		if (!row) throw new Error("request not written");
		// The request as written is the one returned above: no read-back.
		q(db).audit.run(auditRow(id, actor, "status", null, "assigned", now));
		if (route) q(db).audit.run(auditRow(id, actor, "team", null, `${route.team.name} (${route.team.accountId})`, now));
		const note = input.note ? insertNote(db, id, actor, input.note, false, self, now, input.event) : null;
		publish(db, self, row, "request.created", note, now, { before: null, actor });
		return summary(self, row);
	});
}

/** How `actor` relates to request `r` of this account. */
export function roleOf(self: string, r: Row, actor: RequestActor): RequestRole {
	const local = actor.accountId === self;
	// A request of this account with no team (a provider's trust ended while it was open) is
	// every specialist's of this account to pick up: otherwise nobody could assign or work on it.
	const unassignedHere = local && actor.staff && r.teamAccountId === self && r.teamId === null;
	return {
		requester: local && (actor.personId === r.requestedById || actor.personId === r.requestedForId),
		ownerStaff: local && actor.staff,
		teamMember: unassignedHere || (actor.staff && r.teamAccountId === actor.accountId && r.teamId !== null && actor.teamIds.includes(r.teamId)),
	};
}

const sees = (role: RequestRole) => role.requester || role.ownerStaff || role.teamMember;

/** An overseer of the account whose team works on `r` (another account than this one). */
const oversees = (self: string, r: Row, actor: RequestActor) => actor.accountId !== self && actor.staff && actor.overseer === true && r.teamAccountId === actor.accountId;

/** The request as `actor` may see it; not_found when they may not see it at all. */
export function viewRequest(db: AccountDb, self: string, id: string, actor: RequestActor): Result<Request> {
	const r = getRow(db, id);
	if (!r) return fail("not_found", "No such request.");
	const role = roleOf(self, r, actor);
	if (!sees(role) && !oversees(self, r, actor)) return fail("not_found", "No such request.");
	const internalToo = actor.accountId === self && actor.staff;
	const files = filesByNote(db, self, id);
	const notes = db
		.select()
		.from(requestNotes)
		.where(internalToo ? eq(requestNotes.requestId, id) : and(eq(requestNotes.requestId, id), eq(requestNotes.internal, false)))
		.orderBy(asc(requestNotes.createdAt))
		.all()
		.map(
			(n): RequestNote => ({
				id: n.id,
				author: { id: n.authorId, name: n.authorName, accountId: n.authorAccountId },
				body: n.body,
				visibility: n.internal ? "internal" : "shared",
				account: n.internal ? self : "",
				createdAt: n.createdAt.toISOString(),
				...(files.has(n.id) ? { attachments: files.get(n.id) } : {}),
				...(n.eventSource !== null && n.eventSourceId !== null ? { event: { source: n.eventSource, sourceId: n.eventSourceId } } : {}),
			}),
		);
	const auditTrail = db
		.select()
		.from(requestAudit)
		.where(eq(requestAudit.requestId, id))
		.orderBy(asc(requestAudit.id))
		.all()
		.map((a): AuditEntry => ({ at: a.at.toISOString(), actor: { name: a.actorName, accountId: a.actorAccountId }, field: a.field, from: a.fromValue, to: a.toValue }));
	return ok({ ...summary(self, r), notes, audit: auditTrail, allowed: allowedActions(role, r.status) });
}

/** What `actor` may do to request `id`, for checks that need no view (attachments); not_found when they may not see it. */
export function requestAccess(db: AccountDb, self: string, id: string, actor: RequestActor): Result<{ allowed: string[] }> {
	const r = getRow(db, id);
	if (!r) return fail("not_found", "No such request.");
	const role = roleOf(self, r, actor);
	if (!sees(role) && !oversees(self, r, actor)) return fail("not_found", "No such request.");
	return ok({ allowed: allowedActions(role, r.status) });
}

export type OwnerCommand =
	| { type: "note"; body: string; internal: boolean; attachmentIds?: string[] | undefined }
	| { type: "accept" }
	| { type: "set_impact"; impact: Row["impact"] }
	| { type: "set_status"; status: RequestStatus; completionReason?: CompletionReason | undefined; note?: string | undefined }
	| { type: "assign"; team?: { id: string; name: string } | undefined; member?: { id: string; name: string } | null | undefined }
	| { type: "reopen"; note?: string | undefined }
	| { type: "withdraw"; note?: string | undefined }
	/**
	 * A repeat of the event that opened the request (the events API): a note marked as the event's
	 * ("open"), or the request completed as solved ("resolved") under the status rules.
	 */
	| { type: "event"; event: EventMark; status: "open" | "resolved"; body: string };

/** The open request an event key opened, if any (at most one: a repeat lands on it, see events.ts). */
export function openEventRequest(db: AccountDb, key: EventMark): string | undefined {
	return db
		.select({ id: requests.id })
		.from(requests)
		.where(and(eq(requests.eventSource, key.source), eq(requests.eventSourceId, key.sourceId), ne(requests.status, "completed")))
		.get()?.id;
}

/** The newest request an event key opened, open or not: what a "resolved" event with nothing open to complete is told about. */
export function lastEventRequest(db: AccountDb, key: EventMark): RequestSummary | undefined {
	const r = db
		.select()
		.from(requests)
		.where(and(eq(requests.eventSource, key.source), eq(requests.eventSourceId, key.sourceId)))
		.orderBy(desc(requests.number))
		.get();
	return r && summaryOf(r);
}

/**
 * A change to a request of this account. The caller has checked that `actor` belongs where they
 * say (for another account: that it is the account the request is assigned to, over an active
 * trust); the rules about what they may do are checked here.
 */
export function commandRequest(db: AccountDb, self: string, id: string, actor: RequestActor, cmd: OwnerCommand, now: number): Result<RequestSummary> {
	const r = getRow(db, id);
	if (!r) return fail("not_found", "No such request.");
	const role = roleOf(self, r, actor);
	if (cmd.type === "event") {
		// An event speaks for the alert it keys: it reaches the request that key opened, in this
		// account, whoever the event names as requester this time.
		if (actor.accountId !== self || r.eventSource !== cmd.event.source || r.eventSourceId !== cmd.event.sourceId) return fail("not_found", "No such request.");
	} else if (!sees(role) && !oversees(self, r, actor)) return fail("not_found", "No such request.");
	const allowed = allowedActions(role, r.status);
	const need = cmd.type === "event" ? null : cmd.type === "note" && cmd.internal ? "internal_note" : cmd.type;
	if (need !== null && !allowed.includes(need)) {
		// Something this person may do, only not in this status, is a transition problem (409).
		const couldEver = allowedActions(role, "assigned").includes(need) || allowedActions(role, "completed").includes(need);
		return couldEver
			? fail("invalid_transition", `Not possible while the request is ${label(r.status)}.`)
			: fail("forbidden", "You may not do that to this request.");
	}
	if (cmd.type === "note" && cmd.internal && actor.accountId !== self) {
		return fail("invalid_input", "Internal notes of another account are kept in that account.");
	}
	const files = cmd.type === "note" ? checkAttachable(db, id, cmd.attachmentIds ?? [], actor, now) : ok([]);
	if (!files.ok) return files;

	const changes: Partial<Row> = {};
	const trail: [string, string | null, string | null][] = [];
	const setStatus = (to: RequestStatus, reason: CompletionReason | null) => {
		trail.push(["status", r.status, to]);
		changes.status = to;
		if (to === "completed") {
			changes.completionReason = reason;
			changes.completedAt = new Date(now);
			trail.push(["completion reason", r.completionReason, reason]);
		} else if (r.status === "completed") {
			changes.completionReason = null;
			changes.completedAt = null;
			trail.push(["completion reason", r.completionReason, null]); // reopened: the reason no longer holds
		}
	};
	let noteBody: string | undefined;
	let noteEvent: EventMark | undefined;
	let internal = false;
	let kind: EventKind = "request.updated";

	switch (cmd.type) {
		case "note": {
			noteBody = cmd.body;
			internal = cmd.internal;
			kind = "note.added";
			// The requester answering a request that waits for them hands it back to the team.
			const back = role.requester && !internal ? statusAfterCustomerAnswer(r.status, r.memberId !== null) : null;
			if (back) setStatus(back, null);
			break;
		}
		case "set_impact":
			if (cmd.impact === r.impact) return fail("invalid_transition", `The impact is ${cmd.impact} already.`);
			// The provider's clock takes the offering's targets for the new impact from here.
			changes.impact = cmd.impact;
			trail.push(["impact", r.impact, cmd.impact]);
			break;
		case "accept":
			setStatus("accepted", null);
			if (!r.memberId) {
				changes.memberId = actor.personId;
				changes.memberName = actor.name;
				trail.push(["member", null, actor.name]);
			}
			break;
		case "set_status": {
			const problem = checkTransition(r.status, cmd.status, cmd.completionReason);
			if (problem) return fail(problem.code, problem.message);
			setStatus(cmd.status, cmd.completionReason ?? null);
			noteBody = cmd.note;
			break;
		}
		case "assign": {
			if (cmd.team && cmd.team.id !== r.teamId) {
				changes.teamId = cmd.team.id;
				changes.teamName = cmd.team.name;
				changes.assignmentCount = r.assignmentCount + 1;
				trail.push(["team", r.teamName, cmd.team.name]);
				if (cmd.member === undefined && r.memberId) {
					changes.memberId = null;
					changes.memberName = null;
					trail.push(["member", r.memberName, null]);
				}
				if (r.status !== "assigned") setStatus("assigned", null);
			}
			if (cmd.member !== undefined && (cmd.member?.id ?? null) !== r.memberId) {
				changes.memberId = cmd.member?.id ?? null;
				changes.memberName = cmd.member?.name ?? null;
				trail.push(["member", r.memberName, cmd.member?.name ?? null]);
			}
			if (trail.length === 0) return fail("invalid_input", "That is the current assignment.");
			break;
		}
		case "reopen":
			setStatus("assigned", null);
			changes.reopenCount = r.reopenCount + 1;
			// The provider's trust ended since it was completed: that provider can no longer see it,
			// so it comes back to this account unassigned, like the open ones did (returnFromProvider).
			if (r.teamAccountId && r.teamAccountId !== self && !isActiveTrust(db, r.teamAccountId, "customer")) {
				const provider = r.providerName ?? r.teamAccountId;
				const reason = `Reopened after the trust with ${provider} ended: ${provider}'s teams can no longer work on it.`;
				Object.assign(changes, { teamAccountId: self, teamId: null, teamName: null, memberId: null, memberName: null }, returnedMark(r.teamAccountId, provider, reason, now));
				trail.push(["team", r.teamName, null]);
				if (r.memberId) trail.push(["member", r.memberName, null]);
				trail.push(["returned", null, reason]);
			}
			noteBody = cmd.note;
			break;
		case "withdraw":
			setStatus("completed", "withdrawn");
			noteBody = cmd.note;
			break;
		case "event": {
			if (cmd.status === "resolved") {
				// The alert cleared: the request is solved, if the status rules let it be completed now.
				const problem = checkTransition(r.status, "completed", "solved");
				if (problem) return fail(problem.code, problem.message);
				setStatus("completed", "solved");
			}
			noteBody = cmd.body;
			noteEvent = cmd.event;
			break;
		}
	}

	// A returned request waits for a team of this account: getting one, or being completed, ends that.
	if (r.returnedAt && changes.returnedAt === undefined && (changes.teamId || changes.status === "completed")) {
		Object.assign(changes, NOT_RETURNED);
		trail.push(["returned", r.returnedReason, null]);
	}

	transaction(db, () => {
		if (Object.keys(changes).length > 0) {
			db.update(requests)
				.set({ ...changes, version: r.version + 1, updatedAt: new Date(now) })
				.where(eq(requests.id, id))
				.run();
		} else {
			db.update(requests).set({ version: r.version + 1, updatedAt: new Date(now) }).where(eq(requests.id, id)).run();
		}
		for (const [field, from, to] of trail) audit(db, id, actor, field, from, to, now);
		let note = noteBody ? insertNote(db, id, actor, noteBody, internal, self, now, noteEvent) : null;
		if (note && files.value.length > 0) note = { ...note, attachments: attachToNote(db, self, files.value, note.id, internal ? self : null) };
		if (note) kind = "note.added";
		publish(db, self, getRow(db, id) as Row, kind, note, now, { before: { teamAccountId: r.teamAccountId, teamId: r.teamId, memberId: r.memberId, status: r.status }, actor });
	});
	return ok(summary(self, getRow(db, id) as Row));
}

/** The columns of the "returned" mark (see the requests table). */
function returnedMark(from: string, fromName: string, reason: string, now: number) {
	return { returnedFromId: from, returnedFromName: fromName, returnedReason: reason, returnedAt: new Date(now) };
}
const NOT_RETURNED = { returnedFromId: null, returnedFromName: null, returnedReason: null, returnedAt: null };

/** Why a request came back, for everyone who sees it: which side ended the trust, nobody's name. */
function returnReason(ownerName: string, providerName: string, endedBy: "us" | "them"): string {
	return endedBy === "them"
		? `${providerName} ended its trust with ${ownerName}: its teams can no longer work on this request.`
		: `${ownerName} ended its trust with ${providerName}: ${providerName}'s teams can no longer work on this request.`;
}

/**
 * The trust with a provider ended: its access ends at once. Open requests its teams had come back
 * to this account, unassigned and marked "returned" with the reason, for this account's own people
 * to give a team (the Inbox's "returned" view lists them). `endedBy`: which side ended the trust.
 * Inside the caller's transaction.
 */
export function returnFromProvider(db: AccountDb, self: string, provider: string, endedBy: "us" | "them", now: number): number {
	const open = db
		.select()
		.from(requests)
		.where(and(eq(requests.teamAccountId, provider), ne(requests.status, "completed")))
		.all();
	const trustdesk = { name: "Trustdesk", accountId: self };
	for (const r of open) {
		const providerName = r.providerName ?? provider;
		const reason = returnReason(r.ownerName, providerName, endedBy);
		db.update(requests)
			// No provider's clock runs for it any more: no next target.
			.set({
				teamAccountId: self,
				teamId: null,
				teamName: null,
				memberId: null,
				memberName: null,
				status: "assigned",
				nextTargetAt: null,
				...returnedMark(provider, providerName, reason, now),
				version: r.version + 1,
				updatedAt: new Date(now),
			})
			.where(eq(requests.id, r.id))
			.run();
		audit(db, r.id, trustdesk, "team", r.teamName, null, now);
		if (r.memberId) audit(db, r.id, trustdesk, "member", r.memberName, null, now); // cleared too: every change is on the trail
		if (r.status !== "assigned") audit(db, r.id, trustdesk, "status", r.status, "assigned", now);
		audit(db, r.id, trustdesk, "returned", null, reason, now);
		const updated = getRow(db, r.id) as Row;
		appendEvent(db, { kind: "request.updated", requestId: r.id, audience: audienceOf(self, updated), request: summary(self, updated), note: null }, now);
	}
	return open.length;
}

/** Where the filters find their fields in this account's own requests. */
const REQUEST_COLUMNS: FilterColumns = {
	status: requests.status,
	open: ne(requests.status, "completed"),
	openIn: null,
	teamId: requests.teamId,
	memberId: requests.memberId,
	nextTargetAt: requests.nextTargetAt,
	impact: requests.impact,
	serviceInstanceId: requests.instanceId,
	subject: requests.subject,
	number: requests.number,
};

/**
 * One page of this account's returned requests (still without a team), oldest return first. The
 * Inbox's filters apply as far as they can: none of them has a team, none is another account's.
 */
/** Where a page of returned requests ends: [returned at (ms), number]. */
export const ReturnedPosition = z.tuple([z.number(), z.number().int()]);
/** Where a page of the request list ends: [last changed (ms), id]. */
export const RequestListPosition = z.tuple([z.number(), z.string()]);

export function listReturned(db: AccountDb, self: string, viewerId: string, q: InboxQuery, now: number): InboxPage {
	const empty = { items: [], nextCursor: null, total: 0 };
	if (q.teamId || (q.customer && q.customer !== self)) return empty;
	const where = and(
		isNotNull(requests.returnedAt),
		q.memberId ? eq(requests.memberId, q.memberId) : undefined,
		...filterConditions(REQUEST_COLUMNS, q, viewerId, now),
	);
	// The route has already answered 400 to a cursor that does not read.
	const cursor = readCursor(ReturnedPosition, q.cursor);
	const after = cursor.ok && cursor.value ? cursor.value : undefined;
	const rows = db
		.select()
		.from(requests)
		.where(and(where, after ? or(gt(requests.returnedAt, new Date(after[0])), and(eq(requests.returnedAt, new Date(after[0])), gt(requests.number, after[1]))) : undefined))
		.orderBy(asc(requests.returnedAt), asc(requests.number))
		.limit(q.limit + 1)
		.all();
	const total = db.select({ n: sql<number>`count(*)` }).from(requests).where(where).get()?.n ?? 0;
	return { ...pageFrom(rows, q.limit, (r) => summary(self, r), (r) => [r.returnedAt?.getTime() ?? 0, r.number]), total };
}

/**
 * One page of this account's requests, most recently changed first (then by id, so the order is
 * total and a keyset page never skips or repeats one): those from or for `viewerId` (scope
 * "mine"), or all of them (scope "account", its specialists), narrowed by the filters.
 */
export function listRequests(db: AccountDb, self: string, viewerId: string, q: MyRequestsQuery, now: number): InboxPage {
	const who = q.scope === "mine" ? or(eq(requests.requestedForId, viewerId), eq(requests.requestedById, viewerId)) : undefined;
	const where = and(who, ...filterConditions(REQUEST_COLUMNS, q, viewerId, now));
	const cursor = readCursor(RequestListPosition, q.cursor);
	const after = cursor.ok && cursor.value ? cursor.value : undefined;
	const rows = db
		.select()
		.from(requests)
		.where(and(where, after ? or(lt(requests.updatedAt, new Date(after[0])), and(eq(requests.updatedAt, new Date(after[0])), lt(requests.id, after[1]))) : undefined))
		.orderBy(desc(requests.updatedAt), desc(requests.id))
		.limit(q.limit + 1)
		.all();
	const total = db.select({ n: sql<number>`count(*)` }).from(requests).where(where).get()?.n ?? 0;
	return { ...pageFrom(rows, q.limit, (r) => summary(self, r), (r) => [r.updatedAt.getTime(), r.id]), total };
}

export function isOwnRequest(db: AccountDb, id: string): boolean {
	return getRow(db, id) !== undefined;
}


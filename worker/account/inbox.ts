// The Inbox index: requests assigned to this account's teams, wherever they live. Refreshed only
// by the owner's changes (locally, or through the owner's messages), never edited here; queries
// are local, so an Inbox page costs one indexed read whatever the number of customers.
import { and, asc, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { pageFrom, readCursor } from "../lib/cursor";
import type { InboxPage, InboxQuery, RequestNote, RequestSummary } from "../shared/request-api";
import type { AttachmentRef } from "../shared/attachment-api";
import { statements, stored, transaction, type AccountDb } from "./db";
import { isOpen } from "../shared/request-machine";
import { appendEvent, type Audience } from "./realtime";
import { inbox, internalNotes, NO_TARGET_SORT } from "./schema";
import { newId } from "../identity/crypto";
import { notifyRequestChange, type ChangeActor } from "./notifications";
import { filterConditions, type FilterColumns } from "./request-filters";
import { indexInboxNote, indexInboxRequest, unindexInboxRequest } from "./search";

export function audienceOfSummary(s: RequestSummary, internal = false): Audience {
	return {
		ownerAccountId: s.owner.id,
		requesterIds: [...new Set([s.requestedBy.id, s.requestedFor.id])],
		teamAccountId: s.team?.accountId ?? null,
		teamId: s.team?.id ?? null,
		internal,
	};
}

/**
 * Upserts the index row for a request (newer versions only); removes it when no team of this
 * account has it any more. `sharedNote`: the note the owner's message carries, for the search text.
 */
export function indexRequest(db: AccountDb, self: string, owner: string, s: RequestSummary, sharedNote: string | null): void {
	const q = indexStatements(db);
	if (s.team?.accountId !== self) {
		q.remove.run({ requestId: s.id });
		unindexInboxRequest(db, s.id);
		return;
	}
	// As SQLite stores them (the statement maps nothing): json as text, booleans 0/1, timestamps ms.
	q.upsert.run({
		requestId: s.id,
		ownerAccountId: owner,
		summary: inbox.summary.mapToDriverValue(s),
		status: s.status,
		open: inbox.open.mapToDriverValue(isOpen(s.status)),
		teamId: s.team.id,
		memberId: s.member?.id ?? null,
		nextTargetAt: s.nextTargetAt ? Date.parse(s.nextTargetAt) : null,
		createdAt: Date.parse(s.createdAt),
		version: Date.parse(s.updatedAt),
	});
	// This account's own requests are searched as requests (search.ts); only customers' are searched here.
	if (owner !== self) indexInboxRequest(db, s, sharedNote === null ? null : { body: sharedNote, internal: false });
}

/**
 * Run for every message about a request of a customer (and each clock that falls due): built once.
 * Every value goes to SQLite as given. The upsert's update writes every column but the key, and
 * only with a version not older than the row's.
 */
const indexStatements = statements((db) => {
	const value = (name: keyof typeof inbox.$inferInsert) => stored(name); // named by the columns: a typo is a type error
	const excluded = (column: { name: string }) => sql.raw(`excluded."${column.name}"`);
	return {
		entry: db.select({ teamId: inbox.teamId, summary: inbox.summary }).from(inbox).where(eq(inbox.requestId, sql.placeholder("requestId"))).prepare(),
		remove: db.delete(inbox).where(eq(inbox.requestId, sql.placeholder("requestId"))).prepare(),
		setNext: db
			.update(inbox)
			.set({ summary: stored("summary"), nextTargetAt: stored("next") })
			.where(eq(inbox.requestId, sql.placeholder("requestId")))
			.prepare(),
		upsert: db
			.insert(inbox)
			.values({
				requestId: value("requestId"),
				ownerAccountId: value("ownerAccountId"),
				summary: value("summary"),
				status: value("status"),
				open: value("open"),
				teamId: value("teamId"),
				memberId: value("memberId"),
				nextTargetAt: value("nextTargetAt"),
				createdAt: value("createdAt"),
				version: value("version"),
			})
			.onConflictDoUpdate({
				target: inbox.requestId,
				set: {
					ownerAccountId: excluded(inbox.ownerAccountId),
					summary: excluded(inbox.summary),
					status: excluded(inbox.status),
					open: excluded(inbox.open),
					teamId: excluded(inbox.teamId),
					memberId: excluded(inbox.memberId),
					nextTargetAt: excluded(inbox.nextTargetAt),
					createdAt: excluded(inbox.createdAt),
					version: excluded(inbox.version),
				},
				setWhere: sql`${inbox.version} <= ${excluded(inbox.version)}`,
			})
			.prepare(),
	};
});

/**
 * The request's next target moved with its clocks here (affected-slas.ts, when a clock fell due):
 * the row sorts by it, its summary shows it, and this account's sockets hear of it.
 */
export function setInboxNextTarget(db: AccountDb, requestId: string, next: number | null, now: number): void {
	const q = indexStatements(db);
	const entry = q.entry.get({ requestId });
	if (!entry) return;
	const summary: RequestSummary = { ...(entry.summary as RequestSummary), nextTargetAt: next === null ? null : new Date(next).toISOString() };
	q.setNext.run({ requestId, summary: inbox.summary.mapToDriverValue(summary), next });
	appendEvent(db, { kind: "request.updated", requestId, audience: audienceOfSummary(summary), request: summary, note: null }, now);
}

export interface RequestMessage {
	kind: "request.created" | "request.updated" | "note.added" | "request.removed";
	request: RequestSummary;
	note: RequestNote | null;
	/** Who made the change; absent in messages sent before actors travelled with them. */
	actor?: ChangeActor | null | undefined;
}

/**
 * A request of another account changed (its owner's message, in order, once): refresh the index
 * and tell this account's sockets. Ignored when the owner no longer trusts this account: its
 * access ended with the trust.
 */
export function applyRequestMessage(db: AccountDb, self: string, from: string, msg: RequestMessage, trusted: boolean, now: number): void {
	if (!trusted) return;
	const before = indexStatements(db).entry.get({ requestId: msg.request.id });
	indexRequest(db, self, from, msg.request, msg.note?.visibility === "shared" ? msg.note.body : null);
	// This account's people hear of it here, once: the message is applied once (messaging.ts).
	const was = before?.summary as RequestSummary | undefined;
	notifyRequestChange(
		db,
		self,
		{
			before: was ? { teamAccountId: was.team?.accountId ?? null, teamId: was.team?.id ?? null, memberId: was.member?.id ?? null, status: was.status } : null,
			request: msg.request,
			note: msg.note,
			actor: msg.actor ?? null,
		},
		now,
	);
	// Those who saw it before (its old team) hear that it left; those who see it now hear the change.
	const audience = audienceOfSummary(msg.request);
	const leaving = before && msg.request.team?.accountId !== self;
	appendEvent(
		db,
		{
			kind: leaving ? "request.removed" : msg.kind,
			requestId: msg.request.id,
			audience: leaving ? { ...audience, teamAccountId: self, teamId: before.teamId } : audience,
			request: msg.request,
			note: msg.note,
		},
		now,
	);
}

/** The trust with `owner` ended: its requests leave this account's Inbox. */
export function dropOwner(db: AccountDb, owner: string, now: number): number {
	const rows = db.select().from(inbox).where(eq(inbox.ownerAccountId, owner)).all();
	for (const r of rows) {
		const s = r.summary as RequestSummary;
		appendEvent(db, { kind: "request.removed", requestId: r.requestId, audience: audienceOfSummary(s), request: null, note: null }, now);
		unindexInboxRequest(db, r.requestId);
	}
	db.delete(inbox).where(eq(inbox.ownerAccountId, owner)).run();
	return rows.length;
}

export function inboxEntry(db: AccountDb, requestId: string): { ownerAccountId: string; summary: RequestSummary } | undefined {
	const row = db.select({ ownerAccountId: inbox.ownerAccountId, summary: inbox.summary }).from(inbox).where(eq(inbox.requestId, requestId)).get();
	return row && { ownerAccountId: row.ownerAccountId, summary: row.summary as RequestSummary };
}

/** Where the filters find their fields in the index: the rarer ones in the summary it keeps. */
const INBOX_COLUMNS: FilterColumns = {
	status: inbox.status,
	open: eq(inbox.open, true),
	openIn: (flags) => inArray(inbox.open, flags),
	teamId: inbox.teamId,
	memberId: inbox.memberId,
	nextTargetAt: inbox.nextTargetAt,
	impact: sql`json_extract(${inbox.summary}, '$.impact')`,
	serviceInstanceId: sql`json_extract(${inbox.summary}, '$.service.instance.id')`,
	subject: sql`json_extract(${inbox.summary}, '$.subject')`,
	number: sql`json_extract(${inbox.summary}, '$.number')`,
};

type InboxViewer = { personId: string; teamIds: string[]; overseer: boolean };

/** What one page of the Inbox selects, or null when the viewer asks for a team they may not see. */
export function inboxCondition(viewer: InboxViewer, q: InboxQuery, now: number): SQL | undefined | null {
	const where: SQL[] = [];
	if (q.view === "mine") where.push(eq(inbox.memberId, viewer.personId));
	const teams = q.teamId ? [q.teamId] : viewer.teamIds;
	if (!viewer.overseer || q.teamId) {
		if (q.teamId && !viewer.overseer && !viewer.teamIds.includes(q.teamId)) return null;
		if (q.view === "teams" || q.teamId) where.push(teams.length > 0 ? inArray(inbox.teamId, teams.slice(0, 90)) : isNull(inbox.requestId));
	}
	if (q.customer) where.push(eq(inbox.ownerAccountId, q.customer));
	if (q.memberId) where.push(eq(inbox.memberId, q.memberId));
	// The team is already narrowed above (within what the viewer may see).
	where.push(...filterConditions(INBOX_COLUMNS, { ...q, teamId: undefined }, viewer.personId, now));
	return and(...where);
}

/** Where an Inbox page ends: [sort key (next target, none last; ms), created (ms), request id], the order's key. */
export const InboxPosition = z.tuple([z.number(), z.number(), z.string()]);
type InboxPosition = z.infer<typeof InboxPosition>;

/** The rows after `p` in the Inbox order: next target (none last), then age, then id (unique). */
function afterInboxPosition([sortAt, created, id]: InboxPosition): SQL | undefined {
	return or(
		gt(inbox.sortAt, sortAt),
		and(eq(inbox.sortAt, sortAt), or(gt(inbox.createdAt, new Date(created)), and(eq(inbox.createdAt, new Date(created)), gt(inbox.requestId, id)))),
	);
}

/** The page's query, not yet run: queryInbox runs it, and a test asks SQLite for its plan. */
export function inboxPageQuery(db: AccountDb, condition: SQL | undefined, q: InboxQuery) {
	// The route has already answered 400 to a cursor that does not read.
	const after = readCursor(InboxPosition, q.cursor);
	return db
		.select({ summary: inbox.summary, requestId: inbox.requestId, sortAt: inbox.sortAt, createdAt: inbox.createdAt })
		.from(inbox)
		.where(and(condition, after.ok && after.value ? afterInboxPosition(after.value) : undefined))
		// The indexes' own order (schema.ts): a page is read in order and the read stops after it.
		.orderBy(asc(inbox.sortAt), asc(inbox.createdAt), asc(inbox.requestId))
		.limit(q.limit + 1);
}

/**
 * One page of the Inbox. "mine": assigned to the person; "teams": assigned to their teams.
 * Sorted by next target (none last), then age. Overseers (administrators, auditors) may ask for
 * any team. The filters (request-filters.ts) narrow either view. Keyset pages: a page starts
 * after the cursor's position, so it stays fast deep into a long Inbox.
 */
export function queryInbox(db: AccountDb, viewer: InboxViewer, q: InboxQuery, now: number): InboxPage {
	const condition = inboxCondition(viewer, q, now);
	if (condition === null) return { items: [], nextCursor: null, total: 0 };
	const rows = inboxPageQuery(db, condition, q).all();
	const total = db.select({ n: sql<number>`count(*)` }).from(inbox).where(condition).get()?.n ?? 0;
	const page = pageFrom(rows, q.limit, (r) => r.summary as RequestSummary, (r): InboxPosition => [r.sortAt ?? NO_TARGET_SORT, r.createdAt.getTime(), r.requestId]);
	return { ...page, total };
}

/** An internal note of this account on another account's request: stored and shown only here. */
export function addInternalNote(
	db: AccountDb,
	self: string,
	requestId: string,
	owner: string,
	author: { personId: string; name: string },
	body: string,
	s: RequestSummary,
	now: number,
	/** The note's id and files, when its files were already attached at the owner (kept there). */
	withFiles?: { id: string; files: AttachmentRef[] },
): RequestNote {
	const id = withFiles?.id ?? newId("note");
	const files = withFiles?.files.length ? { attachments: withFiles.files } : {};
	transaction(db, () => {
		db.insert(internalNotes).values({ id, requestId, ownerAccountId: owner, authorId: author.personId, authorName: author.name, body, createdAt: new Date(now) }).run();
		indexInboxNote(db, requestId, body);
		const note: RequestNote = { id, author: { id: author.personId, name: author.name, accountId: self }, body, visibility: "internal", account: self, createdAt: new Date(now).toISOString(), ...files };
		appendEvent(db, { kind: "note.added", requestId, audience: audienceOfSummary(s, true), request: s, note }, now);
		const same = { teamAccountId: s.team?.accountId ?? null, teamId: s.team?.id ?? null, memberId: s.member?.id ?? null, status: s.status };
		notifyRequestChange(db, self, { before: same, request: s, note, actor: { personId: author.personId, accountId: self, name: author.name } }, now);
	});
	return { id, author: { id: author.personId, name: author.name, accountId: self }, body, visibility: "internal", account: self, createdAt: new Date(now).toISOString(), ...files };
}

export function internalNotesOf(db: AccountDb, self: string, requestId: string): RequestNote[] {
	return db
		.select()
		.from(internalNotes)
		.where(eq(internalNotes.requestId, requestId))
		.orderBy(asc(internalNotes.createdAt))
		.all()
		.map((n) => ({ id: n.id, author: { id: n.authorId, name: n.authorName, accountId: self }, body: n.body, visibility: "internal" as const, account: self, createdAt: n.createdAt.toISOString() }));
}


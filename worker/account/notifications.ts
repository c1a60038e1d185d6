// In-app notifications: who hears of a fact, computed once, in the account that owns the fact,
// inside the transaction that commits it (a change of another account's request: inside the
// transaction that applies its message, so a replayed message adds nothing). Each recipient's
// preferences (defaults by the kind's role, notification-kinds.ts) decide whether a row is written
// for the bell and whether an e-mail is wanted; the e-mails go to one seam, queueNotificationEmails.
import { and, desc, eq, gt, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import type { Notification, NotificationPage, NotificationPreference, NotificationQuery } from "../shared/notification-api";
import { NOTIFICATION_KIND_INFO, NOTIFICATION_KINDS, type NotificationKind } from "../shared/notification-kinds";
import type { RequestNote, RequestStatus, RequestSummary } from "../shared/request-api";
import type { TrustStatus } from "../shared/trust-api";
import { statements, transaction, type AccountDb } from "./db";
import { label } from "../shared/request-machine";
import { notificationPreferences, notifications } from "./schema";
import { teamRecipients } from "./teams";
import { oneLineOf } from "../mail/compose";
import { queueMail } from "../mail/queue";
import type { MailToSend } from "../mail/types";
import { emitEvent, emitEvents } from "../webhooks/delivery";
import { requestEvents, slaEvent, trustEvent } from "../webhooks/events";

const EXCERPT = 200;

/** What happened, the same for every recipient. */
export interface NotificationFact {
	kind: NotificationKind;
	title: string;
	body?: string | null | undefined;
	request?: { id: string; number: number; accountId: string } | null | undefined;
	trustAccountId?: string | null | undefined;
	/** Path in this account's portal. */
	link: string;
	/** Who acted. A person of this account (personId set) never hears of their own act. */
	actor?: { personId: string | null; name: string } | null | undefined;
}

/** A recipient who wants the notification by e-mail: what the mail queue gets. */
export interface NotificationEmail {
	personId: string;
	notification: Notification;
}

/** An excerpt of a note for a notification: its start, on one line. */
export function excerpt(text: string | null | undefined): string | null {
	if (!text) return null;
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
}

/**
 * Tells `recipients` of `fact` (inside the caller's transaction): a row each for those who want it
 * in the app, and the e-mails wanted handed to queueNotificationEmails. The actor is left out.
 */
export function notify(db: AccountDb, fact: NotificationFact, recipients: Iterable<string>, now: number): { notifications: Notification[]; emails: NotificationEmail[] } {
	const who = new Set(recipients);
	if (fact.actor?.personId) who.delete(fact.actor.personId);
	const stored: Notification[] = [];
	const rows: { personId: string; notification: Notification }[] = [];
	const emails: NotificationEmail[] = [];
	const prefs = preferencesFor(db, [...who].filter((id) => id !== ""), fact.kind);
	for (const personId of who) {
		if (!personId) continue;
		const pref = prefs.get(personId) ?? defaultPreference(fact.kind);
		if (!pref.inApp && !pref.email) continue;
		const notification: Notification = {
			id: newId("ntf"),
			kind: fact.kind,
			title: fact.title,
			body: fact.body ?? null,
			request: fact.request ?? null,
			trustAccountId: fact.trustAccountId ?? null,
			link: fact.link,
			actorName: fact.actor?.name ?? null,
			createdAt: new Date(now).toISOString(),
			readAt: null,
		};
		if (pref.inApp) {
			rows.push({ personId, notification });
			stored.push(notification);
		}
		if (pref.email) emails.push({ personId, notification });
	}
	insertNotifications(db, fact, rows, now);
	if (emails.length > 0) queueNotificationEmails(db, emails, now);
	return { notifications: stored, emails };
}

const NOTIFICATION_COLUMNS = "id, person_id, kind, title, body, request_id, request_number, request_account_id, trust_account_id, link, actor_name, created_at";
/** SQLite in a Durable Object binds at most 100 parameters per statement: 12 columns a row. */
const ROWS_PER_INSERT = 8;

/**
 * One fact's rows in as few statements as the parameter limit allows (a team of eight: one), in
 * the recipients' order (their seq). Raw SQL: drizzle's builder cost more than the insert, and a
 * prepared statement has one row count. Columns as in schema.ts `notifications` (timestamps ms).
 */
function insertNotifications(db: AccountDb, fact: NotificationFact, rows: readonly { personId: string; notification: Notification }[], now: number): void {
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
		const chunk = rows.slice(i, i + ROWS_PER_INSERT);
		const params = chunk.flatMap(({ personId, notification: n }) => [
			n.id,
			personId,
			fact.kind,
			fact.title,
			n.body,
			fact.request?.id ?? null,
			fact.request?.number ?? null,
			fact.request?.accountId ?? null,
			n.trustAccountId,
			fact.link,
			n.actorName,
			now,
		]);
		const values = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
		db.$client.sql.exec(`INSERT INTO notifications (${NOTIFICATION_COLUMNS}) VALUES ${values}`, ...params);
	}
}

/**
 * Queues the e-mails of a notification (inside the transaction that wrote it, so a mail is queued
 * exactly when its notification is, and a replayed message queues none). The address is the
 * person's at send time (mail/queue.ts). Mails about a request name it, so the mail links to it
 * and, in the account that owns the request, a reply to the mail becomes a note (mail/thread.ts).
 */
export function queueNotificationEmails(db: AccountDb, emails: NotificationEmail[], now: number): void {
	for (const { personId, notification } of emails) {
		const queued = queueMail(db, notificationMail(personId, notification), now);
		// Only a title that cannot be a subject gets here (a line break in a name); the in-app
		// notification stands, and the mail is not worth failing the change for.
		if (!queued.ok) console.warn("notification mail not queued", notification.kind, queued.error.message);
	}
}

/** The mail that tells one person of a notification. */
export function notificationMail(personId: string, n: Notification): MailToSend {
	const paragraphs = [n.title, ...(n.body ? [n.actorName ? `${n.actorName}: “${n.body}”` : n.body] : [])];
	return {
		kind: "notification",
		to: { personId },
		subject: oneLineOf(n.title, 300),
		paragraphs,
		...(n.request ? { requestId: n.request.id } : { action: { label: "Open in the portal", url: n.link } }),
	};
}

// ── Preferences ──────────────────────────────────────────────────────────────

function preferenceOf(db: AccountDb, personId: string, kind: NotificationKind): { inApp: boolean; email: boolean } {
	return preferenceStatement(db).get({ personId, kind }) ?? defaultPreference(kind);
}

const defaultPreference = (kind: NotificationKind) => ({ inApp: NOTIFICATION_KIND_INFO[kind].inApp, email: NOTIFICATION_KIND_INFO[kind].email });

/** At most this many ids in one `IN (…)`: SQLite in a Durable Object binds at most 100 parameters. */
const IDS_PER_READ = 90;

/**
 * The choices these people made for `kind` (no entry: the default), in one statement for a team's
 * members instead of one each.
 */
function preferencesFor(db: AccountDb, personIds: readonly string[], kind: NotificationKind): Map<string, { inApp: boolean; email: boolean }> {
	const found = new Map<string, { inApp: boolean; email: boolean }>();
	if (personIds.length === 1) {
		const [personId = ""] = personIds;
		const row = preferenceStatement(db).get({ personId, kind });
		if (row) found.set(personId, row);
		return found;
	}
	for (let i = 0; i < personIds.length; i += IDS_PER_READ) {
		const ids = personIds.slice(i, i + IDS_PER_READ);
		const rows = db.$client.sql.exec<{ personId: string; inApp: number; email: number }>(
			`SELECT person_id AS personId, in_app AS inApp, email FROM notification_preferences WHERE kind = ? AND person_id IN (${ids.map(() => "?").join(", ")})`,
			kind,
			...ids,
		);
		for (const r of rows) found.set(r.personId, { inApp: r.inApp === 1, email: r.email === 1 });
	}
	return found;
}

/** Asked per recipient of every notification: built once. */
const preferenceStatement = statements((db) =>
	db
		.select({ inApp: notificationPreferences.inApp, email: notificationPreferences.email })
		.from(notificationPreferences)
		.where(and(eq(notificationPreferences.personId, sql.placeholder("personId")), eq(notificationPreferences.kind, sql.placeholder("kind"))))
		.prepare(),
);

/** Whether the person wants this kind by e-mail (their choice, or their role's default). */
export function wantsEmail(db: AccountDb, personId: string, kind: NotificationKind): boolean {
	return preferenceOf(db, personId, kind).email;
}

/** The person's preferences for these kinds (defaults where they changed nothing). */
export function preferencesOf(db: AccountDb, personId: string, kinds: readonly NotificationKind[] = NOTIFICATION_KINDS): NotificationPreference[] {
	const rows = new Map(
		db
			.select()
			.from(notificationPreferences)
			.where(eq(notificationPreferences.personId, personId))
			.all()
			.map((r) => [r.kind, r]),
	);
	return kinds.map((kind) => {
		const info = NOTIFICATION_KIND_INFO[kind];
		const row = rows.get(kind);
		return { kind, label: info.label, inApp: row?.inApp ?? info.inApp, email: row?.email ?? info.email, isDefault: !row };
	});
}

/** Saves the person's choices; a choice equal to the default is stored as no choice (defaults may change later). */
export function setPreferences(db: AccountDb, personId: string, items: { kind: NotificationKind; inApp: boolean; email: boolean }[]): void {
	transaction(db, () => {
		for (const item of items) {
			const info = NOTIFICATION_KIND_INFO[item.kind];
			const where = and(eq(notificationPreferences.personId, personId), eq(notificationPreferences.kind, item.kind));
			if (item.inApp === info.inApp && item.email === info.email) {
				db.delete(notificationPreferences).where(where).run();
				continue;
			}
			db.insert(notificationPreferences)
				.values({ personId, kind: item.kind, inApp: item.inApp, email: item.email })
				.onConflictDoUpdate({ target: [notificationPreferences.personId, notificationPreferences.kind], set: { inApp: item.inApp, email: item.email } })
				.run();
		}
	});
}

// ── Reading and marking ──────────────────────────────────────────────────────

type Row = typeof notifications.$inferSelect;

export function toNotification(r: Row): Notification {
	return {
		id: r.id,
		kind: r.kind as NotificationKind,
		title: r.title,
		body: r.body,
		request: r.requestId && r.requestNumber !== null && r.requestAccountId ? { id: r.requestId, number: r.requestNumber, accountId: r.requestAccountId } : null,
		trustAccountId: r.trustAccountId,
		link: r.link,
		actorName: r.actorName,
		createdAt: r.createdAt.toISOString(),
		readAt: r.readAt ? r.readAt.toISOString() : null,
	};
}

/**
 * Unread counts stop at this: the count is read on every push to the person, and someone who
 * never reads theirs (a busy team's member) must not make each push scan all of them.
 */
export const UNREAD_CAP = 1000;

/** The person's unread notifications, up to UNREAD_CAP (one range of the partial index). */
export function unreadCount(db: AccountDb, personId: string): number {
	return unreadStatement(db).get({ personId })?.n ?? 0;
}

/** Asked on every push to a person with a socket open: built once. */
const unreadStatement = statements((db) => {
	const capped = db
		.select({ one: sql<number>`1`.as("one") })
		.from(notifications)
		.where(and(eq(notifications.personId, sql.placeholder("personId")), isNull(notifications.readAt)))
		.limit(UNREAD_CAP)
		.as("capped");
	return db.select({ n: sql<number>`count(*)` }).from(capped).prepare();
});

/**
 * One page of the person's notifications. "newest": by seq, descending. "unread_first": the
 * unread ones newest first, then the read ones newest first; the cursor says which part and
 * where ("u<seq>" or "r<seq>"), so every page is one indexed range read.
 */
export function listNotifications(db: AccountDb, personId: string, q: NotificationQuery): NotificationPage {
	const unread = unreadCount(db, personId);
	const cursorPart = q.cursor?.[0] as "u" | "r" | undefined;
	const cursorSeq = q.cursor && q.cursor.length > 1 ? Number(q.cursor.slice(1)) : null;
	const mine = eq(notifications.personId, personId);
	const before = cursorSeq === null ? undefined : lt(notifications.seq, cursorSeq);
	const read = (where: ReturnType<typeof and>, limit: number) => db.select().from(notifications).where(where).orderBy(desc(notifications.seq)).limit(limit).all();

	if (q.order === "newest") {
		const rows = read(and(mine, before), q.limit + 1);
		const page = rows.slice(0, q.limit);
		const last = page[page.length - 1];
		return { items: page.map(toNotification), unread, nextCursor: rows.length > q.limit && last ? `r${last.seq}` : null };
	}
	const items: Row[] = [];
	let part: "u" | "r" = cursorPart ?? "u";
	let partBefore = before;
	if (part === "u") {
		items.push(...read(and(mine, isNull(notifications.readAt), partBefore), q.limit + 1));
		if (items.length > q.limit) {
			const page = items.slice(0, q.limit);
			return { items: page.map(toNotification), unread, nextCursor: `u${page[page.length - 1]?.seq ?? 0}` };
		}
		part = "r";
		partBefore = undefined;
	}
	const room = q.limit - items.length;
	const readRows = read(and(mine, isNotNull(notifications.readAt), partBefore), room + 1);
	const taken = readRows.slice(0, room);
	const lastRead = taken[taken.length - 1];
	// More read ones to come: after the last one on this page, or from the start of the read part ("r").
	const nextCursor = readRows.length > room ? `r${lastRead?.seq ?? ""}` : null;
	return { items: [...items, ...taken].map(toNotification), unread, nextCursor };
}

/** Marks one of the person's notifications read (again: no change). Not theirs: not found. */
export function markRead(db: AccountDb, personId: string, id: string, now: number): Result<{ notification: Notification; unread: number }> {
	const row = db
		.select()
		.from(notifications)
		.where(and(eq(notifications.id, id), eq(notifications.personId, personId)))
		.get();
	if (!row) return fail("not_found", "No such notification.");
	if (!row.readAt) db.update(notifications).set({ readAt: new Date(now) }).where(eq(notifications.seq, row.seq)).run();
	const updated = db.select().from(notifications).where(eq(notifications.seq, row.seq)).get() ?? row;
	return ok({ notification: toNotification(updated), unread: unreadCount(db, personId) });
}

/** Marks all the person's notifications read; returns how many were unread. */
export function markAllRead(db: AccountDb, personId: string, now: number): number {
	return db
		.update(notifications)
		.set({ readAt: new Date(now) })
		.where(and(eq(notifications.personId, personId), isNull(notifications.readAt)))
		.returning({ seq: notifications.seq })
		.all().length;
}

/** Notifications written after `seq`, oldest first (the socket hub pushes them). */
export function notificationsAfter(db: AccountDb, seq: number, limit = 500): (Notification & { seq: number; personId: string })[] {
	return pushStatements(db)
		.after.all({ seq, limit })
		.map((r) => ({ ...toNotification(r), seq: r.seq, personId: r.personId }));
}

export function lastNotificationSeq(db: AccountDb): number {
	return pushStatements(db).last.get()?.seq ?? 0;
}

/** Asked after every write (the socket hub's push): built once. */
const pushStatements = statements((db) => ({
	after: db.select().from(notifications).where(gt(notifications.seq, sql.placeholder("seq"))).orderBy(notifications.seq).limit(sql.placeholder("limit")).prepare(),
	last: db.select({ seq: sql<number | null>`max(${notifications.seq})` }).from(notifications).prepare(),
}));

// ── Who hears of what ────────────────────────────────────────────────────────

/** A request as one side saw it before a change (null: new to this side). */
export interface RequestBefore {
	teamAccountId: string | null;
	teamId: string | null;
	memberId: string | null;
	status: RequestStatus;
}

/** The person who made a change, as the request's messages carry them. */
export interface ChangeActor {
	personId: string;
	accountId: string;
	name: string;
}

export interface RequestChange {
	before: RequestBefore | null;
	request: RequestSummary;
	/** The note the change added: shared, or internal to this account. */
	note: RequestNote | null;
	actor: ChangeActor | null;
}

const requestLink = (self: string, id: string) => `/${self}/requests/${id}`;

/**
 * A request changed; this account tells its own people. As the owner: the requesters (never of an
 * internal note). As the account whose team works on it: the member it was assigned to, else the
 * team's coordinator, else its members (teamRecipients); and the member of a note or status
 * change. Call inside the change's transaction, on each side.
 */
export function notifyRequestChange(db: AccountDb, self: string, change: RequestChange, now: number): void {
	const { before, request: s, note, actor } = change;
	const ref = { id: s.id, number: s.number, accountId: s.owner.id };
	const link = requestLink(self, s.id);
	// Only a person of this account is left out as the actor: ids are per directory, but another
	// account's specialist is never one of this account's recipients here anyway.
	const by = actor && actor.accountId === self ? { personId: actor.personId, name: actor.name } : actor ? { personId: null, name: actor.name } : null;
	const statusChanged = before !== null && before.status !== s.status;
	const body = excerpt(note?.body);
	// The account's webhooks hear of the same facts, as this account sees them.
	emitEvents(db, requestEvents(self, change), now);

	if (s.owner.id === self && note?.visibility !== "internal") {
		const requesters = [s.requestedBy.id, s.requestedFor.id];
		if (before === null) {
			// Registered for someone else: they hear of it. The one who registered it knows.
			if (s.requestedFor.id !== s.requestedBy.id) {
				notify(db, { kind: "my_request_updated", title: `Request #${s.number} was registered for you: ${s.subject}`, body, request: ref, link, actor: by }, [s.requestedFor.id], now);
			}
		} else if (statusChanged && s.status === "waiting_for_customer") {
			notify(db, { kind: "waiting_for_me", title: `Request #${s.number} waits for your answer: ${s.subject}`, body, request: ref, link, actor: by }, requesters, now);
		} else if (statusChanged || note) {
			const title = statusChanged ? `Request #${s.number} is ${label(s.status)}: ${s.subject}` : `New note on request #${s.number}: ${s.subject}`;
			notify(db, { kind: "my_request_updated", title, body, request: ref, link, actor: by }, requesters, now);
		}
	}

	if (s.team?.accountId === self && s.team.id) {
		const teamChanged = before === null || before.teamAccountId !== self || before.teamId !== s.team.id;
		const memberChanged = s.member !== null && before?.memberId !== s.member.id;
		if (teamChanged) {
			const recipients = s.member ? [s.member.id] : teamRecipients(db, s.team.id);
			const title = s.member ? `Request #${s.number} is assigned to you: ${s.subject}` : `Request #${s.number} is assigned to ${s.team.name}: ${s.subject}`;
			notify(db, { kind: "request_assigned", title, body, request: ref, link, actor: by }, recipients, now);
		} else if (memberChanged && s.member) {
			notify(db, { kind: "request_assigned", title: `Request #${s.number} is assigned to you: ${s.subject}`, body, request: ref, link, actor: by }, [s.member.id], now);
		} else if (s.member && (statusChanged || note)) {
			const title = statusChanged ? `Request #${s.number} is ${label(s.status)}: ${s.subject}` : `New ${note?.visibility === "internal" ? "internal " : ""}note on request #${s.number}: ${s.subject}`;
			notify(db, { kind: "request_updated", title, body, request: ref, link, actor: by }, [s.member.id], now);
		}
	}
}

/**
 * An SLA clock of a request this account's team works on recorded a warning or a breach: the
 * member working on it hears of it; while nobody has picked it up, the team's coordinator, or the
 * whole team when it has none.
 */
export function notifySlaEvent(
	db: AccountDb,
	self: string,
	event: { kind: "warning" | "breach"; text: string; request: { id: string; number: number; accountId: string; subject: string }; teamId: string | null; memberId: string | null; slaName: string },
	now: number,
): void {
	const recipients = event.memberId ? [event.memberId] : event.teamId ? teamRecipients(db, event.teamId) : [];
	const { request: r } = event;
	emitEvent(db, slaEvent(self, event), now);
	notify(
		db,
		{
			kind: event.kind === "warning" ? "sla_warning" : "sla_breach",
			title: `${event.text} on request #${r.number}: ${r.subject}`,
			body: `SLA ${event.slaName}`,
			request: { id: r.id, number: r.number, accountId: r.accountId },
			link: requestLink(self, r.id),
		},
		recipients,
		now,
	);
}

/**
 * A trust changed: this account's administrators hear that the other account asks for it, or
 * that it became active or ended, by either side's act (the acting administrator excepted).
 * `administrators` comes from the directory.
 */
export function notifyTrustChange(
	db: AccountDb,
	self: string,
	other: string,
	change: { before: TrustStatus | undefined; after: TrustStatus | undefined; asked: boolean },
	actor: { personId?: string | null | undefined; name: string },
	administrators: readonly string[],
	now: number,
): void {
	const hook = trustEvent(self, other, change);
	if (hook) emitEvent(db, hook, now);
	let fact: Pick<NotificationFact, "kind" | "title"> | null = null;
	if (change.asked && change.after === "pending") fact = { kind: "trust_asked", title: `${other} asks for a trust with this account` };
	else if (change.before !== "active" && change.after === "active") fact = { kind: "trust_accepted", title: `The trust with ${other} is active` };
	else if (change.before === "active" && change.after !== "active") fact = { kind: "trust_ended", title: `The trust with ${other} ended` };
	if (!fact) return;
	notify(db, { ...fact, body: null, trustAccountId: other, link: `/${self}/trusts`, actor: { personId: actor.personId ?? null, name: actor.name } }, administrators, now);
}

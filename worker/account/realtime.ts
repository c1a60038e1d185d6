// The account's live events: an append-only, bounded log with per-account sequence numbers,
// who may receive each event, and the one-time tickets that open sockets. Two kinds share the
// log: request events (carrying the request as its viewers may see it) and invalidations of
// trusts, SLAs and the catalog (carrying nothing but what changed; see shared/live-topics.ts).
import { and, eq, gt, lt } from "drizzle-orm";
import { base64url, randomBytes, sha256Hex } from "../identity/crypto";
import type { LiveTopic } from "../shared/live-topics";
import { ClientFrame, PROTOCOL_VERSION, type RequestNote, type RequestSummary, type ServerFrame } from "../shared/request-api";
import type { NotificationFrame } from "../shared/notification-api";
import type { AccountContext, PersonActor } from "./context";
import type { AccountDb } from "./db";
import { lastNotificationSeq, notificationsAfter, unreadCount } from "./notifications";
import { events, socketTickets } from "./schema";
import { teamIdsOf } from "./teams";

/** Keep this many events: a client further behind than that refetches instead of catching up. */
export const EVENT_LOG_SIZE = 5_000;
const TICKET_TTL_MS = 30_000;
const PUSH_BATCH = 1000;

/** Who is on the other end of a socket (fixed for the socket's life, kept in its attachment). */
export interface Viewer {
	personId: string;
	name: string;
	/** Specialist, administrator or auditor of this account: sees the account's own requests. */
	staff: boolean;
	/** Administrator or auditor: also sees every request assigned to this account's teams. */
	overseer: boolean;
	teamIds: string[];
	/** The invalidation topics they may hear of (from their permissions; none on tickets issued before topics existed). */
	topics?: LiveTopic[];
}

/** Who an event is for, written with it. */
export interface Audience {
	ownerAccountId: string;
	requesterIds: string[];
	teamAccountId: string | null;
	teamId: string | null;
	/** An internal note: only this account's staff who may see the request. */
	internal: boolean;
}

/** An invalidation's audience: whoever may read the topic. */
export interface TopicAudience {
	topic: LiveTopic;
}

export type EventKind = Extract<ServerFrame, { type: "event" }>["kind"];
/** The stored kind of an invalidation (its topic is in the audience). */
const INVALIDATE = "invalidate";

/** The one rule for live events and for reading requests alike. */
export function mayReceive(self: string, viewer: Viewer, a: Audience | TopicAudience): boolean {
	if ("topic" in a) return viewer.topics?.includes(a.topic) ?? false;
	if (a.ownerAccountId === self) {
		if (viewer.staff) return true;
		return !a.internal && a.requesterIds.includes(viewer.personId);
	}
	// Another account's request: only if it is assigned to a team of this account.
	if (a.teamAccountId !== self || a.teamId === null) return false;
	return viewer.overseer || (viewer.staff && viewer.teamIds.includes(a.teamId));
}

export function appendEvent(
	db: AccountDb,
	e: { kind: EventKind; requestId: string; audience: Audience; request: RequestSummary | null; note: RequestNote | null },
	now: number,
): void {
	// Raw SQL through the storage API: every change of a request appends one, and drizzle's builder
	// cost more than the insert. Columns as in schema.ts `events` (json columns hold JSON text).
	const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
	db.$client.sql.exec(
		"INSERT INTO events (at, kind, request_id, audience, request, note) VALUES (?, ?, ?, ?, ?, ?)",
		now,
		e.kind,
		e.requestId,
		JSON.stringify(e.audience),
		json(e.request),
		json(e.note),
	);
}

/**
 * Tells the account's sockets that what they see of `topic` (item `id`) changed, inside the
 * change's transaction. The subject's id goes in the log's request_id column ("" for none).
 */
export function appendInvalidation(db: AccountDb, topic: LiveTopic, id: string | null, now: number): void {
	db.insert(events).values({ at: new Date(now), kind: INVALIDATE, requestId: id ?? "", audience: { topic } satisfies TopicAudience, request: null, note: null }).run();
}

export function lastSeq(db: AccountDb): number {
	return db.$client.sql.exec<{ seq: number | null }>(LAST_SEQ_SQL).one().seq ?? 0;
}

/**
 * The first and last sequence numbers the log holds (0 when empty), in one statement: asked after
 * every write (is the log due for pruning?). Two scalar subqueries, not `min(seq), max(seq)` in
 * one select: SQLite answers a lone min() or max() from the ends of the key, but both together
 * scan the whole log.
 */
export function logSpan(db: AccountDb): { first: number; last: number } {
	const span = db.$client.sql.exec<{ first: number | null; last: number | null }>(LOG_SPAN_SQL).one();
	return { first: span.first ?? 0, last: span.last ?? 0 };
}

const LAST_SEQ_SQL = "SELECT max(seq) AS seq FROM events";
const LOG_SPAN_SQL = "SELECT (SELECT min(seq) FROM events) AS first, (SELECT max(seq) FROM events) AS last";

export type StoredEvent =
	| { seq: number; kind: EventKind; requestId: string; audience: Audience; request: RequestSummary | null; note: RequestNote | null }
	| { seq: number; kind: typeof INVALIDATE; requestId: string; audience: TopicAudience; request: null; note: null };

/**
 * Raw SQL through the storage API, like appendEvent: read after every write (the socket hub's push),
 * and drizzle's row mapping cost more than the read. Columns as in schema.ts `events` (json as text).
 */
export function eventsAfter(db: AccountDb, seq: number, limit = 1000): StoredEvent[] {
	const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
	return db.$client.sql
		.exec<{ seq: number; kind: string; requestId: string; audience: string; request: string | null; note: string | null }>(
			"SELECT seq, kind, request_id AS requestId, audience, request, note FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
			seq,
			limit,
		)
		.toArray()
		.map(
			(r) =>
				({
					seq: r.seq,
					kind: r.kind,
					requestId: r.requestId,
					audience: json(r.audience),
					request: json(r.request),
					note: json(r.note),
				}) as StoredEvent,
		);
}

export function toFrame(e: StoredEvent): ServerFrame {
	if (e.kind === INVALIDATE) return { type: "invalidate", seq: e.seq, topic: e.audience.topic, id: e.requestId || null };
	return { type: "event", seq: e.seq, kind: e.kind, requestId: e.requestId, request: e.request, note: e.note };
}

/** Drops events beyond the log's size (run now and then, not on every write). */
export function pruneEvents(db: AccountDb): void {
	const cutoff = lastSeq(db) - EVENT_LOG_SIZE;
	if (cutoff > 0) db.delete(events).where(lt(events.seq, cutoff)).run();
}

export async function issueTicket(db: AccountDb, viewer: Viewer, now: number): Promise<string> {
	const ticket = base64url(randomBytes(24));
	db.delete(socketTickets).where(lt(socketTickets.expiresAt, new Date(now))).run();
	db.insert(socketTickets).values({ ticketHash: await sha256Hex(ticket), viewer, expiresAt: new Date(now + TICKET_TTL_MS) }).run();
	return ticket;
}

/** The viewer a ticket was issued for; the ticket is used up. Null when unknown or expired. */
export async function redeemTicket(db: AccountDb, ticket: string, now: number): Promise<Viewer | null> {
	const hash = await sha256Hex(ticket);
	const row = db.delete(socketTickets).where(and(eq(socketTickets.ticketHash, hash), gt(socketTickets.expiresAt, new Date(now)))).returning().get();
	return row ? (row.viewer as Viewer) : null;
}

/** A one-time ticket (30 s) that opens one socket for this person, hearing of `topics` too. */
export async function issueSocketTicket(ctx: AccountContext, person: PersonActor, topics: LiveTopic[]): Promise<string> {
	const viewer: Viewer = { ...person, teamIds: teamIdsOf(ctx.db, person.personId), topics };
	return issueTicket(ctx.db, viewer, ctx.now());
}

/** The AccountObject's fetch: only the WebSocket upgrade comes here; the Worker has checked the origin. */
export async function upgrade(ctx: AccountContext, request: Request): Promise<Response> {
	if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade.", { status: 426 });
	const ticket = new URL(request.url).searchParams.get("ticket") ?? "";
	const viewer = ticket ? await redeemTicket(ctx.db, ticket, ctx.now()) : null;
	const pair = new WebSocketPair();
	const [client, server] = [pair[0], pair[1]];
	if (!viewer) {
		// Browsers hide an upgrade's HTTP error body: say it on the socket, then close.
		server.accept();
		server.send(JSON.stringify({ type: "error", code: "unauthenticated", message: "Unknown or expired ticket: ask for a new one." }));
		server.close(4001, "unauthenticated");
		return new Response(null, { status: 101, webSocket: client });
	}
	ctx.hub.accept(server, viewer);
	return new Response(null, { status: 101, webSocket: client });
}

/** A client closed its socket: reciprocate, or clients see 1006 instead of a clean close. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
	try {
		ws.close(code === 1005 ? 1000 : code, reason);
	} catch {
		// already closed
	}
}

/** What a socket carries through hibernation: who it is, and the last event it was sent. */
export interface SocketAttachment {
	viewer: Viewer;
}

/**
 * Pushes new events to the account's sockets, each only what its viewer may receive. Owned by
 * the AccountObject; `pushed` is in memory (after a wake-up it starts at the log's end: events
 * older than that were pushed before, or are caught up by the client's resume).
 */
export class SocketHub {
	#pushed: number | null = null;
	/** The last notification pushed (notifications.ts numbers them too). */
	#notified: number | null = null;
	constructor(
		private readonly ctx: DurableObjectState,
		private readonly db: AccountDb,
		private readonly self: () => string,
	) {}

	/**
	 * Call once the schema is migrated, before any write. Marks where this life of the object
	 * starts pushing: read lazily after a write instead, the log's end already holds that write's
	 * events, and sockets that outlived a hibernation would never get them.
	 */
	start(): void {
		this.#pushed = lastSeq(this.db);
		this.#notified = lastNotificationSeq(this.db);
	}

	accept(ws: WebSocket, viewer: Viewer): void {
		this.ctx.acceptWebSocket(ws);
		ws.serializeAttachment({ viewer } satisfies SocketAttachment);
		this.#send(ws, { type: "hello", seq: lastSeq(this.db), protocol: PROTOCOL_VERSION });
	}

	/** Sends every event and notification committed since the last push. Call after each write. */
	push(): void {
		this.#pushEvents();
		this.#pushNotifications();
	}

	/**
	 * Each new notification goes to its recipient's sockets only (a person may have several tabs),
	 * with their unread count as of now. Not part of the resumable log: a client that reconnects
	 * asks for its list and count again.
	 */
	#pushNotifications(): void {
		let from = this.#notified ?? lastNotificationSeq(this.db);
		for (;;) {
			const fresh = notificationsAfter(this.db, from, PUSH_BATCH);
			this.#notified = fresh[fresh.length - 1]?.seq ?? from;
			if (fresh.length === 0) return;
			const sockets = new Map<string, WebSocket[]>();
			for (const ws of this.ctx.getWebSockets()) {
				const viewer = this.#viewer(ws);
				if (viewer) sockets.set(viewer.personId, [...(sockets.get(viewer.personId) ?? []), ws]);
			}
			const unread = new Map<string, number>();
			for (const { seq: _seq, personId, ...notification } of fresh) {
				const targets = sockets.get(personId);
				if (!targets) continue;
				let count = unread.get(personId);
				if (count === undefined) unread.set(personId, (count = unreadCount(this.db, personId)));
				const text = JSON.stringify({ type: "notification", notification, unread: count } satisfies NotificationFrame);
				for (const ws of targets) this.#sendText(ws, text);
			}
			if (fresh.length < PUSH_BATCH) return;
			from = this.#notified;
		}
	}

	#pushEvents(): void {
		let from = this.#pushed ?? lastSeq(this.db);
		// In batches until caught up: one write may append more than a batch (a trust's end removes
		// every request of that account from the Inbox), and what is left behind would otherwise
		// wait for later writes.
		for (;;) {
			const fresh = eventsAfter(this.db, from, PUSH_BATCH);
			this.#pushed = fresh[fresh.length - 1]?.seq ?? from;
			if (fresh.length === 0) return;
			const self = this.self();
			// Each event is serialized once, however many sockets get it (1,000 watchers of one request).
			const texts = new Map<number, string>();
			const textOf = (e: StoredEvent): string => {
				let text = texts.get(e.seq);
				if (text === undefined) texts.set(e.seq, (text = JSON.stringify(toFrame(e))));
				return text;
			};
			for (const ws of this.ctx.getWebSockets()) {
				const viewer = this.#viewer(ws);
				if (!viewer) continue;
				for (const e of fresh) if (mayReceive(self, viewer, e.audience)) this.#sendText(ws, textOf(e));
			}
			if (fresh.length < PUSH_BATCH) return;
			from = this.#pushed;
		}
	}

	/**
	 * Closes these people's sockets (4001, like an unknown ticket): a socket's viewer is fixed when
	 * it opens, so when what they may see changes (roles, teams, leaving the account) they must
	 * ask for a new ticket, which checks them again, and resume.
	 */
	closeFor(personIds: Iterable<string>): void {
		const who = new Set(personIds);
		if (who.size === 0) return;
		for (const ws of this.ctx.getWebSockets()) {
			const viewer = this.#viewer(ws);
			if (!viewer || !who.has(viewer.personId)) continue;
			try {
				ws.close(4001, "access changed");
			} catch {
				// already closing
			}
		}
	}

	/** A client's frame. Bad frames get an error frame; the socket stays open. */
	receive(ws: WebSocket, raw: string | ArrayBuffer): void {
		if (typeof raw !== "string" || raw.length > 4096) {
			this.#send(ws, { type: "error", code: "invalid_frame", message: "Send JSON text frames of at most 4 KB." });
			return;
		}
		let json: unknown;
		try {
			json = JSON.parse(raw);
		} catch {
			this.#send(ws, { type: "error", code: "invalid_frame", message: "Frames are JSON." });
			return;
		}
		const frame = ClientFrame.safeParse(json);
		if (!frame.success) {
			this.#send(ws, { type: "error", code: "invalid_frame", message: 'Expected {"type":"resume","lastSeq":n} or {"type":"ping"}.' });
			return;
		}
		if (frame.data.type === "ping") this.#send(ws, { type: "pong" });
		else this.#resume(ws, frame.data.lastSeq);
	}

	#resume(ws: WebSocket, after: number): void {
		const viewer = this.#viewer(ws);
		if (!viewer) return;
		const { first: oldest, last } = logSpan(this.db);
		// Further back than the log reaches, or ahead of it (a client of an older life of this
		// account's data): catching up is impossible, so the client refetches.
		if (after > last || (after < oldest - 1 && oldest > 0)) {
			this.#send(ws, { type: "reset", seq: last });
			return;
		}
		const self = this.self();
		let cursor = after;
		for (;;) {
			const batch = eventsAfter(this.db, cursor, 500);
			for (const e of batch) if (mayReceive(self, viewer, e.audience)) this.#send(ws, toFrame(e));
			if (batch.length < 500) break;
			cursor = batch[batch.length - 1]?.seq ?? cursor;
		}
	}

	#viewer(ws: WebSocket): Viewer | null {
		const att = ws.deserializeAttachment() as SocketAttachment | null;
		return att?.viewer ?? null;
	}

	#send(ws: WebSocket, frame: ServerFrame): void {
		this.#sendText(ws, JSON.stringify(frame));
	}

	#sendText(ws: WebSocket, text: string): void {
		try {
			ws.send(text);
		} catch {
			// A socket closing under us: its client reconnects and resumes.
		}
	}
}

// Messages between accounts: a transactional outbox on the sending side, an in-order,
// exactly-once inbox on the receiving side.
//
// Guarantees (tested in test/worker/messaging.test.ts and test/unit/messaging.test.ts):
// - A change and the messages announcing it are written in one transaction (`enqueue` runs
//   inside the caller's): if the change is committed, so are its messages; if not, neither.
// - Every message is delivered at least once: delivery is tried at once after the commit and
//   again by the alarm, with exponential backoff, until the receiver acknowledges it. A message
//   that keeps failing is parked after MAX_ATTEMPTS and shown to the account's administrators,
//   who can retry it; messages behind it to the same account wait, so order is never broken.
// - Every message is applied at most once, in order per sender: the receiver applies message n
//   only after n-1, records n as its cursor in the same transaction as the effect, and answers
//   duplicates (n ≤ cursor) without applying them again. At least once + at most once = once.
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { OutboxMessage } from "../shared/service-api";
import { placeholders, statements, transaction, type AccountDb } from "./db";
import { inboxCursors, outbox, outboxSequences } from "./schema";

export const MAX_ATTEMPTS = 10;
const MAX_BATCH = 50;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

export interface WireMessage {
	seq: number;
	kind: string;
	payload: unknown;
}

export interface Envelope {
	from: string;
	messages: WireMessage[];
}

/** The receiver's answer: everything up to `appliedThrough` is applied (now or before). */
export interface Receipt {
	appliedThrough: number;
	/** Why the message after `appliedThrough` was not applied, if one was refused. */
	error?: string;
}

/** Sends an envelope to another account and returns its receipt; throws when it cannot. */
export type Transport = (to: string, envelope: Envelope) => Promise<Receipt>;

/** Applies one message inside the receiver's transaction; throws to refuse it. */
export type Handler = (from: string, kind: string, payload: unknown) => void;

/** Queues a message to another account. Call inside the transaction that makes the change. */
export function enqueue(db: AccountDb, to: string, kind: string, payload: unknown, now: number): void {
	const row = q(db).nextSeq.get({ to });
	if (!row) throw new Error("outbox sequence not written");
	q(db).insert.run({ toAccount: to, destSeq: row.seq, kind, payload, createdAt: new Date(now), nextAttemptAt: new Date(now) } satisfies typeof outbox.$inferInsert);
}

export function backoffMs(attempts: number, random = Math.random): number {
	const base = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
	return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * The first waiting message per destination. Only these matter for scheduling: a message behind
 * a parked one waits for it, whatever its own next attempt time says.
 */
function heads(db: AccountDb) {
	return q(db).heads.all();
}

/** An outbox row that is the first waiting message of its destination (the heads, and NEXT_DELIVERY_SQL). */
const HEAD_OF_DESTINATION = "outbox.dest_seq = (SELECT min(i.dest_seq) FROM outbox i WHERE i.to_account = outbox.to_account)";

const q = statements((db) => ({
	heads: db
		.select({ to: outbox.toAccount, nextAttemptAt: outbox.nextAttemptAt, parkedAt: outbox.parkedAt })
		.from(outbox)
		.where(sql.raw(HEAD_OF_DESTINATION))
		.prepare(),
	nextSeq: db
		.insert(outboxSequences)
		.values({ toAccount: sql.placeholder("to"), lastSeq: 1 })
		.onConflictDoUpdate({ target: outboxSequences.toAccount, set: { lastSeq: sql`${outboxSequences.lastSeq} + 1` } })
		.returning({ seq: outboxSequences.lastSeq })
		.prepare(),
	insert: db.insert(outbox).values(placeholders("toAccount", "destSeq", "kind", "payload", "createdAt", "nextAttemptAt")).prepare(),
	cursor: db.select({ lastSeq: inboxCursors.lastSeq }).from(inboxCursors).where(eq(inboxCursors.fromAccount, sql.placeholder("from"))).prepare(),
	setCursor: db
		.insert(inboxCursors)
		.values({ fromAccount: sql.placeholder("from"), lastSeq: sql.placeholder("seq"), updatedAt: sql.placeholder("at") })
		.onConflictDoUpdate({ target: inboxCursors.fromAccount, set: { lastSeq: sql`excluded.last_seq`, updatedAt: sql`excluded.updated_at` } })
		.prepare(),
	batch: db.select().from(outbox).where(eq(outbox.toAccount, sql.placeholder("to"))).orderBy(asc(outbox.destSeq)).limit(MAX_BATCH).prepare(),
	ack: db
		.delete(outbox)
		.where(and(eq(outbox.toAccount, sql.placeholder("to")), lte(outbox.destSeq, sql.placeholder("through"))))
		.returning({ id: outbox.id })
		.prepare(),
}));

/**
 * When the outbox next needs a delivery attempt (epoch ms), null when nothing can go out: the
 * earliest first waiting message of a destination, unless that one is parked (what waits behind
 * it waits for it, whatever its own next attempt says). A scalar query, for the scheduler's one
 * read of every due date.
 */
export const NEXT_DELIVERY_SQL = `SELECT min(outbox.next_attempt_at) FROM outbox WHERE outbox.parked_at IS NULL AND ${HEAD_OF_DESTINATION}`;

/** Destinations whose first waiting message is due (and not parked). */
function dueDestinations(db: AccountDb, now: number): string[] {
	return heads(db)
		.filter((h) => !h.parkedAt && h.nextAttemptAt.getTime() <= now)
		.map((h) => h.to);
}

export interface DeliveryReport {
	delivered: number;
	failed: string[];
	parked: string[];
}

/** Sends what is due to one destination, in order, and records the outcome. */
async function deliverTo(db: AccountDb, self: string, to: string, transport: Transport, now: () => number, report: DeliveryReport) {
	const rows = q(db).batch.all({ to });
	const head = rows[0];
	if (!head || head.parkedAt) return;
	// Only up to the first parked message: nothing may overtake it.
	const parkedIndex = rows.findIndex((r) => r.parkedAt !== null);
	const batch = parkedIndex === -1 ? rows : rows.slice(0, parkedIndex);
	let receipt: Receipt;
	try {
		receipt = await transport(to, { from: self, messages: batch.map((r) => ({ seq: r.destSeq, kind: r.kind, payload: r.payload })) });
	} catch (err) {
		receipt = { appliedThrough: head.destSeq - 1, error: err instanceof Error ? err.message : String(err) };
	}
	const acked = q(db).ack.all({ to, through: receipt.appliedThrough });
	report.delivered += acked.length;
	if (receipt.appliedThrough >= (batch.at(-1)?.destSeq ?? 0)) return;
	// The first message not applied failed this attempt; later ones simply wait behind it.
	const failed = batch.find((r) => r.destSeq > receipt.appliedThrough);
	if (!failed) return;
	const attempts = failed.attempts + 1;
	const parked = attempts >= MAX_ATTEMPTS;
	db.update(outbox)
		.set({
			attempts,
			lastError: (receipt.error ?? "Not applied by the receiver.").slice(0, 1000),
			nextAttemptAt: new Date(now() + backoffMs(attempts)),
			parkedAt: parked ? new Date(now()) : null,
		})
		.where(eq(outbox.id, failed.id))
		.run();
	(parked ? report.parked : report.failed).push(`${to}#${failed.destSeq}`);
}

/** Tries every due destination once. At most 6 at a time (the Workers limit on open requests). */
export async function deliverDue(db: AccountDb, self: string, transport: Transport, now: () => number): Promise<DeliveryReport> {
	const report: DeliveryReport = { delivered: 0, failed: [], parked: [] };
	const queue = dueDestinations(db, now());
	const workers = Array.from({ length: Math.min(6, queue.length) }, async () => {
		for (let to = queue.shift(); to !== undefined; to = queue.shift()) await deliverTo(db, self, to, transport, now, report);
	});
	await Promise.all(workers);
	return report;
}

/**
 * Applies an envelope's messages in order, each in its own transaction together with the cursor,
 * so a reset between two of them loses nothing. Duplicates are skipped; a gap stops the batch
 * (the sender resends from the receipt's cursor).
 */
export function receive(db: AccountDb, envelope: Envelope, handle: Handler, now: number): Receipt {
	let cursor = q(db).cursor.get({ from: envelope.from })?.lastSeq ?? 0;
	const messages = [...envelope.messages].sort((a, b) => a.seq - b.seq);
	for (const msg of messages) {
		if (msg.seq <= cursor) continue;
		if (msg.seq !== cursor + 1) return { appliedThrough: cursor, error: `Message ${msg.seq} arrived before ${cursor + 1}.` };
		try {
			transaction(db, () => {
				handle(envelope.from, msg.kind, msg.payload);
				q(db).setCursor.run({ from: envelope.from, seq: msg.seq, at: new Date(now) });
			});
		} catch (err) {
			return { appliedThrough: cursor, error: `${msg.kind} #${msg.seq}: ${err instanceof Error ? err.message : String(err)}` };
		}
		cursor = msg.seq;
	}
	return { appliedThrough: cursor };
}

export function listOutbox(db: AccountDb): OutboxMessage[] {
	return db
		.select()
		.from(outbox)
		.orderBy(asc(outbox.toAccount), asc(outbox.destSeq))
		.limit(500)
		.all()
		.map((r) => ({
			id: `${r.toAccount}#${r.destSeq}`,
			to: r.toAccount,
			seq: r.destSeq,
			kind: r.kind,
			status: r.parkedAt ? ("parked" as const) : ("pending" as const),
			attempts: r.attempts,
			nextAttemptAt: r.parkedAt ? null : r.nextAttemptAt.toISOString(),
			lastError: r.lastError,
			createdAt: r.createdAt.toISOString(),
		}));
}

/** Puts a parked message back in line, with a fresh count of attempts. */
export function retryParked(db: AccountDb, to: string, seq: number, now: number): boolean {
	const rows = db
		.update(outbox)
		.set({ parkedAt: null, attempts: 0, nextAttemptAt: new Date(now) })
		.where(and(eq(outbox.toAccount, to), eq(outbox.destSeq, seq), sql`${outbox.parkedAt} is not null`))
		.returning({ id: outbox.id })
		.all();
	return rows.length === 1;
}

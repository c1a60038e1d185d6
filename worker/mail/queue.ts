// The account's mail queue and delivery log (table mail_outbox). A mail is queued in the
// transaction of the fact that causes it, so a change and its mails commit together or not at
// all; the account object sends what is due right after the commit and again from its alarm,
// retrying 1 min, 5 min, 30 min, 2 h and 12 h after failures before giving up. Rows stay as
// the delivery log (sent / failed / bounced) for LOG_RETENTION_MS.
import { and, desc, eq, inArray, isNotNull, lt, lte, or, sql } from "drizzle-orm";
import { placeholders, statements, stored, transaction, type AccountDb } from "../account/db";
import { mailOutbox } from "../account/schema";
import { z } from "zod";
import { pageFrom, readCursor } from "../lib/cursor";
import { DEFAULT_LIMIT } from "../shared/page-api";
import { fail, ok, type Result } from "../lib/result";
import { composeMail, MailToSendSchema, type Branding, type ComposedMail } from "./compose";
import type { MailDelivery, MailDeliveryPage, MailStatus } from "../shared/mail-api";
import type { MailKind, MailToSend } from "./types";

export type { MailDelivery, MailDeliveryPage, MailStatus };

/** Wait after the n-th failed attempt; one more failure after the last and the mail has failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Mails sent per run: the rest wait for the next run, a moment later (keeps one run short). */
const BATCH = 25;
export const LOG_RETENTION_MS = 90 * 86_400_000;

/**
 * Queues a mail. Call inside the transaction that records the fact it tells of. Bad input (a
 * subject or name with a line break, a non-web link…) is refused and nothing is written.
 */
export function queueMail(db: AccountDb, mail: MailToSend, now: number): Result<{ id: string }> {
	const parsed = MailToSendSchema.safeParse(mail);
	if (!parsed.success) {
		return fail(
			"invalid_input",
			"This e-mail cannot be sent as given.",
			parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
		);
	}
	const m = parsed.data;
	const id = crypto.randomUUID();
	queueStatement(db).run({
		id,
		kind: m.kind,
		// A person's address is read when the mail is sent; the log shows it from then on.
		toEmail: m.to.email ?? "",
		toName: m.to.name ?? "",
		personId: m.to.personId ?? null,
		subject: m.subject,
		content: { paragraphs: m.paragraphs, ...(m.action ? { action: m.action } : {}) },
		requestId: m.requestId ?? null,
		sensitive: m.sensitive ?? false,
		nextAttemptAt: new Date(now),
		createdAt: new Date(now),
	} satisfies Omit<typeof mailOutbox.$inferInsert, "status" | "attempts">);
	return ok({ id });
}

/**
 * The insert of `queueMail`, built once per object: a create queues a mail per notified person
 * inside its transaction (issue 12). Every new mail is queued with no attempt yet: those two are fixed.
 */
const queueStatement = statements((db) =>
	db
		.insert(mailOutbox)
		.values({
			...placeholders("id", "kind", "toEmail", "toName", "personId", "subject", "content", "requestId", "sensitive", "nextAttemptAt", "createdAt"),
			status: "queued",
			attempts: 0,
		})
		.prepare(),
);

/** When the queue next needs a run (epoch ms), null when nothing waits. A scalar query, for the scheduler's one read of every due date. */
export const NEXT_MAIL_SQL = "SELECT min(next_attempt_at) FROM mail_outbox";

/**
 * A run's statements, built once per object: a create's notifications send mails in runs, and
 * drizzle's builder cost more than the statements (issue 12). Every value goes to SQLite as given:
 * timestamps as epoch ms.
 *
 * An outcome is recorded only on a row still queued (`returning` says whether it was): a row
 * another run has already finished (a run that overlapped) is left alone. A finished sensitive
 * mail's content (a link that signs in) is dropped by the same statement.
 */
const runStatements = statements((db) => {
	const stillQueued = and(eq(mailOutbox.id, sql.placeholder("id")), eq(mailOutbox.status, "queued"));
	const contentUnlessSensitive = sql`case when ${mailOutbox.sensitive} then null else ${mailOutbox.content} end`;
	return {
		due: db
			.select()
			.from(mailOutbox)
			.where(and(isNotNull(mailOutbox.nextAttemptAt), lte(mailOutbox.nextAttemptAt, sql.placeholder("now"))))
			.orderBy(mailOutbox.nextAttemptAt)
			.limit(BATCH)
			.prepare(),
		sent: db
			.update(mailOutbox)
			.set({
				status: "sent",
				attempts: stored("attempts"),
				nextAttemptAt: null,
				lastError: null,
				messageId: stored("messageId"),
				finishedAt: stored("at"),
				toEmail: stored("toEmail"),
				toName: stored("toName"),
				content: contentUnlessSensitive,
			})
			.where(stillQueued)
			.returning({ id: mailOutbox.id })
			.prepare(),
		failed: db
			.update(mailOutbox)
			.set({ status: "failed", attempts: stored("attempts"), nextAttemptAt: null, lastError: stored("error"), finishedAt: stored("at"), content: contentUnlessSensitive })
			.where(stillQueued)
			.returning({ id: mailOutbox.id })
			.prepare(),
		retry: db
			.update(mailOutbox)
			.set({ attempts: stored("attempts"), nextAttemptAt: stored("next"), lastError: stored("error") })
			.where(stillQueued)
			.returning({ id: mailOutbox.id })
			.prepare(),
	};
});

/** Everything a run needs from outside the account's database. */
export interface MailTransport {
	branding: Branding;
	/** The account's portal, with a trailing slash. */
	portalUrl: string;
	mailDomain: string;
	/** The recipients' current addresses and names (one directory query per run); a person who is gone is missing. */
	addressesOf(personIds: readonly string[]): Promise<Map<string, { email: string; name: string; verified: boolean }>>;
	/** The thread addresses (thread.ts) of the run's requests, asked once per run; a request that is gone is missing. */
	threadAddresses(requestIds: readonly string[]): Promise<Map<string, string>>;
	/** Hands the mail to the Email Service; throws when it refuses. Returns its Message-ID. */
	send(mail: ComposedMail): Promise<string | null>;
	/** After the run's last send (the local demo keeps its copies of the run's mails here). */
	finish?(): Promise<void>;
}

export interface MailRunReport {
	sent: number;
	retrying: number;
	failed: number;
}

/**
 * Mails handed to the binding at once in a run: the Workers limit on a request's simultaneous open
 * connections is 6, and more would only wait inside the runtime.
 */
export const SEND_CONCURRENCY = 6;

type DueMail = typeof mailOutbox.$inferSelect;

/** What one attempt at one mail came to, recorded with the run's others at its end. */
type Outcome =
	| { row: DueMail; sent: true; messageId: string | null; to: { email: string; name: string } }
	| { row: DueMail; sent: false; error: string; permanent: boolean };

function errorText(err: unknown): string {
	return (err instanceof Error ? err.message : String(err)).slice(0, 1_000);
}

/** What `ask` answers, or the error it threw: one failed lookup holds back only the mails that need it. */
async function settled<T>(ask: () => Promise<T>): Promise<T | Error> {
	try {
		return await ask();
	} catch (err) {
		return err instanceof Error ? err : new Error(String(err));
	}
}

/** Runs `task` on every item, at most `limit` at once; the results in the items' order. `task` must not throw. */
async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	let next = 0;
	const lane = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await task(items[i]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
	return results;
}

/**
 * Sends the due mails once each and records what happened. A run reads what is due, asks the
 * directory for the recipients and computes the requests' thread addresses (together, once), sends
 * up to SEND_CONCURRENCY mails at once, and records every outcome in one transaction at its end:
 * one write turn per run, not one per mail.
 *
 * Delivery is at least once: runs of an object go one after the other (scheduler.ts), so no mail
 * is handed to the binding twice by overlapping runs; but a crash or reset after a send and before
 * the run's record sends that run's unrecorded mails again on the next run.
 */
export async function sendDueMail(db: AccountDb, transport: MailTransport, now: () => number): Promise<MailRunReport> {
	const report: MailRunReport = { sent: 0, retrying: 0, failed: 0 };
	const due = runStatements(db).due.all({ now: now() });
	if (due.length === 0) return report;
	// Everyone this run writes to, asked of the directory at once, and the thread addresses of the
	// requests it tells of; if either cannot answer, the mails that need it wait for their next attempt.
	const personIds = [...new Set(due.flatMap((r) => (r.personId ? [r.personId] : [])))];
	const requestIds = [...new Set(due.flatMap((r) => (r.requestId ? [r.requestId] : [])))];
	const [addresses, threads] = await Promise.all([
		settled(async () => (personIds.length > 0 ? transport.addressesOf(personIds) : new Map<string, { email: string; name: string; verified: boolean }>())),
		settled(async () => (requestIds.length > 0 ? transport.threadAddresses(requestIds) : new Map<string, string>())),
	]);

	const attempt = async (row: DueMail): Promise<Outcome> => {
		const failed = (error: string, permanent = false): Outcome => ({ row, sent: false, error, permanent });
		if (row.personId && addresses instanceof Error) return failed(errorText(addresses));
		const to = row.personId ? (addresses instanceof Error ? undefined : addresses.get(row.personId)) : { email: row.toEmail, name: row.toName };
		if (!to) return failed("The recipient no longer has a Trustdesk identity.", true);
		// Only the verification mail reaches an unconfirmed address (identity/email-verification.ts).
		if (row.kind === "notification" && "verified" in to && !to.verified) return failed("Not sent: the recipient has not confirmed their e-mail address yet.", true);
		if (!row.content) return failed("The mail's content is gone.", true);
		if (row.requestId && threads instanceof Error) return failed(errorText(threads));
		try {
			const composed = composeMail(
				{
					kind: row.kind as MailKind,
					to: { email: to.email, name: to.name },
					subject: row.subject,
					paragraphs: row.content.paragraphs,
					...(row.content.action ? { action: row.content.action } : {}),
					...(row.requestId ? { requestId: row.requestId } : {}),
				},
				{
					branding: transport.branding,
					portalUrl: transport.portalUrl,
					mailDomain: transport.mailDomain,
					threadAddress: row.requestId && !(threads instanceof Error) ? (threads.get(row.requestId) ?? null) : null,
				},
			);
			const messageId = await transport.send(composed);
			// The log shows where it went: a person's address is the one read at send time.
			return { row, sent: true, messageId, to: { email: to.email, name: to.name } };
		} catch (err) {
			return failed(errorText(err));
		}
	};
	const outcomes = await mapBounded(due, SEND_CONCURRENCY, attempt);

	const at = now();
	const q = runStatements(db);
	transaction(db, () => {
		for (const o of outcomes) {
			const attempts = o.row.attempts + 1;
			if (o.sent) {
				if (q.sent.get({ id: o.row.id, attempts, messageId: o.messageId, at, toEmail: o.to.email, toName: o.to.name })) report.sent += 1;
			} else if (o.permanent || attempts >= MAX_ATTEMPTS) {
				if (q.failed.get({ id: o.row.id, attempts, error: o.error, at })) report.failed += 1;
			} else {
				const delay = RETRY_DELAYS_MS[attempts - 1] ?? RETRY_DELAYS_MS[4];
				if (q.retry.get({ id: o.row.id, attempts, error: o.error, next: at + delay })) report.retrying += 1;
			}
		}
	});
	await transport.finish?.();
	return report;
}

/**
 * A bounce reported for a sent mail (by the Message-ID the Email Service gave it): the log shows
 * it bounced, with the reason. False when no sent mail of this account has that id.
 */
export function recordBounce(db: AccountDb, messageId: string, reason: string, now: number): boolean {
	const rows = db
		.update(mailOutbox)
		.set({ status: "bounced", lastError: reason.slice(0, 1_000), finishedAt: new Date(now) })
		// The Email Service may give the id with or without its angle brackets; a report names it either way.
		.where(and(inArray(mailOutbox.messageId, [messageId.replace(/^<|>$/g, ""), `<${messageId.replace(/^<|>$/g, "")}>`]), eq(mailOutbox.status, "sent")))
		.returning({ id: mailOutbox.id })
		.all();
	return rows.length > 0;
}

/** Drops log rows older than the retention, a batch at a time (the alarm calls it). */
export function pruneMailLog(db: AccountDb, now: number): void {
	const cutoff = new Date(now - LOG_RETENTION_MS);
	db.run(
		sql`delete from mail_outbox where id in (select id from mail_outbox where next_attempt_at is null and created_at < ${cutoff.getTime()} limit 500)`,
	);
}

/** Where a page of the log ends: [created (ms), id]. */
export const MailDeliveryPosition = z.tuple([z.number(), z.string()]);

/** The log, newest first, a page at a time (keyset: stays fast however long the log is). */
export function listMailDeliveries(db: AccountDb, cursor: string | undefined, limit = DEFAULT_LIMIT): Result<MailDeliveryPage> {
	const position = readCursor(MailDeliveryPosition, cursor);
	if (!position.ok) return position;
	const after = position.value ? { at: position.value[0], id: position.value[1] } : undefined;
	const rows = db
		.select()
		.from(mailOutbox)
		.where(
			after
				? or(lt(mailOutbox.createdAt, new Date(after.at)), and(eq(mailOutbox.createdAt, new Date(after.at)), lt(mailOutbox.id, after.id)))
				: undefined,
		)
		.orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
		.limit(limit + 1)
		.all();
	return ok(
		pageFrom(
			rows,
			limit,
			(r) => ({
			id: r.id,
			kind: r.kind as MailKind,
			status: r.status as MailStatus,
			recipient: { email: r.toEmail, name: r.toName },
			subject: r.subject,
			requestId: r.requestId,
			sensitive: r.sensitive,
			attempts: r.attempts,
			lastError: r.lastError,
			nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
			createdAt: r.createdAt.toISOString(),
			finishedAt: r.finishedAt?.toISOString() ?? null,
			}),
			(r) => [r.createdAt.getTime(), r.id],
		),
	);
}

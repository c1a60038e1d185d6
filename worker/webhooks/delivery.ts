// Webhook deliveries: queued in the transaction of the fact (emitEvent / queueDelivery), sent
// right after the commit and by the account's alarm, retried on the Standard Webhooks schedule
// (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each with ±10 % jitter so that a receiver that was
// down is not hit by every account at once). A 2xx is success; 410 Gone disables the endpoint at
// once; DISABLE_AFTER_FAILURES failed attempts in a row disable it and tell the administrators.
// Rows stay as the delivery log for LOG_RETENTION_MS.
import { and, desc, eq, isNotNull, lt, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { statements, stored, transaction, type AccountDb } from "../account/db";
import { notify } from "../account/notifications";
import { webhookDeliveries, webhookEndpoints } from "../account/schema";
import { pageFrom, readCursor } from "../lib/cursor";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import type { WebhookDelivery, WebhookDeliveryPage } from "../shared/webhook-api";
import { ATTEMPT_LOG_SIZE, failQueued, getEndpointRow } from "./endpoints";
import { isEventType, matches, type WebhookEvent } from "./events";
import { webhookHeaders } from "./signature";
import { refusalOf, type UrlPolicy } from "./ssrf";

/** Wait after the n-th failed attempt; a failure after the last one and the delivery has failed. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const JITTER = 0.1;
/** Failed attempts in a row (over all its deliveries) after which an endpoint is disabled. */
export const DISABLE_AFTER_FAILURES = 20;
export const TIMEOUT_MS = 10_000;
export const EXCERPT_BYTES = 1_024;
export const LOG_RETENTION_MS = 30 * 86_400_000;
/** Deliveries per run; at most 6 fetches at once (the Workers limit on open connections). */
const BATCH = 30;
const PARALLEL = 6;

export function retryDelay(attempts: number, random: () => number = Math.random): number {
	const base = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0];
	return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** The body as sent: the Standard Webhooks envelope. Built once; every attempt signs the same bytes. */
function body(event: WebhookEvent, now: number): string {
	return JSON.stringify({ type: event.type, timestamp: new Date(now).toISOString(), data: event.data });
}

/**
 * Queues one event for one endpoint (inside the caller's transaction). `sensitive`: the payload
 * holds a secret (an app's token): it is dropped once delivered or given up, never shown in the
 * log, and cannot be redelivered. A disabled or unknown endpoint: not_found / conflict.
 */
export function queueDelivery(db: AccountDb, endpointId: string, event: WebhookEvent, now: number, opts: { sensitive?: boolean } = {}): Result<{ id: string }> {
	if (!isEventType(event.type)) return fail("invalid_input", `Not an event type: ${event.type}.`);
	const endpoint = getEndpointRow(db, endpointId);
	if (!endpoint) return fail("not_found", "No such webhook endpoint.");
	if (!endpoint.enabled) return fail("conflict", "The webhook endpoint is disabled.");
	return ok({ id: insertDelivery(db, endpointId, event, now, opts.sensitive ?? false) });
}

/** Writes a queued delivery (the endpoint is known to be there and enabled); returns its id. */
function insertDelivery(db: AccountDb, endpointId: string, event: WebhookEvent, now: number, sensitive: boolean): string {
	const id = newId("msg");
	emitStatements(db).insert.run({ id, endpointId, eventType: event.type, payload: body(event, now), sensitive: sensitive ? 1 : 0, at: now });
	return id;
}

/**
 * Every change of a request asks for the enabled endpoints: built once. Values go to SQLite as
 * given (booleans 0/1, timestamps ms); the delivery starts queued, with no attempt and an empty log.
 */
const emitStatements = statements((db) => {
	return {
		enabled: db.select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes }).from(webhookEndpoints).where(eq(webhookEndpoints.enabled, true)).prepare(),
		insert: db
			.insert(webhookDeliveries)
			.values({
				id: stored("id"),
				endpointId: stored("endpointId"),
				eventType: stored("eventType"),
				payload: stored("payload"),
				sensitive: stored("sensitive"),
				status: "queued",
				attempts: 0,
				nextAttemptAt: stored("at"),
				log: [],
				createdAt: stored("at"),
			})
			.prepare(),
	};
});

/** Queues an event for every enabled endpoint subscribed to its type. Returns how many. */
export function emitEvent(db: AccountDb, event: WebhookEvent, now: number): number {
	return emitTo(db, emitStatements(db).enabled.all(), event, now);
}

/** `endpoints`: the enabled ones, read in this transaction (so queueDelivery's checks would pass). */
function emitTo(db: AccountDb, endpoints: readonly { id: string; eventTypes: string[] }[], event: WebhookEvent, now: number): number {
	if (endpoints.length === 0 || !isEventType(event.type)) return 0;
	let queued = 0;
	for (const e of endpoints) {
		if (!matches(e.eventTypes, event.type)) continue;
		insertDelivery(db, e.id, event, now, false);
		queued += 1;
	}
	return queued;
}

/** The endpoints are read once for all the events (a request's change may make several). */
export function emitEvents(db: AccountDb, events: readonly WebhookEvent[], now: number): void {
	if (events.length === 0) return;
	const endpoints = emitStatements(db).enabled.all();
	for (const e of events) emitTo(db, endpoints, e, now);
}

/** When the queue next needs a run (epoch ms), null when nothing waits. A scalar query, for the scheduler's one read of every due date. */
export const NEXT_WEBHOOK_SQL = "SELECT min(next_attempt_at) FROM webhook_deliveries";

/** The same date read on its own: a webhook run with nothing due is skipped without unsealing a key. */
export function nextWebhookAt(db: AccountDb): number | null {
	return db.$client.sql.exec<{ at: number | null }>(`SELECT (${NEXT_WEBHOOK_SQL}) AS at`).one().at;
}

/** What a run needs from outside the account's database. */
export interface WebhookTransport {
	policy: UrlPolicy;
	/** The endpoint's valid secrets in plain text, current first; those that no longer open are left out. */
	secretsOf(endpointId: string, sealed: string[]): Promise<string[]>;
	fetch(url: string, init: RequestInit): Promise<Response>;
	/** The account's administrators (the directory knows them), told when an endpoint is disabled. */
	administrators(): Promise<string[]>;
	self: string;
	/** The jitter's random source (Math.random unless a test pins it). */
	random?: () => number;
}

export interface WebhookRunReport {
	succeeded: number;
	retrying: number;
	failed: number;
	disabled: string[];
}

interface Outcome {
	code: number | null;
	latencyMs: number;
	excerpt: string | null;
	error: string | null;
}

async function readExcerpt(res: Response): Promise<string | null> {
	if (!res.body) return null;
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		while (size < EXCERPT_BYTES) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
			size += value.length;
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
	const all = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		all.set(c, at);
		at += c.length;
	}
	// Cut at 1 KB; a character split at the cut is dropped rather than shown broken.
	const text = new TextDecoder().decode(all.slice(0, EXCERPT_BYTES)).replace(/\uFFFD$/, "");
	return text.length > 0 ? text : null;
}

async function attempt(transport: WebhookTransport, url: string, headers: Record<string, string>, payload: string, now: () => number): Promise<Outcome> {
	const started = now();
	// Checked again at send time: the policy may be stricter than when the URL was saved.
	const refusal = refusalOf(url, transport.policy);
	if (refusal) return { code: null, latencyMs: 0, excerpt: null, error: refusal };
	try {
		const res = await transport.fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json", "user-agent": "Trustdesk-Webhooks/1", ...headers },
			body: payload,
			// A redirect could lead anywhere (past the URL check): it counts as a failure.
			redirect: "manual",
			signal: AbortSignal.timeout(TIMEOUT_MS),
		});
		const excerpt = await readExcerpt(res);
		const ok = res.status >= 200 && res.status < 300;
		return { code: res.status, latencyMs: now() - started, excerpt, error: ok ? null : `HTTP ${res.status}` };
	} catch (err) {
		const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
		const message = timedOut ? `No answer within ${TIMEOUT_MS / 1000} s.` : err instanceof Error ? err.message : String(err);
		return { code: null, latencyMs: now() - started, excerpt: null, error: message.slice(0, 500) };
	}
}

/** Sends the due deliveries once each and records what happened. */
export async function sendDueWebhooks(db: AccountDb, transport: WebhookTransport, now: () => number): Promise<WebhookRunReport> {
	const report: WebhookRunReport = { succeeded: 0, retrying: 0, failed: 0, disabled: [] };
	const due = db
		.select()
		.from(webhookDeliveries)
		.where(and(isNotNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, new Date(now()))))
		.orderBy(webhookDeliveries.nextAttemptAt)
		.limit(BATCH)
		.all();
	const queue = [...due];
	const worker = async () => {
		for (let row = queue.shift(); row !== undefined; row = queue.shift()) await deliverOne(db, transport, row, now, report);
	};
	await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
	return report;
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

async function deliverOne(db: AccountDb, transport: WebhookTransport, row: DeliveryRow, now: () => number, report: WebhookRunReport): Promise<void> {
	const endpoint = getEndpointRow(db, row.endpointId);
	let outcome: Outcome;
	if (!endpoint || !endpoint.enabled) {
		outcome = { code: null, latencyMs: 0, excerpt: null, error: "The endpoint is disabled." };
	} else if (row.payload === null) {
		outcome = { code: null, latencyMs: 0, excerpt: null, error: "The payload is gone." };
	} else {
		const valid = endpoint.secrets.filter((s) => s.expiresAt === null || s.expiresAt > now());
		let secrets: string[] = [];
		try {
			secrets = await transport.secretsOf(endpoint.id, valid.map((s) => s.sealed));
		} catch {
			// Counted as a failed attempt (retried, logged): the operator can fix the key meanwhile.
		}
		if (secrets.length === 0) {
			outcome = { code: null, latencyMs: 0, excerpt: null, error: "The signing secret cannot be read (was WEBHOOK_SECRETS_KEY changed?). Rotate the secret." };
		} else {
			const timestamp = Math.floor(now() / 1000);
			outcome = await attempt(transport, endpoint.url, await webhookHeaders(secrets, row.id, timestamp, row.payload), row.payload, now);
		}
	}
	// A run that overlapped may have finished this row already (or it was redelivered meanwhile).
	const current = db.select({ status: webhookDeliveries.status, attempts: webhookDeliveries.attempts }).from(webhookDeliveries).where(eq(webhookDeliveries.id, row.id)).get();
	if (!current || current.status !== "queued" || current.attempts !== row.attempts) return;
	const at = now();
	const attempts = row.attempts + 1;
	const log = [...row.log, { at, code: outcome.code, latencyMs: outcome.latencyMs, excerpt: outcome.excerpt, error: outcome.error }].slice(-ATTEMPT_LOG_SIZE);
	const gone = outcome.code === 410;
	const permanent = !endpoint || !endpoint.enabled || row.payload === null || gone;
	let disable: string | null = null;
	transaction(db, () => {
		if (outcome.error === null) {
			report.succeeded += 1;
			db.update(webhookDeliveries)
				.set({ status: "succeeded", attempts, nextAttemptAt: null, log, finishedAt: new Date(at), ...(row.sensitive ? { payload: null } : {}) })
				.where(eq(webhookDeliveries.id, row.id))
				.run();
			if (endpoint) db.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, endpoint.id)).run();
			return;
		}
		if (permanent || attempts >= MAX_ATTEMPTS) {
			report.failed += 1;
			db.update(webhookDeliveries)
				.set({ status: "failed", attempts, nextAttemptAt: null, log, finishedAt: new Date(at), ...(row.sensitive ? { payload: null } : {}) })
				.where(eq(webhookDeliveries.id, row.id))
				.run();
		} else {
			report.retrying += 1;
			db.update(webhookDeliveries).set({ attempts, nextAttemptAt: new Date(at + retryDelay(attempts, transport.random)), log }).where(eq(webhookDeliveries.id, row.id)).run();
		}
		if (!endpoint || !endpoint.enabled) return;
		const failures = db
			.update(webhookEndpoints)
			.set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
			.where(eq(webhookEndpoints.id, endpoint.id))
			.returning({ n: webhookEndpoints.consecutiveFailures, enabled: webhookEndpoints.enabled })
			.get();
		if (!failures?.enabled) return; // another attempt of this run disabled it already
		if (gone) disable = "The receiver answered 410 Gone.";
		else if (failures.n >= DISABLE_AFTER_FAILURES) disable = `${failures.n} deliveries in a row failed.`;
		if (!disable) return;
		// Disabled in this transaction, so that the attempts still in this run stop at once.
		db.update(webhookEndpoints).set({ enabled: false, disabledReason: disable, updatedAt: new Date(at) }).where(eq(webhookEndpoints.id, endpoint.id)).run();
		failQueued(db, endpoint.id, `The endpoint was disabled: ${disable}`, at);
	});
	if (disable && endpoint) {
		report.disabled.push(endpoint.id);
		// The administrators are in the directory (another database): asked after the commit. A
		// reset in between loses the notification, never the disabling.
		const administrators = await transport.administrators();
		const reason: string = disable;
		transaction(db, () => {
			notify(db, { kind: "webhook_disabled", title: `A webhook endpoint was disabled: ${endpoint.url}`, body: reason, link: `/${transport.self}/webhooks` }, administrators, at);
		});
	}
}

/** Sends a delivery again (same message id), with a fresh retry schedule; its log is kept. */
export function redeliver(db: AccountDb, endpointId: string, id: string, now: number): Result<WebhookDelivery> {
	const row = db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpointId))).get();
	if (!row) return fail("not_found", "No such webhook delivery.");
	if (row.payload === null) return fail("conflict", "This delivery held a secret that is no longer kept; it cannot be sent again.");
	const endpoint = getEndpointRow(db, row.endpointId);
	if (!endpoint?.enabled) return fail("conflict", "The webhook endpoint is disabled; enable it first.");
	db.update(webhookDeliveries).set({ status: "queued", attempts: 0, nextAttemptAt: new Date(now), finishedAt: null }).where(eq(webhookDeliveries.id, id)).run();
	return ok(toDelivery(db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get()!));
}

/** Queues a `webhook.test` event for one endpoint (whatever it subscribes to). */
export function sendTestEvent(db: AccountDb, self: string, endpointId: string, now: number): Result<WebhookDelivery> {
	const queued = queueDelivery(db, endpointId, { type: "webhook.test", data: { message: "A test event from Trustdesk.", account: { id: self }, endpoint: { id: endpointId } } }, now);
	if (!queued.ok) return queued;
	return ok(toDelivery(db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, queued.value.id)).get()!));
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
	return {
		id: r.id,
		endpointId: r.endpointId,
		eventType: r.eventType,
		status: r.status,
		attempts: r.attempts,
		nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
		payload: r.sensitive ? null : r.payload,
		sensitive: r.sensitive,
		log: r.log.map((a) => ({ at: new Date(a.at).toISOString(), responseCode: a.code, latencyMs: a.latencyMs, bodyExcerpt: a.excerpt, error: a.error })),
		createdAt: r.createdAt.toISOString(),
		finishedAt: r.finishedAt?.toISOString() ?? null,
	};
}

/** Where a page of an endpoint's log ends: [created (ms), id]. */
export const DeliveryPosition = z.tuple([z.number().int(), z.string()]);

/** One endpoint's log, newest first, a page at a time (keyset: fast however long the log). */
export function listDeliveries(db: AccountDb, endpointId: string, cursor: string | undefined, limit: number): Result<WebhookDeliveryPage> {
	if (!getEndpointRow(db, endpointId)) return fail("not_found", "No such webhook endpoint.");
	const position = readCursor(DeliveryPosition, cursor);
	if (!position.ok) return position;
	const after = position.value ? { at: new Date(position.value[0]), id: position.value[1] } : undefined;
	const rows = db
		.select()
		.from(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.endpointId, endpointId),
				after ? or(lt(webhookDeliveries.createdAt, after.at), and(eq(webhookDeliveries.createdAt, after.at), lt(webhookDeliveries.id, after.id))) : undefined,
			),
		)
		.orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
		.limit(limit + 1)
		.all();
	return ok(pageFrom(rows, limit, toDelivery, (r) => [r.createdAt.getTime(), r.id]));
}

/** Drops finished log rows older than the retention, a batch at a time (the alarm calls it). */
export function pruneWebhookLog(db: AccountDb, now: number): void {
	const cutoff = now - LOG_RETENTION_MS;
	db.run(sql`delete from webhook_deliveries where id in (select id from webhook_deliveries where next_attempt_at is null and created_at < ${cutoff} limit 500)`);
}

// An account's webhook endpoints: create, change, rotate the secret, delete. Secrets are made and
// sealed before the transaction (WebCrypto is asynchronous; a durable-sqlite transaction is not):
// `prepareSecret` first, then `createEndpoint` / `rotateSecret` inside the caller's transaction.
import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { AccountDb } from "../account/db";
import { webhookDeliveries, webhookEndpoints } from "../account/schema";
import { pageFrom, readCursor } from "../lib/cursor";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import type { WebhookEndpoint, WebhookEndpointList } from "../shared/webhook-api";
import { isEventFilter } from "./events";
import { seal, type SecretKey } from "./secrets";
import { newSigningSecret } from "./signature";
import { refusalOf, type UrlPolicy } from "./ssrf";

/** How long the previous secret stays valid after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
export const MAX_ENDPOINTS = 50;

/** A fresh secret for an endpoint id, sealed for storage: made outside the transaction. */
export interface PreparedSecret {
	endpointId: string;
	plain: string;
	sealed: string;
}

export async function prepareSecret(key: SecretKey, endpointId: string = newId("whep")): Promise<PreparedSecret> {
	const plain = newSigningSecret();
	return { endpointId, plain, sealed: await seal(key, endpointId, plain) };
}

export interface NewEndpoint {
	url: string;
	description?: string | undefined;
	eventTypes: string[];
	/** Another module owns it (an app installation): shown read-only on the webhooks page. */
	managedBy?: { kind: string; id: string } | undefined;
}

type Row = typeof webhookEndpoints.$inferSelect;

export function toEndpoint(r: Row, now: number): WebhookEndpoint {
	const previous = r.secrets.slice(1).filter((s) => s.expiresAt !== null && s.expiresAt > now);
	const until = previous.length > 0 ? Math.max(...previous.map((s) => s.expiresAt ?? 0)) : null;
	return {
		id: r.id,
		url: r.url,
		description: r.description,
		eventTypes: r.eventTypes,
		enabled: r.enabled,
		disabledReason: r.disabledReason,
		consecutiveFailures: r.consecutiveFailures,
		secretRotation: until ? { previousValidUntil: new Date(until).toISOString() } : null,
		managedBy: r.managedByKind && r.managedById ? { kind: r.managedByKind, id: r.managedById } : null,
		createdAt: r.createdAt.toISOString(),
		updatedAt: r.updatedAt.toISOString(),
	};
}

function checkUrl(url: string, policy: UrlPolicy): Result<null> {
	const reason = refusalOf(url, policy);
	return reason ? fail("invalid_input", reason, [{ path: "url", message: reason }]) : ok(null);
}

function checkFilters(eventTypes: string[]): Result<null> {
	const bad = eventTypes.findIndex((t) => !isEventFilter(t));
	if (eventTypes.length === 0) return fail("invalid_input", "Subscribe to at least one event type.", [{ path: "eventTypes", message: "Empty." }]);
	if (bad >= 0) return fail("invalid_input", `Not an event type: ${eventTypes[bad]}.`, [{ path: `eventTypes.${bad}`, message: "Unknown event type." }]);
	return ok(null);
}

/**
 * Creates an endpoint with the prepared secret; returns its id and the secret in plain text (to
 * show once). Call inside the caller's transaction when the endpoint belongs to a larger change.
 */
export function createEndpoint(db: AccountDb, input: NewEndpoint, secret: PreparedSecret, policy: UrlPolicy, now: number): Result<{ id: string; secret: string }> {
	const url = checkUrl(input.url, policy);
	if (!url.ok) return url;
	const filters = checkFilters(input.eventTypes);
	if (!filters.ok) return filters;
	const count = db.select({ n: sql<number>`count(*)` }).from(webhookEndpoints).get()?.n ?? 0;
	if (count >= MAX_ENDPOINTS) return fail("conflict", `An account has at most ${MAX_ENDPOINTS} webhook endpoints.`);
	db.insert(webhookEndpoints)
		.values({
			id: secret.endpointId,
			url: input.url,
			description: input.description ?? "",
			eventTypes: [...new Set(input.eventTypes)],
			enabled: true,
			disabledReason: null,
			consecutiveFailures: 0,
			secrets: [{ sealed: secret.sealed, createdAt: now, expiresAt: null }],
			managedByKind: input.managedBy?.kind ?? null,
			managedById: input.managedBy?.id ?? null,
			createdAt: new Date(now),
			updatedAt: new Date(now),
		})
		.run();
	return ok({ id: secret.endpointId, secret: secret.plain });
}

export function getEndpointRow(db: AccountDb, id: string): Row | undefined {
	return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get();
}

export function getEndpoint(db: AccountDb, id: string, now: number): Result<WebhookEndpoint> {
	const r = getEndpointRow(db, id);
	return r ? ok(toEndpoint(r, now)) : fail("not_found", "No such webhook endpoint.");
}

/** Where a page of the endpoint list ends: [created (ms), id]. */
export const EndpointPosition = z.tuple([z.number().int(), z.string()]);

/** Oldest first (a short list: MAX_ENDPOINTS), a page at a time. */
export function listEndpoints(db: AccountDb, cursor: string | undefined, limit: number, now: number): Result<WebhookEndpointList> {
	const position = readCursor(EndpointPosition, cursor);
	if (!position.ok) return position;
	const after = position.value ? { at: new Date(position.value[0]), id: position.value[1] } : undefined;
	const rows = db
		.select()
		.from(webhookEndpoints)
		.where(after ? or(gt(webhookEndpoints.createdAt, after.at), and(eq(webhookEndpoints.createdAt, after.at), gt(webhookEndpoints.id, after.id))) : undefined)
		.orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id))
		.limit(limit + 1)
		.all();
	return ok(pageFrom(rows, limit, (r) => toEndpoint(r, now), (r) => [r.createdAt.getTime(), r.id]));
}

const managedRefusal = (r: Row) => fail<never>("conflict", `This endpoint is managed by ${r.managedByKind} ${r.managedById}; change it there.`);

export interface EndpointChanges {
	url?: string | undefined;
	description?: string | undefined;
	eventTypes?: string[] | undefined;
	enabled?: boolean | undefined;
}

/** Changes an endpoint people own. Disabling fails its queued deliveries; enabling clears the failure count. */
export function updateEndpoint(db: AccountDb, id: string, changes: EndpointChanges, policy: UrlPolicy, now: number, opts: { asManager?: boolean } = {}): Result<WebhookEndpoint> {
	const r = getEndpointRow(db, id);
	if (!r) return fail("not_found", "No such webhook endpoint.");
	if (r.managedByKind && !opts.asManager) return managedRefusal(r);
	if (changes.url !== undefined) {
		const url = checkUrl(changes.url, policy);
		if (!url.ok) return url;
	}
	if (changes.eventTypes !== undefined) {
		const filters = checkFilters(changes.eventTypes);
		if (!filters.ok) return filters;
	}
	const enabling = changes.enabled === true && !r.enabled;
	db.update(webhookEndpoints)
		.set({
			...(changes.url !== undefined ? { url: changes.url } : {}),
			...(changes.description !== undefined ? { description: changes.description } : {}),
			...(changes.eventTypes !== undefined ? { eventTypes: [...new Set(changes.eventTypes)] } : {}),
			...(changes.enabled !== undefined ? { enabled: changes.enabled, disabledReason: changes.enabled ? null : "Disabled by an administrator." } : {}),
			...(enabling ? { consecutiveFailures: 0 } : {}),
			updatedAt: new Date(now),
		})
		.where(eq(webhookEndpoints.id, id))
		.run();
	if (changes.enabled === false) failQueued(db, id, "The endpoint was disabled.", now);
	return getEndpoint(db, id, now);
}

/** Queued deliveries of an endpoint that stops receiving: given up, with the reason in their log. */
export function failQueued(db: AccountDb, endpointId: string, reason: string, now: number): void {
	const queued = db
		.select({ id: webhookDeliveries.id, log: webhookDeliveries.log, sensitive: webhookDeliveries.sensitive })
		.from(webhookDeliveries)
		.where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "queued")))
		.all();
	for (const d of queued) {
		db.update(webhookDeliveries)
			.set({
				status: "failed",
				nextAttemptAt: null,
				finishedAt: new Date(now),
				log: [...d.log, { at: now, code: null, latencyMs: 0, excerpt: null, error: reason }].slice(-ATTEMPT_LOG_SIZE),
				...(d.sensitive ? { payload: null } : {}),
			})
			.where(eq(webhookDeliveries.id, d.id))
			.run();
	}
}

export const ATTEMPT_LOG_SIZE = 20;

/**
 * A new current secret; the previous ones stay valid ROTATION_OVERLAP_MS (a second rotation does
 * not extend an older secret's life). Expired secrets are dropped here.
 */
export function rotateSecret(db: AccountDb, id: string, secret: PreparedSecret, now: number, opts: { asManager?: boolean } = {}): Result<{ endpoint: WebhookEndpoint; secret: string }> {
	const r = getEndpointRow(db, id);
	if (!r) return fail("not_found", "No such webhook endpoint.");
	if (r.managedByKind && !opts.asManager) return managedRefusal(r);
	if (secret.endpointId !== id) throw new Error("The secret was prepared for another endpoint.");
	const kept = r.secrets
		.map((s) => ({ ...s, expiresAt: s.expiresAt ?? now + ROTATION_OVERLAP_MS }))
		.filter((s) => s.expiresAt > now);
	db.update(webhookEndpoints)
		.set({ secrets: [{ sealed: secret.sealed, createdAt: now, expiresAt: null }, ...kept], updatedAt: new Date(now) })
		.where(eq(webhookEndpoints.id, id))
		.run();
	return ok({ endpoint: toEndpoint(getEndpointRow(db, id)!, now), secret: secret.plain });
}

/** Deletes an endpoint and its log. A managed one only by its manager (`asManager`). */
export function deleteEndpoint(db: AccountDb, id: string, opts: { asManager?: boolean } = {}): Result<{ id: string }> {
	const r = getEndpointRow(db, id);
	if (!r) return fail("not_found", "No such webhook endpoint.");
	if (r.managedByKind && !opts.asManager) return managedRefusal(r);
	db.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id)).run();
	db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).run();
	return ok({ id });
}

/** The endpoints another module manages under one id (an app installation's). */
export function endpointsManagedBy(db: AccountDb, kind: string, managerId: string): string[] {
	return db
		.select({ id: webhookEndpoints.id })
		.from(webhookEndpoints)
		.where(and(eq(webhookEndpoints.managedByKind, kind), eq(webhookEndpoints.managedById, managerId)))
		.all()
		.map((r) => r.id);
}

// Apps between accounts. A provider offers an app (scopes, a configuration form, the webhook
// events it wants, its endpoint) to the accounts that trust it; a customer's administrator
// installs it, which makes a token in the customer's account with exactly the offering's scopes.
// The provider's side and the customer's side are each their own account's records; they meet
// only through the outbox (APP_MESSAGE) and the provider's trust-checked answers (listingsFor).
//
// The token itself lives in D1 (api_tokens). D1 is not part of this object's transactions, so an
// installation row says what its token should carry, and `tokenSynced` stays false until the
// Worker-side write has happened (the object retries it after every write and on its alarm).
import { and, asc, eq, gt, or } from "drizzle-orm";
import { z } from "zod";
import { pageFrom, readCursor } from "../lib/cursor";
import { fail, ok, type Result } from "../lib/result";
import { newId } from "../identity/crypto";
import {
	AppConfigField,
	type AppAudience,
	type AppInstallation,
	type AppListing,
	type AppOffering,
	type AppSubscriber,
	type CreateAppOfferingInput,
	type UpdateAppOfferingInput,
} from "../shared/app-api";
import { SCOPES, type Scope } from "../shared/roles";
import type { ErrorDetail } from "../shared/errors";
import { transaction, type AccountDb } from "./db";
import { enqueue } from "./messaging";
import { appInstallations, appOfferings, appSubscribers } from "./schema";
import { isActiveTrust } from "./trusts";
import { createEndpoint, deleteEndpoint, endpointsManagedBy, updateEndpoint, type PreparedSecret } from "../webhooks/endpoints";
import type { UrlPolicy } from "../webhooks/ssrf";

/** `managedBy` kinds of the webhook endpoints apps own (worker/webhooks/). */
export const OFFERING_ENDPOINT = "app_offering";
export const INSTALLATION_ENDPOINT = "app_installation";

export const APP_MESSAGE = "app";

// ── Messages between the two sides ──────────────────────────────────────────

const ScopeList = z.array(z.enum(SCOPES)).max(SCOPES.length);
const EventList = z.array(z.string().max(60)).max(30);

/** Customer → provider. `installed` carries the token: it leaves the outbox once acknowledged. */
export const AppMessage = z.discriminatedUnion("type", [
	z.object({
		type: z.literal("installed"),
		installationId: z.string().max(64),
		offeringId: z.string().max(64),
		version: z.number().int(),
		scopes: ScopeList,
		apiUrl: z.string().max(2000),
		token: z.string().max(200),
		config: z.record(z.string().max(64), z.string().max(2000)),
		/** The customer's webhook subscription for the app (null: the app follows no events). */
		webhook: z.object({ endpointId: z.string().max(64), secret: z.string().max(200), events: EventList }).nullable(),
	}),
	z.object({ type: z.literal("uninstalled"), installationId: z.string().max(64), reason: z.enum(["uninstalled", "trust_ended"]) }),
	z.object({ type: z.literal("updated"), installationId: z.string().max(64), version: z.number().int(), scopes: ScopeList }),
	// Provider → customer: a new version of an offering the customer has installed.
	z.object({
		type: z.literal("offering_updated"),
		offeringId: z.string().max(64),
		version: z.number().int(),
		name: z.string().max(100),
		description: z.string().max(2000),
		scopes: ScopeList,
		events: EventList,
		endpointUrl: z.string().max(2000),
	}),
]);
export type AppMessage = z.infer<typeof AppMessage>;

/**
 * What the provider's app endpoint receives (Standard Webhooks body: type, timestamp, data).
 * `sensitive`: the payload carries a token or secrets and must be dropped once delivered.
 */
export interface AppDelivery {
	/** The offering's webhook endpoint (worker/webhooks/ signs, retries and logs). */
	endpointId: string;
	type: "app.installed" | "app.uninstalled" | "app.updated";
	data: Record<string, unknown>;
	sensitive: boolean;
}

/** Queues a delivery to an offering's endpoint, inside the caller's transaction; false when it cannot (endpoint disabled). */
export type AppDeliver = (delivery: AppDelivery) => boolean;

/** What applying app messages needs from the object: delivery to endpoints, and the URL policy. */
export interface AppContext {
	deliver: AppDeliver;
	policy: UrlPolicy;
}

// ── Pages ───────────────────────────────────────────────────────────────────

/** Where a page of an app list ends: [installed or created (ms), id]; every list here is oldest first. */
export const AppListPosition = z.tuple([z.number().int(), z.string()]);

function readPosition(cursor: string | undefined): Result<{ at: Date; id: string } | undefined> {
	const position = readCursor(AppListPosition, cursor);
	if (!position.ok) return position;
	return ok(position.value ? { at: new Date(position.value[0]), id: position.value[1] } : undefined);
}

// ── Provider side ───────────────────────────────────────────────────────────

type OfferingRow = typeof appOfferings.$inferSelect;

const parseFields = (raw: unknown[]) => z.array(AppConfigField).parse(raw);

function toOffering(db: AccountDb, r: OfferingRow): AppOffering {
	const installations = db
		.select({ id: appSubscribers.installationId })
		.from(appSubscribers)
		.where(and(eq(appSubscribers.offeringId, r.id), eq(appSubscribers.status, "active")))
		.all().length;
	return {
		id: r.id,
		name: r.name,
		description: r.description,
		version: r.version,
		scopes: ScopeList.parse(r.scopes),
		configFields: parseFields(r.configFields),
		events: r.events,
		endpointUrl: r.endpointUrl,
		publishedTo: r.publishedTo as AppAudience,
		installations,
		createdAt: r.createdAt.toISOString(),
		updatedAt: r.updatedAt.toISOString(),
	};
}

/**
 * The offering and the webhook endpoint its deliveries go out through (its URL passes the
 * webhooks' SSRF policy). The endpoint's secret is the offering's signing secret, shown once.
 */
export function createOffering(db: AccountDb, input: CreateAppOfferingInput, secret: PreparedSecret, policy: UrlPolicy, now: number): Result<{ offering: AppOffering; signingSecret: string }> {
	const id = newId("app");
	const endpoint = createEndpoint(db, { url: input.endpointUrl, description: `App offering: ${input.name}`, eventTypes: ["app.*"], managedBy: { kind: OFFERING_ENDPOINT, id } }, secret, policy, now);
	if (!endpoint.ok) return fail(endpoint.error.code, endpoint.error.message, [{ path: "endpointUrl", message: endpoint.error.message }]);
	const row = db
		.insert(appOfferings)
		.values({
			id,
			name: input.name,
			description: input.description,
			version: 1,
			scopes: input.scopes,
			configFields: input.configFields,
			events: input.events,
			endpointUrl: input.endpointUrl,
			webhookEndpointId: endpoint.value.id,
			publishedTo: "none",
			createdAt: new Date(now),
			updatedAt: new Date(now),
		})
		.returning()
		.get();
	return ok({ offering: toOffering(db, row), signingSecret: endpoint.value.secret });
}

export function listOfferings(db: AccountDb, cursor: string | undefined, limit: number): Result<{ items: AppOffering[]; nextCursor: string | null }> {
	const position = readPosition(cursor);
	if (!position.ok) return position;
	const after = position.value;
	const rows = db
		.select()
		.from(appOfferings)
		.where(after ? or(gt(appOfferings.createdAt, after.at), and(eq(appOfferings.createdAt, after.at), gt(appOfferings.id, after.id))) : undefined)
		.orderBy(asc(appOfferings.createdAt), asc(appOfferings.id))
		.limit(limit + 1)
		.all();
	return ok(pageFrom(rows, limit, (r) => toOffering(db, r), (r) => [r.createdAt.getTime(), r.id]));
}

export function getOffering(db: AccountDb, id: string): AppOffering | undefined {
	const row = db.select().from(appOfferings).where(eq(appOfferings.id, id)).get();
	return row && toOffering(db, row);
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A change of scopes, form, events or endpoint is a new version, announced to every customer
 * that has it installed (each decides there whether it needs approval).
 */
export function updateOffering(db: AccountDb, id: string, input: UpdateAppOfferingInput, policy: UrlPolicy, now: number): Result<AppOffering> {
	const current = db.select().from(appOfferings).where(eq(appOfferings.id, id)).get();
	if (!current) return fail("not_found", "No such app offering.");
	const next = {
		name: input.name ?? current.name,
		description: input.description ?? current.description,
		scopes: input.scopes ?? current.scopes,
		configFields: input.configFields ?? current.configFields,
		events: input.events ?? current.events,
		endpointUrl: input.endpointUrl ?? current.endpointUrl,
	};
	const newVersion =
		!sameList([...next.scopes].sort(), [...current.scopes].sort()) ||
		!sameList(next.configFields, current.configFields) ||
		!sameList([...next.events].sort(), [...current.events].sort()) ||
		next.endpointUrl !== current.endpointUrl;
	const version = newVersion ? current.version + 1 : current.version;
	return transaction(db, () => {
		if (next.endpointUrl !== current.endpointUrl) {
			// First, as it may refuse the URL (and it writes nothing then).
			const moved = updateEndpoint(db, current.webhookEndpointId, { url: next.endpointUrl }, policy, now, { asManager: true });
			if (!moved.ok) return fail(moved.error.code, moved.error.message, [{ path: "endpointUrl", message: moved.error.message }]);
		}
		const row = db.update(appOfferings).set({ ...next, version, updatedAt: new Date(now) }).where(eq(appOfferings.id, id)).returning().get();
		// Name and description travel too, so the customer's list stays current.
		const customers = db
			.select({ customer: appSubscribers.customerAccountId })
			.from(appSubscribers)
			.where(and(eq(appSubscribers.offeringId, id), eq(appSubscribers.status, "active")))
			.all();
		const changedText = next.name !== current.name || next.description !== current.description;
		if (newVersion || changedText) {
			for (const { customer } of customers) {
				const message: AppMessage = { type: "offering_updated", offeringId: id, version, name: next.name, description: next.description, scopes: ScopeList.parse(next.scopes), events: next.events, endpointUrl: next.endpointUrl };
				enqueue(db, customer, APP_MESSAGE, message, now);
			}
		}
		return ok(toOffering(db, row));
	});
}

export function deleteOffering(db: AccountDb, id: string): Result<{ id: string }> {
	const offering = getOffering(db, id);
	if (!offering) return fail("not_found", "No such app offering.");
	if (offering.installations > 0) {
		return fail("conflict", `${offering.installations} account${offering.installations === 1 ? " has" : "s have"} it installed. Withdraw it (publish to none) instead; installations stay until their accounts uninstall them.`);
	}
	transaction(db, () => {
		const row = db.delete(appOfferings).where(eq(appOfferings.id, id)).returning({ endpointId: appOfferings.webhookEndpointId }).get();
		if (row) deleteEndpoint(db, row.endpointId, { asManager: true });
	});
	return ok({ id });
}

export function publishOffering(db: AccountDb, id: string, to: AppAudience, now: number): Result<AppOffering> {
	const audience = Array.isArray(to) ? [...new Set(to)].sort() : to;
	const row = db.update(appOfferings).set({ publishedTo: audience, updatedAt: new Date(now) }).where(eq(appOfferings.id, id)).returning().get();
	return row ? ok(toOffering(db, row)) : fail("not_found", "No such app offering.");
}

function publishedTo(row: OfferingRow, customer: string): boolean {
	const to = row.publishedTo as AppAudience;
	return to === "all" || (Array.isArray(to) && to.includes(customer));
}

function toListing(r: OfferingRow): AppListing {
	return { offeringId: r.id, name: r.name, description: r.description, version: r.version, scopes: ScopeList.parse(r.scopes), configFields: parseFields(r.configFields), events: r.events, endpointUrl: r.endpointUrl };
}

/** What `customer` may install from this account: only while it actively trusts us, only what we published to it. */
export function listingsFor(db: AccountDb, customer: string): Result<AppListing[]> {
	if (!isActiveTrust(db, customer, "provider")) return fail("not_found", "No active trust with that account.");
	return ok(
		db
			.select()
			.from(appOfferings)
			.orderBy(asc(appOfferings.name), asc(appOfferings.id))
			.all()
			.filter((r) => publishedTo(r, customer))
			.map(toListing),
	);
}

/** Customers and their installations of one offering. */
export type SubscriberRecord = Omit<AppSubscriber, "customer"> & { customerAccountId: string };

/** Installations of one offering, oldest first, a page at a time. */
export function listSubscribers(db: AccountDb, offeringId: string, cursor: string | undefined, limit: number): Result<{ items: SubscriberRecord[]; nextCursor: string | null }> {
	const position = readPosition(cursor);
	if (!position.ok) return position;
	if (!db.select({ id: appOfferings.id }).from(appOfferings).where(eq(appOfferings.id, offeringId)).get()) return fail("not_found", "No such app offering.");
	const after = position.value;
	const rows = db
		.select()
		.from(appSubscribers)
		.where(
			and(
				eq(appSubscribers.offeringId, offeringId),
				after ? or(gt(appSubscribers.installedAt, after.at), and(eq(appSubscribers.installedAt, after.at), gt(appSubscribers.installationId, after.id))) : undefined,
			),
		)
		.orderBy(asc(appSubscribers.installedAt), asc(appSubscribers.installationId))
		.limit(limit + 1)
		.all();
	return ok(
		pageFrom(
			rows,
			limit,
			(r): SubscriberRecord => ({
				installationId: r.installationId,
				customerAccountId: r.customerAccountId,
				version: r.version,
				status: r.status,
				installedAt: r.installedAt.toISOString(),
				updatedAt: r.updatedAt.toISOString(),
			}),
			(r) => [r.installedAt.getTime(), r.installationId],
		),
	);
}

function deliveryTarget(db: AccountDb, offeringId: string): OfferingRow | undefined {
	return db.select().from(appOfferings).where(eq(appOfferings.id, offeringId)).get();
}

/** Provider side: a customer's message about its installation. Runs in the receiver's transaction. */
export function applyAtProvider(db: AccountDb, from: string, msg: AppMessage, now: number, deliver: AppDeliver): void {
	switch (msg.type) {
		case "installed": {
			const offering = deliveryTarget(db, msg.offeringId);
			// Installed while we trusted each other and published it; if either changed since, the
			// customer uninstalls on its side (trust end) and the app gets nothing.
			if (!offering || !isActiveTrust(db, from, "provider")) return;
			db.insert(appSubscribers)
				.values({ installationId: msg.installationId, offeringId: msg.offeringId, customerAccountId: from, version: msg.version, status: "active", installedAt: new Date(now), updatedAt: new Date(now) })
				.onConflictDoNothing()
				.run();
			const queued = deliver({
				endpointId: offering.webhookEndpointId,
				type: "app.installed",
				sensitive: true,
				data: {
					installationId: msg.installationId,
					account: { id: from },
					offering: { id: offering.id, version: msg.version },
					scopes: msg.scopes,
					apiUrl: msg.apiUrl,
					token: msg.token,
					config: msg.config,
					webhook: msg.webhook && { secret: msg.webhook.secret, events: msg.webhook.events },
				},
			});
			// Refused (the app's endpoint is disabled): the message stays in the customer's outbox,
			// retried and in the end parked for its administrators, rather than the token being lost.
			if (!queued) throw new Error("The app's endpoint does not take deliveries (disabled); enable it to hand over the installation.");
			return;
		}
		case "uninstalled": {
			const row = db
				.update(appSubscribers)
				.set({ status: "uninstalled", updatedAt: new Date(now) })
				.where(and(eq(appSubscribers.installationId, msg.installationId), eq(appSubscribers.customerAccountId, from), eq(appSubscribers.status, "active")))
				.returning()
				.get();
			const offering = row && deliveryTarget(db, row.offeringId);
			if (row && offering) deliver(uninstalledDelivery(offering, row.installationId, from, msg.reason));
			return;
		}
		case "updated": {
			const row = db
				.update(appSubscribers)
				.set({ version: msg.version, updatedAt: new Date(now) })
				.where(and(eq(appSubscribers.installationId, msg.installationId), eq(appSubscribers.customerAccountId, from), eq(appSubscribers.status, "active")))
				.returning()
				.get();
			const offering = row && deliveryTarget(db, row.offeringId);
			if (row && offering) {
				deliver({ endpointId: offering.webhookEndpointId, type: "app.updated", sensitive: false, data: { installationId: row.installationId, account: { id: from }, offering: { id: offering.id, version: msg.version }, scopes: msg.scopes } });
			}
			return;
		}
		case "offering_updated":
			throw new Error("An offering update goes from a provider to its customers.");
	}
}

function uninstalledDelivery(offering: OfferingRow, installationId: string, customer: string, reason: "uninstalled" | "trust_ended"): AppDelivery {
	return { endpointId: offering.webhookEndpointId, type: "app.uninstalled", sensitive: false, data: { installationId, account: { id: customer }, offering: { id: offering.id }, reason } };
}

/** Provider side: the trust with `customer` ended, and with it every installation there (the customer revokes the tokens). */
export function endSubscriptionsOf(db: AccountDb, customer: string, now: number, deliver: AppDeliver): void {
	const rows = db
		.update(appSubscribers)
		.set({ status: "uninstalled", updatedAt: new Date(now) })
		.where(and(eq(appSubscribers.customerAccountId, customer), eq(appSubscribers.status, "active")))
		.returning()
		.all();
	for (const row of rows) {
		const offering = deliveryTarget(db, row.offeringId);
		if (offering) deliver(uninstalledDelivery(offering, row.installationId, customer, "trust_ended"));
	}
}

// ── Customer side ───────────────────────────────────────────────────────────

type InstallationRow = typeof appInstallations.$inferSelect;

/** The provider's listing as this account accepts it: parsed again, nothing beyond SCOPES. */
export const ListingSchema = z.object({
	offeringId: z.string().max(64),
	name: z.string().max(100),
	description: z.string().max(2000),
	version: z.number().int(),
	scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
	configFields: z.array(AppConfigField).max(20),
	events: EventList,
	endpointUrl: z.string().max(2000),
}) satisfies z.ZodType<AppListing>;

/**
 * The configuration against the offering's form: required fields present, no unknown keys, URLs
 * well-formed. `stored` keeps secrets as null (they go to the app only); `delivered` has them all.
 */
export function checkConfig(fields: AppConfigField[], config: Record<string, string>): Result<{ stored: Record<string, string | null>; delivered: Record<string, string> }> {
	const details: ErrorDetail[] = [];
	const known = new Map(fields.map((f) => [f.key, f]));
	for (const key of Object.keys(config)) if (!known.has(key)) details.push({ path: `config.${key}`, message: "Not a field of this app." });
	const stored: Record<string, string | null> = {};
	const delivered: Record<string, string> = {};
	for (const f of fields) {
		const value = config[f.key]?.trim() ?? "";
		if (value === "") {
			if (f.required) details.push({ path: `config.${f.key}`, message: `${f.label} is required.` });
			continue;
		}
		if (f.type === "url") {
			let valid = false;
			try {
				const u = new URL(value);
				valid = u.protocol === "https:" || u.protocol === "http:";
			} catch {
				valid = false;
			}
			if (!valid) details.push({ path: `config.${f.key}`, message: `${f.label} must be an http(s) URL.` });
		}
		stored[f.key] = f.type === "secret" ? null : value;
		delivered[f.key] = value;
	}
	return details.length > 0 ? fail("invalid_input", "The configuration does not fit the app's form.", details) : ok({ stored, delivered });
}

export function liveInstallationOf(db: AccountDb, provider: string, offeringId: string): InstallationRow | undefined {
	return db
		.select()
		.from(appInstallations)
		.where(and(eq(appInstallations.providerAccountId, provider), eq(appInstallations.offeringId, offeringId), eq(appInstallations.status, "active")))
		.get();
}

export interface NewInstallation {
	id: string;
	provider: string;
	listing: AppListing;
	config: Record<string, string | null>;
	tokenId: string;
	installedBy: { id: string; name: string };
}

/**
 * Records the installation and, in the same transaction, the message that carries the token
 * to the provider (who hands it to its app's endpoint). The token is already in D1.
 */
export function recordInstallation(
	db: AccountDb,
	inst: NewInstallation,
	handover: (webhook: { endpointId: string; secret: string; events: string[] } | null) => Extract<AppMessage, { type: "installed" }>,
	secret: PreparedSecret,
	policy: UrlPolicy,
	now: number,
): Result<InstallationRow> {
	return transaction(db, () => {
		// The app follows the customer's requests through a webhook endpoint of this account that
		// the installation owns: it sees what this account's own webhooks would, nothing more.
		let webhook: { endpointId: string; secret: string; events: string[] } | null = null;
		if (inst.listing.events.length > 0) {
			const endpoint = createEndpoint(
				db,
				{ url: inst.listing.endpointUrl, description: `App: ${inst.listing.name} (${inst.provider})`, eventTypes: inst.listing.events, managedBy: { kind: INSTALLATION_ENDPOINT, id: inst.id } },
				secret,
				policy,
				now,
			);
			if (!endpoint.ok) return fail("conflict", `The app's endpoint cannot receive this account's events: ${endpoint.error.message}`);
			webhook = { endpointId: endpoint.value.id, secret: endpoint.value.secret, events: inst.listing.events };
		}
		const row = db
			.insert(appInstallations)
			.values({
				id: inst.id,
				providerAccountId: inst.provider,
				offeringId: inst.listing.offeringId,
				name: inst.listing.name,
				description: inst.listing.description,
				version: inst.listing.version,
				scopes: inst.listing.scopes,
				events: inst.listing.events,
				config: inst.config,
				tokenId: inst.tokenId,
				tokenSynced: true,
				status: "active",
				installedById: inst.installedBy.id,
				installedByName: inst.installedBy.name,
				installedAt: new Date(now),
			})
			.returning()
			.get();
		enqueue(db, inst.provider, APP_MESSAGE, handover(webhook), now);
		return ok(row);
	});
}

/** Removes the webhook endpoint an installation owns here (uninstalled: the app hears no more). */
function dropEndpoints(db: AccountDb, installationId: string): void {
	for (const id of endpointsManagedBy(db, INSTALLATION_ENDPOINT, installationId)) deleteEndpoint(db, id, { asManager: true });
}

/** The installation's endpoint follows a new version's events and URL (none left: it goes). */
function followVersion(db: AccountDb, installationId: string, events: string[], url: string | null, policy: UrlPolicy, now: number): void {
	for (const id of endpointsManagedBy(db, INSTALLATION_ENDPOINT, installationId)) {
		if (events.length === 0) deleteEndpoint(db, id, { asManager: true });
		else updateEndpoint(db, id, { eventTypes: events, ...(url ? { url } : {}) }, policy, now, { asManager: true });
	}
}

/** The installation for the API; `providerName` and `lastUsedAt` come from the directory. */
export type InstallationRecord = Omit<AppInstallation, "provider" | "lastUsedAt"> & { providerAccountId: string };

function toRecord(r: InstallationRow): InstallationRecord {
	const scopes = ScopeList.parse(r.scopes);
	const pendingScopes = r.pendingScopes ? ScopeList.parse(r.pendingScopes) : null;
	return {
		id: r.id,
		providerAccountId: r.providerAccountId,
		offeringId: r.offeringId,
		name: r.name,
		description: r.description,
		version: r.version,
		scopes,
		events: r.events,
		config: r.config,
		pendingUpdate:
			r.pendingVersion !== null && pendingScopes ? { version: r.pendingVersion, scopes: pendingScopes, addedScopes: pendingScopes.filter((s) => !scopes.includes(s)) } : null,
		status: r.status,
		tokenId: r.tokenId,
		installedBy: { id: r.installedById, name: r.installedByName },
		installedAt: r.installedAt.toISOString(),
		uninstalledAt: r.uninstalledAt?.toISOString() ?? null,
	};
}

/** Oldest first, live and uninstalled (a record of what had access), or only those of `status`. */
export function listInstallations(db: AccountDb, cursor: string | undefined, limit: number, status?: "active" | "uninstalled"): Result<{ items: InstallationRecord[]; nextCursor: string | null }> {
	const position = readPosition(cursor);
	if (!position.ok) return position;
	const after = position.value;
	const rows = db
		.select()
		.from(appInstallations)
		.where(
			and(
				status ? eq(appInstallations.status, status) : undefined,
				after ? or(gt(appInstallations.installedAt, after.at), and(eq(appInstallations.installedAt, after.at), gt(appInstallations.id, after.id))) : undefined,
			),
		)
		.orderBy(asc(appInstallations.installedAt), asc(appInstallations.id))
		.limit(limit + 1)
		.all();
	return ok(pageFrom(rows, limit, toRecord, (r) => [r.installedAt.getTime(), r.id]));
}

export function getInstallation(db: AccountDb, id: string): InstallationRecord | undefined {
	const row = db.select().from(appInstallations).where(eq(appInstallations.id, id)).get();
	return row && toRecord(row);
}

/**
 * The person who installed the live app whose token this is, if it is one: an app's token has no
 * creator (it outlives the installer's membership), so what the app registers without naming a
 * requester is registered for its installer while they are in the account.
 */
export function installerOfToken(db: AccountDb, tokenId: string): string | undefined {
	const row = db
		.select({ personId: appInstallations.installedById })
		.from(appInstallations)
		.where(and(eq(appInstallations.tokenId, tokenId), eq(appInstallations.status, "active")))
		.get();
	return row?.personId;
}

/** Installed offerings by provider and offering id (for the available list). */
export function liveInstallationIds(db: AccountDb): Map<string, string> {
	const rows = db
		.select({ id: appInstallations.id, provider: appInstallations.providerAccountId, offering: appInstallations.offeringId })
		.from(appInstallations)
		.where(eq(appInstallations.status, "active"))
		.all();
	return new Map(rows.map((r) => [`${r.provider}/${r.offering}`, r.id]));
}

/** Ends an installation: its token is to be revoked (tokenSynced false) and the provider told. */
export function uninstall(db: AccountDb, id: string, now: number): Result<InstallationRecord> {
	return transaction(db, () => {
		const row = db
			.update(appInstallations)
			.set({ status: "uninstalled", uninstalledAt: new Date(now), tokenSynced: false, pendingVersion: null, pendingScopes: null, pendingEvents: null })
			.where(and(eq(appInstallations.id, id), eq(appInstallations.status, "active")))
			.returning()
			.get();
		if (!row) return fail("not_found", "No such live installation.");
		dropEndpoints(db, id);
		const message: AppMessage = { type: "uninstalled", installationId: id, reason: "uninstalled" };
		enqueue(db, row.providerAccountId, APP_MESSAGE, message, now);
		return ok(toRecord(row));
	});
}

/** The trust with `provider` ended: its apps lose access here (the provider ends them on its side). */
export function uninstallFrom(db: AccountDb, provider: string, now: number): string[] {
	const ids = db
		.update(appInstallations)
		.set({ status: "uninstalled", uninstalledAt: new Date(now), tokenSynced: false, pendingVersion: null, pendingScopes: null, pendingEvents: null })
		.where(and(eq(appInstallations.providerAccountId, provider), eq(appInstallations.status, "active")))
		.returning({ id: appInstallations.id })
		.all()
		.map((r) => r.id);
	for (const id of ids) dropEndpoints(db, id);
	return ids;
}

/** An administrator approves the waiting version: its scopes become the token's. */
export function approveUpdate(db: AccountDb, id: string, policy: UrlPolicy, now: number): Result<InstallationRecord> {
	return transaction(db, () => {
		const current = db.select().from(appInstallations).where(and(eq(appInstallations.id, id), eq(appInstallations.status, "active"))).get();
		if (!current) return fail("not_found", "No such live installation.");
		if (current.pendingVersion === null || !current.pendingScopes) return fail("conflict", "No update is waiting for approval.");
		const row = db
			.update(appInstallations)
			.set({ version: current.pendingVersion, scopes: current.pendingScopes, events: current.pendingEvents ?? current.events, pendingVersion: null, pendingScopes: null, pendingEvents: null, tokenSynced: false })
			.where(eq(appInstallations.id, id))
			.returning()
			.get();
		followVersion(db, id, row.events, null, policy, now);
		const message: AppMessage = { type: "updated", installationId: id, version: row.version, scopes: ScopeList.parse(row.scopes) };
		enqueue(db, row.providerAccountId, APP_MESSAGE, message, now);
		return ok(toRecord(row));
	});
}

/**
 * Customer side: a provider's new version. Within the granted scopes (fewer or equal) it applies
 * at once; needing more, it waits for an administrator, and the token keeps its old scopes.
 */
export function applyAtCustomer(db: AccountDb, from: string, msg: Extract<AppMessage, { type: "offering_updated" }>, policy: UrlPolicy, now: number): void {
	if (!isActiveTrust(db, from, "customer")) return;
	const row = liveInstallationOf(db, from, msg.offeringId);
	if (!row || msg.version < row.version) return;
	const granted = new Set(row.scopes);
	const within = msg.scopes.every((s) => granted.has(s));
	if (within) {
		const changed = !sameList([...msg.scopes].sort(), [...row.scopes].sort());
		db.update(appInstallations)
			.set({ name: msg.name, description: msg.description, version: msg.version, scopes: msg.scopes, events: msg.events, pendingVersion: null, pendingScopes: null, pendingEvents: null, tokenSynced: changed ? false : row.tokenSynced })
			.where(eq(appInstallations.id, row.id))
			.run();
		followVersion(db, row.id, msg.events, msg.endpointUrl, policy, now);
		if (msg.version !== row.version) {
			const message: AppMessage = { type: "updated", installationId: row.id, version: msg.version, scopes: msg.scopes };
			enqueue(db, from, APP_MESSAGE, message, now);
		}
	} else {
		db.update(appInstallations)
			.set({ name: msg.name, description: msg.description, pendingVersion: msg.version, pendingScopes: msg.scopes, pendingEvents: msg.events })
			.where(eq(appInstallations.id, row.id))
			.run();
	}
}

/** Installations whose D1 token does not yet match them (scopes to set, or a revocation). */
export function unsyncedTokens(db: AccountDb): { id: string; tokenId: string; scopes: Scope[]; revoke: boolean }[] {
	return db
		.select()
		.from(appInstallations)
		.where(eq(appInstallations.tokenSynced, false))
		.limit(100)
		.all()
		.map((r) => ({ id: r.id, tokenId: r.tokenId, scopes: ScopeList.parse(r.scopes), revoke: r.status !== "active" }));
}

/**
 * Marks a token synced with what was written to D1, unless the row changed meanwhile (an approval
 * or an uninstall while D1 was being written): then it stays unsynced for the next round.
 */
export function markTokenSynced(db: AccountDb, synced: { id: string; scopes: Scope[]; revoke: boolean }): void {
	db.update(appInstallations)
		.set({ tokenSynced: true })
		.where(and(eq(appInstallations.id, synced.id), eq(appInstallations.status, synced.revoke ? "uninstalled" : "active"), eq(appInstallations.scopes, synced.scopes)))
		.run();
}

/** 1 when an installation's D1 token does not match it yet, else 0. A scalar query, for the scheduler's one read of every due date. */
export const UNSYNCED_TOKENS_SQL = "SELECT EXISTS (SELECT 1 FROM app_installations WHERE token_synced = 0)";

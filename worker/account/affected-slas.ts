// Affected SLAs: the provider's SLA clocks of its customers' requests (sla-clock.ts does the
// arithmetic), kept from the owner's changes in the owner's order, checked by the alarm for
// warnings and breaches, and reported back to the owner so that both accounts show one clock.
import { and, asc, eq, isNotNull, lte, ne, sql } from "drizzle-orm";
import { DateTime, IANAZone } from "luxon";
import { newId } from "../identity/crypto";
import { notifySlaEvent } from "./notifications";
import type { RequestSummary } from "../shared/request-api";
import type { Calendar, Coverage, Impact, Targets } from "../shared/service-api";
import type { AffectedSla } from "../shared/sla-api";
import { statements, stored, type AccountDb } from "./db";
import { setInboxNextTarget } from "./inbox";
import { enqueue } from "./messaging";
import { isOwnRequest, setNextTarget } from "./requests";
import { affectedSlas, inbox, requestSlas, serviceInstances, serviceOfferings, services } from "./schema";
import { applyChange, clockOf, figures, recordDue, startClock, type CalendarChange, type ClockState } from "./sla-clock";
import { activeSlasFor, covers } from "./slas";
import { isActiveTrust } from "./trusts";

export const AFFECTED_SLA_MESSAGE = "affected_sla";

/** What the provider tells the owner after a clock of one of its requests changed. */
export interface AffectedSlaPayload {
	requestId: string;
	items: AffectedSla[];
}

type Row = typeof affectedSlas.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (d: Date | null) => (d === null ? null : d.getTime());

export function toView(r: Row, self: string): AffectedSla {
	const clock = clockOf(r.clock);
	const f = figures(clock);
	return {
		id: r.id,
		requestId: r.requestId,
		requestNumber: r.requestNumber,
		subject: r.subject,
		provider: { id: self, name: r.providerName },
		customer: { id: r.customerAccountId, name: r.customerName },
		sla: { id: r.slaId, name: r.slaName },
		service: { id: r.serviceId, name: r.serviceName },
		instance: { id: r.instanceId, name: r.instanceName },
		offering: { id: r.offeringId, name: r.offeringName },
		team: r.teamId ? { id: r.teamId, name: r.teamName ?? "" } : null,
		accountability: r.accountability,
		impact: clock.impact,
		status: clock.status,
		supportHours: clock.calendar,
		responseTarget: clock.responseTarget,
		resolutionTarget: clock.resolutionTarget,
		warningPercent: clock.warningPercent,
		startedAt: new Date(clock.startedAt).toISOString(),
		responseTargetAt: iso(f.responseTargetAt),
		resolutionTargetAt: iso(f.resolutionTargetAt),
		desiredCompletionAt: iso(clock.desiredCompletionAt),
		actualResponseAt: iso(clock.actualResponseAt),
		actualResolutionAt: iso(clock.actualResolutionAt),
		responseMinutes: f.responseMinutes,
		resolutionMinutes: f.resolutionMinutes,
		stoppedMinutes: Math.round(f.stoppedMinutes),
		clockStoppedAt: iso(f.clockStoppedAt),
		stops: clock.stops.map((s) => ({ from: new Date(s.from).toISOString(), until: iso(s.until), minutes: Math.round(s.minutes), reason: s.reason })),
		nextTargetAt: iso(f.nextTargetAt),
		nextTarget: f.nextTarget,
		responseBreached: f.responseVerdict === "breached",
		resolutionBreached: f.resolutionVerdict === "breached",
		timeline: clock.timeline.map((e) => ({ at: new Date(e.at).toISOString(), kind: e.kind, text: e.text })),
		updatedAt: r.updatedAt.toISOString(),
	};
}

/**
 * The columns that follow from a clock (the report reads them without parsing the clock). The
 * breach columns are the clock's verdicts (sla-clock.ts): the report's SQL reads them only for open
 * targets and judges answered ones from the instants, by the same rule.
 */
export function clockColumns(clock: ClockState, timeZone: string) {
	const f = figures(clock);
	return {
		accountability: clock.accountable ? ("provider" as const) : ("sla_not_affected" as const),
		status: clock.status,
		startedMonth: monthOf(clock.startedAt, timeZone),
		startedAt: new Date(clock.startedAt),
		responseTargetAt: f.responseTargetAt === null ? null : new Date(f.responseTargetAt),
		resolutionTargetAt: f.resolutionTargetAt === null ? null : new Date(f.resolutionTargetAt),
		actualResponseAt: clock.actualResponseAt === null ? null : new Date(clock.actualResponseAt),
		actualResolutionAt: clock.actualResolutionAt === null ? null : new Date(clock.actualResolutionAt),
		resolutionMinutes: f.resolutionMinutes,
		nextTargetAt: f.nextTargetAt === null ? null : new Date(f.nextTargetAt),
		nextCheckAt: f.nextCheckAt === null ? null : new Date(f.nextCheckAt),
		responseBreached: f.responseVerdict === "breached",
		resolutionBreached: f.resolutionVerdict === "breached",
		clock,
	};
}

/**
 * "YYYY-MM" of an instant in a time zone, as Luxon's toFormat("yyyy-MM") gives it: the zone's
 * offset at the instant (the same one DateTime.fromMillis takes) and the calendar fields of the
 * shifted instant. Luxon's formatter cost about as much as a clock's other columns together.
 */
function monthOf(at: number, timeZone: string): string {
	const zone = IANAZone.create(timeZone);
	// An unknown zone: Luxon's own answer ("Invalid DateTime"), whatever that is.
	if (!zone.isValid) return DateTime.fromMillis(at, { zone: timeZone }).toFormat("yyyy-MM");
	const local = new Date(at + zone.offset(at) * 60_000);
	return `${String(local.getUTCFullYear()).padStart(4, "0")}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The SLAs of this provider that a new request of `customer` affects: active, covering its person, same instance. */
function slasAffecting(db: AccountDb, s: RequestSummary) {
	return activeSlasFor(db, s.owner.id).filter((sla) => sla.serviceInstanceId === s.service.instance.id && covers(sla.coverage as Coverage, s.requestedFor.id));
}

function offeringParts(db: AccountDb, offeringId: string, instanceId: string) {
	const q = partsStatements(db);
	const offering = q.offering.get({ id: offeringId });
	const instance = q.instance.get({ id: instanceId });
	const service = offering && q.service.get({ id: offering.serviceId });
	return offering && instance && service ? { offering, instance, service } : undefined;
}

/** Read at every clock start: built once. */
const partsStatements = statements((db) => ({
	offering: db.select().from(serviceOfferings).where(eq(serviceOfferings.id, sql.placeholder("id"))).prepare(),
	instance: db.select().from(serviceInstances).where(eq(serviceInstances.id, sql.placeholder("id"))).prepare(),
	service: db.select().from(services).where(eq(services.id, sql.placeholder("id"))).prepare(),
}));

const targetsOf = (targets: unknown, impact: Impact) => (targets as Targets)[impact];

/**
 * The statements of an owner's change (a create runs them all): built once per handle. Every value
 * goes to SQLite as given (driverValues maps the clock's: timestamps as epoch ms, booleans as 0/1,
 * json as text): a placeholder in `.values()` would take the column's mapping, which fails on null.
 */
const changeStatements = statements((db) => {
	return {
		ofRequest: db.select().from(affectedSlas).where(eq(affectedSlas.requestId, sql.placeholder("requestId"))).prepare(),
		insert: db
			.insert(affectedSlas)
			.values({
				id: stored("id"),
				requestId: stored("requestId"),
				customerAccountId: stored("customerAccountId"),
				customerName: stored("customerName"),
				providerName: stored("providerName"),
				requestNumber: stored("requestNumber"),
				subject: stored("subject"),
				slaId: stored("slaId"),
				slaName: stored("slaName"),
				serviceId: stored("serviceId"),
				serviceName: stored("serviceName"),
				instanceId: stored("instanceId"),
				instanceName: stored("instanceName"),
				offeringId: stored("offeringId"),
				offeringName: stored("offeringName"),
				teamId: stored("teamId"),
				teamName: stored("teamName"),
				updatedAt: stored("updatedAt"),
				...clockPlaceholders(stored),
			})
			.returning()
			.prepare(),
		update: db
			.update(affectedSlas)
			.set({ subject: stored("subject"), teamId: stored("teamId"), teamName: stored("teamName"), updatedAt: stored("updatedAt"), ...clockPlaceholders(stored) })
			.where(eq(affectedSlas.id, sql.placeholder("id")))
			.returning()
			.prepare(),
		nextTarget: db
			.select({ next: affectedSlas.nextTargetAt })
			.from(affectedSlas)
			.where(and(eq(affectedSlas.requestId, sql.placeholder("requestId")), eq(affectedSlas.accountability, "provider"), isNotNull(affectedSlas.nextTargetAt)))
			.orderBy(asc(affectedSlas.nextTargetAt))
			.limit(1)
			.prepare(),
	};
});

type ClockColumns = ReturnType<typeof clockColumns>;

/** A placeholder for each of clockColumns' columns, named after it. */
function clockPlaceholders<P>(placeholder: (name: keyof ClockColumns) => P): Record<keyof ClockColumns, P> {
	return {
		accountability: placeholder("accountability"),
		status: placeholder("status"),
		startedMonth: placeholder("startedMonth"),
		startedAt: placeholder("startedAt"),
		responseTargetAt: placeholder("responseTargetAt"),
		resolutionTargetAt: placeholder("resolutionTargetAt"),
		actualResponseAt: placeholder("actualResponseAt"),
		actualResolutionAt: placeholder("actualResolutionAt"),
		resolutionMinutes: placeholder("resolutionMinutes"),
		nextTargetAt: placeholder("nextTargetAt"),
		nextCheckAt: placeholder("nextCheckAt"),
		responseBreached: placeholder("responseBreached"),
		resolutionBreached: placeholder("resolutionBreached"),
		clock: placeholder("clock"),
	};
}

/** clockColumns' values as SQLite stores them, through each column's own mapping (for `set`, which maps nothing). */
function driverValues(c: ClockColumns) {
	const t = affectedSlas;
	const time = (d: Date | null) => (d === null ? null : t.nextTargetAt.mapToDriverValue(d));
	return {
		accountability: c.accountability,
		status: c.status,
		startedMonth: c.startedMonth,
		startedAt: t.startedAt.mapToDriverValue(c.startedAt),
		responseTargetAt: time(c.responseTargetAt),
		resolutionTargetAt: time(c.resolutionTargetAt),
		actualResponseAt: time(c.actualResponseAt),
		actualResolutionAt: time(c.actualResolutionAt),
		resolutionMinutes: c.resolutionMinutes,
		nextTargetAt: time(c.nextTargetAt),
		nextCheckAt: time(c.nextCheckAt),
		responseBreached: t.responseBreached.mapToDriverValue(c.responseBreached),
		resolutionBreached: t.resolutionBreached.mapToDriverValue(c.resolutionBreached),
		clock: t.clock.mapToDriverValue(c.clock),
	};
}

/**
 * The owner's change of a request reached this provider (inside the message's transaction).
 * Starts the clocks of a request seen for the first time, applies the change to each, and tells
 * the owner when any clock changed. Returns the request's next target here (for the Inbox).
 */
export function onRequestChange(db: AccountDb, self: string, s: RequestSummary, now: number, timeZone: string): number | null {
	const q = changeStatements(db);
	let rows = q.ofRequest.all({ requestId: s.id });
	// Clocks started now are news to the owner even when this change moves none of them.
	let changed = false;
	if (rows.length === 0) {
		// First sight: the clock starts when the request was registered, for every SLA that covers it.
		for (const sla of slasAffecting(db, s)) {
			const parts = offeringParts(db, sla.offeringId, sla.serviceInstanceId);
			if (!parts) continue;
			const clock = startClock({
				startedAt: Date.parse(s.createdAt),
				impact: s.impact,
				targets: targetsOf(parts.offering.targets, s.impact),
				calendar: parts.offering.supportHours as Calendar,
				warningPercent: parts.offering.warningPercent,
				desiredCompletionAt: s.desiredCompletionAt ? Date.parse(s.desiredCompletionAt) : null,
			});
			const row = q.insert.get({
				id: newId("asla"),
				requestId: s.id,
				customerAccountId: s.owner.id,
				customerName: s.owner.name,
				providerName: s.provider?.name ?? self,
				requestNumber: s.number,
				subject: s.subject,
				slaId: sla.id,
				slaName: sla.name,
				serviceId: parts.service.id,
				serviceName: parts.service.name,
				instanceId: parts.instance.id,
				instanceName: parts.instance.name,
				offeringId: parts.offering.id,
				offeringName: parts.offering.name,
				teamId: s.team?.accountId === self ? s.team.id : null,
				teamName: s.team?.accountId === self ? s.team.name : null,
				updatedAt: now,
				...driverValues(clockColumns(clock, timeZone)),
			});
			if (row) rows.push(row);
		}
		if (rows.length === 0) return null;
		// In the order a read by request gives them (its index: request, then SLA id), as before the rows were kept.
		rows.sort((a, b) => (a.slaId < b.slaId ? -1 : a.slaId > b.slaId ? 1 : 0));
		changed = true;
	}
	// With one of this account's teams, the request's team is the clock's; elsewhere, the last one stays.
	const ourTeam = s.team?.accountId === self ? s.team : undefined;
	rows = rows.map((r) => {
		let clock = clockOf(r.clock);
		const reopened = clock.status === "completed" && s.status !== "completed";
		const parts = s.impact !== clock.impact || reopened ? offeringParts(db, r.offeringId, r.instanceId) : undefined;
		// A completed clock kept its support hours; reopened, it follows the offering's as they are now.
		const hours = parts?.offering.supportHours as Calendar | undefined;
		if (reopened && hours && JSON.stringify(hours) !== JSON.stringify(clock.calendar)) {
			clock = { ...clock, pendingCalendars: [...(clock.pendingCalendars ?? []), { at: Date.parse(s.updatedAt), calendar: hours }] };
		}
		const { state, entries } = applyChange(clock, {
			at: Date.parse(s.updatedAt),
			status: s.status,
			impact: s.impact,
			targetsForImpact: parts && s.impact !== clock.impact ? targetsOf(parts.offering.targets, s.impact) : { response: clock.responseTarget, resolution: clock.resolutionTarget },
			desiredCompletionAt: s.desiredCompletionAt ? Date.parse(s.desiredCompletionAt) : null,
			accountable: ourTeam !== undefined,
		});
		const team = ourTeam ? { teamId: ourTeam.id, teamName: ourTeam.name } : { teamId: r.teamId, teamName: r.teamName };
		// A status that moves no clock (in progress, on backlog…) is still the status the clock shows.
		const same = entries.length === 0 && state.status === clock.status && state.desiredCompletionAt === clock.desiredCompletionAt;
		if (same && r.subject === s.subject && team.teamId === r.teamId) return r;
		changed = true;
		// The row as written (RETURNING): what the owner is told and the next target come from it.
		const updated = q.update.get({ id: r.id, subject: s.subject, ...team, updatedAt: now, ...driverValues(clockColumns(state, timeZone)) });
		return updated ?? r;
	});
	if (changed) tellOwner(db, self, s.owner.id, s.id, now, rows);
	return earliestTarget(rows);
}

/** A clock's new state, its request's subject and team as they were (the prepared update writes them all). */
function writeClock(db: AccountDb, r: Row, state: ClockState, now: number, timeZone: string): void {
	changeStatements(db).update.get({ id: r.id, subject: r.subject, teamId: r.teamId, teamName: r.teamName, updatedAt: now, ...driverValues(clockColumns(state, timeZone)) });
}

/** The earliest next target of these clocks (one request's) that this provider is accountable for. */
function earliestTarget(rows: readonly Row[]): number | null {
	let next: number | null = null;
	for (const r of rows) {
		if (r.accountability !== "provider" || r.nextTargetAt === null) continue;
		const at = r.nextTargetAt.getTime();
		if (next === null || at < next) next = at;
	}
	return next;
}

/** The earliest next target of the request's clocks this provider is accountable for. */
function requestNextTarget(db: AccountDb, requestId: string): number | null {
	return ms(changeStatements(db).nextTarget.get({ requestId })?.next ?? null);
}

/** `rows`: the request's clocks as they now stand, when the caller has them all (else they are read). */
function tellOwner(db: AccountDb, self: string, owner: string, requestId: string, now: number, rows?: readonly Row[]): void {
	if (!isActiveTrust(db, owner, "provider")) return; // its access to us ended: it would drop the message
	const items = (rows ?? changeStatements(db).ofRequest.all({ requestId })).map((r) => toView(r, self));
	enqueue(db, owner, AFFECTED_SLA_MESSAGE, { requestId, items } satisfies AffectedSlaPayload, now);
}

/**
 * The trust with `customer` ended: its open requests went back to it (returnFromProvider there), so
 * this provider is accountable for them no more. Their clocks are kept for the record (what fell
 * due before now recorded first) and leave the reports and the alarm. Completed requests stay with
 * this provider's teams, and in its reports. The customer hears nothing: its access ended too.
 * Inside the caller's transaction.
 */
export function releaseCustomerClocks(db: AccountDb, customer: string, now: number, timeZone: string): number {
	const open = db
		.select()
		.from(affectedSlas)
		.where(and(eq(affectedSlas.customerAccountId, customer), eq(affectedSlas.accountability, "provider"), ne(affectedSlas.status, "completed")))
		.all();
	for (const r of open) {
		const clock = clockOf(r.clock);
		const { state } = applyChange(clock, {
			at: now,
			status: clock.status,
			impact: clock.impact,
			targetsForImpact: { response: clock.responseTarget, resolution: clock.resolutionTarget },
			desiredCompletionAt: clock.desiredCompletionAt,
			accountable: false,
		});
		writeClock(db, r, state, now, timeZone);
	}
	return open.length;
}

/** Clocks of one request, as this provider keeps them. */
export function clocksOfRequest(db: AccountDb, self: string, requestId: string): AffectedSla[] {
	return db.select().from(affectedSlas).where(eq(affectedSlas.requestId, requestId)).orderBy(asc(affectedSlas.slaName)).all().map((r) => toView(r, self));
}

/** When the alarm must next look at a clock (epoch ms), null when none runs. A scalar query, for the scheduler's one read of every due date. */
export const NEXT_CLOCK_CHECK_SQL = "SELECT min(next_check_at) FROM affected_slas";

/**
 * The offering's support hours changed (inside the offering's update transaction): every open
 * clock of it follows the new hours from `now` on. Open: not completed, and of a customer whose
 * trust is active (a released clock is a closed record). An offering may have thousands of open
 * clocks, and taking new hours in means recomputing targets, writing timelines and telling owners:
 * too much for the update itself. So one statement queues the change in each clock (the clock takes
 * it in at its next step, at the change's instant: exact however late that step comes) and makes the
 * clock due; the alarm then takes them in, 500 at a time, through checkClocks, which already tells
 * the owners, the Inbox and the sockets. A restart half-way loses nothing: what is not taken in is
 * still queued and due. Returns how many clocks were queued.
 */
export function followSupportHours(db: AccountDb, offeringId: string, calendar: Calendar, now: number): number {
	const change: CalendarChange = { at: now, calendar };
	const queued = db.all<{ id: string }>(sql`UPDATE affected_slas
		SET clock = json_set(clock, '$.pendingCalendars', json_insert(coalesce(clock -> '$.pendingCalendars', '[]'), '$[#]', json(${JSON.stringify(change)}))),
			next_check_at = ${now}
		WHERE offering_id = ${offeringId} AND actual_resolution_at IS NULL AND ${OF_ACTIVE_CUSTOMER}
		RETURNING id`);
	return queued.length;
}

const OF_ACTIVE_CUSTOMER = sql.raw(`customer_account_id IN (SELECT other_account_id FROM trusts WHERE status = 'active' AND our_role = 'provider')`);

/**
 * The alarm: records the warnings and breaches that fell due, takes in new support hours, tells
 * this account's sockets (the Inbox re-sorts) and the owners. Returns how many clocks changed.
 */
export function checkClocks(db: AccountDb, self: string, now: number, timeZone: string): number {
	const due = db.select().from(affectedSlas).where(lte(affectedSlas.nextCheckAt, new Date(now))).limit(500).all();
	const changedRequests = new Map<string, string>(); // request → its owner
	for (const r of due) {
		const { state, recorded } = recordDue(clockOf(r.clock), now);
		writeClock(db, r, state, now, timeZone);
		changedRequests.set(r.requestId, r.customerAccountId);
		// Recorded once (recordDue is idempotent), so each warning and breach is told once.
		const told = recorded.filter((e) => e.kind.endsWith("_warning") || e.kind.endsWith("_breached"));
		if (told.length === 0) continue;
		const entry = db.select({ memberId: inbox.memberId, teamId: inbox.teamId }).from(inbox).where(eq(inbox.requestId, r.requestId)).get();
		for (const e of told) {
			notifySlaEvent(
				db,
				self,
				{
					kind: e.kind.endsWith("_warning") ? "warning" : "breach",
					text: e.text,
					request: { id: r.requestId, number: r.requestNumber, accountId: r.customerAccountId, subject: r.subject },
					teamId: entry?.teamId ?? r.teamId,
					memberId: entry?.memberId ?? null,
					slaName: r.slaName,
				},
				now,
			);
		}
	}
	// Once per request, however many of its clocks fell due: the report carries all of them, and
	// the Inbox row's next target follows (inbox.ts writes it).
	for (const [requestId, owner] of changedRequests) {
		tellOwner(db, self, owner, requestId, now);
		setInboxNextTarget(db, requestId, requestNextTarget(db, requestId), now);
	}
	return due.length;
}

// ── The owner's side ─────────────────────────────────────────────────────────

/**
 * The provider reports the clocks of one of this account's requests. Kept as reported (the
 * provider owns them); the request's next target follows; this account's sockets hear of it.
 * Nothing goes back to the provider: it already knows.
 */
export function applyAffectedSlaMessage(db: AccountDb, self: string, from: string, payload: AffectedSlaPayload, now: number): void {
	if (!isOwnRequest(db, payload.requestId)) return;
	for (const item of payload.items) {
		if (item.provider.id !== from || item.requestId !== payload.requestId) continue; // a provider speaks only for its own clocks
		reportStatements(db).upsert.run({ id: item.id, requestId: item.requestId, from, view: requestSlas.view.mapToDriverValue(item), at: now });
	}
	const next = reportedClocks(db, payload.requestId)
		.filter((c) => c.accountability === "provider" && c.nextTargetAt !== null)
		.map((c) => Date.parse(c.nextTargetAt ?? ""))
		.sort((a, b) => a - b)[0];
	// requests.ts writes the request's row: its next target follows the provider's report.
	setNextTarget(db, self, payload.requestId, next ?? null, now);
}

/** The clocks of one of this account's requests, as their providers last reported them. */
export function reportedClocks(db: AccountDb, requestId: string): AffectedSla[] {
	return reportStatements(db)
		.ofRequest.all({ requestId })
		.map((r) => r.view as AffectedSla)
		.sort((a, b) => a.sla.name.localeCompare(b.sla.name));
}

/** Run for every report a provider sends (each change of a clock): built once. Values go to SQLite as given. */
const reportStatements = statements((db) => {
	return {
		upsert: db
			.insert(requestSlas)
			.values({ id: stored("id"), requestId: stored("requestId"), providerAccountId: stored("from"), view: stored("view"), updatedAt: stored("at") })
			.onConflictDoUpdate({ target: requestSlas.id, set: { view: sql`excluded.view`, updatedAt: sql`excluded.updated_at` } })
			.prepare(),
		ofRequest: db.select({ view: requestSlas.view }).from(requestSlas).where(eq(requestSlas.requestId, sql.placeholder("requestId"))).prepare(),
	};
});

/**
 * Customer side: the trust with `provider` ended and its open requests came back (returnFromProvider).
 * The provider's last reports stay for the record, but say what is true now: it is no longer
 * accountable, and no target runs. Inside the caller's transaction.
 */
export function releaseReportedClocks(db: AccountDb, provider: string, now: number): void {
	for (const row of db.select().from(requestSlas).where(eq(requestSlas.providerAccountId, provider)).all()) {
		const view = row.view as AffectedSla;
		if (view.accountability !== "provider" || view.actualResolutionAt !== null) continue;
		const released: AffectedSla = { ...view, accountability: "sla_not_affected", nextTarget: "none", nextTargetAt: null };
		db.update(requestSlas).set({ view: released, updatedAt: new Date(now) }).where(eq(requestSlas.id, row.id)).run();
	}
}

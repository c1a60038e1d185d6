// Service level agreements: an offering of a service instance, offered to a customer account.
// Status follows 4me's lifecycle (being_prepared → scheduled_for_activation → active → expired),
// switched by people and, at the agreement's dates, by the alarm. Every change is announced to
// the customer's AccountObject, which keeps its own read model of the SLAs it receives.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import { agreementDateProblems } from "../shared/calendar";
import type { Coverage, CreateSlaInput, SlaAction, SlaStatus, UpdateSlaInput } from "../shared/service-api";
import { startOfDayMs, todayIn } from "./dates";
import { statements, transaction, type AccountDb } from "./db";
import { enqueue } from "./messaging";
import { appendInvalidation } from "./realtime";
import { serviceInstances, serviceOfferings, services, slaEvents, slas, teams } from "./schema";
import { isActiveTrust } from "./trusts";

export const SLA_MESSAGE = "sla";

/** What the customer's account learns about an SLA it receives. */
export interface SlaPayload {
	slaId: string;
	name: string;
	serviceName: string;
	offeringName: string;
	status: SlaStatus;
	startDate: string;
	noticeDate: string | null;
	expiryDate: string | null;
}

export interface SlaRecord {
	id: string;
	name: string;
	offeringId: string;
	serviceInstanceId: string;
	customerAccountId: string;
	coverage: Coverage;
	startDate: string;
	noticeDate: string | null;
	expiryDate: string | null;
	teamId: string | null;
	status: SlaStatus;
	createdAt: string;
	updatedAt: string;
	history: { at: string; action: string; actor: string; from: SlaStatus | null; to: SlaStatus | null; detail: string | null }[];
}

/** The clock and calendar an SLA operation runs with: `now` (ms) and the account's time zone. */
export interface SlaContext {
	self: string;
	now: number;
	timeZone: string;
	actor: string;
}

type SlaRow = typeof slas.$inferSelect;

function history(db: AccountDb, id: string): SlaRecord["history"] {
	return db
		.select()
		.from(slaEvents)
		.where(eq(slaEvents.slaId, id))
		.orderBy(asc(slaEvents.id))
		.all()
		.map((e) => ({
			at: e.at.toISOString(),
			action: e.action,
			actor: e.actor,
			from: (e.fromStatus as SlaStatus | null) ?? null,
			to: (e.toStatus as SlaStatus | null) ?? null,
			detail: e.detail,
		}));
}

function toRecord(db: AccountDb, r: SlaRow): SlaRecord {
	return {
		id: r.id,
		name: r.name,
		offeringId: r.offeringId,
		serviceInstanceId: r.serviceInstanceId,
		customerAccountId: r.customerAccountId,
		coverage: r.coverage as Coverage,
		startDate: r.startDate,
		noticeDate: r.noticeDate,
		expiryDate: r.expiryDate,
		teamId: r.teamId,
		status: r.status,
		createdAt: r.createdAt.toISOString(),
		updatedAt: r.updatedAt.toISOString(),
		history: history(db, r.id),
	};
}

const row = (db: AccountDb, id: string) => db.select().from(slas).where(eq(slas.id, id)).get();

export function listSlas(db: AccountDb): SlaRecord[] {
	return db.select().from(slas).orderBy(asc(slas.customerAccountId), asc(slas.name)).all().map((r) => toRecord(db, r));
}

export function getSla(db: AccountDb, id: string): SlaRecord | undefined {
	const r = row(db, id);
	return r && toRecord(db, r);
}

/** Active or scheduled SLAs for a customer: what stands in the way of ending the trust. */
export function liveSlaCount(db: AccountDb, customer: string): number {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(slas)
			.where(and(eq(slas.customerAccountId, customer), inArray(slas.status, ["active", "scheduled_for_activation"])))
			.get()?.n ?? 0
	);
}

function announce(db: AccountDb, r: SlaRow, now: number): void {
	const offering = db.select({ name: serviceOfferings.name, serviceId: serviceOfferings.serviceId }).from(serviceOfferings).where(eq(serviceOfferings.id, r.offeringId)).get();
	const service = offering && db.select({ name: services.name }).from(services).where(eq(services.id, offering.serviceId)).get();
	const payload: SlaPayload = {
		slaId: r.id,
		name: r.name,
		serviceName: service?.name ?? "",
		offeringName: offering?.name ?? "",
		status: r.status,
		startDate: r.startDate,
		noticeDate: r.noticeDate,
		expiryDate: r.expiryDate,
	};
	enqueue(db, r.customerAccountId, SLA_MESSAGE, payload, now);
}

/**
 * Writes a status change with its history entry and the message telling the customer. Callers
 * run it inside one transaction, so the three are committed together or not at all.
 */
function transition(db: AccountDb, r: SlaRow, to: SlaStatus, changes: Partial<SlaRow>, action: string, actor: string, detail: string | null, now: number): void {
	db.update(slas).set({ ...changes, status: to, updatedAt: new Date(now) }).where(eq(slas.id, r.id)).run();
	db.insert(slaEvents).values({ slaId: r.id, at: new Date(now), action, actor, fromStatus: r.status, toStatus: to, detail }).run();
	appendInvalidation(db, "slas", r.id, now);
	const updated = row(db, r.id);
	if (updated) announce(db, updated, now);
}

function teamExists(db: AccountDb, id: string | null | undefined): boolean {
	return !id || db.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).get() !== undefined;
}

export function createSla(db: AccountDb, input: CreateSlaInput, customerName: string, ctx: SlaContext): Result<SlaRecord> {
	if (input.customerAccountId === ctx.self) return fail("invalid_input", "An account cannot be its own customer.", [{ path: "customerAccountId", message: "That is this account." }]);
	const offering = db.select().from(serviceOfferings).where(eq(serviceOfferings.id, input.offeringId)).get();
	if (!offering) return fail("invalid_input", "No such service offering.", [{ path: "offeringId", message: "No such service offering." }]);
	const instance = db.select().from(serviceInstances).where(eq(serviceInstances.id, input.serviceInstanceId)).get();
	if (!instance) return fail("invalid_input", "No such service instance.", [{ path: "serviceInstanceId", message: "No such service instance." }]);
	if (instance.serviceId !== offering.serviceId) {
		return fail("invalid_input", "The instance and the offering belong to different services.", [{ path: "serviceInstanceId", message: "Pick an instance of the offering's service." }]);
	}
	if (!teamExists(db, input.teamId)) return fail("invalid_input", "No such team in this account.", [{ path: "teamId", message: "No such team." }]);
	if (!isActiveTrust(db, input.customerAccountId, "provider")) {
		return fail("conflict", `There is no active trust in which ${input.customerAccountId} trusts this account as its provider.`);
	}
	const id = newId("sla");
	const now = new Date(ctx.now);
	transaction(db, () => {
		db.insert(slas)
			.values({
				id,
				name: input.name ?? `${offering.name} for ${customerName}`,
				offeringId: offering.id,
				serviceInstanceId: instance.id,
				customerAccountId: input.customerAccountId,
				coverage: input.coverage,
				startDate: input.startDate,
				noticeDate: input.noticeDate,
				expiryDate: input.expiryDate,
				teamId: input.teamId,
				status: "being_prepared",
				createdAt: now,
				updatedAt: now,
			})
			.run();
		db.insert(slaEvents).values({ slaId: id, at: now, action: "created", actor: ctx.actor, fromStatus: null, toStatus: "being_prepared", detail: null }).run();
		appendInvalidation(db, "slas", id, ctx.now);
	});
	return ok(getSla(db, id) as SlaRecord);
}

export function updateSla(db: AccountDb, id: string, input: UpdateSlaInput, ctx: SlaContext): Result<SlaRecord> {
	const r = row(db, id);
	if (!r) return fail("not_found", "No such SLA.");
	if (r.status === "expired") return fail("conflict", "An expired SLA cannot be changed.");
	if (input.startDate !== undefined && input.startDate !== r.startDate && r.status === "active") {
		return fail("conflict", "The start date of an active SLA cannot be changed.", [{ path: "startDate", message: "Already started." }]);
	}
	if (!teamExists(db, input.teamId)) return fail("invalid_input", "No such team in this account.", [{ path: "teamId", message: "No such team." }]);
	const dates = {
		startDate: input.startDate ?? r.startDate,
		noticeDate: input.noticeDate === undefined ? r.noticeDate : input.noticeDate,
		expiryDate: input.expiryDate === undefined ? r.expiryDate : input.expiryDate,
	};
	const problems = agreementDateProblems(dates);
	if (problems.length > 0) return fail("invalid_input", problems[0]?.message ?? "Dates out of order.", problems);
	if (r.status === "active" && dates.expiryDate && dates.expiryDate < todayIn(ctx.timeZone, ctx.now)) {
		return fail("invalid_input", "The expiry date has passed; expire the SLA instead.", [{ path: "expiryDate", message: "In the past." }]);
	}
	transaction(db, () => {
		db.update(slas)
			.set({ name: input.name, coverage: input.coverage, teamId: input.teamId, ...dates, updatedAt: new Date(ctx.now) })
			.where(eq(slas.id, id))
			.run();
		db.insert(slaEvents).values({ slaId: id, at: new Date(ctx.now), action: "updated", actor: ctx.actor, fromStatus: null, toStatus: null, detail: Object.keys(input).join(", ") || null }).run();
		appendInvalidation(db, "slas", id, ctx.now);
		const updated = row(db, id);
		if (updated && updated.status !== "being_prepared") announce(db, updated, ctx.now);
	});
	return ok(getSla(db, id) as SlaRecord);
}

/** A person moves the SLA along its lifecycle. */
export function actOnSla(db: AccountDb, id: string, action: SlaAction, ctx: SlaContext): Result<SlaRecord> {
	const r = row(db, id);
	if (!r) return fail("not_found", "No such SLA.");
	const today = todayIn(ctx.timeZone, ctx.now);
	const needsTrust = () =>
		isActiveTrust(db, r.customerAccountId, "provider")
			? null
			: fail<SlaRecord>("conflict", `There is no active trust with ${r.customerAccountId}; the SLA cannot start.`);
	const invalid = (what: string) => fail<SlaRecord>("invalid_transition", `An SLA that is ${r.status.replaceAll("_", " ")} cannot be ${what}.`);

	switch (action) {
		case "schedule": {
			if (r.status !== "being_prepared") return invalid("scheduled");
			const refused = needsTrust();
			if (refused) return refused;
			if (r.expiryDate && r.expiryDate < today) return fail("invalid_input", "The expiry date has passed.", [{ path: "expiryDate", message: "In the past." }]);
			transaction(db, () => {
				if (r.startDate <= today) transition(db, r, "active", {}, "activated", ctx.actor, "The start date has come.", ctx.now);
				else transition(db, r, "scheduled_for_activation", {}, "scheduled", ctx.actor, `Starts on ${r.startDate}.`, ctx.now);
			});
			break;
		}
		case "activate": {
			if (r.status !== "being_prepared" && r.status !== "scheduled_for_activation") return invalid("activated");
			const refused = needsTrust();
			if (refused) return refused;
			const startDate = r.startDate > today ? today : r.startDate;
			transaction(db, () => transition(db, r, "active", { startDate }, "activated", ctx.actor, null, ctx.now));
			break;
		}
		case "expire": {
			if (r.status !== "active" && r.status !== "scheduled_for_activation") return invalid("expired");
			// Expiring ends the agreement today: the expiry date says so too.
			const expiryDate = r.expiryDate && r.expiryDate < today ? r.expiryDate : today;
			const noticeDate = r.noticeDate && r.noticeDate > expiryDate ? expiryDate : r.noticeDate;
			const startDate = r.startDate > expiryDate ? expiryDate : r.startDate;
			transaction(db, () => transition(db, r, "expired", { expiryDate, noticeDate, startDate }, "expired", ctx.actor, null, ctx.now));
			break;
		}
		case "prepare":
			if (r.status !== "scheduled_for_activation") return invalid("put back in preparation");
			transaction(db, () => transition(db, r, "being_prepared", {}, "unscheduled", ctx.actor, null, ctx.now));
			break;
	}
	return ok(getSla(db, id) as SlaRecord);
}

/**
 * The alarm's job: start scheduled SLAs whose start date has come, end active ones whose expiry
 * date has passed. Idempotent (an alarm may fire twice). Returns the ids changed.
 */
export function advanceSlas(db: AccountDb, ctx: Pick<SlaContext, "now" | "timeZone">): string[] {
	const today = todayIn(ctx.timeZone, ctx.now);
	const changed: string[] = [];
	for (const r of db.select().from(slas).where(inArray(slas.status, ["scheduled_for_activation", "active"])).all()) {
		let step: (() => void) | null = null;
		if (r.status === "scheduled_for_activation" && r.startDate <= today) {
			if (r.expiryDate && r.expiryDate < today) {
				step = () => transition(db, r, "expired", {}, "expired", "Trustdesk", "The agreement's dates passed before it could start.", ctx.now);
			} else if (isActiveTrust(db, r.customerAccountId, "provider")) {
				step = () => transition(db, r, "active", {}, "activated", "Trustdesk", "The start date has come.", ctx.now);
			} else {
				step = () => transition(db, r, "being_prepared", {}, "not activated", "Trustdesk", `No active trust with ${r.customerAccountId} on the start date.`, ctx.now);
			}
		} else if (r.status === "active" && r.expiryDate && r.expiryDate < today) {
			step = () => transition(db, r, "expired", {}, "expired", "Trustdesk", "The expiry date has passed.", ctx.now);
		}
		if (step) {
			transaction(db, step);
			changed.push(r.id);
		}
	}
	return changed;
}

/**
 * The next date on which an SLA changes status (ISO date), null when none will: a scheduled SLA
 * starts on its start date, an active one ends the day after its expiry date. A scalar query, for
 * the scheduler's one read of every due date; `slaChangeAt` makes it a moment. The earliest date
 * is found in SQL (ISO dates order as text) and made a midnight once: asked after every write, a
 * time-zone computation per SLA of a large provider was too much.
 */
export const NEXT_SLA_DATE_SQL =
	"SELECT min(CASE WHEN status = 'scheduled_for_activation' THEN start_date WHEN expiry_date IS NOT NULL THEN date(expiry_date, '+1 day') END) FROM slas WHERE status IN ('scheduled_for_activation', 'active')";

/** The moment an SLA next changes status by date: NEXT_SLA_DATE_SQL's date at midnight in the account's time zone. */
export function slaChangeAt(date: string | null, timeZone: string): number | null {
	return date === null ? null : startOfDayMs(date, timeZone);
}

/** The trust with `customer` ended: its remaining SLAs end with it. Inside the caller's transaction. */
export function endSlasForCustomer(db: AccountDb, customer: string, now: number, timeZone: string): number {
	const today = todayIn(timeZone, now);
	const live = db
		.select()
		.from(slas)
		.where(and(eq(slas.customerAccountId, customer), inArray(slas.status, ["active", "scheduled_for_activation"])))
		.all();
	for (const r of live) {
		transition(db, r, "expired", { expiryDate: today < r.startDate ? r.startDate : today }, "expired", "Trustdesk", `The trust with ${customer} ended.`, now);
	}
	return live.length;
}

/** Does this SLA cover the person? */
export function covers(coverage: Coverage, personId: string): boolean {
	return coverage.type === "customer_account" || coverage.personIds.includes(personId);
}

export function activeSlasFor(db: AccountDb, customer: string): SlaRow[] {
	return activeSlasStatement(db).all({ customer });
}

/** Asked at every registration (the route) and clock start: built once. */
const activeSlasStatement = statements((db) =>
	db.select().from(slas).where(and(eq(slas.customerAccountId, sql.placeholder("customer")), eq(slas.status, "active"))).orderBy(asc(slas.name)).prepare(),
);

// Services this account provides, their instances (where and by whom they run) and offerings
// (what is promised: targets per impact and support hours). An offering's targets must fit in its
// support hours within the SLA clock's horizon; new support hours reach the open clocks.
import { asc, eq } from "drizzle-orm";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import { compileCalendar, HORIZON_DAYS, targetCapacity } from "../shared/business-time";
import type { ErrorDetail } from "../shared/errors";
import type {
	Calendar,
	CreateServiceInput,
	CreateServiceInstanceInput,
	CreateServiceOfferingInput,
	Service,
	ServiceInstance,
	ServiceOffering,
	Targets,
	UpdateServiceInput,
	UpdateServiceInstanceInput,
	UpdateServiceOfferingInput,
} from "../shared/service-api";
import { followSupportHours } from "./affected-slas";
import { transaction, type AccountDb } from "./db";
import { indexService, unindexService } from "./search";
import { serviceInstances, serviceOfferings, services, slas, teams } from "./schema";

const iso = (d: Date) => d.toISOString();

function toService(r: typeof services.$inferSelect): Service {
	return { id: r.id, name: r.name, description: r.description, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}

function toInstance(r: typeof serviceInstances.$inferSelect): ServiceInstance {
	return {
		id: r.id,
		serviceId: r.serviceId,
		name: r.name,
		status: r.status,
		firstLineTeamId: r.firstLineTeamId,
		supportTeamId: r.supportTeamId,
		createdAt: iso(r.createdAt),
		updatedAt: iso(r.updatedAt),
	};
}

function toOffering(r: typeof serviceOfferings.$inferSelect): ServiceOffering {
	return {
		id: r.id,
		serviceId: r.serviceId,
		name: r.name,
		status: r.status,
		summary: r.summary,
		targets: r.targets as Targets,
		supportHours: r.supportHours as Calendar,
		warningPercent: r.warningPercent,
		createdAt: iso(r.createdAt),
		updatedAt: iso(r.updatedAt),
	};
}

// ── Services ─────────────────────────────────────────────────────────────────

export function listServices(db: AccountDb): Service[] {
	return db.select().from(services).orderBy(asc(services.name)).all().map(toService);
}

export function getService(db: AccountDb, id: string): Service | undefined {
	const r = db.select().from(services).where(eq(services.id, id)).get();
	return r && toService(r);
}

function serviceNameTaken(db: AccountDb, name: string, exceptId?: string): boolean {
	return db
		.select({ id: services.id, name: services.name })
		.from(services)
		.all()
		.some((s) => s.id !== exceptId && s.name.toLowerCase() === name.toLowerCase());
}

export function createService(db: AccountDb, input: CreateServiceInput, now: Date): Result<Service> {
	if (serviceNameTaken(db, input.name)) return fail("conflict", `A service named "${input.name}" already exists.`);
	const id = newId("svc");
	transaction(db, () => {
		db.insert(services).values({ id, name: input.name, description: input.description, createdAt: now, updatedAt: now }).run();
		indexService(db, { id, name: input.name, description: input.description });
	});
	return ok(getService(db, id) as Service);
}

export function updateService(db: AccountDb, id: string, input: UpdateServiceInput, now: Date): Result<Service> {
	if (!getService(db, id)) return fail("not_found", "No such service.");
	if (input.name !== undefined && serviceNameTaken(db, input.name, id)) return fail("conflict", `A service named "${input.name}" already exists.`);
	transaction(db, () => {
		const [row] = db.update(services).set({ name: input.name, description: input.description, updatedAt: now }).where(eq(services.id, id)).returning().all();
		if (row) indexService(db, row);
	});
	return ok(getService(db, id) as Service);
}

export function deleteService(db: AccountDb, id: string): Result<{ id: string }> {
	if (!getService(db, id)) return fail("not_found", "No such service.");
	const used =
		db.select({ id: serviceInstances.id }).from(serviceInstances).where(eq(serviceInstances.serviceId, id)).get() ??
		db.select({ id: serviceOfferings.id }).from(serviceOfferings).where(eq(serviceOfferings.serviceId, id)).get();
	if (used) return fail("conflict", "Delete the service's instances and offerings first.");
	transaction(db, () => {
		db.delete(services).where(eq(services.id, id)).run();
		unindexService(db, id);
	});
	return ok({ id });
}

// ── Instances ────────────────────────────────────────────────────────────────

function teamProblem(db: AccountDb, ids: (string | null | undefined)[]): string | null {
	for (const id of ids) {
		if (id && !db.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).get()) return `No team ${id} in this account.`;
	}
	return null;
}

export function listInstances(db: AccountDb): ServiceInstance[] {
	return db.select().from(serviceInstances).orderBy(asc(serviceInstances.name)).all().map(toInstance);
}

export function getInstance(db: AccountDb, id: string): ServiceInstance | undefined {
	const r = db.select().from(serviceInstances).where(eq(serviceInstances.id, id)).get();
	return r && toInstance(r);
}

export function createInstance(db: AccountDb, input: CreateServiceInstanceInput, now: Date): Result<ServiceInstance> {
	if (!getService(db, input.serviceId)) return fail("invalid_input", "No such service.", [{ path: "serviceId", message: "No such service." }]);
	const problem = teamProblem(db, [input.firstLineTeamId, input.supportTeamId]);
	if (problem) return fail("invalid_input", problem, [{ path: "firstLineTeamId", message: problem }]);
	const id = newId("si");
	db.insert(serviceInstances).values({ id, ...input, createdAt: now, updatedAt: now }).run();
	return ok(getInstance(db, id) as ServiceInstance);
}

export function updateInstance(db: AccountDb, id: string, input: UpdateServiceInstanceInput, now: Date): Result<ServiceInstance> {
	if (!getInstance(db, id)) return fail("not_found", "No such service instance.");
	const problem = teamProblem(db, [input.firstLineTeamId, input.supportTeamId]);
	if (problem) return fail("invalid_input", problem, [{ path: "firstLineTeamId", message: problem }]);
	db.update(serviceInstances).set({ ...input, updatedAt: now }).where(eq(serviceInstances.id, id)).run();
	return ok(getInstance(db, id) as ServiceInstance);
}

export function deleteInstance(db: AccountDb, id: string): Result<{ id: string }> {
	if (!getInstance(db, id)) return fail("not_found", "No such service instance.");
	if (db.select({ id: slas.id }).from(slas).where(eq(slas.serviceInstanceId, id)).get()) {
		return fail("conflict", "SLAs refer to this service instance; it can be discontinued but not deleted.");
	}
	db.delete(serviceInstances).where(eq(serviceInstances.id, id)).run();
	return ok({ id });
}

// ── Offerings ────────────────────────────────────────────────────────────────

export function listOfferings(db: AccountDb): ServiceOffering[] {
	return db.select().from(serviceOfferings).orderBy(asc(serviceOfferings.name)).all().map(toOffering);
}

export function getOffering(db: AccountDb, id: string): ServiceOffering | undefined {
	const r = db.select().from(serviceOfferings).where(eq(serviceOfferings.id, id)).get();
	return r && toOffering(r);
}

const number = new Intl.NumberFormat("en-GB");

/**
 * Targets that these support hours cannot reach within the SLA clock's horizon (business-time.ts
 * targetCapacity): a clock would find no instant for them and run them as best effort, never
 * breached. `hoursChanged`: the targets were fine before; it is the new hours they no longer fit.
 */
function unreachableTargets(targets: Targets, supportHours: Calendar, hoursChanged: boolean): ErrorDetail[] {
	const capacity = targetCapacity(compileCalendar(supportHours));
	const problems: ErrorDetail[] = [];
	for (const [impact, pair] of Object.entries(targets)) {
		for (const [kind, target] of Object.entries(pair)) {
			if (!target) continue;
			const [unit, value, max, label] =
				"minutes" in target ? (["minutes", target.minutes, capacity.minutes, "minutes"] as const) : (["businessDays", target.businessDays, capacity.businessDays, "business days"] as const);
			if (value <= max) continue;
			const whose = hoursChanged ? "With these support hours, at most" : "At most";
			problems.push({
				path: `targets.${impact}.${kind}.${unit}`,
				message: `${whose} ${number.format(max)} ${label} fit within the SLA clock's horizon of ${number.format(HORIZON_DAYS)} days; a longer target could never be reached or breached.`,
			});
		}
	}
	return problems;
}

function unreachable(problems: ErrorDetail[]): Result<never> {
	const first = problems[0];
	return fail("invalid_input", `A target is longer than the support hours can reach${first ? ` (${first.path})` : ""}.`, problems);
}

export function createOffering(db: AccountDb, input: CreateServiceOfferingInput, now: Date): Result<ServiceOffering> {
	if (!getService(db, input.serviceId)) return fail("invalid_input", "No such service.", [{ path: "serviceId", message: "No such service." }]);
	const problems = unreachableTargets(input.targets, input.supportHours, false);
	if (problems.length > 0) return unreachable(problems);
	const id = newId("so");
	db.insert(serviceOfferings).values({ id, ...input, createdAt: now, updatedAt: now }).run();
	return ok(getOffering(db, id) as ServiceOffering);
}

/**
 * Saves the changes. New support hours reach the open SLA clocks of the offering (queued in the
 * same transaction; the alarm takes them in: see followSupportHours), so the caller must set the
 * alarm. Its targets are the clocks' own (snapshotted when the impact was set, as in 4me).
 */
export function updateOffering(db: AccountDb, id: string, input: UpdateServiceOfferingInput, now: Date): Result<ServiceOffering> {
	const current = getOffering(db, id);
	if (!current) return fail("not_found", "No such service offering.");
	const hoursChanged = input.supportHours !== undefined && JSON.stringify(input.supportHours) !== JSON.stringify(current.supportHours);
	const problems = unreachableTargets(input.targets ?? current.targets, input.supportHours ?? current.supportHours, hoursChanged && input.targets === undefined);
	if (problems.length > 0) return unreachable(problems);
	transaction(db, () => {
		db.update(serviceOfferings).set({ ...input, updatedAt: now }).where(eq(serviceOfferings.id, id)).run();
		if (hoursChanged && input.supportHours) followSupportHours(db, id, input.supportHours, now.getTime());
	});
	return ok(getOffering(db, id) as ServiceOffering);
}

export function deleteOffering(db: AccountDb, id: string): Result<{ id: string }> {
	if (!getOffering(db, id)) return fail("not_found", "No such service offering.");
	if (db.select({ id: slas.id }).from(slas).where(eq(slas.offeringId, id)).get()) {
		return fail("conflict", "SLAs are based on this offering; it can be discontinued but not deleted.");
	}
	db.delete(serviceOfferings).where(eq(serviceOfferings.id, id)).run();
	return ok({ id });
}

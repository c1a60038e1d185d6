// The self-service catalog. A customer's catalog is assembled from its providers' answers:
// each provider's AccountObject checks the trust on every call and answers only with the SLAs
// that cover the person asking. Nothing of it is copied into the customer's account.
import { eq, sql } from "drizzle-orm";
import { fail, ok, type Result } from "../lib/result";
import type { Calendar, Coverage, Targets } from "../shared/service-api";
import { statements, type AccountDb } from "./db";
import { serviceInstances, serviceOfferings, services, teams } from "./schema";
import { activeSlasFor, covers } from "./slas";
import { isActiveTrust, listTrusts } from "./trusts";

/** One catalog line as the provider sends it (the customer adds the provider's name). */
export interface ProviderCatalogEntry {
	service: { id: string; name: string; description: string };
	instance: { id: string; name: string };
	offering: { id: string; name: string; summary: string; targets: Targets; supportHours: Calendar };
	sla: { id: string; name: string; startDate: string; expiryDate: string | null };
}

/** Provider side: what `customer`'s person `personId` may request from this account. */
export function catalogFor(db: AccountDb, customer: string, personId: string): Result<ProviderCatalogEntry[]> {
	if (!isActiveTrust(db, customer, "provider")) return fail("not_found", "No active trust with that account.");
	const entries: ProviderCatalogEntry[] = [];
	for (const sla of activeSlasFor(db, customer)) {
		if (!covers(sla.coverage as Coverage, personId)) continue;
		const offering = db.select().from(serviceOfferings).where(eq(serviceOfferings.id, sla.offeringId)).get();
		const instance = db.select().from(serviceInstances).where(eq(serviceInstances.id, sla.serviceInstanceId)).get();
		const service = offering && db.select().from(services).where(eq(services.id, offering.serviceId)).get();
		if (!offering || !instance || !service) continue;
		entries.push({
			service: { id: service.id, name: service.name, description: service.description },
			instance: { id: instance.id, name: instance.name },
			offering: { id: offering.id, name: offering.name, summary: offering.summary, targets: offering.targets as Targets, supportHours: offering.supportHours as Calendar },
			sla: { id: sla.id, name: sla.name, startDate: sla.startDate, expiryDate: sla.expiryDate },
		});
	}
	return ok(entries);
}

export interface CustomerCatalog {
	entries: (ProviderCatalogEntry & { providerAccountId: string })[];
	unavailable: string[];
}

/** Customer side: asks every provider this account actively trusts, in parallel. */
export async function assembleCatalog(
	db: AccountDb,
	ask: (provider: string) => Promise<Result<ProviderCatalogEntry[]>>,
): Promise<CustomerCatalog> {
	const providers = listTrusts(db)
		.filter((t) => t.status === "active" && t.ourRole === "customer")
		.map((t) => t.otherAccountId);
	const answers = await Promise.allSettled(providers.map(ask));
	const catalog: CustomerCatalog = { entries: [], unavailable: [] };
	answers.forEach((answer, i) => {
		const provider = providers[i] as string;
		if (answer.status === "fulfilled" && answer.value.ok) {
			for (const e of answer.value.value) catalog.entries.push({ ...e, providerAccountId: provider });
		} else if (answer.status === "rejected") {
			catalog.unavailable.push(provider);
		}
		// A provider that answers "no trust" has ended it and its message is on the way: nothing to show.
	});
	catalog.entries.sort((a, b) => a.service.name.localeCompare(b.service.name) || a.offering.name.localeCompare(b.offering.name));
	return catalog;
}

/** Where a request of `customer`'s person under SLA `slaId` goes: checked like the catalog. */
export interface ProviderRoute {
	slaId: string;
	serviceName: string;
	instance: { id: string; name: string };
	team: { id: string; name: string };
}

/** The route as the provider answers a customer's object: with its own name, so nobody asks the directory. */
export type ProviderAnswer = ProviderRoute & { providerName: string };

/**
 * Provider side, at registration: the SLA must be active for that customer and cover the person.
 * The team is the SLA's, else the instance's first-line team, else its support team.
 */
export function routeFor(db: AccountDb, customer: string, personId: string, slaId: string): Result<ProviderRoute> {
	if (!isActiveTrust(db, customer, "provider")) return fail("not_found", "No active trust with that account.");
	const sla = activeSlasFor(db, customer).find((s) => s.id === slaId);
	if (!sla || !covers(sla.coverage as Coverage, personId)) {
		return fail("conflict", "That service is not offered to you (any more): pick one from the catalog.");
	}
	const parts = routeStatements(db).parts.get({ instanceId: sla.serviceInstanceId, offeringId: sla.offeringId });
	if (!parts) return fail("conflict", "The service of that SLA no longer exists.");
	const teamId = sla.teamId ?? parts.firstLineTeamId ?? parts.supportTeamId;
	const team = teamId ? routeStatements(db).team.get({ id: teamId }) : undefined;
	if (!team) return fail("conflict", "The provider has no team for this service yet; ask them to name one.");
	return ok({ slaId: sla.id, serviceName: parts.serviceName, instance: { id: parts.instanceId, name: parts.instanceName }, team });
}

/**
 * A registration's route, built once per object (issue 12): the SLA's instance with its teams and
 * the service of its offering in one read (none when either is gone), then the team's name.
 */
const routeStatements = statements((db) => ({
	parts: db
		.select({
			instanceId: serviceInstances.id,
			instanceName: serviceInstances.name,
			firstLineTeamId: serviceInstances.firstLineTeamId,
			supportTeamId: serviceInstances.supportTeamId,
			serviceName: services.name,
		})
		.from(serviceInstances)
		.innerJoin(serviceOfferings, eq(serviceOfferings.id, sql.placeholder("offeringId")))
		.innerJoin(services, eq(services.id, serviceOfferings.serviceId))
		.where(eq(serviceInstances.id, sql.placeholder("instanceId")))
		.prepare(),
	team: db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, sql.placeholder("id"))).prepare(),
}));

// The service model: services, their instances and offerings, and SLAs that offer them to
// customer accounts; plus the self-service catalog a customer's people see.
import { z } from "zod";
import { AccountId, Name, PersonId, TeamId, TimeZone } from "./api";
import { multilineText } from "./text";
import { agreementDateProblems, calendarProblems, isCalendarDate, TIME_OF_DAY, WEEKDAYS } from "./calendar";

const Text = multilineText({ max: 4000 }).default("");
const Timestamp = z.iso.datetime();

export const ServiceId = z.string().regex(/^svc_[A-Za-z0-9]{10,40}$/, "Not a service id.");
export const ServiceInstanceId = z.string().regex(/^si_[A-Za-z0-9]{10,40}$/, "Not a service instance id.");
export const OfferingId = z.string().regex(/^so_[A-Za-z0-9]{10,40}$/, "Not a service offering id.");
export const SlaId = z.string().regex(/^sla_[A-Za-z0-9]{10,40}$/, "Not an SLA id.");
export const IsoDate = z.string().refine(isCalendarDate, "Use a date like 2026-12-31.").meta({ example: "2026-12-01" });

// ── Services and instances ───────────────────────────────────────────────────

export const Service = z
	.object({ id: ServiceId, name: z.string(), description: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
	.meta({ id: "Service" });
export const CreateServiceInput = z.strictObject({ name: Name, description: Text }).meta({ id: "CreateServiceInput", example: { name: "E-mail", description: "Mailboxes, calendars and distribution lists." } });
export const UpdateServiceInput = z.strictObject({ name: Name.optional(), description: multilineText({ max: 4000 }).optional() }).meta({ id: "UpdateServiceInput" });

export const INSTANCE_STATUSES = ["being_prepared", "in_production", "discontinued"] as const;
export const ServiceInstance = z
	.object({
		id: ServiceInstanceId,
		serviceId: ServiceId,
		name: z.string(),
		status: z.enum(INSTANCE_STATUSES),
		firstLineTeamId: TeamId.nullable(),
		supportTeamId: TeamId.nullable(),
		createdAt: Timestamp,
		updatedAt: Timestamp,
	})
	.meta({ id: "ServiceInstance" });
export const CreateServiceInstanceInput = z
	.strictObject({
		serviceId: ServiceId,
		name: Name,
		status: z.enum(INSTANCE_STATUSES).default("in_production"),
		firstLineTeamId: TeamId.nullable().default(null),
		supportTeamId: TeamId.nullable().default(null),
	})
	.meta({ id: "CreateServiceInstanceInput" });
export const UpdateServiceInstanceInput = z
	.strictObject({
		name: Name.optional(),
		status: z.enum(INSTANCE_STATUSES).optional(),
		firstLineTeamId: TeamId.nullable().optional(),
		supportTeamId: TeamId.nullable().optional(),
	})
	.meta({ id: "UpdateServiceInstanceInput" });

// ── Offerings: targets and support hours ─────────────────────────────────────

export const IMPACTS = ["top", "high", "medium", "low"] as const;
export type Impact = (typeof IMPACTS)[number];

/** A target in minutes or in business days (of the support hours); null is "best effort". */
export const Target = z
	.union([
		z.strictObject({ minutes: z.number().int().min(1, "Targets are positive.").max(525_600) }),
		z.strictObject({ businessDays: z.number().int().min(1, "Targets are positive.").max(365) }),
	])
	.nullable()
	.meta({ id: "Target" });
export type Target = z.infer<typeof Target>;

const ImpactTargets = z.strictObject({ response: Target, resolution: Target });
export const Targets = z
	.strictObject({ top: ImpactTargets, high: ImpactTargets, medium: ImpactTargets, low: ImpactTargets })
	.meta({ id: "Targets", description: "Response and resolution targets per impact." });
export type Targets = z.infer<typeof Targets>;

const TimeOfDay = z.string().regex(TIME_OF_DAY, "Use a time like 09:00 (24:00 for midnight at the end of the day).");

export const Calendar = z
	.strictObject({
		timeZone: TimeZone,
		hours: z
			.array(z.strictObject({ weekday: z.enum(WEEKDAYS), from: TimeOfDay, until: TimeOfDay }))
			.min(1, "Give at least one interval of support hours.")
			.max(70),
		holidays: z
			.array(z.strictObject({ name: Name, date: z.string(), from: TimeOfDay.optional(), until: TimeOfDay.optional() }))
			.max(400)
			.default([]),
	})
	.superRefine((cal, ctx) => {
		for (const p of calendarProblems(cal)) ctx.addIssue({ code: "custom", path: p.path.split("."), message: p.message });
	})
	.meta({ id: "Calendar", description: "Weekly hours in an IANA time zone, with full- or part-day holidays." });
export type Calendar = z.infer<typeof Calendar>;

/** SLA clocks record a warning when this share of a target's support hours has passed. */
const WarningPercent = z.number().int().min(1, "Between 1 and 99.").max(99, "Between 1 and 99.");

export const OFFERING_STATUSES = ["planned", "available", "temporarily_unavailable", "unpublished", "discontinued"] as const;
export const ServiceOffering = z
	.object({
		id: OfferingId,
		serviceId: ServiceId,
		name: z.string(),
		status: z.enum(OFFERING_STATUSES),
		summary: z.string(),
		targets: Targets,
		supportHours: Calendar,
		warningPercent: z.number().int(),
		createdAt: Timestamp,
		updatedAt: Timestamp,
	})
	.meta({ id: "ServiceOffering" });
export const CreateServiceOfferingInput = z
	.strictObject({
		serviceId: ServiceId,
		name: Name,
		status: z.enum(OFFERING_STATUSES).default("available"),
		summary: Text,
		targets: Targets,
		supportHours: Calendar,
		warningPercent: WarningPercent.default(80),
	})
	.meta({ id: "CreateServiceOfferingInput" });
export const UpdateServiceOfferingInput = z
	.strictObject({
		name: Name.optional(),
		status: z.enum(OFFERING_STATUSES).optional(),
		summary: multilineText({ max: 4000 }).optional(),
		targets: Targets.optional(),
		supportHours: Calendar.optional(),
		warningPercent: WarningPercent.optional(),
	})
	.meta({ id: "UpdateServiceOfferingInput" });

// ── SLAs ─────────────────────────────────────────────────────────────────────

export const SLA_STATUSES = ["being_prepared", "scheduled_for_activation", "active", "expired"] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

export const Coverage = z
	.discriminatedUnion("type", [
		z.strictObject({ type: z.literal("customer_account") }),
		z.strictObject({ type: z.literal("people"), personIds: z.array(PersonId).min(1, "Select at least one person.").max(500) }),
	])
	.meta({ id: "Coverage", description: "Who the SLA covers: every person of the customer account, or the people selected." });
export type Coverage = z.infer<typeof Coverage>;

export const SlaHistoryEntry = z
	.object({ at: Timestamp, action: z.string(), actor: z.string(), from: z.enum(SLA_STATUSES).nullable(), to: z.enum(SLA_STATUSES).nullable(), detail: z.string().nullable() })
	.meta({ id: "SlaHistoryEntry" });

export const Sla = z
	.object({
		id: SlaId,
		name: z.string(),
		offeringId: OfferingId,
		serviceInstanceId: ServiceInstanceId,
		customer: z.object({ id: z.string(), name: z.string() }),
		coverage: Coverage,
		startDate: z.string(),
		noticeDate: z.string().nullable(),
		expiryDate: z.string().nullable(),
		teamId: TeamId.nullable().meta({ description: "The team that gets this customer's requests; null: the instance's first-line team." }),
		status: z.enum(SLA_STATUSES),
		createdAt: Timestamp,
		updatedAt: Timestamp,
		history: z.array(SlaHistoryEntry),
	})
	.meta({ id: "Sla" });

function checkDates(value: { startDate?: string | undefined; noticeDate?: string | null | undefined; expiryDate?: string | null | undefined }, ctx: z.RefinementCtx) {
	if (value.startDate === undefined) return;
	for (const p of agreementDateProblems({ startDate: value.startDate, noticeDate: value.noticeDate, expiryDate: value.expiryDate })) {
		ctx.addIssue({ code: "custom", path: [p.path], message: p.message });
	}
}

export const CreateSlaInput = z
	.strictObject({
		name: Name.optional().meta({ description: "Defaults to “<offering> for <customer>”." }),
		offeringId: OfferingId,
		serviceInstanceId: ServiceInstanceId,
		customerAccountId: AccountId,
		coverage: Coverage.default({ type: "customer_account" }),
		startDate: IsoDate,
		noticeDate: IsoDate.nullable().default(null),
		expiryDate: IsoDate.nullable().default(null),
		teamId: TeamId.nullable().default(null),
	})
	.superRefine(checkDates)
	.meta({ id: "CreateSlaInput" });

export const UpdateSlaInput = z
	.strictObject({
		name: Name.optional(),
		coverage: Coverage.optional(),
		startDate: IsoDate.optional(),
		noticeDate: IsoDate.nullable().optional(),
		expiryDate: IsoDate.nullable().optional(),
		teamId: TeamId.nullable().optional(),
	})
	.superRefine(checkDates)
	.meta({ id: "UpdateSlaInput", description: "Dates are checked again against the stored ones." });

export const SLA_ACTIONS = ["schedule", "activate", "expire", "prepare"] as const;
export type SlaAction = (typeof SLA_ACTIONS)[number];
export const SlaActionInput = z.strictObject({ action: z.enum(SLA_ACTIONS) }).meta({
	id: "SlaActionInput",
	description:
		"schedule: being_prepared → scheduled_for_activation (active at once if the start date has come); activate: start now; expire: end now; prepare: back to being_prepared from scheduled.",
});

// ── The customer's side ──────────────────────────────────────────────────────

export const CatalogEntry = z
	.object({
		provider: z.object({ id: z.string(), name: z.string() }),
		service: z.object({ id: ServiceId, name: z.string(), description: z.string() }),
		instance: z.object({ id: ServiceInstanceId, name: z.string() }),
		offering: z.object({ id: OfferingId, name: z.string(), summary: z.string(), targets: Targets, supportHours: Calendar }),
		sla: z.object({ id: SlaId, name: z.string(), startDate: z.string(), expiryDate: z.string().nullable() }),
	})
	.meta({ id: "CatalogEntry" });
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z
	.object({
		entries: z.array(CatalogEntry),
		unavailable: z.array(z.object({ id: z.string(), name: z.string() })).meta({ description: "Providers that could not be reached just now." }),
	})
	.meta({ id: "Catalog" });

export const ReceivedSla = z
	.object({
		provider: z.object({ id: z.string(), name: z.string() }),
		slaId: z.string(),
		name: z.string(),
		serviceName: z.string(),
		offeringName: z.string(),
		status: z.enum(SLA_STATUSES),
		startDate: z.string(),
		noticeDate: z.string().nullable(),
		expiryDate: z.string().nullable(),
		updatedAt: Timestamp,
	})
	.meta({ id: "ReceivedSla", description: "An SLA another account offers this account, as last reported by that provider." });
export type ReceivedSla = z.infer<typeof ReceivedSla>;

/** A cross-account message waiting in this account's outbox. */
export const OutboxMessage = z
	.object({
		id: z.string(),
		to: z.string(),
		seq: z.number().int().meta({ description: "Position among the messages to that account; names it in the retry route." }),
		kind: z.string(),
		status: z.enum(["pending", "parked"]),
		attempts: z.number().int(),
		nextAttemptAt: Timestamp.nullable(),
		lastError: z.string().nullable(),
		createdAt: Timestamp,
	})
	.meta({ id: "OutboxMessage" });
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export type Service = z.infer<typeof Service>;
export type CreateServiceInput = z.infer<typeof CreateServiceInput>;
export type UpdateServiceInput = z.infer<typeof UpdateServiceInput>;
export type ServiceInstance = z.infer<typeof ServiceInstance>;
export type CreateServiceInstanceInput = z.infer<typeof CreateServiceInstanceInput>;
export type UpdateServiceInstanceInput = z.infer<typeof UpdateServiceInstanceInput>;
export type ServiceOffering = z.infer<typeof ServiceOffering>;
export type CreateServiceOfferingInput = z.infer<typeof CreateServiceOfferingInput>;
export type UpdateServiceOfferingInput = z.infer<typeof UpdateServiceOfferingInput>;
export type Sla = z.infer<typeof Sla>;
export type CreateSlaInput = z.infer<typeof CreateSlaInput>;
export type UpdateSlaInput = z.infer<typeof UpdateSlaInput>;
export type Catalog = z.infer<typeof Catalog>;

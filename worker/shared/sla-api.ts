// SLA clocks and SLA reports: the shapes both sides of a trust see. An affected SLA is the clock
// of one request under one SLA; it lives in the provider's account, which computes it from the
// owner's changes, and is reported back to the owner so that the customer sees the same clock.
// Reports are always computed by the provider: a customer's report is the provider's report
// filtered to that customer, so the two cannot disagree.
import { z } from "zod";
import { AccountId, TeamId } from "./api";
import { REQUEST_IMPACTS, REQUEST_STATUSES, RequestId } from "./request-api";
import { Calendar, IsoDate, ServiceId, SlaId, Target } from "./service-api";

const Timestamp = z.iso.datetime();
const Ref = z.object({ id: z.string(), name: z.string() });

/**
 * provider: the SLA's provider is accountable for the request. sla_not_affected: the provider
 * no longer is (the request left its teams, or the trust ended); the clock is kept for the
 * record but leaves the reports.
 */
export const ACCOUNTABILITIES = ["provider", "sla_not_affected"] as const;
export type Accountability = (typeof ACCOUNTABILITIES)[number];

/** What the next target of an affected SLA is (4me's nextTargetAt, spelled out). */
export const NEXT_TARGET_KINDS = ["response", "resolution", "desired_completion", "clock_stopped", "best_effort", "none"] as const;
export type NextTargetKind = (typeof NEXT_TARGET_KINDS)[number];

export const CLOCK_EVENT_KINDS = [
	"started",
	"impact_changed",
	"stopped",
	"resumed",
	"responded",
	"resolved",
	"reopened",
	"response_warning",
	"resolution_warning",
	"response_breached",
	"resolution_breached",
	"not_accountable",
	"accountable",
	"support_hours_changed",
] as const;
export type ClockEventKind = (typeof CLOCK_EVENT_KINDS)[number];

export const ClockEvent = z
	.object({
		at: Timestamp,
		kind: z.enum(CLOCK_EVENT_KINDS),
		/** One sentence for people: "Waiting for customer: the clock stopped." */
		text: z.string(),
	})
	.meta({ id: "ClockEvent" });
export type ClockEvent = z.infer<typeof ClockEvent>;

export const ClockStop = z
	.object({
		from: Timestamp,
		until: Timestamp.nullable().meta({ description: "Null while the clock is still stopped." }),
		/** Support-hours minutes of the stop (so far, while it lasts). */
		minutes: z.number(),
		reason: z.enum(["waiting_for_customer", "completed"]).meta({ description: "completed: the time between completion and a reopen." }),
	})
	.meta({ id: "ClockStop" });
export type ClockStop = z.infer<typeof ClockStop>;

export const AffectedSla = z
	.object({
		id: z.string(),
		requestId: RequestId,
		requestNumber: z.number().int(),
		subject: z.string(),
		provider: Ref,
		customer: Ref,
		sla: Ref,
		service: Ref,
		instance: Ref,
		offering: Ref,
		team: Ref.nullable(),
		accountability: z.enum(ACCOUNTABILITIES),
		impact: z.enum(REQUEST_IMPACTS),
		status: z.enum(REQUEST_STATUSES).meta({ description: "The request's status as the provider last heard it." }),
		supportHours: Calendar.meta({
			description:
				"The support hours the clock follows: the offering's. When they change, an open clock follows the new hours from then on (its timeline says so); time already run stays measured in the earlier hours, and a completed clock keeps its own.",
		}),
		responseTarget: Target.meta({ description: "The offering's response target for the impact, when the impact was set (null: best effort)." }),
		resolutionTarget: Target,
		warningPercent: z.number().int(),
		startedAt: Timestamp,
		responseTargetAt: Timestamp.nullable(),
		resolutionTargetAt: Timestamp.nullable(),
		desiredCompletionAt: Timestamp.nullable(),
		actualResponseAt: Timestamp.nullable(),
		actualResolutionAt: Timestamp.nullable(),
		responseMinutes: z.number().nullable().meta({ description: "Support-hours minutes from start to response, without stopped time." }),
		resolutionMinutes: z.number().nullable(),
		stoppedMinutes: z.number(),
		clockStoppedAt: Timestamp.nullable(),
		stops: z.array(ClockStop),
		nextTargetAt: Timestamp.nullable(),
		nextTarget: z.enum(NEXT_TARGET_KINDS),
		responseBreached: z.boolean().meta({
			description: "From the instants alone: responded after the target, or (no response yet) the clock ran past it. Judged again whenever a target or the response moves, so an impact change can set or clear it.",
		}),
		resolutionBreached: z.boolean().meta({ description: "The same rule for the resolution target." }),
		timeline: z.array(ClockEvent),
		updatedAt: Timestamp,
	})
	.meta({ id: "AffectedSla", description: "The SLA clock of one request under one SLA, kept by the provider." });
export type AffectedSla = z.infer<typeof AffectedSla>;

// ── Reports ──────────────────────────────────────────────────────────────────

export const REPORT_DIMENSIONS = ["service", "customer", "sla", "team", "month"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export const REPORT_METRICS = ["requests", "responded_in_time", "response_missed", "resolved_in_time", "resolution_missed", "resolved", "breached", "open_past_target"] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

export const SlaReportQuery = z
	.object({
		from: IsoDate.meta({ description: "First day (in the provider's time zone), inclusive." }),
		until: IsoDate.meta({ description: "Last day, inclusive." }),
		provider: AccountId.optional().meta({ description: "Whose SLAs: this account's own (default), or a provider of this account." }),
		customer: AccountId.optional(),
		serviceId: ServiceId.optional(),
		slaId: SlaId.optional(),
		teamId: TeamId.optional(),
	})
	.refine((q) => q.from <= q.until, { path: ["until"], message: "until is before from." })
	.meta({ id: "SlaReportQuery" });
export type SlaReportQuery = z.infer<typeof SlaReportQuery>;

export const SlaFigures = z
	.object({
		requests: z.number().int().meta({ description: "Affected SLAs (provider accountable) of requests registered in the range." }),
		responseTargets: z.number().int().meta({ description: "Of those, with a response target that has been met, missed or passed." }),
		respondedInTime: z.number().int(),
		responsePercent: z.number().nullable().meta({ description: "respondedInTime / responseTargets × 100; null without targets." }),
		resolutionTargets: z.number().int(),
		resolvedInTime: z.number().int(),
		resolutionPercent: z.number().nullable(),
		resolved: z.number().int(),
		meanResolutionMinutes: z.number().nullable().meta({ description: "Support-hours minutes, stopped time excluded." }),
		medianResolutionMinutes: z.number().nullable(),
		p90ResolutionMinutes: z.number().nullable(),
		breached: z.number().int().meta({ description: "With a response or resolution breach." }),
		openPastTarget: z.number().int().meta({ description: "Still open and past their next target now." }),
	})
	.meta({ id: "SlaFigures" });
export type SlaFigures = z.infer<typeof SlaFigures>;

export const SlaReportRow = z.object({ key: z.string(), label: z.string(), figures: SlaFigures }).meta({ id: "SlaReportRow" });
export type SlaReportRow = z.infer<typeof SlaReportRow>;

/**
 * How the trust between the provider and the report's one customer stands. A customer keeps its
 * history after offboarding: "ended" reports are the provider's figures up to the end, read-only.
 */
export const SlaReportTrust = z
	.object({
		status: z.enum(["active", "ended"]),
		endedAt: Timestamp.nullable().meta({ description: "When the trust last stopped being active (ended only)." }),
	})
	.meta({ id: "SlaReportTrust" });
export type SlaReportTrust = z.infer<typeof SlaReportTrust>;

export const SlaReport = z
	.object({
		provider: Ref,
		/** Set when a customer asked: the report is filtered to it. */
		customer: Ref.nullable(),
		trust: SlaReportTrust.nullable().meta({
			description:
				"Set when the report is one customer's (the customer asked, or the provider filtered to it): the trust between the two. ended: the customer's history, computed by the provider as before; requests still open at the end left the figures (their clocks became sla_not_affected).",
		}),
		from: z.string(),
		until: z.string(),
		timeZone: z.string(),
		generatedAt: Timestamp,
		totals: SlaFigures,
		byService: z.array(SlaReportRow),
		byCustomer: z.array(SlaReportRow),
		bySla: z.array(SlaReportRow),
		byTeam: z.array(SlaReportRow),
		byMonth: z.array(SlaReportRow).meta({ description: "key YYYY-MM, every month of the range, empty ones included." }),
	})
	.meta({ id: "SlaReport" });
export type SlaReport = z.infer<typeof SlaReport>;

export const SlaDrillQuery = z
	.object({
		from: IsoDate,
		until: IsoDate,
		provider: AccountId.optional(),
		customer: AccountId.optional(),
		serviceId: ServiceId.optional(),
		slaId: SlaId.optional(),
		teamId: TeamId.optional(),
		dimension: z.enum([...REPORT_DIMENSIONS, "all"]).default("all"),
		key: z.string().max(64).optional().meta({ description: "The row's key in that dimension (required unless dimension is all)." }),
		metric: z.enum(REPORT_METRICS).default("requests"),
		page: z.coerce.number().int().min(1).default(1),
		perPage: z.coerce.number().int().min(1).max(200).default(50),
	})
	.refine((q) => q.from <= q.until, { path: ["until"], message: "until is before from." })
	.refine((q) => q.dimension === "all" || q.key !== undefined, { path: ["key"], message: "Give the row's key." })
	.meta({ id: "SlaDrillQuery" });
export type SlaDrillQuery = z.infer<typeof SlaDrillQuery>;

export const SlaDrillItem = z
	.object({
		requestId: RequestId,
		requestNumber: z.number().int(),
		subject: z.string(),
		customer: Ref,
		service: Ref,
		sla: Ref,
		team: Ref.nullable(),
		impact: z.enum(REQUEST_IMPACTS),
		status: z.enum(REQUEST_STATUSES),
		startedAt: Timestamp,
		responseTargetAt: Timestamp.nullable(),
		actualResponseAt: Timestamp.nullable(),
		resolutionTargetAt: Timestamp.nullable(),
		actualResolutionAt: Timestamp.nullable(),
		resolutionMinutes: z.number().nullable(),
		responseBreached: z.boolean(),
		resolutionBreached: z.boolean(),
	})
	.meta({ id: "SlaDrillItem" });
export type SlaDrillItem = z.infer<typeof SlaDrillItem>;

export const AffectedSlaList = z.object({ items: z.array(AffectedSla) }).meta({ id: "AffectedSlaList" });
export type AffectedSlaList = z.infer<typeof AffectedSlaList>;

export const SlaDrillPage = z
	.object({ items: z.array(SlaDrillItem), total: z.number().int(), page: z.number().int(), perPage: z.number().int() })
	.meta({ id: "SlaDrillPage" });
export type SlaDrillPage = z.infer<typeof SlaDrillPage>;


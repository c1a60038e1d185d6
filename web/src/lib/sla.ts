// Words and numbers for SLA clocks and reports, as people read them in the portal: business-time
// durations ("2 h 15 min" of support hours), how far a target is ("in 2 h", "overdue 35 min"),
// the clock's events, the report's figures and the date ranges people pick. Types come from the
// Worker's shared schemas (type-only imports: no zod in the portal bundle).
import { createSignal, onCleanup, type Accessor } from "solid-js";
import type { AffectedSla, ClockEventKind, NextTargetKind, ReportDimension, ReportMetric } from "../../../worker/shared/sla-api";
import type { Tone } from "./services";

/**
 * Support-hours minutes as people say them: 45 → "45 min", 120 → "2 h", 135 → "2 h 15 min".
 * Business time has no days (a business day is the support hours of that day), so hours it is.
 */
export function formatBusinessMinutes(minutes: number | null | undefined): string {
	if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return "—";
	const total = Math.max(0, Math.round(minutes));
	if (total < 60) return `${total} min`;
	const h = Math.floor(total / 60);
	const m = total % 60;
	return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A wall-clock span, coarsely: "35 min", "2 h 15 min", "3 d 4 h". */
function span(ms: number): string {
	const minutes = Math.max(1, Math.round(ms / 60_000));
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		const m = minutes % 60;
		return m === 0 || hours >= 10 ? `${hours} h` : `${hours} h ${m} min`;
	}
	const days = Math.floor(hours / 24);
	const h = hours % 24;
	return h === 0 || days >= 10 ? `${days} d` : `${days} d ${h} h`;
}

/** How far a target is from now: { text: "in 2 h" } or { text: "overdue 35 min", overdue: true }. */
export function untilTarget(iso: string, now: number): { text: string; overdue: boolean } {
	const diff = new Date(iso).getTime() - now;
	if (diff >= 0) return { text: diff < 60_000 ? "in less than a minute" : `in ${span(diff)}`, overdue: false };
	return { text: `overdue ${span(-diff)}`, overdue: true };
}

/** The current time, ticking every `ms` while the calling component lives (for relative times). */
export function createNow(ms = 30_000): Accessor<number> {
	const [now, setNow] = createSignal(Date.now());
	const timer = setInterval(() => setNow(Date.now()), ms);
	onCleanup(() => clearInterval(timer));
	return now;
}

/** How each clock event looks on the SLA timeline: a short label and a tone. */
export const CLOCK_EVENT: Record<ClockEventKind, { label: string; tone: Tone }> = {
	started: { label: "Clock started", tone: "info" },
	impact_changed: { label: "Impact changed", tone: "neutral" },
	stopped: { label: "Clock stopped", tone: "warning" },
	resumed: { label: "Clock resumed", tone: "info" },
	responded: { label: "Responded", tone: "success" },
	resolved: { label: "Resolved", tone: "success" },
	reopened: { label: "Reopened", tone: "warning" },
	response_warning: { label: "Response warning", tone: "warning" },
	resolution_warning: { label: "Resolution warning", tone: "warning" },
	response_breached: { label: "Response breached", tone: "danger" },
	resolution_breached: { label: "Resolution breached", tone: "danger" },
	not_accountable: { label: "Provider not accountable", tone: "neutral" },
	accountable: { label: "Provider accountable again", tone: "info" },
	support_hours_changed: { label: "Support hours changed", tone: "info" },
};

/** What the next target is, in a few words for specialists. */
export const NEXT_TARGET: Record<NextTargetKind, string> = {
	response: "Response",
	resolution: "Resolution",
	desired_completion: "Desired completion",
	clock_stopped: "Clock stopped",
	best_effort: "Best effort",
	none: "None",
};

/**
 * The one sentence the requester reads near the status, from the provider's clock:
 * "We will resolve this by 12 Mar 2026, 17:00." Null when there is nothing to promise.
 */
export function promiseSentence(sla: Pick<AffectedSla, "nextTarget" | "nextTargetAt">, formatTime: (iso: string) => string, now: number): string | null {
	const at = sla.nextTargetAt;
	switch (sla.nextTarget) {
		case "response":
			if (!at) return null;
			return new Date(at).getTime() >= now ? `We will respond by ${formatTime(at)}.` : `We aimed to respond by ${formatTime(at)}: we are on it.`;
		case "resolution":
		case "desired_completion":
			if (!at) return null;
			return new Date(at).getTime() >= now ? `We will resolve this by ${formatTime(at)}.` : `We aimed to resolve this by ${formatTime(at)}: we are on it.`;
		case "clock_stopped":
			return "Waiting for you: the clock is stopped.";
		case "best_effort":
			return "Best effort: there is no target time for this request.";
		default:
			return null;
	}
}

/** Whether the clock stands still now, and since when. */
export function clockState(sla: Pick<AffectedSla, "clockStoppedAt" | "actualResolutionAt" | "accountability">): { label: string; tone: Tone } {
	if (sla.accountability === "sla_not_affected") return { label: "Not counted", tone: "neutral" };
	if (sla.actualResolutionAt) return { label: "Clock finished", tone: "neutral" };
	if (sla.clockStoppedAt) return { label: "Clock stopped", tone: "warning" };
	return { label: "Clock running", tone: "info" };
}

// ── Reports ──────────────────────────────────────────────────────────────────

/** What a drill-down lists, as a heading. */
export const METRIC_LABEL: Record<ReportMetric, string> = {
	requests: "Requests",
	responded_in_time: "Responses within target",
	response_missed: "Responses that missed the target",
	resolved_in_time: "Resolutions within target",
	resolution_missed: "Resolutions that missed the target",
	resolved: "Resolved requests",
	breached: "Breached requests",
	open_past_target: "Open past their target",
};

export const DIMENSION_LABEL: Record<ReportDimension | "all", string> = {
	service: "Service",
	customer: "Customer",
	sla: "SLA",
	team: "Team",
	month: "Month",
	all: "All",
};

const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined);

/** 92.456 → "92.5%"; null (no targets) → "—". */
export function formatPercent(p: number | null | undefined): string {
	return p === null || p === undefined ? "—" : percent.format(p / 100);
}

export function formatCount(n: number): string {
	return integer.format(n);
}

const monthLong = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
const monthShort = new Intl.DateTimeFormat(undefined, { month: "short", timeZone: "UTC" });
const monthShortYear = new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });

function monthDate(key: string): Date | null {
	const m = /^(\d{4})-(\d{2})$/.exec(key);
	return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : null;
}

/** "2026-03" → "March 2026". */
export function monthLabel(key: string): string {
	const d = monthDate(key);
	return d ? monthLong.format(d) : key;
}

/** "2026-03" → "Mar" (or "Mar 26" when the range spans years). */
export function monthTick(key: string, withYear: boolean): string {
	const d = monthDate(key);
	return d ? (withYear ? monthShortYear : monthShort).format(d) : key;
}

// ── Date ranges ──────────────────────────────────────────────────────────────

export const RANGE_PRESETS = ["this_month", "last_month", "last_3_months", "last_6_months", "this_year"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_PRESET_LABEL: Record<RangePreset, string> = {
	this_month: "This month",
	last_month: "Last month",
	last_3_months: "Last 3 months",
	last_6_months: "Last 6 months",
	this_year: "This year",
};

const pad = (n: number) => String(n).padStart(2, "0");
const isoDay = (y: number, m: number, d: number) => {
	const t = new Date(Date.UTC(y, m - 1, d));
	return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
};

/**
 * A preset's first and last day, for `today` (YYYY-MM-DD). "Last 3 months" are the current month
 * and the two before it; the current month ends today.
 */
export function presetRange(preset: RangePreset, today: string): { from: string; until: string } {
	const [y, m] = today.split("-").map(Number) as [number, number, number];
	switch (preset) {
		case "this_month":
			return { from: isoDay(y, m, 1), until: today };
		case "last_month":
			return { from: isoDay(y, m - 1, 1), until: isoDay(y, m, 0) };
		case "last_3_months":
			return { from: isoDay(y, m - 2, 1), until: today };
		case "last_6_months":
			return { from: isoDay(y, m - 5, 1), until: today };
		case "this_year":
			return { from: isoDay(y, 1, 1), until: today };
	}
}

/** The preset a range is, if any. */
export function presetOf(from: string, until: string, today: string): RangePreset | null {
	return RANGE_PRESETS.find((p) => {
		const r = presetRange(p, today);
		return r.from === from && r.until === until;
	}) ?? null;
}

export const isIsoDay = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime());

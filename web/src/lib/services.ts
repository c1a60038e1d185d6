// Words for the service model: targets, support hours, statuses and capabilities, as people read
// them in the portal. Types come from the Worker's shared schemas (type-only imports, so no zod
// in the portal bundle); the calendar rules are shared as values.
import type { Impact, OFFERING_STATUSES, INSTANCE_STATUSES, SlaStatus, Target, Calendar } from "../../../worker/shared/service-api";
import type { TrustCapabilities, TrustStatus } from "../../../worker/shared/trust-api";
import { WEEKDAYS, minutesOf, type Weekday } from "../../../worker/shared/calendar";

export type Tone = "neutral" | "success" | "warning" | "danger" | "info";

/** In the order the API and people use: most urgent first. */
export const IMPACT_ORDER = ["top", "high", "medium", "low"] as const satisfies readonly Impact[];

export const IMPACT_LABELS: Record<Impact, string> = { top: "Top", high: "High", medium: "Medium", low: "Low" };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** 15 → "15 minutes", 240 → "4 hours", 90 → "1 hour 30 minutes". */
export function formatMinutes(minutes: number): string {
	if (minutes < 60) return plural(minutes, "minute", "minutes");
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m === 0 ? plural(h, "hour", "hours") : `${plural(h, "hour", "hours")} ${plural(m, "minute", "minutes")}`;
}

/** "within 4 hours", "within 2 business days", or null for best effort. */
export function targetDuration(target: Target): string | null {
	if (target === null) return null;
	return "minutes" in target ? formatMinutes(target.minutes) : plural(target.businessDays, "business day", "business days");
}

/** "Response within 4 hours" / "Resolution within 2 business days" / "Best effort". */
export function targetInWords(kind: "response" | "resolution", target: Target): string {
	const d = targetDuration(target);
	if (d === null) return kind === "response" ? "Response: best effort" : "Resolution: best effort";
	return `${kind === "response" ? "Response" : "Resolution"} within ${d}`;
}

export const WEEKDAY_SHORT: Record<Weekday, string> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };

/**
 * Weekly hours, compactly: consecutive days with the same hours share a line.
 * [{ days: "Mon–Fri", hours: "09:00–17:00" }, { days: "Sat", hours: "10:00–14:00" }]
 */
export function weeklyHours(calendar: Pick<Calendar, "hours">): { days: string; hours: string }[] {
	const perDay = WEEKDAYS.map((day) =>
		calendar.hours
			.filter((h) => h.weekday === day)
			.sort((a, b) => minutesOf(a.from) - minutesOf(b.from))
			.map((h) => `${h.from}–${h.until}`)
			.join(", "),
	);
	if (perDay.every((h) => h === "00:00–24:00")) return [{ days: "Every day", hours: "around the clock" }];
	const lines: { days: string; hours: string }[] = [];
	let i = 0;
	while (i < WEEKDAYS.length) {
		const hours = perDay[i] ?? "";
		let j = i;
		while (j + 1 < WEEKDAYS.length && perDay[j + 1] === hours) j++;
		if (hours) {
			const first = WEEKDAY_SHORT[WEEKDAYS[i] as Weekday];
			const last = WEEKDAY_SHORT[WEEKDAYS[j] as Weekday];
			lines.push({ days: i === j ? first : `${first}${j === i + 1 ? ", " : "–"}${last}`, hours });
		}
		i = j + 1;
	}
	return lines;
}

/** Today as YYYY-MM-DD in a time zone (the browser's when none is given). */
export function todayIn(timeZone?: string): string {
	try {
		return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
	} catch {
		return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
	}
}

/** Holidays from today on, soonest first. */
export function upcomingHolidays(calendar: Calendar, limit = 3): Calendar["holidays"] {
	const today = todayIn(calendar.timeZone);
	return calendar.holidays
		.filter((h) => h.date >= today)
		.sort((a, b) => a.date.localeCompare(b.date))
		.slice(0, limit);
}

export const SLA_STATUS: Record<SlaStatus, { label: string; tone: Tone }> = {
	being_prepared: { label: "Being prepared", tone: "neutral" },
	scheduled_for_activation: { label: "Scheduled for activation", tone: "info" },
	active: { label: "Active", tone: "success" },
	expired: { label: "Expired", tone: "neutral" },
};

export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export const INSTANCE_STATUS: Record<InstanceStatus, { label: string; tone: Tone }> = {
	being_prepared: { label: "Being prepared", tone: "neutral" },
	in_production: { label: "In production", tone: "success" },
	discontinued: { label: "Discontinued", tone: "neutral" },
};

export type OfferingStatus = (typeof OFFERING_STATUSES)[number];
export const OFFERING_STATUS: Record<OfferingStatus, { label: string; tone: Tone }> = {
	planned: { label: "Planned", tone: "info" },
	available: { label: "Available", tone: "success" },
	temporarily_unavailable: { label: "Temporarily unavailable", tone: "warning" },
	unpublished: { label: "Unpublished", tone: "neutral" },
	discontinued: { label: "Discontinued", tone: "neutral" },
};

export const TRUST_STATUS: Record<TrustStatus, { label: string; tone: Tone }> = {
	pending: { label: "Pending", tone: "warning" },
	active: { label: "Active", tone: "success" },
	rejected: { label: "Rejected", tone: "danger" },
	cancelled: { label: "Cancelled", tone: "neutral" },
	deactivated: { label: "Deactivated", tone: "neutral" },
};

export const CAPABILITIES: { key: keyof TrustCapabilities; label: string; description: string }[] = [
	{ key: "shareRoles", label: "Share roles", description: "Each account may make its roles available to the other's people." },
	{ key: "assignTasks", label: "Assign tasks", description: "The provider may assign tasks to the customer's teams." },
	{
		key: "supportConfigurationItems",
		label: "Support configuration items",
		description: "The customer may make the provider's teams responsible for its configuration items.",
	},
];

export const NO_CAPABILITIES: TrustCapabilities = { shareRoles: false, assignTasks: false, supportConfigurationItems: false };

export function capabilityList(c: TrustCapabilities): string[] {
	return CAPABILITIES.filter((k) => c[k.key]).map((k) => k.label);
}

export function capabilitiesOf(keys: readonly (keyof TrustCapabilities)[]): TrustCapabilities {
	return { shareRoles: keys.includes("shareRoles"), assignTasks: keys.includes("assignTasks"), supportConfigurationItems: keys.includes("supportConfigurationItems") };
}

export function keysOf(c: TrustCapabilities): (keyof TrustCapabilities)[] {
	return CAPABILITIES.filter((k) => c[k.key]).map((k) => k.key);
}

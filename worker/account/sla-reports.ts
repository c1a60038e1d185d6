// SLA reports over this provider's affected SLAs: one scan of the range, figures per service,
// customer, SLA, team and month, and the requests behind any figure. A customer's report is this
// same computation with the customer filter set, so both sides read identical numbers.
//
// Which clocks count: those this provider is accountable for (accountability "provider") whose
// request was registered in the range (days in this account's time zone). A target counts once it
// was met or missed: responded or resolved (in time or late), or breached while still open.
import type { ReportDimension, ReportMetric, SlaDrillItem, SlaDrillPage, SlaFigures, SlaReport, SlaReportRow, SlaReportTrust } from "../shared/sla-api";
import type { RequestImpact, RequestStatus } from "../shared/request-api";
import { addDays, startOfDayMs } from "./dates";

export interface ReportFilter {
	from: string;
	until: string;
	customer?: string | undefined;
	serviceId?: string | undefined;
	slaId?: string | undefined;
	teamId?: string | undefined;
}

type Value = ArrayBuffer | string | number | null;
const str = (v: Value) => (v === null ? "" : String(v));

function where(f: ReportFilter, timeZone: string): { clause: string; binds: (string | number)[] } {
	const parts = ["accountability = 'provider'", "started_at >= ?", "started_at < ?"];
	const binds: (string | number)[] = [startOfDayMs(f.from, timeZone), startOfDayMs(addDays(f.until, 1), timeZone)];
	for (const [column, value] of [
		["customer_account_id", f.customer],
		["service_id", f.serviceId],
		["sla_id", f.slaId],
		["team_id", f.teamId],
	] as const) {
		if (value === undefined) continue;
		parts.push(`${column} = ?`);
		binds.push(value);
	}
	return { clause: parts.join(" AND "), binds };
}

// ── Which figure a clock falls under: the one definition of each metric ───────
// Computed by SQLite for every clock of the range, as bits of one integer: the report counts them,
// the drill-down filters on them, so a figure and its requests cannot disagree. `?` is now.

const BIT: Record<Exclude<ReportMetric, "requests">, number> = {
	responded_in_time: 1,
	response_missed: 2,
	resolved_in_time: 4,
	resolution_missed: 8,
	resolved: 16,
	breached: 32,
	open_past_target: 64,
};

// Met or missed is the clock's one rule (sla-clock.ts verdictOf), over the same instants: an
// answered target by its actual against its target, an open one by the clock's verdict (the clock ran
// past it; recorded by the alarm when it falls due). Every target is in time or missed, never both,
// and "breached" is a request with a missed target: the same two expressions, not a flag of its own.
const targetMet = (target: string, actual: string) => `(${target} IS NOT NULL AND ${actual} IS NOT NULL AND ${actual} <= ${target})`;
const targetMissed = (target: string, actual: string, open: string) =>
	`(${target} IS NOT NULL AND CASE WHEN ${actual} IS NOT NULL THEN ${actual} > ${target} ELSE ${open} END)`;
const RESPONSE_MET = targetMet("response_target_at", "actual_response_at");
const RESPONSE_MISSED = targetMissed("response_target_at", "actual_response_at", "response_breached");
const RESOLUTION_MET = targetMet("resolution_target_at", "actual_resolution_at");
const RESOLUTION_MISSED = targetMissed("resolution_target_at", "actual_resolution_at", "resolution_breached");

// (In SQLite, | and << share one precedence level: every shifted term is parenthesized.)
const FLAGS = `(
	${RESPONSE_MET}
	| (${RESPONSE_MISSED} << 1)
	| (${RESOLUTION_MET} << 2)
	| (${RESOLUTION_MISSED} << 3)
	| ((actual_resolution_at IS NOT NULL) << 4)
	| ((${RESPONSE_MISSED} OR ${RESOLUTION_MISSED}) << 5)
	| ((actual_resolution_at IS NULL AND next_target_at IS NOT NULL AND next_target_at < ?) << 6)
)`;

export function inMetric(metric: ReportMetric, flags: number): boolean {
	return metric === "requests" || (flags & BIT[metric]) !== 0;
}

/** The report's columns: the five dimension keys, the metric bits, the resolution time. */
const COLUMNS = `service_id, customer_account_id, sla_id, coalesce(team_id, ''), started_month, ${FLAGS}, resolution_minutes`;
const DIMENSIONS = ["service", "customer", "sla", "team", "month"] as const satisfies readonly ReportDimension[];

class Tally {
	requests = 0;
	respondedInTime = 0;
	responseMissed = 0;
	resolvedInTime = 0;
	resolutionMissed = 0;
	resolved = 0;
	breached = 0;
	openPastTarget = 0;
	readonly minutes: number[] = [];

	add(flags: number, minutes: number | null): void {
		this.requests += 1;
		if (flags & BIT.responded_in_time) this.respondedInTime += 1;
		if (flags & BIT.response_missed) this.responseMissed += 1;
		if (flags & BIT.resolved_in_time) this.resolvedInTime += 1;
		if (flags & BIT.resolution_missed) this.resolutionMissed += 1;
		if (flags & BIT.resolved) {
			this.resolved += 1;
			if (minutes !== null) this.minutes.push(minutes);
		}
		if (flags & BIT.breached) this.breached += 1;
		if (flags & BIT.open_past_target) this.openPastTarget += 1;
	}

	figures(): SlaFigures {
		const responseTargets = this.respondedInTime + this.responseMissed;
		const resolutionTargets = this.resolvedInTime + this.resolutionMissed;
		// A typed array sorts numbers natively: a year of clocks is 100,000 of them, five times over.
		const sorted = Float64Array.from(this.minutes).sort();
		// Nearest rank: the value at or below which p % of the durations fall.
		const rank = (p: number) => (sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null));
		const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);
		let sum = 0;
		for (const m of sorted) sum += m;
		return {
			requests: this.requests,
			responseTargets,
			respondedInTime: this.respondedInTime,
			responsePercent: percent(this.respondedInTime, responseTargets),
			resolutionTargets,
			resolvedInTime: this.resolvedInTime,
			resolutionPercent: percent(this.resolvedInTime, resolutionTargets),
			resolved: this.resolved,
			meanResolutionMinutes: sorted.length === 0 ? null : Math.round((10 * sum) / sorted.length) / 10,
			medianResolutionMinutes: rank(50),
			p90ResolutionMinutes: rank(90),
			breached: this.breached,
			openPastTarget: this.openPastTarget,
		};
	}
}

/** Every month ("YYYY-MM") the range touches, in order. */
function monthsOf(from: string, until: string): string[] {
	const months: string[] = [];
	let [y, m] = from.split("-").map(Number) as [number, number];
	const last = until.slice(0, 7);
	for (;;) {
		const key = `${y}-${String(m).padStart(2, "0")}`;
		months.push(key);
		if (key >= last || months.length > 240) return months;
		m += 1;
		if (m > 12) [y, m] = [y + 1, 1];
	}
}

export interface ReportContext {
	sql: SqlStorage;
	timeZone: string;
	now: number;
	provider: { id: string; name: string };
	customer: { id: string; name: string } | null;
	/** With a customer: how the trust with it stands (report-access.ts decides who may read). */
	trust?: SlaReportTrust | null | undefined;
}

export function slaReport(ctx: ReportContext, f: ReportFilter): SlaReport {
	const { clause, binds } = where(f, ctx.timeZone);
	const totals = new Tally();
	const groups: Record<ReportDimension, Map<string, Tally>> = {
		service: new Map(),
		customer: new Map(),
		sla: new Map(),
		team: new Map(),
		month: new Map(monthsOf(f.from, f.until).map((m) => [m, new Tally()])),
	};
	for (const r of ctx.sql.exec(`SELECT ${COLUMNS} FROM affected_slas WHERE ${clause}`, ctx.now, ...binds).raw()) {
		const flags = Number(r[5]);
		const minutes = r[6] === null || r[6] === undefined ? null : Number(r[6]);
		totals.add(flags, minutes);
		for (let d = 0; d < DIMENSIONS.length; d++) {
			const dimension = DIMENSIONS[d] as ReportDimension;
			const key = String(r[d] ?? "");
			let tally = groups[dimension].get(key);
			if (!tally) groups[dimension].set(key, (tally = new Tally()));
			tally.add(flags, minutes);
		}
	}
	const labels = labelsOf(ctx.sql, groups);
	const rows = (d: ReportDimension): SlaReportRow[] => {
		const list = [...groups[d]].map(([key, tally]) => ({ key, label: d === "month" ? key : (labels[d].get(key) ?? (key || "No team")), figures: tally.figures() }));
		return d === "month" ? list : list.sort((a, b) => a.label.localeCompare(b.label));
	};
	return {
		provider: ctx.provider,
		customer: ctx.customer,
		trust: ctx.trust ?? null,
		from: f.from,
		until: f.until,
		timeZone: ctx.timeZone,
		generatedAt: new Date(ctx.now).toISOString(),
		totals: totals.figures(),
		byService: rows("service"),
		byCustomer: rows("customer"),
		bySla: rows("sla"),
		byTeam: rows("team"),
		byMonth: rows("month"),
	};
}

/**
 * Names of the keys the report found, as the newest clock of each recorded them: one short
 * lookup per key (a handful), walking the start index back from the newest clock.
 */
function labelsOf(sql: SqlStorage, groups: Record<ReportDimension, Map<string, Tally>>): Record<Exclude<ReportDimension, "month">, Map<string, string>> {
	const names = (d: Exclude<ReportDimension, "month">, key: string, name: string) => {
		const map = new Map<string, string>();
		for (const k of groups[d].keys()) {
			const row = [...sql.exec(`SELECT ${name} FROM affected_slas WHERE ${key} = ? ORDER BY started_at DESC LIMIT 1`, k).raw()][0];
			map.set(k, str(row?.[0] ?? null));
		}
		return map;
	};
	return {
		service: names("service", "service_id", "service_name"),
		customer: names("customer", "customer_account_id", "customer_name"),
		sla: names("sla", "sla_id", "sla_name"),
		team: names("team", "coalesce(team_id, '')", "team_name"),
	};
}

export interface DrillQuery extends ReportFilter {
	dimension: ReportDimension | "all";
	key?: string | undefined;
	metric: ReportMetric;
	page: number;
	perPage: number;
}

/** The requests behind one figure: the same range, filters and metric bits as the report. */
export function slaDrill(ctx: ReportContext, q: DrillQuery): SlaDrillPage {
	const { clause, binds } = where(q, ctx.timeZone);
	const keyColumn: Record<ReportDimension, string> = {
		service: "service_id",
		customer: "customer_account_id",
		sla: "sla_id",
		team: "coalesce(team_id, '')",
		month: "started_month",
	};
	const conditions = [clause];
	const extra: (string | number)[] = [];
	if (q.dimension !== "all") {
		conditions.push(`${keyColumn[q.dimension]} = ?`);
		extra.push(q.key ?? "");
	}
	if (q.metric !== "requests") {
		conditions.push(`(${FLAGS} & ?) != 0`);
		extra.push(ctx.now, BIT[q.metric]);
	}
	const filter = conditions.join(" AND ");
	const total = Number(ctx.sql.exec(`SELECT count(*) FROM affected_slas WHERE ${filter}`, ...binds, ...extra).one()["count(*)"] ?? 0);
	const iso = (v: Value) => (v === null ? null : new Date(Number(v)).toISOString());
	// Each item's breaches are the report's own metric bits (the same rule), not a column of their own.
	const rows = ctx.sql.exec(
		`SELECT request_id, request_number, subject, customer_account_id, customer_name, service_id, service_name, sla_id, sla_name, team_id, team_name, status, started_at,
			response_target_at, actual_response_at, resolution_target_at, actual_resolution_at, resolution_minutes, ${FLAGS}, json_extract(clock, '$.impact')
		FROM affected_slas WHERE ${filter} ORDER BY started_at, id LIMIT ? OFFSET ?`,
		ctx.now,
		...binds,
		...extra,
		q.perPage,
		(q.page - 1) * q.perPage,
	);
	const items = [...rows.raw()].map(
		(r: Value[]): SlaDrillItem => ({
			requestId: str(r[0] ?? null),
			requestNumber: Number(r[1]),
			subject: str(r[2] ?? null),
			customer: { id: str(r[3] ?? null), name: str(r[4] ?? null) },
			service: { id: str(r[5] ?? null), name: str(r[6] ?? null) },
			sla: { id: str(r[7] ?? null), name: str(r[8] ?? null) },
			team: r[9] ? { id: str(r[9] ?? null), name: str(r[10] ?? null) } : null,
			status: str(r[11] ?? null) as RequestStatus,
			startedAt: new Date(Number(r[12])).toISOString(),
			responseTargetAt: iso(r[13] ?? null),
			actualResponseAt: iso(r[14] ?? null),
			resolutionTargetAt: iso(r[15] ?? null),
			actualResolutionAt: iso(r[16] ?? null),
			resolutionMinutes: r[17] === null || r[17] === undefined ? null : Number(r[17]),
			responseBreached: (Number(r[18]) & BIT.response_missed) !== 0,
			resolutionBreached: (Number(r[18]) & BIT.resolution_missed) !== 0,
			impact: str(r[19] ?? null) as RequestImpact,
		}),
	);
	return { items, total, page: q.page, perPage: q.perPage };
}

const CSV_FIGURES: (keyof SlaFigures)[] = [
	"requests",
	"responseTargets",
	"respondedInTime",
	"responsePercent",
	"resolutionTargets",
	"resolvedInTime",
	"resolutionPercent",
	"resolved",
	"meanResolutionMinutes",
	"medianResolutionMinutes",
	"p90ResolutionMinutes",
	"breached",
	"openPastTarget",
];

/** The report as CSV: one line for the totals and one per row of every dimension. */
export function reportCsv(r: SlaReport): string {
	const cell = (v: string | number | null) => {
		if (v === null) return "";
		const s = String(v);
		// Quote what needs it, and defuse spreadsheet formulas in names.
		const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
		return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
	};
	const lines = [["dimension", "key", "label", ...CSV_FIGURES].join(",")];
	const add = (dimension: string, row: { key: string; label: string; figures: SlaFigures }) =>
		lines.push([dimension, row.key, row.label, ...CSV_FIGURES.map((k) => row.figures[k])].map(cell).join(","));
	add("total", { key: "", label: `${r.provider.name}${r.customer ? ` for ${r.customer.name}` : ""}, ${r.from} to ${r.until}`, figures: r.totals });
	for (const row of r.byService) add("service", row);
	for (const row of r.byCustomer) add("customer", row);
	for (const row of r.bySla) add("sla", row);
	for (const row of r.byTeam) add("team", row);
	for (const row of r.byMonth) add("month", row);
	return `${lines.join("\r\n")}\r\n`;
}

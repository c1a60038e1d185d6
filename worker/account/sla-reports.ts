// SLA reports over this provider's affected SLAs: one scan of the range, figures per service,
// customer, SLA, team and month, and the requests behind any figure. A customer's report is this
// same computation with the customer filter set, so both sides read identical numbers.
//
// Which clocks count: those this provider is accountable for (accountability "provider") whose
// request was registered in the range (days in this account's time zone). A target counts once it
// was met or missed: responded or resolved (in time or late), or breached while still open.
import type { ReportDimension, ReportMetric, SlaDrillItem, SlaDrillPage, SlaFigures, SlaReport, SlaReportRow } from "../shared/sla-api";
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

/** One clock as the report reads it (plain numbers: ms or null). */
interface Clock {
	serviceId: string;
	serviceName: string;
	customerId: string;
	customerName: string;
	slaId: string;
	slaName: string;
	teamId: string;
	teamName: string;
	month: string;
	responseTargetAt: number | null;
	actualResponseAt: number | null;
	resolutionTargetAt: number | null;
	actualResolutionAt: number | null;
	resolutionMinutes: number | null;
	nextTargetAt: number | null;
	responseBreached: boolean;
	resolutionBreached: boolean;
}

const COLUMNS =
	"service_id, service_name, customer_account_id, customer_name, sla_id, sla_name, team_id, team_name, started_month, response_target_at, actual_response_at, resolution_target_at, actual_resolution_at, resolution_minutes, next_target_at, response_breached, resolution_breached";
const DRILL_COLUMNS = "request_id, request_number, subject, status, started_at, clock";

type Value = ArrayBuffer | string | number | null;
const num = (v: Value) => (v === null ? null : Number(v));
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

function toClock(r: Value[]): Clock {
	return {
		serviceId: str(r[0] ?? null),
		serviceName: str(r[1] ?? null),
		customerId: str(r[2] ?? null),
		customerName: str(r[3] ?? null),
		slaId: str(r[4] ?? null),
		slaName: str(r[5] ?? null),
		teamId: str(r[6] ?? null),
		teamName: str(r[7] ?? null) || "No team",
		month: str(r[8] ?? null),
		responseTargetAt: num(r[9] ?? null),
		actualResponseAt: num(r[10] ?? null),
		resolutionTargetAt: num(r[11] ?? null),
		actualResolutionAt: num(r[12] ?? null),
		resolutionMinutes: num(r[13] ?? null),
		nextTargetAt: num(r[14] ?? null),
		responseBreached: r[15] === 1,
		resolutionBreached: r[16] === 1,
	};
}

// ── Which figure a clock falls under: the one definition of each metric ───────

const respondedInTime = (c: Clock) => c.responseTargetAt !== null && c.actualResponseAt !== null && c.actualResponseAt <= c.responseTargetAt;
const responseMissed = (c: Clock) =>
	c.responseTargetAt !== null && (c.actualResponseAt !== null ? c.actualResponseAt > c.responseTargetAt : c.responseBreached);
const resolvedInTime = (c: Clock) => c.resolutionTargetAt !== null && c.actualResolutionAt !== null && c.actualResolutionAt <= c.resolutionTargetAt;
const resolutionMissed = (c: Clock) =>
	c.resolutionTargetAt !== null && (c.actualResolutionAt !== null ? c.actualResolutionAt > c.resolutionTargetAt : c.resolutionBreached);
const openPastTarget = (c: Clock, now: number) => c.actualResolutionAt === null && c.nextTargetAt !== null && c.nextTargetAt < now;

export function inMetric(metric: ReportMetric, c: Clock, now: number): boolean {
	switch (metric) {
		case "requests":
			return true;
		case "responded_in_time":
			return respondedInTime(c);
		case "response_missed":
			return responseMissed(c);
		case "resolved_in_time":
			return resolvedInTime(c);
		case "resolution_missed":
			return resolutionMissed(c);
		case "resolved":
			return c.actualResolutionAt !== null;
		case "breached":
			return c.responseBreached || c.resolutionBreached;
		case "open_past_target":
			return openPastTarget(c, now);
	}
}

const keyOf: Record<ReportDimension, (c: Clock) => [string, string]> = {
	service: (c) => [c.serviceId, c.serviceName],
	customer: (c) => [c.customerId, c.customerName],
	sla: (c) => [c.slaId, c.slaName],
	team: (c) => [c.teamId, c.teamName],
	month: (c) => [c.month, c.month],
};

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

	add(c: Clock, now: number): void {
		this.requests += 1;
		if (respondedInTime(c)) this.respondedInTime += 1;
		else if (responseMissed(c)) this.responseMissed += 1;
		if (resolvedInTime(c)) this.resolvedInTime += 1;
		else if (resolutionMissed(c)) this.resolutionMissed += 1;
		if (c.actualResolutionAt !== null) {
			this.resolved += 1;
			if (c.resolutionMinutes !== null) this.minutes.push(c.resolutionMinutes);
		}
		if (c.responseBreached || c.resolutionBreached) this.breached += 1;
		if (openPastTarget(c, now)) this.openPastTarget += 1;
	}

	figures(): SlaFigures {
		const responseTargets = this.respondedInTime + this.responseMissed;
		const resolutionTargets = this.resolvedInTime + this.resolutionMissed;
		const sorted = this.minutes.sort((a, b) => a - b);
		// Nearest rank: the value at or below which p % of the durations fall.
		const rank = (p: number) => (sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null));
		const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);
		return {
			requests: this.requests,
			responseTargets,
			respondedInTime: this.respondedInTime,
			responsePercent: percent(this.respondedInTime, responseTargets),
			resolutionTargets,
			resolvedInTime: this.resolvedInTime,
			resolutionPercent: percent(this.resolvedInTime, resolutionTargets),
			resolved: this.resolved,
			meanResolutionMinutes: sorted.length === 0 ? null : Math.round((10 * sorted.reduce((a, b) => a + b, 0)) / sorted.length) / 10,
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
}

export function slaReport(ctx: ReportContext, f: ReportFilter): SlaReport {
	const { clause, binds } = where(f, ctx.timeZone);
	const totals = new Tally();
	const groups: Record<ReportDimension, Map<string, { label: string; tally: Tally }>> = {
		service: new Map(),
		customer: new Map(),
		sla: new Map(),
		team: new Map(),
		month: new Map(monthsOf(f.from, f.until).map((m) => [m, { label: m, tally: new Tally() }])),
	};
	const dimensions = Object.keys(groups) as ReportDimension[];
	for (const raw of ctx.sql.exec(`SELECT ${COLUMNS} FROM affected_slas WHERE ${clause}`, ...binds).raw()) {
		const c = toClock(raw);
		totals.add(c, ctx.now);
		for (const d of dimensions) {
			const [key, label] = keyOf[d](c);
			let group = groups[d].get(key);
			if (!group) groups[d].set(key, (group = { label, tally: new Tally() }));
			group.tally.add(c, ctx.now);
		}
	}
	const rows = (d: ReportDimension): SlaReportRow[] => {
		const list = [...groups[d]].map(([key, g]) => ({ key, label: g.label, figures: g.tally.figures() }));
		return d === "month" ? list : list.sort((a, b) => a.label.localeCompare(b.label));
	};
	return {
		provider: ctx.provider,
		customer: ctx.customer,
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

export interface DrillQuery extends ReportFilter {
	dimension: ReportDimension | "all";
	key?: string | undefined;
	metric: ReportMetric;
	page: number;
	perPage: number;
}

/** The requests behind one figure: the same scan and the same predicates as the report. */
export function slaDrill(ctx: ReportContext, q: DrillQuery): SlaDrillPage {
	const { clause, binds } = where(q, ctx.timeZone);
	const matches: { clock: Clock; raw: Value[] }[] = [];
	for (const raw of ctx.sql.exec(`SELECT ${COLUMNS}, ${DRILL_COLUMNS} FROM affected_slas WHERE ${clause} ORDER BY started_at, id`, ...binds).raw()) {
		const clock = toClock(raw);
		if (q.dimension !== "all" && keyOf[q.dimension](clock)[0] !== q.key) continue;
		if (!inMetric(q.metric, clock, ctx.now)) continue;
		matches.push({ clock, raw });
	}
	const start = (q.page - 1) * q.perPage;
	const items = matches.slice(start, start + q.perPage).map(({ clock: c, raw }): SlaDrillItem => {
		const base = 17; // the drill columns follow the report's
		const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
		const stored = JSON.parse(str(raw[base + 5] ?? null)) as { impact: RequestImpact };
		return {
			requestId: str(raw[base] ?? null),
			requestNumber: Number(raw[base + 1]),
			subject: str(raw[base + 2] ?? null),
			customer: { id: c.customerId, name: c.customerName },
			service: { id: c.serviceId, name: c.serviceName },
			sla: { id: c.slaId, name: c.slaName },
			team: c.teamId ? { id: c.teamId, name: c.teamName } : null,
			impact: stored.impact,
			status: str(raw[base + 3] ?? null) as RequestStatus,
			startedAt: new Date(Number(raw[base + 4])).toISOString(),
			responseTargetAt: iso(c.responseTargetAt),
			actualResponseAt: iso(c.actualResponseAt),
			resolutionTargetAt: iso(c.resolutionTargetAt),
			actualResolutionAt: iso(c.actualResolutionAt),
			resolutionMinutes: c.resolutionMinutes,
			responseBreached: c.responseBreached,
			resolutionBreached: c.resolutionBreached,
		};
	});
	return { items, total: matches.length, page: q.page, perPage: q.perPage };
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

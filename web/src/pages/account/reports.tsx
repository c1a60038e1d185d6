// SLA reports: how the service levels were met in a period, per month, service, customer, SLA and
// team — requests, % responses and resolutions within target, time to resolve in support hours,
// breaches, requests open past their target. A provider sees all its customers; a customer opens
// the same report of one of its providers, computed by that provider, so both see the same
// numbers. Every figure opens the requests behind it. A former provider (its trust ended) stays in
// the picker, marked: its report is the history up to the end, read-only.
import { A, useSearchParams } from "@solidjs/router";
import { createMemo, createResource, For, Show, type JSX } from "solid-js";
import type { ReportDimension, ReportMetric, SlaFigures, SlaReport, SlaReportRow } from "../../../../worker/shared/sla-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { formatDate, formatDay, formatDateTime } from "../../lib/format";
import { createLoader } from "../../lib/live";
import { todayIn } from "../../lib/services";
import {
	formatBusinessMinutes,
	formatCount,
	formatPercent,
	isIsoDay,
	monthLabel,
	monthTick,
	presetOf,
	presetRange,
	RANGE_PRESET_LABEL,
	RANGE_PRESETS,
	type RangePreset,
} from "../../lib/sla";
import { DateField, SelectField } from "../../ui/field";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { Segmented } from "../../ui/lists";
import { TrendChart } from "../../ui/trend-chart";
import { useAccount } from "./context";
import { cleanFilters, drillHref, type Drill, type ReportFilters } from "./report-query";

const DEFAULT_PRESET: RangePreset = "last_6_months";

/** What an account administrator, a service level manager or an auditor sees instead, if not one. */
export function NoReportAccess() {
	const { account } = useAccount();
	return (
		<div class="card">
			<div class="card-body stack-sm">
				<h1>No access to SLA reports</h1>
				<p class="muted">
					SLA reports of {account().name} are for its account administrators, service level managers and auditors.
				</p>
				<div>
					<A class="btn" href={`/${account().id}/`}>
						Back to the start page
					</A>
				</div>
			</div>
		</div>
	);
}

export default function ReportsPage() {
	const { can } = useAccount();
	return (
		<Show when={can("reports:read")} fallback={<NoReportAccess />}>
			<Reports />
		</Show>
	);
}

type Params = { from?: string; until?: string; provider?: string; customer?: string; serviceId?: string; slaId?: string; teamId?: string };

function Reports() {
	const { account, can } = useAccount();
	const [params, setParams] = useSearchParams<Params>();
	const today = () => todayIn(account().timeZone);
	// For a provider whose trust ended, the default period ends on that day: there is nothing after it.
	const fallback = () => presetRange(DEFAULT_PRESET, endedDay(provider()) ?? today());
	const from = () => (isIsoDay(params.from) ? params.from : fallback().from);
	const until = () => (isIsoDay(params.until) ? params.until : fallback().until);
	const rangeError = () => (from() > until() ? "The last day is before the first." : undefined);

	// Whose SLAs: this account's own (as a provider), or one of its providers' (from the SLAs it receives).
	const [received] = createResource(
		() => (can("slas:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"]["received-slas"].$get({ param: { accountId }, query })),
	);
	const [own] = createResource(
		() => (can("slas:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].slas.$get({ param: { accountId }, query })),
	);
	const [trusts] = createResource(
		() => (can("trusts:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	/** When the trust with each former provider ended (absent: still active, or not known here). */
	const endedAt = createMemo(() => {
		const ended = new Map<string, string>();
		for (const t of trusts() ?? []) {
			if (t.status === "active") continue;
			const end = [...t.history].reverse().find((h) => h.action === "deactivated" || h.action === "cancelled");
			ended.set(t.account.id, end?.at ?? t.updatedAt);
		}
		return ended;
	});
	const providers = createMemo(() => {
		const byId = new Map<string, string>();
		for (const r of received() ?? []) byId.set(r.provider.id, r.provider.name);
		return [...byId.entries()].map(([id, name]) => ({ id, name, endedAt: endedAt().get(id) })).sort((a, b) => a.name.localeCompare(b.name));
	});
	const endedDay = (id: string | undefined) => {
		const at = id === undefined ? undefined : endedAt().get(id);
		return at ? dayIn(at, account().timeZone) : undefined;
	};
	const providesItself = () => (own() ?? []).length > 0;
	const settled = () => !received.loading && !own.loading && !trusts.loading;
	/** The provider asked for: undefined is this account's own report. */
	const provider = (): string | undefined => {
		const p = params.provider;
		if (p && p !== account().id) return p;
		if (p === account().id) return undefined;
		return !providesItself() && providers().length > 0 ? providers()[0]?.id : undefined;
	};
	const asCustomer = () => provider() !== undefined;

	const filters = createMemo<ReportFilters>(() =>
		cleanFilters({
			from: from(),
			until: until(),
			provider: provider(),
			customer: asCustomer() ? undefined : params.customer,
			serviceId: params.serviceId,
			slaId: params.slaId,
			teamId: params.teamId,
		}),
	);

	const report = createLoader(
		() => (settled() && !rangeError() ? { accountId: account().id, ...filters() } : undefined),
		({ accountId, ...query }) => request(api.accounts[":accountId"]["sla-reports"].$get({ param: { accountId }, query })),
	);

	const csvHref = () => api.accounts[":accountId"]["sla-reports"]["export.csv"].$url({ param: { accountId: account().id }, query: filters() }).toString();

	const setRange = (r: { from: string; until: string }) => setParams({ from: r.from, until: r.until });
	const preset = (): RangePreset | "custom" => presetOf(from(), until(), today()) ?? "custom";
	const drill = (d: Drill) => drillHref(account().id, filters(), d);

	// Filter options come from the report: what there is to filter on in this period.
	const latest = () => report.data();
	const options = (rows: SlaReportRow[] | undefined, selected: string | undefined, all: string) => {
		// A row without a key (requests of no team) cannot be a filter.
		const list = (rows ?? []).filter((r) => r.key !== "").map((r) => ({ value: r.key, label: r.label }));
		if (selected && !list.some((o) => o.value === selected)) list.push({ value: selected, label: selected });
		return [{ value: "", label: all }, ...list];
	};

	const providerOptions = () => [
		...(providesItself() || providers().length === 0 ? [{ value: account().id, label: `${account().name} (the SLAs you provide)` }] : []),
		...providers().map((p) => ({ value: p.id, label: p.endedAt ? `${p.name} (trust ended ${formatDate(p.endedAt)})` : p.name })),
	];

	return (
		<>
			<PageHeader
				title="SLA reports"
				subtitle="How the service levels were met: per month, service, customer, SLA and team. Every figure opens the requests behind it."
				actions={
					<Show when={report.data() && !rangeError()}>
						<button type="button" class="btn" disabled={report.loading()} onClick={() => void report.refresh()}>
							Refresh
						</button>
						<a class="btn" href={csvHref()} download="">
							Download CSV
						</a>
					</Show>
				}
			/>
			<section class="card report-filters" aria-label="Report period and filters">
				<div class="card-body stack">
					<div class="toolbar">
						<Segmented label="Period" value={preset()} options={RANGE_PRESETS.map((p) => ({ value: p, label: RANGE_PRESET_LABEL[p] }))} onChange={(p) => setRange(presetRange(p as RangePreset, today()))} />
					</div>
					<form class="filters" aria-label="Filter the report" onSubmit={(e) => e.preventDefault()}>
						<DateField id="report-from" label="From" value={from()} onChange={(v) => isIsoDay(v) && setParams({ from: v, until: until() })} />
						<DateField id="report-until" label="Until" value={until()} min={from()} onChange={(v) => isIsoDay(v) && setParams({ from: from(), until: v })} error={rangeError()} />
						<Show when={providers().length > 0}>
							<SelectField
								id="report-provider"
								label="Provider"
								value={provider() ?? account().id}
								onChange={(v) => setParams({ provider: v, customer: undefined, serviceId: undefined, slaId: undefined, teamId: undefined })}
								options={providerOptions()}
							/>
						</Show>
						<Show when={!asCustomer()}>
							<SelectField id="report-customer" label="Customer" value={params.customer ?? ""} onChange={(v) => setParams({ customer: v || undefined })} options={options(latest()?.byCustomer, params.customer, "All customers")} />
						</Show>
						<SelectField id="report-service" label="Service" value={params.serviceId ?? ""} onChange={(v) => setParams({ serviceId: v || undefined })} options={options(latest()?.byService, params.serviceId, "All services")} />
						<SelectField id="report-sla" label="SLA" value={params.slaId ?? ""} onChange={(v) => setParams({ slaId: v || undefined })} options={options(latest()?.bySla, params.slaId, "All SLAs")} />
						<SelectField id="report-team" label="Team" value={params.teamId ?? ""} onChange={(v) => setParams({ teamId: v || undefined })} options={options(latest()?.byTeam, params.teamId, "All teams")} />
					</form>
				</div>
			</section>
			<Show when={report.error()}>
				<Alert kind="error">Could not load the report: {messageOf(report.error())}</Alert>
			</Show>
			<Show when={received.error || own.error}>
				<Alert kind="warning">Could not load the SLAs to report on: {messageOf(received.error ?? own.error)}</Alert>
			</Show>
			<Show when={rangeError() ? undefined : report.data()?.trust?.status === "ended" ? report.data() : undefined}>
				{(r) => <EndedNotice report={r()} asCustomer={asCustomer()} />}
			</Show>
			<Show when={rangeError() ? undefined : report.data()} fallback={<Show when={!report.error() && !rangeError()}><Spinner label="Computing the report…" /></Show>}>
				{(r) => <ReportBody report={r()} busy={report.loading()} drill={drill} />}
			</Show>
		</>
	);
}

/** "Widget Data Center — trust ended on 1 Dec 2026; figures up to then, read-only." */
function EndedNotice(props: { report: SlaReport; asCustomer: boolean }) {
	const other = () => (props.asCustomer ? props.report.provider.name : (props.report.customer?.name ?? ""));
	return (
		<Alert kind="info">
			<span data-testid="report-ended">
				<strong>{other()}</strong> — trust ended on {formatDate(props.report.trust?.endedAt)}; figures up to then, read-only.
			</span>{" "}
			{props.asCustomer
				? `${other()} still computes this report from its SLA clocks. Requests that were still open then came back to you and are not counted.`
				: "Requests that were still open then went back to the customer and are not counted."}
		</Alert>
	);
}

/** The day an instant falls on in a time zone ("YYYY-MM-DD"). */
function dayIn(at: string, timeZone: string): string {
	const format = (zone?: string) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
	try {
		return format(timeZone);
	} catch {
		return format();
	}
}

function ReportBody(props: { report: SlaReport; busy: boolean; drill: (d: Drill) => string }) {
	const r = () => props.report;
	const multiYear = () => r().byMonth.length > 0 && r().byMonth[0]?.key.slice(0, 4) !== r().byMonth[r().byMonth.length - 1]?.key.slice(0, 4);
	return (
		<div class="stack report" aria-busy={props.busy ? "true" : undefined} data-range={`${r().from}/${r().until}`} data-provider={r().provider.id}>
			<p class="muted report-scope" data-testid="report-scope">
				<strong>{r().provider.name}</strong>
				{r().customer ? <> for {r().customer?.name}</> : " for all customers"} · {formatDay(r().from)} – {formatDay(r().until)} · days in {r().timeZone}, durations in support hours · computed{" "}
				<time datetime={r().generatedAt}>{formatDateTime(r().generatedAt)}</time>
			</p>
			<Show
				when={r().totals.requests > 0}
				fallback={
					<div class="card">
						<EmptyState title="No requests in this period">Nothing was registered under these SLAs between {formatDay(r().from)} and {formatDay(r().until)}. Try a longer period or fewer filters.</EmptyState>
					</div>
				}
			>
				<section aria-labelledby="totals-title" class="stack-sm">
					<h2 id="totals-title">Totals</h2>
					<FigureTiles figures={r().totals} drill={(metric) => props.drill({ dimension: "all", metric, label: "All" })} />
				</section>
				<section class="card" aria-labelledby="trend-title">
					<div class="card-header">
						<h2 id="trend-title">Per month</h2>
					</div>
					<div class="card-body">
						<TrendChart
							id="report-trend"
							title="Requests and resolutions within target, per month"
							countLabel="Requests"
							percentLabel="Resolutions within target"
							formatPercent={formatPercent}
							points={r().byMonth.map((m) => ({ key: m.key, tick: monthTick(m.key, multiYear()), label: monthLabel(m.key), count: m.figures.requests, percent: m.figures.resolutionPercent }))}
						/>
					</div>
					<ReportTable caption="Per month" dimension="month" rows={r().byMonth} label={(row) => monthLabel(row.key)} drill={props.drill} />
				</section>
				<ReportSection title="Per service" dimension="service" rows={r().byService} drill={props.drill} />
				<Show when={!r().customer}>
					<ReportSection title="Per customer" dimension="customer" rows={r().byCustomer} drill={props.drill} />
				</Show>
				<ReportSection title="Per SLA" dimension="sla" rows={r().bySla} drill={props.drill} />
				<ReportSection title="Per team" dimension="team" rows={r().byTeam} drill={props.drill} />
			</Show>
		</div>
	);
}

/**
 * One figure as shown: a number that opens the requests behind it (a 0 opens nothing). `field`
 * names the figure the same way in the tiles and in every table row.
 */
function Figure(props: { field: string; value: string; count: number; href: string; context: string; class?: string }) {
	return (
		<Show when={props.count > 0} fallback={<span class={props.class} data-field={props.field}>{props.value}</span>}>
			<A class={`figure-link ${props.class ?? ""}`} href={props.href} data-field={props.field}>
				{props.value}
				<span class="visually-hidden">: {props.context}</span>
			</A>
		</Show>
	);
}

/** A figure that opens nothing (a denominator, a median). */
function Value(props: { field: string; value: string }) {
	return <span data-field={props.field}>{props.value}</span>;
}

type FigureParts = {
	/** "97.5%" (opens the responses within target). */
	percent: (kind: "response" | "resolution", cls?: string) => JSX.Element;
	/** "119 of 122 · 3 missed", or null without targets. */
	detail: (kind: "response" | "resolution") => JSX.Element;
	mean: (cls?: string) => JSX.Element;
	spread: () => JSX.Element;
	count: (field: "requests" | "resolved" | "breached" | "openPastTarget", cls?: string) => JSX.Element;
};

const COUNT_METRIC = { requests: "requests", resolved: "resolved", breached: "breached", openPastTarget: "open_past_target" } as const;
const COUNT_WORDS = { requests: "the requests", resolved: "the resolved requests", breached: "the breached requests", openPastTarget: "the requests open past their target" } as const;

/** The figures of one row (or the totals) as elements, each opening its drill-down. */
function figureParts(f: () => SlaFigures, href: (metric: ReportMetric) => string, of: string): FigureParts {
	const side = (kind: "response" | "resolution") =>
		kind === "response"
			? { percent: f().responsePercent, inTime: f().respondedInTime, targets: f().responseTargets, inTimeMetric: "responded_in_time" as const, missedMetric: "response_missed" as const, words: "responses" }
			: { percent: f().resolutionPercent, inTime: f().resolvedInTime, targets: f().resolutionTargets, inTimeMetric: "resolved_in_time" as const, missedMetric: "resolution_missed" as const, words: "resolutions" };
	return {
		percent: (kind, cls) => {
			const s = side(kind);
			return <Figure field={`${kind}Percent`} value={formatPercent(s.percent)} count={s.inTime} href={href(s.inTimeMetric)} context={`list the ${s.words} within target${of}`} class={cls} />;
		},
		detail: (kind) => {
			const s = side(kind);
			const missed = s.targets - s.inTime;
			return (
				<Show when={s.targets > 0} fallback={`no ${kind} targets`}>
					<Figure field={`${kind}InTime`} value={formatCount(s.inTime)} count={s.inTime} href={href(s.inTimeMetric)} context={`list the ${s.words} within target${of}`} /> of{" "}
					<Value field={`${kind}Targets`} value={formatCount(s.targets)} /> ·{" "}
					<Figure field={`${kind}Missed`} value={formatCount(missed)} count={missed} href={href(s.missedMetric)} context={`list the ${s.words}${of} that missed the target`} class="missed" /> missed
				</Show>
			);
		},
		mean: (cls) => (
			<Figure field="meanResolution" value={formatBusinessMinutes(f().meanResolutionMinutes)} count={f().resolved} href={href("resolved")} context={`list the resolved requests${of}`} class={cls} />
		),
		spread: () => (
			<Show when={f().resolved > 0} fallback="nothing resolved yet">
				median <Value field="medianResolution" value={formatBusinessMinutes(f().medianResolutionMinutes)} /> · p90 <Value field="p90Resolution" value={formatBusinessMinutes(f().p90ResolutionMinutes)} />
			</Show>
		),
		count: (field, cls) => {
			const n = f()[field];
			return <Figure field={field} value={formatCount(n)} count={n} href={href(COUNT_METRIC[field])} context={`list ${COUNT_WORDS[field]}${of}`} class={cls} />;
		},
	};
}

function Tile(props: { label: string; children: JSX.Element; sub?: JSX.Element; testid: string }) {
	return (
		<div class="figure-tile" data-testid={props.testid}>
			<dt>{props.label}</dt>
			<dd>
				<span class="figure-value">{props.children}</span>
				<Show when={props.sub}>
					<span class="figure-sub">{props.sub}</span>
				</Show>
			</dd>
		</div>
	);
}

function FigureTiles(props: { figures: SlaFigures; drill: (metric: ReportMetric) => string }) {
	const p = figureParts(() => props.figures, props.drill, "");
	return (
		<dl class="figure-tiles" data-testid="report-totals">
			<Tile label="Requests" testid="tile-requests" sub={<>{p.count("resolved")} resolved</>}>
				{p.count("requests")}
			</Tile>
			<Tile label="Responses within target" testid="tile-response" sub={p.detail("response")}>
				{p.percent("response")}
			</Tile>
			<Tile label="Resolutions within target" testid="tile-resolution" sub={p.detail("resolution")}>
				{p.percent("resolution")}
			</Tile>
			<Tile label="Time to resolve (mean)" testid="tile-time" sub={p.spread()}>
				{p.mean()}
			</Tile>
			<Tile label="Breaches" testid="tile-breached" sub="with a response or resolution breach">
				{p.count("breached", "missed")}
			</Tile>
			<Tile label="Open past target" testid="tile-open-past" sub="still open, past their next target">
				{p.count("openPastTarget", "missed")}
			</Tile>
		</dl>
	);
}

function ReportSection(props: { title: string; dimension: ReportDimension; rows: SlaReportRow[]; drill: (d: Drill) => string }) {
	// Not "report-<dimension>": the filters' fields already use those ids (report-service, -sla, -team).
	const id = () => `report-by-${props.dimension}`;
	return (
		<section class="card" aria-labelledby={id()}>
			<div class="card-header">
				<h2 id={id()}>{props.title}</h2>
			</div>
			<Show when={props.rows.length > 0} fallback={<EmptyState title="Nothing to show">No requests in this period.</EmptyState>}>
				<ReportTable caption={props.title} dimension={props.dimension} rows={props.rows} label={(r) => r.label || (props.dimension === "team" ? "No team" : "—")} drill={props.drill} />
			</Show>
		</section>
	);
}

const DIMENSION_HEADING: Record<ReportDimension, string> = { service: "Service", customer: "Customer", sla: "SLA", team: "Team", month: "Month" };

function ReportTable(props: { caption: string; dimension: ReportDimension; rows: SlaReportRow[]; label: (row: SlaReportRow) => string; drill: (d: Drill) => string }) {
	return (
		<table class="table report-table" data-dimension={props.dimension}>
			<caption class="visually-hidden">{props.caption}</caption>
			<thead>
				<tr>
					<th scope="col">{DIMENSION_HEADING[props.dimension]}</th>
					<th scope="col" class="num">
						Requests
					</th>
					<th scope="col" class="num">
						Responses within target
					</th>
					<th scope="col" class="num">
						Resolutions within target
					</th>
					<th scope="col" class="num">
						Time to resolve
					</th>
					<th scope="col" class="num">
						Breaches
					</th>
					<th scope="col" class="num">
						Open past target
					</th>
				</tr>
			</thead>
			<tbody>
				<For each={props.rows}>
					{(row) => {
						const name = () => props.label(row);
						const p = figureParts(
							() => row.figures,
							(metric) => props.drill({ dimension: props.dimension, key: row.key, metric, label: name() }),
							` of ${name()}`,
						);
						return (
							<tr data-key={row.key}>
								<th scope="row" class="report-row-name">
									{name()}
								</th>
								<td data-label="Requests" class="num">
									{p.count("requests", "figure-main")}
								</td>
								<td data-label="Responses within target" class="num">
									{p.percent("response", "figure-main")}
									<span class="muted block figure-detail">{p.detail("response")}</span>
								</td>
								<td data-label="Resolutions within target" class="num">
									{p.percent("resolution", "figure-main")}
									<span class="muted block figure-detail">{p.detail("resolution")}</span>
								</td>
								<td data-label="Time to resolve" class="num">
									{p.mean("figure-main")}
									<span class="muted block figure-detail">{p.spread()}</span>
								</td>
								<td data-label="Breaches" class="num">
									{p.count("breached", "figure-main missed")}
								</td>
								<td data-label="Open past target" class="num">
									{p.count("openPastTarget", "figure-main missed")}
								</td>
							</tr>
						);
					}}
				</For>
			</tbody>
		</table>
	);
}

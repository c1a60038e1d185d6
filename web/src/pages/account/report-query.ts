// The filters of an SLA report as they travel: in the page's address (so a report can be shared
// and the drill-down finds its way back), to the API, and into the links of every figure.
import type { ReportDimension, ReportMetric } from "../../../../worker/shared/sla-api";

export interface ReportFilters {
	from: string;
	until: string;
	provider?: string | undefined;
	customer?: string | undefined;
	serviceId?: string | undefined;
	slaId?: string | undefined;
	teamId?: string | undefined;
}

export const FILTER_KEYS = ["provider", "customer", "serviceId", "slaId", "teamId"] as const;

/** The filters with the empty ones left out: what the API and the address get. */
export function cleanFilters(f: ReportFilters): ReportFilters {
	const out: ReportFilters = { from: f.from, until: f.until };
	for (const k of FILTER_KEYS) if (f[k]) out[k] = f[k];
	return out;
}

export function filterSearch(f: ReportFilters): URLSearchParams {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(cleanFilters(f))) if (v) q.set(k, v);
	return q;
}

export interface Drill {
	dimension: ReportDimension | "all";
	key?: string | undefined;
	metric: ReportMetric;
	/** The row's name, for the drill-down's heading only (the API goes by the key). */
	label?: string | undefined;
}

/** The drill-down page of one figure: the requests behind it. */
export function drillHref(accountId: string, f: ReportFilters, d: Drill): string {
	const q = filterSearch(f);
	q.set("dimension", d.dimension);
	if (d.key !== undefined) q.set("key", d.key);
	q.set("metric", d.metric);
	if (d.label) q.set("label", d.label);
	return `/${accountId}/reports/requests?${q.toString()}`;
}

/** The report itself, with these filters. */
export function reportHref(accountId: string, f: ReportFilters): string {
	const q = filterSearch(f).toString();
	return `/${accountId}/reports${q ? `?${q}` : ""}`;
}

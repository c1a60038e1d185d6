// The requests behind one figure of an SLA report (a drill-down): the same filters as the
// report, the row (service, customer, SLA, team, month or all) and the figure (requests,
// resolutions that missed the target, …). Each request opens its page, with its SLA clock.
import { A, useLocation, useSearchParams } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import type { ReportDimension, ReportMetric, SlaDrillItem } from "../../../../worker/shared/sla-api";
import { api, messageOf, request } from "../../api/client";
import { formatDateTime, formatDay } from "../../lib/format";
import { createLoader } from "../../lib/live";
import { IMPACT } from "../../lib/requests";
import { DIMENSION_LABEL, formatBusinessMinutes, isIsoDay, METRIC_LABEL, monthLabel } from "../../lib/sla";
import { StatusBadge } from "../../ui/badge";
import { ZonedTime } from "../../ui/zoned-time";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { Pagination } from "../../ui/lists";
import { useAccount } from "./context";
import { RequestStatusBadge } from "./request-list";
import { cleanFilters, reportHref, type ReportFilters } from "./report-query";
import { NoReportAccess } from "./reports";

const PER_PAGE = 50;

type Params = {
	from?: string;
	until?: string;
	provider?: string;
	customer?: string;
	serviceId?: string;
	slaId?: string;
	teamId?: string;
	dimension?: string;
	key?: string;
	metric?: string;
	label?: string;
	page?: string;
};

const isDimension = (v: string | undefined): v is ReportDimension => !!v && v !== "all" && v in DIMENSION_LABEL;
const isMetric = (v: string | undefined): v is ReportMetric => !!v && v in METRIC_LABEL;

export default function ReportRequestsPage() {
	const { can } = useAccount();
	return (
		<Show when={can("reports:read")} fallback={<NoReportAccess />}>
			<Drilldown />
		</Show>
	);
}

function Drilldown() {
	const { account } = useAccount();
	const [params, setParams] = useSearchParams<Params>();
	const location = useLocation();
	const dimension = (): ReportDimension | "all" => (isDimension(params.dimension) ? params.dimension : "all");
	const metric = (): ReportMetric => (isMetric(params.metric) ? params.metric : "requests");
	const page = () => Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
	const valid = () => isIsoDay(params.from) && isIsoDay(params.until) && (dimension() === "all" || params.key !== undefined);

	const filters = createMemo<ReportFilters | undefined>(() =>
		valid()
			? cleanFilters({
					from: params.from as string,
					until: params.until as string,
					provider: params.provider,
					customer: params.customer,
					serviceId: params.serviceId,
					slaId: params.slaId,
					teamId: params.teamId,
				})
			: undefined,
	);
	const drill = createLoader(
		() => {
			const f = filters();
			return f ? { accountId: account().id, f, dimension: dimension(), key: params.key, metric: metric(), page: page() } : undefined;
		},
		({ accountId, f, dimension, key, metric, page }) =>
			request(
				api.accounts[":accountId"]["sla-reports"].requests.$get({
					param: { accountId },
					query: { ...f, dimension, metric, page: String(page), perPage: String(PER_PAGE), ...(dimension !== "all" && key !== undefined ? { key } : {}) },
				}),
			),
	);

	const rowName = () => (dimension() === "month" && params.key ? monthLabel(params.key) : params.label || params.key || "—");
	const back = () => (filters() ? reportHref(account().id, filters() as ReportFilters) : `/${account().id}/reports`);
	const title = () => METRIC_LABEL[metric()];
	const scope = () => (dimension() === "all" ? "All requests of the report" : `${DIMENSION_LABEL[dimension()]}: ${rowName()}`);

	return (
		<>
			<nav aria-label="Breadcrumb" class="breadcrumb">
				<A href={back()}>
					<span aria-hidden="true">← </span>SLA reports
				</A>
			</nav>
			<div class="page-header">
				<div class="titles">
					<h1>{title()}</h1>
					<p class="muted" data-testid="drill-scope">
						{scope()}
						<Show when={filters()}>
							{(f) => (
								<>
									{" "}
									· {formatDay(f().from)} – {formatDay(f().until)}
								</>
							)}
						</Show>
						<Show when={drill.data()}>{(d) => <> · {d().total === 1 ? "1 request" : `${d().total} requests`}</>}</Show>
					</p>
				</div>
			</div>
			<Show when={!valid()}>
				<Alert kind="error">This link to a report's requests is incomplete. Open the report and choose a figure again.</Alert>
			</Show>
			<Show when={drill.error()}>
				<Alert kind="error">Could not load the requests: {messageOf(drill.error())}</Alert>
			</Show>
			<section class="card" aria-label={`${title()} — ${scope()}`}>
				<Show when={drill.data()} fallback={<Show when={!drill.error() && valid()}><Spinner label="Loading the requests…" /></Show>}>
					{(data) => (
						<Show when={data().items.length > 0} fallback={<EmptyState title="No requests">No request is behind this figure (any more).</EmptyState>}>
							<DrillTable items={data().items} accountId={account().id} showCustomer={!params.provider || params.provider === account().id} busy={drill.loading()} caption={`${title()} — ${scope()}`} back={{ href: `${location.pathname}${location.search}`, label: title() }} />
							<div class="card-footer">
								<Pagination label="Pages of requests" page={data().page} perPage={data().perPage} total={data().total} onPage={(p) => setParams({ page: p === 1 ? undefined : String(p) })} />
							</div>
						</Show>
					)}
				</Show>
			</section>
		</>
	);
}

function Outcome(props: { targetAt: string | null; actualAt: string | null; breached: boolean; kind: "response" | "resolution" }) {
	return (
		<>
			<Show when={props.targetAt} fallback={<span class="muted block">Best effort</span>}>
				{(t) => (
					<span class="block">
						<span class="muted">target </span>
						<ZonedTime at={t()} />
					</span>
				)}
			</Show>
			<Show when={props.actualAt} fallback={<span class="muted block">{props.kind === "response" ? "No response yet" : "Not resolved yet"}</span>}>
				{(a) => (
					<span class="block">
						<span class="muted">{props.kind === "response" ? "responded " : "resolved "}</span>
						<ZonedTime at={a()} />
					</span>
				)}
			</Show>
			<Show when={props.breached}>
				<StatusBadge tone="danger">Breached</StatusBadge>
			</Show>
			<Show when={!props.breached && props.actualAt && props.targetAt}>
				<StatusBadge tone="success">In time</StatusBadge>
			</Show>
		</>
	);
}

function DrillTable(props: { items: readonly SlaDrillItem[]; accountId: string; showCustomer: boolean; busy: boolean; caption: string; back: { href: string; label: string } }) {
	return (
		<table class="table request-table drill-table" aria-busy={props.busy ? "true" : undefined}>
			<caption class="visually-hidden">{props.caption}</caption>
			<thead>
				<tr>
					<th scope="col">Request</th>
					<Show when={props.showCustomer}>
						<th scope="col">Customer</th>
					</Show>
					<th scope="col">Service · SLA</th>
					<th scope="col">Status</th>
					<th scope="col">Response</th>
					<th scope="col">Resolution</th>
				</tr>
			</thead>
			<tbody>
				<For each={props.items}>
					{(r) => (
						<tr data-request-id={r.requestId}>
							<td data-label="Request" class="request-cell">
								<A href={`/${props.accountId}/requests/${r.requestId}`} class="request-link" state={{ back: props.back }}>
									{r.subject}
								</A>
								<span class="muted request-meta">
									#{r.requestNumber} · {IMPACT[r.impact].label} impact · registered <time datetime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
								</span>
							</td>
							<Show when={props.showCustomer}>
								<td data-label="Customer">{r.customer.name}</td>
							</Show>
							<td data-label="Service · SLA">
								{r.service.name}
								<span class="muted block">{r.sla.name}</span>
								<Show when={r.team}>{(t) => <span class="muted block">{t().name}</span>}</Show>
							</td>
							<td data-label="Status">
								<RequestStatusBadge request={r} />
							</td>
							<td data-label="Response">
								<Outcome kind="response" targetAt={r.responseTargetAt} actualAt={r.actualResponseAt} breached={r.responseBreached} />
							</td>
							<td data-label="Resolution">
								<Outcome kind="resolution" targetAt={r.resolutionTargetAt} actualAt={r.actualResolutionAt} breached={r.resolutionBreached} />
								<Show when={r.resolutionMinutes !== null}>
									<span class="muted block">after {formatBusinessMinutes(r.resolutionMinutes)}</span>
								</Show>
							</td>
						</tr>
					)}
				</For>
			</tbody>
		</table>
	);
}

// A list of requests as a table (cards on a phone), for My requests, the account's requests and
// the Inbox. Each row links to the request page in the current account, which also opens
// requests of other accounts that this account's teams work on.
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { RequestSummary } from "../../../../worker/shared/request-api";
import { formatDateTime } from "../../lib/format";
import { CATEGORY, IMPACT, STATUS, serviceLine, statusLabel, teamLine } from "../../lib/requests";
import { createNow, untilTarget } from "../../lib/sla";
import { StatusBadge } from "../../ui/badge";
import { ZonedTime } from "../../ui/zoned-time";

export type RequestListKind = "mine" | "account" | "inbox";

export function RequestStatusBadge(props: { request: Pick<RequestSummary, "status">; forRequester?: boolean }) {
	return <StatusBadge tone={STATUS[props.request.status].tone}>{statusLabel(props.request.status, props.forRequester)}</StatusBadge>;
}

/** The request's next SLA target from now: "in 2 h", or "overdue 35 min" in red; the instant below. */
export function NextTarget(props: { request: Pick<RequestSummary, "nextTargetAt" | "status">; now: number }) {
	return (
		<Show
			when={props.request.nextTargetAt}
			fallback={
				<span class="muted">
					{props.request.status === "waiting_for_customer" ? "Clock stopped" : props.request.status === "completed" ? "—" : "No target"}
				</span>
			}
		>
			{(at) => {
				const when = () => untilTarget(at(), props.now);
				return (
					<span class="next-target">
						<span class="target-when" classList={{ overdue: when().overdue }}>
							{when().text}
						</span>
						<ZonedTime class="muted block target-at" at={at()} />
					</span>
				);
			}}
		</Show>
	);
}

export function RequestTable(props: {
	items: readonly RequestSummary[];
	kind: RequestListKind;
	accountId: string;
	/** The signed-in person: their own requests read "waiting for your answer". */
	personId: string;
	caption: string;
	isNew?: (id: string) => boolean;
	busy?: boolean;
}) {
	const href = (r: RequestSummary) => `/${props.accountId}/requests/${r.id}`;
	const mine = (r: RequestSummary) => r.requestedFor.id === props.personId || r.requestedBy.id === props.personId;
	const now = createNow();
	return (
		<table class="table request-table" aria-busy={props.busy ? "true" : undefined}>
			<caption class="visually-hidden">{props.caption}</caption>
			<thead>
				<tr>
					<th scope="col">Request</th>
					<Show when={props.kind === "inbox"}>
						<th scope="col">Customer</th>
					</Show>
					<Show when={props.kind === "account"}>
						<th scope="col">Requested for</th>
					</Show>
					<th scope="col">Service</th>
					<th scope="col">Status</th>
					<Show when={props.kind === "inbox"}>
						<th scope="col">Impact</th>
					</Show>
					<th scope="col">Next target</th>
					<th scope="col">{props.kind === "inbox" ? "Team · member" : "Handled by"}</th>
					<th scope="col">{props.kind === "inbox" ? "Registered" : "Updated"}</th>
				</tr>
			</thead>
			<tbody>
				<For each={props.items}>
					{(r) => (
						<tr classList={{ "row-new": props.isNew?.(r.id) ?? false }} data-request-id={r.id}>
							<td data-label="Request" class="request-cell">
								<A href={href(r)} class="request-link" state={{ from: props.kind }}>
									{r.subject}
								</A>
								<span class="muted request-meta">
									#{r.number} · {CATEGORY[r.category].short}
									<Show when={props.isNew?.(r.id)}>
										{" "}
										<span class="badge badge-brand">New</span>
									</Show>
								</span>
							</td>
							<Show when={props.kind === "inbox"}>
								<td data-label="Customer">{r.owner.name}</td>
							</Show>
							<Show when={props.kind === "account"}>
								<td data-label="Requested for">{r.requestedFor.name}</td>
							</Show>
							<td data-label="Service">{serviceLine(r)}</td>
							<td data-label="Status">
								<RequestStatusBadge request={r} forRequester={props.kind === "mine" && mine(r)} />
							</td>
							<Show when={props.kind === "inbox"}>
								<td data-label="Impact">
									<span title={IMPACT[r.impact].description}>{IMPACT[r.impact].label}</span>
								</td>
							</Show>
							<td data-label="Next target">
								<NextTarget request={r} now={now()} />
							</td>
							<td data-label={props.kind === "inbox" ? "Team · member" : "Handled by"}>
								<Show when={props.kind === "inbox"} fallback={teamLine(r)}>
									{r.team?.name ?? "No team"}
									<span class="muted block">{r.member?.name ?? "Nobody yet"}</span>
								</Show>
							</td>
							<td data-label={props.kind === "inbox" ? "Registered" : "Updated"}>
								<time datetime={props.kind === "inbox" ? r.createdAt : r.updatedAt}>{formatDateTime(props.kind === "inbox" ? r.createdAt : r.updatedAt)}</time>
							</td>
						</tr>
					)}
				</For>
			</tbody>
		</table>
	);
}

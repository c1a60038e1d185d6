// Requests taken back from a provider whose trust ended ("returned"): they wait for a team of this
// account. The home page's card and the Inbox's "Returned" view list them for the account's staff,
// live, until someone assigns them (or they are completed); the request page says why it came
// back — in full to the staff, as a plain status line to the requester.
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { RequestSummary, ReturnedMark } from "../../../../worker/shared/request-api";
import { api, messageOf, request } from "../../api/client";
import { formatDate, formatDateTime } from "../../lib/format";
import { createLoader } from "../../lib/live";
import { STATUS, serviceLine } from "../../lib/requests";
import { useLiveRefresh } from "../../realtime/context";
import { StatusBadge } from "../../ui/badge";
import { Alert, Spinner } from "../../ui/feedback";
import { useAccount } from "./context";

/** "Returned by Widget Data Center on 1 Dec 2026 — needs a team" */
export function returnedLine(mark: ReturnedMark): string {
	return `Returned by ${mark.from.name} on ${formatDate(mark.at)} — needs a team`;
}

/** How many returned requests wait, live (for the Inbox's tab); undefined until known. */
export function createReturnedCount() {
	const { account, can } = useAccount();
	const count = createLoader(
		() => (can("inbox:read") ? account().id : undefined),
		(accountId) => request(api.accounts[":accountId"].inbox.$get({ param: { accountId }, query: { view: "returned", limit: "1" } })).then((p) => p.total),
	);
	useLiveRefresh(() => true, () => void count.refresh(), 400);
	return count.data;
}

/** The returned requests as a table: what, for whom, and why it came back. */
export function ReturnedTable(props: { items: readonly RequestSummary[]; accountId: string; caption: string; busy?: boolean }) {
	return (
		<table class="table request-table returned-table" aria-busy={props.busy ? "true" : undefined}>
			<caption class="visually-hidden">{props.caption}</caption>
			<thead>
				<tr>
					<th scope="col">Request</th>
					<th scope="col">Requested for</th>
					<th scope="col">Service</th>
					<th scope="col">Status</th>
					<th scope="col">Returned</th>
				</tr>
			</thead>
			<tbody>
				<For each={props.items}>
					{(r) => (
						<tr data-request-id={r.id}>
							<td data-label="Request" class="request-cell">
								<A href={`/${props.accountId}/requests/${r.id}`} class="request-link" state={{ from: "inbox" }}>
									{r.subject}
								</A>
								<span class="muted request-meta">#{r.number}</span>
							</td>
							<td data-label="Requested for">{r.requestedFor.name}</td>
							<td data-label="Service">{serviceLine(r)}</td>
							<td data-label="Status">
								<StatusBadge tone={STATUS[r.status].tone}>{STATUS[r.status].label}</StatusBadge>
							</td>
							<td data-label="Returned">
								<Show when={r.returned}>
									{(m) => (
										<>
											<span class="returned-line">
												by {m().from.name} on <time datetime={m().at}>{formatDateTime(m().at)}</time>
											</span>
											<span class="muted block returned-reason">{m().reason}</span>
										</>
									)}
								</Show>
							</td>
						</tr>
					)}
				</For>
			</tbody>
		</table>
	);
}

/**
 * The home page's card: the requests that came back and need a team, for the staff who can give
 * them one. Shows only when there are any.
 */
export function ReturnedRequestsCard() {
	const { account, can } = useAccount();
	const list = createLoader(
		() => (can("inbox:read") ? account().id : undefined),
		(accountId) => request(api.accounts[":accountId"].inbox.$get({ param: { accountId }, query: { view: "returned", limit: "5" } })),
	);
	useLiveRefresh(() => true, () => void list.refresh(), 300);
	const href = () => `/${account().id}/inbox?view=returned`;
	return (
		<Show when={list.error() || (list.data()?.total ?? 0) > 0}>
			<section class="card returned-card" aria-labelledby="returned-title" data-testid="returned-requests">
				<div class="card-header">
					<h2 id="returned-title">Returned requests — need a team</h2>
					<span class="spacer" />
					<A href={href()}>See them all</A>
				</div>
				<div class="card-body stack-sm">
					<Show when={list.data()} fallback={<Show when={list.error()} fallback={<Spinner label="Loading returned requests…" />}><Alert kind="error">{messageOf(list.error())}</Alert></Show>}>
						{(data) => (
							<>
								<p class="muted">A service provider's trust with {account().name} ended while these were open: they came back here. Assigning one to a team of yours takes it off this list.</p>
								<ul class="plain compact-list">
									<For each={data().items}>
										{(r) => (
											<li data-request-id={r.id}>
												<A href={`/${account().id}/requests/${r.id}`}>{r.subject}</A>
												<Show when={r.returned}>
													{(m) => (
														<>
															<span class="compact-meta">
																<span class="badge badge-warning">{returnedLine(m())}</span>
																<span class="muted">
																	#{r.number} · for {r.requestedFor.name}
																</span>
															</span>
															<span class="muted returned-reason">{m().reason}</span>
														</>
													)}
												</Show>
											</li>
										)}
									</For>
								</ul>
								<Show when={data().total > data().items.length}>
									<p class="muted">
										and {data().total - data().items.length} more — <A href={href()}>see all</A>
									</p>
								</Show>
							</>
						)}
					</Show>
				</div>
			</section>
		</Show>
	);
}

/**
 * On the request page: why it came back. Staff read who, when and why, and what to do; the
 * requester reads what it means for them, not the account's internals.
 */
export function ReturnedNotice(props: { request: RequestSummary }) {
	const { can } = useAccount();
	return (
		<Show when={props.request.returned}>
			{(m) => (
				<div class="returned-notice" data-testid="returned-notice">
					<Show
						when={can("inbox:read")}
						fallback={
							<p class="muted">
								{m().from.name} no longer handles this request. {props.request.owner.name} will pick it up from here.
							</p>
						}
					>
						<Alert kind="warning">
							<strong>{returnedLine(m())}.</strong> {m().reason} Assign it to one of your teams: that takes it off the list of returned requests.
						</Alert>
					</Show>
				</div>
			)}
		</Show>
	);
}

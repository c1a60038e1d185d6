// Deliveries: messages this account sends to other accounts (trust answers, SLA changes) that
// have not arrived yet. Pending ones are retried with backoff; parked ones failed too often and
// hold back later messages to the same account until an administrator retries them.
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { OutboxMessage } from "../../../../worker/shared/service-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { formatDateTime } from "../../lib/format";
import { StatusBadge } from "../../ui/badge";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const KINDS: Record<string, string> = { trust: "Trust handshake", sla: "SLA change" };


export default function DeliveriesPage() {
	const { account, can } = useAccount();
	const [messages, { refetch }] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].messages.$get({ param: { accountId }, query })),
	);
	const [trusts] = createResource(
		() => (can("trusts:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	const names = createMemo(() => new Map((trusts() ?? []).map((t) => [t.account.id, t.account.name])));
	const parked = () => (messages() ?? []).filter((m) => m.status === "parked").length;
	const [busy, setBusy] = createSignal<string | null>(null);

	const retry = async (m: OutboxMessage) => {
		setBusy(m.id);
		try {
			await request(api.accounts[":accountId"].messages[":to"][":seq"].retry.$post({ param: { accountId: account().id, to: m.to, seq: String(m.seq) } }));
			notify(`The message to ${names().get(m.to) ?? m.to} is on its way again.`);
			await refetch();
		} catch (err) {
			notify(messageOf(err), "error");
		} finally {
			setBusy(null);
		}
	};

	return (
		<>
			<PageHeader
				title="Deliveries"
				subtitle={`Messages from ${account().name} to other accounts that have not arrived yet. Trustdesk retries them; parked ones wait for you.`}
				actions={
					<button type="button" class="btn" onClick={() => void refetch()} disabled={messages.loading}>
						Refresh
					</button>
				}
			/>
			<Show when={messages.error}>
				<Alert kind="error">Could not load messages: {messageOf(messages.error)}</Alert>
			</Show>
			<Show when={parked() > 0}>
				<Alert kind="warning">
					{parked() === 1 ? "1 message is parked" : `${parked()} messages are parked`} after failing repeatedly. Later messages to the same account wait behind it: retry
					once the other account is reachable again.
				</Alert>
			</Show>
			<section class="card" aria-label="Waiting messages">
				<Show when={!messages.loading || messages()} fallback={<Spinner />}>
					<Show when={(messages() ?? []).length > 0} fallback={<EmptyState title="All messages delivered">Nothing is waiting to reach another account.</EmptyState>}>
						<table class="table">
							<thead>
								<tr>
									<th scope="col">To</th>
									<th scope="col">Message</th>
									<th scope="col">Status</th>
									<th scope="col">Attempts</th>
									<th scope="col">Details</th>
									<th scope="col" class="actions">
										<span class="visually-hidden">Actions</span>
									</th>
								</tr>
							</thead>
							<tbody>
								<For each={messages()}>
									{(m) => (
										<tr>
											<td data-label="To">
												<strong>{names().get(m.to) ?? m.to}</strong> <code class="muted">{m.to}</code>
											</td>
											<td data-label="Message">
												{KINDS[m.kind] ?? m.kind}
												<div class="muted">queued {formatDateTime(m.createdAt)}</div>
											</td>
											<td data-label="Status">
												<StatusBadge tone={m.status === "parked" ? "danger" : "warning"}>{m.status === "parked" ? "Parked" : "Pending"}</StatusBadge>
											</td>
											<td data-label="Attempts">{m.attempts}</td>
											<td data-label="Details">
												<Show when={m.status === "pending" && m.nextAttemptAt}>
													<div>Next attempt {formatDateTime(m.nextAttemptAt)}</div>
												</Show>
												<Show when={m.lastError}>
													<div class={m.status === "parked" ? "field-error" : "muted"}>{m.lastError}</div>
												</Show>
											</td>
											<td class="actions">
												<Show when={m.status === "parked"}>
													<button
														type="button"
														class="btn btn-sm btn-primary"
														disabled={busy() === m.id}
														onClick={() => void retry(m)}
														aria-label={`Retry the message to ${names().get(m.to) ?? m.to}`}
													>
														Retry
													</button>
												</Show>
											</td>
										</tr>
									)}
								</For>
							</tbody>
						</table>
					</Show>
				</Show>
			</section>
		</>
	);
}

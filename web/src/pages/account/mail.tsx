// E-mail log: every e-mail this account sent or is sending (notifications, invitations, password
// resets), newest first. Failed attempts are retried 1 min, 5 min, 30 min, 2 h and 12 h later;
// after that a mail has failed. Mails with secret links show no body anywhere.
import { createResource, createSignal, For, Show } from "solid-js";
import type { MailDelivery, MailStatus } from "../../../../worker/shared/mail-api";
import { api, messageOf, request } from "../../api/client";
import { formatDateTime } from "../../lib/format";
import type { Tone } from "../../lib/services";
import { StatusBadge } from "../../ui/badge";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const STATUS: Record<MailStatus, { label: string; tone: Tone }> = {
	queued: { label: "Queued", tone: "warning" },
	sent: { label: "Sent", tone: "success" },
	failed: { label: "Failed", tone: "danger" },
	bounced: { label: "Bounced", tone: "danger" },
};

const KINDS: Record<MailDelivery["kind"], string> = {
	notification: "Notification",
	invitation: "Invitation",
	password_reset: "Password reset",
	email_verification: "Address verification",
};

export default function MailLogPage() {
	const { account } = useAccount();
	const [extra, setExtra] = createSignal<MailDelivery[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const [loadingMore, setLoadingMore] = createSignal(false);
	const [moreError, setMoreError] = createSignal<string | null>(null);
	const fetchPage = (accountId: string, after?: string) =>
		request(api.accounts[":accountId"]["mail-deliveries"].$get({ param: { accountId }, query: after ? { cursor: after } : {} }));
	const [first, { refetch }] = createResource(
		() => account().id,
		async (accountId) => {
			const page = await fetchPage(accountId);
			setExtra([]);
			setCursor(page.nextCursor);
			return page;
		},
	);
	const deliveries = () => [...(first()?.items ?? []), ...extra()];

	const more = async () => {
		const after = cursor();
		if (!after) return;
		setLoadingMore(true);
		setMoreError(null);
		try {
			const page = await fetchPage(account().id, after);
			setExtra((d) => [...d, ...page.items]);
			setCursor(page.nextCursor);
		} catch (err) {
			setMoreError(messageOf(err));
		} finally {
			setLoadingMore(false);
		}
	};

	return (
		<>
			<PageHeader
				title="E-mail log"
				subtitle={`E-mails ${account().name} sent or is sending. Failed attempts are retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours.`}
				actions={
					<button type="button" class="btn" onClick={() => void refetch()} disabled={first.loading}>
						Refresh
					</button>
				}
			/>
			<Show when={first.error}>
				<Alert kind="error">Could not load the e-mail log: {messageOf(first.error)}</Alert>
			</Show>
			<section class="card" aria-label="E-mails">
				<Show when={!first.loading || first()} fallback={<Spinner />}>
					<Show when={deliveries().length > 0} fallback={<EmptyState title="No e-mail yet">E-mails to people appear here as soon as they are queued.</EmptyState>}>
						<table class="table">
							<thead>
								<tr>
									<th scope="col">To</th>
									<th scope="col">Subject</th>
									<th scope="col">Status</th>
									<th scope="col">Attempts</th>
									<th scope="col">Details</th>
								</tr>
							</thead>
							<tbody>
								<For each={deliveries()}>
									{(d) => (
										<tr>
											<td data-label="To">
												<strong>{d.recipient.name || d.recipient.email}</strong>
												<div class="muted">{d.recipient.email}</div>
											</td>
											<td data-label="Subject">
												{d.subject}
												<div class="muted">
													{KINDS[d.kind]}
													{d.sensitive ? " · holds a secret link, body not kept" : ""}
												</div>
											</td>
											<td data-label="Status">
												<StatusBadge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</StatusBadge>
											</td>
											<td data-label="Attempts">{d.attempts}</td>
											<td data-label="Details">
												<div class="muted">queued {formatDateTime(d.createdAt)}</div>
												<Show when={d.finishedAt}>
													<div class="muted">
														{d.status === "sent" ? "sent" : d.status} {formatDateTime(d.finishedAt)}
													</div>
												</Show>
												<Show when={d.status === "queued" && d.nextAttemptAt}>
													<div>Next attempt {formatDateTime(d.nextAttemptAt)}</div>
												</Show>
												<Show when={d.lastError}>
													<div class={d.status === "queued" ? "muted" : "field-error"}>{d.lastError}</div>
												</Show>
											</td>
										</tr>
									)}
								</For>
							</tbody>
						</table>
						<Show when={moreError()}>
							<Alert kind="error">Could not load more: {moreError()}</Alert>
						</Show>
						<Show when={cursor()}>
							<p>
								<button type="button" class="btn" onClick={() => void more()} disabled={loadingMore()}>
									{loadingMore() ? "Loading…" : "Show older e-mails"}
								</button>
							</p>
						</Show>
					</Show>
				</Show>
			</section>
		</>
	);
}

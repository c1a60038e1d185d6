// Webhooks: the account's endpoints (URL, events, enabled or disabled and why), each with its
// secret shown once at creation and rotation, a test event, and its delivery log (status, response
// code, latency, the start of the answer) with Redeliver. Endpoints an app installation manages
// are shown read-only: the app changes them.
import { createResource, createSignal, For, Show } from "solid-js";
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from "../../../../worker/shared/webhook-api";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES } from "../../../../worker/shared/webhook-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { formatDateTime } from "../../lib/format";
import type { Tone } from "../../lib/services";
import { StatusBadge } from "../../ui/badge";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const STATUS: Record<WebhookDeliveryStatus, { label: string; tone: Tone }> = {
	queued: { label: "Queued", tone: "warning" },
	succeeded: { label: "Delivered", tone: "success" },
	failed: { label: "Failed", tone: "danger" },
};

/** Families first (a family takes every type in it, today's and later ones), then single types. */
const EVENT_OPTIONS = [
	{ value: "*", label: "Every event" },
	...[...new Set(WEBHOOK_EVENT_TYPES.filter((t) => t !== "webhook.test").map((t) => t.split(".")[0]!))].map((family) => ({
		value: `${family}.*`,
		label: `${family}.*`,
		description: `Every ${family} event`,
	})),
	...WEBHOOK_EVENT_TYPES.filter((t) => t !== "webhook.test").map((t) => ({ value: t, label: t, description: WEBHOOK_EVENT_LABELS[t] })),
];

export default function WebhooksPage() {
	const { account } = useAccount();
	const [endpoints, { refetch }] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].webhooks.$get({ param: { accountId }, query })),
	);
	const [creating, setCreating] = createSignal(false);
	const [editing, setEditing] = createSignal<WebhookEndpoint | null>(null);
	const [secret, setSecret] = createSignal<{ title: string; secret: string } | null>(null);
	const [open, setOpen] = createSignal<string | null>(null);

	return (
		<>
			<PageHeader
				title="Webhooks"
				subtitle={`Signed HTTP POSTs (Standard Webhooks) to your systems when something happens in ${account().name}. Failed deliveries are retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.`}
				actions={
					<>
						<button type="button" class="btn" onClick={() => void refetch()} disabled={endpoints.loading}>
							Refresh
						</button>
						<button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
							New endpoint
						</button>
					</>
				}
			/>
			<Show when={endpoints.error}>
				<Alert kind="error">Could not load the webhooks: {messageOf(endpoints.error)}</Alert>
			</Show>
			<Show when={!endpoints.loading || endpoints()} fallback={<Spinner />}>
				<Show
					when={(endpoints() ?? []).length > 0}
					fallback={
						<section class="card">
							<EmptyState title="No webhooks">Subscribe an https URL to the events your integration needs.</EmptyState>
						</section>
					}
				>
					<div class="stack">
						<For each={endpoints()}>
							{(e) => (
								<EndpointCard
									endpoint={e}
									open={open() === e.id}
									onToggleLog={() => setOpen(open() === e.id ? null : e.id)}
									onChanged={() => void refetch()}
									onEdit={() => setEditing(e)}
									onSecret={(s) => setSecret({ title: "New signing secret", secret: s })}
								/>
							)}
						</For>
					</div>
				</Show>
			</Show>
			<Show when={creating()}>
				<EndpointDialog
					onClose={() => setCreating(false)}
					onSaved={(s) => {
						setCreating(false);
						void refetch();
						if (s) setSecret({ title: "Webhook created", secret: s });
					}}
				/>
			</Show>
			<Show when={editing()}>
				{(e) => (
					<EndpointDialog
						endpoint={e()}
						onClose={() => setEditing(null)}
						onSaved={() => {
							setEditing(null);
							void refetch();
						}}
					/>
				)}
			</Show>
			<Show when={secret()}>{(s) => <SecretDialog title={s().title} secret={s().secret} onClose={() => setSecret(null)} />}</Show>
		</>
	);
}

function EndpointCard(props: {
	endpoint: WebhookEndpoint;
	open: boolean;
	onToggleLog: () => void;
	onChanged: () => void;
	onEdit: () => void;
	onSecret: (secret: string) => void;
}) {
	const { account } = useAccount();
	const e = () => props.endpoint;
	const param = () => ({ accountId: account().id, endpointId: e().id });
	const [busy, setBusy] = createSignal(false);
	const [logKey, setLogKey] = createSignal(0);
	const act = async (what: () => Promise<unknown>, done: string) => {
		setBusy(true);
		try {
			await what();
			notify(done);
			props.onChanged();
		} catch (err) {
			notify(messageOf(err), "error");
		} finally {
			setBusy(false);
		}
	};
	const sendTest = () =>
		act(async () => {
			await request(api.accounts[":accountId"].webhooks[":endpointId"].test.$post({ param: param() }));
			setLogKey((k) => k + 1);
		}, "Test event queued: see the delivery log.");
	const setEnabled = (enabled: boolean) =>
		act(() => request(api.accounts[":accountId"].webhooks[":endpointId"].$patch({ param: param(), json: { enabled } })), enabled ? "Endpoint enabled." : "Endpoint disabled.");
	const rotate = async () => {
		const rotated = await request(api.accounts[":accountId"].webhooks[":endpointId"]["rotate-secret"].$post({ param: param() }));
		props.onChanged();
		if (rotated.secret) props.onSecret(rotated.secret);
	};
	const remove = async () => {
		await request(api.accounts[":accountId"].webhooks[":endpointId"].$delete({ param: param() }));
		notify("Endpoint deleted.");
		props.onChanged();
	};

	return (
		<section class="card" aria-label={`Webhook ${e().url}`} data-testid="webhook-endpoint">
			<div class="card-body stack">
				<div class="row" style={{ "justify-content": "space-between", "flex-wrap": "wrap", gap: "0.5rem" }}>
					<div>
						<strong class="mono" style={{ "word-break": "break-all" }}>
							{e().url}
						</strong>
						<Show when={e().description}>
							<div class="muted">{e().description}</div>
						</Show>
					</div>
					<StatusBadge tone={e().enabled ? "success" : "danger"}>{e().enabled ? "Enabled" : "Disabled"}</StatusBadge>
				</div>
				<div class="badges">
					<For each={e().eventTypes}>{(t) => <span class="badge mono">{t}</span>}</For>
				</div>
				<Show when={!e().enabled && e().disabledReason}>
					<Alert kind="warning">{e().disabledReason}</Alert>
				</Show>
				<Show when={e().consecutiveFailures > 0 && e().enabled}>
					<div class="muted">{e().consecutiveFailures} failed attempts in a row (disabled after 20).</div>
				</Show>
				<Show when={e().secretRotation}>{(r) => <div class="muted">The previous secret stays valid until {formatDateTime(r().previousValidUntil)}.</div>}</Show>
				<Show
					when={!e().managedBy}
					fallback={
						<p class="muted">
							Managed by {e().managedBy?.kind.replace(/_/g, " ")} {e().managedBy?.id}: change or remove it there.
						</p>
					}
				>
					<div class="row" style={{ gap: "0.5rem", "flex-wrap": "wrap" }}>
						<button type="button" class="btn btn-sm" onClick={() => void sendTest()} disabled={busy() || !e().enabled}>
							Send test event
						</button>
						<button type="button" class="btn btn-sm" onClick={() => props.onEdit()}>
							Edit
						</button>
						<button type="button" class="btn btn-sm" onClick={() => void setEnabled(!e().enabled)} disabled={busy()}>
							{e().enabled ? "Disable" : "Enable"}
						</button>
						<Confirm
							title="Rotate the signing secret?"
							description="A new secret is shown once. For 24 hours deliveries are signed with both, so your receiver can switch without missing one."
							confirmLabel="Rotate secret"
							onConfirm={rotate}
							triggerLabel="Rotate secret"
							triggerClass="btn btn-sm"
						/>
						<Confirm
							title="Delete this endpoint?"
							description="Deliveries stop at once and its delivery log is deleted."
							confirmLabel="Delete endpoint"
							onConfirm={remove}
							triggerLabel="Delete"
							triggerClass="btn btn-sm"
						/>
					</div>
				</Show>
				<div>
					<button type="button" class="btn btn-sm btn-ghost" aria-expanded={props.open} onClick={() => props.onToggleLog()}>
						{props.open ? "Hide delivery log" : "Delivery log"}
					</button>
				</div>
			</div>
			<Show when={props.open}>
				<Show when={logKey() + 1} keyed>
					<DeliveryLog endpoint={e()} />
				</Show>
			</Show>
		</section>
	);
}

function DeliveryLog(props: { endpoint: WebhookEndpoint }) {
	const { account } = useAccount();
	const [extra, setExtra] = createSignal<WebhookDelivery[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const fetchPage = (after?: string) =>
		request(
			api.accounts[":accountId"].webhooks[":endpointId"].deliveries.$get({
				param: { accountId: account().id, endpointId: props.endpoint.id },
				query: after ? { cursor: after } : {},
			}),
		);
	const [first, { refetch }] = createResource(async () => {
		const page = await fetchPage();
		setExtra([]);
		setCursor(page.nextCursor);
		return page;
	});
	const deliveries = () => [...(first()?.items ?? []), ...extra()];
	const more = async () => {
		const after = cursor();
		if (!after) return;
		const page = await fetchPage(after);
		setExtra((d) => [...d, ...page.items]);
		setCursor(page.nextCursor);
	};
	const redeliver = async (d: WebhookDelivery) => {
		try {
			await request(
				api.accounts[":accountId"].webhooks[":endpointId"].deliveries[":deliveryId"].redeliver.$post({
					param: { accountId: account().id, endpointId: props.endpoint.id, deliveryId: d.id },
				}),
			);
			notify("Queued again.");
			await refetch();
		} catch (err) {
			notify(messageOf(err), "error");
		}
	};

	return (
		<div class="stack" aria-label="Delivery log">
			<div class="card-header">
				<strong>Delivery log</strong>
				<button type="button" class="btn btn-sm" onClick={() => void refetch()} disabled={first.loading}>
					Refresh log
				</button>
			</div>
			<Show when={first.error}>
				<Alert kind="error">Could not load the log: {messageOf(first.error)}</Alert>
			</Show>
			<Show when={!first.loading || first()} fallback={<Spinner />}>
				<Show when={deliveries().length > 0} fallback={<p class="muted card-body">No deliveries yet.</p>}>
					<table class="table">
						<thead>
							<tr>
								<th scope="col">Event</th>
								<th scope="col">Status</th>
								<th scope="col">Last attempt</th>
								<th scope="col" class="actions">
									<span class="visually-hidden">Actions</span>
								</th>
							</tr>
						</thead>
						<tbody>
							<For each={deliveries()}>
								{(d) => {
									const last = () => d.log.at(-1);
									return (
										<tr data-testid="webhook-delivery">
											<td data-label="Event">
												<span class="mono">{d.eventType}</span>
												<div class="muted mono">{d.id}</div>
												<div class="muted">queued {formatDateTime(d.createdAt)}</div>
											</td>
											<td data-label="Status">
												<StatusBadge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</StatusBadge>
												<div class="muted">
													{d.attempts} attempt{d.attempts === 1 ? "" : "s"}
												</div>
												<Show when={d.status === "queued" && d.nextAttemptAt}>
													<div class="muted">next {formatDateTime(d.nextAttemptAt)}</div>
												</Show>
											</td>
											<td data-label="Last attempt">
												<Show when={last()} fallback={<span class="muted">Not tried yet</span>}>
													{(a) => (
														<>
															<div>
																<span data-testid="response-code">{a().responseCode ?? "no answer"}</span> · {a().latencyMs} ms · {formatDateTime(a().at)}
															</div>
															<Show when={a().error}>
																<div class="field-error">{a().error}</div>
															</Show>
															<Show when={a().bodyExcerpt}>
																<pre class="mono muted" style={{ "white-space": "pre-wrap", "max-height": "6rem", overflow: "auto", margin: 0 }}>
																	{a().bodyExcerpt}
																</pre>
															</Show>
														</>
													)}
												</Show>
												<Show when={d.log.length > 1}>
													<details>
														<summary>All {d.log.length} attempts</summary>
														<ul class="plain">
															<For each={d.log}>
																{(a) => (
																	<li>
																		{formatDateTime(a.at)}: {a.responseCode ?? "no answer"} · {a.latencyMs} ms{a.error ? ` · ${a.error}` : ""}
																	</li>
																)}
															</For>
														</ul>
													</details>
												</Show>
												<Show when={d.sensitive}>
													<div class="muted">Holds a secret: its payload is not shown or kept.</div>
												</Show>
											</td>
											<td class="actions">
												<Show when={!d.sensitive && !props.endpoint.managedBy}>
													<button type="button" class="btn btn-sm" onClick={() => void redeliver(d)} disabled={!props.endpoint.enabled}>
														Redeliver
													</button>
												</Show>
											</td>
										</tr>
									);
								}}
							</For>
						</tbody>
					</table>
					<Show when={cursor()}>
						<div class="card-footer">
							<button type="button" class="btn btn-sm" onClick={() => void more()}>
								Show older deliveries
							</button>
						</div>
					</Show>
				</Show>
			</Show>
		</div>
	);
}

function EndpointDialog(props: { endpoint?: WebhookEndpoint; onClose: () => void; onSaved: (secret: string | null) => void }) {
	const { account } = useAccount();
	const [url, setUrl] = createSignal(props.endpoint?.url ?? "https://");
	const [description, setDescription] = createSignal(props.endpoint?.description ?? "");
	const [events, setEvents] = createSignal<string[]>(props.endpoint?.eventTypes ?? ["request.*"]);
	const form = createSubmission();
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const json = { url: url(), description: description(), eventTypes: events() };
			if (props.endpoint) {
				await request(api.accounts[":accountId"].webhooks[":endpointId"].$patch({ param: { accountId: account().id, endpointId: props.endpoint.id }, json }));
				notify("Endpoint saved.");
				props.onSaved(null);
			} else {
				const created = await request(api.accounts[":accountId"].webhooks.$post({ param: { accountId: account().id }, json }));
				props.onSaved(created.secret);
			}
		});
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={props.endpoint ? "Edit webhook" : "New webhook"} wide>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField label="URL" value={url()} onInput={setUrl} error={form.field("url")} required description="An https URL on a public host. Trustdesk POSTs JSON to it." autocomplete="off" />
				<TextField label="Description" value={description()} onInput={setDescription} error={form.field("description")} autocomplete="off" />
				<CheckboxGroup legend="Events" options={EVENT_OPTIONS} selected={events()} onChange={setEvents} error={form.field("eventTypes")} scroll />
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{props.endpoint ? "Save" : "Create endpoint"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

function SecretDialog(props: { title: string; secret: string; onClose: () => void }) {
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={props.title}>
			<div class="stack">
				<Alert kind="warning">Copy the signing secret now. Trustdesk keeps it only encrypted and cannot show it again.</Alert>
				<div class="secret" data-testid="webhook-secret">
					<span class="spacer">{props.secret}</span>
					<button type="button" class="btn btn-sm" onClick={() => void navigator.clipboard?.writeText(props.secret)}>
						Copy
					</button>
				</div>
				<p class="muted">
					Verify each delivery's <code>webhook-signature</code> header with it (Standard Webhooks; see the README's snippet).
				</p>
				<div class="dialog-footer">
					<button type="button" class="btn btn-primary" onClick={props.onClose}>
						Done
					</button>
				</div>
			</div>
		</Dialog>
	);
}

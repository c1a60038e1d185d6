// Service level agreements: what this account provides to each customer (with their lifecycle:
// being prepared → scheduled for activation → active → expired), and what providers offer it.
import { A } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { Team } from "../../../../worker/shared/api";
import { agreementDateProblems } from "../../../../worker/shared/calendar";
import type { Coverage, ReceivedSla, Service, ServiceInstance, ServiceOffering, Sla, SlaAction, UpdateSlaInput } from "../../../../worker/shared/service-api";
import type { Trust } from "../../../../worker/shared/trust-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { formatDateTime, formatDay } from "../../lib/format";
import { createLoader, createStableList } from "../../lib/live";
import { SLA_STATUS, todayIn } from "../../lib/services";
import { useLiveTopic } from "../../realtime/context";
import { StatusBadge } from "../../ui/badge";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { DateField, SelectField, TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { RadioGroup } from "../../ui/radio";
import { useAccount } from "./context";

interface Model {
	services: Service[];
	instances: ServiceInstance[];
	offerings: ServiceOffering[];
}

const DONE: Record<SlaAction, (name: string, customer: string) => string> = {
	schedule: (n) => `${n} is scheduled for activation.`,
	activate: (n, c) => `${n} is active: ${c} sees the service in its catalog.`,
	expire: (n, c) => `${n} has expired: the service left the catalog of ${c}.`,
	prepare: (n) => `${n} is back in preparation.`,
};

const HISTORY_PHRASES: Record<string, string> = {
	created: "created the SLA",
	scheduled: "scheduled it",
	activated: "activated it",
	expired: "expired it",
	unscheduled: "put it back in preparation",
	updated: "changed",
	"not activated": "could not activate it",
};

export default function SlasPage() {
	const { account, can } = useAccount();
	// Loaders, not resources: live refreshes must not suspend the page into a spinner.
	const slaList = createLoader(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].slas.$get({ param: { accountId }, query })),
	);
	const receivedList = createLoader(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"]["received-slas"].$get({ param: { accountId }, query })),
	);
	// Items that did not change keep their DOM (focus, an open confirmation) across live refreshes.
	const slas = createStableList(() => slaList.data() ?? [], (s) => s.id);
	const received = createStableList(() => receivedList.data() ?? [], (r) => `${r.provider.id}/${r.slaId}`);
	const refetch = () => slaList.refresh();
	const refetchReceived = () => receivedList.refresh();
	useLiveTopic(["slas"], () => void refetch());
	useLiveTopic(["received_slas"], () => void refetchReceived());
	const [model] = createResource(
		() => (can("services:read") ? account().id : undefined),
		(accountId) => request(api.accounts[":accountId"]["service-model"].$get({ param: { accountId } })),
	);
	const [teams] = createResource(
		() => (can("teams:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].teams.$get({ param: { accountId }, query })),
	);
	// Which customers an SLA can be made for follows the trusts, live too.
	const trustList = createLoader(
		() => (can("trusts:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	const trusts = trustList.data;
	useLiveTopic(["trusts"], () => void trustList.refresh());
	const [editing, setEditing] = createSignal<Sla | "new" | null>(null);

	const customers = createMemo(() => (trusts() ?? []).filter((t) => t.status === "active" && t.ourRole === "provider"));
	const isCustomerAccount = createMemo(() => (trusts() ?? []).some((t) => t.ourRole === "customer"));
	const grouped = createMemo(() => {
		const byCustomer = new Map<string, { customer: Sla["customer"]; slas: Sla[] }>();
		for (const s of slas()) {
			const g = byCustomer.get(s.customer.id) ?? { customer: s.customer, slas: [] };
			g.slas.push(s);
			byCustomer.set(s.customer.id, g);
		}
		return [...byCustomer.values()].sort((a, b) => a.customer.name.localeCompare(b.customer.name));
	});
	const groups = createStableList(grouped, (g) => g.customer.id);
	const providesNothing = () => slas().length === 0 && customers().length === 0;

	const act = async (sla: Sla, action: SlaAction) => {
		await request(api.accounts[":accountId"].slas[":slaId"].status.$post({ param: { accountId: account().id, slaId: sla.id }, json: { action } }));
		notify(DONE[action](sla.name, sla.customer.name));
		await refetch();
	};

	const provided = () => (
		<section class="stack" aria-labelledby="provided-title">
			<div class="row">
				<h2 class="spacer" id="provided-title">
					SLAs you provide
				</h2>
			</div>
			<Show when={slaList.error()}>
				<Alert kind="error">Could not load SLAs: {messageOf(slaList.error())}</Alert>
			</Show>
			<Show when={slaList.data() || slaList.error()} fallback={<Spinner />}>
				<Show
					when={groups().length > 0}
					fallback={
						<div class="card">
							<EmptyState
								title="No SLAs yet"
								action={
									<Show when={can("slas:write") && customers().length > 0}>
										<button type="button" class="btn btn-primary" onClick={() => setEditing("new")}>
											New SLA
										</button>
									</Show>
								}
							>
								<Show when={customers().length > 0} fallback={<>An SLA offers one of your service offerings to a customer account that trusts {account().name} as its provider.</>}>
									Offer a service offering to one of your customers: {customers().map((c) => c.account.name).join(", ")}.
								</Show>
							</EmptyState>
						</div>
					}
				>
					<For each={groups()}>
						{(g) => (
							<section class="card" aria-labelledby={`customer-${g.customer.id}`}>
								<div class="card-header">
									<h3 id={`customer-${g.customer.id}`}>{g.customer.name}</h3>
									<code class="muted">{g.customer.id}</code>
									<span class="spacer" />
									<span class="muted">{g.slas.length === 1 ? "1 SLA" : `${g.slas.length} SLAs`}</span>
								</div>
								<ul class="sla-list">
									<For each={g.slas}>
										{(s) => <SlaItem sla={s} model={model()} teams={teams() ?? []} onAct={(a) => act(s, a)} onEdit={() => setEditing(s)} />}
									</For>
								</ul>
							</section>
						)}
					</For>
				</Show>
			</Show>
		</section>
	);

	const receivedSection = () => (
		<Show when={received().length > 0 || isCustomerAccount()}>
			<ReceivedSection received={received()} loading={receivedList.data() === undefined && !receivedList.error()} error={receivedList.error()} />
		</Show>
	);

	return (
		<>
			<PageHeader
				title="Service level agreements"
				subtitle={`What ${account().name} has agreed with its customers and providers: which service offering, for whom, from when until when.`}
				actions={
					<>
						<button
							type="button"
							class="btn"
							onClick={() => {
								void refetch();
								void refetchReceived();
							}}
						>
							Refresh
						</button>
						<Show when={can("slas:write") && !providesNothing()}>
							<button type="button" class="btn btn-primary" onClick={() => setEditing("new")}>
								New SLA
							</button>
						</Show>
					</>
				}
			/>
			{/* An account that only receives services sees those first. */}
			<Show when={providesNothing() && received().length > 0} fallback={<>{provided()}{receivedSection()}</>}>
				{receivedSection()}
				{provided()}
			</Show>
			<Show when={editing()} keyed>
				{(e) => (
					<SlaDialog
						sla={e === "new" ? null : e}
						model={model() ?? { services: [], instances: [], offerings: [] }}
						teams={teams() ?? []}
						customers={customers()}
						onClose={() => setEditing(null)}
						onSaved={async () => {
							setEditing(null);
							await refetch();
						}}
					/>
				)}
			</Show>
		</>
	);
}

const FIELD_WORDS: Record<string, string> = {
	name: "the name",
	coverage: "the coverage",
	startDate: "the start date",
	noticeDate: "the notice date",
	expiryDate: "the expiry date",
	teamId: "the team",
};

/** "noticeDate, expiryDate" → "the notice date and the expiry date" */
function changedFields(detail: string): string {
	const words = detail.split(",").map((f) => FIELD_WORDS[f.trim()] ?? f.trim());
	return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function coverageText(coverage: Coverage, customer: string): string {
	if (coverage.type === "customer_account") return `Everyone at ${customer}`;
	return coverage.personIds.length === 1 ? "1 selected person" : `${coverage.personIds.length} selected people`;
}

function SlaItem(props: { sla: Sla; model: Model | undefined; teams: Team[]; onAct: (a: SlaAction) => Promise<void>; onEdit: () => void }) {
	const { can } = useAccount();
	const [busy, setBusy] = createSignal(false);
	const [error, setError] = createSignal("");
	const s = () => props.sla;
	const offering = () => props.model?.offerings.find((o) => o.id === s().offeringId);
	const service = () => props.model?.services.find((x) => x.id === offering()?.serviceId);
	const instance = () => props.model?.instances.find((i) => i.id === s().serviceInstanceId);
	const teamName = (id: string | null | undefined) => (id ? (props.teams.find((t) => t.id === id)?.name ?? "Unknown team") : null);
	const team = () => teamName(s().teamId) ?? `${teamName(instance()?.firstLineTeamId) ?? "none"} (first line of the instance)`;
	const status = () => SLA_STATUS[s().status];

	const run = async (action: SlaAction) => {
		setBusy(true);
		setError("");
		try {
			await props.onAct(action);
		} catch (err) {
			setError(messageOf(err));
		} finally {
			setBusy(false);
		}
	};

	return (
		<li class="sla-item" aria-labelledby={`sla-${s().id}`}>
			<div class="item-head">
				<h4 id={`sla-${s().id}`}>{s().name}</h4>
				<StatusBadge tone={status().tone}>{status().label}</StatusBadge>
			</div>
			<dl class="fact-grid">
				<div>
					<dt>Offering</dt>
					<dd>{offering() ? `${service()?.name ?? "?"} · ${offering()?.name}` : s().offeringId}</dd>
				</div>
				<div>
					<dt>Instance</dt>
					<dd>{instance()?.name ?? s().serviceInstanceId}</dd>
				</div>
				<div>
					<dt>Team</dt>
					<dd>{team()}</dd>
				</div>
				<div>
					<dt>Covers</dt>
					<dd>{coverageText(s().coverage, s().customer.name)}</dd>
				</div>
				<div>
					<dt>Dates</dt>
					<dd>
						{formatDay(s().startDate)} – {s().expiryDate ? formatDay(s().expiryDate) : "no expiry date"}
						<Show when={s().noticeDate}>
							<div class="muted">notice by {formatDay(s().noticeDate)}</div>
						</Show>
					</dd>
				</div>
			</dl>
			<Show when={error()}>
				<Alert kind="error">{error()}</Alert>
			</Show>
			<Show when={can("slas:write") && s().status !== "expired"}>
				<div class="row">
					<Show when={s().status === "being_prepared"}>
						<button type="button" class="btn btn-primary btn-sm" disabled={busy()} onClick={() => void run("schedule")} aria-label={`Schedule ${s().name}`}>
							Schedule
						</button>
					</Show>
					<Show when={s().status === "being_prepared" || s().status === "scheduled_for_activation"}>
						<button type="button" class="btn btn-sm" disabled={busy()} onClick={() => void run("activate")} aria-label={`Activate ${s().name} now`}>
							Activate now
						</button>
					</Show>
					<Show when={s().status === "scheduled_for_activation"}>
						<button type="button" class="btn btn-sm" disabled={busy()} onClick={() => void run("prepare")} aria-label={`Put ${s().name} back in preparation`}>
							Back to preparation
						</button>
					</Show>
					<button type="button" class="btn btn-sm" onClick={props.onEdit} aria-label={`Edit ${s().name}`}>
						Edit
					</button>
					<Show when={s().status === "active" || s().status === "scheduled_for_activation"}>
						<Confirm
							title={`Expire ${s().name} now?`}
							description={`The agreement ends today: the service leaves the catalog of ${s().customer.name} and no new requests for it can be registered. To end it later, edit its expiry date instead.`}
							confirmLabel="Expire now"
							onConfirm={() => props.onAct("expire")}
							triggerLabel="Expire now"
							triggerAriaLabel={`Expire ${s().name} now`}
						/>
					</Show>
				</div>
			</Show>
			<details class="history">
				<summary>History ({s().history.length})</summary>
				<ol class="timeline">
					<For each={[...s().history].reverse()}>
						{(h) => (
							<li>
								<time datetime={h.at} class="muted">
									{formatDateTime(h.at)}
								</time>
								<span>
									<strong>{h.actor}</strong> {HISTORY_PHRASES[h.action] ?? h.action}
									<Show when={h.action === "updated" && h.detail}> {changedFields(h.detail ?? "")}</Show>
									<Show when={h.to && h.from !== h.to}>
										{" "}
										<span class="muted">→ {SLA_STATUS[h.to as Sla["status"]].label.toLowerCase()}</span>
									</Show>
									<Show when={h.action !== "updated" && h.detail}>
										<span class="muted"> — {h.detail}</span>
									</Show>
								</span>
							</li>
						)}
					</For>
				</ol>
			</details>
		</li>
	);
}

function ReceivedSection(props: { received: ReceivedSla[]; loading: boolean; error: unknown }) {
	const { account } = useAccount();
	return (
		<section class="stack" aria-labelledby="received-title">
			<div class="row">
				<h2 class="spacer" id="received-title">
					Received SLAs
				</h2>
			</div>
			<p class="muted">What service providers offer {account().name}, as they last reported it.</p>
			<Show when={props.error}>
				<Alert kind="error">Could not load received SLAs: {messageOf(props.error)}</Alert>
			</Show>
			<div class="card">
				<Show when={!props.loading || props.received.length > 0} fallback={<Spinner />}>
					<Show when={props.received.length > 0} fallback={<EmptyState title="No services received yet">No provider offers {account().name} services yet.</EmptyState>}>
						<table class="table">
							<thead>
								<tr>
									<th scope="col">Provider</th>
									<th scope="col">SLA</th>
									<th scope="col">Service</th>
									<th scope="col">Status</th>
									<th scope="col">Dates</th>
								</tr>
							</thead>
							<tbody>
								<For each={props.received}>
									{(r) => (
										<tr>
											<td data-label="Provider">{r.provider.name}</td>
											<td data-label="SLA">
												<strong>{r.name}</strong>
											</td>
											<td data-label="Service">
												{r.serviceName} · {r.offeringName}
											</td>
											<td data-label="Status">
												<StatusBadge tone={SLA_STATUS[r.status].tone}>{SLA_STATUS[r.status].label}</StatusBadge>
											</td>
											<td data-label="Dates">
												<span class="dates">
													<span>
														<span class="muted">Start</span> {formatDay(r.startDate)}
													</span>
													<Show when={r.noticeDate}>
														<span>
															<span class="muted">Notice</span> {formatDay(r.noticeDate)}
														</span>
													</Show>
													<span>
														<span class="muted">Expiry</span> {formatDay(r.expiryDate)}
													</span>
												</span>
											</td>
										</tr>
									)}
								</For>
							</tbody>
						</table>
					</Show>
				</Show>
			</div>
		</section>
	);
}

function SlaDialog(props: {
	sla: Sla | null;
	model: Model;
	teams: Team[];
	customers: Trust[];
	onClose: () => void;
	onSaved: () => Promise<void>;
}) {
	const { account } = useAccount();
	const s = props.sla;
	const offeringLabel = (o: ServiceOffering) => `${props.model.services.find((x) => x.id === o.serviceId)?.name ?? "?"} · ${o.name}`;
	const firstOffering = props.model.offerings[0];
	const [offeringId, setOfferingId] = createSignal(s?.offeringId ?? firstOffering?.id ?? "");
	const instancesOf = (id: string) => {
		const o = props.model.offerings.find((x) => x.id === id);
		return props.model.instances.filter((i) => i.serviceId === o?.serviceId);
	};
	const [instanceId, setInstanceId] = createSignal(s?.serviceInstanceId ?? instancesOf(offeringId())[0]?.id ?? "");
	const [customerId, setCustomerId] = createSignal(s?.customer.id ?? props.customers[0]?.account.id ?? "");
	const [name, setName] = createSignal(s?.name ?? "");
	const [coverageType, setCoverageType] = createSignal<Coverage["type"]>(s?.coverage.type ?? "customer_account");
	const [personIds, setPersonIds] = createSignal<string[]>(s?.coverage.type === "people" ? [...s.coverage.personIds] : []);
	const [startDate, setStartDate] = createSignal(s?.startDate ?? todayIn(account().timeZone));
	const [noticeDate, setNoticeDate] = createSignal(s?.noticeDate ?? "");
	const [expiryDate, setExpiryDate] = createSignal(s?.expiryDate ?? "");
	const [teamId, setTeamId] = createSignal(s?.teamId ?? "");
	const form = createSubmission();

	const [people] = createResource(
		() => (coverageType() === "people" && customerId() ? { accountId: account().id, other: customerId() } : undefined),
		({ accountId, other }) => requestAll((query) => api.accounts[":accountId"].trusts[":otherAccountId"].people.$get({ param: { accountId, otherAccountId: other }, query })),
	);

	const onOffering = (id: string) => {
		setOfferingId(id);
		if (!instancesOf(id).some((i) => i.id === instanceId())) setInstanceId(instancesOf(id)[0]?.id ?? "");
	};
	const onCustomer = (id: string) => {
		setCustomerId(id);
		setPersonIds([]);
	};
	const customerName = () => props.customers.find((c) => c.account.id === customerId())?.account.name ?? s?.customer.name ?? "the customer";
	const instance = () => props.model.instances.find((i) => i.id === instanceId());
	const firstLineName = () => props.teams.find((t) => t.id === instance()?.firstLineTeamId)?.name;
	const teamOptions = () => [
		{ value: "", label: firstLineName() ? `The instance's first-line team (${firstLineName()})` : "The instance's first-line team" },
		...props.teams.map((t) => ({ value: t.id, label: t.name })),
	];
	const dateProblems = createMemo(() => {
		const out = new Map<string, string>();
		if (!startDate()) return out;
		for (const p of agreementDateProblems({ startDate: startDate(), noticeDate: noticeDate() || null, expiryDate: expiryDate() || null })) {
			if (!out.has(p.path)) out.set(p.path, p.message);
		}
		return out;
	});
	const dateError = (path: string) => dateProblems().get(path) ?? form.field(path);
	const active = s?.status === "active";

	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		if (dateProblems().size > 0) return;
		void form.run(undefined, async () => {
			const coverage: Coverage = coverageType() === "people" ? { type: "people", personIds: personIds() } : { type: "customer_account" };
			const dates = { startDate: startDate(), noticeDate: noticeDate() || null, expiryDate: expiryDate() || null };
			if (s) {
				// Only what changed: the SLA's history names the fields that were changed.
				const json: UpdateSlaInput = {};
				if (name() !== s.name) json.name = name();
				if (JSON.stringify(coverage) !== JSON.stringify(s.coverage)) json.coverage = coverage;
				if ((teamId() || null) !== s.teamId) json.teamId = teamId() || null;
				if (dates.startDate !== s.startDate) json.startDate = dates.startDate;
				if (dates.noticeDate !== s.noticeDate) json.noticeDate = dates.noticeDate;
				if (dates.expiryDate !== s.expiryDate) json.expiryDate = dates.expiryDate;
				if (Object.keys(json).length > 0) {
					await request(api.accounts[":accountId"].slas[":slaId"].$patch({ param: { accountId: account().id, slaId: s.id }, json }));
					notify(`${name()} was saved.`);
				}
			} else {
				const created = await request(
					api.accounts[":accountId"].slas.$post({
						param: { accountId: account().id },
						json: {
							...(name().trim() ? { name: name() } : {}),
							offeringId: offeringId(),
							serviceInstanceId: instanceId(),
							customerAccountId: customerId(),
							coverage,
							teamId: teamId() || null,
							...dates,
						},
					}),
				);
				notify(`${created.name} was created. Schedule or activate it when it is ready.`);
			}
			await props.onSaved();
		});
	};

	const offeringOptions = () => props.model.offerings.map((o) => ({ value: o.id, label: offeringLabel(o) }));
	const instanceOptions = () => instancesOf(offeringId()).map((i) => ({ value: i.id, label: i.name }));
	const customerOptions = () => props.customers.map((c) => ({ value: c.account.id, label: `${c.account.name} (${c.account.id})` }));
	const cannotCreate = () =>
		s ? null : props.customers.length === 0 ? "customers" : props.model.offerings.length === 0 ? "offerings" : instanceOptions().length === 0 ? "instances" : null;

	return (
		<Dialog
			open
			onOpenChange={(o) => !o && props.onClose()}
			title={s ? `Edit ${s.name}` : "New SLA"}
			description={s ? undefined : "Offer one of your service offerings to a customer. It starts being prepared; schedule or activate it when it is ready."}
		>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<Show when={cannotCreate() === "customers"}>
					<Alert kind="info">
						No account trusts {account().name} as its provider yet. A customer asks for a trust, or you ask it on the <A href={`/${account().id}/trusts`}>Trusts</A> page.
					</Alert>
				</Show>
				<Show when={cannotCreate() === "offerings"}>
					<Alert kind="info">
						There are no service offerings yet. Define one on the <A href={`/${account().id}/services`}>Services</A> page.
					</Alert>
				</Show>
				<Show when={!s}>
					<SelectField id="sla-offering" label="Service offering" value={offeringId()} onChange={onOffering} options={offeringOptions()} error={form.field("offeringId")} />
					<SelectField
						id="sla-instance"
						label="Service instance"
						value={instanceId()}
						onChange={setInstanceId}
						options={instanceOptions()}
						error={form.field("serviceInstanceId") ?? (cannotCreate() === "instances" ? "The offering's service has no instance yet." : undefined)}
						description="Only instances of the offering's service."
					/>
					<SelectField
						id="sla-customer"
						label="Customer"
						value={customerId()}
						onChange={onCustomer}
						options={customerOptions()}
						error={form.field("customerAccountId")}
						description="Accounts with an active trust in which you are the provider."
					/>
				</Show>
				<TextField
					label={s ? "Name" : "Name (optional)"}
					value={name()}
					onInput={setName}
					error={form.field("name")}
					autocomplete="off"
					placeholder={s ? undefined : `${props.model.offerings.find((o) => o.id === offeringId())?.name ?? "Offering"} for ${customerName()}`}
				/>
				<RadioGroup
					legend="Who it covers"
					value={coverageType()}
					onChange={setCoverageType}
					error={form.under("coverage")}
					options={[
						{ value: "customer_account", label: `Everyone at ${customerName()}` },
						{ value: "people", label: "Selected people" },
					]}
				/>
				<Show when={coverageType() === "people"}>
					<Show when={!people.loading} fallback={<Spinner label="Loading people…" />}>
						<Show when={!people.error} fallback={<Alert kind="error">Could not load the people of {customerName()}: {messageOf(people.error)}</Alert>}>
							<CheckboxGroup
								legend={`People of ${customerName()}`}
								options={(people() ?? []).map((p) => ({ value: p.id, label: p.name, description: p.email }))}
								selected={personIds()}
								onChange={setPersonIds}
								error={form.under("coverage.personIds")}
								scroll
							/>
						</Show>
					</Show>
				</Show>
				<div class="grid-3">
					<DateField id="sla-start" label="Start date" value={startDate()} onChange={setStartDate} error={dateError("startDate")} required disabled={active} />
					<DateField id="sla-notice" label="Notice date (optional)" value={noticeDate()} onChange={setNoticeDate} error={dateError("noticeDate")} />
					<DateField id="sla-expiry" label="Expiry date (optional)" value={expiryDate()} onChange={setExpiryDate} error={dateError("expiryDate")} />
				</div>
				<Show when={active}>
					<p class="field-description">The SLA is active, so its start date stays. An expiry date ends it at the end of that day.</p>
				</Show>
				<SelectField
					id="sla-team"
					label="Team for this customer's requests"
					value={teamId()}
					onChange={setTeamId}
					options={teamOptions()}
					error={form.field("teamId")}
				/>
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy() || cannotCreate() !== null}>
						{s ? "Save SLA" : "Create SLA"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

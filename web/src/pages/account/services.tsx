// Services this account provides: each with its service instances (where it runs, which teams
// support it) and its service offerings (what it promises: targets per impact and support hours).
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { Team } from "../../../../worker/shared/api";
import type { Service, ServiceInstance, ServiceOffering } from "../../../../worker/shared/service-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import {
	IMPACT_LABELS,
	IMPACT_ORDER,
	INSTANCE_STATUS,
	OFFERING_STATUS,
	targetDuration,
	weeklyHours,
	type InstanceStatus,
	type OfferingStatus,
} from "../../lib/services";
import { StatusBadge } from "../../ui/badge";
import { Confirm, Dialog } from "../../ui/dialog";
import { SelectField, TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";
import {
	calendarDraftProblems,
	calendarOfDraft,
	CalendarEditor,
	DEFAULT_TARGETS,
	draftOfCalendar,
	draftOfTargets,
	OFFICE_HOURS,
	targetsOfDraft,
	targetsProblems,
	TargetsEditor,
	warningOfDraft,
	type CalendarDraft,
	type TargetsDraft,
} from "./service-editors";

type Editing =
	| { kind: "service"; service: Service | null }
	| { kind: "instance"; service: Service; instance: ServiceInstance | null }
	| { kind: "offering"; service: Service; offering: ServiceOffering | null };

export default function ServicesPage() {
	const { account, can } = useAccount();
	const [model, { refetch }] = createResource(
		() => account().id,
		(accountId) => request(api.accounts[":accountId"]["service-model"].$get({ param: { accountId } })),
	);
	const [teams] = createResource(
		() => (can("teams:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].teams.$get({ param: { accountId }, query })),
	);
	const [editing, setEditing] = createSignal<Editing | null>(null);
	const teamName = (id: string | null) => (id ? (teams()?.find((t) => t.id === id)?.name ?? "Unknown team") : "—");

	const remove = async (what: "services" | "service-instances" | "service-offerings", id: string, name: string) => {
		const param = { accountId: account().id, id };
		if (what === "services") await request(api.accounts[":accountId"].services[":id"].$delete({ param }));
		else if (what === "service-instances") await request(api.accounts[":accountId"]["service-instances"][":id"].$delete({ param }));
		else await request(api.accounts[":accountId"]["service-offerings"][":id"].$delete({ param }));
		notify(`${name} was deleted.`);
		await refetch();
	};

	return (
		<>
			<PageHeader
				title="Services"
				subtitle={`What ${account().name} provides: each service, where it runs (service instances) and what it promises (service offerings). SLAs offer them to customers.`}
				actions={
					<Show when={can("services:write")}>
						<button type="button" class="btn btn-primary" onClick={() => setEditing({ kind: "service", service: null })}>
							New service
						</button>
					</Show>
				}
			/>
			<Show when={model.error}>
				<Alert kind="error">Could not load services: {messageOf(model.error)}</Alert>
			</Show>
			<Show when={!model.loading || model()} fallback={<Spinner />}>
				<Show
					when={(model()?.services ?? []).length > 0}
					fallback={
						<div class="card">
							<EmptyState
								title="No services yet"
								action={
									<Show when={can("services:write")}>
										<button type="button" class="btn btn-primary" onClick={() => setEditing({ kind: "service", service: null })}>
											Define the first service
										</button>
									</Show>
								}
							>
								Define a service such as “Email”, where it runs, and what each offering promises.
							</EmptyState>
						</div>
					}
				>
					<For each={model()?.services}>
						{(service) => (
							<ServiceCard
								service={service}
								instances={(model()?.instances ?? []).filter((i) => i.serviceId === service.id)}
								offerings={(model()?.offerings ?? []).filter((o) => o.serviceId === service.id)}
								teamName={teamName}
								onEdit={(e) => setEditing(e)}
								onDelete={remove}
							/>
						)}
					</For>
				</Show>
			</Show>
			<Show when={editing()} keyed>
				{(e) => {
					const done = async () => {
						setEditing(null);
						await refetch();
					};
					const close = () => setEditing(null);
					if (e.kind === "service") return <ServiceDialog service={e.service} onClose={close} onSaved={done} />;
					if (e.kind === "instance") return <InstanceDialog service={e.service} instance={e.instance} teams={teams() ?? []} onClose={close} onSaved={done} />;
					return <OfferingDialog service={e.service} offering={e.offering} onClose={close} onSaved={done} />;
				}}
			</Show>
		</>
	);
}

function ServiceCard(props: {
	service: Service;
	instances: ServiceInstance[];
	offerings: ServiceOffering[];
	teamName: (id: string | null) => string;
	onEdit: (e: Editing) => void;
	onDelete: (what: "services" | "service-instances" | "service-offerings", id: string, name: string) => Promise<void>;
}) {
	const { can } = useAccount();
	const s = () => props.service;
	const headingId = () => `service-${s().id}`;
	return (
		<section class="card" aria-labelledby={headingId()}>
			<div class="card-header">
				<h2 id={headingId()}>{s().name}</h2>
				<span class="spacer" />
				<Show when={can("services:write")}>
					<div class="item-actions">
						<button type="button" class="btn btn-sm" onClick={() => props.onEdit({ kind: "service", service: s() })} aria-label={`Edit service ${s().name}`}>
							Edit
						</button>
						<Confirm
							title={`Delete the service ${s().name}?`}
							description="Only a service without instances and offerings can be deleted."
							confirmLabel="Delete service"
							onConfirm={() => props.onDelete("services", s().id, s().name)}
							triggerLabel="Delete"
							triggerAriaLabel={`Delete service ${s().name}`}
						/>
					</div>
				</Show>
			</div>
			<div class="card-body stack">
				<Show when={s().description}>
					<p class="muted">{s().description}</p>
				</Show>

				<div class="stack-sm">
					<div class="row">
						<h3 class="spacer">Service instances</h3>
						<Show when={can("services:write")}>
							<button type="button" class="btn btn-sm" onClick={() => props.onEdit({ kind: "instance", service: s(), instance: null })} aria-label={`Add an instance of ${s().name}`}>
								Add instance
							</button>
						</Show>
					</div>
					<Show when={props.instances.length > 0} fallback={<p class="muted">No instances yet. An instance is where the service runs, with the teams that support it.</p>}>
						<table class="table table-inset">
							<thead>
								<tr>
									<th scope="col">Instance</th>
									<th scope="col">Status</th>
									<th scope="col">First line</th>
									<th scope="col">Support</th>
									<Show when={can("services:write")}>
										<th scope="col" class="actions">
											<span class="visually-hidden">Actions</span>
										</th>
									</Show>
								</tr>
							</thead>
							<tbody>
								<For each={props.instances}>
									{(i) => (
										<tr>
											<td data-label="Instance">
												<strong>{i.name}</strong>
											</td>
											<td data-label="Status">
												<StatusBadge tone={INSTANCE_STATUS[i.status].tone}>{INSTANCE_STATUS[i.status].label}</StatusBadge>
											</td>
											<td data-label="First line">{props.teamName(i.firstLineTeamId)}</td>
											<td data-label="Support">{props.teamName(i.supportTeamId)}</td>
											<Show when={can("services:write")}>
												<td class="actions">
													<div class="row row-end">
														<button type="button" class="btn btn-sm" onClick={() => props.onEdit({ kind: "instance", service: s(), instance: i })} aria-label={`Edit instance ${i.name}`}>
															Edit
														</button>
														<Confirm
															title={`Delete the instance ${i.name}?`}
															description="Only an instance no SLA refers to can be deleted."
															confirmLabel="Delete instance"
															onConfirm={() => props.onDelete("service-instances", i.id, i.name)}
															triggerLabel="Delete"
															triggerAriaLabel={`Delete instance ${i.name}`}
														/>
													</div>
												</td>
											</Show>
										</tr>
									)}
								</For>
							</tbody>
						</table>
					</Show>
				</div>

				<div class="stack-sm">
					<div class="row">
						<h3 class="spacer">Service offerings</h3>
						<Show when={can("services:write")}>
							<button type="button" class="btn btn-sm" onClick={() => props.onEdit({ kind: "offering", service: s(), offering: null })} aria-label={`Add an offering of ${s().name}`}>
								Add offering
							</button>
						</Show>
					</div>
					<Show when={props.offerings.length > 0} fallback={<p class="muted">No offerings yet. An offering says what the service promises: targets and support hours.</p>}>
						<ul class="offering-list">
							<For each={props.offerings}>
								{(o) => (
									<li class="offering">
										<div class="item-head">
											<h4>{o.name}</h4>
											<StatusBadge tone={OFFERING_STATUS[o.status].tone}>{OFFERING_STATUS[o.status].label}</StatusBadge>
											<span class="spacer" />
											<Show when={can("services:write")}>
												<div class="item-actions">
													<button type="button" class="btn btn-sm" onClick={() => props.onEdit({ kind: "offering", service: s(), offering: o })} aria-label={`Edit offering ${o.name}`}>
														Edit
													</button>
													<Confirm
														title={`Delete the offering ${o.name}?`}
														description="Only an offering no SLA is based on can be deleted."
														confirmLabel="Delete offering"
														onConfirm={() => props.onDelete("service-offerings", o.id, o.name)}
														triggerLabel="Delete"
														triggerAriaLabel={`Delete offering ${o.name}`}
													/>
												</div>
											</Show>
										</div>
										<Show when={o.summary}>
											<p>{o.summary}</p>
										</Show>
										<OfferingFacts offering={o} />
									</li>
								)}
							</For>
						</ul>
					</Show>
				</div>
			</div>
		</section>
	);
}

/** Targets and support hours of an offering, compactly. */
export function OfferingFacts(props: { offering: Pick<ServiceOffering, "targets" | "supportHours"> & Partial<Pick<ServiceOffering, "warningPercent">> }) {
	const t = () => props.offering.targets;
	const hours = () => weeklyHours(props.offering.supportHours);
	return (
		<div class="offering-facts">
			<table class="mini-table">
				<caption class="visually-hidden">Targets per impact</caption>
				<thead>
					<tr>
						<th scope="col">Impact</th>
						<th scope="col">Response</th>
						<th scope="col">Resolution</th>
					</tr>
				</thead>
				<tbody>
					<For each={IMPACT_ORDER}>
						{(impact) => (
							<tr>
								<th scope="row">{IMPACT_LABELS[impact]}</th>
								<td>{targetDuration(t()[impact].response) ?? "best effort"}</td>
								<td>{targetDuration(t()[impact].resolution) ?? "best effort"}</td>
							</tr>
						)}
					</For>
				</tbody>
			</table>
			<div class="stack-sm">
				<div>
					<span class="muted">Support hours </span>
					<span class="muted">({props.offering.supportHours.timeZone})</span>
					<ul class="plain">
						<For each={hours()}>
							{(h) => (
								<li>
									<strong>{h.days}</strong> {h.hours}
								</li>
							)}
						</For>
					</ul>
				</div>
				<Show when={props.offering.supportHours.holidays.length > 0}>
					<span class="muted">
						{props.offering.supportHours.holidays.length === 1 ? "1 holiday" : `${props.offering.supportHours.holidays.length} holidays`}
					</span>
				</Show>
				<Show when={props.offering.warningPercent}>
					{(w) => <span class="muted">Warns at {w()}% of a target</span>}
				</Show>
			</div>
		</div>
	);
}

function ServiceDialog(props: { service: Service | null; onClose: () => void; onSaved: () => Promise<void> }) {
	const { account } = useAccount();
	const [name, setName] = createSignal(props.service?.name ?? "");
	const [description, setDescription] = createSignal(props.service?.description ?? "");
	const form = createSubmission();
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const json = { name: name(), description: description() };
			if (props.service) {
				await request(api.accounts[":accountId"].services[":id"].$patch({ param: { accountId: account().id, id: props.service.id }, json }));
				notify(`Service ${name()} was saved.`);
			} else {
				await request(api.accounts[":accountId"].services.$post({ param: { accountId: account().id }, json }));
				notify(`Service ${name()} was created.`);
			}
			await props.onSaved();
		});
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={props.service ? `Edit service ${props.service.name}` : "New service"}>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField label="Service name" value={name()} onInput={setName} error={form.field("name")} required autocomplete="off" placeholder="Email" />
				<TextField label="Description" value={description()} onInput={setDescription} error={form.field("description")} multiline />
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{props.service ? "Save service" : "Create service"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

const INSTANCE_STATUS_OPTIONS = (Object.keys(INSTANCE_STATUS) as InstanceStatus[]).map((s) => ({ value: s, label: INSTANCE_STATUS[s].label }));

function InstanceDialog(props: { service: Service; instance: ServiceInstance | null; teams: Team[]; onClose: () => void; onSaved: () => Promise<void> }) {
	const { account } = useAccount();
	const [name, setName] = createSignal(props.instance?.name ?? "");
	const [status, setStatus] = createSignal<InstanceStatus>(props.instance?.status ?? "in_production");
	const [firstLine, setFirstLine] = createSignal(props.instance?.firstLineTeamId ?? "");
	const [support, setSupport] = createSignal(props.instance?.supportTeamId ?? "");
	const form = createSubmission();
	const teamOptions = createMemo(() => [{ value: "", label: "No team" }, ...props.teams.map((t) => ({ value: t.id, label: t.name }))]);
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const json = { name: name(), status: status(), firstLineTeamId: firstLine() || null, supportTeamId: support() || null };
			if (props.instance) {
				await request(api.accounts[":accountId"]["service-instances"][":id"].$patch({ param: { accountId: account().id, id: props.instance.id }, json }));
				notify(`Instance ${name()} was saved.`);
			} else {
				await request(api.accounts[":accountId"]["service-instances"].$post({ param: { accountId: account().id }, json: { ...json, serviceId: props.service.id } }));
				notify(`Instance ${name()} was added to ${props.service.name}.`);
			}
			await props.onSaved();
		});
	return (
		<Dialog
			open
			onOpenChange={(o) => !o && props.onClose()}
			title={props.instance ? `Edit instance ${props.instance.name}` : `New instance of ${props.service.name}`}
			description="The first-line team gets requests for this instance, unless an SLA names another team."
		>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField label="Instance name" value={name()} onInput={setName} error={form.field("name")} required autocomplete="off" placeholder={`${props.service.name} Production`} />
				<SelectField id="instance-status" label="Status" value={status()} onChange={(v) => setStatus(v as InstanceStatus)} options={INSTANCE_STATUS_OPTIONS} error={form.field("status")} />
				<Show when={props.teams.length > 0} fallback={<Alert kind="info">This account has no teams yet. Create teams first to give the instance a first-line and a support team.</Alert>}>
					<SelectField id="instance-first-line" label="First-line team" value={firstLine()} onChange={setFirstLine} options={teamOptions()} error={form.field("firstLineTeamId")} />
					<SelectField id="instance-support" label="Support team" value={support()} onChange={setSupport} options={teamOptions()} error={form.field("supportTeamId")} />
				</Show>
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{props.instance ? "Save instance" : "Add instance"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

const OFFERING_STATUS_OPTIONS = (Object.keys(OFFERING_STATUS) as OfferingStatus[]).map((s) => ({ value: s, label: OFFERING_STATUS[s].label }));

function OfferingDialog(props: { service: Service; offering: ServiceOffering | null; onClose: () => void; onSaved: () => Promise<void> }) {
	const { account } = useAccount();
	const o = props.offering;
	const [name, setName] = createSignal(o?.name ?? "");
	const [status, setStatus] = createSignal<OfferingStatus>(o?.status ?? "available");
	const [summary, setSummary] = createSignal(o?.summary ?? "");
	const [targets, setTargets] = createSignal<TargetsDraft>(draftOfTargets(o?.targets ?? DEFAULT_TARGETS));
	const [warning, setWarning] = createSignal(String(o?.warningPercent ?? 80));
	const [calendar, setCalendar] = createSignal<CalendarDraft>(
		o ? draftOfCalendar(o.supportHours) : { timeZone: account().timeZone, hours: OFFICE_HOURS.map((h) => ({ ...h })), holidays: [] },
	);
	const [strict, setStrict] = createSignal(false);
	const [clientError, setClientError] = createSignal("");
	const form = createSubmission();

	const targetProblems = createMemo(() => targetsProblems(targets()));
	const calendarProblemsNow = createMemo(() => calendarDraftProblems(calendar(), strict()));
	/** Client problems first (they are current), then what the server said at the last save. */
	const targetError = (path: string) => targetProblems().get(path) ?? form.under(`targets.${path}`);
	const calendarError = (path: string) => {
		const mine = calendarProblemsNow();
		if (mine.has(path)) return mine.get(path);
		for (const [k, v] of mine) if (k.startsWith(`${path}.`)) return v;
		return form.under(`supportHours.${path}`);
	};
	const warningProblem = () => {
		const w = warningOfDraft(warning());
		return "problem" in w ? w.problem : undefined;
	};
	/** Server messages that no field shows (e.g. a path the editors do not know). */
	const otherErrors = () =>
		form.fields().filter((f) => !["name", "status", "summary", "warningPercent"].includes(f.path) && !f.path.startsWith("targets.") && !f.path.startsWith("supportHours."));

	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		setStrict(true);
		setClientError("");
		if (targetsProblems(targets()).size > 0 || calendarDraftProblems(calendar(), true).size > 0 || warningProblem()) {
			setClientError(warningProblem() ? "Please correct the highlighted fields." : "Please correct the highlighted targets and support hours.");
			// The first field to fix gets the focus, wherever the dialog is scrolled.
			const formEl = e.currentTarget as HTMLFormElement;
			setTimeout(() => formEl.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
			return;
		}
		void form.run(undefined, async () => {
			const warningPercent = Number.parseInt(warning().trim(), 10);
			const json = { name: name(), status: status(), summary: summary(), targets: targetsOfDraft(targets()), supportHours: calendarOfDraft(calendar()), warningPercent };
			if (o) {
				await request(api.accounts[":accountId"]["service-offerings"][":id"].$patch({ param: { accountId: account().id, id: o.id }, json }));
				notify(`Offering ${name()} was saved.`);
			} else {
				await request(api.accounts[":accountId"]["service-offerings"].$post({ param: { accountId: account().id }, json: { ...json, serviceId: props.service.id } }));
				notify(`Offering ${name()} was added to ${props.service.name}.`);
			}
			await props.onSaved();
		});
	};

	return (
		<Dialog
			open
			wide
			onOpenChange={(open) => !open && props.onClose()}
			title={o ? `Edit offering ${o.name}` : `New offering of ${props.service.name}`}
			description="What customers are promised: response and resolution targets per impact, within the support hours."
		>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={clientError() || form.error()}>
					<Alert kind="error">
						{clientError() || form.error()}
						<Show when={otherErrors().length > 0}>
							<ul>
								<For each={otherErrors()}>
									{(f) => (
										<li>
											<code>{f.path}</code>: {f.message}
										</li>
									)}
								</For>
							</ul>
						</Show>
					</Alert>
				</Show>
				<div class="grid-2">
					<TextField label="Offering name" value={name()} onInput={setName} error={form.field("name")} required autocomplete="off" placeholder={`${props.service.name} Gold`} />
					<SelectField id="offering-status" label="Status" value={status()} onChange={(v) => setStatus(v as OfferingStatus)} options={OFFERING_STATUS_OPTIONS} error={form.field("status")} />
				</div>
				<TextField label="Summary" value={summary()} onInput={setSummary} error={form.field("summary")} multiline description="One or two sentences customers read in their service catalog." />
				<TargetsEditor value={targets()} onChange={setTargets} error={targetError} idPrefix="offering-targets" />
				<div class="narrow-field">
					<TextField
						label="Warn at (% of target)"
						name="warningPercent"
						value={warning()}
						onInput={setWarning}
						inputMode="numeric"
						maxLength={2}
						autocomplete="off"
						error={(strict() ? warningProblem() : undefined) ?? form.field("warningPercent")}
						description="The SLA clock records a warning when this share of a response or resolution target has passed (1–99)."
					/>
				</div>
				<CalendarEditor value={calendar()} onChange={setCalendar} error={calendarError} idPrefix="offering-calendar" />
				<Show when={clientError() || form.error()}>
					<p class="field-error" aria-hidden="true">
						{clientError() || form.error()}
					</p>
				</Show>
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{o ? "Save offering" : "Add offering"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

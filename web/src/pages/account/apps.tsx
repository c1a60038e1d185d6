// Apps between accounts. As a customer: the apps this account's providers publish to it, install
// (a configuration form; secret fields are write-only), the installed ones with their scopes and
// last use, Approve update, Uninstall. As a provider: this account's app offerings (create, edit,
// publish) and who installed them. One lazy page; everything here loads only when it is opened.
import { createResource, createSignal, For, Index, Show } from "solid-js";
import type { AppConfigField, AppInstallation, AppOffering, AvailableApp } from "../../../../worker/shared/app-api";
import { SCOPE_LABELS, SCOPES, type Scope } from "../../../../worker/shared/roles";
import { api, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { formatDate, formatDateTime } from "../../lib/format";
import { Checkbox, CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { SelectField, TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const SCOPE_OPTIONS = SCOPES.map((s) => ({ value: s, label: s, description: SCOPE_LABELS[s] }));
const FIELD_TYPES = [
	{ value: "text", label: "Text" },
	{ value: "secret", label: "Secret (write-only)" },
	{ value: "url", label: "URL" },
];

function Scopes(props: { scopes: readonly string[] }) {
	return (
		<div class="badges">
			<For each={props.scopes}>{(s) => <span class="badge mono" title={SCOPE_LABELS[s as Scope]}>{s}</span>}</For>
		</div>
	);
}

export default function AppsPage() {
	const { account } = useAccount();
	const accountId = () => account().id;
	const [installed, installedActions] = createResource(accountId, (id) => requestAll((query) => api.accounts[":accountId"]["app-installations"].$get({ param: { accountId: id }, query: { ...query, status: "active" } })));
	const [available, availableActions] = createResource(accountId, (id) => requestAll((query) => api.accounts[":accountId"]["available-apps"].$get({ param: { accountId: id }, query })));
	const [offerings, offeringActions] = createResource(accountId, (id) => requestAll((query) => api.accounts[":accountId"]["app-offerings"].$get({ param: { accountId: id }, query })));
	const [installing, setInstalling] = createSignal<AvailableApp | null>(null);
	const [editing, setEditing] = createSignal<AppOffering | "new" | null>(null);
	const [publishing, setPublishing] = createSignal<AppOffering | null>(null);
	const [watching, setWatching] = createSignal<AppOffering | null>(null);

	const refreshCustomer = async () => {
		await Promise.all([installedActions.refetch(), availableActions.refetch()]);
	};

	const uninstall = async (i: AppInstallation) => {
		await request(api.accounts[":accountId"]["app-installations"][":installationId"].$delete({ param: { accountId: accountId(), installationId: i.id } }));
		notify(`${i.name} was uninstalled; its token no longer works.`);
		await refreshCustomer();
	};

	const approve = async (i: AppInstallation) => {
		await request(api.accounts[":accountId"]["app-installations"][":installationId"]["approve-update"].$post({ param: { accountId: accountId(), installationId: i.id } }));
		notify(`${i.name} was updated.`);
		await refreshCustomer();
	};

	return (
		<>
			<PageHeader title="Apps" subtitle={`Integrations between ${account().name} and the accounts it works with. An app's token can do exactly what its scopes say, never more.`} />

			<section class="card stack" aria-labelledby="installed-apps-title">
				<h2 id="installed-apps-title">Installed apps</h2>
				<Show when={!installed.loading || installed()} fallback={<Spinner />}>
					<Show when={(installed() ?? []).length > 0} fallback={<EmptyState title="No apps installed">Apps your providers offer are listed below.</EmptyState>}>
						<table class="table" aria-label="Installed apps">
							<thead>
								<tr>
									<th scope="col">App</th>
									<th scope="col">Version</th>
									<th scope="col">Scopes</th>
									<th scope="col">Installed</th>
									<th scope="col">Last use</th>
									<th scope="col" class="actions">
										<span class="visually-hidden">Actions</span>
									</th>
								</tr>
							</thead>
							<tbody>
								<For each={installed()}>
									{(i) => (
										<tr data-testid="app-installation" aria-label={i.name}>
											<td data-label="App">
												<strong>{i.name}</strong>
												<div class="muted">from {i.provider.name}</div>
												<Show when={i.pendingUpdate}>
													{(u) => (
														<div role="status">
															<span class="badge badge-warning">Update waiting for approval</span>{" "}
															<span class="muted">
																version {u().version} also needs <Scopes scopes={u().addedScopes} />
															</span>
														</div>
													)}
												</Show>
											</td>
											<td data-label="Version">{i.version}</td>
											<td data-label="Scopes">
												<Scopes scopes={i.scopes} />
											</td>
											<td data-label="Installed">
												{formatDate(i.installedAt)}
												<div class="muted">by {i.installedBy.name}</div>
											</td>
											<td data-label="Last use">{i.lastUsedAt ? formatDateTime(i.lastUsedAt) : "Never"}</td>
											<td class="actions">
												<Show when={i.pendingUpdate}>
													<Confirm
														title={`Approve ${i.name} version ${i.pendingUpdate?.version}?`}
														description={`Its token will also be able to: ${(i.pendingUpdate?.addedScopes ?? []).map((s) => SCOPE_LABELS[s]).join("; ")}.`}
														confirmLabel="Approve update"
														onConfirm={() => approve(i)}
														triggerLabel="Approve update"
														triggerAriaLabel={`Approve the update of ${i.name}`}
													/>
												</Show>
												<Confirm
													title={`Uninstall ${i.name}?`}
													description="Its token is revoked at once and it stops receiving this account's events."
													confirmLabel="Uninstall"
													onConfirm={() => uninstall(i)}
													triggerLabel="Uninstall"
													triggerAriaLabel={`Uninstall ${i.name}`}
												/>
											</td>
										</tr>
									)}
								</For>
							</tbody>
						</table>
					</Show>
				</Show>
			</section>

			<section class="card stack" aria-labelledby="available-apps-title">
				<h2 id="available-apps-title">Available apps</h2>
				<Show when={!available.loading || available()} fallback={<Spinner />}>
					<Show when={(available() ?? []).length > 0} fallback={<EmptyState title="No apps offered">Providers this account trusts can publish apps to it.</EmptyState>}>
						<ul class="item-list" aria-label="Available apps">
							<For each={available()}>
								{(a) => (
									<li class="card" aria-label={a.name}>
										<div class="row">
											<div class="spacer">
												<strong>{a.name}</strong> <span class="muted">version {a.version}, from {a.provider.name}</span>
												<Show when={a.description}>
													<p>{a.description}</p>
												</Show>
												<Scopes scopes={a.scopes} />
												<Show when={a.events.length > 0}>
													<p class="muted">Follows this account's events: {a.events.join(", ")}</p>
												</Show>
											</div>
											<Show when={!a.installationId} fallback={<span class="badge">Installed</span>}>
												<button type="button" class="btn btn-primary" onClick={() => setInstalling(a)} aria-label={`Install ${a.name}`}>
													Install
												</button>
											</Show>
										</div>
									</li>
								)}
							</For>
						</ul>
					</Show>
				</Show>
			</section>

			<section class="card stack" aria-labelledby="offerings-title">
				<div class="row">
					<h2 id="offerings-title" class="spacer">
						Apps this account offers
					</h2>
					<button type="button" class="btn" onClick={() => setEditing("new")}>
						New app offering
					</button>
				</div>
				<Show when={!offerings.loading || offerings()} fallback={<Spinner />}>
					<Show when={(offerings() ?? []).length > 0} fallback={<EmptyState title="No app offerings">Offer an integration to the accounts that trust this one.</EmptyState>}>
						<table class="table" aria-label="App offerings">
							<thead>
								<tr>
									<th scope="col">App</th>
									<th scope="col">Version</th>
									<th scope="col">Scopes</th>
									<th scope="col">Published to</th>
									<th scope="col">Installations</th>
									<th scope="col" class="actions">
										<span class="visually-hidden">Actions</span>
									</th>
								</tr>
							</thead>
							<tbody>
								<For each={offerings()}>
									{(o) => (
										<tr aria-label={o.name}>
											<td data-label="App">
												<strong>{o.name}</strong>
												<div class="muted mono">{o.endpointUrl}</div>
											</td>
											<td data-label="Version">{o.version}</td>
											<td data-label="Scopes">
												<Scopes scopes={o.scopes} />
											</td>
											<td data-label="Published to">{o.publishedTo === "all" ? "All trusting accounts" : o.publishedTo === "none" ? "Nobody" : o.publishedTo.join(", ")}</td>
											<td data-label="Installations">
												<button type="button" class="btn btn-sm btn-ghost" onClick={() => setWatching(o)} aria-label={`Installations of ${o.name}`}>
													{o.installations}
												</button>
											</td>
											<td class="actions">
												<button type="button" class="btn btn-sm btn-ghost" onClick={() => setPublishing(o)} aria-label={`Publish ${o.name}`}>
													Publish
												</button>
												<button type="button" class="btn btn-sm btn-ghost" onClick={() => setEditing(o)} aria-label={`Edit ${o.name}`}>
													Edit
												</button>
											</td>
										</tr>
									)}
								</For>
							</tbody>
						</table>
					</Show>
				</Show>
			</section>

			<Show when={installing()}>{(a) => <InstallDialog app={a()} onClose={() => setInstalling(null)} onInstalled={() => void refreshCustomer()} />}</Show>
			<Show when={editing()}>{(o) => <OfferingDialog offering={o() === "new" ? null : (o() as AppOffering)} onClose={() => setEditing(null)} onSaved={() => void offeringActions.refetch()} />}</Show>
			<Show when={publishing()}>{(o) => <PublishDialog offering={o()} onClose={() => setPublishing(null)} onSaved={() => void offeringActions.refetch()} />}</Show>
			<Show when={watching()}>{(o) => <SubscribersDialog offering={o()} onClose={() => setWatching(null)} />}</Show>
		</>
	);
}

/** The install dialog: the app's scopes to grant and its configuration form. */
function InstallDialog(props: { app: AvailableApp; onClose: () => void; onInstalled: () => void }) {
	const { account } = useAccount();
	const [values, setValues] = createSignal<Record<string, string>>({});
	const form = createSubmission();
	const set = (key: string, value: string) => setValues({ ...values(), [key]: value });
	const typeOf = (f: AppConfigField) => (f.type === "secret" ? "password" : f.type === "url" ? "url" : "text");
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			await request(
				api.accounts[":accountId"]["app-installations"].$post({
					param: { accountId: account().id },
					json: { providerAccountId: props.app.provider.id, offeringId: props.app.offeringId, config: values() },
				}),
			);
			notify(`${props.app.name} was installed.`);
			props.onInstalled();
			props.onClose();
		});
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={`Install ${props.app.name}`} description={`From ${props.app.provider.name}. Its token in ${account().name} will be able to do exactly this:`}>
			<form class="stack" onSubmit={submit} novalidate aria-label={`Install ${props.app.name}`}>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<ul aria-label="Scopes to grant">
					<For each={props.app.scopes}>
						{(s) => (
							<li>
								<span class="mono">{s}</span> — {SCOPE_LABELS[s]}
							</li>
						)}
					</For>
				</ul>
				<Show when={props.app.events.length > 0}>
					<p class="muted">It will receive this account's events: {props.app.events.join(", ")}.</p>
				</Show>
				<For each={props.app.configFields}>
					{(f) => (
						<TextField
							label={f.label}
							type={typeOf(f)}
							value={values()[f.key] ?? ""}
							onInput={(v) => set(f.key, v)}
							required={f.required}
							error={form.field(`config.${f.key}`)}
							autocomplete="off"
							description={f.type === "secret" ? "Sent to the app once; Trustdesk does not keep it or show it again." : undefined}
						/>
					)}
				</For>
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						Install app
					</button>
				</div>
			</form>
		</Dialog>
	);
}

/** Create or edit an offering; a new one shows its signing secret once. */
function OfferingDialog(props: { offering: AppOffering | null; onClose: () => void; onSaved: () => void }) {
	const { account } = useAccount();
	const o = props.offering;
	const [name, setName] = createSignal(o?.name ?? "");
	const [description, setDescription] = createSignal(o?.description ?? "");
	const [endpointUrl, setEndpointUrl] = createSignal(o?.endpointUrl ?? "");
	const [scopes, setScopes] = createSignal<Scope[]>(o?.scopes ?? []);
	const [events, setEvents] = createSignal((o?.events ?? []).join(", "));
	const [fields, setFields] = createSignal<AppConfigField[]>(o?.configFields ?? []);
	const [secret, setSecret] = createSignal<string | null>(null);
	const form = createSubmission();
	const patchField = (i: number, change: Partial<AppConfigField>) => setFields(fields().map((f, j) => (j === i ? { ...f, ...change } : f)));
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const body = {
				name: name(),
				description: description(),
				endpointUrl: endpointUrl(),
				scopes: scopes(),
				events: events()
					.split(",")
					.map((s) => s.trim())
					.filter(Boolean),
				configFields: fields(),
			};
			if (o) {
				await request(api.accounts[":accountId"]["app-offerings"][":offeringId"].$patch({ param: { accountId: account().id, offeringId: o.id }, json: body }));
				notify(`${body.name} was saved.`);
				props.onSaved();
				props.onClose();
			} else {
				const created = await request(api.accounts[":accountId"]["app-offerings"].$post({ param: { accountId: account().id }, json: body }));
				props.onSaved();
				setSecret(created.signingSecret);
			}
		});
	return (
		<Dialog open onOpenChange={(open) => !open && props.onClose()} title={o ? `Edit ${o.name}` : "New app offering"} wide>
			<Show
				when={secret()}
				fallback={
					<form class="stack" onSubmit={submit} novalidate>
						<Show when={form.error()}>
							<Alert kind="error">{form.error()}</Alert>
						</Show>
						<Show when={o && o.installations > 0}>
							<Alert kind="info">A change of scopes, form, events or endpoint is a new version. Accounts that installed it approve new scopes first.</Alert>
						</Show>
						<TextField label="Name" value={name()} onInput={setName} error={form.field("name")} required autocomplete="off" />
						<TextField label="Description" value={description()} onInput={setDescription} error={form.field("description")} multiline />
						<TextField label="App endpoint URL" type="url" value={endpointUrl()} onInput={setEndpointUrl} error={form.field("endpointUrl")} required description="Receives app.installed (with the token) and app.uninstalled, signed (Standard Webhooks)." />
						<CheckboxGroup legend="Scopes the app needs" options={SCOPE_OPTIONS} selected={scopes()} onChange={setScopes} error={form.under("scopes")} scroll />
						<TextField label="Events it follows" value={events()} onInput={setEvents} error={form.under("events")} description="Comma-separated, e.g. request.*, sla.breached" autocomplete="off" />
						<fieldset class="field">
							<legend class="field-label">Configuration form</legend>
							<Index each={fields()}>
								{(f, i) => (
									<div class="row" role="group" aria-label={`Field ${i + 1}`}>
										<TextField label="Key" value={f().key} onInput={(v) => patchField(i, { key: v })} error={form.under(`configFields.${i}.key`)} autocomplete="off" />
										<TextField label="Label" value={f().label} onInput={(v) => patchField(i, { label: v })} error={form.under(`configFields.${i}.label`)} autocomplete="off" />
										<SelectField id={`field-type-${i}`} label="Type" value={f().type} onChange={(v) => patchField(i, { type: v as AppConfigField["type"] })} options={FIELD_TYPES} />
										<Checkbox label="Required" checked={f().required} onChange={(on) => patchField(i, { required: on })} />
										<button type="button" class="btn btn-sm btn-ghost" onClick={() => setFields(fields().filter((_, j) => j !== i))} aria-label={`Remove field ${i + 1}`}>
											Remove
										</button>
									</div>
								)}
							</Index>
							<button type="button" class="btn btn-sm" onClick={() => setFields([...fields(), { key: "", label: "", type: "text", required: false }])}>
								Add field
							</button>
						</fieldset>
						<div class="dialog-footer">
							<button type="button" class="btn" onClick={props.onClose}>
								Cancel
							</button>
							<button type="submit" class="btn btn-primary" disabled={form.busy()}>
								{o ? "Save" : "Create app offering"}
							</button>
						</div>
					</form>
				}
			>
				{(s) => (
					<div class="stack">
						<Alert kind="warning">Copy the signing secret now: your app verifies every delivery with it. It is not shown again.</Alert>
						<div class="secret" data-testid="app-signing-secret">
							<span class="spacer mono">{s()}</span>
							<button type="button" class="btn btn-sm" onClick={() => void navigator.clipboard?.writeText(s())}>
								Copy
							</button>
						</div>
						<p class="muted">Publish it to make it visible to the accounts that trust {account().name}.</p>
						<div class="dialog-footer">
							<button type="button" class="btn btn-primary" onClick={props.onClose}>
								Done
							</button>
						</div>
					</div>
				)}
			</Show>
		</Dialog>
	);
}

function PublishDialog(props: { offering: AppOffering; onClose: () => void; onSaved: () => void }) {
	const { account } = useAccount();
	const current = props.offering.publishedTo;
	const [mode, setMode] = createSignal(Array.isArray(current) ? "chosen" : current);
	const [chosen, setChosen] = createSignal<string[]>(Array.isArray(current) ? current : []);
	const [trusts] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	const customers = () => (trusts() ?? []).filter((t) => t.status === "active" && t.ourRole === "provider").map((t) => ({ value: t.account.id, label: t.account.name }));
	const form = createSubmission();
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const to = mode() === "chosen" ? chosen() : mode() === "all" ? ("all" as const) : ("none" as const);
			await request(api.accounts[":accountId"]["app-offerings"][":offeringId"].publication.$put({ param: { accountId: account().id, offeringId: props.offering.id }, json: { to } }));
			notify(`${props.offering.name}: publication saved.`);
			props.onSaved();
			props.onClose();
		});
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={`Publish ${props.offering.name}`} description="Only accounts that actively trust this one ever see it.">
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<SelectField
					id="publish-mode"
					label="Published to"
					value={mode()}
					onChange={setMode}
					options={[
						{ value: "all", label: "All trusting accounts" },
						{ value: "chosen", label: "Chosen accounts" },
						{ value: "none", label: "Nobody (withdrawn)" },
					]}
				/>
				<Show when={mode() === "chosen"}>
					<CheckboxGroup legend="Accounts" options={customers()} selected={chosen()} onChange={setChosen} error={form.under("to")} />
				</Show>
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						Save
					</button>
				</div>
			</form>
		</Dialog>
	);
}

function SubscribersDialog(props: { offering: AppOffering; onClose: () => void }) {
	const { account } = useAccount();
	const [subscribers] = createResource(
		() => props.offering.id,
		(offeringId) => requestAll((query) => api.accounts[":accountId"]["app-offerings"][":offeringId"].installations.$get({ param: { accountId: account().id, offeringId }, query })),
	);
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={`Installations of ${props.offering.name}`}>
			<Show when={subscribers()} fallback={<Spinner />}>
				<Show when={(subscribers() ?? []).length > 0} fallback={<p class="muted">Nobody has installed it yet.</p>}>
					<table class="table" aria-label="Installations">
						<thead>
							<tr>
								<th scope="col">Account</th>
								<th scope="col">Version</th>
								<th scope="col">Status</th>
								<th scope="col">Installed</th>
							</tr>
						</thead>
						<tbody>
							<For each={subscribers()}>
								{(s) => (
									<tr>
										<td>{s.customer.name}</td>
										<td>{s.version}</td>
										<td>{s.status}</td>
										<td>{formatDate(s.installedAt)}</td>
									</tr>
								)}
							</For>
						</tbody>
					</table>
				</Show>
			</Show>
			<div class="dialog-footer">
				<button type="button" class="btn btn-primary" onClick={props.onClose}>
					Close
				</button>
			</div>
		</Dialog>
	);
}

// API tokens: created by administrators with scopes and an expiry; the secret is shown once.
import { createResource, createSignal, For, Show } from "solid-js";
import type { ApiToken } from "../../../../worker/shared/api";
import { SCOPE_LABELS, SCOPES, type Scope } from "../../../../worker/shared/roles";
import { api, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { formatDate, formatDateTime } from "../../lib/format";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { SelectField, TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const SCOPE_OPTIONS = SCOPES.map((s) => ({ value: s, label: s, description: SCOPE_LABELS[s] }));
const EXPIRY_OPTIONS = [
	{ value: "30", label: "30 days" },
	{ value: "90", label: "90 days" },
	{ value: "365", label: "1 year" },
	{ value: "never", label: "Never" },
];

export default function TokensPage() {
	const { account } = useAccount();
	const [tokens, { refetch }] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"]["api-tokens"].$get({ param: { accountId }, query })),
	);
	const [creating, setCreating] = createSignal(false);
	const expired = (t: ApiToken) => t.expiresAt !== null && new Date(t.expiresAt).getTime() <= Date.now();

	const revoke = async (token: ApiToken) => {
		await request(api.accounts[":accountId"]["api-tokens"][":tokenId"].$delete({ param: { accountId: account().id, tokenId: token.id } }));
		notify(`Token ${token.name} was revoked.`);
		await refetch();
	};

	return (
		<>
			<PageHeader
				title="API tokens"
				subtitle={`Tokens let integrations call the Trustdesk API in ${account().name}, limited to their scopes.`}
				actions={
					<>
						<a class="btn" href="/api/v1/docs" target="_blank" rel="noopener">
							API reference
						</a>
						<button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
							New token
						</button>
					</>
				}
			/>
			<section class="card" aria-label="API tokens">
				<Show when={!tokens.loading || tokens()} fallback={<Spinner />}>
					<Show when={(tokens() ?? []).length > 0} fallback={<EmptyState title="No API tokens">Create one for each integration, with only the scopes it needs.</EmptyState>}>
						<table class="table">
							<thead>
								<tr>
									<th scope="col">Name</th>
									<th scope="col">Scopes</th>
									<th scope="col">Created</th>
									<th scope="col">Expires</th>
									<th scope="col">Last used</th>
									<th scope="col" class="actions">
										<span class="visually-hidden">Actions</span>
									</th>
								</tr>
							</thead>
							<tbody>
								<For each={tokens()}>
									{(t) => (
										<tr>
											<td data-label="Name">
												<strong>{t.name}</strong>
												<Show when={expired(t)}>
													{" "}
													<span class="badge">expired</span>
												</Show>
											</td>
											<td data-label="Scopes">
												<div class="badges">
													<For each={t.scopes}>{(s) => <span class="badge mono">{s}</span>}</For>
												</div>
											</td>
											<td data-label="Created">
												{formatDate(t.createdAt)}
												<Show when={t.createdBy}>
													<div class="muted">by {t.createdBy?.name}</div>
												</Show>
											</td>
											<td data-label="Expires">{t.expiresAt ? formatDate(t.expiresAt) : "Never"}</td>
											<td data-label="Last used">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</td>
											<td class="actions">
												<Confirm
													title={`Revoke ${t.name}?`}
													description="Integrations using this token stop working at once."
													confirmLabel="Revoke token"
													onConfirm={() => revoke(t)}
													triggerLabel="Revoke"
													triggerAriaLabel={`Revoke ${t.name}`}
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
			<Show when={creating()}>
				<CreateTokenDialog onClose={() => setCreating(false)} onCreated={() => void refetch()} />
			</Show>
		</>
	);
}

function CreateTokenDialog(props: { onClose: () => void; onCreated: () => void }) {
	const { account } = useAccount();
	const [name, setName] = createSignal("");
	const [scopes, setScopes] = createSignal<Scope[]>([]);
	const [expiry, setExpiry] = createSignal("90");
	const [secret, setSecret] = createSignal<string | null>(null);
	const form = createSubmission();

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const created = await request(
				api.accounts[":accountId"]["api-tokens"].$post({
					param: { accountId: account().id },
					json: { name: name(), scopes: scopes(), expiresInDays: expiry() === "never" ? null : Number(expiry()) },
				}),
			);
			setSecret(created.secret);
			props.onCreated();
		});

	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title="New API token">
			<Show
				when={secret()}
				fallback={
					<form class="stack" onSubmit={submit} novalidate>
						<Show when={form.error()}>
							<Alert kind="error">{form.error()}</Alert>
						</Show>
						<TextField label="Name" value={name()} onInput={setName} error={form.field("name")} required description="What uses it, e.g. “Monitoring”." autocomplete="off" />
						<CheckboxGroup legend="Scopes" options={SCOPE_OPTIONS} selected={scopes()} onChange={setScopes} error={form.field("scopes")} />
						<SelectField id="token-expiry" label="Expires after" value={expiry()} onChange={setExpiry} options={EXPIRY_OPTIONS} error={form.field("expiresInDays")} />
						<div class="dialog-footer">
							<button type="button" class="btn" onClick={props.onClose}>
								Cancel
							</button>
							<button type="submit" class="btn btn-primary" disabled={form.busy()}>
								Create token
							</button>
						</div>
					</form>
				}
			>
				{(s) => (
					<div class="stack">
						<Alert kind="warning">Copy the token now. Trustdesk keeps only a hash of it and cannot show it again.</Alert>
						<div class="secret" data-testid="token-secret">
							<span class="spacer">{s()}</span>
							<button type="button" class="btn btn-sm" onClick={() => void navigator.clipboard?.writeText(s())}>
								Copy
							</button>
						</div>
						<p class="muted">
							Use it as <code>Authorization: Bearer …</code> on requests to <code>{location.origin}/api/v1</code>.
						</p>
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

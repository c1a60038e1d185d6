// People of the account: list, invite (people-invitations.tsx), change roles, remove.
import { createResource, createSignal, For, Show } from "solid-js";
import type { AccountPerson } from "../../../../worker/shared/api";
import { ROLE_LABELS, type Role } from "../../../../worker/shared/roles";
import { api, request, requestAll } from "../../api/client";
import { useSession } from "../../api/session";
import { createSubmission } from "../../lib/form";
import { formatDate } from "../../lib/format";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";
import { InvitationsCard, InvitePersonDialog, ROLE_OPTIONS } from "./people-invitations";

export default function PeoplePage() {
	const { account, can } = useAccount();
	const { refresh } = useSession();
	const [people, { refetch }] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].people.$get({ param: { accountId }, query })),
	);
	const [invitations, { refetch: refetchInvitations }] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].invitations.$get({ param: { accountId }, query })),
	);
	const [adding, setAdding] = createSignal(false);
	const [editing, setEditing] = createSignal<AccountPerson | null>(null);

	const remove = async (person: AccountPerson) => {
		await request(api.accounts[":accountId"].people[":personId"].$delete({ param: { accountId: account().id, personId: person.id } }));
		notify(`${person.name} was removed from ${account().name}.`);
		await refetch();
	};

	return (
		<>
			<PageHeader
				title="People"
				subtitle={`Everyone who can sign in to ${account().name}, and what they may do.`}
				actions={
					<Show when={can("people:write")}>
						<button type="button" class="btn btn-primary" onClick={() => setAdding(true)}>
							Invite person
						</button>
					</Show>
				}
			/>
			<section class="card" aria-label="People">
				<Show when={!people.loading || people()} fallback={<Spinner />}>
					<Show when={people.error}>
						<div class="card-body">
							<Alert kind="error">Could not load people: {String(people.error?.message ?? people.error)}</Alert>
						</div>
					</Show>
					<Show when={(people() ?? []).length > 0} fallback={<EmptyState title="No people yet" />}>
						<table class="table">
							<thead>
								<tr>
									<th scope="col">Name</th>
									<th scope="col">E-mail</th>
									<th scope="col">Roles</th>
									<th scope="col">Added</th>
									<Show when={can("people:write")}>
										<th scope="col" class="actions">
											<span class="visually-hidden">Actions</span>
										</th>
									</Show>
								</tr>
							</thead>
							<tbody>
								<For each={people()}>
									{(p) => (
										<tr>
											<td data-label="Name">
												<strong>{p.name}</strong>
											</td>
											<td data-label="E-mail">{p.email}</td>
											<td data-label="Roles">
												<div class="badges">
													<For each={p.roles}>{(r) => <span class="badge">{ROLE_LABELS[r]}</span>}</For>
												</div>
											</td>
											<td data-label="Added">{formatDate(p.addedAt)}</td>
											<Show when={can("people:write")}>
												<td class="actions">
													<div class="row" style={{ "justify-content": "flex-end" }}>
														<button type="button" class="btn btn-sm" onClick={() => setEditing(p)} aria-label={`Change roles of ${p.name}`}>
															Roles
														</button>
														<Confirm
															title={`Remove ${p.name}?`}
															description={`${p.name} can no longer sign in to ${account().name} and leaves its teams. Their sign-in and other accounts stay as they are.`}
															confirmLabel="Remove"
															onConfirm={() => remove(p)}
															triggerLabel="Remove"
															triggerAriaLabel={`Remove ${p.name}`}
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
				</Show>
			</section>
			<Show when={(invitations() ?? []).length > 0}>
				<InvitationsCard invitations={invitations() ?? []} canWrite={can("people:write")} onChanged={async () => void (await refetchInvitations())} />
			</Show>
			<InvitePersonDialog open={adding()} onClose={() => setAdding(false)} onInvited={async () => void (await refetchInvitations())} />
			<Show when={editing()} keyed>
				{(person) => (
					<EditRolesDialog
						person={person}
						onClose={() => setEditing(null)}
						onSaved={async () => {
							setEditing(null);
							await refetch();
							await refresh();
						}}
					/>
				)}
			</Show>
		</>
	);
}

function EditRolesDialog(props: { person: AccountPerson; onClose: () => void; onSaved: () => Promise<void> }) {
	const { account } = useAccount();
	const [roles, setRoles] = createSignal<Role[]>([...props.person.roles]);
	const form = createSubmission();
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			await request(
				api.accounts[":accountId"].people[":personId"].$patch({
					param: { accountId: account().id, personId: props.person.id },
					json: { roles: roles() },
				}),
			);
			notify(`Roles of ${props.person.name} were saved.`);
			await props.onSaved();
		});
	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={`Roles of ${props.person.name}`}>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<CheckboxGroup legend="Roles" options={ROLE_OPTIONS} selected={roles()} onChange={setRoles} error={form.field("roles")} />
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						Save roles
					</button>
				</div>
			</form>
		</Dialog>
	);
}

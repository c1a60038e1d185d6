// Teams of the account: members and a coordinator. Administrators create and change them.
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { Team } from "../../../../worker/shared/api";
import { api, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { SelectField, TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

export default function TeamsPage() {
	const { account, can } = useAccount();
	const [teams, { refetch }] = createResource(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].teams.$get({ param: { accountId }, query })),
	);
	const [editing, setEditing] = createSignal<Team | "new" | null>(null);

	const remove = async (team: Team) => {
		await request(api.accounts[":accountId"].teams[":teamId"].$delete({ param: { accountId: account().id, teamId: team.id } }));
		notify(`Team ${team.name} was deleted.`);
		await refetch();
	};

	return (
		<>
			<PageHeader
				title="Teams"
				subtitle="Specialists work in teams; requests are assigned to a team, and its coordinator keeps an eye on them."
				actions={
					<Show when={can("teams:write")}>
						<button type="button" class="btn btn-primary" onClick={() => setEditing("new")}>
							New team
						</button>
					</Show>
				}
			/>
			<Show when={!teams.loading || teams()} fallback={<Spinner />}>
				<Show when={teams.error}>
					<Alert kind="error">Could not load teams: {String(teams.error?.message ?? teams.error)}</Alert>
				</Show>
				<Show
					when={(teams() ?? []).length > 0}
					fallback={
						<div class="card">
							<EmptyState
								title="No teams yet"
								action={
									<Show when={can("teams:write")}>
										<button type="button" class="btn btn-primary" onClick={() => setEditing("new")}>
											Create the first team
										</button>
									</Show>
								}
							>
								Create teams such as “Service Desk” and add specialists to them.
							</EmptyState>
						</div>
					}
				>
					<ul class="card-grid" style={{ "list-style": "none", padding: 0, margin: 0 }} aria-label="Teams">
						<For each={teams()}>
							{(team) => (
								<li class="card">
									<div class="card-body stack-sm">
										<h2>{team.name}</h2>
										<Show when={team.description}>
											<p class="muted">{team.description}</p>
										</Show>
										<p>
											<span class="muted">Coordinator: </span>
											{team.coordinator?.name ?? "none"}
										</p>
										<div>
											<span class="muted">{team.members.length === 1 ? "1 member" : `${team.members.length} members`}</span>
											<div class="badges" style={{ "margin-top": "0.25rem" }}>
												<For each={team.members}>{(m) => <span class="badge">{m.name}</span>}</For>
											</div>
										</div>
										<Show when={can("teams:write")}>
											<div class="row">
												<button type="button" class="btn btn-sm" onClick={() => setEditing(team)} aria-label={`Edit team ${team.name}`}>
													Edit
												</button>
												<Confirm
													title={`Delete team ${team.name}?`}
													description="The team and its member list are deleted. People stay in the account."
													confirmLabel="Delete team"
													onConfirm={() => remove(team)}
													triggerLabel="Delete"
													triggerAriaLabel={`Delete team ${team.name}`}
												/>
											</div>
										</Show>
									</div>
								</li>
							)}
						</For>
					</ul>
				</Show>
			</Show>
			{/* keyed: the dialog gets a plain value, so closing it cannot leave a stale accessor behind */}
			<Show when={editing()} keyed>
				{(team) => (
					<TeamDialog
						team={team === "new" ? null : team}
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

function TeamDialog(props: { team: Team | null; onClose: () => void; onSaved: () => Promise<void> }) {
	const { account, can } = useAccount();
	const [people] = createResource(
		() => (can("people:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].people.$get({ param: { accountId }, query })),
	);
	const [name, setName] = createSignal(props.team?.name ?? "");
	const [description, setDescription] = createSignal(props.team?.description ?? "");
	const [memberIds, setMemberIds] = createSignal<string[]>(props.team?.members.map((m) => m.id) ?? []);
	const [coordinatorId, setCoordinatorId] = createSignal(props.team?.coordinator?.id ?? "");
	const form = createSubmission();

	const memberOptions = createMemo(() => (people() ?? []).map((p) => ({ value: p.id, label: p.name, description: p.email })));
	const coordinatorOptions = createMemo(() => [
		{ value: "", label: "No coordinator" },
		...memberOptions().filter((o) => memberIds().includes(o.value)),
	]);
	const onMembers = (ids: string[]) => {
		setMemberIds(ids);
		if (coordinatorId() && !ids.includes(coordinatorId())) setCoordinatorId("");
	};

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const body = { name: name(), description: description(), memberIds: memberIds(), coordinatorId: coordinatorId() || null };
			if (props.team) {
				await request(api.accounts[":accountId"].teams[":teamId"].$patch({ param: { accountId: account().id, teamId: props.team.id }, json: body }));
				notify(`Team ${name()} was saved.`);
			} else {
				await request(api.accounts[":accountId"].teams.$post({ param: { accountId: account().id }, json: body }));
				notify(`Team ${name()} was created.`);
			}
			await props.onSaved();
		});

	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title={props.team ? `Edit team ${props.team.name}` : "New team"}>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField label="Team name" value={name()} onInput={setName} error={form.field("name")} required autocomplete="off" />
				<TextField label="Description" value={description()} onInput={setDescription} error={form.field("description")} multiline />
				<Show when={!people.loading} fallback={<Spinner label="Loading people…" />}>
					<CheckboxGroup legend="Members" options={memberOptions()} selected={memberIds()} onChange={onMembers} error={form.field("memberIds")} scroll />
					<SelectField
						id="team-coordinator"
						label="Coordinator"
						value={coordinatorId()}
						onChange={setCoordinatorId}
						options={coordinatorOptions()}
						description="Chosen among the members."
						error={form.field("coordinatorId")}
					/>
				</Show>
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{props.team ? "Save team" : "Create team"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

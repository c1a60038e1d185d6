// The People page's invitations: the "Invite person" dialog, and the account's invitations with
// their outcome, whether their e-mail went out, Re-send, a way to pass on the accept link, and Revoke.
import { createSignal, For, Show } from "solid-js";
import type { Invitation } from "../../../../worker/shared/invitation-api";
import { ROLE_LABELS, ROLES, type Role } from "../../../../worker/shared/roles";
import { api, messageOf, request } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { formatDate } from "../../lib/format";
import { copyText, INVITATION_STATUS } from "../../lib/invitations";
import { StatusBadge } from "../../ui/badge";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { Alert, notify } from "../../ui/feedback";
import { useAccount } from "./context";

const ROLE_DESCRIPTIONS: Record<Role, string> = {
	end_user: "Uses the self-service portal.",
	specialist: "Works on requests assigned to their teams.",
	account_administrator: "Manages people, teams, tokens and settings.",
	service_level_manager: "Manages services and SLAs (needs Specialist).",
	auditor: "Reads everything, changes nothing.",
};

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], description: ROLE_DESCRIPTIONS[r] }));

/** The accept link, to copy and pass on (besides the e-mail Trustdesk sends). */
function AcceptLink(props: { url: string; name: string }) {
	const [copied, setCopied] = createSignal(false);
	return (
		<div class="secret" aria-label={`Invitation link for ${props.name}`}>
			<span class="spacer" data-testid="invitation-link">
				{props.url}
			</span>
			<button
				type="button"
				class="btn btn-sm"
				onClick={async () => setCopied(await copyText(props.url))}
			>
				{copied() ? "Copied" : "Copy"}
			</button>
		</div>
	);
}

export function InvitePersonDialog(props: { open: boolean; onClose: () => void; onInvited: () => Promise<void> }) {
	const { account } = useAccount();
	const [name, setName] = createSignal("");
	const [email, setEmail] = createSignal("");
	const [roles, setRoles] = createSignal<Role[]>(["end_user"]);
	const [result, setResult] = createSignal<{ name: string; email: string; url: string; expiresAt: string; mailed: boolean } | null>(null);
	const form = createSubmission();

	const close = () => {
		setName("");
		setEmail("");
		setRoles(["end_user"]);
		setResult(null);
		form.reset();
		props.onClose();
	};

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const created = await request(
				api.accounts[":accountId"].people.$post({ param: { accountId: account().id }, json: { name: name(), email: email(), roles: roles() } }),
			);
			const { invitation } = created;
			setResult({ name: invitation.name, email: invitation.email, url: created.acceptUrl, expiresAt: invitation.expiresAt, mailed: invitation.mailedAt !== null });
			notify(`${invitation.name} was invited to ${account().name}.`);
			await props.onInvited();
		});

	return (
		<Dialog
			open={props.open}
			onOpenChange={(o) => !o && close()}
			title="Invite a person"
			description={`They join ${account().name} with the roles you choose once they accept.`}
		>
			<Show
				when={result()}
				fallback={
					<form class="stack" onSubmit={submit} novalidate>
						<Show when={form.error()}>
							<Alert kind="error">{form.error()}</Alert>
						</Show>
						<TextField label="Name" value={name()} onInput={setName} error={form.field("name")} required autocomplete="off" />
						<TextField label="E-mail address" type="email" value={email()} onInput={setEmail} error={form.field("email")} required autocomplete="off" />
						<CheckboxGroup legend="Roles" options={ROLE_OPTIONS} selected={roles()} onChange={setRoles} error={form.field("roles")} />
						<div class="dialog-footer">
							<button type="button" class="btn" onClick={close}>
								Cancel
							</button>
							<button type="submit" class="btn btn-primary" disabled={form.busy()}>
								{form.busy() ? "Inviting…" : "Invite person"}
							</button>
						</div>
					</form>
				}
			>
				{(r) => (
					<div class="stack">
						<Alert kind="success">
							{r().name} is invited. They see the invitation on their home page when they sign in to Trustdesk as {r().email}, and
							this link lets them accept (or create their sign-in) until {formatDate(r().expiresAt)}.
						</Alert>
						<Show
							when={r().mailed}
							fallback={
								<Alert kind="warning">
									The invitation e-mail is held until you confirm your own e-mail address (see the banner above); then it goes out by itself. You can also pass the link on
									yourself.
								</Alert>
							}
						>
							<p class="muted">An e-mail with this link is on its way to {r().email}. You can also pass it on yourself; it is shown only now.</p>
						</Show>
						<AcceptLink url={r().url} name={r().name} />
						<div class="dialog-footer">
							<button type="button" class="btn btn-primary" onClick={close}>
								Done
							</button>
						</div>
					</div>
				)}
			</Show>
		</Dialog>
	);
}

/** The account's invitations: open ones first in the server's order (newest first), with actions. */
export function InvitationsCard(props: { invitations: Invitation[]; canWrite: boolean; onChanged: () => Promise<void> }) {
	const { account } = useAccount();
	const [link, setLink] = createSignal<{ name: string; url: string } | null>(null);

	const newLink = async (invitation: Invitation) => {
		try {
			const { acceptUrl } = await request(
				api.accounts[":accountId"].invitations[":invitationId"].link.$post({ param: { accountId: account().id, invitationId: invitation.id } }),
			);
			const copied = await copyText(acceptUrl);
			setLink({ name: invitation.name, url: acceptUrl });
			if (copied) notify(`A new invitation link for ${invitation.name} was copied.`);
		} catch (err) {
			notify(messageOf(err), "error");
		}
	};

	const resend = async (invitation: Invitation) => {
		try {
			await request(api.accounts[":accountId"].invitations[":invitationId"].resend.$post({ param: { accountId: account().id, invitationId: invitation.id } }));
			notify(`The invitation was e-mailed to ${invitation.email} again, with a new link.`);
			await props.onChanged();
		} catch (err) {
			notify(messageOf(err), "error");
		}
	};

	const revoke = async (invitation: Invitation) => {
		await request(api.accounts[":accountId"].invitations[":invitationId"].revoke.$post({ param: { accountId: account().id, invitationId: invitation.id } }));
		notify(`The invitation of ${invitation.name} was revoked.`);
		await props.onChanged();
	};

	return (
		<section class="card" aria-labelledby="invitations-title">
			<div class="card-header">
				<h2 id="invitations-title">Invitations</h2>
			</div>
			<table class="table">
				<thead>
					<tr>
						<th scope="col">Name</th>
						<th scope="col">E-mail</th>
						<th scope="col">Roles</th>
						<th scope="col">Status</th>
						<th scope="col">Invited</th>
						<Show when={props.canWrite}>
							<th scope="col" class="actions">
								<span class="visually-hidden">Actions</span>
							</th>
						</Show>
					</tr>
				</thead>
				<tbody>
					<For each={props.invitations}>
						{(i) => (
							<tr aria-label={`Invitation of ${i.name}`}>
								<td data-label="Name">
									<strong>{i.name}</strong>
								</td>
								<td data-label="E-mail">{i.email}</td>
								<td data-label="Roles">
									<div class="badges">
										<For each={i.roles}>{(r) => <span class="badge">{ROLE_LABELS[r]}</span>}</For>
									</div>
								</td>
								<td data-label="Status">
									<StatusBadge tone={INVITATION_STATUS[i.status].tone}>{INVITATION_STATUS[i.status].label}</StatusBadge>{" "}
									<span class="muted">
										{i.status === "pending" ? `until ${formatDate(i.expiresAt)}` : i.respondedAt ? formatDate(i.respondedAt) : `on ${formatDate(i.expiresAt)}`}
									</span>
									<Show when={i.status === "pending"}>
										<br />
										<span class="muted">{i.mailedAt ? `E-mailed ${formatDate(i.mailedAt)}` : "Not e-mailed"}</span>
									</Show>
								</td>
								<td data-label="Invited">
									{formatDate(i.createdAt)} <span class="muted">by {i.invitedBy.name}</span>
								</td>
								<Show when={props.canWrite}>
									<td class="actions">
										<div class="row row-end">
											<Show when={i.status === "pending"}>
												<button type="button" class="btn btn-sm" onClick={() => void resend(i)} aria-label={`E-mail the invitation of ${i.name} again`}>
													Re-send e-mail
												</button>
												<button type="button" class="btn btn-sm" onClick={() => void newLink(i)} aria-label={`Copy invitation link for ${i.name}`}>
													Copy invitation link
												</button>
											</Show>
											<Show when={i.status === "pending" || i.status === "expired"}>
												<Confirm
													title={`Revoke the invitation of ${i.name}?`}
													description={`${i.email} can no longer join ${account().name} with it; its link stops working.`}
													confirmLabel="Revoke"
													onConfirm={() => revoke(i)}
													triggerLabel="Revoke"
													triggerAriaLabel={`Revoke the invitation of ${i.name}`}
												/>
											</Show>
										</div>
									</td>
								</Show>
							</tr>
						)}
					</For>
				</tbody>
			</table>
			<Dialog open={link() !== null} onOpenChange={(o) => !o && setLink(null)} title="Invitation link">
				<Show when={link()}>
					{(l) => (
						<div class="stack">
							<p class="muted">Pass this link on to {l().name}. Earlier links of this invitation, the e-mailed one too, no longer work.</p>
							<AcceptLink url={l().url} name={l().name} />
							<div class="dialog-footer">
								<button type="button" class="btn btn-primary" onClick={() => setLink(null)}>
									Done
								</button>
							</div>
						</div>
					)}
				</Show>
			</Dialog>
		</section>
	);
}

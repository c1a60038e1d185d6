// The accept link, /invitations/<token>: who invites whom, and the way to answer. Signed in as the
// invitee: accept or decline. Signed in as someone else: say so. Not signed in: sign in to accept,
// or create the sign-in of the invited address (which accepts). The e-mail to an address without a
// sign-in links to `?new=1`: then choosing a password comes first.
import { A, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import type { Invitation } from "../../../worker/shared/invitation-api";
import { api, ApiError, messageOf, request } from "../api/client";
import { useSession } from "../api/session";
import { createSubmission } from "../lib/form";
import { formatDate } from "../lib/format";
import { invitationSentence } from "../lib/invitations";
import { NewPasswordField, TextField } from "../ui/field";
import { Alert, Spinner } from "../ui/feedback";

type Loaded = { kind: "invitation"; invitation: Invitation } | { kind: "unknown" };

const CLOSED: Record<Exclude<Invitation["status"], "pending">, (i: Invitation) => string> = {
	accepted: (i) => `This invitation to ${i.account.name} has been accepted. Sign in as ${i.email} to use the account.`,
	declined: (i) => `This invitation to ${i.account.name} was declined. Ask its administrator to invite you again.`,
	revoked: (i) => `${i.account.name} withdrew this invitation. Ask its administrator to invite you again.`,
	expired: (i) => `This invitation to ${i.account.name} expired on ${formatDate(i.expiresAt)}. Ask its administrator to invite you again.`,
};

export default function InvitationPage() {
	const params = useParams<{ token: string }>();
	const { session } = useSession();
	const [loaded, { refetch }] = createResource(
		() => params.token,
		async (token): Promise<Loaded> => {
			try {
				return { kind: "invitation", invitation: await request(api["invitation-links"][":token"].$get({ param: { token } })) };
			} catch (err) {
				if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return { kind: "unknown" };
				throw err;
			}
		},
	);
	const invitation = () => {
		const l = loaded();
		return l?.kind === "invitation" ? l.invitation : undefined;
	};

	return (
		<main class="auth-page" id="main">
			<div class="auth-card">
				<div class="auth-brand">
					<div class="brand-mark" aria-hidden="true">
						{(invitation()?.account.name ?? "T").slice(0, 1)}
					</div>
					<h1>{invitation() ? `Join ${invitation()?.account.name}` : "Invitation"}</h1>
				</div>
				<Switch fallback={<Spinner />}>
					<Match when={loaded.error}>
						<Alert kind="error">{messageOf(loaded.error)}</Alert>
					</Match>
					<Match when={loaded()?.kind === "unknown"}>
						<Alert kind="warning">
							This invitation link does not work. It may have been replaced by a newer link: ask the person who invited you for the latest one.
						</Alert>
						<p class="muted" style={{ "text-align": "center" }}>
							<A href="/">Go to Trustdesk</A>
						</p>
					</Match>
					<Match when={invitation()?.status !== "pending" && invitation()}>
						{(i) => (
							<>
								<Alert kind="info">{CLOSED[i().status as Exclude<Invitation["status"], "pending">](i())}</Alert>
								<p class="muted" style={{ "text-align": "center" }}>
									<A href="/">Go to Trustdesk</A>
								</p>
							</>
						)}
					</Match>
					<Match when={session.state === "ready" && invitation()}>
						{(i) => (
							<Show when={session()} fallback={<NotSignedIn invitation={i()} onSignedIn={() => void refetch()} />}>
								{(s) => (
									<Show when={s().person.email === i().email} fallback={<SomeoneElse invitation={i()} email={s().person.email} />}>
										<Answer invitation={i()} onChanged={() => void refetch()} />
									</Show>
								)}
							</Show>
						)}
					</Match>
				</Switch>
			</div>
		</main>
	);
}

function Summary(props: { invitation: Invitation }) {
	return (
		<p>
			<strong>{invitationSentence(props.invitation)}.</strong>{" "}
			<span class="muted">
				{props.invitation.invitedBy.name} invited {props.invitation.email}; the invitation is open until {formatDate(props.invitation.expiresAt)}.
			</span>
		</p>
	);
}

/** Signed in with the invited address: accept (and go to the account) or decline. */
function Answer(props: { invitation: Invitation; onChanged: () => void }) {
	const { refresh } = useSession();
	const navigate = useNavigate();
	const form = createSubmission();
	const answer = (action: "accept" | "decline") =>
		form.run(undefined, async () => {
			const param = { invitationId: props.invitation.id };
			if (action === "accept") {
				await request(api.invitations[":invitationId"].accept.$post({ param }));
				await refresh();
				navigate(`/${props.invitation.account.id}/`, { replace: true });
			} else {
				await request(api.invitations[":invitationId"].decline.$post({ param }));
				props.onChanged();
			}
		});
	return (
		<div class="card">
			<div class="card-body stack">
				<Summary invitation={props.invitation} />
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<div class="row">
					<button type="button" class="btn btn-primary" disabled={form.busy()} onClick={() => void answer("accept")}>
						Accept
					</button>
					<button type="button" class="btn" disabled={form.busy()} onClick={() => void answer("decline")}>
						Decline
					</button>
				</div>
			</div>
		</div>
	);
}

function SomeoneElse(props: { invitation: Invitation; email: string }) {
	const { signOut } = useSession();
	return (
		<div class="card">
			<div class="card-body stack">
				<Summary invitation={props.invitation} />
				<Alert kind="warning">
					This invitation is for {props.invitation.email}, another address than yours ({props.email}). Sign out and sign in as {props.invitation.email} to answer it.
				</Alert>
				<div class="row">
					<button type="button" class="btn" onClick={() => void signOut()}>
						Sign out
					</button>
				</div>
			</div>
		</div>
	);
}

/** Not signed in: sign in with the invited address, or create its sign-in (which accepts). */
function NotSignedIn(props: { invitation: Invitation; onSignedIn: () => void }) {
	const { set } = useSession();
	const params = useParams<{ token: string }>();
	const navigate = useNavigate();
	const [email, setEmail] = createSignal(props.invitation.email);
	const [password, setPassword] = createSignal("");
	const [name, setName] = createSignal(props.invitation.name);
	const [newPassword, setNewPassword] = createSignal("");
	const signIn = createSubmission();
	const create = createSubmission();

	const submitSignIn = (e: SubmitEvent) =>
		signIn.run(e, async () => {
			set(await request(api.session.$post({ json: { email: email(), password: password() } })));
			props.onSignedIn();
		});

	const submitCreate = (e: SubmitEvent) =>
		create.run(e, async () => {
			const session = await request(
				api["invitation-links"][":token"]["sign-up"].$post({ param: { token: params.token }, json: { name: name(), password: newPassword() } }),
			);
			set(session);
			navigate(`/${props.invitation.account.id}/`, { replace: true });
		});

	const [search] = useSearchParams<{ new?: string }>();
	const signInForm = (
		<form class="card" onSubmit={submitSignIn} novalidate aria-labelledby="invitation-sign-in">
				<div class="card-body">
					<h2 id="invitation-sign-in">Sign in to accept</h2>
					<Show when={signIn.error()}>
						<Alert kind="error">{signIn.error()}</Alert>
					</Show>
					<TextField label="E-mail address" type="email" autocomplete="username" value={email()} onInput={setEmail} error={signIn.field("email")} required />
					<TextField label="Password" type="password" autocomplete="current-password" value={password()} onInput={setPassword} error={signIn.field("password")} required />
					<button type="submit" class="btn btn-primary" disabled={signIn.busy()}>
						{signIn.busy() ? "Signing in…" : "Sign in"}
					</button>
					<p class="muted">
						<A href={`/forgot-password?email=${encodeURIComponent(props.invitation.email)}`}>Forgot your password?</A>
					</p>
				</div>
			</form>
	);
	const createForm = (
		<form class="card" onSubmit={submitCreate} novalidate aria-labelledby="invitation-create">
				<div class="card-body">
					<h2 id="invitation-create">New to Trustdesk? Create your sign-in</h2>
					<p class="muted">For {props.invitation.email}; you join {props.invitation.account.name} at once.</p>
					<Show when={create.error()}>
						<Alert kind="error">{create.error()}</Alert>
					</Show>
					<TextField label="Your name" autocomplete="name" value={name()} onInput={setName} error={create.field("name")} required />
					<NewPasswordField label="Choose a password" value={newPassword()} onInput={setNewPassword} error={create.field("password")} />
					<button type="submit" class="btn btn-primary" disabled={create.busy()}>
						{create.busy() ? "Creating…" : "Create sign-in and join"}
					</button>
				</div>
			</form>
	);
	return (
		<div class="stack">
			<div class="card">
				<div class="card-body">
					<Summary invitation={props.invitation} />
				</div>
			</div>
			<Show when={search.new === "1"} fallback={[signInForm, createForm]}>
				{createForm}
				{signInForm}
			</Show>
		</div>
	);
}

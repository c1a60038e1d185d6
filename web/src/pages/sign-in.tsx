// Sign-in: the generic page at /signin, and the account-branded form the account shell shows
// to visitors who are not signed in.
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import type { PublicPortal, Session } from "../../../worker/shared/api";
import { api, request } from "../api/client";
import { useSession } from "../api/session";
import { createSubmission } from "../lib/form";
import { TextField } from "../ui/field";
import { Alert } from "../ui/feedback";

export const LAST_ACCOUNT_KEY = "trustdesk:last-account";

/** Where to go after signing in: the account last used, else the first one. */
export function homeOf(session: Session): string {
	const last = localStorage.getItem(LAST_ACCOUNT_KEY);
	const account = session.memberships.find((m) => m.account.id === last) ?? session.memberships[0];
	return account ? `/${account.account.id}/` : "/signup?new-account=1";
}

/**
 * `offerSignUp`: only on Trustdesk's own front page. An account's portal belongs to an
 * organisation; its people (often end users of a customer) must not be invited to create an
 * organisation of their own from there.
 */
export function SignInForm(props: { portal?: PublicPortal | undefined; offerSignUp?: boolean; onSignedIn: (session: Session) => void }) {
	const [email, setEmail] = createSignal("");
	const [password, setPassword] = createSignal("");
	const form = createSubmission();
	const { set } = useSession();

	const forgotHref = () => {
		const query = new URLSearchParams();
		if (props.portal) query.set("account", props.portal.id);
		if (email()) query.set("email", email());
		const q = query.toString();
		return q ? `/forgot-password?${q}` : "/forgot-password";
	};

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const session = await request(api.session.$post({ json: { email: email(), password: password() } }));
			set(session);
			props.onSignedIn(session);
		});

	return (
		<main class="auth-page" id="main">
			<div class="auth-card">
				<div class="auth-brand">
					<Show
						when={props.portal?.design.logoUrl}
						fallback={<div class="brand-mark" aria-hidden="true">{(props.portal?.design.title ?? "T").slice(0, 1)}</div>}
					>
						{(logo) => <img class="brand-logo" src={logo()} alt="" />}
					</Show>
					<h1>{props.portal ? `Sign in to ${props.portal.design.title}` : "Sign in to Trustdesk"}</h1>
					<Show when={props.portal?.design.welcomeText}>
						<p class="muted">{props.portal?.design.welcomeText}</p>
					</Show>
				</div>
				<form class="card" onSubmit={submit} novalidate>
					<div class="card-body">
						<Show when={form.error()}>
							<Alert kind="error">{form.error()}</Alert>
						</Show>
						<TextField label="E-mail address" type="email" autocomplete="username" inputMode="email" value={email()} onInput={setEmail} error={form.field("email")} required autofocus />
						<TextField label="Password" type="password" autocomplete="current-password" value={password()} onInput={setPassword} error={form.field("password")} required />
						<button type="submit" class="btn btn-primary" disabled={form.busy()}>
							{form.busy() ? "Signing in…" : "Sign in"}
						</button>
						<p class="muted" style={{ "text-align": "center" }}>
							<A href={forgotHref()}>Forgot your password?</A>
						</p>
					</div>
				</form>
				<Show when={props.offerSignUp}>
					<p class="muted" style={{ "text-align": "center" }}>
						New to Trustdesk? <A href="/signup">Create an account</A>
					</p>
				</Show>
			</div>
		</main>
	);
}

export default function SignInPage() {
	const navigate = useNavigate();
	const [params] = useSearchParams<{ next?: string }>();
	const onSignedIn = (session: Session) => {
		const next = params.next;
		// Only same-site paths: never bounce to another origin after sign-in.
		navigate(next?.startsWith("/") && !next.startsWith("//") ? next : homeOf(session), { replace: true });
	};
	return <SignInForm offerSignUp onSignedIn={onSignedIn} />;
}

// "Forgot password": the address to mail a reset link to. The answer is the same whether or not
// the address signs in to Trustdesk, and so is this page. `?account=` names the portal the person
// came from (the mail then comes from that account, in its branding); `?email=` fills the field.
import { A, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { AccountId } from "../../../worker/shared/api";
import { api, request } from "../api/client";
import { createSubmission } from "../lib/form";
import { TextField } from "../ui/field";
import { Alert } from "../ui/feedback";

export default function ForgotPasswordPage() {
	const [params] = useSearchParams<{ account?: string; email?: string }>();
	// Only a well-formed account id goes back to the server or into a link.
	const accountId = () => {
		const parsed = AccountId.safeParse(params.account);
		return parsed.success ? parsed.data : undefined;
	};
	const [email, setEmail] = createSignal(params.email ?? "");
	const [sent, setSent] = createSignal("");
	const form = createSubmission();
	const signInHref = () => (accountId() ? `/${accountId()}/` : "/signin");

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const account = accountId();
			const answer = await request(api["password-resets"].$post({ json: account ? { email: email(), accountId: account } : { email: email() } }));
			setSent(answer.message);
		});

	return (
		<main class="auth-page" id="main">
			<div class="auth-card">
				<div class="auth-brand">
					<div class="brand-mark" aria-hidden="true">
						T
					</div>
					<h1>Forgot your password?</h1>
					<p class="muted">Enter the e-mail address you sign in with. We send you a link to choose a new password.</p>
				</div>
				<Show
					when={sent()}
					fallback={
						<form class="card" onSubmit={submit} novalidate>
							<div class="card-body">
								<Show when={form.error()}>
									<Alert kind="error">{form.error()}</Alert>
								</Show>
								<TextField label="E-mail address" type="email" autocomplete="username" inputMode="email" value={email()} onInput={setEmail} error={form.field("email")} required autofocus />
								<button type="submit" class="btn btn-primary" disabled={form.busy()}>
									{form.busy() ? "Sending…" : "Send me a link"}
								</button>
							</div>
						</form>
					}
				>
					<div class="card">
						<div class="card-body stack">
							<Alert kind="success">{sent()}</Alert>
							<p class="muted">No e-mail after a few minutes? Check your spam folder, or ask again.</p>
						</div>
					</div>
				</Show>
				<p class="muted" style={{ "text-align": "center" }}>
					<A href={signInHref()}>Back to sign in</A>
				</p>
			</div>
		</main>
	);
}

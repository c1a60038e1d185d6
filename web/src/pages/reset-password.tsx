// The page a reset link opens (/reset-password?token=…): choose a new password. Setting it ends
// every session of the person, this browser's too, so the page then offers to sign in.
import { A, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { EmailLinkToken } from "../../../worker/shared/identity-api";
import { api, ApiError, messageOf, request } from "../api/client";
import { useSession } from "../api/session";
import { createSubmission } from "../lib/form";
import { formatDateTime } from "../lib/format";
import { NewPasswordField } from "../ui/field";
import { Alert, Spinner } from "../ui/feedback";

type Link = { kind: "live"; email: string; expiresAt: string } | { kind: "dead" };

export default function ResetPasswordPage() {
	const [params] = useSearchParams<{ token?: string }>();
	const { set } = useSession();
	const token = () => {
		const parsed = EmailLinkToken.safeParse(params.token);
		return parsed.success ? parsed.data : undefined;
	};
	const [link] = createResource(
		() => token() ?? "",
		async (t): Promise<Link> => {
			if (!t) return { kind: "dead" };
			try {
				return { kind: "live", ...(await request(api["password-resets"][":token"].$get({ param: { token: t } }))) };
			} catch (err) {
				if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return { kind: "dead" };
				throw err;
			}
		},
	);
	const [password, setPassword] = createSignal("");
	const [done, setDone] = createSignal(false);
	const form = createSubmission();
	const live = () => {
		const l = link();
		return l?.kind === "live" ? l : undefined;
	};

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const t = token();
			if (!t) return;
			await request(api["password-resets"][":token"].$post({ param: { token: t }, json: { password: password() } }));
			// Every session ended, this one too.
			set(null);
			setDone(true);
		});

	return (
		<main class="auth-page" id="main">
			<div class="auth-card">
				<div class="auth-brand">
					<div class="brand-mark" aria-hidden="true">
						T
					</div>
					<h1>Choose a new password</h1>
				</div>
				<Switch fallback={<Spinner />}>
					<Match when={done()}>
						<div class="card">
							<div class="card-body stack">
								<Alert kind="success">Your new password is set. You were signed out everywhere; sign in with the new password.</Alert>
								<A class="btn btn-primary" href="/signin">
									Sign in
								</A>
							</div>
						</div>
					</Match>
					<Match when={link.error}>
						<Alert kind="error">{messageOf(link.error)}</Alert>
					</Match>
					<Match when={link()?.kind === "dead"}>
						<Alert kind="warning">This link does not work any more: it was used, replaced by a newer one, or it expired (links work for 30 minutes).</Alert>
						<p class="muted" style={{ "text-align": "center" }}>
							<A href="/forgot-password">Ask for a new link</A>
						</p>
					</Match>
					<Match when={live()}>
						{(l) => (
							<form class="card" onSubmit={submit} novalidate>
								<div class="card-body">
									<p>
										For <strong>{l().email}</strong>. <span class="muted">This link works until {formatDateTime(l().expiresAt)}.</span>
									</p>
									{/* For password managers: the account the new password belongs to. */}
									<input type="email" autocomplete="username" value={l().email} readOnly hidden />
									<Show when={form.error()}>
										<Alert kind="error">{form.error()}</Alert>
									</Show>
									<NewPasswordField label="New password" value={password()} onInput={setPassword} error={form.field("password")} />
									<button type="submit" class="btn btn-primary" disabled={form.busy()}>
										{form.busy() ? "Saving…" : "Set new password"}
									</button>
								</div>
							</form>
						)}
					</Match>
				</Switch>
			</div>
		</main>
	);
}

// The page a verification link opens (/verify-email?token=…): confirms the address at once, in
// whichever browser the link is opened (no session needed), and reloads the session if there is one.
import { A, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, Match, Switch } from "solid-js";
import { EmailLinkToken } from "../../../worker/shared/identity-api";
import { api, ApiError, messageOf, request } from "../api/client";
import { useSession } from "../api/session";
import { Alert, Spinner } from "../ui/feedback";

type Outcome = { kind: "verified"; email: string } | { kind: "dead" };

export default function VerifyEmailPage() {
	const [params] = useSearchParams<{ token?: string }>();
	const { session, refresh } = useSession();
	const [sessionLoaded, setSessionLoaded] = createSignal(false);
	createEffect(() => {
		if (!session.loading) setSessionLoaded(true);
	});
	const [outcome] = createResource(
		// Once the session has first loaded (a signed-in browser's write must carry its CSRF token),
		// and only once: reloading the session afterwards must not use the link a second time.
		() => (sessionLoaded() ? { raw: params.token ?? "" } : false),
		async ({ raw }): Promise<Outcome> => {
			const token = EmailLinkToken.safeParse(raw);
			if (!token.success) return { kind: "dead" };
			try {
				const verified = await request(api["email-verification"][":token"].$post({ param: { token: token.data } }));
				await refresh();
				return { kind: "verified", email: verified.email };
			} catch (err) {
				if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return { kind: "dead" };
				throw err;
			}
		},
	);
	const home = () => {
		const first = session()?.memberships[0];
		return first ? `/${first.account.id}/` : "/signin";
	};

	return (
		<main class="auth-page" id="main">
			<div class="auth-card">
				<div class="auth-brand">
					<div class="brand-mark" aria-hidden="true">
						T
					</div>
					<h1>Confirm your e-mail address</h1>
				</div>
				<Switch fallback={<Spinner label="Confirming…" />}>
					<Match when={outcome.error}>
						<Alert kind="error">{messageOf(outcome.error)}</Alert>
					</Match>
					<Match when={(() => { const o = outcome(); return o?.kind === "verified" ? o : undefined; })()}>
						{(o) => (
							<div class="card">
								<div class="card-body stack">
									<Alert kind="success">Thank you: {o().email} is confirmed. Trustdesk can now e-mail you, and your invitations go out.</Alert>
									<A class="btn btn-primary" href={home()}>
										Continue
									</A>
								</div>
							</div>
						)}
					</Match>
					<Match when={outcome()?.kind === "dead"}>
						<Alert kind="warning">
							This link does not work any more: it was used, replaced by a newer one, or it expired. Sign in and choose “Send the link again” in the banner at the top.
						</Alert>
						<p class="muted" style={{ "text-align": "center" }}>
							<A href={home()}>Go to Trustdesk</A>
						</p>
					</Match>
				</Switch>
			</div>
		</main>
	);
}

// Shown on every page of an account until the person confirms their e-mail address: what waits
// for it, and a way to get the link again.
import { createSignal, Show } from "solid-js";
import { api, messageOf, request } from "../../api/client";
import { useSession } from "../../api/session";

export function VerifyEmailBanner(props: { accountId: string }) {
	const { session } = useSession();
	const [busy, setBusy] = createSignal(false);
	const [note, setNote] = createSignal("");
	const unverified = () => {
		const s = session();
		return s && !s.emailVerified ? s : undefined;
	};

	const resend = async () => {
		setBusy(true);
		try {
			const answer = await request(api["email-verification"].$post({ json: { accountId: props.accountId } }));
			setNote(answer.message);
		} catch (err) {
			setNote(messageOf(err));
		} finally {
			setBusy(false);
		}
	};

	return (
		<Show when={unverified()}>
			{(s) => (
				<div class="alert alert-warning verify-banner" role="region" aria-label="Confirm your e-mail address">
					<p>
						<strong>Confirm your e-mail address.</strong> We sent a link to {s().person.email}. Until you follow it, Trustdesk sends you no notification
						e-mails and your invitations wait.
					</p>
					<div class="row">
						<button type="button" class="btn btn-sm" disabled={busy()} onClick={() => void resend()}>
							{busy() ? "Sending…" : "Send the link again"}
						</button>
						<span class="muted" role="status">
							{note()}
						</span>
					</div>
				</div>
			)}
		</Show>
	);
}

// The signed-in person's pending invitations, as a card: "Acme Corporation invites you to join as
// Specialist — Accept / Decline". Shown on every home page of theirs (and on sign-up, where people
// without an account land); nothing shows when there are none.
import { useNavigate } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import type { Invitation } from "../../../worker/shared/invitation-api";
import { api, messageOf, request, requestAll } from "../api/client";
import { useSession } from "../api/session";
import { formatDate } from "../lib/format";
import { invitationSentence } from "../lib/invitations";
import { createLoader } from "../lib/live";
import { Alert, notify } from "../ui/feedback";

export function MyInvitations() {
	const { session, refresh } = useSession();
	const navigate = useNavigate();
	// A loader, not a resource: a card that may well stay empty must not suspend the page around it.
	const list = createLoader(
		() => session()?.person.id,
		() => requestAll((query) => api.invitations.$get({ query })),
	);
	const invitations = list.data;
	const refetch = list.refresh;
	const [busy, setBusy] = createSignal<string | null>(null);
	const [error, setError] = createSignal("");

	const answer = async (invitation: Invitation, action: "accept" | "decline") => {
		setBusy(invitation.id);
		setError("");
		try {
			const param = { invitationId: invitation.id };
			if (action === "accept") {
				await request(api.invitations[":invitationId"].accept.$post({ param }));
				// The new membership is in the session from now on: the account switcher shows it.
				await refresh();
				notify(`You joined ${invitation.account.name}.`);
				navigate(`/${invitation.account.id}/`);
			} else {
				await request(api.invitations[":invitationId"].decline.$post({ param }));
				notify(`You declined the invitation to ${invitation.account.name}.`);
				await refetch();
			}
		} catch (err) {
			setError(messageOf(err));
			await refetch();
		} finally {
			setBusy(null);
		}
	};

	return (
		<Show when={(invitations() ?? []).length > 0}>
			<section class="card" aria-labelledby="my-invitations-title">
				<div class="card-header">
					<h2 id="my-invitations-title">Invitations for you</h2>
				</div>
				<div class="card-body stack">
					<Show when={error()}>
						<Alert kind="error">{error()}</Alert>
					</Show>
					<ul class="plain compact-list">
						<For each={invitations()}>
							{(i) => (
								<li aria-label={`Invitation to ${i.account.name}`}>
									<div class="row">
										<div class="stack-sm spacer">
											<strong>{invitationSentence(i)}</strong>
											<span class="compact-meta muted">
												Invited by {i.invitedBy.name} · open until {formatDate(i.expiresAt)}
											</span>
										</div>
										<button type="button" class="btn btn-primary btn-sm" disabled={busy() !== null} onClick={() => void answer(i, "accept")} aria-label={`Accept the invitation to ${i.account.name}`}>
											Accept
										</button>
										<button type="button" class="btn btn-sm" disabled={busy() !== null} onClick={() => void answer(i, "decline")} aria-label={`Decline the invitation to ${i.account.name}`}>
											Decline
										</button>
									</div>
								</li>
							)}
						</For>
					</ul>
				</div>
			</section>
		</Show>
	);
}

// Home: trusts other accounts asked this one for and that wait for its answer, live, for those
// who may answer (trusts:write, the account administrators): accept or decline here.
import { A } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import type { Trust, TrustAction } from "../../../../worker/shared/trust-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { createLoader, createStableList } from "../../lib/live";
import { relation } from "../../lib/trusts";
import { useLiveTopic } from "../../realtime/context";
import { Alert, notify } from "../../ui/feedback";
import { useAccount } from "./context";

export function TrustRequestsCard() {
	const { account, can } = useAccount();
	const trusts = createLoader(
		() => (can("trusts:write") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	useLiveTopic(["trusts"], () => void trusts.refresh());
	const waiting = createStableList(() => (trusts.data() ?? []).filter((t) => t.status === "pending" && t.initiatedBy === "them"), (t) => t.account.id);
	const href = () => `/${account().id}/trusts`;

	return (
		<Show when={waiting().length > 0}>
			{/* A labelled region: it asks for an answer, so it should be found among the landmarks. */}
			<section class="card" aria-labelledby="trust-requests-title">
				<div class="card-header">
					<h2 id="trust-requests-title">{waiting().length === 1 ? "A trust waits for your answer" : `${waiting().length} trusts wait for your answer`}</h2>
					<span class="spacer" />
					<A href={href()}>All trusts</A>
				</div>
				<div class="card-body">
					<ul class="plain compact-list" aria-label="Trust requests">
						<For each={waiting()}>{(t) => <TrustRequest trust={t} onAnswered={() => void trusts.refresh()} />}</For>
					</ul>
				</div>
			</section>
		</Show>
	);
}

const DONE: Record<"accept" | "reject", (name: string) => string> = {
	accept: (n) => `You accepted the trust with ${n}.`,
	reject: (n) => `You declined the request of ${n}.`,
};

function TrustRequest(props: { trust: Trust; onAnswered: () => void }) {
	const { account } = useAccount();
	const [busy, setBusy] = createSignal(false);
	const [error, setError] = createSignal("");
	const answer = async (action: Extract<TrustAction, "accept" | "reject">) => {
		setBusy(true);
		setError("");
		try {
			await request(
				api.accounts[":accountId"].trusts[":otherAccountId"][":action"].$post({ param: { accountId: account().id, otherAccountId: props.trust.account.id, action } }),
			);
			notify(DONE[action](props.trust.account.name));
			props.onAnswered();
		} catch (err) {
			setError(messageOf(err));
		} finally {
			setBusy(false);
		}
	};
	return (
		<li data-testid="trust-request">
			<span>{relation(props.trust)}</span>
			<span class="compact-meta">
				<button type="button" class="btn btn-sm btn-primary" disabled={busy()} onClick={() => void answer("accept")} aria-label={`Accept the trust with ${props.trust.account.name}`}>
					Accept
				</button>
				<button type="button" class="btn btn-sm" disabled={busy()} onClick={() => void answer("reject")} aria-label={`Decline the request of ${props.trust.account.name}`}>
					Decline
				</button>
			</span>
			<Show when={error()}>
				<Alert kind="error">{error()}</Alert>
			</Show>
		</li>
	);
}

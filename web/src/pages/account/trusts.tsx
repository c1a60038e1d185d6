// Trusts: which accounts provide services to this one, and which it provides services to. Each
// side agrees through a handshake; answers from the other account arrive in the background, so a
// pending state is normal for a moment, and the page follows them live.
import { createSignal, For, Show } from "solid-js";
import type { Trust, TrustAction, TrustCapabilities, TrustHistoryEntry, TrustRole } from "../../../../worker/shared/trust-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { formatDateTime } from "../../lib/format";
import { createLoader, createStableList } from "../../lib/live";
import { useLiveTopic } from "../../realtime/context";
import { CAPABILITIES, capabilitiesOf, capabilityList, keysOf, NO_CAPABILITIES, TRUST_STATUS } from "../../lib/services";
import { relation } from "../../lib/trusts";
import { StatusBadge } from "../../ui/badge";
import { CheckboxGroup } from "../../ui/checkbox";
import { Confirm, Dialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { RadioGroup } from "../../ui/radio";
import { useAccount } from "./context";

const CAPABILITY_OPTIONS = CAPABILITIES.map((c) => ({ value: c.key, label: c.label, description: c.description }));

const HISTORY_PHRASES: Record<string, string> = {
	requested: "asked for the trust",
	accepted: "accepted the trust",
	rejected: "declined the request",
	cancelled: "withdrew the request",
	deactivated: "deactivated the trust",
	"proposed capabilities": "proposed new capabilities",
	"accepted capabilities": "accepted the new capabilities",
	"rejected capabilities": "declined the new capabilities",
};

const DONE: Record<TrustAction, (name: string) => string> = {
	accept: (n) => `You accepted the trust with ${n}.`,
	reject: (n) => `You declined the request of ${n}.`,
	cancel: (n) => `Your request to ${n} was withdrawn.`,
	deactivate: (n) => `The trust with ${n} was deactivated.`,
	"accept-capabilities": (n) => `The new capabilities are agreed with ${n}.`,
	"reject-capabilities": (n) => `You declined the capabilities ${n} proposed.`,
};

export default function TrustsPage() {
	const { account, can } = useAccount();
	// A loader, not a resource: live refreshes must not suspend the page into a spinner.
	const trusts = createLoader(
		() => account().id,
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	// Rows whose trust did not change keep their DOM (focus, an open confirmation) across live refreshes.
	const items = createStableList(() => trusts.data() ?? [], (t) => t.account.id);
	// Each trust counts its live SLAs too: those change with the SLAs, provided or received.
	useLiveTopic(["trusts", "slas", "received_slas"], () => void trusts.refresh());
	const [asking, setAsking] = createSignal<{ accountId: string; ourRole: TrustRole } | null>(null);
	const [proposing, setProposing] = createSignal<Trust | null>(null);

	const act = async (t: Trust, action: TrustAction) => {
		await request(
			api.accounts[":accountId"].trusts[":otherAccountId"][":action"].$post({ param: { accountId: account().id, otherAccountId: t.account.id, action } }),
		);
		notify(DONE[action](t.account.name));
		await trusts.refresh();
	};

	return (
		<>
			<PageHeader
				title="Trusts"
				subtitle={`Accounts that provide services to ${account().name}, and accounts it provides services to. A trust is active once both sides agree.`}
				actions={
					<>
						<button type="button" class="btn" onClick={() => void trusts.refresh()} disabled={trusts.loading()}>
							Refresh
						</button>
						<Show when={can("trusts:write")}>
							<button type="button" class="btn btn-primary" onClick={() => setAsking({ accountId: "", ourRole: "customer" })}>
								Ask for a trust
							</button>
						</Show>
					</>
				}
			/>
			<Show when={trusts.error()}>
				<Alert kind="error">Could not load trusts: {messageOf(trusts.error())}</Alert>
			</Show>
			<Show when={trusts.data() || trusts.error()} fallback={<Spinner />}>
				<Show
					when={items().length > 0}
					fallback={
						<div class="card">
							<EmptyState
								title="No trusts yet"
								action={
									<Show when={can("trusts:write")}>
										<button type="button" class="btn btn-primary" onClick={() => setAsking({ accountId: "", ourRole: "customer" })}>
											Ask for a trust
										</button>
									</Show>
								}
							>
								Ask your service provider for a trust (by its account id) so that it can offer {account().name} its services.
							</EmptyState>
						</div>
					}
				>
					<ul class="item-list" aria-label="Trusts">
						<For each={items()}>
							{(t) => (
								<TrustCard
									trust={t}
									onAct={(action) => act(t, action)}
									onPropose={() => setProposing(t)}
									onAskAgain={() => setAsking({ accountId: t.account.id, ourRole: t.ourRole })}
								/>
							)}
						</For>
					</ul>
				</Show>
			</Show>
			<Show when={asking()} keyed>
				{(initial) => (
					<AskDialog
						initial={initial}
						onClose={() => setAsking(null)}
						onAsked={async () => {
							setAsking(null);
							await trusts.refresh();
						}}
					/>
				)}
			</Show>
			<Show when={proposing()} keyed>
				{(t) => (
					<ProposeDialog
						trust={t}
						onClose={() => setProposing(null)}
						onSaved={async () => {
							setProposing(null);
							await trusts.refresh();
						}}
					/>
				)}
			</Show>
		</>
	);
}

function CapabilityBadges(props: { capabilities: TrustCapabilities }) {
	return (
		<Show when={capabilityList(props.capabilities).length > 0} fallback={<span class="muted">None</span>}>
			<div class="badges">
				<For each={capabilityList(props.capabilities)}>{(c) => <span class="badge">{c}</span>}</For>
			</div>
		</Show>
	);
}

function TrustCard(props: { trust: Trust; onAct: (action: TrustAction) => Promise<void>; onPropose: () => void; onAskAgain: () => void }) {
	const { account, can } = useAccount();
	const [busy, setBusy] = createSignal(false);
	const [error, setError] = createSignal("");
	const t = () => props.trust;
	const them = () => t().account.name;
	const status = () => TRUST_STATUS[t().status];
	const accountName = (id: string) => (id === account().id ? account().name : id === t().account.id ? t().account.name : id);
	const asker = () => [...t().history].reverse().find((h) => h.action === "requested");

	const run = async (action: TrustAction) => {
		setBusy(true);
		setError("");
		try {
			await props.onAct(action);
		} catch (err) {
			setError(messageOf(err));
		} finally {
			setBusy(false);
		}
	};

	const headingId = () => `trust-${t().account.id}`;

	return (
		<li class="card" aria-labelledby={headingId()}>
			<div class="card-body stack-sm">
				<div class="item-head">
					<h2 id={headingId()}>{them()}</h2>
					<code class="muted">{t().account.id}</code>
					<span class="spacer" />
					<StatusBadge tone={status().tone}>{status().label}</StatusBadge>
				</div>
				<p class="lead">{relation(t())}</p>
				<dl class="fact-grid">
					<div>
						<dt>Asked by</dt>
						<dd>
							<Show when={asker()} fallback={t().initiatedBy === "us" ? account().name : them()}>
								{(h) => (
									<>
										{h().actor.name} ({accountName(h().actor.accountId)})
										<div class="muted">{formatDateTime(h().at)}</div>
									</>
								)}
							</Show>
						</dd>
					</div>
					<div>
						<dt>Capabilities</dt>
						<dd>
							<CapabilityBadges capabilities={t().capabilities} />
						</dd>
					</div>
					<Show when={t().status === "active" || capabilityList(t().proposedCapabilities ?? NO_CAPABILITIES).length > 0 ? t().proposedCapabilities : null}>
						{(proposed) => (
							<div>
								<dt>{t().status === "pending" ? "Asked for" : "Proposed change"}</dt>
								<dd>
									<CapabilityBadges capabilities={proposed()} />
									<div class="muted">{t().proposedBy === "us" ? `proposed by ${account().name}` : `proposed by ${them()}`}</div>
								</dd>
							</div>
						)}
					</Show>
					<div>
						<dt>Active SLAs</dt>
						<dd>{t().activeSlaCount}</dd>
					</div>
					<div>
						<dt>Last change</dt>
						<dd>{formatDateTime(t().updatedAt)}</dd>
					</div>
				</dl>
				<Show when={error()}>
					<Alert kind="error">{error()}</Alert>
				</Show>
				<Show when={can("trusts:write")}>
					<div class="row">
						<Show when={t().status === "pending" && t().initiatedBy === "them"}>
							<button type="button" class="btn btn-primary btn-sm" disabled={busy()} onClick={() => void run("accept")} aria-label={`Accept the trust with ${them()}`}>
								Accept
							</button>
							<Confirm
								title={`Decline the request of ${them()}?`}
								description={`${them()} is told at once. It can ask again later.`}
								confirmLabel="Decline"
								onConfirm={() => props.onAct("reject")}
								triggerLabel="Decline"
								triggerAriaLabel={`Decline the request of ${them()}`}
							/>
						</Show>
						<Show when={t().status === "pending" && t().initiatedBy === "us"}>
							<Confirm
								title={`Withdraw your request to ${them()}?`}
								description="The request is cancelled on both sides. You can ask again later."
								confirmLabel="Withdraw request"
								onConfirm={() => props.onAct("cancel")}
								triggerLabel="Withdraw request"
								triggerAriaLabel={`Withdraw the request to ${them()}`}
							/>
						</Show>
						<Show when={t().status === "active" && t().proposedBy === "them"}>
							<button
								type="button"
								class="btn btn-primary btn-sm"
								disabled={busy()}
								onClick={() => void run("accept-capabilities")}
								aria-label={`Accept the capabilities ${them()} proposed`}
							>
								Accept proposal
							</button>
							<button type="button" class="btn btn-sm" disabled={busy()} onClick={() => void run("reject-capabilities")} aria-label={`Decline the capabilities ${them()} proposed`}>
								Decline proposal
							</button>
						</Show>
						{/* One proposal at a time: ours waits for their answer before another can be made. */}
						<Show when={t().status === "active" && t().proposedBy === null}>
							<button type="button" class="btn btn-sm" onClick={props.onPropose} aria-label={`Propose capabilities to ${them()}`}>
								Propose capabilities
							</button>
						</Show>
						<Show when={t().status === "active"}>
							<Confirm
								title={`Deactivate the trust with ${them()}?`}
								description={
									t().ourRole === "customer"
										? `${them()} can no longer offer services to ${account().name} or see its data.${t().activeSlaCount > 0 ? ` ${them()} still has ${t().activeSlaCount} active SLA${t().activeSlaCount === 1 ? "" : "s"} with you: those must be expired first.` : ""}`
										: `${account().name} can no longer offer services to ${them()}.${t().activeSlaCount > 0 ? ` Expire the ${t().activeSlaCount} active SLA${t().activeSlaCount === 1 ? "" : "s"} first.` : ""}`
								}
								confirmLabel="Deactivate"
								onConfirm={() => props.onAct("deactivate")}
								triggerLabel="Deactivate"
								triggerAriaLabel={`Deactivate the trust with ${them()}`}
							/>
						</Show>
						<Show when={t().status === "rejected" || t().status === "cancelled" || t().status === "deactivated"}>
							<button type="button" class="btn btn-sm" onClick={props.onAskAgain} aria-label={`Ask ${them()} for a trust again`}>
								Ask again
							</button>
						</Show>
					</div>
				</Show>
				<History entries={t().history} accountName={accountName} />
			</div>
		</li>
	);
}

function History(props: { entries: TrustHistoryEntry[]; accountName: (id: string) => string }) {
	return (
		<details class="history">
			<summary>History ({props.entries.length})</summary>
			<ol class="timeline">
				<For each={[...props.entries].reverse()}>
					{(h) => (
						<li>
							<time datetime={h.at} class="muted">
								{formatDateTime(h.at)}
							</time>
							<span>
								<strong>{h.actor.name}</strong> <span class="muted">({props.accountName(h.actor.accountId)})</span> {HISTORY_PHRASES[h.action] ?? h.action}
								<Show when={h.detail}>
									<span class="muted"> — {h.detail}</span>
								</Show>
							</span>
						</li>
					)}
				</For>
			</ol>
		</details>
	);
}

function AskDialog(props: { initial: { accountId: string; ourRole: TrustRole }; onClose: () => void; onAsked: () => Promise<void> }) {
	const { account } = useAccount();
	const [otherId, setOtherId] = createSignal(props.initial.accountId);
	const [ourRole, setOurRole] = createSignal<TrustRole>(props.initial.ourRole);
	const [capabilities, setCapabilities] = createSignal<(keyof TrustCapabilities)[]>([]);
	const form = createSubmission();

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const t = await request(
				api.accounts[":accountId"].trusts.$post({
					param: { accountId: account().id },
					json: { accountId: otherId().trim().toLowerCase(), ourRole: ourRole(), capabilities: capabilitiesOf(capabilities()) },
				}),
			);
			notify(t.status === "active" ? `The trust with ${t.account.name} is active.` : `You asked ${t.account.name} for a trust. It becomes active when they accept.`);
			await props.onAsked();
		});

	return (
		<Dialog open onOpenChange={(o) => !o && props.onClose()} title="Ask for a trust" description="The other account's administrator accepts or declines your request.">
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField
					label="Account id of the other organisation"
					value={otherId()}
					onInput={setOtherId}
					error={form.field("accountId")}
					required
					autocomplete="off"
					placeholder="widget-dc"
					description="As in the address of its portal: …/widget-dc/ has the id widget-dc."
				/>
				<RadioGroup
					legend="Relationship"
					value={ourRole()}
					onChange={setOurRole}
					error={form.field("ourRole")}
					options={[
						{ value: "customer", label: "They provide services to us", description: `They can offer ${account().name} services through SLAs.` },
						{ value: "provider", label: "We provide services to them", description: `${account().name} can offer them services through SLAs.` },
					]}
				/>
				<CheckboxGroup legend="Capabilities (optional)" options={CAPABILITY_OPTIONS} selected={capabilities()} onChange={setCapabilities} error={form.under("capabilities")} />
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{form.busy() ? "Asking…" : "Ask for a trust"}
					</button>
				</div>
			</form>
		</Dialog>
	);
}

function ProposeDialog(props: { trust: Trust; onClose: () => void; onSaved: () => Promise<void> }) {
	const { account } = useAccount();
	const start = props.trust.proposedBy === "us" && props.trust.proposedCapabilities ? props.trust.proposedCapabilities : props.trust.capabilities;
	const [capabilities, setCapabilities] = createSignal<(keyof TrustCapabilities)[]>(keysOf(start));
	const form = createSubmission();
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			await request(
				api.accounts[":accountId"].trusts[":otherAccountId"].capabilities.$put({
					param: { accountId: account().id, otherAccountId: props.trust.account.id },
					json: { capabilities: capabilitiesOf(capabilities()) },
				}),
			);
			notify(`Your proposal was sent to ${props.trust.account.name}. The capabilities change when they accept.`);
			await props.onSaved();
		});
	return (
		<Dialog
			open
			onOpenChange={(o) => !o && props.onClose()}
			title={`Capabilities with ${props.trust.account.name}`}
			description={`They change only when ${props.trust.account.name} accepts your proposal.`}
		>
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<CheckboxGroup legend="Capabilities" options={CAPABILITY_OPTIONS} selected={capabilities()} onChange={setCapabilities} error={form.under("capabilities")} />
				<div class="dialog-footer">
					<button type="button" class="btn" onClick={props.onClose}>
						Cancel
					</button>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						Propose
					</button>
				</div>
			</form>
		</Dialog>
	);
}

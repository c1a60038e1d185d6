// One request, for everyone who may see it: the requester, the account's specialists, and the
// team that works on it (often in a provider's account: the API resolves requests of other
// accounts that this account's teams work on). A live timeline of notes and changes, and the
// actions the API says this person may take now.
import { A, useLocation, useParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import type { AuditEntry, CompletionReason, Request, RequestCommand, RequestImpact, RequestNote, RequestStatus } from "../../../../worker/shared/request-api";
import { api, ApiError, messageOf, request, requestAll } from "../../api/client";
import { useSession } from "../../api/session";
import { formatDateTime } from "../../lib/format";
import { createHighlights, createLoader, createStableList } from "../../lib/live";
import { createRetryKeys } from "../../lib/retry-key";
import { auditPhrase, CATEGORY, COMPLETION_REASON, COMPLETION_REASONS, IMPACT, IMPACTS, nextStatuses, serviceLine, STATUS, statusLabel, teamLine } from "../../lib/requests";
import { useLiveRefresh } from "../../realtime/context";
import { announce } from "../../ui/announcer";
import { StatusBadge } from "../../ui/badge";
import { Checkbox } from "../../ui/checkbox";
import { Confirm } from "../../ui/dialog";
import { SelectField, TextField } from "../../ui/field";
import { Alert, notify, Spinner } from "../../ui/feedback";
import { AttachmentList, AttachmentPicker, createUploads, pastedFiles } from "./attachments";
import { useAccount } from "./context";
import type { RequestListKind } from "./request-list";
import { ReturnedNotice } from "./returned-requests";
import { RequesterPromise, ServiceLevelCard } from "./sla-clock";

type TimelineItem =
	| { kind: "note"; key: string; at: string; note: RequestNote }
	| { kind: "change"; key: string; at: string; actor: AuditEntry["actor"]; entries: AuditEntry[] };

/** Notes and audit entries in time order; one action's changes (same time, same person) together. */
function timelineOf(r: Request): TimelineItem[] {
	const items: TimelineItem[] = [];
	for (const a of r.audit) {
		const last = items[items.length - 1];
		if (last?.kind === "change" && last.at === a.at && last.actor.name === a.actor.name && last.actor.accountId === a.actor.accountId) last.entries.push(a);
		else items.push({ kind: "change", key: `change-${a.at}-${a.field}-${a.to ?? ""}`, at: a.at, actor: a.actor, entries: [a] });
	}
	for (const n of r.notes) items.push({ kind: "note", key: n.id, at: n.createdAt, note: n });
	// Stable sort: at the same moment, what changed comes before the note that went with it.
	return items.sort((x, y) => x.at.localeCompare(y.at) || (x.kind === y.kind ? 0 : x.kind === "change" ? -1 : 1));
}

export default function RequestPage() {
	const params = useParams<{ requestId: string }>();
	const { account, can } = useAccount();
	const { session } = useSession();
	const me = () => session()?.person.id ?? "";

	const req = createLoader(
		() => ({ accountId: account().id, requestId: params.requestId }),
		({ accountId, requestId }) => request(api.accounts[":accountId"].requests[":requestId"].$get({ param: { accountId, requestId } })),
	);
	// The SLA clock, kept by the provider and shown in both accounts; refetched with the request.
	const slas = createLoader(
		() => ({ accountId: account().id, requestId: params.requestId }),
		({ accountId, requestId }) => request(api.accounts[":accountId"].requests[":requestId"].slas.$get({ param: { accountId, requestId } })).then((l) => l.items),
	);
	const clocks = createStableList(() => slas.data() ?? [], (s) => s.id);
	const timeline = createStableList(() => (req.data() ? timelineOf(req.data() as Request) : []), (i) => i.key);
	const fresh = createHighlights(8000);

	useLiveRefresh(
		(e) => e.requestId === params.requestId,
		async () => {
			void slas.refresh();
			const before = req.data();
			const after = await req.refresh();
			if (before && after) describeChanges(before, after, me(), fresh.add);
		},
	);

	const retry = createRetryKeys();
	/**
	 * Runs a command on the request, then shows the request as it is now. The same command sent
	 * again after a lost answer (the same note, say) is applied once.
	 */
	const act = async (cmd: RequestCommand) => {
		const param = { accountId: account().id, requestId: params.requestId };
		await request(api.accounts[":accountId"].requests[":requestId"].actions.$post({ param, json: cmd }, { headers: retry.headersFor({ requestId: params.requestId, cmd }) }));
		retry.done();
		void slas.refresh();
		await req.refresh();
	};

	// A request without an SLA clock (or one this person may not see) simply has no card.
	const slaError = () => {
		const e = slas.error();
		return e instanceof ApiError && (e.status === 404 || e.status === 403) ? undefined : e;
	};
	const notFound = () => req.error() instanceof ApiError && (req.error() as ApiError).status === 404;
	const isRequester = () => {
		const r = req.data();
		return !!r && r.owner.id === account().id && (r.requestedBy.id === me() || r.requestedFor.id === me());
	};
	// Back to the list the person came from (a link in a list says which), else the likeliest one.
	const location = useLocation<{ from?: RequestListKind; back?: { href: string; label: string } }>();
	const back = () => {
		// A list that is not a request list (an SLA report's requests) says where it is itself.
		const given = location.state?.back;
		if (given && given.href.startsWith(`/${account().id}/`)) return given;
		const from = location.state?.from ?? (isRequester() || !can("inbox:read") ? "mine" : "inbox");
		if (from === "inbox" && can("inbox:read")) return { href: `/${account().id}/inbox`, label: "Inbox" };
		if (from === "account") return { href: `/${account().id}/requests?scope=account`, label: `Requests of ${account().name}` };
		return { href: `/${account().id}/requests`, label: "My requests" };
	};

	/** An account id as people know it. */
	const accountName = (id: string) => {
		const r = req.data();
		if (id === account().id) return account().name;
		if (r && id === r.owner.id) return r.owner.name;
		if (r && id === r.provider?.id) return r.provider.name;
		return id;
	};

	return (
		<Switch>
			<Match when={notFound()}>
				<div class="card">
					<div class="card-body stack-sm">
						<h1>Request not found</h1>
						<p class="muted">This request does not exist, or you may not see it (any more): for example when it was assigned to a team you are not in.</p>
						<div>
							<A class="btn" href={back().href}>
								Back to {back().label}
							</A>
						</div>
					</div>
				</div>
			</Match>
			<Match when={req.error() && !req.data()}>
				<Alert kind="error">Could not load the request: {messageOf(req.error())}</Alert>
			</Match>
			<Match when={!req.data()}>
				<Spinner label="Loading the request…" />
			</Match>
			<Match when={req.data()}>
				{(r) => (
					<>
						<nav aria-label="Breadcrumb" class="breadcrumb">
							<A href={back().href}>
								<span aria-hidden="true">← </span>
								{back().label}
							</A>
						</nav>
						<header class="request-header">
							<h1>{r().subject}</h1>
							<div class="row request-badges">
								<span class="muted">
									#{r().number}
									<Show when={r().owner.id !== account().id}> · {r().owner.name}</Show>
								</span>
								<StatusBadge tone={STATUS[r().status].tone}>{statusLabel(r().status, isRequester())}</StatusBadge>
								<span class="badge">{IMPACT[r().impact].label} impact</span>
								<span class="badge">{CATEGORY[r().category].short}</span>
							</div>
							<Show when={isRequester() && r().status !== "completed"}>
								<RequesterPromise slas={clocks()} />
							</Show>
							<ReturnedNotice request={r()} />
							<Show when={r().event}>
								{(e) => (
									<p class="muted event-origin" data-testid="event-origin">
										Opened by an event from {e().source} · {e().sourceId}
										<Show when={e().ci}>{(ci) => <> · about {ci()}</>}</Show>
									</p>
								)}
							</Show>
						</header>
						<Show when={req.error()}>
							<Alert kind="warning">Could not refresh the request: {messageOf(req.error())}</Alert>
						</Show>
						<div class="request-layout">
							<div class="request-details stack">
								<ServiceLevelCard slas={slas.data() ? clocks() : undefined} error={slaError()} isRequester={isRequester()} />
								<Details request={r()} accountName={accountName} isRequester={isRequester()} />
							</div>
							<div class="request-actions">
								<Actions request={r()} act={act} isRequester={isRequester()} />
							</div>
							<div class="request-main stack">
								<section class="card" aria-labelledby="timeline-title">
									<div class="card-header">
										<h2 id="timeline-title">Timeline</h2>
									</div>
									<div class="card-body">
										<ol class="request-timeline" aria-label="Notes and changes, oldest first">
											<For each={timeline()}>
												{(item) => (
													<Show when={item.kind === "note" ? item : undefined} fallback={<ChangeItem item={item as Extract<TimelineItem, { kind: "change" }>} accountName={accountName} />}>
														{(n) => <NoteItem note={n().note} accountName={accountName} isNew={fresh.has(n().key)} />}
													</Show>
												)}
											</For>
										</ol>
									</div>
								</section>
								<Show when={r().allowed.includes("note")}>
									<NoteComposer request={r()} act={act} isRequester={isRequester()} />
								</Show>
							</div>
						</div>
					</>
				)}
			</Match>
		</Switch>
	);
}

/** After a live refresh: mark and announce notes from others, and a new status. */
function describeChanges(before: Request, after: Request, me: string, highlight: (keys: string[]) => void) {
	const known = new Set(before.notes.map((n) => n.id));
	const added = after.notes.filter((n) => !known.has(n.id));
	highlight(added.map((n) => n.id));
	const messages: string[] = [];
	for (const n of added) {
		if (n.author.id === me) continue;
		const text = n.body.length > 160 ? `${n.body.slice(0, 160)}…` : n.body;
		messages.push(`New ${n.visibility === "internal" ? "internal " : ""}note from ${n.author.name}: ${text}`);
	}
	if (before.status !== after.status) messages.push(`The request is now ${STATUS[after.status].label.toLowerCase()}.`);
	if (messages.length > 0) announce(messages.join(" "));
}

function NoteItem(props: { note: RequestNote; accountName: (id: string) => string; isNew: boolean }) {
	const { account } = useAccount();
	const n = () => props.note;
	const internal = () => n().visibility === "internal";
	return (
		<li class="tl-note" classList={{ "tl-internal": internal(), "row-new": props.isNew }} data-note-id={n().id}>
			<article aria-label={`${internal() ? "Internal note" : "Note"} from ${n().author.name}`}>
				<div class="tl-head">
					<strong>{n().author.name}</strong>
					<span class="muted">{props.accountName(n().author.accountId)}</span>
					<span class="spacer" />
					<time class="muted" datetime={n().createdAt}>
						{formatDateTime(n().createdAt)}
					</time>
				</div>
				<Show when={n().event}>
					{(e) => (
						<p class="muted event-label" data-testid="event-note">
							From the event source {e().source} · {e().sourceId}
						</p>
					)}
				</Show>
				<Show when={internal()}>
					<p class="internal-label">
						<span aria-hidden="true">🔒 </span>Internal — only {props.accountName(n().account)} sees this
					</p>
				</Show>
				{/* Plain text: a text node, never HTML. */}
				<p class="note-body">{n().body}</p>
				<Show when={n().attachments?.length ? n().attachments : undefined}>{(files) => <AttachmentList accountId={account().id} files={files()} />}</Show>
			</article>
		</li>
	);
}

function ChangeItem(props: { item: Extract<TimelineItem, { kind: "change" }>; accountName: (id: string) => string }) {
	return (
		<li class="tl-change">
			<span>
				<strong>{props.item.actor.name}</strong> <span class="muted">({props.accountName(props.item.actor.accountId)})</span>{" "}
				{props.item.entries.map((a) => auditPhrase(a, props.accountName)).join("; ")}
			</span>
			<time class="muted" datetime={props.item.at}>
				{formatDateTime(props.item.at)}
			</time>
		</li>
	);
}

function Details(props: { request: Request; accountName: (id: string) => string; isRequester: boolean }) {
	const { account } = useAccount();
	const r = () => props.request;
	return (
		<section class="card" aria-labelledby="details-title">
			<div class="card-header">
				<h2 id="details-title">Details</h2>
			</div>
			<div class="card-body">
				<dl class="facts request-facts">
					<div class="fact">
						<dt>Status</dt>
						<dd>
							{statusLabel(r().status, props.isRequester)}
							<Show when={r().completionReason}>{(reason) => <div class="muted">{COMPLETION_REASON[reason() as CompletionReason].label}</div>}</Show>
						</dd>
					</div>
					<div class="fact">
						<dt>Impact</dt>
						<dd>
							{IMPACT[r().impact].label}
							<div class="muted">{IMPACT[r().impact].description}</div>
						</dd>
					</div>
					<div class="fact">
						<dt>Category</dt>
						<dd>{CATEGORY[r().category].label}</dd>
					</div>
					<div class="fact">
						<dt>Service</dt>
						<dd>{serviceLine(r())}</dd>
					</div>
					<Show when={r().owner.id !== account().id}>
						<div class="fact">
							<dt>Customer</dt>
							<dd>{r().owner.name}</dd>
						</div>
					</Show>
					<div class="fact">
						<dt>Provider</dt>
						<dd>{r().provider?.name ?? r().owner.name}</dd>
					</div>
					<div class="fact">
						<dt>Team</dt>
						<dd>{teamLine(r())}</dd>
					</div>
					<div class="fact">
						<dt>Member</dt>
						<dd>{r().member?.name ?? "Nobody yet"}</dd>
					</div>
					<div class="fact">
						<dt>Requested by</dt>
						<dd>{r().requestedBy.name}</dd>
					</div>
					<div class="fact">
						<dt>Requested for</dt>
						<dd>{r().requestedFor.name}</dd>
					</div>
					<div class="fact">
						<dt>Registered</dt>
						<dd>
							<time datetime={r().createdAt}>{formatDateTime(r().createdAt)}</time>
						</dd>
					</div>
					<div class="fact">
						<dt>Updated</dt>
						<dd>
							<time datetime={r().updatedAt}>{formatDateTime(r().updatedAt)}</time>
						</dd>
					</div>
					<Show when={r().completedAt}>
						<div class="fact">
							<dt>Completed</dt>
							<dd>
								<time datetime={r().completedAt ?? ""}>{formatDateTime(r().completedAt)}</time>
							</dd>
						</div>
					</Show>
					<div class="fact">
						<dt>Reopened</dt>
						<dd>{r().reopenCount === 1 ? "once" : r().reopenCount === 0 ? "never" : `${r().reopenCount} times`}</dd>
					</div>
					<div class="fact">
						<dt>Assignments</dt>
						<dd>{r().assignmentCount}</dd>
					</div>
				</dl>
			</div>
		</section>
	);
}

/** One action's own busy flag and inline error (a 409 or 400 from the API, said where it happened). */
/** One button that does one thing, with what it does in a sentence and its error, if any. */
function OneClickAction(props: { label: string; hint: string; run: () => Promise<void> }) {
	const action = createAction();
	return (
		<div class="stack-sm">
			<button type="button" class="btn btn-primary" disabled={action.busy()} onClick={() => void action.run(props.run)}>
				{props.label}
			</button>
			<p class="field-description">{props.hint}</p>
			<Show when={action.error()}>
				<Alert kind="error">{action.error()}</Alert>
			</Show>
		</div>
	);
}

/** A request form's submit button and its error, if any. */
function FormFooter(props: { label: string; action: ReturnType<typeof createAction> }) {
	return (
		<>
			<div>
				<button type="submit" class="btn" disabled={props.action.busy()}>
					{props.label}
				</button>
			</div>
			<Show when={props.action.error()}>
				<Alert kind="error">{props.action.error()}</Alert>
			</Show>
		</>
	);
}

function createAction() {
	const [busy, setBusy] = createSignal(false);
	const [error, setError] = createSignal("");
	const run = async (fn: () => Promise<void>): Promise<boolean> => {
		if (busy()) return false;
		setBusy(true);
		setError("");
		try {
			await fn();
			return true;
		} catch (err) {
			setError(messageOf(err));
			return false;
		} finally {
			setBusy(false);
		}
	};
	return { busy, error, setError, run };
}

function Actions(props: { request: Request; act: (cmd: RequestCommand) => Promise<void>; isRequester: boolean }) {
	const r = () => props.request;
	const can = (a: string) => r().allowed.includes(a);
	const any = () => ["accept", "set_status", "set_impact", "assign", "reopen", "withdraw"].some(can);

	return (
		<Show when={any()}>
			<section class="card" aria-labelledby="actions-title">
				<div class="card-header">
					<h2 id="actions-title">Actions</h2>
				</div>
				<div class="card-body stack">
					<Show when={can("accept")}>
						<OneClickAction
							label="Accept"
							hint={`Take it on: the status becomes Accepted${r().member ? "" : " and you become the member working on it"}.`}
							run={async () => {
								await props.act({ type: "accept" });
								notify("You accepted the request.");
							}}
						/>
					</Show>
					<Show when={can("set_status")}>
						<div class="action-group">
							<StatusForm request={r()} act={props.act} />
						</div>
					</Show>
					<Show when={can("set_impact")}>
						<div class="action-group">
							<ImpactForm request={r()} act={props.act} />
						</div>
					</Show>
					<Show when={can("assign")}>
						<div class="action-group">
							<AssignForm request={r()} act={props.act} />
						</div>
					</Show>
					<Show when={can("reopen")}>
						<OneClickAction
							label="Reopen"
							hint={`Not solved after all? It goes back to ${r().team?.name ?? "the team"}.`}
							run={async () => {
								await props.act({ type: "reopen" });
								notify("The request is open again.");
							}}
						/>
					</Show>
					<Show when={can("withdraw")}>
						<div class="row">
							<Confirm
								triggerLabel="Withdraw request"
								triggerClass="btn"
								title="Withdraw this request?"
								description="It is completed as withdrawn, and the team stops working on it. You can reopen it later."
								confirmLabel="Withdraw"
								onConfirm={async () => {
									await props.act({ type: "withdraw" });
									notify("Your request was withdrawn.");
								}}
							/>
						</div>
					</Show>
				</div>
			</section>
		</Show>
	);
}

function StatusForm(props: { request: Request; act: (cmd: RequestCommand) => Promise<void> }) {
	const action = createAction();
	const [choice, setChoice] = createSignal<RequestStatus | "">("");
	const [reason, setReason] = createSignal<CompletionReason | "">("");
	const options = () => nextStatuses(props.request.status);
	// A live change may make the choice impossible: then nothing is chosen.
	const status = () => (choice() && options().includes(choice() as RequestStatus) ? (choice() as RequestStatus) : "");
	const [reasonError, setReasonError] = createSignal("");

	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		const to = status();
		if (!to) {
			action.setError("Choose the new status.");
			return;
		}
		if (to === "completed" && !reason()) {
			setReasonError("Completing a request needs a completion reason.");
			document.getElementById("request-reason")?.focus();
			return;
		}
		setReasonError("");
		void action.run(async () => {
			await props.act({ type: "set_status", status: to, ...(to === "completed" ? { completionReason: reason() as CompletionReason } : {}) });
			notify(`The status is now ${STATUS[to].label}.`);
			setChoice("");
			setReason("");
		});
	};

	return (
		<form class="stack-sm" onSubmit={submit} aria-label="Change the status" novalidate>
			<SelectField
				id="request-status"
				label="Change status"
				value={status()}
				onChange={(v) => {
					setChoice(v as RequestStatus | "");
					action.setError("");
				}}
				options={[{ value: "", label: "Choose a status…" }, ...options().map((s) => ({ value: s, label: STATUS[s].label }))]}
			/>
			<Show when={status() === "completed"}>
				<SelectField
					id="request-reason"
					label="Completion reason"
					value={reason()}
					onChange={(v) => {
						setReason(v as CompletionReason | "");
						setReasonError("");
					}}
					options={[{ value: "", label: "Choose a reason…" }, ...COMPLETION_REASONS.map((c) => ({ value: c, label: `${COMPLETION_REASON[c].label} — ${COMPLETION_REASON[c].description}` }))]}
					error={reasonError()}
				/>
			</Show>
			<FormFooter label={status() === "completed" ? "Complete request" : "Change status"} action={action} />
		</form>
	);
}

/** The impact decides the SLA targets: a change takes the offering's targets for the new impact. */
function ImpactForm(props: { request: Request; act: (cmd: RequestCommand) => Promise<void> }) {
	const action = createAction();
	const [choice, setChoice] = createSignal<RequestImpact | null>(null);
	const impact = () => choice() ?? props.request.impact;
	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		const to = impact();
		if (to === props.request.impact) {
			action.setError("That is the current impact.");
			return;
		}
		void action.run(async () => {
			await props.act({ type: "set_impact", impact: to });
			notify(`The impact is now ${IMPACT[to].label.toLowerCase()}: the SLA targets follow it.`);
			setChoice(null);
		});
	};
	return (
		<form class="stack-sm" onSubmit={submit} aria-label="Change the impact" novalidate>
			<SelectField
				id="request-impact"
				label="Impact"
				value={impact()}
				onChange={(v) => {
					setChoice(v as RequestImpact);
					action.setError("");
				}}
				options={IMPACTS.map((i) => ({ value: i, label: IMPACT[i].label }))}
				description="The SLA's response and resolution targets follow the impact."
			/>
			<FormFooter label="Change impact" action={action} />
		</form>
	);
}

function AssignForm(props: { request: Request; act: (cmd: RequestCommand) => Promise<void> }) {
	const { account, can } = useAccount();
	const action = createAction();
	const [teams] = createResource(
		() => (can("teams:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].teams.$get({ param: { accountId }, query })),
	);
	const currentTeam = () => (props.request.team?.accountId === account().id ? props.request.team.id : "");
	const [teamChoice, setTeamChoice] = createSignal<string | null>(null);
	const [memberChoice, setMemberChoice] = createSignal<string | null>(null);
	const teamId = () => teamChoice() ?? currentTeam();
	const team = createMemo(() => teams.latest?.find((t) => t.id === teamId()));
	const memberId = () => memberChoice() ?? (teamId() === currentTeam() ? (props.request.member?.id ?? "") : "");

	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		const teamChanged = teamId() !== currentTeam();
		const memberChanged = memberId() !== (props.request.member?.id ?? "") || teamChanged;
		if (!teamId()) {
			action.setError("Choose a team.");
			return;
		}
		if (!teamChanged && !memberChanged) {
			action.setError("That is the current assignment.");
			return;
		}
		void action.run(async () => {
			await props.act({ type: "assign", ...(teamChanged ? { teamId: teamId() } : {}), memberId: memberId() || null });
			notify(`Assigned to ${team()?.name ?? "the team"}${memberId() ? `, ${team()?.members.find((m) => m.id === memberId())?.name ?? ""}` : ""}.`);
			setTeamChoice(null);
			setMemberChoice(null);
		});
	};

	return (
		<form class="stack-sm assign-form" onSubmit={submit} aria-label="Assign" novalidate>
			<Show when={!teams.error} fallback={<Alert kind="error">Could not load the teams: {messageOf(teams.error)}</Alert>}>
				<SelectField
					id="request-team"
					label="Team"
					value={teamId()}
					onChange={(v) => {
						setTeamChoice(v);
						setMemberChoice(null);
						action.setError("");
					}}
					options={[...(currentTeam() ? [] : [{ value: "", label: "Choose a team…" }]), ...(teams.latest ?? []).map((t) => ({ value: t.id, label: t.name }))]}
				/>
				<SelectField
					id="request-member"
					label="Member"
					value={memberId()}
					onChange={(v) => {
						setMemberChoice(v);
						action.setError("");
					}}
					options={[{ value: "", label: "Nobody (the whole team)" }, ...(team()?.members ?? []).map((m) => ({ value: m.id, label: m.name }))]}
				/>
				<FormFooter label="Assign" action={action} />
			</Show>
		</form>
	);
}

function NoteComposer(props: { request: Request; act: (cmd: RequestCommand) => Promise<void>; isRequester: boolean }) {
	const { account } = useAccount();
	const action = createAction();
	const [body, setBody] = createSignal("");
	const [internal, setInternal] = createSignal(false);
	const uploads = createUploads(
		() => account().id,
		() => props.request.id,
	);
	const mayInternal = () => props.request.allowed.includes("internal_note");
	const answering = () => props.isRequester && props.request.status === "waiting_for_customer";

	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		if (!body().trim()) {
			action.setError("Write something first.");
			return;
		}
		if (uploads.busy()) {
			action.setError("Wait until the files are uploaded.");
			return;
		}
		const asInternal = internal() && mayInternal();
		const sent = body();
		const attachmentIds = uploads.ids();
		void action.run(async () => {
			await props.act({ type: "note", body: sent, internal: asInternal, ...(attachmentIds.length > 0 ? { attachmentIds } : {}) });
			// Keep what was typed while the note was on its way: only the sent text is done.
			if (body() === sent) setBody("");
			uploads.clear();
			setInternal(false);
			notify(asInternal ? `Internal note added: only ${account().name} sees it.` : answering() ? "Your answer was sent." : "Note added.");
		});
	};

	return (
		<section class="card" aria-labelledby="composer-title">
			<div class="card-header">
				<h2 id="composer-title">{answering() ? "Answer" : "Add a note"}</h2>
			</div>
			<form
				class="card-body stack-sm"
				onSubmit={submit}
				novalidate
				aria-labelledby="composer-title"
				onPaste={(e) => {
					const files = pastedFiles(e);
					if (files.length === 0) return;
					e.preventDefault();
					uploads.add(files);
				}}
			>
				<Show when={answering()}>
					<Alert kind="info">{props.request.team?.name ?? "The team"} is waiting for your answer. Sending it hands the request back to them.</Alert>
				</Show>
				<TextField
					label={answering() ? "Your answer" : "Note"}
					name="note"
					multiline
					value={body()}
					onInput={(v) => {
						setBody(v);
						if (action.error()) action.setError("");
					}}
					description={
						mayInternal()
							? internal()
								? `Internal: only ${account().name} sees this note.`
								: `Shared: ${props.request.requestedFor.name} and everyone working on the request see this note.`
							: "Plain text. Everyone working on your request sees it."
					}
				/>
				<AttachmentPicker uploads={uploads} />
				<Show when={mayInternal()}>
					<Checkbox label={`Internal — only ${account().name} sees this`} checked={internal()} onChange={setInternal} />
				</Show>
				<div class="row">
					<button type="submit" class="btn btn-primary" disabled={action.busy() || uploads.busy()}>
						{action.busy() ? "Sending…" : internal() && mayInternal() ? "Add internal note" : answering() ? "Send answer" : "Add note"}
					</button>
				</div>
				<Show when={action.error()}>
					<Alert kind="error">{action.error()}</Alert>
				</Show>
			</form>
		</section>
	);
}

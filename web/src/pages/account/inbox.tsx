// The specialist's Inbox: requests assigned to them ("My inbox") or to their teams ("My teams'
// inbox"), from this account and from every customer that assigns to its teams, sorted by next
// target then age as the API returns them. Live: new requests appear without a reload, are
// announced politely and highlighted for a moment. A third view, "Returned", shows while there
// are any: this account's requests taken back from a provider whose trust ended, needing a team.
import { useSearchParams } from "@solidjs/router";
import { createMemo, createResource, Show } from "solid-js";
import type { InboxPage as InboxPageData, RequestStatus, RequestSummary } from "../../../../worker/shared/request-api";
import { api, messageOf, request } from "../../api/client";
import { useSession } from "../../api/session";
import { createHighlights, createLoader, createStableList } from "../../lib/live";
import { STATUS, STATUSES } from "../../lib/requests";
import { useLiveRefresh } from "../../realtime/context";
import { announce } from "../../ui/announcer";
import { SelectField } from "../../ui/field";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { LinkTabs, Pagination } from "../../ui/lists";
import { useAccount } from "./context";
import { RequestTable } from "./request-list";
import { createReturnedCount, ReturnedTable } from "./returned-requests";

const PER_PAGE = 50;
type View = "mine" | "teams" | "returned";

export default function InboxPage() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const [params, setParams] = useSearchParams<{ view?: string; status?: string; team?: string; customer?: string; member?: string; page?: string }>();
	const me = () => session()?.person.id ?? "";
	const view = (): View => (params.view === "mine" || params.view === "returned" ? params.view : "teams");
	const returnedCount = createReturnedCount();
	const status = (): RequestStatus | "open" => (params.status && (params.status === "open" || params.status in STATUS) ? (params.status as RequestStatus | "open") : "open");
	const page = () => Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
	const overseer = () => account().viewer.roles.some((r) => r === "account_administrator" || r === "auditor");

	const [teams] = createResource(
		() => (can("teams:read") ? account().id : undefined),
		(accountId) => request(api.accounts[":accountId"].teams.$get({ param: { accountId } })),
	);
	const [trusts] = createResource(
		() => (can("trusts:read") ? account().id : undefined),
		(accountId) => request(api.accounts[":accountId"].trusts.$get({ param: { accountId } })),
	);
	/** The teams the filter offers: the person's own (everyone's for administrators and auditors). */
	const myTeams = createMemo(() => (teams.latest ?? []).filter((t) => overseer() || t.members.some((m) => m.id === me()) || t.coordinator?.id === me()));
	const customers = createMemo(() => [
		{ id: account().id, name: `${account().name} (this account)` },
		...(trusts.latest ?? []).filter((t) => t.ourRole === "provider" && t.status === "active").map((t) => ({ id: t.account.id, name: t.account.name })),
	]);
	const members = createMemo(() => {
		const pool = params.team ? myTeams().filter((t) => t.id === params.team) : myTeams();
		const byId = new Map<string, string>();
		for (const t of pool) for (const m of t.members) byId.set(m.id, m.name);
		return [...byId.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
	});

	const query = createMemo(() => ({
		accountId: account().id,
		view: view(),
		status: status(),
		// The returned requests have no team, and are all this account's own.
		teamId: view() === "returned" ? undefined : params.team || undefined,
		customer: view() === "returned" ? undefined : params.customer || undefined,
		memberId: view() === "teams" ? params.member || undefined : undefined,
		page: String(page()),
	}));
	const inbox = createLoader(query, ({ accountId, ...q }) =>
		request(
			api.accounts[":accountId"].inbox.$get({
				param: { accountId },
				query: {
					view: q.view,
					status: q.status,
					page: q.page,
					perPage: String(PER_PAGE),
					...(q.teamId ? { teamId: q.teamId } : {}),
					...(q.customer ? { customer: q.customer } : {}),
					...(q.memberId ? { memberId: q.memberId } : {}),
				},
			}),
		),
	);
	const items = createStableList(() => inbox.data()?.items ?? [], (r) => r.id);
	const highlights = createHighlights();

	useLiveRefresh(
		() => true,
		async () => {
			const before = new Set((inbox.data()?.items ?? []).map((r) => r.id));
			const after = await inbox.refresh();
			if (after) announceNew(after, before, highlights.add, view() === "returned" ? "the returned requests" : "your Inbox");
		},
	);

	/** Changes one filter and goes back to the first page. */
	const filter = (key: "status" | "team" | "customer" | "member", value: string) => setParams({ [key]: value || undefined, page: undefined });
	const base = () => `/${account().id}/inbox`;
	const tabHref = (v: View) => {
		const q = new URLSearchParams();
		if (v !== "teams") q.set("view", v);
		for (const k of v === "returned" ? (["status"] as const) : (["status", "team", "customer"] as const)) if (params[k]) q.set(k, params[k] as string);
		const s = q.toString();
		return s ? `${base()}?${s}` : base();
	};
	const title = () => (view() === "mine" ? "My inbox" : view() === "returned" ? "Returned requests" : "My teams' inbox");

	return (
		<>
			<PageHeader title="Inbox" subtitle="Requests for you and your teams, from every customer, the most urgent first. New ones appear here as they arrive." />
			<LinkTabs
				label="Inbox views"
				tabs={[
					{ href: tabHref("mine"), label: "My inbox", current: view() === "mine" },
					{ href: tabHref("teams"), label: "My teams' inbox", current: view() === "teams" },
					...(view() === "returned" || (returnedCount() ?? 0) > 0
						? [{ href: tabHref("returned"), label: `Returned — need a team (${returnedCount() ?? "…"})`, current: view() === "returned" }]
						: []),
				]}
			/>
			<Show when={view() === "returned"}>
				<p class="muted">
					Requests of {account().name} that a service provider's teams still had when its trust ended. They came back here; assigning one to a team of yours (or completing it) takes it off this list.
				</p>
			</Show>
			<form class="filters" aria-label="Filter the Inbox" onSubmit={(e) => e.preventDefault()}>
				<SelectField
					id="inbox-status"
					label="Status"
					value={status()}
					onChange={(v) => filter("status", v === "open" ? "" : v)}
					options={[{ value: "open", label: "Open (not completed)" }, ...STATUSES.map((s) => ({ value: s, label: STATUS[s].label }))]}
				/>
				<Show when={view() !== "returned"}>
					<SelectField
						id="inbox-team"
						label="Team"
						value={params.team ?? ""}
						onChange={(v) => setParams({ team: v || undefined, member: undefined, page: undefined })}
						options={[{ value: "", label: overseer() ? "All teams" : "All my teams" }, ...myTeams().map((t) => ({ value: t.id, label: t.name }))]}
					/>
					<SelectField
						id="inbox-customer"
						label="Customer"
						value={params.customer ?? ""}
						onChange={(v) => filter("customer", v)}
						options={[{ value: "", label: "All customers" }, ...customers().map((c) => ({ value: c.id, label: c.name }))]}
					/>
				</Show>
				<Show when={view() === "teams"}>
					<SelectField
						id="inbox-member"
						label="Member"
						value={params.member ?? ""}
						onChange={(v) => filter("member", v)}
						options={[{ value: "", label: "Anyone" }, ...members().map((m) => ({ value: m.id, label: m.id === me() ? `${m.name} (you)` : m.name }))]}
					/>
				</Show>
			</form>
			<Show when={inbox.error()}>
				<Alert kind="error">Could not load the Inbox: {messageOf(inbox.error())}</Alert>
			</Show>
			<section class="card" aria-label={title()}>
				<Show when={inbox.data()} fallback={<Show when={!inbox.error()}><Spinner label="Loading the Inbox…" /></Show>}>
					{(data) => (
						<Show
							when={data().items.length > 0}
							fallback={
								<EmptyState title={view() === "mine" ? "Nothing assigned to you" : view() === "returned" ? "No returned requests" : "Your teams' inbox is empty"}>
									{view() === "returned"
										? "Every request taken back from a former provider has a team of yours now."
										: status() === "open"
											? "No open requests match. New ones appear here as soon as they are assigned."
											: "No requests match these filters."}
								</EmptyState>
							}
						>
							<Show when={view() === "returned"} fallback={<RequestTable items={items()} kind="inbox" accountId={account().id} personId={me()} caption={title()} isNew={highlights.has} busy={inbox.loading()} />}>
								<ReturnedTable items={items()} accountId={account().id} caption={title()} busy={inbox.loading()} />
							</Show>
							<div class="card-footer">
								<Pagination label="Pages of the Inbox" page={data().page} perPage={data().perPage} total={data().total} onPage={(p) => setParams({ page: p === 1 ? undefined : String(p) })} />
							</div>
						</Show>
					)}
				</Show>
			</section>
		</>
	);
}

function announceNew(after: InboxPageData, before: ReadonlySet<string>, highlight: (ids: string[]) => void, where: string) {
	const added: RequestSummary[] = after.items.filter((r) => !before.has(r.id));
	if (added.length === 0) return;
	highlight(added.map((r) => r.id));
	announce(
		added.length === 1
			? `New in ${where}: ${added[0]?.subject} (#${added[0]?.number}, ${added[0]?.owner.name}).`
			: `${added.length} new requests in ${where}: ${added.map((r) => r.subject).join("; ")}.`,
	);
}

// The specialist's Inbox: requests assigned to them ("My inbox") or to their teams ("My teams'
// inbox"), from this account and from every customer that assigns to its teams, sorted by next
// target then age as the API returns them. Live: new requests appear without a reload, are
// announced politely and highlighted for a moment. A third view, "Returned", shows while there
// are any: this account's requests taken back from a provider whose trust ended, needing a team.
// The filter bar (filter-bar.tsx) keeps every filter in the URL under the API's own names; the
// text filter replaces the history entry as you type, so back goes to the previous filter, not
// to each keystroke.
import { useSearchParams } from "@solidjs/router";
import { createMemo, createResource, Show } from "solid-js";
import type { InboxPage as InboxPageData, RequestSummary } from "../../../../worker/shared/request-api";
import { isOverseer } from "../../../../worker/shared/roles";
import { api, messageOf, request, requestAll } from "../../api/client";
import { useSession } from "../../api/session";
import { createHighlights, createLoader, createStableList } from "../../lib/live";
import { IMPACT, IMPACTS, STATUS, STATUSES } from "../../lib/requests";
import { useLiveRefresh } from "../../realtime/context";
import { announce } from "../../ui/announcer";
import { SelectField } from "../../ui/field";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { LinkTabs, CursorPager } from "../../ui/lists";
import { useAccount } from "./context";
import { FilterBar, MultiFilter, SavedFilters, SLA_STATE_OPTIONS, TextFilter } from "./filter-bar";
import { RequestTable } from "./request-list";
import { createReturnedCount, ReturnedTable } from "./returned-requests";

const PER_PAGE = 50;
type View = "mine" | "teams" | "returned";
/** The Inbox's filters besides view and status, named as the API names them. */
const FILTER_KEYS = ["teamId", "customer", "service", "impact", "assignee", "sla", "text"] as const;
/** The returned requests have no team, and are all this account's own. */
const RETURNED_KEYS = ["impact", "assignee", "text"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type InboxParams = { view?: string; status?: string; cursor?: string } & Partial<Record<FilterKey, string>>;


export default function InboxPage() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const [params, setParams] = useSearchParams<InboxParams>();
	const me = () => session()?.person.id ?? "";
	const view = (): View => (params.view === "mine" || params.view === "returned" ? params.view : "teams");
	const returnedCount = createReturnedCount();
	const status = () => params.status || "open";
	const cursor = () => params.cursor;
	const overseer = () => isOverseer(account().viewer.roles);

	const [teams] = createResource(
		() => (can("teams:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].teams.$get({ param: { accountId }, query })),
	);
	const [trusts] = createResource(
		() => (can("trusts:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].trusts.$get({ param: { accountId }, query })),
	);
	/** The teams the filter offers: the person's own (everyone's for administrators and auditors). */
	const myTeams = createMemo(() => (teams.latest ?? []).filter((t) => overseer() || t.members.some((m) => m.id === me()) || t.coordinator?.id === me()));
	const customers = createMemo(() => [
		{ id: account().id, name: `${account().name} (this account)` },
		...(trusts.latest ?? []).filter((t) => t.ourRole === "provider" && t.status === "active").map((t) => ({ id: t.account.id, name: t.account.name })),
	]);
	const [services] = createResource(
		() => (can("services:read") ? account().id : undefined),
		(accountId) => request(api.accounts[":accountId"]["service-model"].$get({ param: { accountId } })),
	);
	const members = createMemo(() => {
		const pool = params.teamId ? myTeams().filter((t) => t.id === params.teamId) : myTeams();
		const byId = new Map<string, string>();
		for (const t of pool) for (const m of t.members) byId.set(m.id, m.name);
		return [...byId.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
	});

	// The URL's filters go to the API as they are: one string for the page, the API and a saved filter.
	const query = createMemo(() => {
		const q: Record<string, string> = { view: view(), status: status(), limit: String(PER_PAGE) };
		const at = cursor();
		if (at) q["cursor"] = at;
		for (const key of view() === "returned" ? RETURNED_KEYS : FILTER_KEYS) {
			const v = params[key];
			if (v) q[key] = v;
		}
		return { accountId: account().id, q };
	});
	const inbox = createLoader(query, ({ accountId, q }) => request(api.accounts[":accountId"].inbox.$get({ param: { accountId }, query: q })));
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
	const filter = (key: FilterKey | "status", value: string | undefined, replace = false) => setParams({ [key]: value || undefined, cursor: undefined }, { replace });
	const base = () => `/${account().id}/inbox`;
	const tabHref = (v: View) => {
		const q = new URLSearchParams();
		if (v !== "teams") q.set("view", v);
		for (const k of v === "returned" ? (["status", ...RETURNED_KEYS] as const) : (["status", ...FILTER_KEYS] as const)) {
			const value = params[k];
			if (value && !(v === "mine" && k === "assignee")) q.set(k, value);
		}
		const s = q.toString().replace(/%2C/gi, ",");
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
			<FilterBar label="Filter the Inbox">
				<MultiFilter
					name="status"
					legend="Status"
					none="Open"
					value={params.status}
					onChange={(v) => filter("status", v === "open" ? undefined : v)}
					options={[{ value: "open", label: "Open (not completed)" }, ...STATUSES.map((s) => ({ value: s, label: STATUS[s].label }))]}
				/>
				<Show when={view() !== "returned"}>
					<SelectField
						id="inbox-team"
						label="Team"
						value={params.teamId ?? ""}
						onChange={(v) => setParams({ teamId: v || undefined, assignee: undefined, cursor: undefined })}
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
				<Show when={view() !== "returned" && (services.latest?.instances.length ?? 0) > 0}>
					<SelectField
						id="inbox-service"
						label="Service"
						value={params.service ?? ""}
						onChange={(v) => filter("service", v)}
						options={[{ value: "", label: "All services" }, ...(services.latest?.instances ?? []).map((i) => ({ value: i.id, label: i.name }))]}
					/>
				</Show>
				<MultiFilter name="impact" legend="Impact" none="Any" value={params.impact} onChange={(v) => filter("impact", v)} options={IMPACTS.map((i) => ({ value: i, label: IMPACT[i].label }))} />
				<Show when={view() === "teams"}>
					<SelectField
						id="inbox-assignee"
						label="Assignee"
						value={params.assignee ?? ""}
						onChange={(v) => filter("assignee", v)}
						options={[
							{ value: "", label: "Anyone" },
							{ value: "me", label: "Me" },
							{ value: "unassigned", label: "Nobody yet" },
							...members().map((m) => ({ value: m.id, label: m.id === me() ? `${m.name} (you)` : m.name })),
						]}
					/>
				</Show>
				<Show when={view() !== "returned"}>
					<MultiFilter name="sla" legend="SLA" none="Any" value={params.sla} onChange={(v) => filter("sla", v)} options={SLA_STATE_OPTIONS} />
				</Show>
				<TextFilter value={params.text} onChange={(v) => filter("text", v, true)} />
			</FilterBar>
			<SavedFilters accountId={account().id} view="inbox" base={base()} />
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
										: status() === "open" && !FILTER_KEYS.some((k) => params[k])
											? "No open requests match. New ones appear here as soon as they are assigned."
											: "No requests match these filters."}
								</EmptyState>
							}
						>
							<Show when={view() === "returned"} fallback={<RequestTable items={items()} kind="inbox" accountId={account().id} personId={me()} caption={title()} isNew={highlights.has} busy={inbox.loading()} />}>
								<ReturnedTable items={items()} accountId={account().id} caption={title()} busy={inbox.loading()} />
							</Show>
							<div class="card-footer">
								<CursorPager
									label="Pages of the Inbox"
									shown={data().items.length}
									total={data().total}
									atFirst={!cursor()}
									hasNext={data().nextCursor !== null}
									onFirst={() => setParams({ cursor: undefined })}
									onNext={() => setParams({ cursor: data().nextCursor ?? undefined })}
								/>
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

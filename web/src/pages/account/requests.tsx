// Self-service: the requests from or for the signed-in person (every member), and for the
// account's specialists also every request registered in the account. Live: new and changed
// requests appear without a reload.
import { A, useSearchParams } from "@solidjs/router";
import { createMemo, Show } from "solid-js";
import type { InboxPage, RequestSummary } from "../../../../worker/shared/request-api";
import { isStaff } from "../../../../worker/shared/roles";
import { api, messageOf, request } from "../../api/client";
import { useSession } from "../../api/session";
import { createHighlights, createLoader, createStableList } from "../../lib/live";
import { IMPACT, IMPACTS, STATUS, STATUSES, statusLabel } from "../../lib/requests";
import { useLiveRefresh } from "../../realtime/context";
import { announce } from "../../ui/announcer";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { SelectField } from "../../ui/field";
import { LinkTabs, CursorPager } from "../../ui/lists";
import { useAccount } from "./context";
import { FilterBar, MultiFilter, SavedFilters, SLA_STATE_OPTIONS, TextFilter } from "./filter-bar";
import { RequestTable } from "./request-list";

type Scope = "mine" | "account";
const PER_PAGE = 25;
/** The list's filters besides scope and status, named as the API names them. */
const FILTER_KEYS = ["impact", "assignee", "sla", "text"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

export default function RequestsPage() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const [params, setParams] = useSearchParams<{ status?: string; scope?: string; cursor?: string } & Partial<Record<FilterKey, string>>>();
	// Staff (not only an end user) see all the account's requests.
	const staff = () => isStaff(account().viewer.roles);
	const scope = (): Scope => (params.scope === "account" && staff() ? "account" : "mine");
	const status = () => params.status || "open";
	const cursor = () => params.cursor;
	const me = () => session()?.person.id ?? "";

	// The URL's filters go to the API as they are: one string for the page, the API and a saved filter.
	const query = createMemo(() => {
		const q: Record<string, string> = { scope: scope(), status: status(), limit: String(PER_PAGE) };
		const at = cursor();
		if (at) q["cursor"] = at;
		for (const key of FILTER_KEYS) {
			const v = params[key];
			if (v) q[key] = v;
		}
		return { accountId: account().id, q };
	});
	const list = createLoader(query, ({ accountId, q }) => request(api.accounts[":accountId"].requests.$get({ param: { accountId }, query: q })));
	const filter = (key: FilterKey | "status", value: string | undefined, replace = false) => setParams({ [key]: value || undefined, cursor: undefined }, { replace });
	const filtered = () => FILTER_KEYS.some((k) => params[k]);
	const items = createStableList(() => list.data()?.items ?? [], (r) => r.id);
	const highlights = createHighlights();

	useLiveRefresh(
		() => true,
		async () => {
			const before = new Map((list.data()?.items ?? []).map((r) => [r.id, r] as const));
			const after = await list.refresh();
			if (after) describeChanges(before, after, me(), highlights.add);
		},
	);

	const base = () => `/${account().id}/requests`;
	const title = () => (scope() === "account" ? `Requests of ${account().name}` : "My requests");

	return (
		<>
			<PageHeader
				title={title()}
				subtitle={scope() === "account" ? `Every request registered in ${account().name}, most recently changed first.` : "What you asked for, and where it stands. Updates appear here as they happen."}
				actions={
					<Show when={can("catalog:read")}>
						<A class="btn btn-primary" href={`${base()}/new`}>
							New request
						</A>
					</Show>
				}
			/>
			<Show when={staff()}>
				<LinkTabs
					label="Request lists"
					tabs={[
						{ href: base(), label: "My requests", current: scope() === "mine" },
						{ href: `${base()}?scope=account`, label: `All requests of ${account().name}`, current: scope() === "account" },
					]}
				/>
			</Show>
			<FilterBar label="Filter the requests">
				<MultiFilter
					name="status"
					legend="Status"
					none="Open"
					value={params.status}
					onChange={(v) => filter("status", v === "open" ? undefined : v)}
					options={[{ value: "open", label: "Open (not completed)" }, { value: "all", label: "All" }, ...STATUSES.map((s) => ({ value: s, label: STATUS[s].label }))]}
				/>
				<MultiFilter name="impact" legend="Impact" none="Any" value={params.impact} onChange={(v) => filter("impact", v)} options={IMPACTS.map((i) => ({ value: i, label: IMPACT[i].label }))} />
				<Show when={scope() === "account"}>
					<SelectField
						id="requests-assignee"
						label="Assignee"
						value={params.assignee ?? ""}
						onChange={(v) => filter("assignee", v)}
						options={[
							{ value: "", label: "Anyone" },
							{ value: "me", label: "Me" },
							{ value: "unassigned", label: "Nobody yet" },
						]}
					/>
				</Show>
				<MultiFilter name="sla" legend="SLA" none="Any" value={params.sla} onChange={(v) => filter("sla", v)} options={SLA_STATE_OPTIONS} />
				<TextFilter value={params.text} onChange={(v) => filter("text", v, true)} />
			</FilterBar>
			<SavedFilters accountId={account().id} view="requests" base={base()} />
			<Show when={list.error()}>
				<Alert kind="error">Could not load the requests: {messageOf(list.error())}</Alert>
			</Show>
			<section class="card" aria-label={title()}>
				<Show when={list.data()} fallback={<Show when={!list.error()}><Spinner label="Loading requests…" /></Show>}>
					{(data) => (
						<Show
							when={data().items.length > 0}
							fallback={
								<EmptyState
									title={filtered() ? "No requests match these filters" : status() === "completed" ? "No completed requests" : status() === "open" ? "No open requests" : "No requests yet"}
									action={
										<Show when={can("catalog:read") && status() !== "completed"}>
											<A class="btn" href={`/${account().id}/catalog`}>
												Browse the catalog
											</A>
										</Show>
									}
								>
									{scope() === "account" ? `Nothing matches in ${account().name}.` : "When you ask for something, you can follow it here."}
								</EmptyState>
							}
						>
							<RequestTable
								items={items()}
								kind={scope() === "account" ? "account" : "mine"}
								accountId={account().id}
								personId={me()}
								caption={title()}
								isNew={highlights.has}
								busy={list.loading()}
							/>
							<div class="card-footer">
								<CursorPager
									label="Pages of requests"
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

/** After a live refresh: highlight what is new, and say what changed for the person's own requests. */
function describeChanges(before: ReadonlyMap<string, RequestSummary>, after: InboxPage, me: string, highlight: (ids: string[]) => void) {
	const added = after.items.filter((r) => !before.has(r.id));
	highlight(added.map((r) => r.id));
	const messages: string[] = [];
	for (const r of added) messages.push(`New request #${r.number}: ${r.subject}.`);
	for (const r of after.items) {
		const old = before.get(r.id);
		if (old && old.status !== r.status) {
			const mine = r.requestedFor.id === me || r.requestedBy.id === me;
			messages.push(`#${r.number} ${r.subject} is now ${statusLabel(r.status, mine).toLowerCase()}.`);
		}
	}
	if (messages.length > 0) announce(messages.join(" "));
}

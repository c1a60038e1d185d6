// Account home: the portal's welcome in the account's design, what is going on (the person's
// open requests; the Inbox for specialists), and what the viewer can do here.
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { ROLE_LABELS } from "../../../../worker/shared/roles";
import { api, messageOf, request } from "../../api/client";
import { useSession } from "../../api/session";
import { formatDate, formatDateTime } from "../../lib/format";
import { createLoader } from "../../lib/live";
import { useLiveRefresh } from "../../realtime/context";
import { MyInvitations } from "../my-invitations";
import { Alert, Spinner } from "../../ui/feedback";
import { Card } from "../../ui/layout";
import { useAccount } from "./context";
import { RequestStatusBadge } from "./request-list";
import { ReturnedRequestsCard } from "./returned-requests";
import { TrustRequestsCard } from "./trust-requests-card";

export default function HomePage() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const firstName = () => session()?.person.name.split(/\s+/)[0] ?? "";
	const base = () => `/${account().id}/`;

	return (
		<>
			<section class="hero" aria-labelledby="welcome-title">
				<h1 id="welcome-title">
					Welcome{firstName() ? `, ${firstName()}` : ""}
				</h1>
				<p>{account().design.welcomeText}</p>
			</section>
			<MyInvitations />
			<TrustRequestsCard />
			<Show when={can("catalog:read")}>
				<A class="card link-card" href={`${base()}catalog`}>
					<span class="link-card-icon" aria-hidden="true">
						▦
					</span>
					<span class="stack-sm spacer">
						<strong>Services you can request</strong>
						<span class="muted">The service catalog: what your service providers offer, with response times and support hours.</span>
					</span>
					<span aria-hidden="true" class="muted">
						→
					</span>
				</A>
			</Show>
			<ReturnedRequestsCard />
			<div class="grid-2">
				<Show when={can("inbox:read")}>
					<InboxCard />
				</Show>
				<Show when={can("requests:read")}>
					<OpenRequestsCard />
				</Show>
			</div>
			<div class="grid-2">
				<Card title="Your place here">
					<dl class="facts">
						<dt>Account</dt>
						<dd>{account().name}</dd>
						<dt>Your roles</dt>
						<dd>
							<div class="badges">
								<For each={account().viewer.roles}>{(r) => <span class="badge badge-brand">{ROLE_LABELS[r]}</span>}</For>
							</div>
						</dd>
						<dt>Portal URL</dt>
						<dd>
							<a href={account().url}>{account().url}</a>
						</dd>
						<dt>Time zone</dt>
						<dd>{account().timeZone}</dd>
						<dt>Since</dt>
						<dd>{formatDate(account().createdAt)}</dd>
					</dl>
				</Card>
				<Show when={can("people:read") || can("teams:read") || can("tokens:manage") || can("account:write") || can("trusts:read") || can("services:read")}>
					<Card title="Administration">
						<ul class="stack-sm" style={{ "padding-left": "1.25rem", margin: 0 }}>
							<Show when={can("trusts:read")}>
								<li>
									<A href={`${base()}trusts`}>Trusts</A> <span class="muted">— the accounts you provide services to, or receive them from</span>
								</li>
							</Show>
							<Show when={can("services:read")}>
								<li>
									<A href={`${base()}services`}>Services</A> <span class="muted">— services, instances and offerings with their targets</span>
								</li>
							</Show>
							<Show when={can("slas:read")}>
								<li>
									<A href={`${base()}slas`}>SLAs</A> <span class="muted">— agreements with customers and providers</span>
								</li>
							</Show>
							<Show when={can("people:read")}>
								<li>
									<A href={`${base()}people`}>People</A> <span class="muted">— who belongs to {account().name}, and their roles</span>
								</li>
							</Show>
							<Show when={can("teams:read")}>
								<li>
									<A href={`${base()}teams`}>Teams</A> <span class="muted">— groups of specialists with a coordinator</span>
								</li>
							</Show>
							<Show when={can("tokens:manage")}>
								<li>
									<A href={`${base()}api-tokens`}>API tokens</A> <span class="muted">— access for integrations, with scopes</span>
								</li>
							</Show>
							<Show when={can("messages:manage")}>
								<li>
									<A href={`${base()}deliveries`}>Deliveries</A> <span class="muted">— messages to other accounts still on their way</span>
								</li>
							</Show>
							<Show when={can("mail:read")}>
								<li>
									<A href={`${base()}mail`}>E-mail log</A> <span class="muted">— e-mails to people: sent, retrying, failed, bounced</span>
								</li>
							</Show>
							<Show when={can("webhooks:read")}>
								<li>
									<A href={`${base()}webhooks`}>Webhooks</A> <span class="muted">— signed event deliveries to your systems, with their log</span>
								</li>
							</Show>
							<Show when={can("account:write")}>
								<li>
									<A href={`${base()}settings`}>Settings</A> <span class="muted">— portal design, time zone, hostnames</span>
								</li>
							</Show>
						</ul>
					</Card>
				</Show>
			</div>
		</>
	);
}

/** How many open requests wait in the person's Inbox and their teams', live. */
function InboxCard() {
	const { account } = useAccount();
	const count = (view: "mine" | "teams") =>
		request(api.accounts[":accountId"].inbox.$get({ param: { accountId: account().id }, query: { view, status: "open", perPage: "1" } })).then((p) => p.total);
	const counts = createLoader(
		() => account().id,
		async () => {
			const [mine, teams] = await Promise.all([count("mine"), count("teams")]);
			return { mine, teams };
		},
	);
	useLiveRefresh(() => true, () => void counts.refresh(), 500);
	const base = () => `/${account().id}/inbox`;
	return (
		<Card title="Inbox" actions={<A href={base()}>Open the Inbox</A>}>
			<Show when={counts.data()} fallback={<Show when={counts.error()} fallback={<Spinner label="Counting…" />}><Alert kind="error">{messageOf(counts.error())}</Alert></Show>}>
				{(c) => (
					<div class="counts">
						<A class="count" href={`${base()}?view=mine`}>
							<span class="count-number">{c().mine}</span>
							<span class="muted">open, assigned to you</span>
						</A>
						<A class="count" href={base()}>
							<span class="count-number">{c().teams}</span>
							<span class="muted">open for your teams</span>
						</A>
					</div>
				)}
			</Show>
		</Card>
	);
}

/** The person's open requests, live: the first few, and a way to all of them. */
function OpenRequestsCard() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const list = createLoader(
		() => account().id,
		(accountId) => request(api.accounts[":accountId"].requests.$get({ param: { accountId }, query: { status: "open", perPage: "5" } })),
	);
	useLiveRefresh(() => true, () => void list.refresh(), 300);
	const base = () => `/${account().id}/requests`;
	const me = () => session()?.person.id ?? "";
	// Specialists see their Inbox first; their own requests only when they have some.
	const shown = () => !can("inbox:read") || (list.data()?.total ?? 0) > 0;
	return (
		<Show when={shown()}>
			<Card title="Your open requests" actions={<A href={base()}>All your requests</A>}>
				<Show when={list.data()} fallback={<Show when={list.error()} fallback={<Spinner label="Loading your requests…" />}><Alert kind="error">{messageOf(list.error())}</Alert></Show>}>
					{(data) => (
						<Show
							when={data().items.length > 0}
							fallback={
								<p class="muted">
									Nothing open. Need something? <Show when={can("catalog:read")} fallback="Ask your service desk.">Pick a service from the <A href={`/${account().id}/catalog`}>catalog</A>.</Show>
								</p>
							}
						>
							<ul class="plain compact-list">
								<For each={data().items}>
									{(r) => (
										<li>
											<A href={`${base()}/${r.id}`}>{r.subject}</A>
											<span class="compact-meta">
												<RequestStatusBadge request={r} forRequester={r.requestedFor.id === me() || r.requestedBy.id === me()} />
												<span class="muted">
													#{r.number} · updated <time datetime={r.updatedAt}>{formatDateTime(r.updatedAt)}</time>
												</span>
											</span>
										</li>
									)}
								</For>
							</ul>
							<Show when={data().total > data().items.length}>
								<p class="muted">
									and {data().total - data().items.length} more — <A href={base()}>see all</A>
								</p>
							</Show>
						</Show>
					)}
				</Show>
			</Card>
		</Show>
	);
}

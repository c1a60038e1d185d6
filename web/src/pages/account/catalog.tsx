// The self-service catalog: the services this person can request, by provider, with what each
// offering promises (targets per impact, support hours). Asked live of every trusted provider, and
// asked again whenever this account hears that its catalog changed (an SLA started or ended).
import { A } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import type { CatalogEntry } from "../../../../worker/shared/service-api";
import { api, messageOf, request } from "../../api/client";
import { formatDay } from "../../lib/format";
import { createLoader, createStableList } from "../../lib/live";
import { IMPACT_LABELS, IMPACT_ORDER, targetInWords, upcomingHolidays } from "../../lib/services";
import { useLiveTopic } from "../../realtime/context";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";
import { WeeklyHoursList } from "./support-hours";

export default function CatalogPage() {
	const { account } = useAccount();
	// A loader, not a resource: live refreshes must not suspend the page into a spinner.
	const loader = createLoader(
		() => account().id,
		(accountId) => request(api.accounts[":accountId"].catalog.$get({ param: { accountId } })),
	);
	const catalog = loader.data;
	const refetch = () => loader.refresh();
	useLiveTopic(["catalog"], () => void refetch());
	const entries = createStableList(() => catalog()?.entries ?? [], (e) => `${e.provider.id}/${e.sla.id}`);
	const grouped = createMemo(() => {
		const byProvider = new Map<string, { provider: CatalogEntry["provider"]; entries: CatalogEntry[] }>();
		for (const e of entries()) {
			const g = byProvider.get(e.provider.id) ?? { provider: e.provider, entries: [] };
			g.entries.push(e);
			byProvider.set(e.provider.id, g);
		}
		return [...byProvider.values()].sort((a, b) => a.provider.name.localeCompare(b.provider.name));
	});
	const groups = createStableList(grouped, (g) => g.provider.id);
	const unavailable = () => catalog()?.unavailable ?? [];

	return (
		<>
			<PageHeader title="Service catalog" subtitle={`The services you can request at ${account().name}, and what each provider promises.`} />
			<Show when={loader.error()}>
				<Alert kind="error">Could not load the catalog: {messageOf(loader.error())}</Alert>
			</Show>
			<Show when={unavailable().length > 0}>
				<Alert kind="warning">
					<div class="row">
						<span class="spacer">
							{unavailable()
								.map((p) => p.name)
								.join(", ")}{" "}
							could not be reached just now, so {unavailable().length === 1 ? "its services are" : "their services are"} missing below.
						</span>
						<button type="button" class="btn btn-sm" onClick={() => void refetch()}>
							Try again
						</button>
					</div>
				</Alert>
			</Show>
			<Show when={catalog() || loader.error()} fallback={<Spinner label="Loading the catalog…" />}>
				<Show
					when={groups().length > 0}
					fallback={
						<Show when={catalog() && unavailable().length === 0}>
							<div class="card">
								<EmptyState title="No services yet">
									{account().name} receives no services yet. When a service provider offers {account().name} a service, it appears here.
								</EmptyState>
							</div>
						</Show>
					}
				>
					<For each={groups()}>
						{(g) => (
							<section class="stack-sm" aria-labelledby={`provider-${g.provider.id}`}>
								<h2 id={`provider-${g.provider.id}`}>From {g.provider.name}</h2>
								<ul class="catalog-grid" aria-label={`Services from ${g.provider.name}`}>
									<For each={g.entries}>{(e) => <ServiceCard entry={e} />}</For>
								</ul>
							</section>
						)}
					</For>
				</Show>
			</Show>
		</>
	);
}

function ServiceCard(props: { entry: CatalogEntry }) {
	const { account, can } = useAccount();
	const e = () => props.entry;
	const requestHref = () => `/${account().id}/requests/new?${new URLSearchParams({ provider: e().provider.id, sla: e().sla.id })}`;
	const holidays = () => upcomingHolidays(e().offering.supportHours);
	const id = () => `catalog-${e().sla.id}`;
	return (
		<li class="card service-card" aria-labelledby={id()}>
			<div class="card-body stack-sm">
				<div class="item-head">
					<h3 id={id()}>{e().service.name}</h3>
					<span class="spacer" />
					<span class="badge">{e().offering.name}</span>
				</div>
				<Show when={e().service.description}>
					<p class="muted">{e().service.description}</p>
				</Show>
				<Show when={e().offering.summary}>
					<p>{e().offering.summary}</p>
				</Show>
				<h4>What it promises</h4>
				<ul class="promise-list">
					<For each={IMPACT_ORDER}>
						{(impact) => (
							<li>
								<span class="impact">{IMPACT_LABELS[impact]} impact</span>
								<span>{targetInWords("response", e().offering.targets[impact].response)}</span>
								<span>{targetInWords("resolution", e().offering.targets[impact].resolution)}</span>
							</li>
						)}
					</For>
				</ul>
				<h4>Support hours</h4>
				<WeeklyHoursList calendar={e().offering.supportHours} />
				<p class="muted">Time zone: {e().offering.supportHours.timeZone}</p>
				<Show when={holidays().length > 0}>
					<div>
						<span class="muted">Upcoming holidays</span>
						<ul class="plain">
							<For each={holidays()}>
								{(h) => (
									<li>
										{formatDay(h.date)} · {h.name}
										<Show when={h.from && h.until}>
											<span class="muted">
												{" "}
												(closed {h.from}–{h.until})
											</span>
										</Show>
									</li>
								)}
							</For>
						</ul>
					</div>
				</Show>
				<Show when={e().sla.expiryDate}>
					<p class="muted">Available until {formatDay(e().sla.expiryDate)}.</p>
				</Show>
				<Show when={can("requests:read")}>
					<div class="row service-card-actions">
						<A class="btn btn-primary" href={requestHref()} aria-label={`Request this service: ${e().service.name} (${e().offering.name})`}>
							Request this service
						</A>
					</div>
				</Show>
			</div>
		</li>
	);
}

// Search results: /<account>/search?q=… (so a search can be bookmarked and shared), grouped by
// kind, best first. Highlights come as ranges of plain text and are rendered as text and <mark>,
// never as HTML.
import { A, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, For, Show } from "solid-js";
import type { SearchHit, SearchText } from "../../../../worker/shared/search-api";
import { api, messageOf, request } from "../../api/client";
import { announce } from "../../ui/announcer";
import { Alert, EmptyState, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const GROUPS = [
	["requests", "Requests"],
	["people", "People"],
	["teams", "Teams"],
	["services", "Services"],
] as const;

/** `text` split at its marks: plain pieces and marked ones. */
export function pieces(t: SearchText): { text: string; marked: boolean }[] {
	const out: { text: string; marked: boolean }[] = [];
	let at = 0;
	for (const m of [...t.marks].sort((a, b) => a.start - b.start)) {
		if (m.start < at || m.end > t.text.length) continue;
		if (m.start > at) out.push({ text: t.text.slice(at, m.start), marked: false });
		out.push({ text: t.text.slice(m.start, m.end), marked: true });
		at = m.end;
	}
	if (at < t.text.length) out.push({ text: t.text.slice(at), marked: false });
	return out;
}

function Highlighted(props: { value: SearchText }) {
	return <For each={pieces(props.value)}>{(p) => (p.marked ? <mark>{p.text}</mark> : p.text)}</For>;
}

function Hit(props: { hit: SearchHit }) {
	return (
		<li class="search-hit">
			<A href={props.hit.link} class="search-hit-title">
				<Highlighted value={props.hit.title} />
			</A>
			<Show when={props.hit.snippet.text}>
				<p class="search-hit-snippet muted">
					<Highlighted value={props.hit.snippet} />
				</p>
			</Show>
		</li>
	);
}

export default function SearchPage() {
	const { account } = useAccount();
	const [params] = useSearchParams();
	const query = () => (typeof params.q === "string" ? params.q.trim() : "");
	const [results] = createResource(
		() => (query() ? { accountId: account().id, q: query() } : null),
		({ accountId, q }) => request(api.accounts[":accountId"].search.$get({ param: { accountId }, query: { q, limit: "20" } })),
	);
	const total = () => {
		const r = results.latest;
		return r ? GROUPS.reduce((n, [kind]) => n + r.groups[kind].length, 0) : 0;
	};
	createEffect(() => {
		if (results.state === "ready") announce(total() === 0 ? `No results for ${query()}` : `${total()} results for ${query()}`);
	});
	return (
		<>
			<PageHeader title="Search" subtitle={query() ? `Results for “${query()}”` : "Type in the search box above; press / to get there."} />
			<Show when={results.error}>
				<Alert kind="error">{messageOf(results.error)}</Alert>
			</Show>
			<Show when={results.loading}>
				<Spinner label="Searching" />
			</Show>
			<Show when={results.state === "ready" && query() && total() === 0}>
				<EmptyState title="Nothing found">Try fewer words, or the start of a word.</EmptyState>
			</Show>
			<Show when={results.latest}>
				{(r) => (
					<For each={GROUPS.filter(([kind]) => r().groups[kind].length > 0)}>
						{([kind, label]) => (
							<section class="search-group" aria-labelledby={`search-${kind}`}>
								<h2 id={`search-${kind}`}>{label}</h2>
								<ul class="search-hits">
									<For each={r().groups[kind]}>{(hit) => <Hit hit={hit} />}</For>
								</ul>
							</section>
						)}
					</For>
				)}
			</Show>
		</>
	);
}

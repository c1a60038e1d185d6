// The filter bar of the Inbox and the request list: every filter lives in the page's URL (the
// same parameters the API takes, so a URL, a saved filter and an API query are one string), so
// back/forward, reload and a shared link all show the same list. Multi-value filters are
// comma-separated lists behind a disclosure; the text filter writes to the URL as you pause.
// Saved filters are the person's own: saving keeps the URL's query, applying one is a link.
import { useLocation } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show, type JSX } from "solid-js";
import type { SavedFilterView } from "../../../../worker/shared/saved-filter-api";
import { api, messageOf, request } from "../../api/client";
import { CheckboxGroup } from "../../ui/checkbox";
import { TextField } from "../../ui/field";
import { announce } from "../../ui/announcer";

export type FilterParams = Record<string, string | undefined>;
export type SetFilterParams = (params: FilterParams, options?: { replace?: boolean }) => void;

/** The SLA states as people read them (AT_RISK_MS is one hour). */
export const SLA_STATE_OPTIONS = [
	{ value: "breached", label: "Breached" },
	{ value: "at_risk", label: "At risk (due within 1 h)" },
	{ value: "on_track", label: "On track" },
	{ value: "none", label: "No target running" },
] as const;

/** The values of a comma-separated parameter. */
export const listOf = (value: string | undefined): string[] => (value ? value.split(",").filter((v) => v !== "") : []);

/** A filter of several values (statuses, impacts, SLA states): checkboxes behind a disclosure naming what is chosen. */
export function MultiFilter<T extends string>(props: {
	name: string;
	legend: string;
	options: readonly { value: T; label: string }[];
	value: string | undefined;
	/** What the summary says when nothing is chosen ("Any"). */
	none: string;
	onChange: (value: string | undefined) => void;
}) {
	const selected = () => listOf(props.value) as T[];
	const summary = () => {
		const chosen = props.options.filter((o) => selected().includes(o.value)).map((o) => o.label);
		return chosen.length === 0 ? props.none : chosen.length <= 2 ? chosen.join(", ") : `${chosen.length} chosen`;
	};
	return (
		<details class="field filter-multi" data-filter={props.name}>
			<summary class="select">
				<span class="field-label">{props.legend}:</span> {summary()}
			</summary>
			<div class="filter-multi-panel">
				<CheckboxGroup
					legend={props.legend}
					options={props.options}
					selected={selected()}
					onChange={(values) => {
						// In the options' order, so that one choice is one URL.
						const ordered = props.options.map((o) => o.value).filter((v) => values.includes(v));
						props.onChange(ordered.length > 0 ? ordered.join(",") : undefined);
					}}
				/>
			</div>
		</details>
	);
}

/** The text filter: a piece of the subject or the number; the URL follows as you pause typing. */
export function TextFilter(props: { value: string | undefined; onChange: (value: string | undefined) => void; label?: string }) {
	const [text, setText] = createSignal(props.value ?? "");
	let timer: ReturnType<typeof setTimeout> | undefined;
	onCleanup(() => clearTimeout(timer));
	const apply = (v: string) => {
		clearTimeout(timer);
		const t = v.trim().slice(0, 100);
		if (t !== (props.value ?? "")) props.onChange(t || undefined);
	};
	return (
		<form
			class="filter-text"
			role="search"
			onSubmit={(e) => {
				e.preventDefault();
				apply(text());
			}}
		>
			<TextField
				label={props.label ?? "Subject or number contains"}
				type="search"
				value={text()}
				maxLength={100}
				onInput={(v) => {
					setText(v);
					clearTimeout(timer);
					timer = setTimeout(() => apply(v), 400);
				}}
			/>
		</form>
	);
}

/**
 * The query of the current URL without paging, its parameters sorted: what "Save this filter"
 * keeps, and the form the API saves it in (so that the saved filter shown can be marked current).
 */
function currentQuery(search: string): string {
	const q = new URLSearchParams(search);
	q.delete("cursor");
	q.delete("limit");
	q.sort();
	return q.toString().replace(/%2C/gi, ",");
}

/** The person's saved filters of this page, to apply or delete, and "Save this filter". */
export function SavedFilters(props: { accountId: string; view: SavedFilterView; base: string }) {
	const location = useLocation();
	const [saved, { refetch }] = createResource(
		() => ({ accountId: props.accountId, view: props.view }),
		({ accountId, view }) => request(api.accounts[":accountId"]["saved-filters"].$get({ param: { accountId }, query: { view } })),
	);
	const [naming, setNaming] = createSignal(false);
	const [name, setName] = createSignal("");
	const [error, setError] = createSignal<string>();
	const [busy, setBusy] = createSignal(false);

	const save = async (e: SubmitEvent) => {
		e.preventDefault();
		setBusy(true);
		setError(undefined);
		try {
			const created = await request(
				api.accounts[":accountId"]["saved-filters"].$post({ param: { accountId: props.accountId }, json: { name: name(), view: props.view, query: currentQuery(location.search) } }),
			);
			setNaming(false);
			setName("");
			await refetch();
			announce(`Saved the filter "${created.name}".`);
		} catch (err) {
			setError(messageOf(err));
		} finally {
			setBusy(false);
		}
	};
	const remove = async (id: string, label: string) => {
		try {
			await request(api.accounts[":accountId"]["saved-filters"][":filterId"].$delete({ param: { accountId: props.accountId, filterId: id } }));
			await refetch();
			announce(`Deleted the saved filter "${label}".`);
		} catch (err) {
			setError(messageOf(err));
		}
	};
	const current = () => currentQuery(location.search);

	return (
		<section class="saved-filters" aria-label="Saved filters">
			<Show when={(saved.latest?.items.length ?? 0) > 0}>
				<ul class="saved-filter-list">
					<For each={saved.latest?.items ?? []}>
						{(f) => (
							<li class="saved-filter">
								{/* A plain link (the router still handles it): its A would mark every saved filter of this page current. */}
								<a href={f.query ? `${props.base}?${f.query}` : props.base} aria-current={f.query === current() ? "true" : undefined} class="saved-filter-link">
									{f.name}
								</a>
								<button type="button" class="btn btn-sm btn-ghost" aria-label={`Delete the saved filter ${f.name}`} onClick={() => void remove(f.id, f.name)}>
									×
								</button>
							</li>
						)}
					</For>
				</ul>
			</Show>
			<Show
				when={naming()}
				fallback={
					<button type="button" class="btn btn-sm" onClick={() => setNaming(true)}>
						Save this filter
					</button>
				}
			>
				<form class="saved-filter-form" onSubmit={(e) => void save(e)} aria-label="Save this filter">
					<TextField label="Name of the filter" value={name()} onInput={setName} maxLength={80} required autofocus error={error()} />
					<button type="submit" class="btn btn-primary btn-sm" disabled={busy() || name().trim() === ""}>
						Save
					</button>
					<button type="button" class="btn btn-sm btn-ghost" onClick={() => setNaming(false)}>
						Cancel
					</button>
				</form>
			</Show>
			<Show when={error() && !naming()}>
				<p class="field-error" role="alert">
					{error()}
				</p>
			</Show>
		</section>
	);
}

/** Wraps the filters of a page in one labelled group. */
export function FilterBar(props: { label: string; children: JSX.Element }) {
	return (
		<div class="filters" role="group" aria-label={props.label}>
			{props.children}
		</div>
	);
}

// Parts of paged lists: "1–50 of 123" with Previous / Next, tabs that are links, and a
// one-of-a-few filter.
import { For, Show } from "solid-js";

export function Pagination(props: { page: number; perPage: number; total: number; onPage: (page: number) => void; label: string }) {
	const first = () => (props.total === 0 ? 0 : (props.page - 1) * props.perPage + 1);
	const last = () => Math.min(props.total, props.page * props.perPage);
	const pages = () => Math.max(1, Math.ceil(props.total / props.perPage));
	return (
		<Show when={props.total > 0}>
			<nav class="pagination" aria-label={props.label}>
				<span class="muted" aria-live="polite">
					{first()}–{last()} of {props.total}
				</span>
				<Show when={pages() > 1}>
					<span class="spacer" />
					<button type="button" class="btn btn-sm" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
						<span aria-hidden="true">←</span> Previous
					</button>
					<span class="muted">
						Page {props.page} of {pages()}
					</span>
					<button type="button" class="btn btn-sm" disabled={props.page >= pages()} onClick={() => props.onPage(props.page + 1)}>
						Next <span aria-hidden="true">→</span>
					</button>
				</Show>
			</nav>
		</Show>
	);
}

/**
 * Pages of a long list that pages by cursor (worker/http/pagination.ts): how many match, and
 * Next / First page. A cursor cannot jump to page n or back one page, so the way back is to the
 * first page (the URL of each page stays shareable).
 */
export function CursorPager(props: { shown: number; total: number; atFirst: boolean; hasNext: boolean; onFirst: () => void; onNext: () => void; label: string }) {
	return (
		<Show when={props.total > 0}>
			<nav class="pagination" aria-label={props.label}>
				<span class="muted" aria-live="polite">
					{props.shown} shown of {props.total}
				</span>
				<Show when={!props.atFirst || props.hasNext}>
					<span class="spacer" />
					<button type="button" class="btn btn-sm" disabled={props.atFirst} onClick={() => props.onFirst()}>
						<span aria-hidden="true">«</span> First page
					</button>
					<button type="button" class="btn btn-sm" disabled={!props.hasNext} onClick={() => props.onNext()}>
						Next <span aria-hidden="true">→</span>
					</button>
				</Show>
			</nav>
		</Show>
	);
}

/** Tabs that are links (each list has its own URL): the current one is marked for screen readers. */
export function LinkTabs(props: { label: string; tabs: { href: string; label: string; current: boolean }[] }) {
	return (
		<nav class="link-tabs" aria-label={props.label}>
			<For each={props.tabs}>
				{(t) => (
					<a href={t.href} class="link-tab" classList={{ current: t.current }} aria-current={t.current ? "page" : undefined}>
						{t.label}
					</a>
				)}
			</For>
		</nav>
	);
}

/** A few mutually exclusive filters as toggle buttons (one pressed), e.g. Open / Completed / All. */
export function Segmented<T extends string>(props: { label: string; value: T; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
	return (
		<div class="segmented" role="group" aria-label={props.label}>
			<For each={props.options}>
				{(o) => (
					<button type="button" class="segment" aria-pressed={o.value === props.value} onClick={() => props.onChange(o.value)}>
						{o.label}
					</button>
				)}
			</For>
		</div>
	);
}

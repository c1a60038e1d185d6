// Data that refreshes in place: live pages refetch when an event arrives, and must neither flash a
// spinner (no Suspense) nor rebuild rows that did not change (focus and typing stay where they are).
import { createEffect, createMemo, createSignal, on, untrack, type Accessor } from "solid-js";

export interface Loader<T> {
	/** The last data loaded (kept while a refresh runs). */
	data: Accessor<T | undefined>;
	error: Accessor<unknown>;
	loading: Accessor<boolean>;
	/** Loads again for the current source; resolves with the data (undefined if superseded or failed). */
	refresh(): Promise<T | undefined>;
}

/**
 * Loads `fetcher(source)` whenever `source` changes (nothing while it is undefined or false), and
 * again on `refresh()`. Only the answer to the latest call is kept.
 */
export function createLoader<S, T>(source: () => S | undefined | false, fetcher: (source: S) => Promise<T>): Loader<T> {
	const [data, setData] = createSignal<T>();
	const [error, setError] = createSignal<unknown>();
	const [loading, setLoading] = createSignal(false);
	let latest = 0;

	const load = async (s: S): Promise<T | undefined> => {
		const call = ++latest;
		setLoading(true);
		try {
			const value = await fetcher(s);
			if (call !== latest) return undefined;
			setData(() => value);
			setError(undefined);
			return value;
		} catch (err) {
			if (call === latest) setError(() => err);
			return undefined;
		} finally {
			if (call === latest) setLoading(false);
		}
	};

	createEffect(
		on(source, (s) => {
			if (s !== undefined && s !== false) void load(s);
		}),
	);

	return {
		data,
		error,
		loading,
		refresh() {
			const s = untrack(source);
			return s !== undefined && s !== false ? load(s) : Promise.resolve(undefined);
		},
	};
}

/**
 * `items`, with the previous objects kept for items whose key and content did not change, so that
 * <For> keeps their DOM (and focus within it).
 */
export function createStableList<T>(items: () => readonly T[], key: (item: T) => string): Accessor<T[]> {
	let previous = new Map<string, { item: T; json: string }>();
	return createMemo(() => {
		const next = new Map<string, { item: T; json: string }>();
		const out = items().map((item) => {
			const k = key(item);
			const json = JSON.stringify(item);
			const before = previous.get(k);
			const kept = before && before.json === json ? before.item : item;
			next.set(k, { item: kept, json });
			return kept;
		});
		previous = next;
		return out;
	});
}

/** Ids that were just added, highlighted for a few seconds. */
export function createHighlights(ms = 6000) {
	const [ids, setIds] = createSignal<ReadonlySet<string>>(new Set());
	return {
		has: (id: string) => ids().has(id),
		add(added: readonly string[]) {
			if (added.length === 0) return;
			setIds((s) => new Set([...s, ...added]));
			setTimeout(() => setIds((s) => new Set([...s].filter((id) => !added.includes(id)))), ms);
		},
	};
}

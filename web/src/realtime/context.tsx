// The account's live connection for the pages under the account shell: one per tab, opened for
// the current account and closed when leaving it (switching accounts opens the new one's).
import { createContext, createEffect, createSignal, on, onCleanup, useContext, type Accessor, type ParentProps } from "solid-js";
import type { LiveTopic } from "../../../worker/shared/live-topics";
import { api, request } from "../api/client";
import { RealtimeConnection, type ConnectionState, type LiveEvent, type LiveInvalidation, type LiveNotification } from "./socket";

export interface Realtime {
	state: Accessor<ConnectionState>;
	/** Every new request event of the current account; returns the unsubscribe. */
	onEvent(listener: (event: LiveEvent) => void): () => void;
	/** Every invalidation (trusts, SLAs, catalog) of the current account; returns the unsubscribe. */
	onInvalidate(listener: (frame: LiveInvalidation) => void): () => void;
	/** Events were missed and cannot be replayed: refetch. Returns the unsubscribe. */
	onReset(listener: () => void): () => void;
	/** Each new notification of the signed-in person in the current account; returns the unsubscribe. */
	onNotification(listener: (frame: LiveNotification) => void): () => void;
}

/**
 * A window event carrying the signed-in person's new unread count (detail: number), from the
 * notifications pages to the header's bell. Not a shared signal: that would move the bell out of
 * the shell's chunk into one of its own, on the portal's first load.
 */
export const UNREAD_EVENT = "trustdesk:unread";

const RealtimeContext = createContext<Realtime>();

export function RealtimeProvider(props: ParentProps<{ accountId: string }>) {
	const listeners = new Set<(event: LiveEvent) => void>();
	const invalidateListeners = new Set<(frame: LiveInvalidation) => void>();
	const resetListeners = new Set<() => void>();
	const notificationListeners = new Set<(frame: LiveNotification) => void>();
	const [current, setCurrent] = createSignal<RealtimeConnection>();

	createEffect(
		on(
			() => props.accountId,
			(accountId) => {
				const conn = new RealtimeConnection({
					ticket: () => request(api.accounts[":accountId"].realtime.tickets.$post({ param: { accountId } })),
				});
				conn.onEvent((frame) => {
					if (frame.type === "event") for (const l of [...listeners]) l(frame);
					else for (const l of [...invalidateListeners]) l(frame);
				});
				conn.onReset(() => {
					for (const l of [...resetListeners]) l();
				});
				conn.onNotification((frame) => {
					for (const l of [...notificationListeners]) l(frame);
				});
				conn.start();
				setCurrent(conn);
				window.__trustdeskSocket = {
					drop: () => conn.drop(),
					get state() {
						return conn.state();
					},
					get lastSeq() {
						return conn.lastSeq;
					},
					accountId,
				};
				onCleanup(() => {
					conn.stop();
					if (window.__trustdeskSocket?.accountId === accountId) delete window.__trustdeskSocket;
				});
			},
		),
	);

	const value: Realtime = {
		state: () => current()?.state() ?? "connecting",
		onEvent(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		onInvalidate(listener) {
			invalidateListeners.add(listener);
			return () => invalidateListeners.delete(listener);
		},
		onReset(listener) {
			resetListeners.add(listener);
			return () => resetListeners.delete(listener);
		},
		onNotification(listener) {
			notificationListeners.add(listener);
			return () => notificationListeners.delete(listener);
		},
	};
	return <RealtimeContext.Provider value={value}>{props.children}</RealtimeContext.Provider>;
}

export function useRealtime(): Realtime {
	const ctx = useContext(RealtimeContext);
	if (!ctx) throw new Error("useRealtime outside the account shell");
	return ctx;
}

/**
 * Runs `refresh` after events that `matches` (and after a reset), at most once per `delayMs`:
 * a burst of events costs one refetch. For the lifetime of the calling component.
 */
export function useLiveRefresh(matches: (event: LiveEvent) => boolean, refresh: (events: LiveEvent[]) => void, delayMs = 150): void {
	const realtime = useRealtime();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let pending: LiveEvent[] = [];
	const schedule = () => {
		if (timer !== undefined) return;
		timer = setTimeout(() => {
			timer = undefined;
			const events = pending;
			pending = [];
			refresh(events);
		}, delayMs);
	};
	const offEvent = realtime.onEvent((e) => {
		if (!matches(e)) return;
		pending.push(e);
		schedule();
	});
	const offReset = realtime.onReset(schedule);
	onCleanup(() => {
		offEvent();
		offReset();
		clearTimeout(timer);
	});
}

/**
 * Runs `refresh` after invalidations of `topics` (and after a reset), at most once per `delayMs`:
 * the trusts, SLAs or catalog shown changed somewhere, here or in another account.
 */
export function useLiveTopic(topics: readonly LiveTopic[], refresh: () => void, delayMs = 150): void {
	const realtime = useRealtime();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const schedule = () => {
		if (timer !== undefined) return;
		timer = setTimeout(() => {
			timer = undefined;
			refresh();
		}, delayMs);
	};
	const offInvalidate = realtime.onInvalidate((f) => {
		if (topics.includes(f.topic)) schedule();
	});
	const offReset = realtime.onReset(schedule);
	onCleanup(() => {
		offInvalidate();
		offReset();
		clearTimeout(timer);
	});
}

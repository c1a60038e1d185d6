// The header's bell: the signed-in person's unread notifications in this account, kept current by
// the live socket (each notification frame carries the new count), refetched whenever the socket
// (re)connects, since notifications are not replayed, and told by the notifications pages (UNREAD_EVENT)
// when they mark some read. A link to the notifications page (loaded on demand), so the portal's
// first load carries only this.
import { A } from "@solidjs/router";
import { createEffect, createSignal, on, onCleanup, Show } from "solid-js";
import { api, request } from "../../api/client";
import { UNREAD_EVENT, useRealtime } from "../../realtime/context";
import { announce } from "../../ui/announcer";

export function NotificationBell(props: { accountId: string }) {
	const realtime = useRealtime();
	const [unread, setUnread] = createSignal(0);
	const loadUnread = async (accountId: string) =>
		setUnread((await request(api.accounts[":accountId"].notifications["unread-count"].$get({ param: { accountId } }))).unread);
	const told = (e: Event) => setUnread((e as CustomEvent<number>).detail);
	window.addEventListener(UNREAD_EVENT, told);
	onCleanup(() => window.removeEventListener(UNREAD_EVENT, told));
	createEffect(
		on(
			() => [props.accountId, realtime.state() === "live"] as const,
			([accountId, live]) => {
				if (live || realtime.state() === "connecting") void loadUnread(accountId).catch(() => undefined);
			},
		),
	);
	const off = realtime.onNotification((frame) => {
		setUnread(frame.unread);
		announce(`New notification: ${frame.notification.title}`);
	});
	onCleanup(off);
	const label = () => `Notifications, ${unread() || "none"} unread`;
	return (
		<A class="btn btn-ghost icon-btn bell" href={`/${props.accountId}/notifications`} aria-label={label()} data-testid="notification-bell">
			<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
				<path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 16h15.4L18 12.6V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" />
			</svg>
			<Show when={unread() > 0}>
				<span class="bell-badge" aria-hidden="true" data-testid="notification-count">
					{unread() > 99 ? "99+" : unread()}
				</span>
			</Show>
		</A>
	);
}

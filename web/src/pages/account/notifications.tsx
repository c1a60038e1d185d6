// Your notifications in this account: unread first, newest first within each, a page at a time.
// Opening one marks it read and goes to its record; new ones arrive live at the top.
import { A, useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { Notification } from "../../../../worker/shared/notification-api";
import { messageOf } from "../../api/client";
import { formatDateTime } from "../../lib/format";
import { listNotifications, markAllRead, markRead, setUnread, unread } from "../../lib/notifications";
import { useRealtime } from "../../realtime/context";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

const PAGE = 20;

export default function NotificationsPage() {
	const { account } = useAccount();
	const navigate = useNavigate();
	const realtime = useRealtime();
	const [items, setItems] = createSignal<Notification[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const [busy, setBusy] = createSignal(false);

	const [first, { refetch }] = createResource(
		() => account().id,
		async (accountId) => {
			const page = await listNotifications(accountId, { limit: PAGE });
			setItems(page.items);
			setCursor(page.nextCursor);
			return page;
		},
	);
	// New ones go on top (they are unread, and the newest). A reconnect may have missed some: reload.
	onCleanup(
		realtime.onNotification((frame) => {
			setUnread(frame.unread);
			setItems((list) => [frame.notification, ...list.filter((n) => n.id !== frame.notification.id)]);
		}),
	);
	onCleanup(realtime.onReset(() => void refetch()));

	const more = async () => {
		const from = cursor();
		if (!from) return;
		setBusy(true);
		try {
			const page = await listNotifications(account().id, { limit: PAGE, cursor: from });
			setItems((list) => [...list, ...page.items.filter((n) => !list.some((m) => m.id === n.id))]);
			setCursor(page.nextCursor);
		} catch (err) {
			notify(messageOf(err), "error");
		} finally {
			setBusy(false);
		}
	};

	const replace = (n: Notification) => setItems((list) => list.map((m) => (m.id === n.id ? n : m)));

	const open = async (n: Notification, e: MouseEvent) => {
		// A new tab or window (modifier keys, middle button) opens as the browser does; it counts as read too.
		const elsewhere = e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0;
		if (!elsewhere) e.preventDefault();
		if (!n.readAt) {
			try {
				replace(await markRead(account().id, n.id));
			} catch {
				// Going to the record matters more than the mark; it stays unread.
			}
		}
		if (!elsewhere) navigate(n.link);
	};

	const readOne = async (n: Notification) => {
		try {
			replace(await markRead(account().id, n.id));
		} catch (err) {
			notify(messageOf(err), "error");
		}
	};

	const readAll = async () => {
		setBusy(true);
		try {
			const marked = await markAllRead(account().id);
			const now = new Date().toISOString();
			setItems((list) => list.map((n) => (n.readAt ? n : { ...n, readAt: now })));
			notify(marked === 1 ? "1 notification marked read." : `${marked} notifications marked read.`);
		} catch (err) {
			notify(messageOf(err), "error");
		} finally {
			setBusy(false);
		}
	};

	return (
		<>
			<PageHeader
				title="Notifications"
				subtitle={unread() === 0 ? "Nothing unread." : unread() === 1 ? "1 unread." : `${unread()} unread.`}
				actions={
					<>
						<A class="btn" href={`/${account().id}/profile/notifications`}>
							Preferences
						</A>
						<button type="button" class="btn btn-primary" onClick={() => void readAll()} disabled={busy() || unread() === 0}>
							Mark all read
						</button>
					</>
				}
			/>
			<Show when={first.error}>
				<Alert kind="error">Could not load your notifications: {messageOf(first.error)}</Alert>
			</Show>
			<section class="card" aria-label="Your notifications">
				<Show when={!first.loading || items().length > 0} fallback={<Spinner />}>
					<Show when={items().length > 0} fallback={<EmptyState title="No notifications">When something happens to your requests, your work or your account’s trusts, you will see it here.</EmptyState>}>
						<ul class="notification-list" data-testid="notification-list">
							<For each={items()}>
								{(n) => (
									<li class="notification-item" data-unread={n.readAt ? undefined : ""} data-testid="notification">
										<span class="notification-dot" aria-hidden="true" />
										<div class="notification-main">
											<a class="notification-title" href={n.link} onClick={(e) => void open(n, e)} onAuxClick={(e) => void open(n, e)}>
												<Show when={!n.readAt}>
													<span class="visually-hidden">Unread: </span>
												</Show>
												{n.title}
											</a>
											<Show when={n.body}>
												<p class="notification-body">{n.body}</p>
											</Show>
											<div class="muted">
												{formatDateTime(n.createdAt)}
												<Show when={n.actorName}> · {n.actorName}</Show>
											</div>
										</div>
										<Show when={!n.readAt}>
											<button type="button" class="btn btn-sm" onClick={() => void readOne(n)} aria-label={`Mark read: ${n.title}`}>
												Mark read
											</button>
										</Show>
									</li>
								)}
							</For>
						</ul>
					</Show>
				</Show>
			</section>
			<Show when={cursor()}>
				<div class="row" style={{ "justify-content": "center", "margin-top": "1rem" }}>
					<button type="button" class="btn" onClick={() => void more()} disabled={busy()}>
						Show more
					</button>
				</div>
			</Show>
		</>
	);
}

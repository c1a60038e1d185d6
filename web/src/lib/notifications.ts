// The signed-in person's notifications in the current account, for the notifications and
// preferences pages (loaded on demand). Every answer that carries the unread count updates the
// bell's, and the page's own.
import type { NotificationQuery } from "../../../worker/shared/notification-api";
import type { NotificationKind } from "../../../worker/shared/notification-kinds";
import { api, request } from "../api/client";
import { UNREAD_EVENT } from "../realtime/context";
import { createSignal } from "solid-js";

const [unread, setCount] = createSignal(0);
/** The unread count as the last answer or live frame said. */
export { unread };

/** A new unread count: for the page, and for the header's bell. */
export function setUnread(n: number): void {
	setCount(n);
	window.dispatchEvent(new CustomEvent(UNREAD_EVENT, { detail: n }));
}

const notifications = api.accounts[":accountId"].notifications;

export async function listNotifications(accountId: string, query: { order?: NotificationQuery["order"]; cursor?: string | undefined; limit?: number }) {
	const page = await request(
		notifications.$get({
			param: { accountId },
			query: { order: query.order ?? "unread_first", limit: String(query.limit ?? 20), ...(query.cursor ? { cursor: query.cursor } : {}) },
		}),
	);
	setUnread(page.unread);
	return page;
}

export async function markRead(accountId: string, notificationId: string) {
	const answer = await request(notifications[":notificationId"].read.$put({ param: { accountId, notificationId } }));
	setUnread(answer.unread);
	return answer.notification;
}

export async function markAllRead(accountId: string): Promise<number> {
	const answer = await request(notifications["read-all"].$put({ param: { accountId } }));
	setUnread(answer.unread);
	return answer.marked;
}

export async function loadPreferences(accountId: string) {
	return (await request(api.accounts[":accountId"]["notification-preferences"].$get({ param: { accountId } }))).items;
}

export async function savePreferences(accountId: string, items: { kind: NotificationKind; inApp: boolean; email: boolean }[]) {
	return (await request(api.accounts[":accountId"]["notification-preferences"].$put({ param: { accountId }, json: { items } }))).items;
}

// The signed-in person's notifications in the current account: the API calls, and the unread
// count that the header's bell and the notifications page share (one signal per tab).
import { createSignal } from "solid-js";
import type { NotificationQuery } from "../../../worker/shared/notification-api";
import type { NotificationKind } from "../../../worker/shared/notification-kinds";
import { api, request } from "../api/client";

const [unread, setUnread] = createSignal(0);
/** The unread count the bell shows; every answer that carries one updates it. */
export { unread, setUnread };

const notifications = api.accounts[":accountId"].notifications;

export async function loadUnread(accountId: string): Promise<number> {
	const { unread: n } = await request(notifications["unread-count"].$get({ param: { accountId } }));
	setUnread(n);
	return n;
}

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

// The signed-in person's notification centre in one account: their notifications (newest or
// unread first, by cursor), the unread count, marking read, and their preferences per kind. For
// people only, never API tokens; a person only ever reaches their own (the AccountObject is
// asked for the session's person, never for an id from the request).
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { accountScope, requireSession } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { decodeCursor, encodeCursor, pageResponse, paged } from "../http/pagination";
import {
	Notification,
	NotificationId,
	NotificationPage,
	NotificationPosition,
	NotificationPreferences,
	NotificationQuery,
	UnreadCount,
	UpdateNotificationPreferences,
} from "../shared/notification-api";
import { kindsForRoles } from "../shared/notification-kinds";

const TAG = "Notifications";
/** Everyone in the account has account:read; the session check below keeps tokens out. */
const scope = accountScope("account:read");

function me(c: Context<AppEnv>): { personId: string; accountId: string } {
	return { personId: requireSession(c).person.id, accountId: c.get("account").id };
}

const listRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/notifications",
	tags: [TAG],
	summary: "Your notifications in this account",
	description:
		"order=unread_first (default): unread ones newest first, then read ones; order=newest: newest first. Pass a page's nextCursor as `cursor` for the next page. New ones also arrive live on the account's socket as {\"type\":\"notification\",\"notification\":…,\"unread\":n}, to your sockets only.",
	middleware: scope,
	request: { params: AccountParams, query: NotificationQuery },
	responses: { 200: pageResponse(NotificationPage, "A page of your notifications and your unread count."), ...errors(400, 401, 403, 404) },
});

const unreadRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/notifications/unread-count",
	tags: [TAG],
	summary: "How many of your notifications are unread",
	middleware: scope,
	request: { params: AccountParams },
	responses: { 200: json(UnreadCount, "Your unread count."), ...errors(401, 403, 404) },
});

const markReadRoute = createRoute({
	method: "put",
	path: "/accounts/{accountId}/notifications/{notificationId}/read",
	tags: [TAG],
	summary: "Mark one of your notifications read",
	description: "Idempotent: marking a read one again changes nothing. Another person's notification answers 404.",
	middleware: scope,
	request: { params: AccountParams.extend({ notificationId: NotificationId }) },
	responses: { 200: json(z.object({ notification: Notification, unread: z.number().int() }), "The notification and your unread count."), ...errors(400, 401, 403, 404) },
});

const markAllReadRoute = createRoute({
	method: "put",
	path: "/accounts/{accountId}/notifications/read-all",
	tags: [TAG],
	summary: "Mark all your notifications read",
	middleware: scope,
	request: { params: AccountParams },
	responses: { 200: json(z.object({ marked: z.number().int(), unread: z.number().int() }), "How many were marked, and your unread count (0)."), ...errors(401, 403, 404) },
});

const getPreferencesRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/notification-preferences",
	tags: [TAG],
	summary: "Your notification preferences",
	description: "One entry per kind your roles can receive: in the app and/or by e-mail. Kinds you never changed show your role's default (isDefault).",
	middleware: scope,
	request: { params: AccountParams },
	responses: { 200: json(NotificationPreferences, "Your preferences."), ...errors(401, 403, 404) },
});

const putPreferencesRoute = createRoute({
	method: "put",
	path: "/accounts/{accountId}/notification-preferences",
	tags: [TAG],
	summary: "Change your notification preferences",
	description: "Only the kinds given change. A kind your roles cannot receive answers 400. Setting a kind back to its default makes it follow the default again.",
	middleware: scope,
	request: { params: AccountParams, body: jsonBody(UpdateNotificationPreferences) },
	responses: { 200: json(NotificationPreferences, "Your preferences after the change."), ...errors(400, 401, 403, 404, 415) },
});

export const notificationRoutes = router()
	.openapi(listRoute, async (c) => {
		const { personId, accountId } = me(c);
		// The AccountObject's position (part and seq) travels inside the opaque cursor.
		const q = c.req.valid("query");
		const page = await accountStub(c.env, accountId).listNotifications(personId, { ...q, cursor: decodeCursor(NotificationPosition, q.cursor) });
		return c.json(paged(c, { ...page, nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor) }), 200);
	})
	.openapi(unreadRoute, async (c) => {
		const { personId, accountId } = me(c);
		return c.json({ unread: await accountStub(c.env, accountId).unreadNotifications(personId) }, 200);
	})
	.openapi(markReadRoute, async (c) => {
		const { personId, accountId } = me(c);
		return c.json(unwrap(await accountStub(c.env, accountId).markNotificationRead(personId, c.req.valid("param").notificationId)), 200);
	})
	.openapi(markAllReadRoute, async (c) => {
		const { personId, accountId } = me(c);
		return c.json(await accountStub(c.env, accountId).markAllNotificationsRead(personId), 200);
	})
	.openapi(getPreferencesRoute, async (c) => {
		const { personId, accountId } = me(c);
		const kinds = kindsForRoles(c.get("account").roles);
		return c.json({ items: await accountStub(c.env, accountId).notificationPreferences(personId, kinds) }, 200);
	})
	.openapi(putPreferencesRoute, async (c) => {
		const { personId, accountId } = me(c);
		const kinds = kindsForRoles(c.get("account").roles);
		const { items } = c.req.valid("json");
		const foreign = items.findIndex((i) => !kinds.includes(i.kind));
		if (foreign >= 0) {
			throw new AppError("invalid_input", "Your roles in this account do not receive that kind of notification.", [{ path: `items.${foreign}.kind`, message: "Not a kind your roles receive." }]);
		}
		return c.json({ items: await accountStub(c.env, accountId).setNotificationPreferences(personId, items, kinds) }, 200);
	});

// Notifications: the shapes of the notification centre's API and of its live frame.
import { z } from "zod";
import { PageQuery, pageWith } from "./page-api";
import { NOTIFICATION_KINDS } from "./notification-kinds";

export const NotificationId = z
	.string()
	.regex(/^ntf_[A-Za-z0-9]{10,40}$/, "Not a notification id.")
	.meta({ description: "A notification's id.", example: "ntf_3k9x2m8q4z" });

export const Notification = z
	.object({
		id: z.string(),
		kind: z.enum(NOTIFICATION_KINDS),
		title: z.string(),
		body: z.string().nullable().meta({ description: "An excerpt (of the note, for instance); never an internal note for someone who may not read it." }),
		request: z
			.object({ id: z.string(), number: z.number().int(), accountId: z.string() })
			.nullable()
			.meta({ description: "The request it is about, and the account that owns it." }),
		trustAccountId: z.string().nullable().meta({ description: "The other account of the trust it is about." }),
		link: z.string().meta({ description: "Path of the record in this account's portal.", example: "/widget-dc/requests/req_1" }),
		actorName: z.string().nullable(),
		createdAt: z.iso.datetime(),
		readAt: z.iso.datetime().nullable(),
	})
	.meta({ id: "Notification" });
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = pageWith(
	Notification,
	{ unread: z.number().int().meta({ description: "Your unread notifications in this account, all pages together, counted up to 1,000 (1,000 means that many or more)." }) },
	"NotificationPage",
);
export type NotificationPage = z.infer<typeof NotificationPage>;

/** The position inside the AccountObject: which part (u: unread, r: read) and the last seq shown. */
export const NotificationPosition = z.string().regex(/^[ur]\d{0,15}$/);

export const NotificationQuery = z.object({
	order: z.enum(["unread_first", "newest"]).default("unread_first").meta({ description: "unread_first: unread ones newest first, then read ones newest first." }),
	...PageQuery.shape,
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;

export const UnreadCount = z
	.object({ unread: z.number().int().meta({ description: "Counted up to 1,000 (1,000 means that many or more)." }) })
	.meta({ id: "UnreadCount" });
export type UnreadCount = z.infer<typeof UnreadCount>;

export const NotificationPreference = z
	.object({
		kind: z.enum(NOTIFICATION_KINDS),
		label: z.string(),
		inApp: z.boolean(),
		email: z.boolean(),
		/** True while the person has not changed it: the role's default. */
		isDefault: z.boolean(),
	})
	.meta({ id: "NotificationPreference" });
export type NotificationPreference = z.infer<typeof NotificationPreference>;

export const NotificationPreferences = z.object({ items: z.array(NotificationPreference) }).meta({ id: "NotificationPreferences" });
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const UpdateNotificationPreferences = z
	.strictObject({
		items: z
			.array(z.strictObject({ kind: z.enum(NOTIFICATION_KINDS), inApp: z.boolean(), email: z.boolean() }))
			.min(1)
			.max(NOTIFICATION_KINDS.length)
			.refine((items) => new Set(items.map((i) => i.kind)).size === items.length, "Each kind at most once."),
	})
	.meta({ id: "UpdateNotificationPreferences" });
export type UpdateNotificationPreferences = z.infer<typeof UpdateNotificationPreferences>;

/** The live frame: one new notification, to its recipient's sockets only, with their new unread count. */
export interface NotificationFrame {
	type: "notification";
	notification: Notification;
	unread: number;
}

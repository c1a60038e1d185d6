// The e-mail delivery log as the API and the portal show it.
import { z } from "zod";
import { PageQuery, pageOf } from "./page-api";

const Timestamp = z.iso.datetime();

export const MAIL_STATUSES = ["queued", "sent", "failed", "bounced"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const MailDelivery = z
	.object({
		id: z.string(),
		kind: z.enum(["notification", "invitation", "password_reset", "email_verification"]),
		status: z.enum(MAIL_STATUSES).meta({
			description: "queued: waiting for its first or next attempt. sent: taken by the Email Service. failed: given up after the last retry, or undeliverable. bounced: reported undeliverable after it was sent.",
		}),
		recipient: z.object({ email: z.string(), name: z.string() }).meta({ description: "Where it went: for a person, their address at the time of sending." }),
		subject: z.string(),
		requestId: z.string().nullable(),
		sensitive: z.boolean().meta({ description: "Holds a secret link (invitation, password reset): its body is dropped once it is sent." }),
		attempts: z.number().int(),
		lastError: z.string().nullable(),
		nextAttemptAt: Timestamp.nullable(),
		createdAt: Timestamp,
		finishedAt: Timestamp.nullable(),
	})
	.meta({ id: "MailDelivery" });
export type MailDelivery = z.infer<typeof MailDelivery>;

export const MailDeliveryPage = pageOf(MailDelivery, "MailDeliveryPage");
export type MailDeliveryPage = z.infer<typeof MailDeliveryPage>;

export const MailDeliveryQuery = PageQuery;

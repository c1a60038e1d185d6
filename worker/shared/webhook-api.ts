// Webhooks as the API and the portal see them: endpoints (subscriptions) and their delivery log.
import { z } from "zod";
import { EVENT_LABELS, EVENT_TYPES, isEventFilter } from "../webhooks/events";

export { EVENT_LABELS as WEBHOOK_EVENT_LABELS, EVENT_TYPES as WEBHOOK_EVENT_TYPES };

const Timestamp = z.iso.datetime();

const EventFilter = z
	.string()
	.max(100)
	.refine(isEventFilter, { message: "Not an event type: use one of the catalog's types, a family such as request.*, or *." })
	.meta({ example: "request.*" });

const EventFilters = z
	.array(EventFilter)
	.min(1)
	.max(50)
	.transform((list) => [...new Set(list)])
	.meta({ description: "Event types, family wildcards such as request.*, or * for every event.", example: ["request.created", "sla.*"] });

export const CreateWebhookEndpoint = z
	.strictObject({
		url: z.string().max(2000).meta({ example: "https://hooks.example.com/trustdesk" }),
		description: z.string().trim().max(200).default(""),
		eventTypes: EventFilters,
	})
	.meta({ id: "CreateWebhookEndpoint" });
export type CreateWebhookEndpoint = z.infer<typeof CreateWebhookEndpoint>;

export const UpdateWebhookEndpoint = z
	.strictObject({
		url: z.string().max(2000).optional(),
		description: z.string().trim().max(200).optional(),
		eventTypes: EventFilters.optional(),
		enabled: z.boolean().optional().meta({ description: "Enabling again clears the failure count; disabling stops deliveries (queued ones fail)." }),
	})
	.meta({ id: "UpdateWebhookEndpoint" });
export type UpdateWebhookEndpoint = z.infer<typeof UpdateWebhookEndpoint>;

export const WebhookEndpoint = z
	.object({
		id: z.string(),
		url: z.string(),
		description: z.string(),
		eventTypes: z.array(z.string()),
		enabled: z.boolean(),
		disabledReason: z.string().nullable().meta({ description: "Why Trustdesk disabled it (410 Gone, too many failures), or null." }),
		consecutiveFailures: z.number().int(),
		secretRotation: z
			.object({ previousValidUntil: Timestamp })
			.nullable()
			.meta({ description: "While a rotated secret is still valid, deliveries carry a signature with each." }),
		managedBy: z
			.object({ kind: z.string(), id: z.string() })
			.nullable()
			.meta({ description: "Owned by another part of Trustdesk (an app installation): shown, not changed, here." }),
		createdAt: Timestamp,
		updatedAt: Timestamp,
	})
	.meta({ id: "WebhookEndpoint" });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpoint), nextCursor: z.string().nullable() }).meta({ id: "WebhookEndpointList" });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const WebhookEndpointWithSecret = z
	.object({
		endpoint: WebhookEndpoint,
		secret: z
			.string()
			.nullable()
			.meta({
				description: "The signing secret (whsec_…). Shown this once; Trustdesk keeps it only encrypted. null on a replay by Idempotency-Key.",
				example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			}),
	})
	.meta({ id: "WebhookEndpointWithSecret" });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WEBHOOK_DELIVERY_STATUSES = ["queued", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WebhookAttempt = z
	.object({
		at: Timestamp,
		responseCode: z.number().int().nullable().meta({ description: "The receiver's HTTP status, or null when no answer came." }),
		latencyMs: z.number().int(),
		bodyExcerpt: z.string().nullable().meta({ description: "The start of the receiver's answer (at most 1 KB)." }),
		error: z.string().nullable(),
	})
	.meta({ id: "WebhookAttempt" });
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z
	.object({
		id: z.string().meta({ description: "The message id (webhook-id header): the same on every attempt and redelivery." }),
		endpointId: z.string(),
		eventType: z.string(),
		status: z.enum(WEBHOOK_DELIVERY_STATUSES),
		attempts: z.number().int(),
		nextAttemptAt: Timestamp.nullable(),
		payload: z.string().nullable().meta({ description: "The JSON body as sent; null for a sensitive one (an app's token)." }),
		sensitive: z.boolean(),
		log: z.array(WebhookAttempt),
		createdAt: Timestamp,
		finishedAt: Timestamp.nullable(),
	})
	.meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryPage = z
	.object({
		items: z.array(WebhookDelivery),
		nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next, older page; null on the last page." }),
	})
	.meta({ id: "WebhookDeliveryPage" });
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPage>;


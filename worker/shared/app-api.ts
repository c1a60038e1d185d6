// Apps between accounts: a provider's app offering, published to the accounts that trust it, and
// a customer's installation of it (a token in the customer's account with exactly the offering's
// scopes). Shared by the Worker, the AccountObject and the portal.
import { z } from "zod";
import { SCOPES } from "./roles";
import { AccountId } from "./api";

export const APP_FIELD_TYPES = ["text", "secret", "url"] as const;

export const AppConfigField = z
	.object({
		key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Lower-case letters, digits and _, starting with a letter.").meta({ example: "site_name" }),
		label: z.string().trim().min(1).max(100).meta({ example: "Site name" }),
		type: z.enum(APP_FIELD_TYPES).meta({ description: "secret: write-only, delivered to the app once, never shown again." }),
		required: z.boolean(),
	})
	.strict()
	.meta({ id: "AppConfigField" });
export type AppConfigField = z.infer<typeof AppConfigField>;

/** Event types an app can follow: `request.created`, or a family wildcard such as `request.*`. */
export const AppEventType = z
	.string()
	.regex(/^[a-z]+(\.[a-z_]+)*(\.\*)?$/, "An event type such as request.created, or a family such as request.*.")
	.max(60)
	.meta({ example: "request.*" });

const AppScopes = z
	.array(z.enum(SCOPES))
	.min(1)
	.max(SCOPES.length)
	.refine((s) => new Set(s).size === s.length, "Each scope once.")
	.meta({ description: "What the app's token may do in a customer's account: exactly these, never more." });

const ConfigFields = z
	.array(AppConfigField)
	.max(20)
	.refine((f) => new Set(f.map((x) => x.key)).size === f.length, "Each key once.");

const Events = z
	.array(AppEventType)
	.max(30)
	.refine((e) => new Set(e).size === e.length, "Each event type once.");

/** The app's endpoint: where app.installed (with the token) and app.uninstalled are delivered. */
const EndpointUrl = z
	.string()
	.max(2000)
	.refine((u) => {
		try {
			const url = new URL(u);
			return (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === "";
		} catch {
			return false;
		}
	}, "An http(s) URL without credentials.")
	.meta({ example: "https://monitoring.widget-dc.example/trustdesk" });

export const CreateAppOfferingInput = z
	.object({
		name: z.string().trim().min(1).max(100).meta({ example: "Widget Monitoring" }),
		description: z.string().trim().max(2000).default(""),
		scopes: AppScopes,
		configFields: ConfigFields.default([]),
		events: Events.default([]),
		endpointUrl: EndpointUrl,
	})
	.strict()
	.meta({ id: "CreateAppOfferingInput" });
export type CreateAppOfferingInput = z.infer<typeof CreateAppOfferingInput>;

export const UpdateAppOfferingInput = z
	.object({
		name: z.string().trim().min(1).max(100).optional(),
		description: z.string().trim().max(2000).optional(),
		scopes: AppScopes.optional(),
		configFields: ConfigFields.optional(),
		events: Events.optional(),
		endpointUrl: EndpointUrl.optional(),
	})
	.strict()
	.refine((v) => Object.keys(v).length > 0, "Change at least one field.")
	.meta({ id: "UpdateAppOfferingInput", description: "A change of scopes, configuration form, events or endpoint is a new version." });
export type UpdateAppOfferingInput = z.infer<typeof UpdateAppOfferingInput>;

export const PublishAppOfferingInput = z
	.object({
		to: z.union([z.literal("all"), z.literal("none"), z.array(AccountId).max(500)]).meta({
			description: "all: every account that actively trusts this one (now or later); a list: those accounts (while they trust this one); none: withdrawn (installations stay).",
		}),
	})
	.strict()
	.meta({ id: "PublishAppOfferingInput" });
export type PublishAppOfferingInput = z.infer<typeof PublishAppOfferingInput>;

export const AppAudience = z.union([z.literal("all"), z.literal("none"), z.array(z.string())]);
export type AppAudience = z.infer<typeof AppAudience>;

export const AppOffering = z
	.object({
		id: z.string().meta({ example: "app_3JmX9kq2Vb7TqL0a" }),
		name: z.string(),
		description: z.string(),
		version: z.number().int().meta({ description: "Goes up with every change of scopes, configuration form, events or endpoint." }),
		scopes: z.array(z.enum(SCOPES)),
		configFields: z.array(AppConfigField),
		events: z.array(z.string()),
		endpointUrl: z.string(),
		publishedTo: AppAudience,
		installations: z.number().int().meta({ description: "Live installations in customer accounts." }),
		createdAt: z.string(),
		updatedAt: z.string(),
	})
	.meta({ id: "AppOffering" });
export type AppOffering = z.infer<typeof AppOffering>;

export const CreatedAppOffering = z
	.object({
		offering: AppOffering,
		signingSecret: z.string().nullable().meta({
			description: "Standard Webhooks secret (whsec_…) that signs app.installed and app.uninstalled deliveries to the endpoint. Shown once: a replay by Idempotency-Key answers null (it is never stored in the clear).",
		}),
	})
	.meta({ id: "CreatedAppOffering" });
export type CreatedAppOffering = z.infer<typeof CreatedAppOffering>;

/** An installation as the provider sees it. */
export const AppSubscriber = z
	.object({
		installationId: z.string(),
		customer: z.object({ id: z.string(), name: z.string() }),
		version: z.number().int(),
		status: z.enum(["active", "uninstalled"]),
		installedAt: z.string(),
		updatedAt: z.string(),
	})
	.meta({ id: "AppSubscriber" });
export type AppSubscriber = z.infer<typeof AppSubscriber>;

/** An offering published to this account, as its provider answers (a trust check each time). */
export const AvailableApp = z
	.object({
		provider: z.object({ id: z.string(), name: z.string() }),
		offeringId: z.string(),
		name: z.string(),
		description: z.string(),
		version: z.number().int(),
		scopes: z.array(z.enum(SCOPES)),
		configFields: z.array(AppConfigField),
		events: z.array(z.string()),
		endpointUrl: z.string().meta({ description: "Where the app receives its token and, as this account's webhook subscription, the events above." }),
		installationId: z.string().nullable().meta({ description: "This account's live installation of it, if any." }),
	})
	.meta({ id: "AvailableApp" });
export type AvailableApp = z.infer<typeof AvailableApp>;

/** What the provider's object answers a customer: the offering without its secret or endpoint. */
export type AppListing = Omit<AvailableApp, "provider" | "installationId">;

export const InstallAppInput = z
	.object({
		providerAccountId: AccountId,
		offeringId: z.string().min(1).max(64),
		config: z.record(z.string().max(64), z.string().max(2000)).default({}),
	})
	.strict()
	.meta({ id: "InstallAppInput" });
export type InstallAppInput = z.infer<typeof InstallAppInput>;

export const AppInstallation = z
	.object({
		id: z.string().meta({ example: "ains_8sKq2LmZpR4WqL0a" }),
		provider: z.object({ id: z.string(), name: z.string() }),
		offeringId: z.string(),
		name: z.string(),
		description: z.string(),
		version: z.number().int(),
		scopes: z.array(z.enum(SCOPES)).meta({ description: "What the app's token may do now." }),
		events: z.array(z.string()),
		config: z.record(z.string(), z.string().nullable()).meta({ description: "Values given at install; secret fields are null (write-only)." }),
		pendingUpdate: z
			.object({ version: z.number().int(), scopes: z.array(z.enum(SCOPES)), addedScopes: z.array(z.enum(SCOPES)) })
			.nullable()
			.meta({ description: "A newer version that needs more scopes, waiting for an administrator's approval." }),
		status: z.enum(["active", "uninstalled"]),
		tokenId: z.string(),
		installedBy: z.object({ id: z.string(), name: z.string() }),
		installedAt: z.string(),
		lastUsedAt: z.string().nullable().meta({ description: "When the app's token was last used (to the minute)." }),
		uninstalledAt: z.string().nullable(),
	})
	.meta({ id: "AppInstallation" });
export type AppInstallation = z.infer<typeof AppInstallation>;

export const AppInstallationPage = z
	.object({
		items: z.array(AppInstallation),
		nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page." }),
	})
	.meta({ id: "AppInstallationPage" });
export type AppInstallationPage = z.infer<typeof AppInstallationPage>;

export const AppOfferingPage = z
	.object({ items: z.array(AppOffering), nextCursor: z.string().nullable() })
	.meta({ id: "AppOfferingPage" });
export type AppOfferingPage = z.infer<typeof AppOfferingPage>;


/** Webhook event types of the app's own endpoint (signed with the offering's secret). */
export const APP_EVENTS = ["app.installed", "app.uninstalled"] as const;

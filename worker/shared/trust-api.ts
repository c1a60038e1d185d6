// Trusts between accounts: the handshake's request and response shapes.
import { z } from "zod";
import { AccountId } from "./api";

export const TRUST_STATUSES = ["pending", "active", "rejected", "cancelled", "deactivated"] as const;
export type TrustStatus = (typeof TRUST_STATUSES)[number];

/** The customer ("trusting") lets the provider ("trusted") offer it services through SLAs. */
export const TRUST_ROLES = ["customer", "provider"] as const;
export type TrustRole = (typeof TRUST_ROLES)[number];

export const TrustCapabilities = z
	.strictObject({
		shareRoles: z.boolean().default(false).meta({ description: "Each account may make its roles available to the other's people." }),
		assignTasks: z.boolean().default(false).meta({ description: "The provider may assign tasks to the customer's teams." }),
		supportConfigurationItems: z.boolean().default(false).meta({ description: "The customer may make the provider's teams responsible for its configuration items." }),
	})
	.meta({ id: "TrustCapabilities" });
export type TrustCapabilities = z.infer<typeof TrustCapabilities>;

export const NO_CAPABILITIES: TrustCapabilities = { shareRoles: false, assignTasks: false, supportConfigurationItems: false };

export const TrustHistoryEntry = z
	.object({
		at: z.iso.datetime(),
		action: z.string().meta({ example: "accepted" }),
		actor: z.object({ name: z.string(), accountId: z.string() }),
		detail: z.string().nullable(),
	})
	.meta({ id: "TrustHistoryEntry" });
export type TrustHistoryEntry = z.infer<typeof TrustHistoryEntry>;

export const Trust = z
	.object({
		account: z.object({ id: z.string(), name: z.string() }).meta({ description: "The other account." }),
		ourRole: z.enum(TRUST_ROLES).meta({ description: "customer: the other account may offer us services; provider: we may offer it services." }),
		status: z.enum(TRUST_STATUSES),
		initiatedBy: z.enum(["us", "them"]).meta({ description: "Who asked in the current round of the handshake." }),
		capabilities: TrustCapabilities,
		proposedCapabilities: TrustCapabilities.nullable(),
		proposedBy: z.enum(["us", "them"]).nullable(),
		activeSlaCount: z.number().int().meta({ description: "Active SLAs between the two accounts, as this account knows them." }),
		createdAt: z.iso.datetime(),
		updatedAt: z.iso.datetime(),
		history: z.array(TrustHistoryEntry),
	})
	.meta({ id: "Trust" });
export type Trust = z.infer<typeof Trust>;

export const RequestTrustInput = z
	.strictObject({
		accountId: AccountId.meta({ description: "The account asked to take part in the trust." }),
		ourRole: z.enum(TRUST_ROLES).meta({ description: "customer: we trust them as our provider; provider: we ask them to trust us." }),
		capabilities: TrustCapabilities.default(NO_CAPABILITIES),
	})
	.meta({ id: "RequestTrustInput", example: { accountId: "widget-dc", ourRole: "customer" } });
export type RequestTrustInput = z.infer<typeof RequestTrustInput>;

export const ProposeCapabilitiesInput = z.strictObject({ capabilities: TrustCapabilities }).meta({ id: "ProposeCapabilitiesInput" });

export const TRUST_ACTIONS = ["accept", "reject", "cancel", "deactivate", "accept-capabilities", "reject-capabilities"] as const;
export type TrustAction = (typeof TRUST_ACTIONS)[number];

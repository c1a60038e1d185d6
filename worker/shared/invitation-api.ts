// Schemas of invitations (joining an account takes the invitee's consent) and of changing one's
// own password. Plain zod, like api.ts, so the portal can import them.
import { z } from "zod";
import { Email, Name, Password, RoleList, Role } from "./api";

export const INVITATION_STATUSES = ["pending", "accepted", "declined", "revoked", "expired"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const InvitationId = z
	.string()
	.regex(/^inv_[A-Za-z0-9]{10,40}$/, "Not an invitation id.")
	.meta({ example: "inv_7QmZ2kLp9XcV3tRw" });

/** The secret of an accept link: 32 random bytes, base64url. */
export const InvitationToken = z
	.string()
	.regex(/^[A-Za-z0-9_-]{43}$/, "Not an invitation link.")
	.meta({ description: "The secret part of the invitation's accept link." });

const Timestamp = z.iso.datetime().meta({ description: "ISO 8601 date-time (UTC)." });

export const Invitation = z
	.object({
		id: InvitationId,
		account: z.object({ id: z.string(), name: z.string() }),
		email: z.string(),
		name: z.string().meta({ description: "The name the inviter gave." }),
		roles: z.array(Role),
		status: z.enum(INVITATION_STATUSES).meta({
			description: "pending until accepted, declined, revoked, or past expiresAt (then expired).",
		}),
		invitedBy: z.object({ type: z.enum(["person", "token"]), name: z.string() }),
		createdAt: Timestamp,
		expiresAt: Timestamp,
		respondedAt: Timestamp.nullable().meta({ description: "When it was accepted, declined or revoked." }),
		mailedAt: Timestamp.nullable().meta({
			description:
				"When the invitation e-mail with the current link was sent to the invitee. Null while it is held (the inviter has not confirmed their own e-mail address yet) or after a new link was made without mailing it.",
		}),
	})
	.meta({ id: "Invitation" });

export const InvitePersonInput = z
	.strictObject({ name: Name, email: Email, roles: RoleList })
	.meta({ id: "InvitePersonInput", example: { name: "Bob Berg", email: "bob@example.com", roles: ["specialist"] } });

export const CreatedInvitation = z
	.object({
		invitation: Invitation,
		acceptUrl: z.string().meta({
			description:
				"The accept link, for the invitee only. Trustdesk keeps only its hash: a new link can be made (POST …/invitations/{id}/link), which replaces this one.",
		}),
	})
	.meta({ id: "CreatedInvitation" });

export const InvitationLink = z
	.object({ acceptUrl: z.string().meta({ description: "A new accept link; earlier links of this invitation stop working." }) })
	.meta({ id: "InvitationLink" });

export const InvitationSignUpInput = z
	.strictObject({ name: Name, password: Password })
	.meta({ id: "InvitationSignUpInput" });

export const ChangePasswordInput = z
	.strictObject({
		currentPassword: z.string().min(1, "Enter your current password.").max(200),
		password: Password.meta({ description: "The new password (at least 10 characters, not easy to guess, not your e-mail address)." }),
	})
	.meta({ id: "ChangePasswordInput" });

export type Invitation = z.infer<typeof Invitation>;
export type InvitePersonInput = z.infer<typeof InvitePersonInput>;
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;
export type InvitationLink = z.infer<typeof InvitationLink>;
export type InvitationSignUpInput = z.infer<typeof InvitationSignUpInput>;
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

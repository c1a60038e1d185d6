// Schemas of the mailed identity links: password reset and e-mail verification. Plain zod, like
// api.ts, so the portal can import them.
import { z } from "zod";
import { AccountId, Email, Password } from "./api";

/** The secret of a mailed link: 32 random bytes, base64url (like an invitation's). */
export const EmailLinkToken = z
	.string()
	.regex(/^[A-Za-z0-9_-]{43}$/, "Not a valid link.")
	.meta({ description: "The secret part of the mailed link." });

const Timestamp = z.iso.datetime().meta({ description: "ISO 8601 date-time (UTC)." });

const MailingAccount = AccountId.optional().meta({
	description:
		"The account whose portal the person is on: the e-mail comes from that account (its branding) if they are a member of it, else from one of their accounts.",
});

export const PasswordResetRequestInput = z
	.strictObject({ email: Email, accountId: MailingAccount })
	.meta({ id: "PasswordResetRequestInput" });

export const PasswordResetRequested = z
	.object({ message: z.string() })
	.meta({ id: "PasswordResetRequested", description: "The same answer whether or not the address signs in to Trustdesk." });

export const PasswordResetLink = z
	.object({ email: z.string(), expiresAt: Timestamp })
	.meta({ id: "PasswordResetLink", description: "Whose password a live reset link sets, and until when it works." });

export const PasswordResetInput = z
	.strictObject({ password: Password.meta({ description: "The new password (the password rule applies)." }) })
	.meta({ id: "PasswordResetInput" });

export const VerificationRequestInput = z
	.strictObject({ accountId: MailingAccount })
	.meta({ id: "VerificationRequestInput" });

export const VerificationRequested = z.object({ email: z.string(), message: z.string() }).meta({ id: "VerificationRequested" });

export const EmailVerified = z.object({ email: z.string(), verifiedAt: Timestamp }).meta({ id: "EmailVerified" });

export type PasswordResetRequestInput = z.infer<typeof PasswordResetRequestInput>;
export type PasswordResetRequested = z.infer<typeof PasswordResetRequested>;
export type PasswordResetLink = z.infer<typeof PasswordResetLink>;
export type PasswordResetInput = z.infer<typeof PasswordResetInput>;
export type VerificationRequestInput = z.infer<typeof VerificationRequestInput>;
export type VerificationRequested = z.infer<typeof VerificationRequested>;
export type EmailVerified = z.infer<typeof EmailVerified>;

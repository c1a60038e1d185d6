// What any part of Trustdesk hands to the mail queue: an e-mail described by its meaning, not its
// MIME. The queue (worker/mail/) composes text + HTML in the account's branding, adds the thread
// and preferences links, and sends it from the account object's outbox with retries.

export const MAIL_KINDS = ["notification", "invitation", "password_reset", "email_verification"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailToSend {
	kind: MailKind;
	/** personId when the recipient has a Trustdesk identity: the address is then read at send time. */
	to: { email: string; name: string; personId?: string };
	/** One line; line breaks and control characters are refused by the queue. */
	subject: string;
	/** Plain text paragraphs; the queue escapes them for HTML. */
	paragraphs: string[];
	/** The one button of the mail (and its link in the text part). */
	action?: { label: string; url: string };
	/** A mail about one of this account's requests: Reply-To is its thread address (thread.ts). */
	requestId?: string;
	/** Holds a secret link (reset, invitation): never shown in the delivery log, dropped once sent. */
	sensitive?: boolean;
}

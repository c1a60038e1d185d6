// What any part of Trustdesk hands to the mail queue: an e-mail described by its meaning, not its
// MIME. The queue (worker/mail/) composes text + HTML in the account's branding, adds the thread
// and preferences links, and sends it from the account object's outbox with retries.

export const MAIL_KINDS = ["notification", "invitation", "password_reset", "email_verification"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailToSend {
	kind: MailKind;
	/**
	 * A person of Trustdesk (their address and name are read from the directory when the mail is
	 * sent, so a changed address is honoured and a notification needs no directory call to queue),
	 * or a plain address (an invitee without an identity).
	 */
	to: MailRecipient;
	/** One line; line breaks and control characters are refused by the queue. */
	subject: string;
	/** Plain text paragraphs; the queue escapes them for HTML. */
	paragraphs: string[];
	/**
	 * The one button of the mail (and its link in the text part): an http(s) URL, or a path on
	 * Trustdesk's origin (`/widget-dc/trusts`), made absolute when the mail is composed.
	 */
	action?: { label: string; url: string };
	/** A mail about one of this account's requests: Reply-To is its thread address (thread.ts). */
	requestId?: string;
	/** Holds a secret link (reset, invitation): never shown in the delivery log, dropped once sent. */
	sensitive?: boolean;
}

export type MailRecipient = { personId: string; email?: string; name?: string } | { email: string; name: string; personId?: string };

/** A mail ready to compose: its recipient's address is known. */
export type AddressedMail = Omit<MailToSend, "to"> & { to: { email: string; name: string; personId?: string } };

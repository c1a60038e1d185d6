// Mail that no person wrote, which Trustdesk takes in silently and acts on never: answering an
// auto-reply or a bounce is how two robots mail each other forever, and a note made of an
// out-of-office message helps nobody. Judged on the headers alone.

/**
 * The header every mail Trustdesk sends carries (the outbound queue sets it, with the sending
 * account's id as its value): a mail with it coming back in is one of ours, looped.
 */
export const OWN_MAIL_HEADER = "X-Trustdesk-Mail";

/** Why a mail is ignored, or null for a mail a person wrote. */
export type Automated = "auto-submitted" | "auto-response-suppress" | "bulk" | "null-sender" | "delivery-report" | "own-mail";

export interface MailHeaders {
	/** The value of a header (the first of its name), case-insensitive; null when absent. */
	get(name: string): string | null;
}

const DAEMONS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(\+.*)?@/i;

/**
 * `envelopeFrom` is the SMTP MAIL FROM (empty for a bounce), `headerFrom` the parsed From
 * address; `mailDomain` is Trustdesk's own.
 */
export function automatedMail(headers: MailHeaders, envelopeFrom: string, headerFrom: string | undefined, mailDomain: string): Automated | null {
	if (headers.get(OWN_MAIL_HEADER) !== null) return "own-mail";
	const auto = headers.get("Auto-Submitted")?.trim().toLowerCase();
	if (auto && auto !== "no" && !auto.startsWith("no;")) return "auto-submitted";
	// Set by Exchange on its own automatic mail (out-of-office, receipts): a person's mail lacks it.
	if (headers.get("X-Auto-Response-Suppress")?.trim()) return "auto-response-suppress";
	const precedence = headers.get("Precedence")?.trim().toLowerCase();
	if (precedence === "bulk" || precedence === "junk" || precedence === "list" || precedence === "auto_reply") return "bulk";
	if (headers.get("List-Id") !== null || headers.get("List-Unsubscribe") !== null) return "bulk";
	const contentType = headers.get("Content-Type")?.trim().toLowerCase() ?? "";
	if (contentType.startsWith("multipart/report") || contentType.startsWith("message/delivery-status")) return "delivery-report";
	const envelope = envelopeFrom.trim().toLowerCase().replace(/^<|>$/g, "");
	const from = (headerFrom ?? "").trim().toLowerCase();
	if (!envelope || !from || DAEMONS.test(envelope) || DAEMONS.test(from)) return "null-sender";
	const domain = mailDomain.toLowerCase();
	if (envelope.endsWith(`@${domain}`) || from.endsWith(`@${domain}`)) return "own-mail";
	return null;
}

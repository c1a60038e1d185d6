// Delivery reports (RFC 3464) about mail we sent: the report names the original message, whose
// Message-ID the queue kept when the Email Service took it (mail_outbox.message_id); the delivery
// log then says "bounced" with the receiving server's reason. A report is never answered and never
// becomes a request (loops.ts ignores it as robot mail); this only reads it.
import type { Email } from "postal-mime";

export interface Bounce {
	/** The original mail's Message-ID, without angle brackets. */
	messageId: string;
	reason: string;
}

const decoder = new TextDecoder();

function partText(content: ArrayBuffer | Uint8Array | string): string {
	return typeof content === "string" ? content : decoder.decode(content);
}

function header(text: string, name: string): string | null {
	// Header lines of the returned original or of the delivery-status fields; folded lines joined.
	const unfolded = text.replace(/\r?\n[ \t]+/g, " ");
	const match = new RegExp(`^${name}:[ \\t]*(.+)$`, "im").exec(unfolded);
	return match ? match[1]!.trim() : null;
}

/** The bounced mail and why, from a delivery report; null when the report names no mail of ours. */
export function bounceOf(email: Pick<Email, "attachments" | "text">): Bounce | null {
	let messageId: string | null = null;
	let reason: string | null = null;
	for (const part of email.attachments) {
		const type = part.mimeType.toLowerCase();
		const text = partText(part.content);
		if (type === "message/delivery-status" || type === "message/global-delivery-status") {
			reason ??= header(text, "Diagnostic-Code") ?? (header(text, "Status") ? `Status ${header(text, "Status")}` : null);
		} else if (type === "message/rfc822" || type === "text/rfc822-headers" || type === "message/rfc822-headers" || type === "message/global-headers") {
			// Only the original's own headers: stop at the blank line that ends them.
			const headers = text.split(/\r?\n\r?\n/, 1)[0] ?? "";
			messageId ??= header(headers, "Message-ID");
		}
	}
	if (!messageId) return null;
	const id = messageId.replace(/^<|>$/g, "").trim();
	if (!id || id.length > 998) return null;
	return { messageId: id, reason: (reason ?? "Reported undeliverable by the receiving server.").slice(0, 500) };
}

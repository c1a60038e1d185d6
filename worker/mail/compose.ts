// One e-mail, composed for the Email Service's structured send() (the form Cloudflare's docs
// recommend: the platform builds the MIME, sets Message-ID, Date and DKIM, and refuses headers
// outside its allowlist). Plain text and HTML carry the same words, in the account's branding,
// with a link to the request on the account's portal and one to the person's mail preferences.
//
// Threading cannot use Message-ID (the platform sets it), so every mail about a request names the
// request's thread address in References and In-Reply-To: mail clients group all mails of one
// request under that (never sent) root, whatever the subject says, and a reply carries it back.
import { REPLY_ABOVE_LINE } from "./inbound-text";
import { OWN_MAIL_HEADER } from "./loops";
import { z } from "zod";
import { MAIL_KINDS, type AddressedMail, type MailToSend } from "./types";

/** Control characters (CR and LF included) and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, minus line feed and tab: paragraphs may span lines. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

const oneLine = (max: number) =>
	z
		.string()
		.max(max)
		.refine((s) => !CONTROL.test(s), "Line breaks and control characters are not allowed here.");

/** What the queue accepts: MailToSend, checked. A subject or name that could add a header is refused. */
const address = z.email().max(254).refine((s) => !CONTROL.test(s), "Not an address.");
/** A path on Trustdesk's own origin; never `//host` (another origin) or a backslash trick. */
const portalPath = z.string().max(2_000).regex(/^\/(?![\/\\])[^\s\\]*$/, "Not a path on this site.");

export const AddressedMailSchema = z.strictObject({
	kind: z.enum(MAIL_KINDS),
	to: z.strictObject({
		email: address,
		name: oneLine(200),
		personId: z.string().min(1).max(100).optional(),
	}),
	subject: oneLine(300).refine((s) => s.trim().length > 0, "A subject is required."),
	paragraphs: z
		.array(
			z
				.string()
				.max(20_000)
				.refine((s) => !CONTROL_IN_TEXT.test(s), "Control characters are not allowed."),
		)
		.max(50),
	action: z
		.strictObject({
			label: oneLine(100).refine((s) => s.trim().length > 0, "A label is required."),
			// Only web links: a javascript: or data: URL in a button is an attack, not a link.
			url: z.union([z.url({ protocol: /^https?$/ }).max(2_000), portalPath]),
		})
		.optional(),
	requestId: z.string().min(1).max(100).optional(),
	sensitive: z.boolean().optional(),
}) satisfies z.ZodType<AddressedMail>;

/** What the queue accepts: a person's mail may leave the address to the directory. */
export const MailToSendSchema = AddressedMailSchema.extend({
	to: z.union([
		z.strictObject({ personId: z.string().min(1).max(100), email: address.optional(), name: oneLine(200).optional() }),
		z.strictObject({ email: address, name: oneLine(200), personId: z.string().min(1).max(100).optional() }),
	]),
}) satisfies z.ZodType<MailToSend>;

/** The account as its mails show it. */
export interface Branding {
	accountId: string;
	title: string;
	primaryColor: string;
}

export interface ComposeContext {
	branding: Branding;
	/** Where the account's portal lives, e.g. https://desk.example.com/widget-dc/ (trailing slash). */
	portalUrl: string;
	mailDomain: string;
	/** The request's thread address (thread.ts), for a mail about a request. */
	threadAddress: string | null;
}

/** The part of the Email Service's message builder Trustdesk uses (`SendEmail.send()`). */
export interface ComposedMail {
	from: { email: string; name: string };
	to: string | { email: string; name: string };
	subject: string;
	text: string;
	html: string;
	replyTo?: string;
	headers: Record<string, string>;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A colour the account chose, checked again here because it lands in a style attribute. */
function safeColor(color: string): string {
	return /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : "#1d4ed8";
}

/** The account's title as a display name: one line, whatever was stored. */
function displayName(title: string): string {
	return oneLineOf(title, 100).trim() || "Trustdesk";
}

/** Text made fit for a header: control characters and line breaks become spaces, cut to `max`. */
export function oneLineOf(text: string, max: number): string {
	return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").slice(0, max);
}

export function preferencesUrl(portalUrl: string): string {
	return `${portalUrl}profile/notifications`;
}

export function requestUrl(portalUrl: string, requestId: string): string {
	return `${portalUrl}requests/${encodeURIComponent(requestId)}`;
}

/** Composes a checked mail. Throws only for a mail the schema would refuse. */
export function composeMail(mail: AddressedMail, ctx: ComposeContext): ComposedMail {
	const parsed = AddressedMailSchema.parse(mail);
	// A path names a page of this deployment: made absolute on the portal's origin.
	const checked = parsed.action?.url.startsWith("/") ? { ...parsed, action: { ...parsed.action, url: new URL(parsed.action.url, ctx.portalUrl).href } } : parsed;
	const { branding, portalUrl } = ctx;
	const name = displayName(branding.title);
	const color = safeColor(branding.primaryColor);
	const prefs = preferencesUrl(portalUrl);
	const request = checked.requestId ? requestUrl(portalUrl, checked.requestId) : null;
	const paragraphs = checked.paragraphs.filter((p) => p.trim().length > 0);

	const text = [
		// The inbound handler cuts a reply at this line, so the quoted mail never becomes part of a note.
		...(ctx.threadAddress ? [REPLY_ABOVE_LINE] : []),
		...paragraphs,
		...(checked.action ? [`${checked.action.label}: ${checked.action.url}`] : []),
		...(request && request !== checked.action?.url ? [`The request on the portal: ${request}`] : []),
		...(ctx.threadAddress ? ["Reply to this e-mail to add a note to the request."] : []),
		`-- \n${name}\n${portalUrl}\nChoose which e-mails you get: ${prefs}`,
	].join("\n\n");

	const button = checked.action
		? `<p style="margin:24px 0"><a href="${escapeHtml(checked.action.url)}" style="background:${color};color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(checked.action.label)}</a></p>`
		: "";
	const requestLink =
		request && request !== checked.action?.url ? `<p><a href="${escapeHtml(request)}" style="color:${color}">Open the request on the portal</a></p>` : "";
	const replyHint = ctx.threadAddress ? `<p style="color:#555555">Reply to this e-mail to add a note to the request.</p>` : "";
	const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(checked.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#18181b">
<div style="max-width:600px;margin:0 auto;padding:16px">
<div style="border-top:4px solid ${color};background:#ffffff;padding:24px;border-radius:4px">
<p style="margin:0 0 16px;font-weight:600;color:${color}">${escapeHtml(name)}</p>
${paragraphs.map((p) => `<p style="line-height:1.5">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n")}
${button}${requestLink}${replyHint}
</div>
<p style="font-size:12px;color:#71717a;padding:0 8px">${escapeHtml(name)} · <a href="${escapeHtml(portalUrl)}" style="color:#71717a">${escapeHtml(portalUrl)}</a> · <a href="${escapeHtml(prefs)}" style="color:#71717a">E-mail preferences</a></p>
</div>
</body></html>`;

	const headers: Record<string, string> = {
		// RFC 3834: not a person writing. Out-of-office replies and our own inbound handler skip it.
		"Auto-Submitted": "auto-generated",
		// Names the sending account: a mail of ours that comes back (a loop) is ignored by it.
		[OWN_MAIL_HEADER]: branding.accountId,
	};
	if (ctx.threadAddress) {
		headers["References"] = `<${ctx.threadAddress}>`;
		headers["In-Reply-To"] = `<${ctx.threadAddress}>`;
	}
	// The Email Service accepts List-Unsubscribe only with an https (or mailto) URI; the portal
	// on http (local use) has no such header, the link in the body stays.
	if (checked.kind === "notification" && prefs.startsWith("https://")) headers["List-Unsubscribe"] = `<${prefs}>`;

	return {
		from: { email: `${branding.accountId}@${ctx.mailDomain}`, name },
		to: checked.to.name ? { email: checked.to.email, name: checked.to.name } : checked.to.email,
		subject: checked.subject,
		text,
		html,
		...(ctx.threadAddress ? { replyTo: ctx.threadAddress } : {}),
		headers,
	};
}

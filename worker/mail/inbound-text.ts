// What an inbound mail's text becomes in a request: its subject, and its body as a note. Mail is
// not typed into our forms, so characters our text rules refuse (worker/shared/text.ts) are
// dropped here rather than refusing the whole mail over an invisible character in a signature;
// the result then passes the same zod schemas as the portal's input, as the last word.
import { CreateRequestInput, NoteBody } from "../shared/request-api";
import { lineProblem, normalizeText, textProblem } from "../shared/text";

export const NO_SUBJECT = "(no subject)";
export const EMPTY_REPLY = "it has no text above the quoted mail.";
/** The request subject's limit (CreateRequestInput.subject). */
export const SUBJECT_MAX = 200;
/** A note's limit in bytes (MAX_NOTE_BYTES), less room for the line saying it was cut. */
const BODY_MAX_BYTES = 60 * 1024;
/** Characters of a body looked at: well past what a note keeps, well short of what costs time. */
const WORK_LIMIT = 256 * 1024;

/**
 * The line our outbound mails put above the quoted history (MAILOUT): everything from it down is
 * the mail the person answered, never their answer.
 */
export const REPLY_ABOVE_LINE = "##- Please type your reply above this line -##";

const NEVER_IN_TEXT = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\u202D\u202E]/gu;
const NOT_IN_A_LINE = /[\p{Zl}\p{Zp}\u202A-\u202C\u2066-\u2069\u200B-\u200D\u2060-\u2064\uFEFF\u180E\uFFF9-\uFFFB]/gu;

/** Removes characters one at a time while the rules still find one (a net under the regexes above). */
function dropWhile(text: string, problem: (t: string) => { index: number } | null): string {
	let out = text;
	for (let guard = 0; guard < 1000; guard++) {
		const p = problem(out);
		if (!p) return out;
		const chars = [...out];
		chars.splice(p.index, 1);
		out = chars.join("");
	}
	return "";
}

/** The subject as a request's one-line subject: cleaned, cut to the limit, "(no subject)" if empty. */
export function subjectOf(raw: string | undefined): string {
	let s = normalizeText((raw ?? "").replace(/[\r\n\t]+/g, " ").replace(NEVER_IN_TEXT, "").replace(NOT_IN_A_LINE, ""));
	s = dropWhile(s.replace(/\s+/g, " "), lineProblem).trim();
	if (s.length > SUBJECT_MAX) s = `${s.slice(0, SUBJECT_MAX - 1).trimEnd()}…`;
	// The portal's rule for a subject has the last word.
	const checked = CreateRequestInput.shape.subject.safeParse(s);
	return checked.success ? checked.data : NO_SUBJECT;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Removes comments and the elements whose content is never the message (head, style, script,
 * title) or is the quoted history (blockquote), in one pass: a lazy regex would rescan to the
 * end for every unclosed opening, which a crafted mail turns into quadratic time.
 */
function dropElements(html: string): string {
	const lower = html.toLowerCase();
	const open = /<!--|<(head|style|script|title|blockquote)\b/g;
	let out = "";
	let at = 0;
	for (let m = open.exec(lower); m; m = open.exec(lower)) {
		out += html.slice(at, m.index);
		const closing = m[1] ? `</${m[1]}` : "-->";
		const close = lower.indexOf(closing, open.lastIndex);
		// Never closed: the rest is inside it.
		if (close < 0) return out;
		const end = m[1] ? lower.indexOf(">", close) : close + 2;
		if (end < 0) return out;
		at = end + 1;
		open.lastIndex = at;
	}
	return out + html.slice(at);
}

/** Plain text of an HTML body: blocks become lines, quoted history (blockquote) is left out. */
export function htmlToText(html: string): string {
	return dropElements(html)
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<li\b[^>]*>/gi, "\n- ")
		.replace(/<\/(p|div|tr|h[1-6]|ul|ol|table|pre)\s*>/gi, "\n")
		.replace(/<(p|div|tr|h[1-6]|ul|ol|table|pre)\b[^>]*>/gi, "\n")
		.replace(/<[^>]*>/g, "")
		.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
			if (name[0] === "#") {
				const cp = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
				return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
			}
			return ENTITIES[name.toLowerCase()] ?? whole;
		})
		.replace(/[ \t]+\n/g, "\n")
		.replace(/\n{3,}/g, "\n\n");
}

/**
 * Lines where the quoted history of a reply starts: our own marker, "On … wrote:" (most clients,
 * also wrapped over two lines), Outlook's "-----Original Message-----" and its "From: … Sent: …"
 * block, and a run of "> " lines.
 */
const HISTORY_STARTS = [
	/^\s*##-.*reply above this line.*-##\s*$/i,
	/^\s*-{2,}\s*original message\s*-{2,}\s*$/i,
	/^\s*_{10,}\s*$/,
	/^\s*on\b.{0,200}\bwrote:\s*$/i,
];

/** The answer part of a reply: what the person wrote above the quoted mail they answered. */
export function cutQuotedHistory(text: string): string {
	const lines = text.split("\n");
	// Where the trailing run of quoted (or blank) lines starts: one pass from the end, so a long
	// quote costs linear time, not a scan per line.
	let quotedTail = lines.length;
	while (quotedTail > 0 && /^\s*(>|$)/.test(lines[quotedTail - 1] ?? "")) quotedTail -= 1;
	let end = lines.length;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i] ?? "";
		const joined = `${line} ${lines[i + 1] ?? ""}`;
		const outlookBlock = /^\s*(from|von|de|van):\s/i.test(line) && /^\s*(sent|date|gesendet|envoyé|verzonden):\s/i.test(lines[i + 1] ?? "");
		const starts = HISTORY_STARTS.some((re) => re.test(line)) || /^\s*on\b.{0,200}\bwrote:\s*$/i.test(joined) || outlookBlock;
		if (starts) {
			end = i;
			break;
		}
		if (i >= quotedTail && /^\s*>/.test(line)) {
			end = i;
			break;
		}
	}
	return lines.slice(0, end).join("\n");
}

/**
 * The mail's text as a note: the text part (else its HTML as text), cleaned, for a reply without
 * the quoted history, cut to what a note holds. Empty when nothing is left.
 */
export function bodyOf(mail: { text?: string | undefined; html?: string | undefined }, reply: boolean): string {
	// A note keeps 64 KB: reading further into a 10 MB body only spends the Worker's CPU time.
	let text = mail.text?.slice(0, WORK_LIMIT) ?? (mail.html ? htmlToText(mail.html.slice(0, WORK_LIMIT * 4)) : "");
	text = text.slice(0, WORK_LIMIT);
	text = text.replace(/\r\n?/g, "\n").replace(/\u00a0/g, " ");
	if (reply) text = cutQuotedHistory(text);
	text = text.replace(/[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\u202D\u202E]/gu, (ch) => (ch === "\n" || ch === "\t" ? ch : ""));
	text = dropWhile(normalizeText(text), textProblem);
	const encoder = new TextEncoder();
	if (encoder.encode(text).length > BODY_MAX_BYTES) {
		let cut = text.slice(0, BODY_MAX_BYTES);
		while (encoder.encode(cut).length > BODY_MAX_BYTES) cut = cut.slice(0, -1024);
		text = `${cut.trimEnd()}\n\n[The rest of this e-mail was left out: a note holds at most 64 KB.]`;
	}
	return text;
}

/** The note's paragraph about attachments it does not keep (files are not stored yet). */
export function attachmentsLeftOut(count: number): string {
	if (count === 0) return "";
	return `[${count} attachment${count === 1 ? " was" : "s were"} left out: files sent by e-mail are not kept yet.]`;
}

/** The note body of a mail: its text and the attachments line; null when both are empty. */
export function noteOf(body: string, attachments: number): string | null {
	const note = [body, attachmentsLeftOut(attachments)].filter(Boolean).join("\n\n");
	if (!note) return null;
	const checked = NoteBody.safeParse(note);
	return checked.success ? checked.data : null;
}

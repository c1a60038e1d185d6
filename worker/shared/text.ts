// Text hygiene for everything people type: one place that says which characters a name, a
// subject or a note may hold. Text is normalized to NFC (so "é" typed two ways is one string and
// compares equal), and characters that are invisible or change how the text around them is shown
// are refused with the offending code point named, rather than silently dropped: a name that
// renders as "Acme" but is not "Acme" is how look-alike spoofing works (bidi overrides flip the
// order of what follows — "Trojan source" — zero-width characters hide inside words).
import { z } from "zod";

/** A character that must not appear, and where. */
export interface TextProblem {
	index: number;
	codePoint: number;
	message: string;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

/** Names of the characters people most often hit, so the message says what to look for. */
const KNOWN: Record<number, string> = {
	0x00: "NUL",
	0x09: "tab",
	0x0a: "line break",
	0x0d: "carriage return",
	0x1b: "escape",
	0x200b: "zero width space",
	0x200c: "zero width non-joiner",
	0x200d: "zero width joiner",
	0x200e: "left-to-right mark",
	0x200f: "right-to-left mark",
	0x2028: "line separator",
	0x2029: "paragraph separator",
	0x202a: "left-to-right embedding",
	0x202b: "right-to-left embedding",
	0x202c: "pop directional formatting",
	0x202d: "left-to-right override",
	0x202e: "right-to-left override",
	0x2060: "word joiner",
	0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate",
	0x2068: "first strong isolate",
	0x2069: "pop directional isolate",
	0xfeff: "zero width no-break space",
};

const describe = (cp: number) => (KNOWN[cp] ? `${hex(cp)} (${KNOWN[cp]})` : hex(cp));

/**
 * Never allowed, in any text: control characters (C0, DEL, C1), lone surrogates (not text at all:
 * half of a UTF-16 pair, which cannot be stored or sent as UTF-8), noncharacters, and the bidi
 * *override* characters, which reorder the text that follows them.
 */
const NEVER = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\u202D\u202E]/u;

/**
 * Also refused in one-line text (names, titles, subjects): line and paragraph separators, the
 * other explicit bidi formatting characters (embeddings, isolates, pop), invisible spaces and
 * joiners that have no visible effect between letters, and the interlinear annotation characters.
 * Left-to-right and right-to-left *marks* stay allowed: they are how mixed-direction names are
 * typed correctly, and they cannot reorder anything beyond their neighbours.
 */
const NOT_IN_A_LINE = /[\p{Zl}\p{Zp}\u202A-\u202C\u2066-\u2069\u200B\u2060-\u2064\uFEFF\u180E\uFFF9-\uFFFB]/u;

/** Zero-width (non-)joiners shape emoji and Indic, Arabic and Persian script; between ASCII they only hide. */
const JOINER = /[\u200C\u200D]/u;
const isAscii = (ch: string | undefined) => ch !== undefined && ch.charCodeAt(0) < 0x80;

function firstProblem(text: string, oneLine: boolean): TextProblem | null {
	const chars = [...text];
	let index = 0;
	for (let i = 0; i < chars.length; i++) {
		const ch = chars[i] ?? "";
		const cp = ch.codePointAt(0) ?? 0;
		const allowedControl = !oneLine && (ch === "\n" || ch === "\t");
		if (!allowedControl && NEVER.test(ch)) {
			return { index, codePoint: cp, message: `Remove the control or invisible character ${describe(cp)} at position ${index + 1}.` };
		}
		if (oneLine && NOT_IN_A_LINE.test(ch)) {
			return { index, codePoint: cp, message: `Remove the invisible or formatting character ${describe(cp)} at position ${index + 1}.` };
		}
		if (oneLine && JOINER.test(ch)) {
			const before = chars[i - 1];
			const after = chars[i + 1];
			if (before === undefined || after === undefined || isAscii(before) || isAscii(after)) {
				return { index, codePoint: cp, message: `Remove the invisible character ${describe(cp)} at position ${index + 1}.` };
			}
		}
		index += 1;
	}
	return null;
}

/** The first character a one-line text (a name, title or subject) may not hold, or null. */
export function lineProblem(text: string): TextProblem | null {
	return firstProblem(text, true);
}

/** The first character a multi-line text (a note, a description) may not hold, or null. */
export function textProblem(text: string): TextProblem | null {
	return firstProblem(text, false);
}

/** NFC, line breaks as "\n", surrounding white space trimmed. */
export function normalizeText(text: string): string {
	return text.normalize("NFC").replace(/\r\n?/g, "\n").trim();
}

function refineWith(check: (text: string) => TextProblem | null) {
	return (text: string, ctx: z.RefinementCtx) => {
		const problem = check(text);
		if (problem) ctx.addIssue({ code: "custom", message: problem.message, input: text });
	};
}

/**
 * One line of visible text, NFC-normalized and trimmed: names, titles, subjects. `max` counts
 * characters as JavaScript does (UTF-16 code units), the same as the portal's form fields.
 */
export function lineText(options: { max: number; min?: number }) {
	return z
		.string()
		.overwrite(normalizeText)
		.min(options.min ?? 1, "Required.")
		.max(options.max)
		.superRefine(refineWith(lineProblem));
}

/** Text that may span lines (notes, descriptions): NFC, "\n" line breaks, trimmed, tabs allowed. */
export function multilineText(options: { max: number; min?: number; minMessage?: string }) {
	return z
		.string()
		.overwrite(normalizeText)
		.min(options.min ?? 0, options.minMessage ?? "Required.")
		.max(options.max)
		.superRefine(refineWith(textProblem));
}

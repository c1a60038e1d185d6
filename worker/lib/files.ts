// Uploaded files, judged by what they are, not by what the uploader says: the name cleaned of
// anything that could pose as a path or reorder text, the type sniffed from the first bytes.

export const MAX_NAME_CHARS = 120;
/** Bytes the sniffer looks at: enough for every signature below and a fair text check. */
export const SNIFF_BYTES = 512;

/**
 * A file name safe to store and to send back in Content-Disposition: the last path segment
 * only, no control characters, no bidi overrides or isolates (which make "gpj.exe" read as
 * "exe.jpg"), no zero-width characters, no leading dots, at most MAX_NAME_CHARS characters
 * keeping the extension. Never empty.
 */
export function sanitizeFileName(raw: string): string {
	const last = raw.split(/[/\\]/).pop() ?? "";
	let name = last
		.normalize("NFC")
		.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "") // controls, and format chars: bidi marks, overrides, isolates, zero-width
		.replace(/\s+/gu, " ")
		.replace(/^[\s.]+/u, "")
		.replace(/[\s.]+$/u, "")
		.replace(/[<>:"|?*]/g, "_"); // what common file systems refuse
	const chars = [...name];
	if (chars.length > MAX_NAME_CHARS) {
		const dot = name.lastIndexOf(".");
		const ext = dot > 0 ? [...name.slice(dot)] : [];
		const keepExt = ext.length > 0 && ext.length <= 16 ? ext : [];
		name = chars.slice(0, MAX_NAME_CHARS - keepExt.length).join("").trimEnd() + keepExt.join("");
	}
	return name === "" ? "file" : name;
}

const startsWith = (head: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => head[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const SIGNATURES: readonly { type: string; test: (h: Uint8Array) => boolean }[] = [
	{ type: "image/png", test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
	{ type: "image/jpeg", test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
	{ type: "image/gif", test: (h) => startsWith(h, ascii("GIF87a")) || startsWith(h, ascii("GIF89a")) },
	{ type: "image/webp", test: (h) => startsWith(h, ascii("RIFF")) && startsWith(h, ascii("WEBP"), 8) },
	{ type: "application/pdf", test: (h) => startsWith(h, ascii("%PDF-")) },
	{ type: "application/zip", test: (h) => startsWith(h, [0x50, 0x4b, 0x03, 0x04]) || startsWith(h, [0x50, 0x4b, 0x05, 0x06]) },
	{ type: "application/gzip", test: (h) => startsWith(h, [0x1f, 0x8b]) },
];

/**
 * The type of a file from its first bytes. Known signatures first; otherwise UTF-8 text without
 * control characters (tabs and line ends aside) is text/plain (an HTML or SVG file is text/plain
 * too: it is never served as markup); anything else application/octet-stream.
 */
export function sniffType(head: Uint8Array): string {
	for (const s of SIGNATURES) if (s.test(head)) return s.type;
	if (head.length === 0) return "application/octet-stream";
	try {
		// stream: a character cut at the end of the head is not an error.
		const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head, { stream: true });
		if (!/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return "text/plain";
	} catch {
		// not UTF-8
	}
	return "application/octet-stream";
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
	const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
	const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// Small WebCrypto helpers shared by passwords, sessions and API tokens.

const encoder = new TextEncoder();

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
	return crypto.getRandomValues(new Uint8Array(length));
}

export function base64url(bytes: Uint8Array): string {
	let binary = "";
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

/** A random secret with a recognisable prefix (e.g. `td_…` for API tokens). */
export function randomSecret(prefix: string, bytes = 32): string {
	return `${prefix}${base64url(randomBytes(bytes))}`;
}

const ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";

/** Opaque record id such as `team_8sKq2LmZpR4W` (16 random characters, ~92 bits). */
export function newId(prefix: string): string {
	const bytes = randomBytes(16);
	let out = "";
	for (const b of bytes) out += ID_ALPHABET[b % ID_ALPHABET.length];
	return `${prefix}_${out}`;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export async function sha256Hex(text: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
	// Every authenticated call hashes its secret once (http/credential.ts): hex by table, not per-byte formatting.
	let hex = "";
	for (const b of digest) hex += HEX[b];
	return hex;
}

/** Compares two strings without leaking where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
	const x = encoder.encode(a);
	const y = encoder.encode(b);
	if (x.length !== y.length) return false;
	// Written out rather than crypto.subtle.timingSafeEqual (a Workers extension) because the
	// portal's type check also reads this file, against the browser's SubtleCrypto.
	let diff = 0;
	for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
	return diff === 0;
}

// Webhook signing secrets at rest: sealed with AES-GCM under a key the deployment holds
// (WEBHOOK_SECRETS_KEY, a `wrangler secret`), so a copy of an account's storage alone does not
// let anyone sign as Trustdesk. The endpoint's id is bound in as additional data: a sealed
// secret copied onto another endpoint does not open.
import { randomBytes } from "../identity/crypto";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A secret both ways: the plain text to show once, and the sealed text to store. */
export interface SealedSecret {
	plain: string;
	sealed: string;
}

export type SecretKey = CryptoKey;

/** The AES key from the configured string (any length; SHA-256 makes it 256 bits). Throws when unset. */
export async function secretKey(configured: string | undefined): Promise<SecretKey> {
	if (!configured || configured.length < 16) {
		throw new Error("WEBHOOK_SECRETS_KEY is not set (at least 16 characters): webhook secrets cannot be stored.");
	}
	const raw = await crypto.subtle.digest("SHA-256", encoder.encode(configured));
	return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

function toBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

export async function seal(key: SecretKey, endpointId: string, plain: string): Promise<string> {
	const iv = randomBytes(12);
	const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(endpointId) }, key, encoder.encode(plain)));
	const out = new Uint8Array(iv.length + ct.length);
	out.set(iv);
	out.set(ct, iv.length);
	return toBase64(out);
}

export async function unseal(key: SecretKey, endpointId: string, sealed: string): Promise<string> {
	const binary = atob(sealed);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: encoder.encode(endpointId) }, key, bytes.slice(12));
	return decoder.decode(plain);
}

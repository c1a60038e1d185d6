// Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver checks
// `webhook-signature` = "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>" under the
// secret `whsec_<base64 key>`. During a rotation the header carries one signature per valid
// secret, space-separated, so a receiver with either secret accepts the delivery.
import { randomBytes } from "../identity/crypto";

const encoder = new TextEncoder();
export const SECRET_PREFIX = "whsec_";

function toBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

/** A new signing secret: 24 random bytes (the spec asks for 24 to 64). */
export function newSigningSecret(): string {
	return `${SECRET_PREFIX}${toBase64(randomBytes(24))}`;
}

/** `v1,<signature>` of one message under one secret. */
export async function signPayload(secret: string, id: string, timestamp: number, body: string): Promise<string> {
	if (!secret.startsWith(SECRET_PREFIX)) throw new Error("A webhook secret starts with whsec_.");
	const key = await crypto.subtle.importKey("raw", fromBase64(secret.slice(SECRET_PREFIX.length)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
	const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestamp}.${body}`));
	return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of a delivery, signed with every secret given (current first). */
export async function webhookHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): Promise<Record<string, string>> {
	const signatures = await Promise.all(secrets.map((s) => signPayload(s, id, timestamp, body)));
	return {
		"webhook-id": id,
		"webhook-timestamp": String(timestamp),
		"webhook-signature": signatures.join(" "),
	};
}

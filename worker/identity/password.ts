// Password hashing with PBKDF2-SHA256 through WebCrypto. Workers cap PBKDF2 at 100,000
// iterations; the count is stored per person so it can be raised when the platform allows.
import { base64url, fromBase64url, randomBytes, timingSafeEqual } from "./crypto";

export const PBKDF2_ITERATIONS = 100_000;

export interface PasswordHash {
	hash: string;
	salt: string;
	iterations: number;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
	const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
	return base64url(new Uint8Array(bits));
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
	const salt = randomBytes(16);
	return { hash: await derive(password, salt, iterations), salt: base64url(salt), iterations };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
	const candidate = await derive(password, fromBase64url(stored.salt), stored.iterations);
	return timingSafeEqual(candidate, stored.hash);
}

/**
 * A stored hash to verify against when the e-mail address is unknown, so that a wrong address
 * costs as much time as a wrong password and sign-in does not reveal who has an account.
 */
export const DECOY_HASH: PasswordHash = {
	hash: "Yx2JvV2p2b0Q0m8mZ0t4v1o3fQ2o5m7c9e1g3i5k7m8",
	salt: "AAAAAAAAAAAAAAAAAAAAAA",
	iterations: PBKDF2_ITERATIONS,
};

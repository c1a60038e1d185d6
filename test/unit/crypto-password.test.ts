// Password hashing and the small crypto helpers (worker/identity/password.ts, crypto.ts).
import { describe, expect, it } from "vitest";
import { base64url, fromBase64url, newId, randomSecret, sha256Hex, timingSafeEqual } from "../../worker/identity/crypto";
import { DECOY_HASH, hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "../../worker/identity/password";
import { PersonId, TeamId, TokenId } from "../../worker/shared/api";

describe("password hashing", () => {
	it("verifies the right password and refuses a wrong one", async () => {
		const stored = await hashPassword("correct horse battery staple");
		expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
		expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
		expect(await verifyPassword("", stored)).toBe(false);
	});

	it("stores the iteration count and a random salt, so equal passwords hash differently", async () => {
		const a = await hashPassword("same password here");
		const b = await hashPassword("same password here");
		expect(a.iterations).toBe(PBKDF2_ITERATIONS);
		expect(a.salt).not.toBe(b.salt);
		expect(a.hash).not.toBe(b.hash);
		expect(fromBase64url(a.salt)).toHaveLength(16);
		expect(fromBase64url(a.hash)).toHaveLength(32);
	});

	it("verifies with the stored iteration count, not the current default", async () => {
		const cheap = await hashPassword("legacy password", 1000);
		expect(cheap.iterations).toBe(1000);
		expect(await verifyPassword("legacy password", cheap)).toBe(true);
		expect(await verifyPassword("legacy password", { ...cheap, iterations: 1001 })).toBe(false);
	});

	it("uses a decoy hash that has the shape of a real one and matches no ordinary password", async () => {
		expect(DECOY_HASH.iterations).toBe(PBKDF2_ITERATIONS);
		expect(fromBase64url(DECOY_HASH.salt)).toHaveLength(16);
		expect(fromBase64url(DECOY_HASH.hash)).toHaveLength(32);
		for (const guess of ["", "password", "correct horse battery staple"]) expect(await verifyPassword(guess, DECOY_HASH)).toBe(false);
	});
});

describe("crypto helpers", () => {
	it("sha256Hex matches the standard test vector", async () => {
		expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	});

	it("base64url round-trips every byte value without padding or +/", () => {
		const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
		const text = base64url(bytes);
		expect(text).not.toMatch(/[+/=]/);
		expect([...fromBase64url(text)]).toEqual([...bytes]);
	});

	it("timingSafeEqual tells equal from different strings, including different lengths", () => {
		expect(timingSafeEqual("token-abc", "token-abc")).toBe(true);
		expect(timingSafeEqual("token-abc", "token-abd")).toBe(false);
		expect(timingSafeEqual("token-abc", "token-ab")).toBe(false);
		expect(timingSafeEqual("", "")).toBe(true);
		expect(timingSafeEqual("é", "e\u0301")).toBe(false);
	});

	it("newId makes ids that the API's id schemas accept, and no two alike", () => {
		const ids = new Set(Array.from({ length: 200 }, () => newId("team")));
		expect(ids.size).toBe(200);
		for (const id of ids) expect(TeamId.safeParse(id).success).toBe(true);
		expect(PersonId.safeParse(newId("psn")).success).toBe(true);
		expect(TokenId.safeParse(newId("tok")).success).toBe(true);
		expect(PersonId.safeParse(newId("tok")).success).toBe(false);
	});

	it("randomSecret carries its prefix and 32 random bytes", () => {
		const secret = randomSecret("td_");
		expect(secret).toMatch(/^td_[A-Za-z0-9_-]{43}$/);
		expect(randomSecret("td_")).not.toBe(secret);
	});
});

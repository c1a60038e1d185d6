// Sign-in: verify a password with throttling per e-mail address and per client address.
import type { Directory } from "../db/client";
import { findPersonByEmail, type PersonRow } from "../db/people";
import { blockedFor, clearFailures, recordFailure, type ThrottleRule } from "../db/throttle";
import { DECOY_HASH, verifyPassword } from "./password";

const MINUTE = 60_000;

/** 5 wrong passwords for one address in 15 minutes lock that address for 15 minutes. */
export function throttleRules(email: string, clientIp: string | undefined): ThrottleRule[] {
	const rules: ThrottleRule[] = [{ key: `email:${email}`, maxFailures: 5, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE }];
	// A client guessing across many addresses is slowed down too, with a looser limit because
	// offices share addresses.
	if (clientIp) rules.push({ key: `ip:${clientIp}`, maxFailures: 50, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE });
	return rules;
}

export type SignInOutcome =
	| { ok: true; person: PersonRow }
	| { ok: false; reason: "throttled"; retryAfterSeconds: number }
	| { ok: false; reason: "wrong_credentials" };

export async function checkCredentials(
	db: Directory,
	email: string,
	password: string,
	clientIp: string | undefined,
	now: number,
): Promise<SignInOutcome> {
	const rules = throttleRules(email, clientIp);
	const wait = await blockedFor(db, rules.map((r) => r.key), now);
	if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };

	const person = await findPersonByEmail(db, email);
	const stored = person
		? { hash: person.passwordHash, salt: person.passwordSalt, iterations: person.passwordIterations }
		: DECOY_HASH;
	const valid = await verifyPassword(password, stored);
	if (person && valid) {
		await clearFailures(db, `email:${email}`);
		return { ok: true, person };
	}
	await recordFailure(db, rules, now);
	return { ok: false, reason: "wrong_credentials" };
}

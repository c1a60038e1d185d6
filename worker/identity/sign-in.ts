// Sign-in: verify a password, throttled per (address, client) and per client (throttle-rules.ts).
// The attempt is counted before the password is checked and given back only on success, so a
// parallel burst gets exactly the free attempts, and the right password sent in a throttled
// burst is refused like any other.
import type { Directory } from "../db/client";
import { findPersonByEmail, type PersonRow } from "../db/people";
import { forgetOldFailures, releaseAttempt, reserveAttempt } from "../db/throttle";
import { DECOY_HASH, verifyPassword } from "./password";
import { throttleRules } from "./throttle-rules";

/** About one sign-in in this many also deletes failures no rule remembers any more. */
const CLEANUP_ONE_IN = 100;

export type SignInOutcome =
	| { ok: true; person: PersonRow }
	| { ok: false; reason: "throttled"; retryAfterSeconds: number }
	| { ok: false; reason: "wrong_credentials" };

/**
 * `client` is the normalized client (clientOf in throttle-rules.ts), undefined when unknown.
 * `background` runs work that must not delay the answer (the Worker's waitUntil).
 */
export async function checkCredentials(
	db: Directory,
	email: string,
	password: string,
	client: string | undefined,
	now: number,
	background: (work: Promise<unknown>) => void = () => undefined,
): Promise<SignInOutcome> {
	const rules = throttleRules(email, client);
	// The lookup runs alongside the reservation; whether the address exists changes nothing below
	// until the password has been checked (a decoy hash stands in), so the time taken and the
	// throttle's answers are the same for known and unknown addresses.
	const [reservation, person] = await Promise.all([reserveAttempt(db, rules, now), findPersonByEmail(db, email)]);
	if (!reservation.reserved) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(reservation.waitMs / 1000) };
	if (Math.random() * CLEANUP_ONE_IN < 1) background(forgetOldFailures(db, now).catch(() => undefined));

	const stored = person
		? { hash: person.passwordHash, salt: person.passwordSalt, iterations: person.passwordIterations }
		: DECOY_HASH;
	const valid = await verifyPassword(password, stored);
	if (person && valid) {
		await releaseAttempt(db, rules);
		return { ok: true, person };
	}
	// The failure was counted when the attempt was reserved.
	return { ok: false, reason: "wrong_credentials" };
}

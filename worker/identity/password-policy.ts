// The password rule, in one place, for every way a password is set (sign-up, sign-up from an
// invitation, changing one's password). Length is checked by the schema (Password in
// shared/api.ts); here: not the e-mail address or its local part, and not easy to guess, as judged
// by zxcvbn-ts with its list of common passwords. It runs in the Worker only: the dictionary is too
// big for the portal's first load, and the portal shows the server's message.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { AppError } from "../http/errors";

/**
 * zxcvbn's score 3 ("safely unguessable: moderate protection from an offline slow-hash
 * scenario", about 10^8 guesses and more) is the least we accept.
 */
export const MIN_SCORE = 3;
/** Shorter local parts ("al@…") occur in too many ordinary words to be refused on their own. */
const MIN_LOCAL_PART = 3;

let estimator: ZxcvbnFactory | undefined;

/**
 * Built on first use: ranking the dictionaries takes tens of milliseconds once per isolate.
 * Matching cost grows fast with length and look-alike characters ("p@ssw0rd" × 25 took 300 ms), so
 * only the first 64 characters are judged (a longer password's strength lies in its length) and
 * look-alike substitutions are capped; Levenshtein matching stays off for the same reason (up to a
 * second and a half per password).
 */
function zxcvbn(): ZxcvbnFactory {
	estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, maxLength: 64, l33tMaxSubstitutions: 10 });
	return estimator;
}

/** What zxcvbn's warning keys mean, in our words. */
const WARNINGS: Record<string, string> = {
	straightRow: "Rows of keys on the keyboard are easy to guess.",
	keyPattern: "Short keyboard patterns are easy to guess.",
	simpleRepeat: "Repeated characters like “aaa” are easy to guess.",
	extendedRepeat: "Repeated patterns like “abcabcabc” are easy to guess.",
	sequences: "Sequences like “abc” or “6543” are easy to guess.",
	recentYears: "Recent years are easy to guess.",
	dates: "Dates are easy to guess.",
	topTen: "This is one of the most used passwords.",
	topHundred: "This is a very common password.",
	common: "This is a commonly used password.",
	similarToCommon: "This is too close to a commonly used password.",
	wordByItself: "A single word is easy to guess.",
	namesByThemselves: "Names on their own are easy to guess.",
	commonNames: "Common names are easy to guess.",
	userInputs: "It contains your name or e-mail address.",
	pwned: "This password appeared in a data breach.",
};

export interface PasswordOwner {
	email: string;
	name?: string | undefined;
}

/** Why `password` is not acceptable for `owner`, or null if it is. */
export function passwordProblem(password: string, owner: PasswordOwner): string | null {
	const lower = password.toLowerCase();
	const email = owner.email.toLowerCase();
	const local = email.split("@")[0] ?? "";
	if (lower.includes(email) || (local.length >= MIN_LOCAL_PART && lower.includes(local))) {
		return "Do not use your e-mail address, or the part before the @, in your password.";
	}
	const inputs = [email, local, ...(owner.name ?? "").toLowerCase().split(/\s+/).filter((w) => w.length >= MIN_LOCAL_PART)];
	const result = zxcvbn().check(password, inputs);
	if (result.score >= MIN_SCORE) return null;
	const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) || "It is too easy to guess.";
	return `Choose a password that is harder to guess. ${why} A few unrelated words make a strong, memorable password.`;
}

/** Throws the API's 400 (details path `password`) if the password breaks the rule. */
export function assertAcceptablePassword(password: string, owner: PasswordOwner, path = "password"): void {
	const problem = passwordProblem(password, owner);
	if (problem) throw new AppError("invalid_input", problem, [{ path, message: problem }]);
}

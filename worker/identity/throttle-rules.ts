// The sign-in throttle's rules, as plain data and arithmetic (the SQL in worker/db/throttle.ts
// applies the same formula inside one statement).
//
// A wrong password is counted per (address, client), not per address alone: someone guessing an
// address from one place slows down only their own attempts, and the owner can still sign in
// from anywhere else. A looser rule per client across addresses slows down a client that guesses
// many addresses. Each rule lets a few failures through freely, then makes each further attempt
// wait after the last failure, twice as long per failure, up to a cap.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface ThrottleRule {
	/** The row that counts failures: "address <e-mail> from <client>" or "client <client>". */
	key: string;
	/** Failures let through without a wait. */
	freeFailures: number;
	/** The wait after the first failure past the free ones; it doubles with each further failure. */
	firstDelayMs: number;
	maxDelayMs: number;
	/** Failures are forgotten when the last one is this old. */
	forgetAfterMs: number;
}

/** What a rule's row remembers. */
export interface FailureCount {
	failures: number;
	lastFailureAt: number;
}

/** Per address and client: 5 free failures, then 1, 2, 4 … minutes, at most an hour; forgotten after a day. */
export const ADDRESS_RULE = { freeFailures: 5, firstDelayMs: MINUTE, maxDelayMs: HOUR, forgetAfterMs: 24 * HOUR } as const;
/**
 * Per client across addresses: 50 free failures (offices and mobile carriers share addresses),
 * then 1, 2, 4 … minutes, at most 15; forgotten after an hour without a failure.
 */
export const CLIENT_RULE = { freeFailures: 50, firstDelayMs: MINUTE, maxDelayMs: 15 * MINUTE, forgetAfterMs: HOUR } as const;

/**
 * Mailed links use the same machinery, counting every request (none is "given back"): a password
 * reset mail per address 3 times freely, then after 1, 2, 4 … minutes, at most an hour apart, so
 * nobody can fill a mailbox through Trustdesk; per client across addresses 20, then 1 … 15 minutes.
 */
export const RESET_ADDRESS_RULE = { freeFailures: 3, firstDelayMs: MINUTE, maxDelayMs: HOUR, forgetAfterMs: 24 * HOUR } as const;
export const RESET_CLIENT_RULE = { freeFailures: 20, firstDelayMs: MINUTE, maxDelayMs: 15 * MINUTE, forgetAfterMs: HOUR } as const;
/** A new verification mail for a signed-in person: 3 freely, then 1, 2, 4 … minutes, at most an hour. */
export const VERIFY_RULE = { freeFailures: 3, firstDelayMs: MINUTE, maxDelayMs: HOUR, forgetAfterMs: 24 * HOUR } as const;

/** The rules for a reset mail to `email` asked from `client` (keys apart from the sign-in rules'). */
export function resetRules(email: string, client: string | undefined): ThrottleRule[] {
	const rules: ThrottleRule[] = [{ key: `reset ${email}`, ...RESET_ADDRESS_RULE }];
	if (client !== undefined) rules.push({ key: `reset from ${client}`, ...RESET_CLIENT_RULE });
	return rules;
}

export function verifyRules(personId: string): ThrottleRule[] {
	return [{ key: `verify ${personId}`, ...VERIFY_RULE }];
}

/** The longest any row matters; older rows can be deleted. */
export const FORGET_AFTER_MS = Math.max(
	...[ADDRESS_RULE, CLIENT_RULE, RESET_ADDRESS_RULE, RESET_CLIENT_RULE, VERIFY_RULE].map((r) => r.forgetAfterMs),
);

/** Beyond this many doublings every wait is at its cap anyway (and 2^n stays a safe integer in SQL). */
export const MAX_DOUBLINGS = 30;

/** The client named "unknown": requests without a usable CF-Connecting-IP (see clientOf). */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The rules for a sign-in of `email` from `client`. Without a known client only the
 * per-address rule applies, with the client "unknown".
 */
export function throttleRules(email: string, client: string | undefined): ThrottleRule[] {
	const rules: ThrottleRule[] = [{ key: `address ${email} from ${client ?? UNKNOWN_CLIENT}`, ...ADDRESS_RULE }];
	if (client !== undefined) rules.push({ key: `client ${client}`, ...CLIENT_RULE });
	return rules;
}

/** Milliseconds the rule still makes the next attempt wait (0: it may go ahead). */
export function waitMs(rule: ThrottleRule, row: FailureCount | undefined, now: number): number {
	if (!row || now - row.lastFailureAt >= rule.forgetAfterMs || row.failures < rule.freeFailures) return 0;
	const doublings = Math.min(row.failures - rule.freeFailures, MAX_DOUBLINGS);
	const delay = Math.min(rule.firstDelayMs * 2 ** doublings, rule.maxDelayMs);
	return Math.max(0, row.lastFailureAt + delay - now);
}

/**
 * The client of a request, from CF-Connecting-IP. Cloudflare sets that header on every request
 * to the address the connection came from (a client cannot forge it); `wrangler dev` sets it to
 * the local peer (127.0.0.1) unless the request already carries one; the worker tests send none.
 * IPv6 clients are named by their /64 prefix, because one subscriber usually holds a whole /64
 * and could otherwise change address at every attempt. Anything that is not an IP address counts
 * as no client.
 */
export function clientOf(header: string | undefined): string | undefined {
	const value = header?.trim();
	if (!value) return undefined;
	if (isIpv4(value)) return value;
	const groups = ipv6Groups(value);
	if (!groups) return undefined;
	// IPv4-mapped (::ffff:a.b.c.d) is the IPv4 client.
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		const [hi = 0, lo = 0] = groups.slice(6);
		return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
	}
	return `${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(":")}::/64`;
}

function isIpv4(value: string): boolean {
	const parts = value.split(".");
	return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(value: string): number[] | undefined {
	let text = value.toLowerCase();
	// A trailing dotted IPv4 part stands for the last two groups.
	const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const [, head = "", v4 = ""] = dotted;
		if (!isIpv4(v4)) return undefined;
		const [a = 0, b = 0, c = 0, d = 0] = v4.split(".").map(Number);
		text = `${head}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const halves = text.split("::");
	if (halves.length > 2) return undefined;
	const parse = (part: string | undefined) => (part ? part.split(":") : []);
	const head = parse(halves[0]);
	const tail = parse(halves[1]);
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	const all = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => "0"), ...tail];
	if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
	return all.map((g) => Number.parseInt(g, 16));
}

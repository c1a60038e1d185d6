// Which URLs a webhook may be sent to. A webhook makes Trustdesk fetch a URL an account chose, so
// without limits an administrator could aim it at the platform's own network (SSRF). In
// production: https only, no credentials in the URL, and no host that names this machine, a
// private or otherwise non-public network, or a cloud metadata service — by name or as a literal
// address. The WHATWG URL parser has already turned odd IPv4 spellings (`2130706433`, `0x7f.1`)
// into dotted quads, so checking the parsed hostname covers them. Names that resolve to private
// addresses cannot be checked here (Workers do not resolve DNS); Cloudflare's outbound fetch does
// not reach private networks. WEBHOOKS_ALLOW_PRIVATE="1" (local development and tests only) allows
// http and private targets, so a receiver on localhost works.

export const MAX_URL_LENGTH = 2_000;

export interface UrlPolicy {
	allowPrivate: boolean;
}

export function policyOf(env: { WEBHOOKS_ALLOW_PRIVATE?: string | undefined }): UrlPolicy {
	return { allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE === "1" };
}

const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata$/, /^metadata\.google\.internal$/, /\.internal$/, /\.local$/, /^instance-data$/];

function ipv4(host: string): number[] | null {
	const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!m) return null;
	const parts = m.slice(1).map(Number);
	return parts.every((p) => p <= 255) ? parts : null;
}

/** A reason when the IPv4 address is not a public unicast one. */
function blockedV4([a, b, c]: number[]): string | null {
	if (a === undefined || b === undefined || c === undefined) return "not an address";
	if (a === 0) return "an unspecified address";
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "a private address";
	if (a === 127) return "a loopback address";
	if (a === 169 && b === 254) return "a link-local address (cloud metadata lives here)";
	if (a === 100 && b >= 64 && b <= 127) return "a carrier-grade NAT address";
	if (a === 192 && b === 0 && c === 0) return "a protocol assignment address";
	if (a === 198 && (b === 18 || b === 19)) return "a benchmarking address";
	if (a >= 224) return "a multicast or reserved address";
	return null;
}

/** Expands an IPv6 literal (without brackets) into its 8 groups, or null. */
function ipv6Groups(host: string): number[] | null {
	if (!host.includes(":")) return null;
	let text = host;
	// An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4?.[1]) {
		const p = ipv4(v4[1]);
		if (!p) return null;
		text = `${text.slice(0, -v4[1].length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
	}
	const [head, tail, ...rest] = text.split("::");
	if (rest.length > 0) return null;
	const parse = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
	const h = parse(head);
	const t = parse(tail);
	const fill = tail === undefined ? 0 : 8 - h.length - t.length;
	const groups = [...h, ...Array<number>(Math.max(0, fill)).fill(0), ...t];
	return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function blockedV6(g: number[]): string | null {
	if (g.every((x) => x === 0)) return "an unspecified address";
	if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "a loopback address";
	// IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judged by the IPv4 address inside.
	if ((g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) || (g[0] === 0x64 && g[1] === 0xff9b)) {
		return blockedV4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
	}
	const first = g[0]!;
	if ((first & 0xfe00) === 0xfc00) return "a unique-local address";
	if ((first & 0xffc0) === 0xfe80) return "a link-local address";
	if ((first & 0xff00) === 0xff00) return "a multicast address";
	if (first === 0x2001 && g[1] === 0x0db8) return "a documentation address";
	return null;
}

/** Why this URL may not receive webhooks, or null when it may. */
export function refusalOf(raw: string, policy: UrlPolicy): string | null {
	if (raw.length > MAX_URL_LENGTH) return `The URL is longer than ${MAX_URL_LENGTH} characters.`;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return "This is not a URL.";
	}
	if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) return "Webhooks are sent only to https URLs.";
	// Credentials in a URL end up in logs and in the delivery log; receivers check the signature instead.
	if (url.username || url.password) return "The URL must not contain a user name or password.";
	if (policy.allowPrivate) return null;
	const host = url.hostname.toLowerCase().replace(/\.$/, "");
	if (host === "") return "The URL has no host.";
	const v6 = host.startsWith("[") ? ipv6Groups(host.slice(1, -1)) : null;
	if (host.startsWith("[")) {
		const reason = v6 ? blockedV6(v6) : "not an address";
		return reason ? `The host is ${reason}; webhooks go only to public addresses.` : null;
	}
	const v4 = ipv4(host);
	if (v4) {
		const reason = blockedV4(v4);
		return reason ? `The host is ${reason}; webhooks go only to public addresses.` : null;
	}
	if (BLOCKED_NAMES.some((re) => re.test(host))) return "The host names this machine, a local network or a metadata service; webhooks go only to public hosts.";
	if (!host.includes(".")) return "The host is not a public domain name.";
	return null;
}

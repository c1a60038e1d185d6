// Which URLs webhooks may target (worker/webhooks/ssrf.ts): a table of URLs refused in production
// (https only, no credentials, no local/private/link-local/CGNAT/unique-local/metadata hosts,
// however the address is spelled), and the same URLs allowed where WEBHOOKS_ALLOW_PRIVATE="1".
import { describe, expect, it } from "vitest";
import { policyOf, refusalOf } from "../../worker/webhooks/ssrf";

const PRODUCTION = policyOf({ WEBHOOKS_ALLOW_PRIVATE: "" });
const LOCAL_DEV = policyOf({ WEBHOOKS_ALLOW_PRIVATE: "1" });

/** Refused in production, allowed with the local-dev flag. */
const PRIVATE_TARGETS: [string, RegExp][] = [
	["http://hooks.example.com/x", /only to https/],
	["https://localhost/x", /this machine/],
	["https://LOCALHOST./x", /this machine/],
	["https://api.localhost/x", /this machine/],
	["https://127.0.0.1/x", /loopback/],
	["https://127.1/x", /loopback/],
	["https://2130706433/x", /loopback/],
	["https://0x7f.0.0.1/x", /loopback/],
	["https://0.0.0.0/x", /unspecified/],
	["https://10.1.2.3/x", /private/],
	["https://172.16.0.1/x", /private/],
	["https://172.31.255.255/x", /private/],
	["https://192.168.1.10:8443/x", /private/],
	["https://169.254.169.254/latest/meta-data", /link-local/],
	["https://100.64.0.1/x", /carrier-grade NAT/],
	["https://100.127.255.254/x", /carrier-grade NAT/],
	["https://[::1]/x", /loopback/],
	["https://[::]/x", /unspecified/],
	["https://[fc00::1]/x", /unique-local/],
	["https://[fd12:3456::1]/x", /unique-local/],
	["https://[fe80::1]/x", /link-local/],
	["https://[::ffff:127.0.0.1]/x", /loopback/],
	["https://[::ffff:10.0.0.1]/x", /private/],
	["https://[64:ff9b::a9fe:a9fe]/x", /link-local/],
	["https://metadata.google.internal/computeMetadata/v1/", /metadata/],
	["https://metadata/x", /metadata/],
	["https://printer.local/x", /local network/],
	["https://intranet/x", /not a public domain/],
	["https://224.0.0.1/x", /multicast/],
];

/** Refused everywhere. */
const ALWAYS_REFUSED: [string, RegExp][] = [
	["https://user:pass@hooks.example.com/x", /user name or password/],
	["https://token@hooks.example.com/x", /user name or password/],
	["ftp://hooks.example.com/x", /only to https/],
	["javascript:alert(1)", /only to https/],
	["file:///etc/passwd", /only to https/],
	["not a url", /not a URL/],
	[`https://hooks.example.com/${"a".repeat(2001)}`, /longer than/],
];

const PUBLIC_TARGETS = ["https://hooks.example.com/trustdesk", "https://hooks.example.com:8443/x?y=1", "https://93.184.216.34/x", "https://[2606:4700::1111]/x", "https://172.32.0.1/x", "https://100.128.0.1/x"];

describe("webhook URLs in production", () => {
	it.each(PRIVATE_TARGETS)("refuses %s", (url, reason) => {
		expect(refusalOf(url, PRODUCTION)).toMatch(reason);
	});
	it.each(ALWAYS_REFUSED)("refuses %s", (url, reason) => {
		expect(refusalOf(url, PRODUCTION)).toMatch(reason);
	});
	it.each(PUBLIC_TARGETS)("allows %s", (url) => {
		expect(refusalOf(url, PRODUCTION)).toBeNull();
	});
});

describe("webhook URLs with WEBHOOKS_ALLOW_PRIVATE=1 (local development)", () => {
	it.each(PRIVATE_TARGETS)("allows %s", (url) => {
		expect(refusalOf(url, LOCAL_DEV)).toBeNull();
	});
	it.each(ALWAYS_REFUSED)("still refuses %s", (url, reason) => {
		expect(refusalOf(url, LOCAL_DEV)).toMatch(reason);
	});
	it("only the exact value 1 turns it on", () => {
		expect(policyOf({ WEBHOOKS_ALLOW_PRIVATE: "true" }).allowPrivate).toBe(false);
		expect(policyOf({}).allowPrivate).toBe(false);
	});
});

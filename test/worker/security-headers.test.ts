// Security headers on what the Worker serves: the JSON API (answers and errors), the API reference
// page, and `/` (the front page from the static assets, or a redirect for a claimed hostname). The
// static assets themselves get the same headers from dist/client/_headers (test/e2e/headers.test.ts).
import { describe, expect, it } from "vitest";
import { DATA_CSP, headersFile, HTML_CSP, HTML_SECURITY_HEADERS } from "../../worker/http/security-headers";
import { call, callJson, ORIGIN, signUp } from "./helpers";

/** What every response must carry, whatever it is. */
function expectCommon(res: Response, what: string): void {
	const h = res.headers;
	expect(h.get("X-Frame-Options"), what).toBe("DENY");
	expect(h.get("Content-Security-Policy"), what).toContain("frame-ancestors 'none'");
	expect(h.get("X-Content-Type-Options"), what).toBe("nosniff");
	expect(h.get("Referrer-Policy"), what).toBe("same-origin");
	expect(h.get("Cross-Origin-Opener-Policy"), what).toBe("same-origin");
	expect(h.get("Cross-Origin-Resource-Policy"), what).toBe("same-origin");
}

describe("the JSON API", () => {
	it("answers, errors and unknown routes carry the headers and a CSP that lets nothing load", async () => {
		const admin = await signUp();
		const responses: [string, Response][] = [
			["health", await call("/health")],
			["an account", await call(`/accounts/${admin.accountId}`, { as: admin })],
			["401", await call(`/accounts/${admin.accountId}`)],
			["400", await call("/session", { body: { email: "nope" } })],
			["no route", await call("/nope")],
			["the OpenAPI document", await call("/openapi.json")],
		];
		for (const [what, res] of responses) {
			expectCommon(res, what);
			expect(res.headers.get("Content-Security-Policy"), what).toBe(DATA_CSP);
			await res.body?.cancel();
		}
	});
});

describe("the API reference page", () => {
	it("has the portal's strict policy and needs no inline script or style", async () => {
		const res = await call(`${ORIGIN}/api/v1/docs`);
		expect(res.status).toBe(200);
		expectCommon(res, "/api/v1/docs");
		expect(res.headers.get("Content-Security-Policy")).toBe(HTML_CSP);
		const html = await res.text();
		// Every script is a file of this site; no <script> with a body, no <style>, no on… handlers.
		const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
		expect(scripts.length).toBeGreaterThan(0);
		for (const [, attributes = "", body = ""] of scripts) {
			expect(attributes).toMatch(/\bsrc="\/docs\//);
			expect(body.trim()).toBe("");
		}
		expect(html).not.toMatch(/<style\b/i);
		expect(html).not.toMatch(/\son[a-z]+=/i);
		expect(html).toContain('data-openapi="/api/v1/openapi.json"');
	});
});

describe("/", () => {
	it("the front page served by the Worker carries the headers", async () => {
		const res = await call(`${ORIGIN}/`);
		expectCommon(res, "/");
		// The HTML policy when the portal is built (dist/client), the data policy for the 404 otherwise.
		const html = res.headers.get("Content-Type")?.startsWith("text/html") ?? false;
		expect(res.headers.get("Content-Security-Policy")).toBe(html ? HTML_CSP : DATA_CSP);
		await res.body?.cancel();
	});

	it("the redirect of a claimed hostname carries them too", async () => {
		const admin = await signUp();
		const hostname = `portal-${admin.accountId}.example.test`;
		await callJson(`/accounts/${admin.accountId}/hostnames`, 201, { as: admin, body: { hostname } });
		const res = await call(`http://${hostname}/`);
		expect(res.status).toBe(302);
		expect(res.headers.get("Location")).toBe(`/${admin.accountId}/`);
		expectCommon(res, "the redirect");
	});
});

describe("the _headers file for the static assets", () => {
	it("applies every HTML header to every path", () => {
		const lines = headersFile().split("\n");
		expect(lines.filter((l) => !l.startsWith("#") && l.trim() !== "")[0]).toBe("/*");
		for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) expect(lines).toContain(`  ${name}: ${value}`);
	});

	it("has a policy without inline or eval script, and frame-ancestors 'none'", () => {
		const directives = new Map(HTML_CSP.split(";").map((d) => d.trim().split(/\s+/)).map(([name = "", ...values]) => [name, values]));
		expect(directives.get("script-src")).toEqual(["'self'"]);
		expect(directives.get("style-src")).toEqual(["'self'"]);
		expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
		expect(directives.get("object-src")).toEqual(["'none'"]);
		expect(HTML_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
	});
});

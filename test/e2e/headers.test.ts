// Security headers on the real portal responses (static assets with dist/client/_headers, and what
// the Worker serves), a page of another origin that tries to frame the portal, and the portal and
// the API reference working under their Content-Security-Policy without a single violation.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");

/** Headers every response must have (worker/http/security-headers.ts). */
function expectCommonHeaders(res: Response, what: string): void {
	const h = res.headers;
	expect(h.get("Content-Security-Policy"), what).toContain("frame-ancestors 'none'");
	expect(h.get("X-Frame-Options"), what).toBe("DENY");
	expect(h.get("X-Content-Type-Options"), what).toBe("nosniff");
	expect(h.get("Referrer-Policy"), what).toBe("same-origin");
	expect(h.get("Cross-Origin-Opener-Policy"), what).toBe("same-origin");
}

/** …and every page or asset of the portal a strict policy: scripts only from this site's files. */
function expectPortalHeaders(res: Response, what: string): void {
	expectCommonHeaders(res, what);
	const csp = res.headers.get("Content-Security-Policy") ?? "";
	expect(csp, what).toContain("script-src 'self'");
	expect(csp, what).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
}

async function get(path: string): Promise<Response> {
	const res = await fetch(`${baseUrl}${path}`, { redirect: "manual" });
	await res.arrayBuffer();
	return res;
}

/** Collects CSP violations the page reports (the securitypolicyviolation event, on every document). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
	await page.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __csp: string[] }).__csp = seen;
		document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
	});
	const console: string[] = [];
	page.on("console", (msg) => {
		if (/Content Security Policy/i.test(msg.text())) console.push(msg.text());
	});
	return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))];
}

describe("security headers on real responses", () => {
	it("the SPA's HTML for any portal path, its hashed assets, /, the reference page and its files", async () => {
		const index = await fetch(`${baseUrl}/acme/`);
		const html = await index.text();
		expect(index.headers.get("Content-Type")).toMatch(/^text\/html/);
		expectPortalHeaders(index, "/acme/");
		const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
		expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
		expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
		for (const path of ["/acme/requests/req_0000000000000000", "/widget-dc/inbox", "/signup", "/no/such/page", "/", "/favicon.svg", "/api/v1/docs", "/docs/reference.js", "/docs/swagger-ui/swagger-ui-bundle.js", ...assets]) {
			const res = await get(path);
			expect(res.status, path).toBe(200);
			expectPortalHeaders(res, path);
		}
		// The API: the same framing and sniffing rules, with a policy that lets nothing load.
		const api = await get("/api/v1/health");
		expectCommonHeaders(api, "/api/v1/health");
		expect(api.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
	});
});

describe("in Chromium", () => {
	let browser: OpenBrowser;
	let other: http.Server;
	let otherOrigin = "";

	beforeAll(async () => {
		browser = await openBrowser();
		// A page of another origin that frames the portal, and (to show framing works at all) itself.
		other = http.createServer((req, res) => {
			res.setHeader("Content-Type", "text/html");
			if (req.url === "/inner") return res.end("<!doctype html><title>inner</title><p id=inner>framed fine</p>");
			res.end(`<!doctype html><title>evil</title><iframe id=portal src="${baseUrl}/acme/"></iframe><iframe id=own src="/inner"></iframe>`);
		});
		await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
		otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await browser?.close();
		await new Promise((resolve) => other?.close(resolve));
	});

	it("refuses to show /acme/ in a frame of another origin", async () => {
		const page = await browser.context.newPage();
		await page.goto(`${otherOrigin}/`);
		// The frame of the helper's own page loads: the test can tell a loaded frame from a refused one.
		await expect.poll(() => page.frameLocator("#own").locator("#inner").textContent()).toBe("framed fine");
		// Chromium puts its error page where the portal would be: the frame never holds the portal.
		const portalFrame = async () => (await page.locator("#portal").elementHandle())?.contentFrame();
		await expect.poll(async () => (await portalFrame())?.url()).toBe("chrome-error://chromewebdata/");
		expect(await page.frameLocator("#portal").locator("#root").count()).toBe(0);
		await page.close();
	});

	it("the portal works under its policy: sign-in, pages, the live socket, with no violation", async () => {
		const page = await browser.context.newPage();
		const violations = await watchViolations(page);
		const errors: string[] = [];
		page.on("pageerror", (err) => errors.push(err.message));
		await page.goto(`${baseUrl}/acme/`);
		await page.getByLabel("E-mail address").fill("alice@acme.example");
		await page.getByLabel("Password").fill("trustdesk-demo");
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Alice" }).isVisible()).toBe(true);
		await expect.poll(() => page.getByTestId("live-indicator").getAttribute("data-state")).toBe("live");
		await page.goto(`${baseUrl}/acme/requests`);
		await expect.poll(() => page.getByTestId("live-indicator").getAttribute("data-state")).toBe("live");
		expect(await violations()).toEqual([]);
		expect(errors).toEqual([]);
		await page.close();
	});

	it("the API reference renders under the same policy, with no violation", async () => {
		const page = await browser.context.newPage();
		const violations = await watchViolations(page);
		await page.goto(`${baseUrl}/api/v1/docs`);
		await expect.poll(() => page.locator(".swagger-ui .info .title").textContent()).toContain("Trustdesk API");
		await expect.poll(() => page.locator(".opblock").count()).toBeGreaterThan(10);
		expect(await violations()).toEqual([]);
		await page.close();
	});
});

// The harness works: the real server is up, seeded, and Chromium loads the portal; and the
// portal's first load stays within its JavaScript budget.
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

/** The portal's first load may bring at most this much JavaScript, gzipped. */
const FIRST_LOAD_JS_BUDGET = 80 * 1024;

const baseUrl = inject("baseUrl");

describe("e2e smoke", () => {
	let browser: OpenBrowser | undefined;
	afterAll(async () => {
		await browser?.close();
	});

	it("serves the seeded demo through the API", async () => {
		const res = await fetch(`${baseUrl}/api/v1/portals/widget-dc`);
		expect(res.status).toBe(200);
		const portal = (await res.json()) as { id: string; name: string };
		expect(portal.id).toBe("widget-dc");
	});

	it("loads the portal in Chromium", async () => {
		browser = await openBrowser();
		const response = await browser.page.goto(`${baseUrl}/`);
		expect(response?.status()).toBe(200);
		expect((await browser.page.title()).trim()).not.toBe("");
	});

	it(`loads an account's home, signed in, with at most ${FIRST_LOAD_JS_BUDGET / 1024} KB of JavaScript gzipped`, async () => {
		// Signed in through the API; then a browser with nothing cached opens the account's home.
		const res = await fetch(`${baseUrl}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: "anna@acme.example", password: "trustdesk-demo" }) });
		expect(res.status).toBe(200);
		const [name = "", value = ""] = (res.headers.get("set-cookie") ?? "").split(";")[0]!.split("=");
		const b = await openBrowser();
		try {
			await b.context.addCookies([{ name, value, url: baseUrl }]);
			const scripts = new Map<string, Promise<Buffer>>();
			b.page.on("response", (r) => {
				if (r.request().resourceType() === "script" && r.status() === 200) scripts.set(r.url(), r.body());
			});
			await b.page.goto(`${baseUrl}/acme/`, { waitUntil: "networkidle" });
			await expect.poll(() => b.page.getByRole("heading", { level: 1, name: /Welcome, Anna/ }).isVisible()).toBe(true);
			let gzipped = 0;
			for (const body of scripts.values()) gzipped += gzipSync(await body, { level: 9 }).length;
			const figure = `${scripts.size} scripts, ${(gzipped / 1024).toFixed(1)} KB of JavaScript gzipped`;
			console.log(`first load of /acme/, signed in: ${figure}`);
			expect(scripts.size).toBeGreaterThan(0);
			expect(gzipped, figure).toBeLessThanOrEqual(FIRST_LOAD_JS_BUDGET);
		} finally {
			await b.close();
		}
	});
});

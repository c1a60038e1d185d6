// The harness works: the real server is up, seeded, and Chromium loads the portal.
import { afterAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

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
});

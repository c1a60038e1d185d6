// Keyboard and phone use of the portal: a person who cannot use a mouse, or holds a phone, can
// sign in, move around and switch accounts.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");

describe("keyboard and phone", () => {
	let browser: OpenBrowser;
	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it("signs in and switches account with the keyboard alone", async () => {
		const page = browser.page;
		await page.goto(`${baseUrl}/signin`);
		// The e-mail field has focus on arrival (once the page has rendered); Tab moves to the
		// password; Enter submits.
		await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("email");
		await page.keyboard.type("carl@widget-dc.example");
		await page.keyboard.press("Tab");
		await page.keyboard.type("trustdesk-demo");
		await page.keyboard.press("Enter");
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Carl" }).isVisible()).toBe(true);

		// Signed in, focus is on the new page's heading: Tab goes on in the main content.
		await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
		await page.keyboard.press("Tab");
		expect(await page.evaluate(() => document.getElementById("main")?.contains(document.activeElement))).toBe(true);
		// On a page opened afresh, the first Tab reaches the skip link, which jumps to the main content.
		await page.reload();
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Carl" }).isVisible()).toBe(true);
		await page.keyboard.press("Tab");
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");

		const switcher = page.getByRole("button", { name: /Switch account/ });
		await switcher.focus();
		await page.keyboard.press("Enter");
		const menu = page.getByRole("menu");
		await expect.poll(() => menu.isVisible()).toBe(true);
		// Arrow keys move through the accounts; Enter picks one.
		for (let i = 0; i < 4; i++) {
			const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
			if (focused.startsWith("Acme Corporation")) break;
			await page.keyboard.press("ArrowDown");
		}
		expect(await page.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(/^Acme Corporation/);
		await page.keyboard.press("Enter");
		await page.waitForURL(`${baseUrl}/acme/`);
	});

	it("fits a phone screen without sideways scrolling", async () => {
		const page = await browser.context.newPage();
		await page.setViewportSize({ width: 390, height: 844 });
		for (const path of ["/acme/", "/acme/people", "/acme/teams", "/acme/settings", "/acme/requests", "/widget-dc/inbox", "/acme/reports"]) {
			await page.goto(`${baseUrl}${path}`);
			await expect.poll(() => page.locator("main h1").first().isVisible()).toBe(true);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
		}
		await page.close();
	});
});

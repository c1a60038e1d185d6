// Notifications in the portal (issue 9): Bob (widget-dc's Email Support) has his bell in the
// header; when Alice (acme) registers a request, the bell counts up live, without a reload; he
// opens the list, finds it on top, marks it read, and follows it to the request. Relies on the
// seeded demo (scripts/seed.mjs), whose history already left Bob notifications: he starts by
// marking them all read.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const subject = `Bell rings ${run}`;

function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}


const bell = (page: Page) => page.getByTestId("notification-bell");
const bellLabel = (page: Page) => bell(page).getAttribute("aria-label");

describe("the notification bell, live", () => {
	let alice: OpenBrowser;
	let bob: OpenBrowser;
	let a: Page;
	let b: Page;
	const errors: string[][] = [];

	beforeAll(async () => {
		[alice, bob] = await Promise.all([openBrowser(), openBrowser()]);
		a = alice.page;
		b = bob.page;
		for (const p of [a, b]) errors.push(watchErrors(p));
	});
	afterAll(async () => {
		await Promise.all([alice?.close(), bob?.close()]);
	});
	const noPageErrors = () => expect(errors.flat()).toEqual([]);

	it("signs in Alice at acme and Bob at widget-dc, each in a browser", async () => {
		await Promise.all([signIn(a, "acme", "alice@acme.example", "Alice"), signIn(b, "widget-dc", "bob@widget-dc.example", "Bob")]);
	});

	it("Bob opens his notifications from the bell and marks the demo's all read", async () => {
		await bell(b).click();
		await b.waitForURL(`${baseUrl}/widget-dc/notifications`);
		await expect.poll(() => b.getByRole("heading", { name: "Notifications", level: 1 }).isVisible()).toBe(true);
		const markAll = b.getByRole("button", { name: "Mark all read" });
		// The demo's history left Bob unread notifications: the button is enabled once his list is in.
		await expect.poll(async () => (await bellLabel(b)) === "Notifications, none unread" || (await markAll.isEnabled())).toBe(true);
		if (await markAll.isEnabled()) await markAll.click();
		await expect.poll(() => bellLabel(b)).toBe("Notifications, none unread");
		expect(await b.getByTestId("notification-count").count()).toBe(0);
		// Back to his home page; the bell stays in the header, live.
		await b.locator("a.brand").click();
		await expect.poll(() => b.getByRole("heading", { name: "Welcome, Bob" }).isVisible()).toBe(true);
		await expect.poll(() => b.getByTestId("live-indicator").getAttribute("data-state")).toBe("live");
		await b.evaluate(() => {
			(window as unknown as { __noReload?: boolean }).__noReload = true;
		});
		noPageErrors();
	});

	it("Alice registers a request; Bob's bell counts up live and announces it", async () => {
		await expect.poll(() => bellLabel(a)).toMatch(/^Notifications, /);
		const alicesBefore = await bellLabel(a);
		await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
		await a.getByRole("link", { name: /^Request this service: Email/ }).click();
		await a.waitForURL((url) => url.pathname === "/acme/requests/new");
		await a.getByLabel("Subject").fill(subject);
		await a.locator("label", { hasText: "Something is broken" }).click();
		await a.locator("label", { hasText: /^Medium/ }).click();
		await a.getByRole("button", { name: "Register request" }).click();
		await a.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);

		await expect.poll(() => bellLabel(b)).toBe("Notifications, 1 unread");
		expect(await b.getByTestId("notification-count").textContent()).toBe("1");
		await expect.poll(() => b.getByTestId("live-announcer").textContent()).toContain(subject);
		expect(await b.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true)).toBe(true);
		// Alice registered it herself: her bell stays as it was.
		expect(await bellLabel(a)).toBe(alicesBefore);
		noPageErrors();
	});

	it("Bob opens the list: the new one is on top, unread; he marks it read and follows it to the request", async () => {
		await bell(b).click();
		await b.waitForURL(`${baseUrl}/widget-dc/notifications`);
		const first = b.getByTestId("notification").first();
		await expect.poll(() => first.textContent()).toContain(subject);
		expect(await first.getAttribute("data-unread")).toBe("");
		expect(await first.textContent()).toContain("Alice Archer");
		await first.getByRole("button", { name: /^Mark read:/ }).click();
		await expect.poll(() => bellLabel(b)).toBe("Notifications, none unread");
		await expect.poll(() => first.getAttribute("data-unread")).toBeNull();

		await first.getByRole("link", { name: new RegExp(subject) }).click();
		await b.waitForURL(/\/widget-dc\/requests\/req_[A-Za-z0-9]+$/);
		await expect.poll(() => b.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		noPageErrors();
	});

	it("on a phone the bell fits in the header, nothing scrolls sideways, and the pages fit", async () => {
		const page = await bob.context.newPage();
		try {
			await page.setViewportSize({ width: 390, height: 844 });
			for (const path of ["/widget-dc/", "/widget-dc/notifications", "/widget-dc/profile/notifications", "/widget-dc/inbox"]) {
				await page.goto(`${baseUrl}${path}`);
				await expect.poll(() => page.locator("main h1").first().isVisible()).toBe(true);
				const box = await bell(page).boundingBox();
				expect(box && box.x >= 0 && box.x + box.width <= 390, `the bell on ${path} within the screen`).toBe(true);
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
			}
		} finally {
			await page.close();
		}
		noPageErrors();
	});

	it("Bob's preferences page lists his kinds, in the app and by e-mail", async () => {
		await b.goto(`${baseUrl}/widget-dc/profile/notifications`);
		await expect.poll(() => b.getByRole("heading", { name: "Notification preferences", level: 1 }).isVisible()).toBe(true);
		const assigned = b.getByRole("checkbox", { name: "A request is assigned to me or my team: by e-mail" });
		await expect.poll(() => assigned.isChecked()).toBe(true);
		await assigned.uncheck();
		await b.getByRole("button", { name: "Save preferences" }).click();
		await expect.poll(() => b.getByText("Your notification preferences are saved.").isVisible()).toBe(true);
		await b.reload();
		await expect.poll(() => b.getByRole("checkbox", { name: "A request is assigned to me or my team: by e-mail" }).isChecked()).toBe(false);
		noPageErrors();
	});
});

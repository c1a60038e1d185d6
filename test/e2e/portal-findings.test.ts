// What an outside review of the portal found (issue 8, points 14 and 15), each checked in Chromium
// against the seeded demo: SLA instants name their zone and tell the provider's time; sign-up
// proposes the browser's zone; no duplicate ids, one <main>; the navigation fits at 1280 px and
// on a phone; the account switcher is named by what it shows; focus lands on the new page's h1;
// toasts stay with their page; dialogs wear the account's brand; report figures are neutral; a
// customer's portal offers no sign-up.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const PASSWORD = "trustdesk-demo";
/** Acme's primary colour in the demo design (#b91c1c), as computed styles give it. */
const ACME_RED = "rgb(185, 28, 28)";
/** The portal's text colour (--text). */
const INK = "rgb(22, 27, 34)";

function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}


/** Ids used more than once in the document. */
const duplicateIds = (page: Page) =>
	page.evaluate(() => {
		const ids = Array.from(document.querySelectorAll("[id]"), (e) => e.id);
		return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
	});

/** The focused element: its tag and text. */
const focused = (page: Page) => page.evaluate(() => ({ tag: document.activeElement?.tagName ?? "", text: document.activeElement?.textContent?.trim() ?? "" }));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("portal findings", () => {
	const browsers: OpenBrowser[] = [];
	const errors: string[][] = [];
	/** A fresh browser (own profile), watched for page errors. */
	async function browser(options: { timezoneId?: string } = {}): Promise<Page> {
		const b = await openBrowser(options);
		browsers.push(b);
		errors.push(watchErrors(b.page));
		return b.page;
	}
	afterEach(() => {
		expect(errors.flat()).toEqual([]);
	});
	afterAll(async () => {
		await Promise.all(browsers.map((b) => b.close()));
	});

	describe("Anna, administrator of acme (a red design)", () => {
		let a: Page;
		beforeAll(async () => {
			a = await browser();
		});

		it("signs in", async () => {
			await signIn(a, "acme", "anna@acme.example", "Anna");
		});

		it("the report page has no duplicate ids, and its figures are in neutral ink, not the brand's red", async () => {
			await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "SLA reports", exact: true }).click();
			await expect.poll(() => a.getByTestId("report-totals").isVisible()).toBe(true);
			await expect.poll(() => a.locator("table.report-table").count()).toBeGreaterThan(1);
			expect(await duplicateIds(a)).toEqual([]);
			const requests = a.getByTestId("tile-requests").locator(".figure-value a");
			expect(await requests.evaluate((e) => getComputedStyle(e).color)).toBe(INK);
			// The chrome keeps the brand: the current page's tab.
			const tab = a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "SLA reports", exact: true });
			expect(await tab.evaluate((e) => getComputedStyle(e).color)).toBe(ACME_RED);
		});

		it("an unknown address inside the account renders exactly one <main>", async () => {
			await a.goto(`${baseUrl}/acme/no-such-page-${run}`);
			await expect.poll(() => a.getByRole("heading", { name: "Page not found" }).isVisible()).toBe(true);
			expect(await a.locator("main").count()).toBe(1);
			expect(await a.locator("#main").count()).toBe(1);
			expect(await a.getByRole("main").count()).toBe(1);
			// An account that does not exist (or is not hers): one <main> too.
			await a.goto(`${baseUrl}/no-such-account-${run}/deeper`);
			await expect.poll(() => a.getByRole("heading", { name: /^No access to/ }).isVisible()).toBe(true);
			expect(await a.locator("main").count()).toBe(1);
		});

		it("the account switcher's accessible name starts with the text it shows", async () => {
			await a.goto(`${baseUrl}/acme/`);
			await expect.poll(() => a.getByRole("heading", { name: "Welcome, Anna" }).isVisible()).toBe(true);
			const trigger = a.locator(".switcher-trigger");
			const visible = await trigger.evaluate((e) => {
				const copy = e.cloneNode(true) as HTMLElement;
				for (const hidden of Array.from(copy.querySelectorAll(".visually-hidden, [aria-hidden='true']"))) hidden.remove();
				return copy.textContent?.trim() ?? "";
			});
			expect(visible).toBe("Acme Corporation");
			expect(await a.getByRole("button", { name: new RegExp(`^${escape(visible)}`) }).count()).toBe(1);
		});

		it("a dialog's primary button wears the account's brand colour", async () => {
			await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Teams", exact: true }).click();
			await a.getByRole("button", { name: "New team" }).first().click();
			const dialog = a.getByRole("dialog", { name: "New team" });
			const create = dialog.getByRole("button", { name: "Create team" });
			await expect.poll(() => create.isVisible()).toBe(true);
			expect(await create.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(ACME_RED);
			await dialog.getByRole("button", { name: "Cancel" }).click();
		});
	});

	describe("Wendy, administrator of widget-dc (14 navigation items)", () => {
		const ITEMS = ["Home", "Catalog", "My requests", "Inbox", "SLA reports", "Trusts", "Services", "SLAs", "People", "Teams", "Deliveries", "API tokens", "Apps", "Settings"];
		let w: Page;
		beforeAll(async () => {
			w = await browser();
			await w.setViewportSize({ width: 1280, height: 800 });
		});

		it("signs in", async () => {
			await signIn(w, "widget-dc", "wendy@widget-dc.example", "Wendy");
		});

		it("at 1280 px every item is visible, on screen, nothing scrolls sideways, and Tab reaches each in order", async () => {
			const nav = w.getByRole("navigation", { name: "Account" });
			expect(await nav.getByRole("link").allTextContents()).toEqual(ITEMS);
			for (const label of ITEMS) {
				const link = nav.getByRole("link", { name: label, exact: true });
				expect(await link.isVisible(), label).toBe(true);
				const box = await link.boundingBox();
				expect(box && box.x >= 0 && box.x + box.width <= 1280, `${label} on screen`).toBe(true);
			}
			const overflow = await w.evaluate(() => {
				const navEl = document.getElementById("account-nav") as HTMLElement;
				return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, nav: navEl.scrollWidth - navEl.clientWidth };
			});
			expect(overflow).toEqual({ page: 0, nav: 0 });
			// The administration items are a labelled group of their own.
			expect(await w.getByRole("group", { name: "Administration" }).getByRole("link").allTextContents()).toEqual(ITEMS.slice(5));

			await nav.getByRole("link", { name: "Home", exact: true }).focus();
			const order = [(await focused(w)).text];
			for (let i = 1; i < ITEMS.length; i++) {
				await w.keyboard.press("Tab");
				order.push((await focused(w)).text);
			}
			expect(order).toEqual(ITEMS);
			await w.keyboard.press("Enter");
			await w.waitForURL(`${baseUrl}/widget-dc/settings`);
		});

		it("on a phone the Menu button opens every item, each within the screen", async () => {
			await w.setViewportSize({ width: 390, height: 844 });
			const nav = w.getByRole("navigation", { name: "Account" });
			expect(await nav.getByRole("link", { name: "Settings", exact: true }).isVisible()).toBe(false);
			await w.getByRole("button", { name: "Menu", exact: true }).click();
			for (const label of ITEMS) {
				const link = nav.getByRole("link", { name: label, exact: true });
				await link.scrollIntoViewIfNeeded();
				expect(await link.isVisible(), label).toBe(true);
				const box = await link.boundingBox();
				expect(box && box.x >= 0 && box.x + box.width <= 390, `${label} within the screen`).toBe(true);
			}
			expect(await w.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
			await w.setViewportSize({ width: 1280, height: 800 });
		});
	});

	describe("Alice, end user of acme, in New York", () => {
		let p: Page;
		beforeAll(async () => {
			p = await browser({ timezoneId: "America/New_York" });
		});

		it("acme's sign-in offers no sign-up; Trustdesk's front page does", async () => {
			await p.goto(`${baseUrl}/acme/`);
			await expect.poll(() => p.getByRole("heading", { name: "Sign in to Acme IT Help" }).isVisible()).toBe(true);
			expect(await p.getByRole("link", { name: "Create an account" }).count()).toBe(0);
			expect(await p.getByText(/create an account/i).count()).toBe(0);
			const front = await browser();
			await front.goto(`${baseUrl}/`);
			await front.waitForURL(`${baseUrl}/signin`);
			await expect.poll(() => front.getByRole("link", { name: "Create an account" }).isVisible()).toBe(true);
		});

		it("signing in moves focus to the home page's h1", async () => {
			await p.getByLabel("E-mail address").fill("alice@acme.example");
			await p.getByLabel("Password").fill(PASSWORD);
			await p.getByRole("button", { name: "Sign in" }).click();
			await expect.poll(() => p.getByRole("heading", { name: "Welcome, Alice" }).isVisible()).toBe(true);
			await expect.poll(() => focused(p)).toEqual({ tag: "H1", text: "Welcome, Alice" });
			// The switcher offers no new organisation to an end user.
			await p.getByRole("button", { name: /Switch account/ }).click();
			expect(await p.getByRole("menuitem", { name: /Create another account/ }).count()).toBe(0);
			await p.keyboard.press("Escape");
		});

		it("SLA targets are in her zone, labelled, with the provider's time on hover and focus", async () => {
			await p.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "My requests", exact: true }).click();
			await expect.poll(() => focused(p)).toEqual({ tag: "H1", text: "My requests" });
			await p.getByRole("link", { name: /Outlook keeps asking for my password/ }).first().click();
			const clock = p.getByTestId("sla-clock");
			await expect.poll(() => clock.isVisible()).toBe(true);
			const target = clock.locator("dt", { hasText: "Response target" }).locator("xpath=following-sibling::dd[1]").locator("time");
			const shown = await target.evaluate((e) => e.firstChild?.textContent ?? "");
			expect(shown).toMatch(/\b(EST|EDT)\b/);
			expect(await target.getAttribute("data-tip")).toMatch(/at the provider \(Europe\/Amsterdam\)$/);
			expect(await target.getAttribute("data-tip")).toMatch(/GMT\+1|GMT\+2|CET|CEST/);
			// For screen readers, the same in words; for the keyboard, the tooltip on focus.
			expect(await target.locator(".visually-hidden").textContent()).toContain("at the provider (Europe/Amsterdam)");
			await target.focus();
			const tip = await target.evaluate((e) => getComputedStyle(e, "::after").content);
			expect(tip).toContain("at the provider");
			expect(await clock.textContent()).toContain("Europe/Amsterdam");
		});

		it("registering a request moves focus to its h1; its toast stays with it and goes when she leaves", async () => {
			const subject = `Focus check ${run}`;
			await p.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
			await p.getByRole("link", { name: /^Request this service: Email/ }).click();
			await expect.poll(() => p.getByRole("heading", { name: "New request", level: 1 }).isVisible()).toBe(true);
			await p.getByLabel("Subject").fill(subject);
			await p.getByRole("button", { name: "Register request" }).click();
			await p.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
			await expect.poll(() => focused(p)).toEqual({ tag: "H1", text: subject });

			const toast = p.getByRole("region", { name: /Notifications/ }).getByText(/is registered/);
			await expect.poll(() => toast.isVisible()).toBe(true);
			// Hovering pauses its timer: without the navigation it would stay.
			await toast.hover();
			await p.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "My requests", exact: true }).click();
			await expect.poll(() => focused(p)).toEqual({ tag: "H1", text: "My requests" });
			await expect.poll(() => toast.count(), { timeout: 1500 }).toBe(0);
		});
	});

	describe("sign-up in Tokyo", () => {
		it("proposes the browser's time zone and stores it as the new account's", async () => {
			const p = await browser({ timezoneId: "Asia/Tokyo" });
			const id = `tz-${run}`;
			await p.goto(`${baseUrl}/signup`);
			const zone = p.getByLabel("Time zone");
			await expect.poll(() => zone.inputValue()).toBe("Asia/Tokyo");
			await p.getByLabel("Organisation name").fill(`Zone Test ${run}`);
			await p.getByLabel("Account id").fill(id);
			await p.getByLabel("Your name").fill("Tomo Zone");
			await p.getByLabel("Your e-mail address").fill(`tomo-${run}@zone.example`);
			await p.getByLabel("Password").fill("Lantern-orchard-quiet-93");
			await zone.selectOption("Pacific/Auckland");
			await p.getByRole("button", { name: "Create account" }).click();
			await p.waitForURL(`${baseUrl}/${id}/`);
			await expect.poll(() => p.getByRole("heading", { name: "Welcome, Tomo" }).isVisible()).toBe(true);
			const account = await p.evaluate(async (accountId) => (await (await fetch(`/api/v1/accounts/${accountId}`)).json()) as { timeZone: string }, id);
			expect(account.timeZone).toBe("Pacific/Auckland");
		});
	});
});

// The loop the product exists for, in two browsers side by side and without a single reload:
// Alice (end user of acme) registers "Mailbox full" from the Email catalog card; it appears in
// the Inbox of Bob (widget-dc's Email Support, the team acme's SLA routes Email to); Bob accepts
// it, adds a note for Alice and an internal one, and waits for her; Alice sees the status and the
// note live, never the internal note, and answers; Bob completes it with a reason; Alice reopens
// it. Then Bob's socket is dropped while Alice writes: after the automatic reconnect his page
// catches up. Relies on the seeded demo (scripts/seed.mjs).
import type { Locator, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const subject = `Mailbox full ${run}`;
const firstNote = `My mailbox says it is full and bounces mail (${run}).`;
const customerNote = `We are enlarging your mailbox now, ${run}. Can you send yourself a test mail?`;
const internalNote = `INTERNAL ${run}: quota raised from 50 to 100 GB on the Exchange cluster`;
// HTML in a note is text, in every account: shown as written, never run.
const answer = `Test mail arrived, <b>thanks</b> <img src=x onerror="window.__xss=1"> (${run}).`;
const draft = `Half-typed thought (${run})`;
const whileAway = `One more thing while your socket was down (${run}).`;

/** Page errors fail the test that caused them: a broken page must not pass by accident. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}


/** Marks the document: if the page reloads, the mark is gone. */
async function markNoReload(page: Page) {
	await page.evaluate(() => {
		(window as unknown as { __noReload?: boolean }).__noReload = true;
	});
}
async function stillNotReloaded(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
}

const liveState = (page: Page) => page.getByTestId("live-indicator").getAttribute("data-state");
const header = (page: Page) => page.locator(".request-header");
const timeline = (page: Page) => page.getByRole("list", { name: "Notes and changes, oldest first" });
const textOf = async (locator: Locator) => (await locator.textContent()) ?? "";

describe("a request, live across two accounts", () => {
	let alice: OpenBrowser;
	let bob: OpenBrowser;
	let a: Page;
	let b: Page;
	const errors: string[][] = [];
	let requestUrlPath = "";

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
		noPageErrors();
	});

	it("opens Bob's teams' Inbox, live, and keeps it open", async () => {
		await b.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inbox", exact: true }).click();
		await b.waitForURL(`${baseUrl}/widget-dc/inbox`);
		await expect.poll(() => b.getByRole("link", { name: "My teams' inbox" }).getAttribute("aria-current")).toBe("page");
		await expect.poll(() => liveState(b)).toBe("live");
		expect(await b.getByRole("row").filter({ hasText: subject }).count()).toBe(0);
		await markNoReload(b);
		noPageErrors();
	});

	it("lets Alice register “Mailbox full” from the Email card of the catalog", async () => {
		await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
		await a.getByRole("link", { name: /^Request this service: Email/ }).click();
		await a.waitForURL((url) => url.pathname === "/acme/requests/new" && url.searchParams.get("provider") === "widget-dc");
		await expect.poll(() => a.getByRole("heading", { name: "New request", level: 1 }).isVisible()).toBe(true);
		await expect.poll(() => a.getByRole("complementary").textContent()).toContain("Widget Data Center");

		// The subject is required: said at the field, nothing sent.
		await a.getByRole("button", { name: "Register request" }).click();
		await expect.poll(() => a.getByText("Say in a few words what it is about.").isVisible()).toBe(true);

		await a.getByLabel("Subject").fill(subject);
		await a.locator("label", { hasText: "Something is broken" }).click();
		await a.locator("label", { hasText: /^Medium/ }).click();
		// What the offering promises for the chosen impact (Email Gold, medium).
		await expect.poll(() => a.getByRole("complementary").textContent()).toMatch(/promises for medium impact.*Response within/);
		await a.getByLabel("What is going on? (optional)").fill(firstNote);
		await a.getByRole("button", { name: "Register request" }).click();
		await a.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
		requestUrlPath = new URL(a.url()).pathname;
		await expect.poll(() => a.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		await expect.poll(() => textOf(header(a))).toContain("Assigned");
		expect(await textOf(a.locator(".request-details"))).toContain("Email Support (Widget Data Center)");
		await expect.poll(() => liveState(a)).toBe("live");
		await markNoReload(a);
		// Alice starts a note and leaves the cursor in it while Bob works: live updates keep both.
		await a.getByLabel("Note", { exact: true }).fill(draft);
		noPageErrors();
	});

	it("shows the new request in Bob's Inbox without a reload, and announces it", async () => {
		const row = b.getByRole("row").filter({ hasText: subject });
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await textOf(row)).toContain("Acme Corporation");
		expect(await textOf(row)).toContain("Assigned");
		await expect.poll(() => b.getByTestId("live-announcer").textContent()).toContain(subject);
		expect(await stillNotReloaded(b)).toBe(true);
		noPageErrors();
	});

	it("lets Bob accept it, add a note for Alice and an internal note, and wait for her", async () => {
		await b.getByRole("row").filter({ hasText: subject }).getByRole("link", { name: subject }).click();
		await b.waitForURL(`${baseUrl}/widget-dc/requests/${requestUrlPath.split("/").pop()}`);
		await expect.poll(() => b.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		expect(await textOf(timeline(b))).toContain(firstNote);

		await b.getByRole("button", { name: "Accept", exact: true }).click();
		await expect.poll(() => textOf(header(b))).toContain("Accepted");

		await b.getByLabel("Note", { exact: true }).fill(customerNote);
		await b.getByRole("button", { name: "Add note" }).click();
		await expect.poll(() => textOf(timeline(b))).toContain(customerNote);

		await b.getByLabel("Note", { exact: true }).fill(internalNote);
		await b.locator("label", { hasText: "Internal — only Widget Data Center sees this" }).click();
		await b.getByRole("button", { name: "Add internal note" }).click();
		const internal = b.getByRole("article", { name: "Internal note from Bob Baker" });
		await expect.poll(() => internal.textContent()).toContain(internalNote);
		expect(await textOf(internal)).toContain("Internal — only Widget Data Center sees this");

		await b.getByLabel("Change status", { exact: true }).selectOption({ label: "Waiting for customer" });
		await b.getByRole("button", { name: "Change status" }).click();
		await expect.poll(() => textOf(header(b))).toContain("Waiting for customer");
		noPageErrors();
	});

	it("shows Alice the new status and Bob's note live, never the internal note", async () => {
		await expect.poll(() => textOf(header(a))).toContain("Waiting for your answer");
		await expect.poll(() => textOf(timeline(a))).toContain(customerNote);
		expect(await textOf(timeline(a))).toContain("Bob Baker");
		expect(await a.content()).not.toContain(internalNote);
		expect(await a.content()).not.toContain(`INTERNAL ${run}`);
		expect(await stillNotReloaded(a)).toBe(true);
		expect(await a.getByLabel("Your answer").inputValue()).toBe(draft);
		expect(await a.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name)).toBe("note");
		noPageErrors();
	});

	it("lets Alice answer, and Bob sees the answer live", async () => {
		await a.getByLabel("Your answer").fill(answer);
		await a.getByRole("button", { name: "Send answer" }).click();
		await expect.poll(() => textOf(timeline(a))).toContain(answer);
		// The answer hands it back to Bob, who is working on it.
		await expect.poll(() => textOf(header(a))).toContain("In progress");
		await expect.poll(() => textOf(timeline(b))).toContain(answer);
		await expect.poll(() => textOf(header(b))).toContain("In progress");
		for (const p of [a, b]) {
			expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
			expect(await timeline(p).locator("img, b").count()).toBe(0);
		}
		expect(await a.content()).not.toContain(internalNote);
		noPageErrors();
	});

	it("lets Bob complete it with a completion reason, live for Alice", async () => {
		await b.getByLabel("Change status", { exact: true }).selectOption({ label: "Completed" });
		await b.getByRole("button", { name: "Complete request" }).click();
		await expect.poll(() => b.getByText("Completing a request needs a completion reason.").isVisible()).toBe(true);
		await b.getByLabel("Completion reason").selectOption("solved");
		await b.getByRole("button", { name: "Complete request" }).click();
		await expect.poll(() => textOf(header(b))).toContain("Completed");
		await expect.poll(() => textOf(header(a))).toContain("Completed");
		await expect.poll(() => textOf(a.locator(".request-details"))).toContain("Solved");
		noPageErrors();
	});

	it("lets Alice reopen it, and Bob sees it open again", async () => {
		await a.getByRole("button", { name: "Reopen" }).click();
		await expect.poll(() => textOf(header(a))).toContain("Assigned");
		await expect.poll(() => textOf(header(b))).toContain("Assigned");
		await expect.poll(() => textOf(b.locator(".request-details"))).toMatch(/Reopened\s*once/);
		expect(await stillNotReloaded(a)).toBe(true);
		expect(await stillNotReloaded(b)).toBe(true);
		noPageErrors();
	});

	it("catches Bob's page up after his socket drops while Alice writes", async () => {
		await expect.poll(() => liveState(b)).toBe("live");
		// Hold Bob's reconnect (its ticket) until Alice's note is in: then it can only arrive by catching up.
		let release: () => void = () => {};
		const held = new Promise<void>((resolve) => {
			release = resolve;
		});
		let asked = 0;
		const hold = async (route: Route) => {
			asked += 1;
			await held;
			await route.continue();
		};
		await b.route("**/api/v1/accounts/widget-dc/realtime/tickets", hold);
		await b.evaluate(() => (window as unknown as { __trustdeskSocket?: { drop(): void } }).__trustdeskSocket?.drop());
		await expect.poll(() => liveState(b)).toBe("reconnecting");
		await expect.poll(() => b.getByTestId("live-indicator").textContent()).toContain("Reconnecting…");
		await expect.poll(() => asked).toBeGreaterThan(0);

		await a.getByLabel("Note", { exact: true }).fill(whileAway);
		await a.getByRole("button", { name: "Add note" }).click();
		await expect.poll(() => textOf(timeline(a))).toContain(whileAway);
		// Give the note time to reach widget-dc: Bob's page must still not have it (no socket).
		await b.waitForTimeout(1_000);
		expect(await textOf(timeline(b))).not.toContain(whileAway);

		release();
		await expect.poll(() => liveState(b)).toBe("live");
		await expect.poll(() => textOf(timeline(b))).toContain(whileAway);
		await b.unroute("**/api/v1/accounts/widget-dc/realtime/tickets", hold);
		expect(await stillNotReloaded(b)).toBe(true);
		noPageErrors();
	});
});

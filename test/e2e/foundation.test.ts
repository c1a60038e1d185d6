// The foundation as people use it: sign up, sign out and in again, switch between accounts,
// create a team, and the demo sign-ins, all in the real portal in Chromium.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const accountId = `e2e-${run}`;
const secondAccountId = `e2e-${run}-two`;
const email = `owner-${run}@example.test`;
const password = "e2e password 123";

/** Page errors fail the test that caused them: a broken page must not pass by accident. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}

async function signIn(page: Page, who: string, pw: string) {
	await page.getByLabel("E-mail address").fill(who);
	await page.getByLabel("Password").fill(pw);
	await page.getByRole("button", { name: "Sign in" }).click();
}

/** Kobalte checkboxes are toggled through their label, as a person clicks them. */
async function tick(page: Page, label: string) {
	await page.locator("label", { hasText: label }).first().click();
}

describe("portal foundation", () => {
	let browser: OpenBrowser;
	let page: Page;
	let errors: string[];

	beforeAll(async () => {
		browser = await openBrowser();
		page = browser.page;
		errors = watchErrors(page);
	});
	afterAll(async () => {
		await browser?.close();
	});

	it("signs up a new account and lands on its home page", async () => {
		await page.goto(`${baseUrl}/signup`);
		await page.getByLabel("Organisation name").fill(`E2E Services ${run}`);
		await page.getByLabel("Account id").fill(accountId);
		await page.getByLabel("Your name").fill("Olivia Owner");
		await page.getByLabel("Your e-mail address").fill(email);
		await page.getByLabel("Password").fill(password);
		await page.getByRole("button", { name: "Create account" }).click();
		await page.waitForURL(`${baseUrl}/${accountId}/`);
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Olivia" }).isVisible()).toBe(true);
		await expect.poll(() => page.getByText("Account administrator").first().isVisible()).toBe(true);
		expect(errors).toEqual([]);
	});

	it("signs out and signs in again, back in the same account", async () => {
		await page.getByRole("button", { name: /Signed in as Olivia Owner/ }).click();
		await page.getByRole("menuitem", { name: "Sign out" }).click();
		await page.waitForURL(`${baseUrl}/signin`);
		await signIn(page, email, "wrong password!");
		await expect.poll(() => page.getByRole("alert").textContent()).toContain("Wrong e-mail address or password");
		await signIn(page, email, password);
		await page.waitForURL(`${baseUrl}/${accountId}/`);
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Olivia" }).isVisible()).toBe(true);
		expect(errors).toEqual([]);
	});

	it("creates a second account and switches between the two", async () => {
		await page.getByRole("button", { name: /Switch account/ }).click();
		await page.getByRole("menuitem", { name: "Create another account…" }).click();
		await page.waitForURL(`${baseUrl}/signup`);
		await page.getByLabel("Organisation name").fill(`E2E Second ${run}`);
		await page.getByLabel("Account id").fill(secondAccountId);
		await page.getByRole("button", { name: "Create account" }).click();
		await page.waitForURL(`${baseUrl}/${secondAccountId}/`);
		await expect.poll(() => page.getByRole("link", { name: `E2E Second ${run}` }).isVisible()).toBe(true);

		await page.getByRole("button", { name: /Switch account/ }).click();
		await page.getByRole("menuitem", { name: new RegExp(`^E2E Services ${run}`) }).click();
		await page.waitForURL(`${baseUrl}/${accountId}/`);
		await expect.poll(() => page.getByRole("link", { name: `E2E Services ${run}` }).isVisible()).toBe(true);
		expect(errors).toEqual([]);
	});

	it("invites a specialist, who joins from the link, and creates a team with them as coordinator", async () => {
		await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "People" }).click();
		await page.getByRole("button", { name: "Invite person" }).click();
		const dialog = page.getByRole("dialog", { name: "Invite a person" });
		await dialog.getByLabel("Name").fill("Sid Specialist");
		await dialog.getByLabel("E-mail address").fill(`sid-${run}@example.test`);
		await tick(page, "Specialist");
		await dialog.getByRole("button", { name: "Invite person" }).click();
		const link = dialog.getByTestId("invitation-link");
		await expect.poll(() => link.isVisible()).toBe(true);
		const acceptUrl = (await link.textContent())?.trim() ?? "";
		await dialog.getByRole("button", { name: "Done" }).click();
		// Pending until Sid answers: listed under Invitations, not among the people.
		const invitation = page.getByRole("row", { name: "Invitation of Sid Specialist" });
		await expect.poll(() => invitation.isVisible()).toBe(true);
		expect(await invitation.textContent()).toContain("Pending");
		expect(await page.getByRole("cell", { name: "Sid Specialist", exact: true }).count()).toBe(1);

		// Sid, in his own browser, creates his sign-in from the link and is in.
		const sid = await openBrowser();
		try {
			await sid.page.goto(acceptUrl);
			await sid.page.getByLabel("Choose a password").fill("sid's own passphrase");
			await sid.page.getByRole("button", { name: "Create sign-in and join" }).click();
			await sid.page.waitForURL(`${baseUrl}/${accountId}/`);
			await expect.poll(() => sid.page.getByRole("heading", { name: "Welcome, Sid" }).isVisible()).toBe(true);
		} finally {
			await sid.close();
		}
		await page.reload();
		await expect.poll(() => page.getByRole("row", { name: "Invitation of Sid Specialist" }).textContent()).toContain("Accepted");
		expect(await page.getByRole("cell", { name: "Sid Specialist", exact: true }).count()).toBe(2);

		await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Teams" }).click();
		await page.getByRole("button", { name: "New team" }).click();
		const teamDialog = page.getByRole("dialog", { name: "New team" });
		await teamDialog.getByLabel("Team name").fill("Night Shift");
		await teamDialog.getByLabel("Description").fill("Covers the hours nobody else wants.");
		await tick(page, "Sid Specialist");
		await teamDialog.getByLabel("Coordinator").selectOption({ label: "Sid Specialist" });
		await teamDialog.getByRole("button", { name: "Create team" }).click();

		const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Night Shift" }) });
		await expect.poll(() => card.isVisible()).toBe(true);
		expect(await card.textContent()).toContain("Coordinator: Sid Specialist");

		// The team is really stored: the API agrees after a reload.
		await page.reload();
		await expect.poll(() => page.getByRole("heading", { name: "Night Shift" }).isVisible()).toBe(true);
		expect(errors).toEqual([]);
	});

	it("shows a clear message when a team name is taken", async () => {
		await page.getByRole("button", { name: "New team" }).click();
		const teamDialog = page.getByRole("dialog", { name: "New team" });
		await teamDialog.getByLabel("Team name").fill("night shift");
		await teamDialog.getByRole("button", { name: "Create team" }).click();
		await expect.poll(() => teamDialog.getByRole("alert").textContent()).toContain("already exists");
		await teamDialog.getByRole("button", { name: "Cancel" }).click();
		expect(errors).toEqual([]);
	});
});

describe("demo sign-ins", () => {
	let browser: OpenBrowser;
	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it("lets Carl switch between widget-dc and acme, each in its own design", async () => {
		const page = browser.page;
		const errors = watchErrors(page);
		await page.goto(`${baseUrl}/widget-dc/`);
		// A visitor sees the account's own branded sign-in.
		await expect.poll(() => page.getByRole("heading", { name: "Sign in to Widget Data Center Service Desk" }).isVisible()).toBe(true);
		await signIn(page, "carl@widget-dc.example", "trustdesk-demo");
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Carl" }).isVisible()).toBe(true);
		const brand = async () => page.evaluate(() => getComputedStyle(document.querySelector(".brand-mark") as Element).backgroundColor);
		expect(await brand()).toBe("rgb(11, 92, 173)");

		await page.getByRole("button", { name: /Switch account/ }).click();
		await page.getByRole("menuitem", { name: /^Acme Corporation/ }).click();
		await page.waitForURL(`${baseUrl}/acme/`);
		await expect.poll(() => page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Settings" }).isVisible()).toBe(true);
		await expect.poll(brand).toBe("rgb(185, 28, 28)");
		expect(errors).toEqual([]);
	});

	it("keeps Alice, an end user, out of administration and out of other accounts", async () => {
		const other = await openBrowser();
		try {
			const page = other.page;
			await page.goto(`${baseUrl}/signin`);
			await signIn(page, "alice@acme.example", "trustdesk-demo");
			await page.waitForURL(`${baseUrl}/acme/`);
			await expect.poll(() => page.getByRole("heading", { name: "Welcome, Alice" }).isVisible()).toBe(true);
			const nav = page.getByRole("navigation", { name: "Account" });
			expect(await nav.getByRole("link").allTextContents()).toEqual(["Home", "Catalog", "My requests"]);
			await page.goto(`${baseUrl}/widget-dc/`);
			await expect.poll(() => page.getByRole("heading", { name: /No access to/ }).isVisible()).toBe(true);
		} finally {
			await other.close();
		}
	});
});

// Joining another account takes consent: Initech's administrator (Ian) invites Grace, who already
// signs in to Globex. Until she accepts, nothing changes for her: no new account in her switcher,
// no access to Initech's URL. She accepts on her home page and switches to Initech. Two browsers,
// side by side.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn as signInAs } from "./browser";

const baseUrl = inject("baseUrl");
const PASSWORD = "trustdesk-demo";

function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}

async function signIn(page: Page, accountId: string, email: string) {
	await signInAs(page, accountId, email, undefined, PASSWORD);
}

/** The names in the account switcher, as the person sees them when opening it. */
async function switcherAccounts(page: Page): Promise<string[]> {
	await page.getByRole("button", { name: /Switch account/ }).click();
	const menu = page.getByRole("menu");
	await expect.poll(() => menu.isVisible()).toBe(true);
	const labels = await menu.locator(".menu-item-label").allTextContents();
	await page.keyboard.press("Escape");
	await expect.poll(() => menu.isVisible()).toBe(false);
	return labels.filter((l) => !l.startsWith("Create another account"));
}

describe("inviting a person of another account", () => {
	let ianBrowser: OpenBrowser;
	let graceBrowser: OpenBrowser;
	let ian: Page;
	let grace: Page;
	const errors: string[][] = [];

	beforeAll(async () => {
		[ianBrowser, graceBrowser] = await Promise.all([openBrowser(), openBrowser()]);
		ian = ianBrowser.page;
		grace = graceBrowser.page;
		errors.push(watchErrors(ian), watchErrors(grace));
		await Promise.all([signIn(ian, "initech", "ian@initech.example"), signIn(grace, "globex", "grace@globex.example")]);
	});
	afterAll(async () => {
		await Promise.all([ianBrowser?.close(), graceBrowser?.close()]);
	});
	const noPageErrors = () => expect(errors.flat()).toEqual([]);

	it("Ian invites Grace as a specialist; the invitation waits as pending", async () => {
		await ian.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "People", exact: true }).click();
		await expect.poll(() => ian.getByRole("heading", { level: 1, name: "People" }).isVisible()).toBe(true);
		await ian.getByRole("button", { name: "Invite person" }).click();
		const dialog = ian.getByRole("dialog", { name: "Invite a person" });
		await dialog.getByLabel("Name").fill("Grace Gill");
		await dialog.getByLabel("E-mail address").fill("grace@globex.example");
		await dialog.locator("label", { hasText: "End user" }).first().click(); // off: only Specialist
		await dialog.locator("label", { hasText: "Specialist" }).first().click();
		await dialog.getByRole("button", { name: "Invite person" }).click();
		// The same answer as for anyone: an invitation and its link, not "added".
		await expect.poll(() => dialog.getByText("Grace Gill is invited.").isVisible()).toBe(true);
		await dialog.getByRole("button", { name: "Done" }).click();

		const row = ian.getByRole("row", { name: "Invitation of Grace Gill" });
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await row.textContent()).toContain("Pending");
		expect(await row.textContent()).toContain("Specialist");
		const people = ian.getByRole("region", { name: "People" });
		expect(await people.getByText("grace@globex.example").count()).toBe(0);
		noPageErrors();
	});

	it("changes nothing for Grace until she accepts: no new account, no access to Initech", async () => {
		await grace.reload();
		await expect.poll(() => grace.getByRole("heading", { level: 1, name: "Welcome, Grace" }).isVisible()).toBe(true);
		expect(await switcherAccounts(grace)).toEqual(["Globex"]);

		await grace.goto(`${baseUrl}/initech/`);
		await expect.poll(() => grace.getByRole("heading", { name: "No access to “initech”" }).isVisible()).toBe(true);
		await grace.goto(`${baseUrl}/initech/people`);
		await expect.poll(() => grace.getByRole("heading", { name: "No access to “initech”" }).isVisible()).toBe(true);
		noPageErrors();
	});

	it("shows Grace the invitation on her home; she accepts and is taken to Initech", async () => {
		await grace.goto(`${baseUrl}/globex/`);
		const card = grace.getByRole("region", { name: "Invitations for you" });
		await expect.poll(() => card.isVisible()).toBe(true);
		expect(await card.textContent()).toContain("Initech invites you to join as Specialist");
		expect(await card.textContent()).toContain("Invited by Ian Irwin");

		await card.getByRole("button", { name: "Accept the invitation to Initech" }).click();
		await grace.waitForURL(`${baseUrl}/initech/`);
		await expect.poll(() => grace.getByRole("heading", { level: 1, name: "Welcome, Grace" }).isVisible()).toBe(true);
		await expect.poll(() => grace.getByRole("link", { name: "Initech", exact: false }).first().isVisible()).toBe(true);
		// Her roles here are the invited ones: a specialist sees the Inbox and People.
		const nav = grace.getByRole("navigation", { name: "Account" });
		await expect.poll(() => nav.getByRole("link", { name: "Inbox" }).isVisible()).toBe(true);
		noPageErrors();
	});

	it("lets Grace switch between Globex and Initech, and the invitation is gone from her home", async () => {
		expect(await switcherAccounts(grace)).toEqual(["Globex", "Initech"]);
		await grace.getByRole("button", { name: /Switch account/ }).click();
		await grace.getByRole("menuitem", { name: /^Globex/ }).click();
		await grace.waitForURL(`${baseUrl}/globex/`);
		await expect.poll(() => grace.getByRole("heading", { level: 1, name: "Welcome, Grace" }).isVisible()).toBe(true);
		expect(await grace.getByRole("region", { name: "Invitations for you" }).count()).toBe(0);

		await grace.getByRole("button", { name: /Switch account/ }).click();
		await grace.getByRole("menuitem", { name: /^Initech/ }).click();
		await grace.waitForURL(`${baseUrl}/initech/`);
		await expect.poll(() => grace.getByRole("heading", { level: 1, name: "Welcome, Grace" }).isVisible()).toBe(true);
		noPageErrors();
	});

	it("shows Ian that Grace accepted, and Grace among Initech's people", async () => {
		await ian.reload();
		const row = ian.getByRole("row", { name: "Invitation of Grace Gill" });
		await expect.poll(() => row.textContent()).toContain("Accepted");
		const people = ian.getByRole("region", { name: "People" });
		await expect.poll(() => people.getByText("grace@globex.example").isVisible()).toBe(true);
		noPageErrors();
	});
});

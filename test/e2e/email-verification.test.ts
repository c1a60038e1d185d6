// E-mail verification, as a new administrator sees it: after signing up, a banner asks to confirm
// the address (with "Send the link again"); the link from the local mailbox confirms it, and the
// banner is gone.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const accountId = `verify-${run}`;
const email = `vera-${run}@example.test`;

/** The newest confirmation link in the mailbox, as a path on this server. */
async function verifyLinkFromMailbox(): Promise<string | undefined> {
	const res = await fetch(`${baseUrl}/api/dev/mailbox?format=json&to=${encodeURIComponent(email)}`);
	const { messages } = (await res.json()) as { messages: { links: string[] }[] };
	const link = messages.flatMap((m) => m.links).find((l) => /\/verify-email\?token=[A-Za-z0-9_-]{43}$/.test(l));
	if (!link) return undefined;
	const url = new URL(link);
	return `${url.pathname}${url.search}`;
}

describe("confirming one's e-mail address", () => {
	let browser: OpenBrowser;
	let page: Page;
	const errors: string[] = [];
	const banner = () => page.getByRole("region", { name: "Confirm your e-mail address" });

	beforeAll(async () => {
		browser = await openBrowser();
		page = browser.page;
		page.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await browser?.close();
	});

	it("after signing up, a banner asks for it and sends the link again on request", async () => {
		await page.goto(`${baseUrl}/signup`);
		await page.getByLabel("Organisation name").fill(`Verify ${run}`);
		await page.getByLabel("Account id").fill(accountId);
		await page.getByLabel("Your name").fill("Vera Verify");
		await page.getByLabel("Your e-mail address").fill(email);
		await page.getByLabel("Password").fill("vera's own passphrase");
		await page.getByRole("button", { name: "Create account" }).click();
		await page.waitForURL(`${baseUrl}/${accountId}/`);
		await expect.poll(() => banner().isVisible()).toBe(true);
		expect(await banner().textContent()).toContain(email);
		await expect.poll(verifyLinkFromMailbox).toBeDefined();
		const first = await verifyLinkFromMailbox();

		await banner().getByRole("button", { name: "Send the link again" }).click();
		await expect.poll(() => banner().getByRole("status").textContent()).toContain("A new confirmation link is on its way");
		await expect.poll(verifyLinkFromMailbox).not.toBe(first);
	});

	it("the link from the mailbox confirms it, and the banner is gone", async () => {
		const link = await verifyLinkFromMailbox();
		await page.goto(`${baseUrl}${link}`);
		await expect.poll(() => page.getByText(`${email} is confirmed`).isVisible()).toBe(true);
		await page.getByRole("link", { name: "Continue" }).click();
		await page.waitForURL(`${baseUrl}/${accountId}/`);
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Vera" }).isVisible()).toBe(true);
		expect(await banner().count()).toBe(0);
		expect(errors).toEqual([]);
	});
});

// Password reset, as Peter (Initech) would do it: "Forgot your password?" on his portal's sign-in,
// the link from the e-mail in the local mailbox, a new password, and signing in with it. His old
// password no longer works.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const EMAIL = "peter@initech.example";
const OLD_PASSWORD = "trustdesk-demo";
const NEW_PASSWORD = "a brand new passphrase";

/** The newest reset link in Peter's local mailbox, as a path on this server. */
async function resetLinkFromMailbox(): Promise<string | undefined> {
	const res = await fetch(`${baseUrl}/api/dev/mailbox?format=json&to=${encodeURIComponent(EMAIL)}`);
	const { messages } = (await res.json()) as { messages: { subject: string; links: string[] }[] };
	const link = messages.flatMap((m) => m.links).find((l) => /\/reset-password\?token=[A-Za-z0-9_-]{43}$/.test(l));
	if (!link) return undefined;
	const url = new URL(link);
	return `${url.pathname}${url.search}`;
}

async function signInStatus(password: string): Promise<number> {
	const res = await fetch(`${baseUrl}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: EMAIL, password }) });
	await res.body?.cancel();
	return res.status;
}

describe("forgot password", () => {
	let browser: OpenBrowser;
	let page: Page;
	const errors: string[] = [];

	beforeAll(async () => {
		browser = await openBrowser();
		page = browser.page;
		page.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await browser?.close();
	});

	it("asks for a link from the portal's sign-in page", async () => {
		await page.goto(`${baseUrl}/initech/`);
		await page.getByLabel("E-mail address").fill(EMAIL);
		await page.getByRole("link", { name: "Forgot your password?" }).click();
		await expect.poll(() => page.getByRole("heading", { level: 1, name: "Forgot your password?" }).isVisible()).toBe(true);
		expect(await page.getByLabel("E-mail address").inputValue()).toBe(EMAIL);
		await page.getByRole("button", { name: "Send me a link" }).click();
		await expect.poll(() => page.getByText(/an e-mail with a link to choose a new password is on its way/).isVisible()).toBe(true);
	});

	it("follows the link from the mailbox and sets a new password, then signs in with it", async () => {
		await expect.poll(resetLinkFromMailbox).toBeDefined();
		const link = await resetLinkFromMailbox();
		await page.goto(`${baseUrl}${link}`);
		await expect.poll(() => page.getByRole("heading", { level: 1, name: "Choose a new password" }).isVisible()).toBe(true);
		await expect.poll(() => page.getByText(EMAIL).first().isVisible()).toBe(true);
		await page.getByLabel("New password").fill(NEW_PASSWORD);
		await page.getByRole("button", { name: "Set new password" }).click();
		await expect.poll(() => page.getByText("Your new password is set.").isVisible()).toBe(true);

		await page.getByRole("link", { name: "Sign in" }).click();
		await page.getByLabel("E-mail address").fill(EMAIL);
		await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => page.getByRole("heading", { level: 1, name: /^Welcome/ }).isVisible()).toBe(true);
		expect(page.url()).toBe(`${baseUrl}/initech/`);

		expect(await signInStatus(OLD_PASSWORD)).toBe(401);
		// The link worked once.
		await page.goto(`${baseUrl}${link}`);
		await expect.poll(() => page.getByText(/This link does not work any more/).isVisible()).toBe(true);
		expect(errors).toEqual([]);
	});
});

// Chromium for the browser tests. Each openBrowser() is an independent browser with its own
// profile (cookies, storage), so two calls give two people signed in side by side.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";
import { findChromium } from "../../scripts/lib/chromium.mjs";

const ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

export interface OpenBrowser {
	context: BrowserContext;
	/** The first tab (a persistent context opens with one). */
	page: Page;
	/** Closes the browser and deletes its profile directory. */
	close(): Promise<void>;
}

/** `timezoneId`: the browser's time zone (an IANA name), for pages that show instants. */
export async function openBrowser(options: { timezoneId?: string } = {}): Promise<OpenBrowser> {
	const executablePath = findChromium();
	if (!executablePath) throw new Error("No Chromium found: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.");
	const profileDir = mkdtempSync(path.join(os.tmpdir(), "trustdesk-chromium-"));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profileDir, { executablePath, headless: true, args: ARGS, ...options });
	} catch (err) {
		rmSync(profileDir, { recursive: true, force: true });
		throw err;
	}
	const page = context.pages()[0] ?? (await context.newPage());
	let closed = false;
	return {
		context,
		page,
		async close() {
			if (closed) return;
			closed = true;
			try {
				await context.close();
			} finally {
				rmSync(profileDir, { recursive: true, force: true });
			}
		},
	};
}

/** The password every seeded demo person has (scripts/seed.mjs). */
export const DEMO_PASSWORD = "trustdesk-demo";

/**
 * Signs a person in on their account's portal and waits for the home page ("Welcome, <first
 * name>", or any welcome when no first name is given). Uses waitFor rather than expect.poll, so
 * it also works in beforeAll.
 */
export async function signIn(page: Page, accountId: string, email: string, firstName?: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto(`${inject("baseUrl")}/${accountId}/`);
	await page.getByLabel("E-mail address").fill(email);
	await page.getByLabel("Password", { exact: true }).fill(password);
	await page.getByRole("button", { name: "Sign in" }).click();
	const welcome = firstName === undefined ? /^Welcome/ : `Welcome, ${firstName}`;
	await page.getByRole("heading", { level: 1, name: welcome }).waitFor({ state: "visible", timeout: 20_000 });
}

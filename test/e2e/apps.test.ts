// The Apps page (issue 11): Wendy, widget-dc's administrator, offers an app whose endpoint is a
// receiver started here, copies its signing secret (shown once) and publishes it to every account
// that trusts widget-dc. Anna, acme's administrator, installs it with its configuration form: the
// receiver gets app.installed with the token (verified with the standardwebhooks library), the
// token works within its scopes only, and Uninstall revokes it and tells the app.
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startReceiver } from "../../scripts/webhook-receiver.mjs";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const appPath = `e2e-app-${Date.now().toString(36)}`;
const APP = `E2E Monitor ${Date.now().toString(36)}`;

async function signIn(page: Page, account: string, email: string, welcome: string) {
	await page.goto(`${baseUrl}/${account}/`);
	await page.getByLabel("E-mail address").fill(email);
	await page.getByLabel("Password").fill("trustdesk-demo");
	await page.getByRole("button", { name: "Sign in" }).click();
	await expect.poll(() => page.getByRole("heading", { name: welcome }).isVisible()).toBe(true);
	await page.getByRole("link", { name: "Apps" }).click();
	await page.waitForURL(`${baseUrl}/${account}/apps`);
	await expect.poll(() => page.getByRole("heading", { name: "Apps", level: 1 }).isVisible()).toBe(true);
}

describe("the Apps page", () => {
	let wendy: OpenBrowser;
	let anna: OpenBrowser;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	let secret = "";
	let token = "";
	const errors: string[] = [];

	beforeAll(async () => {
		receiver = await startReceiver({ quiet: true });
		wendy = await openBrowser();
		anna = await openBrowser();
		for (const b of [wendy, anna]) b.page.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await wendy?.close();
		await anna?.close();
		await receiver?.close();
	});

	const received = async () =>
		((await (await fetch(`${receiver.url}/received/${appPath}`)).json()) as { headers: Record<string, string>; body: string }[]).map(
			(d) => new Webhook(secret).verify(d.body, d.headers) as { type: string; data: Record<string, unknown> },
		);

	it("Wendy offers an app, sees its signing secret once, and publishes it", async () => {
		const page = wendy.page;
		await signIn(page, "widget-dc", "wendy@widget-dc.example", "Welcome, Wendy");
		await page.getByRole("button", { name: "New app offering" }).click();
		await page.getByLabel("Name", { exact: true }).fill(APP);
		await page.getByLabel("App endpoint URL").fill(`${receiver.url}/${appPath}`);
		// Kobalte's checkbox: its box takes the click, not the (visually hidden) input.
		await page.getByRole("dialog").getByText("teams:read", { exact: true }).click();
		await expect.poll(() => page.getByRole("checkbox", { name: "teams:read" }).isChecked()).toBe(true);
		await page.getByRole("button", { name: "Add field" }).click();
		await page.getByLabel("Key", { exact: true }).fill("site");
		await page.getByLabel("Label", { exact: true }).fill("Site name");
		await page.getByRole("dialog").getByText("Required", { exact: true }).click();
		await expect.poll(() => page.getByRole("checkbox", { name: "Required" }).isChecked()).toBe(true);
		await page.getByRole("button", { name: "Create app offering" }).click();
		const shown = page.getByTestId("app-signing-secret");
		await expect.poll(() => shown.isVisible()).toBe(true);
		secret = ((await shown.locator(".spacer").textContent()) ?? "").trim();
		expect(secret).toMatch(/^whsec_/);
		await page.getByRole("button", { name: "Done" }).click();
		await page.getByRole("button", { name: `Publish ${APP}` }).click();
		await page.getByLabel("Published to").selectOption("all");
		await page.getByRole("button", { name: "Save" }).click();
		await expect.poll(() => page.getByRole("row", { name: APP }).textContent()).toContain("All trusting accounts");
		expect(await page.content()).not.toContain(secret);
	});

	it("Anna installs it with its configuration: the app gets a token with exactly its scopes", async () => {
		const page = anna.page;
		await signIn(page, "acme", "anna@acme.example", "Welcome, Anna");
		await page.getByRole("button", { name: `Install ${APP}` }).click();
		const dialog = page.getByRole("dialog", { name: `Install ${APP}` });
		await expect.poll(() => dialog.getByRole("list", { name: "Scopes to grant" }).textContent()).toContain("teams:read");
		await dialog.getByRole("button", { name: "Install app" }).click();
		await expect.poll(() => dialog.getByText("Site name is required.").isVisible()).toBe(true);
		await dialog.getByLabel("Site name").fill("Acme HQ");
		await dialog.getByRole("button", { name: "Install app" }).click();
		const row = page.getByRole("table", { name: "Installed apps" }).getByRole("row", { name: APP });
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await row.textContent()).toContain("Anna Adams");
		await expect.poll(async () => (await received()).filter((d) => d.type === "app.installed").length, { timeout: 20_000 }).toBe(1);
		const installed = (await received()).find((d) => d.type === "app.installed");
		expect(installed?.data).toMatchObject({ account: { id: "acme" }, scopes: ["teams:read"], config: { site: "Acme HQ" } });
		token = String(installed?.data.token);
		const asApp = (path: string) => fetch(`${baseUrl}/api/v1/accounts/acme${path}`, { headers: { Authorization: `Bearer ${token}` } });
		expect((await asApp("/teams")).status).toBe(200);
		expect((await asApp("/people")).status).toBe(403);
	});

	it("Anna uninstalls it: the token stops working and the app is told", async () => {
		const page = anna.page;
		await page.getByRole("button", { name: `Uninstall ${APP}` }).click();
		await page.getByRole("alertdialog").getByRole("button", { name: "Uninstall" }).click();
		await expect.poll(() => page.getByRole("table", { name: "Installed apps" }).getByRole("row", { name: APP }).count()).toBe(0);
		expect((await fetch(`${baseUrl}/api/v1/accounts/acme/teams`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
		await expect.poll(async () => (await received()).map((d) => d.type), { timeout: 20_000 }).toEqual(["app.installed", "app.uninstalled"]);
		expect(errors).toEqual([]);
	});
});

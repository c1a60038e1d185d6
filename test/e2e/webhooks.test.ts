// The Webhooks page (issue 11): Wendy, widget-dc's administrator, subscribes a receiver (a tiny
// Node server started here, scripts/webhook-receiver.mjs) to request events, copies the secret
// shown once, sends a test event, sees it delivered in the log (code 200) and redelivers it. The
// receiver's deliveries verify with the standardwebhooks library under the secret she saw.
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startReceiver } from "../../scripts/webhook-receiver.mjs";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const path = `e2e-${Date.now().toString(36)}`;

describe("the Webhooks page", () => {
	let browser: OpenBrowser;
	let page: Page;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	let secret = "";
	const errors: string[] = [];

	beforeAll(async () => {
		receiver = await startReceiver({ quiet: true });
		browser = await openBrowser();
		page = browser.page;
		page.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await browser?.close();
		await receiver?.close();
	});

	const received = async () => (await (await fetch(`${receiver.url}/received/${path}`)).json()) as { headers: Record<string, string>; body: string }[];

	it("Wendy opens Webhooks from her home page", async () => {
		await page.goto(`${baseUrl}/widget-dc/`);
		await page.getByLabel("E-mail address").fill("wendy@widget-dc.example");
		await page.getByLabel("Password").fill("trustdesk-demo");
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Wendy" }).isVisible()).toBe(true);
		await page.getByRole("link", { name: "Webhooks" }).click();
		await page.waitForURL(`${baseUrl}/widget-dc/webhooks`);
		await expect.poll(() => page.getByRole("heading", { name: "Webhooks", level: 1 }).isVisible()).toBe(true);
	});

	it("creates an endpoint and sees its secret once", async () => {
		await page.getByRole("button", { name: "New endpoint" }).click();
		await page.getByLabel("URL").fill(`${receiver.url}/${path}`);
		await page.getByLabel("Description").fill("E2E receiver");
		await page.getByRole("button", { name: "Create endpoint" }).click();
		const shown = page.getByTestId("webhook-secret");
		await expect.poll(() => shown.isVisible()).toBe(true);
		secret = (await shown.locator(".spacer").textContent()) ?? "";
		expect(secret).toMatch(/^whsec_/);
		await page.getByRole("button", { name: "Done" }).click();
		const card = page.getByTestId("webhook-endpoint").filter({ hasText: `${receiver.url}/${path}` });
		await expect.poll(() => card.isVisible()).toBe(true);
		expect(await card.textContent()).toContain("request.*");
		expect(await page.content()).not.toContain(secret);
	});

	it("sends a test event, sees it delivered with code 200, and redelivers it", async () => {
		const card = page.getByTestId("webhook-endpoint").filter({ hasText: `${receiver.url}/${path}` });
		await card.getByRole("button", { name: "Delivery log" }).click();
		await card.getByRole("button", { name: "Send test event" }).click();
		await expect.poll(async () => (await received()).length, { timeout: 10_000 }).toBe(1);
		const row = card.getByTestId("webhook-delivery").first();
		await expect
			.poll(
				async () => {
					await card.getByRole("button", { name: "Refresh log" }).click();
					return row.textContent();
				},
				{ timeout: 10_000 },
			)
			.toContain("Delivered");
		expect(await row.getByTestId("response-code").textContent()).toBe("200");
		expect(await row.textContent()).toContain("webhook.test");
		await row.getByRole("button", { name: "Redeliver" }).click();
		await expect.poll(async () => (await received()).length, { timeout: 10_000 }).toBe(2);
		const [first, again] = await received();
		const wh = new Webhook(secret);
		expect((wh.verify(first!.body, first!.headers) as { type: string }).type).toBe("webhook.test");
		wh.verify(again!.body, again!.headers);
		expect(again!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
		expect(errors).toEqual([]);
	});
});

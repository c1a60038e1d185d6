// A lost answer in a real browser, the story: Alice registers a request, and the
// connection drops after the server has committed it; she sees "Cannot reach Trustdesk" and sends
// the form again. The portal sends the same Idempotency-Key both times, so there is one request
// and she lands on it. The same for a note. Relies on the seeded demo (scripts/seed.mjs).
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { InboxPage } from "../../worker/shared/request-api";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const subject = `Printer jammed ${run}`;
const note = `Tried turning it off and on (${run}).`;

/**
 * Lets the first POST to `pattern` reach the server, then cuts the connection before the browser
 * sees the answer; later ones pass. Returns the Idempotency-Key of every POST.
 */
async function loseFirstAnswer(page: Page, pattern: string): Promise<string[]> {
	const keys: string[] = [];
	let cut = false;
	await page.route(pattern, async (route: Route) => {
		if (route.request().method() !== "POST") return route.continue();
		keys.push((await route.request().allHeaders())["idempotency-key"] ?? "(none)");
		if (cut) return route.continue();
		cut = true;
		const committed = await route.fetch();
		expect(committed.status()).toBeLessThan(300);
		await route.abort("connectionreset");
	});
	return keys;
}

async function myRequests(page: Page): Promise<InboxPage> {
	const res = await page.context().request.get(`${baseUrl}/api/v1/accounts/acme/requests?scope=mine&limit=100`);
	expect(res.status()).toBe(200);
	return (await res.json()) as InboxPage;
}

describe("sending again after a lost answer", () => {
	let alice: OpenBrowser;
	let page: Page;
	const errors: string[] = [];

	beforeAll(async () => {
		alice = await openBrowser();
		page = alice.page;
		page.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await alice?.close();
	});

	it("registers one request when Alice sends the form again", async () => {
		await page.goto(`${baseUrl}/acme/`);
		await page.getByLabel("E-mail address").fill("alice@acme.example");
		await page.getByLabel("Password").fill("trustdesk-demo");
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Alice" }).isVisible()).toBe(true);
		await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
		await page.getByRole("link", { name: /^Request this service: Email/ }).click();
		await page.waitForURL((url) => url.pathname === "/acme/requests/new");
		await page.getByLabel("Subject").fill(subject);

		const keys = await loseFirstAnswer(page, "**/api/v1/accounts/acme/requests");
		await page.getByRole("button", { name: "Register request" }).click();
		await expect.poll(() => page.getByText("Cannot reach Trustdesk").isVisible()).toBe(true);
		expect((await myRequests(page)).items.filter((r) => r.subject === subject)).toHaveLength(1);

		await page.getByRole("button", { name: "Register request" }).click();
		await page.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
		await expect.poll(() => page.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
		expect(keys[1]).toBe(keys[0]);
		const mine = (await myRequests(page)).items.filter((r) => r.subject === subject);
		expect(mine).toHaveLength(1);
		expect(new URL(page.url()).pathname).toBe(`/acme/requests/${mine[0]?.id}`);
		expect(errors).toEqual([]);
	});

	it("adds one note when Alice sends it again, and a later note of hers gets a new key", async () => {
		const keys = await loseFirstAnswer(page, "**/api/v1/accounts/acme/requests/*/actions");
		const timeline = page.getByRole("list", { name: "Notes and changes, oldest first" });
		await page.getByLabel("Note", { exact: true }).fill(note);
		await page.getByRole("button", { name: "Add note" }).click();
		await expect.poll(() => page.getByText("Cannot reach Trustdesk").isVisible()).toBe(true);
		await page.getByRole("button", { name: "Add note" }).click();
		await expect.poll(async () => (await timeline.textContent()) ?? "").toContain(note);
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(keys[0]);
		// The live frame can show the note before the form has its answer: wait for the form.
		await expect.poll(() => page.getByRole("button", { name: "Add note" }).isEnabled()).toBe(true);

		await page.getByLabel("Note", { exact: true }).fill(`${note} Still jammed.`);
		await page.getByRole("button", { name: "Add note" }).click();
		await expect.poll(async () => (await timeline.textContent()) ?? "").toContain("Still jammed.");
		expect(keys).toHaveLength(3);
		expect(keys[2]).not.toBe(keys[0]);
		const count = await timeline.getByText(note, { exact: true }).count();
		expect(count).toBe(1);
		expect(errors).toEqual([]);
	});
});

// Trusts, received SLAs and the catalog are live, in three browsers and without a reload: a new
// customer's administrator asks Widget Data Center (Wendy) for a trust; it shows on Wendy's Trusts
// page, then on her home, where she accepts it; the customer's page shows it active. Wendy gives
// the customer an SLA and activates it: the customer's received SLAs and its end user's catalog
// show it; she expires it: they drop it. The customer ends the trust: Wendy's page shows it ended.
// The customer is created for this test (the demo's customers keep their state for other tests).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn as signInAs } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const customer = { id: `live-${run}`, name: `Live Customer ${run}`, admin: "Lena Live", email: `lena-${run}@live.example`, password: "Quiet-harbour-maple-42" };
const endUser = { name: "Ed Enduser", email: `ed-${run}@live.example`, password: "Copper-lantern-river-17" };
const slaName = `Email Silver for Live ${run}`;
const provider = { id: "widget-dc", name: "Widget Data Center" };

interface ApiCaller {
	cookie: string;
	csrf: string;
}

/** The JSON API from Node, as a signed-in person (cookie and CSRF token). */
async function api<T>(path: string, as: ApiCaller | null, body?: unknown, method = body === undefined ? "GET" : "POST"): Promise<T> {
	const headers: Record<string, string> = {};
	if (as) Object.assign(headers, { Cookie: as.cookie, "X-CSRF-Token": as.csrf });
	if (body !== undefined) headers["Content-Type"] = "application/json";
	const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
	const cookie = res.headers.get("set-cookie")?.split(";")[0];
	const json = (text ? JSON.parse(text) : {}) as T;
	return cookie && as === null ? ({ ...json, __cookie: cookie } as T) : json;
}

async function session(path: string, body: unknown): Promise<ApiCaller> {
	const s = await api<{ csrfToken: string; __cookie: string }>(path, null, body);
	return { cookie: s.__cookie, csrf: s.csrfToken };
}

function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}

async function signIn(page: Page, accountId: string, email: string, password: string, firstName: string) {
	await signInAs(page, accountId, email, firstName, password);
	await expect.poll(() => page.getByTestId("live-indicator").getAttribute("data-state")).toBe("live");
}

/** Opens a page from the navigation (a client-side navigation: the page is not reloaded). */
async function open(page: Page, label: string, heading: string) {
	await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: label, exact: true }).click();
	await expect.poll(() => page.getByRole("heading", { level: 1, name: heading, exact: true }).isVisible()).toBe(true);
}

async function markNoReload(page: Page) {
	await page.evaluate(() => {
		(window as unknown as { __noReload?: boolean }).__noReload = true;
	});
}
const stillNotReloaded = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

describe("trusts, received SLAs and the catalog, live on both sides", () => {
	let browsers: OpenBrowser[] = [];
	let w: Page; // Wendy, widget-dc's administrator
	let c: Page; // the customer's administrator
	let e: Page; // the customer's end user
	let wendy: ApiCaller;
	let slaId = "";
	const errors: string[][] = [];
	const noPageErrors = () => expect(errors.flat()).toEqual([]);

	beforeAll(async () => {
		const admin = await session("/signup", { accountId: customer.id, accountName: customer.name, name: customer.admin, email: customer.email, password: customer.password, timeZone: "Europe/Amsterdam" });
		// People join by invitation: the end user creates their sign-in from the accept link.
		const invited = await api<{ acceptUrl: string }>(`/accounts/${customer.id}/people`, admin, { name: endUser.name, email: endUser.email, roles: ["end_user"] });
		const token = invited.acceptUrl.split("/").pop() ?? "";
		await api(`/invitation-links/${token}/sign-up`, null, { name: endUser.name, password: endUser.password });
		wendy = await session("/session", { email: "wendy@widget-dc.example", password: "trustdesk-demo" });
		browsers = await Promise.all([openBrowser(), openBrowser(), openBrowser()]);
		[w, c, e] = browsers.map((b) => b.page) as [Page, Page, Page];
		for (const p of [w, c, e]) errors.push(watchErrors(p));
	});
	afterAll(async () => {
		await Promise.all(browsers.map((b) => b.close()));
	});

	it("signs in Wendy, the new customer's administrator and its end user, each in a browser", async () => {
		await Promise.all([
			signIn(w, provider.id, "wendy@widget-dc.example", "trustdesk-demo", "Wendy"),
			signIn(c, customer.id, customer.email, customer.password, "Lena"),
			signIn(e, customer.id, endUser.email, endUser.password, "Ed"),
		]);
		noPageErrors();
	});

	it("shows the customer's request for a trust on Wendy's open Trusts page", async () => {
		await open(w, "Trusts", "Trusts");
		await markNoReload(w);
		await open(c, "Trusts", "Trusts");
		await c.getByRole("button", { name: "Ask for a trust" }).first().click();
		const dialog = c.getByRole("dialog", { name: "Ask for a trust" });
		await dialog.getByLabel("Account id of the other organisation").fill(provider.id);
		await dialog.getByRole("button", { name: "Ask for a trust" }).click();
		await expect.poll(() => c.getByRole("listitem", { name: provider.name }).textContent()).toContain(`You asked ${provider.name} to become your service provider.`);

		const theirs = w.getByRole("listitem", { name: customer.name });
		await expect.poll(() => theirs.textContent()).toContain(`${customer.name} asks you to become its service provider.`);
		expect(await stillNotReloaded(w)).toBe(true);
		noPageErrors();
	});

	it("puts it on Wendy's home, where she accepts it; the customer's page shows it active", async () => {
		await open(w, "Home", "Welcome, Wendy");
		const card = w.getByRole("region", { name: "A trust waits for your answer" });
		await expect.poll(() => card.textContent()).toContain(`${customer.name} asks you to become its service provider.`);
		await markNoReload(c);
		await card.getByRole("button", { name: `Accept the trust with ${customer.name}` }).click();
		await expect.poll(() => card.count()).toBe(0);

		const mine = c.getByRole("listitem", { name: provider.name });
		await expect.poll(() => mine.textContent()).toContain(`${provider.name} is your service provider.`);
		expect(await mine.getByText("Active", { exact: true }).isVisible()).toBe(true);
		expect(await stillNotReloaded(c)).toBe(true);
		await open(w, "Trusts", "Trusts");
		await expect.poll(() => w.getByRole("listitem", { name: customer.name }).textContent()).toContain(`${customer.name} is your customer.`);
		noPageErrors();
	});

	it("shows an SLA activated by the provider in the customer's received SLAs and the end user's catalog", async () => {
		await open(c, "SLAs", "Service level agreements");
		await open(e, "Catalog", "Service catalog");
		await expect.poll(() => e.getByText("No services yet", { exact: true }).isVisible()).toBe(true);
		for (const p of [c, e]) await markNoReload(p);

		const model = await api<{ instances: { id: string; name: string }[]; offerings: { id: string; name: string }[] }>(`/accounts/${provider.id}/service-model`, wendy);
		const instance = model.instances.find((i) => i.name === "Email Production");
		const offering = model.offerings.find((o) => o.name === "Email Silver");
		const today = new Date().toISOString().slice(0, 10);
		const sla = await api<{ id: string }>(`/accounts/${provider.id}/slas`, wendy, { name: slaName, offeringId: offering?.id, serviceInstanceId: instance?.id, customerAccountId: customer.id, startDate: today });
		slaId = sla.id;
		await api(`/accounts/${provider.id}/slas/${slaId}/status`, wendy, { action: "activate" });

		const row = c.getByRole("region", { name: "Received SLAs" }).getByRole("row", { name: new RegExp(slaName) });
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await row.getByText("Active", { exact: true }).isVisible()).toBe(true);
		await expect.poll(() => e.getByRole("listitem", { name: "Email", exact: true }).isVisible()).toBe(true);
		expect(await e.getByRole("heading", { name: `From ${provider.name}` }).isVisible()).toBe(true);
		expect(await stillNotReloaded(c)).toBe(true);
		expect(await stillNotReloaded(e)).toBe(true);
		noPageErrors();
	});

	it("takes it away again when the provider expires it", async () => {
		await api(`/accounts/${provider.id}/slas/${slaId}/status`, wendy, { action: "expire" });
		await expect.poll(() => e.getByText("No services yet", { exact: true }).isVisible()).toBe(true);
		const row = c.getByRole("region", { name: "Received SLAs" }).getByRole("row", { name: new RegExp(slaName) });
		await expect.poll(() => row.getByText("Expired", { exact: true }).isVisible()).toBe(true);
		expect(await stillNotReloaded(c)).toBe(true);
		expect(await stillNotReloaded(e)).toBe(true);
		noPageErrors();
	});

	it("shows the trust ended on Wendy's open Trusts page when the customer deactivates it", async () => {
		await markNoReload(w);
		await open(c, "Trusts", "Trusts");
		const mine = c.getByRole("listitem", { name: provider.name });
		await mine.getByRole("button", { name: `Deactivate the trust with ${provider.name}` }).click();
		await c.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
		await expect.poll(() => mine.getByText("Deactivated", { exact: true }).isVisible()).toBe(true);

		const theirs = w.getByRole("listitem", { name: customer.name });
		await expect.poll(() => theirs.textContent()).toContain(`${customer.name} was your customer until the trust was deactivated.`);
		expect(await stillNotReloaded(w)).toBe(true);
		noPageErrors();
	});
});

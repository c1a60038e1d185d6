// SLA reports from both sides of a trust, on the seeded months of request history: Wendy (widget-dc,
// the provider) and Anna (acme, the customer) open the same period; Wendy's row for Acme
// Corporation and Anna's totals agree figure by figure, and so does every table once Wendy filters
// to Acme. A figure opens exactly the requests behind it, and a request opens its page with the SLA
// clock. Alice, an end user, has no SLA reports. Relies on the seeded demo (scripts/seed.mjs).
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");

/** The last twelve months, whole: the seeded history lies within them. */
function range(): { from: string; until: string } {
	const now = new Date();
	const y = now.getUTCFullYear();
	const m = now.getUTCMonth();
	const day = (d: Date) => d.toISOString().slice(0, 10);
	return { from: day(new Date(Date.UTC(y, m - 11, 1))), until: day(new Date(Date.UTC(y, m + 1, 0))) };
}
const { from, until } = range();

/** Page errors fail the test that caused them: a broken page must not pass by accident. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}


const nav = (page: Page) => page.getByRole("navigation", { name: "Account" });
const report = (page: Page) => page.locator(".report");

/** Opens SLA reports from the navigation and picks the period with the date fields. */
async function openReports(page: Page, accountId: string) {
	await nav(page).getByRole("link", { name: "SLA reports", exact: true }).click();
	await page.waitForURL(`${baseUrl}/${accountId}/reports`);
	await expect.poll(() => page.getByRole("heading", { name: "SLA reports", level: 1 }).isVisible()).toBe(true);
	await page.getByLabel("From", { exact: true }).fill(from);
	await page.getByLabel("Until", { exact: true }).fill(until);
	await reportReady(page);
}

/** Waits for the report of the period to be shown, and for no refresh to be running. */
async function reportReady(page: Page) {
	await expect.poll(() => report(page).getAttribute("data-range")).toBe(`${from}/${until}`);
	await expect.poll(() => report(page).getAttribute("aria-busy")).toBeNull();
}

/** The figures a tile group or a table row shows, by name: { requests: "42", resolutionPercent: "88.1%", … }. */
function figuresOf(container: Locator): Promise<Record<string, string>> {
	return container.evaluate((el) =>
		Object.fromEntries(
			Array.from(el.querySelectorAll("[data-field]")).map((f) => [f.getAttribute("data-field") ?? "", (f.childNodes[0]?.textContent ?? "").trim()]),
		),
	);
}

/** What both show, compared name by name; at least the core figures must be there. */
function expectSameFigures(a: Record<string, string>, b: Record<string, string>, what: string) {
	const shared = Object.keys(a).filter((k) => k in b);
	expect(shared, `${what}: figures shown on both sides`).toEqual(expect.arrayContaining(["requests", "responsePercent", "resolutionPercent", "meanResolution", "breached", "openPastTarget"]));
	for (const k of shared) expect(b[k], `${what}: ${k}`).toBe(a[k]);
}

/** Rows of one table by key, with their figures. */
async function rowsOf(page: Page, dimension: string): Promise<Record<string, Record<string, string>>> {
	const rows = page.locator(`table.report-table[data-dimension="${dimension}"] tbody tr`);
	const out: Record<string, Record<string, string>> = {};
	for (const row of await rows.all()) out[(await row.getAttribute("data-key")) ?? ""] = await figuresOf(row);
	return out;
}

const count = (text: string) => Number.parseInt(text.replace(/[^\d]/g, ""), 10);

describe("SLA reports, the same numbers for the provider and the customer", () => {
	let wendyBrowser: OpenBrowser;
	let annaBrowser: OpenBrowser;
	let w: Page;
	let a: Page;
	const errors: string[][] = [];
	let acmeRow: Record<string, string> = {};

	beforeAll(async () => {
		[wendyBrowser, annaBrowser] = await Promise.all([openBrowser(), openBrowser()]);
		w = wendyBrowser.page;
		a = annaBrowser.page;
		for (const p of [w, a]) errors.push(watchErrors(p));
	});
	afterAll(async () => {
		await Promise.all([wendyBrowser?.close(), annaBrowser?.close()]);
	});
	const noPageErrors = () => expect(errors.flat()).toEqual([]);

	it("signs in Wendy at widget-dc and Anna at acme", async () => {
		await Promise.all([signIn(w, "widget-dc", "wendy@widget-dc.example", "Wendy"), signIn(a, "acme", "anna@acme.example", "Anna")]);
		noPageErrors();
	});

	it("shows Wendy her report over the seeded months, with a row for Acme Corporation", async () => {
		await openReports(w, "widget-dc");
		expect(await w.getByTestId("report-scope").textContent()).toContain("Widget Data Center for all customers");
		const totals = await figuresOf(w.getByTestId("report-totals"));
		expect(count(totals.requests ?? "0"), "the seed has request history").toBeGreaterThan(10);
		await expect.poll(() => w.getByRole("img", { name: /Requests and resolutions within target, per month/ }).isVisible()).toBe(true);

		const customers = await rowsOf(w, "customer");
		expect(Object.keys(customers)).toEqual(expect.arrayContaining(["acme", "globex"]));
		acmeRow = customers.acme ?? {};
		expect(count(acmeRow.requests ?? "0")).toBeGreaterThan(0);
		expect(count(acmeRow.requests ?? "0")).toBeLessThan(count(totals.requests ?? "0"));
		noPageErrors();
	});

	it("shows Anna Widget Data Center's report for Acme with the very same figures", async () => {
		await openReports(a, "acme");
		expect(await a.getByLabel("Provider").inputValue()).toBe("widget-dc");
		expect(await report(a).getAttribute("data-provider")).toBe("widget-dc");
		expect(await a.getByTestId("report-scope").textContent()).toContain("Widget Data Center for Acme Corporation");
		// A customer sees its own figures only: no row per customer.
		expect(await a.locator('table.report-table[data-dimension="customer"]').count()).toBe(0);
		expectSameFigures(acmeRow, await figuresOf(a.getByTestId("report-totals")), "Wendy's Acme row vs Anna's totals");
		noPageErrors();
	});

	it("agrees table by table once Wendy filters her report to Acme", async () => {
		await w.getByLabel("Customer", { exact: true }).selectOption("acme");
		await w.waitForURL((url) => url.searchParams.get("customer") === "acme");
		await expect.poll(() => w.getByTestId("report-scope").textContent()).toContain("Widget Data Center for Acme Corporation");
		await reportReady(w);
		expectSameFigures(await figuresOf(w.getByTestId("report-totals")), await figuresOf(a.getByTestId("report-totals")), "totals");
		for (const dimension of ["month", "service", "sla", "team"]) {
			const [mine, theirs] = await Promise.all([rowsOf(w, dimension), rowsOf(a, dimension)]);
			expect(Object.keys(theirs).sort(), `rows per ${dimension}`).toEqual(Object.keys(mine).sort());
			for (const key of Object.keys(mine)) {
				const m = mine[key] ?? {};
				const t = theirs[key] ?? {};
				expect(Object.keys(t).sort(), `${dimension} ${key}: the same figures`).toEqual(Object.keys(m).sort());
				for (const k of Object.keys(m)) expect(t[k], `${dimension} ${key}: ${k}`).toBe(m[k]);
			}
		}
		noPageErrors();
	});

	it("lists exactly the requests behind Wendy's figure for Acme", async () => {
		await w.getByLabel("Customer", { exact: true }).selectOption("");
		await w.waitForURL((url) => !url.searchParams.has("customer"));
		await reportReady(w);
		const link = w.locator('table.report-table[data-dimension="customer"] tr[data-key="acme"] [data-field="requests"]');
		const expected = count((await link.evaluate((el) => el.childNodes[0]?.textContent)) ?? "");
		await link.click();
		await w.waitForURL((url) => url.pathname === "/widget-dc/reports/requests" && url.searchParams.get("dimension") === "customer" && url.searchParams.get("key") === "acme");
		await expect.poll(() => w.getByRole("heading", { name: "Requests", level: 1 }).isVisible()).toBe(true);
		await expect.poll(() => w.getByTestId("drill-scope").textContent()).toContain(`${expected} request`);
		expect(await w.getByTestId("drill-scope").textContent()).toContain("Customer: Acme Corporation");
		const rows = w.locator("table.drill-table tbody tr");
		expect(await rows.count()).toBe(Math.min(expected, 50));
		for (const customer of await rows.locator('td[data-label="Customer"]').allTextContents()) expect(customer).toBe("Acme Corporation");
		if (expected > 50) expect(await w.getByRole("navigation", { name: "Pages of requests" }).textContent()).toContain(`of ${expected}`);
		// Wendy is in none of the teams, but answers for the service delivery: she reads the request
		// behind the figure, with the same clock Acme sees.
		const first = rows.first().locator("a.request-link");
		const subject = ((await first.textContent()) ?? "").trim();
		await first.click();
		await w.waitForURL(/\/widget-dc\/requests\/req_[A-Za-z0-9]+$/);
		await expect.poll(() => w.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		await expect.poll(() => w.getByTestId("sla-clock").isVisible()).toBe(true);
		expect(await w.getByTestId("sla-clock").textContent()).toMatch(/(Email Gold|Workplace Standard) for Acme Corporation/);
		await w.goBack();
		await w.waitForURL((url) => url.pathname === "/widget-dc/reports/requests");
		noPageErrors();
	});

	it("lets Anna open the requests behind a figure, and a request with its SLA clock", async () => {
		const totals = a.getByTestId("report-totals");
		const missed = count((await totals.locator('[data-field="resolutionMissed"]').textContent()) ?? "0");
		// The resolutions that missed their target, when there are any; else every request.
		const field = missed > 0 ? "resolutionMissed" : "requests";
		const figure = totals.locator(`[data-field="${field}"]`);
		const expected = count((await figure.evaluate((el) => el.childNodes[0]?.textContent)) ?? "");
		expect(expected).toBeGreaterThan(0);
		await figure.click();
		await a.waitForURL((url) => url.pathname === "/acme/reports/requests" && url.searchParams.get("provider") === "widget-dc");
		const heading = missed > 0 ? "Resolutions that missed the target" : "Requests";
		await expect.poll(() => a.getByRole("heading", { name: heading, level: 1 }).isVisible()).toBe(true);
		await expect.poll(() => a.getByTestId("drill-scope").textContent()).toContain(`${expected} request`);
		const rows = a.locator("table.drill-table tbody tr");
		expect(await rows.count()).toBe(Math.min(expected, 50));
		if (missed > 0) expect(await rows.first().locator('td[data-label="Resolution"]').textContent()).toContain("Breached");

		const first = rows.first().locator("a.request-link");
		const subject = ((await first.textContent()) ?? "").trim();
		await first.click();
		await a.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
		await expect.poll(() => a.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		const clock = a.getByTestId("sla-clock");
		await expect.poll(() => clock.isVisible()).toBe(true);
		expect(await clock.getByRole("heading", { name: "Service level" }).isVisible()).toBe(true);
		expect(await clock.textContent()).toMatch(/Resolution target/);
		// The clock's timeline: folded for the requester (Anna asked for the seeded requests herself).
		const details = clock.locator("details").first();
		if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
		await expect.poll(() => clock.getByRole("list", { name: /^Clock of .*, oldest first$/ }).locator("li").count()).toBeGreaterThan(0);
		if (missed > 0) expect(await clock.getByRole("list", { name: /^Clock of / }).textContent()).toMatch(/breached/i);
		if (missed > 0) expect(await clock.textContent()).toContain("Resolution breached");
		// Back to the list it came from.
		await a.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").click();
		await a.waitForURL((url) => url.pathname === "/acme/reports/requests");
		noPageErrors();
	});

	it("exports the report as CSV with the same filters", async () => {
		await w.goto(`${baseUrl}/widget-dc/reports?from=${from}&until=${until}`);
		await reportReady(w);
		const href = await w.getByRole("link", { name: "Download CSV" }).getAttribute("href");
		expect(href).toContain(`from=${from}`);
		const csv = await w.evaluate(async (url) => {
			const res = await fetch(url ?? "");
			return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
		}, href);
		expect(csv.status).toBe(200);
		expect(csv.type).toContain("text/csv");
		expect(csv.text).toContain("Acme Corporation");
		expect(csv.text.trim().split("\n").length).toBeGreaterThan(5);
		noPageErrors();
	});

	it("gives Alice, an end user, no SLA reports", async () => {
		const other = await openBrowser();
		try {
			const page = other.page;
			const pageErrors = watchErrors(page);
			await signIn(page, "acme", "alice@acme.example", "Alice");
			expect(await nav(page).getByRole("link").allTextContents()).not.toContain("SLA reports");
			await page.goto(`${baseUrl}/acme/reports`);
			await expect.poll(() => page.getByRole("heading", { name: "No access to SLA reports", level: 1 }).isVisible()).toBe(true);
			expect(await page.locator(".report").count()).toBe(0);
			const status = await page.evaluate(async (q) => (await fetch(`/api/v1/accounts/acme/sla-reports?${q}`)).status, `from=${from}&until=${until}&provider=widget-dc`);
			expect(status).toBe(403);
			expect(pageErrors).toEqual([]);
		} finally {
			await other.close();
		}
	});
});

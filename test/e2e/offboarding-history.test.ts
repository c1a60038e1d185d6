// After offboarding, the customer keeps its history and its requests: a provider and a customer
// are set up through the API (two fresh accounts, so nothing of the demo changes), the provider
// completes one of the customer's requests and still has another open when it ends the trust.
// Then, in the browser, the customer's administrator sees the open request back on the home page,
// marked with the reason; still opens the provider's SLA report, marked as ended and read-only,
// with the same figures the provider computes for it; and gives the returned request a team,
// which takes it off the list.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const password = "e2e offboarding 123";
const provider = { id: `prov-off-${run}`, name: `Provider ${run}` };
const customer = { id: `cust-off-${run}`, name: `Customer ${run}` };
const cora = { name: "Cora Customer", email: `cora-off-${run}@example.test` };

interface Caller {
	cookie: string;
	csrf: string;
}

/** Calls the API as `as`; returns the JSON, or throws with the body when the status is not `expected`. */
async function api<T = unknown>(method: string, path: string, expected: number, as?: Caller, body?: unknown): Promise<T> {
	const headers: Record<string, string> = { Accept: "application/json" };
	if (body !== undefined) headers["Content-Type"] = "application/json";
	if (as) Object.assign(headers, { Cookie: as.cookie, "X-CSRF-Token": as.csrf });
	const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

async function session(path: string, body: unknown, expected: number): Promise<Caller & { personId: string }> {
	const res = await fetch(`${baseUrl}/api/v1${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	const text = await res.text();
	if (res.status !== expected) throw new Error(`POST ${path}: ${res.status} ${text}`);
	const json = JSON.parse(text) as { csrfToken: string; person: { id: string } };
	const cookie = res.headers.getSetCookie().map((h) => /^((?:__Host-)?td_session=[^;]+)/.exec(h)?.[1]).find(Boolean);
	if (!cookie) throw new Error("no session cookie");
	return { cookie, csrf: json.csrfToken, personId: json.person.id };
}

/** Polls until `check` holds: messages between accounts are delivered in the background. */
async function until(check: () => Promise<boolean>, what: string) {
	for (let i = 0; i < 200; i++) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out: ${what}`);
}

const today = () => new Date().toISOString().slice(0, 10);
const range = () => {
	const now = new Date();
	return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1)).toISOString().slice(0, 10), until: today() };
};

let paula: Caller & { personId: string };
let coraSession: Caller & { personId: string };
let openRequest: { id: string; subject: string };
let providerFigures: { requests: number };

beforeAll(async () => {
	paula = await session("/signup", { accountId: provider.id, accountName: provider.name, name: "Paula Provider", email: `paula-off-${run}@example.test`, password }, 201);
	coraSession = await session("/signup", { accountId: customer.id, accountName: customer.name, name: cora.name, email: cora.email, password }, 201);
	const paulaId = paula.personId;
	const P = provider.id;
	const C = customer.id;

	// The trust, a service with an offering, and an active SLA for the customer.
	await api("POST", `/accounts/${C}/trusts`, 201, coraSession, { accountId: P, ourRole: "customer" });
	await until(async () => (await api<{ status: string }>("GET", `/accounts/${P}/trusts/${C}`, 200, paula).catch(() => ({ status: "" }))).status === "pending", "the request reaches the provider");
	await api("POST", `/accounts/${P}/trusts/${C}/accept`, 200, paula);
	await until(async () => (await api<{ status: string }>("GET", `/accounts/${C}/trusts/${P}`, 200, coraSession)).status === "active", "the customer sees the trust active");
	const team = await api<{ id: string }>("POST", `/accounts/${P}/teams`, 201, paula, { name: "Email Support", memberIds: [paulaId] });
	const service = await api<{ id: string }>("POST", `/accounts/${P}/services`, 201, paula, { name: "Email", description: "Mailboxes" });
	const instance = await api<{ id: string }>("POST", `/accounts/${P}/service-instances`, 201, paula, { serviceId: service.id, name: "Email Production", firstLineTeamId: team.id, supportTeamId: team.id });
	const minutes = (response: number, resolution: number) => ({ response: { minutes: response }, resolution: { minutes: resolution } });
	const offering = await api<{ id: string }>("POST", `/accounts/${P}/service-offerings`, 201, paula, {
		serviceId: service.id,
		name: "Email Gold",
		targets: { top: minutes(15, 120), high: minutes(30, 240), medium: minutes(60, 480), low: minutes(240, 960) },
		supportHours: { timeZone: "UTC", hours: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((weekday) => ({ weekday, from: "00:00", until: "23:59" })), holidays: [] },
	});
	const sla = await api<{ id: string }>("POST", `/accounts/${P}/slas`, 201, paula, { offeringId: offering.id, serviceInstanceId: instance.id, customerAccountId: C, startDate: today(), name: `Email Gold for ${customer.name}` });
	await api("POST", `/accounts/${P}/slas/${sla.id}/status`, 200, paula, { action: "activate" });
	await until(async () => (await api<{ items: { status: string }[] }>("GET", `/accounts/${C}/received-slas`, 200, coraSession)).items.some((s) => s.status === "active"), "the customer receives the SLA");

	// Two requests: one completed by the provider, one still open when the trust ends.
	const register = (subject: string) => api<{ id: string; subject: string }>("POST", `/accounts/${C}/requests`, 201, coraSession, { providerAccountId: P, slaId: sla.id, subject, impact: "medium" });
	const done = await register("Mailbox quota raised");
	openRequest = await register("Shared mailbox missing");
	await until(async () => (await api<{ total: number }>("GET", `/accounts/${P}/inbox?view=teams`, 200, paula)).total === 2, "both requests reach the provider's Inbox");
	await api("POST", `/accounts/${P}/requests/${done.id}/actions`, 200, paula, { type: "set_status", status: "completed", completionReason: "solved" });
	await until(async () => (await api<{ status: string }>("GET", `/accounts/${C}/requests/${done.id}`, 200, coraSession)).status === "completed", "the completion reaches the customer");

	// Offboarding: the SLA expires, the provider ends the trust.
	await api("POST", `/accounts/${P}/slas/${sla.id}/status`, 200, paula, { action: "expire" });
	await api("POST", `/accounts/${P}/trusts/${C}/deactivate`, 200, paula);
	await until(async () => (await api<{ total: number }>("GET", `/accounts/${C}/inbox?view=returned`, 200, coraSession)).total === 1, "the open request comes back to the customer");
	const { from, until: last } = range();
	providerFigures = (await api<{ totals: { requests: number } }>("GET", `/accounts/${P}/sla-reports?from=${from}&until=${last}&customer=${C}`, 200, paula)).totals;
	// A team of the customer's own, for the returned request.
	await api("POST", `/accounts/${C}/teams`, 201, coraSession, { name: "Customer Desk", memberIds: [coraSession.personId] });
}, 120_000);

describe("after offboarding, the customer's administrator", () => {
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

	it("signs in and sees the returned request on the home page, with who returned it and why", async () => {
		await page.goto(`${baseUrl}/${customer.id}/`);
		await page.getByLabel("E-mail address").fill(cora.email);
		await page.getByLabel("Password").fill(password);
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Cora" }).isVisible()).toBe(true);
		const card = page.getByTestId("returned-requests");
		await expect.poll(() => card.isVisible()).toBe(true);
		expect(await card.getByRole("heading", { level: 2 }).textContent()).toBe("Returned requests — need a team");
		const item = card.locator(`li[data-request-id="${openRequest.id}"]`);
		expect(await item.getByRole("link").textContent()).toBe(openRequest.subject);
		expect(await item.textContent()).toContain(`Returned by ${provider.name} on`);
		expect(await item.textContent()).toContain(`${provider.name} ended its trust with ${customer.name}: its teams can no longer work on this request.`);
		// Only the open one came back; the completed one stays as it was.
		expect(await card.locator("li").count()).toBe(1);
		expect(errors).toEqual([]);
	});

	it("still opens the provider's SLA report: marked as ended, read-only, the provider's figures", async () => {
		await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "SLA reports", exact: true }).click();
		await page.waitForURL(`${baseUrl}/${customer.id}/reports`);
		const report = page.locator(".report");
		await expect.poll(() => report.getAttribute("data-provider")).toBe(provider.id);
		await expect.poll(() => report.getAttribute("aria-busy")).toBeNull();
		// The picker lists the former provider, marked.
		const picker = page.getByLabel("Provider");
		expect(await picker.inputValue()).toBe(provider.id);
		expect(await picker.locator("option:checked").textContent()).toMatch(new RegExp(`^${provider.name} \\(trust ended .+\\)$`));
		const ended = page.getByTestId("report-ended");
		await expect.poll(() => ended.isVisible()).toBe(true);
		expect(await ended.textContent()).toMatch(new RegExp(`^${provider.name} — trust ended on .+; figures up to then, read-only\\.$`));
		expect(await page.getByTestId("report-scope").textContent()).toContain(`${provider.name} for ${customer.name}`);
		// The same count the provider computes for this customer: the completed request only.
		expect(providerFigures.requests).toBe(1);
		const requests = await page.getByTestId("report-totals").locator('[data-field="requests"]').evaluate((el) => el.childNodes[0]?.textContent?.trim());
		expect(requests).toBe(String(providerFigures.requests));
		expect(errors).toEqual([]);
	});

	it("gives the returned request a team, which takes it off the list", async () => {
		await page.goto(`${baseUrl}/${customer.id}/inbox?view=returned`);
		const row = page.locator(`tr[data-request-id="${openRequest.id}"]`);
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await row.locator('td[data-label="Returned"]').textContent()).toContain(`by ${provider.name} on`);
		await row.getByRole("link", { name: openRequest.subject }).click();
		await page.waitForURL(`${baseUrl}/${customer.id}/requests/${openRequest.id}`);
		const notice = page.getByTestId("returned-notice");
		await expect.poll(() => notice.isVisible()).toBe(true);
		expect(await notice.textContent()).toContain(`Returned by ${provider.name} on`);
		await page.getByLabel("Team", { exact: true }).selectOption({ label: "Customer Desk" });
		await page.getByRole("button", { name: "Assign" }).click();
		await expect.poll(() => notice.isVisible()).toBe(false);
		await page.goto(`${baseUrl}/${customer.id}/`);
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Cora" }).isVisible()).toBe(true);
		await expect.poll(() => page.getByTestId("returned-requests").count()).toBe(0);
		expect(errors).toEqual([]);
	});
});

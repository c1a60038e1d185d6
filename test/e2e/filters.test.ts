// Inbox filters in the portal: Wendy (widget-dc's administrator, who oversees every team) narrows
// her Inbox by status and customer through the filter bar; the URL says so, a reload keeps it,
// back and forward move between filters; she saves the filter and applies it again from its link.
// Three requests of this run (acme accepted, acme assigned, globex accepted), registered through
// the API against the seeded demo (scripts/seed.mjs), are what the filters must tell apart.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const run = `flt${Date.now().toString(36)}`;
const subjects = { acmeAccepted: `Quota ${run} acme accepted`, acmeAssigned: `Quota ${run} acme assigned`, globexAccepted: `Quota ${run} globex accepted` };

interface Caller {
	cookie: string;
	csrf: string;
}

async function api<T = unknown>(method: string, path: string, expected: number, as: Caller, body?: unknown): Promise<T> {
	const headers: Record<string, string> = { Accept: "application/json", Cookie: as.cookie, "X-CSRF-Token": as.csrf };
	if (body !== undefined) headers["Content-Type"] = "application/json";
	const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

async function signInApi(email: string): Promise<Caller> {
	const res = await fetch(`${baseUrl}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password: "trustdesk-demo" }) });
	const text = await res.text();
	if (res.status !== 200 && res.status !== 201) throw new Error(`sign-in ${email}: ${res.status} ${text}`);
	const cookie = res.headers.getSetCookie().map((h) => /^((?:__Host-)?td_session=[^;]+)/.exec(h)?.[1]).find(Boolean);
	if (!cookie) throw new Error("no session cookie");
	return { cookie, csrf: (JSON.parse(text) as { csrfToken: string }).csrfToken };
}

/** Registers a request for Email from widget-dc's catalog entry in `account`, and returns its id. */
async function register(account: string, as: Caller, subject: string): Promise<string> {
	const catalog = await api<{ entries: { provider: { id: string }; service: { name: string }; sla: { id: string } }[] }>("GET", `/accounts/${account}/catalog`, 200, as);
	const email = catalog.entries.find((e) => e.provider.id === "widget-dc" && e.service.name === "Email");
	if (!email) throw new Error(`${account} has no Email in its catalog`);
	const created = await api<{ id: string }>("POST", `/accounts/${account}/requests`, 201, as, { providerAccountId: "widget-dc", slaId: email.sla.id, subject, impact: "medium" });
	return created.id;
}

async function until(check: () => Promise<boolean>, what: string) {
	for (let i = 0; i < 200; i++) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out: ${what}`);
}

const rows = async (page: Page) =>
	(await page.getByRole("row").filter({ hasText: run }).allTextContents()).map((t) => Object.entries(subjects).find(([, s]) => t.includes(s))?.[0] ?? t).sort();

describe("Inbox filters in the URL, saved and applied again", () => {
	let wendy: OpenBrowser;
	let page: Page;
	const errors: string[] = [];
	let filtered = "";

	beforeAll(async () => {
		const [alice, grace, wendyApi, bob, sam] = await Promise.all([
			signInApi("alice@acme.example"),
			signInApi("grace@globex.example"),
			signInApi("wendy@widget-dc.example"),
			signInApi("bob@widget-dc.example"),
			signInApi("sam@widget-dc.example"),
		]);
		const ids = {
			acmeAccepted: await register("acme", alice, subjects.acmeAccepted),
			acmeAssigned: await register("acme", alice, subjects.acmeAssigned),
			globexAccepted: await register("globex", grace, subjects.globexAccepted),
		};
		// The provider's index has them once the customers' messages arrived.
		await until(async () => (await api<{ total: number }>("GET", `/accounts/widget-dc/inbox?text=${run}`, 200, wendyApi)).total === 3, "widget-dc's Inbox has the three requests");
		// Acme's Email goes to Email Support (Bob's), Globex's to the Service Desk (Sam's).
		await api("POST", `/accounts/widget-dc/requests/${ids.acmeAccepted}/actions`, 200, bob, { type: "accept" });
		await api("POST", `/accounts/widget-dc/requests/${ids.globexAccepted}/actions`, 200, sam, { type: "accept" });
		await until(async () => (await api<{ total: number }>("GET", `/accounts/widget-dc/inbox?text=${run}&status=accepted`, 200, wendyApi)).total === 2, "both accepted in the Inbox");
		wendy = await openBrowser();
		page = wendy.page;
		page.on("pageerror", (err) => errors.push(err.message));
	}, 60_000);
	afterAll(async () => {
		await wendy?.close();
	});

	it("signs Wendy in and opens the Inbox, narrowed to this run's requests by the text filter", async () => {
		await page.goto(`${baseUrl}/widget-dc/`);
		await page.getByLabel("E-mail address").fill("wendy@widget-dc.example");
		await page.getByLabel("Password").fill("trustdesk-demo");
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => page.getByRole("heading", { name: "Welcome, Wendy" }).isVisible()).toBe(true);
		await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inbox", exact: true }).click();
		await page.waitForURL(`${baseUrl}/widget-dc/inbox`);
		await page.getByLabel("Subject or number contains").fill(run);
		await page.getByLabel("Subject or number contains").press("Enter");
		await page.waitForURL((url) => url.searchParams.get("text") === run);
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted", "acmeAssigned", "globexAccepted"]);
		expect(errors).toEqual([]);
	});

	it("filters by status and customer; the URL says so", async () => {
		await page.locator("[data-filter=status] > summary").click();
		await page.locator("[data-filter=status]").getByText("Accepted", { exact: true }).click();
		await page.waitForURL((url) => url.searchParams.get("status") === "accepted");
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted", "globexAccepted"]);
		await page.locator("[data-filter=status] > summary").click();
		await page.getByLabel("Customer", { exact: true }).selectOption({ label: "Acme Corporation" });
		await page.waitForURL((url) => url.searchParams.get("customer") === "acme");
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted"]);
		const url = new URL(page.url());
		expect(Object.fromEntries(url.searchParams)).toEqual({ text: run, status: "accepted", customer: "acme" });
		filtered = page.url();
		expect(errors).toEqual([]);
	});

	it("keeps the filters over a reload, and moves between them with back and forward", async () => {
		await page.reload();
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted"]);
		expect(await page.getByLabel("Customer", { exact: true }).inputValue()).toBe("acme");
		expect(await page.locator("[data-filter=status] > summary").textContent()).toContain("Accepted");
		expect(await page.getByLabel("Subject or number contains").inputValue()).toBe(run);
		await page.goBack();
		await page.waitForURL((url) => url.searchParams.get("customer") === null && url.searchParams.get("status") === "accepted");
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted", "globexAccepted"]);
		await page.goForward();
		await page.waitForURL(filtered);
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted"]);
		expect(errors).toEqual([]);
	});

	it("saves the filter, and applies it again from its link", async () => {
		const name = `Acme accepted ${run}`;
		await page.getByRole("button", { name: "Save this filter" }).click();
		await page.getByLabel("Name of the filter").fill(name);
		await page.getByRole("button", { name: "Save", exact: true }).click();
		const link = page.getByRole("region", { name: "Saved filters" }).getByRole("link", { name });
		await expect.poll(() => link.isVisible()).toBe(true);
		expect(await link.getAttribute("aria-current")).toBe("true");

		// Back to the unfiltered Inbox: everything of this run's text is gone from the filters.
		await page.goto(`${baseUrl}/widget-dc/inbox?text=${run}&status=open,completed`);
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted", "acmeAssigned", "globexAccepted"]);
		await link.click();
		await page.waitForURL((url) => url.searchParams.get("customer") === "acme" && url.searchParams.get("status") === "accepted" && url.searchParams.get("text") === run);
		await expect.poll(() => rows(page)).toEqual(["acmeAccepted"]);

		// Deleting it takes it off the list (and leaves the demo as it was).
		await page.getByRole("button", { name: `Delete the saved filter ${name}` }).click();
		await expect.poll(() => link.count()).toBe(0);
		expect(errors).toEqual([]);
	});
});

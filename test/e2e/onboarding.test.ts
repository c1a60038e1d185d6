// Onboarding and offboarding, as the people involved do it in the portal: a customer's
// administrator asks a provider for a trust, the provider's administrator (in another browser)
// accepts, defines a service with an offering and gives the customer an SLA; the customer's end
// user sees the service in the catalog; then the provider expires the SLA, the service leaves the
// catalog, and the customer deactivates the trust. Accounts are created by sign-up, so the test
// relies on nothing in the demo data. Messages between the two accounts are delivered in the
// background, so pages that show the other side's answer are reloaded until it has arrived.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const password = "e2e password 123";

const customer = { id: `cust-${run}`, name: `Customer ${run}`, admin: "Cora Customer", email: `cora-${run}@example.test` };
const provider = { id: `prov-${run}`, name: `Provider ${run}`, admin: "Paul Provider", email: `paul-${run}@example.test` };
const endUser = { name: "Eve Enduser", email: `eve-${run}@example.test`, password: "e2e password 456" };
const slaName = `Email Gold for ${customer.name}`;
const nextChristmas = `${new Date().getUTCFullYear() + 1}-12-25`;

/** Page errors fail the test that caused them: a broken page must not pass by accident. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("pageerror", (err) => errors.push(err.message));
	return errors;
}

/** Kobalte checkboxes and radios are chosen through their label, as a person clicks them. */
async function choose(scope: Page | Locator, label: string) {
	await scope.locator("label", { hasText: label }).first().click();
}

async function signUp(page: Page, who: { id: string; name: string; admin: string; email: string }) {
	await page.goto(`${baseUrl}/signup`);
	await page.getByLabel("Organisation name").fill(who.name);
	await page.getByLabel("Account id").fill(who.id);
	await page.getByLabel("Your name").fill(who.admin);
	await page.getByLabel("Your e-mail address").fill(who.email);
	await page.getByLabel("Password").fill(password);
	await page.getByRole("button", { name: "Create account" }).click();
	await page.waitForURL(`${baseUrl}/${who.id}/`);
}

const PAGES = {
	Catalog: { path: "catalog", title: "Service catalog" },
	Trusts: { path: "trusts", title: "Trusts" },
	Services: { path: "services", title: "Services" },
	SLAs: { path: "slas", title: "Service level agreements" },
	People: { path: "people", title: "People" },
	Teams: { path: "teams", title: "Teams" },
} as const;

/** Opens a page from the navigation and waits until it is there (the router loads it first). */
async function nav(page: Page, label: keyof typeof PAGES) {
	await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: label, exact: true }).click();
	await page.waitForURL((url) => url.pathname.endsWith(`/${PAGES[label].path}`));
	await expect.poll(() => page.getByRole("heading", { level: 1, name: PAGES[label].title, exact: true }).isVisible()).toBe(true);
}

/**
 * Reloads the page until `locator` shows: for what the other account's message changes here.
 * Each round waits a little for the page's data to load before looking.
 */
async function reloadUntilVisible(page: Page, locator: () => Locator) {
	await expect
		.poll(
			async () => {
				await page.reload();
				return locator()
					.waitFor({ state: "visible", timeout: 2_000 })
					.then(
						() => true,
						() => false,
					);
			},
			{ timeout: 20_000, interval: 250 },
		)
		.toBe(true);
}

/** The value next to a label in a card's facts. */
function fact(scope: Locator, label: string): Locator {
	return scope.locator("dl > div").filter({ has: scope.page().locator("dt", { hasText: label }) }).locator("dd");
}

describe("onboarding and offboarding a customer", () => {
	let cust: OpenBrowser;
	let prov: OpenBrowser;
	let user: OpenBrowser;
	let a: Page; // the customer's administrator
	let b: Page; // the provider's administrator
	let c: Page; // the customer's end user
	const errors: string[][] = [];

	beforeAll(async () => {
		[cust, prov, user] = await Promise.all([openBrowser(), openBrowser(), openBrowser()]);
		a = cust.page;
		b = prov.page;
		c = user.page;
		for (const p of [a, b, c]) errors.push(watchErrors(p));
	});
	afterAll(async () => {
		await Promise.all([cust?.close(), prov?.close(), user?.close()]);
	});
	const noPageErrors = () => expect(errors.flat()).toEqual([]);

	it("signs up the customer and the provider, each in its own browser", async () => {
		await Promise.all([signUp(a, customer), signUp(b, provider)]);
		// Every member, administrators included, finds the catalog right after Home.
		const links = await a.getByRole("navigation", { name: "Account" }).getByRole("link").allTextContents();
		expect(links.slice(0, 2)).toEqual(["Home", "Catalog"]);
		noPageErrors();
	});

	it("lets the customer's administrator ask the provider for a trust", async () => {
		await nav(a, "Trusts");
		await expect.poll(() => a.getByText("No trusts yet", { exact: true }).isVisible()).toBe(true);
		await a.getByRole("button", { name: "Ask for a trust" }).first().click();
		const dialog = a.getByRole("dialog", { name: "Ask for a trust" });
		await dialog.getByLabel("Account id of the other organisation").fill(provider.id);
		await choose(dialog, "They provide services to us");
		await dialog.getByRole("button", { name: "Ask for a trust" }).click();

		const card = a.getByRole("listitem", { name: provider.name });
		await expect.poll(() => card.isVisible()).toBe(true);
		expect(await card.textContent()).toContain(`You asked ${provider.name} to become your service provider`);
		expect(await card.getByText("Pending", { exact: true }).isVisible()).toBe(true);
		noPageErrors();
	});

	it("lets the provider's administrator, in the other browser, accept it", async () => {
		await nav(b, "Trusts");
		const card = () => b.getByRole("listitem", { name: customer.name });
		await reloadUntilVisible(b, () => card().getByText(`${customer.name} asks you to become its service provider.`));
		expect(await fact(card(), "Asked by").textContent()).toContain(`${customer.admin} (${customer.name})`);
		await card().getByRole("button", { name: `Accept the trust with ${customer.name}` }).click();
		await expect.poll(() => card().getByText(`${customer.name} is your customer.`).isVisible()).toBe(true);
		expect(await card().getByText("Active", { exact: true }).isVisible()).toBe(true);

		// The history says who asked and who accepted, from which account.
		await card().getByText(/^History/).click();
		const history = card().locator(".timeline");
		await expect.poll(() => history.textContent()).toContain(`${provider.admin} (${provider.name}) accepted the trust`);
		expect(await history.textContent()).toContain(`${customer.admin} (${customer.name}) asked for the trust`);
		noPageErrors();
	});

	it("shows the customer the active trust with the same history", async () => {
		const card = () => a.getByRole("listitem", { name: provider.name });
		await reloadUntilVisible(a, () => card().getByText(`${provider.name} is your service provider.`));
		expect(await card().getByText("Active", { exact: true }).isVisible()).toBe(true);
		await card().getByText(/^History/).click();
		const history = await card().locator(".timeline").textContent();
		expect(history).toContain(`${customer.admin} (${customer.name}) asked for the trust`);
		expect(history).toContain(`${provider.admin} (${provider.name}) accepted the trust`);
		noPageErrors();
	});

	it("lets the provider define the service Email with an instance and an offering", async () => {
		// Teams first: the instance's first-line and support teams.
		await nav(b, "Teams");
		for (const team of ["Service Desk", "Email Support"]) {
			await b.getByRole("button", { name: /New team|Create the first team/ }).first().click();
			const dialog = b.getByRole("dialog", { name: "New team" });
			await dialog.getByLabel("Team name").fill(team);
			await dialog.getByRole("button", { name: "Create team" }).click();
			await expect.poll(() => b.getByRole("heading", { name: team }).isVisible()).toBe(true);
		}

		await nav(b, "Services");
		await b.getByRole("button", { name: "New service" }).click();
		const serviceDialog = b.getByRole("dialog", { name: "New service" });
		await serviceDialog.getByLabel("Service name").fill("Email");
		await serviceDialog.getByLabel("Description").fill("Mailboxes, calendars and delivery.");
		await serviceDialog.getByRole("button", { name: "Create service" }).click();
		const service = b.getByRole("region", { name: "Email", exact: true });
		await expect.poll(() => service.isVisible()).toBe(true);

		await service.getByRole("button", { name: "Add an instance of Email" }).click();
		const instanceDialog = b.getByRole("dialog", { name: "New instance of Email" });
		await instanceDialog.getByLabel("Instance name").fill("Email Production");
		await instanceDialog.getByLabel("First-line team").selectOption({ label: "Service Desk" });
		await instanceDialog.getByLabel("Support team").selectOption({ label: "Email Support" });
		await instanceDialog.getByRole("button", { name: "Add instance" }).click();
		const instanceRow = service.getByRole("row", { name: /Email Production/ });
		await expect.poll(() => instanceRow.isVisible()).toBe(true);
		expect(await instanceRow.textContent()).toContain("Service Desk");
		expect(await instanceRow.textContent()).toContain("Email Support");

		await service.getByRole("button", { name: "Add an offering of Email" }).click();
		const dialog = b.getByRole("dialog", { name: "New offering of Email" });
		await dialog.getByLabel("Offering name").fill("Email Gold");
		await dialog.getByLabel("Summary").fill("Fast help for critical mail.");
		// Targets: a number and a unit per impact and kind.
		const target = async (cell: string, amount: string | null, unit: string) => {
			await dialog.getByLabel(`${cell} unit`).selectOption({ label: unit });
			if (amount !== null) await dialog.getByLabel(`${cell} amount`).fill(amount);
		};
		await target("Top impact response", "15", "minutes");
		await target("Top impact resolution", "4", "hours");
		await target("High impact response", "1", "hours");
		await target("High impact resolution", "1", "business days");
		await target("Medium impact response", "4", "hours");
		await target("Medium impact resolution", "2", "business days");
		await target("Low impact response", "1", "business days");
		await target("Low impact resolution", null, "best effort");
		// A target must be positive: said at once.
		await dialog.getByLabel("Top impact response amount").fill("0");
		await expect.poll(() => dialog.getByText("Targets are positive.").isVisible()).toBe(true);
		await dialog.getByLabel("Top impact response amount").fill("15");

		// Support hours: a quick fill, a time zone, a holiday; an overlap is caught before saving.
		await dialog.getByLabel("Time zone").selectOption("Europe/Amsterdam");
		await dialog.getByRole("button", { name: "Mon–Fri 09:00–17:00" }).click();
		await dialog.getByRole("button", { name: "Add interval" }).click();
		await dialog.getByLabel("Interval 6 day").selectOption({ label: "Monday" });
		await dialog.getByLabel("Interval 6 from").fill("16:00");
		await dialog.getByLabel("Interval 6 until").fill("18:00");
		await expect.poll(() => dialog.getByText("Monday 16:00–18:00 overlaps 09:00–17:00.").isVisible()).toBe(true);
		await dialog.getByRole("button", { name: /^Remove interval 6/ }).click();
		await dialog.getByRole("button", { name: "Add holiday" }).click();
		await dialog.getByLabel("Holiday 1 name").fill("Christmas Day");
		await dialog.getByLabel("Holiday 1 date").fill(nextChristmas);
		await dialog.getByRole("button", { name: "Add offering" }).click();

		const offering = service.getByRole("listitem").filter({ has: b.getByRole("heading", { name: "Email Gold" }) });
		await expect.poll(() => offering.isVisible()).toBe(true);
		const text = await offering.textContent();
		expect(text).toContain("15 minutes");
		expect(text).toContain("Mon–Fri 09:00–17:00");
		expect(text).toContain("Europe/Amsterdam");
		noPageErrors();
	});

	it("lets the provider give the customer an SLA and activate it", async () => {
		await nav(b, "SLAs");
		await b.getByRole("button", { name: "New SLA" }).first().click();
		const dialog = b.getByRole("dialog", { name: "New SLA" });
		await dialog.getByLabel("Service offering").selectOption({ label: "Email · Email Gold" });
		await dialog.getByLabel("Service instance").selectOption({ label: "Email Production" });
		await dialog.getByLabel("Customer", { exact: true }).selectOption({ label: `${customer.name} (${customer.id})` });
		await choose(dialog, `Everyone at ${customer.name}`);
		expect(await dialog.getByLabel("Team for this customer's requests").inputValue()).toBe("");
		await dialog.getByRole("button", { name: "Create SLA" }).click();

		const sla = b.getByRole("listitem", { name: slaName, exact: true });
		await expect.poll(() => sla.isVisible()).toBe(true);
		expect(await sla.getByText("Being prepared", { exact: true }).isVisible()).toBe(true);
		expect(await fact(sla, "Team").textContent()).toContain("Service Desk (first line of the instance)");
		await sla.getByRole("button", { name: `Activate ${slaName} now` }).click();
		await expect.poll(() => sla.getByText("Active", { exact: true }).isVisible()).toBe(true);
		await sla.getByText(/^History/).click();
		expect(await sla.locator(".timeline").textContent()).toContain(`${provider.admin} activated it`);
		noPageErrors();
	});

	it("shows the customer's end user Email in the catalog, with what it promises", async () => {
		// The customer's administrator invites the end user and passes the link on; she opens it in
		// her own browser and creates her sign-in, which makes her a member.
		await nav(a, "People");
		await a.getByRole("button", { name: "Invite person" }).click();
		const dialog = a.getByRole("dialog", { name: "Invite a person" });
		await dialog.getByLabel("Name").fill(endUser.name);
		await dialog.getByLabel("E-mail address").fill(endUser.email);
		await dialog.getByRole("button", { name: "Invite person" }).click();
		const link = dialog.getByTestId("invitation-link");
		await expect.poll(() => link.isVisible()).toBe(true);
		const acceptUrl = (await link.textContent())?.trim() ?? "";
		expect(acceptUrl).toMatch(new RegExp(`^${baseUrl}/invitations/[A-Za-z0-9_-]{43}$`));
		await dialog.getByRole("button", { name: "Done" }).click();

		await c.goto(acceptUrl);
		await expect.poll(() => c.getByRole("heading", { name: `Join ${customer.name}` }).isVisible()).toBe(true);
		expect(await c.getByLabel("Your name").inputValue()).toBe(endUser.name);
		await c.getByLabel("Choose a password").fill(endUser.password);
		await c.getByRole("button", { name: "Create sign-in and join" }).click();
		await c.waitForURL(`${baseUrl}/${customer.id}/`);
		await expect.poll(() => c.getByRole("heading", { name: "Welcome, Eve" }).isVisible()).toBe(true);
		expect(await c.getByRole("navigation", { name: "Account" }).getByRole("link").allTextContents()).toEqual(["Home", "Catalog", "My requests"]);
		await c.getByRole("link", { name: /Services you can request/ }).click();
		await c.waitForURL(`${baseUrl}/${customer.id}/catalog`);

		const card = c.getByRole("listitem", { name: "Email", exact: true });
		await expect.poll(() => card.isVisible()).toBe(true);
		expect(await c.getByRole("heading", { name: `From ${provider.name}` }).isVisible()).toBe(true);
		const text = await card.textContent();
		expect(text).toContain("Email Gold");
		expect(text).toContain("Response within 15 minutes");
		expect(text).toContain("Resolution within 4 hours");
		expect(text).toContain("Resolution within 2 business days");
		expect(text).toContain("Resolution: best effort");
		expect(text).toContain("Mon–Fri 09:00–17:00");
		expect(text).toContain("Europe/Amsterdam");
		expect(text).toContain("Christmas Day");
		noPageErrors();
	});

	it("refuses to end the trust while the SLA is active, and says why", async () => {
		await nav(a, "SLAs");
		const received = a.getByRole("region", { name: "Received SLAs" });
		await reloadUntilVisible(a, () => received.getByRole("row", { name: new RegExp(slaName) }));
		expect(await received.getByRole("row", { name: new RegExp(slaName) }).getByText("Active", { exact: true }).isVisible()).toBe(true);

		await nav(a, "Trusts");
		const card = () => a.getByRole("listitem", { name: provider.name });
		await reloadUntilVisible(a, () => fact(card(), "Active SLAs").filter({ hasText: /^1$/ }));
		await card().getByRole("button", { name: `Deactivate the trust with ${provider.name}` }).click();
		const confirm = a.getByRole("alertdialog");
		await confirm.getByRole("button", { name: "Deactivate" }).click();
		await expect.poll(() => confirm.getByRole("alert").textContent()).toContain(`Ask ${provider.id} to expire it first`);
		await confirm.getByRole("button", { name: "Cancel" }).click();
		await expect.poll(() => card().getByText("Active", { exact: true }).isVisible()).toBe(true);
		noPageErrors();
	});

	it("takes Email out of the catalog when the provider expires the SLA", async () => {
		const sla = b.getByRole("listitem", { name: slaName, exact: true });
		await sla.getByRole("button", { name: `Expire ${slaName} now` }).click();
		await b.getByRole("alertdialog").getByRole("button", { name: "Expire now" }).click();
		await expect.poll(() => sla.getByText("Expired", { exact: true }).isVisible()).toBe(true);

		await reloadUntilVisible(c, () => c.getByText("No services yet", { exact: true }));
		expect(await c.getByRole("listitem", { name: "Email", exact: true }).count()).toBe(0);
		expect(await c.getByText(`${customer.name} receives no services yet.`).isVisible()).toBe(true);
		noPageErrors();
	});

	it("lets the customer deactivate the trust; both sides show it deactivated", async () => {
		const card = () => a.getByRole("listitem", { name: provider.name });
		await reloadUntilVisible(a, () => fact(card(), "Active SLAs").filter({ hasText: /^0$/ }));
		await card().getByRole("button", { name: `Deactivate the trust with ${provider.name}` }).click();
		await a.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
		await expect.poll(() => card().getByText("Deactivated", { exact: true }).isVisible()).toBe(true);
		expect(await card().textContent()).toContain(`${provider.name} was your service provider until the trust was deactivated.`);

		await nav(b, "Trusts");
		const theirs = () => b.getByRole("listitem", { name: customer.name });
		await reloadUntilVisible(b, () => theirs().getByText("Deactivated", { exact: true }));
		expect(await theirs().textContent()).toContain(`${customer.name} was your customer until the trust was deactivated.`);
		await theirs().getByText(/^History/).click();
		expect(await theirs().locator(".timeline").textContent()).toContain(`${customer.admin} (${customer.name}) deactivated the trust`);
		// Nothing is left for the provider to offer: no customer to choose for a new SLA.
		await nav(b, "SLAs");
		// The page shows its heading at once and its SLAs when they have loaded.
		await expect.poll(() => b.getByRole("listitem", { name: slaName, exact: true }).getByText("Expired", { exact: true }).isVisible()).toBe(true);
		noPageErrors();
	});
});

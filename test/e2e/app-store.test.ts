// Issue 11's acceptance, end to end: Anna, acme's administrator, installs the app widget-dc offers
// its customers ("Widget Monitoring", seeded). The provider's app endpoint — the receiver this
// test run started (global-setup.ts) — gets app.installed with the token, signed with the app's
// secret and verified here with the standardwebhooks library. The app posts an event with that
// token: the request it opens appears live in Bob's Inbox at widget-dc, and the app hears of it
// through acme's own webhook, signed with the installation's secret. Anna uninstalls the app at
// the end (the token stops working), so the demo is left as it was.
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const receiverUrl = inject("receiverUrl");
const appSecret = inject("appSecret");
const APP = "Widget Monitoring";
const run = Date.now().toString(36);
const subject = `Mailbox server mx-02 not answering (${run})`;

interface Delivery {
	type: string;
	data: Record<string, unknown>;
}
interface Installed {
	account: { id: string };
	token: string;
	scopes: string[];
	webhook: { secret: string };
}

interface Raw {
	headers: Record<string, string>;
	body: string;
}

/** What the app's endpoint received, as it came (other tests' requests at acme arrive there too). */
async function received(): Promise<Raw[]> {
	const res = await fetch(`${receiverUrl}/received/widget-monitoring`);
	return (await res.json()) as Raw[];
}

/** The deliveries of one type, each verified with `secret` (the library throws on a bad signature). */
async function receivedOf(type: string, secret: string): Promise<Delivery[]> {
	return (await received()).filter((d) => (JSON.parse(d.body) as Delivery).type === type).map((d) => new Webhook(secret).verify(d.body, d.headers) as Delivery);
}

const liveState = (page: Page) => page.getByTestId("live-indicator").getAttribute("data-state");

describe("an app one account offers, installed by another, opening requests live", () => {
	let anna: OpenBrowser;
	let bob: OpenBrowser;
	let a: Page;
	let b: Page;
	let installed: Installed | undefined;
	const errors: string[] = [];

	beforeAll(async () => {
		[anna, bob] = await Promise.all([openBrowser(), openBrowser()]);
		a = anna.page;
		b = bob.page;
		for (const p of [a, b]) p.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await Promise.all([anna?.close(), bob?.close()]);
	});

	it("Anna installs Widget Monitoring; the provider's endpoint gets a signed token with exactly the app's scopes", async () => {
		await signIn(a, "acme", "anna@acme.example", "Anna");
		await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Apps" }).click();
		await a.waitForURL(`${baseUrl}/acme/apps`);
		await a.getByRole("button", { name: `Install ${APP}` }).click();
		const dialog = a.getByRole("dialog", { name: `Install ${APP}` });
		const scopes = dialog.getByRole("list", { name: "Scopes to grant" });
		await expect.poll(() => scopes.textContent()).toContain("events:write");
		expect(await scopes.textContent()).toContain("requests:read");
		await dialog.getByLabel("Site name").fill("Acme HQ");
		await dialog.getByRole("button", { name: "Install app" }).click();
		const row = a.getByRole("table", { name: "Installed apps" }).getByRole("row", { name: APP });
		await expect.poll(() => row.isVisible()).toBe(true);

		await expect.poll(async () => (await receivedOf("app.installed", appSecret)).length, { timeout: 20_000 }).toBe(1);
		installed = (await receivedOf("app.installed", appSecret))[0]?.data as Installed | undefined;
		expect(installed?.account.id).toBe("acme");
		expect([...(installed?.scopes ?? [])].sort()).toEqual(["events:write", "requests:read"]);
		expect(installed?.token).toMatch(/\S{20,}/);
		// The token can do what the app was granted and nothing more.
		const asApp = (path: string) => fetch(`${baseUrl}/api/v1/accounts/acme${path}`, { headers: { Authorization: `Bearer ${installed?.token}` } });
		expect((await asApp("/people")).status).toBe(403);
		expect((await fetch(`${baseUrl}/api/v1/accounts/globex/requests`, { headers: { Authorization: `Bearer ${installed?.token}` } })).status).toBe(404);
		expect(errors).toEqual([]);
	});

	it("an event the app posts with that token opens a request that appears live in Bob's Inbox", async () => {
		await signIn(b, "widget-dc", "bob@widget-dc.example", "Bob");
		await b.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inbox", exact: true }).click();
		await b.waitForURL(`${baseUrl}/widget-dc/inbox`);
		await expect.poll(() => liveState(b)).toBe("live");

		const res = await fetch(`${baseUrl}/api/v1/accounts/acme/events`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Authorization: `Bearer ${installed?.token}` },
			body: JSON.stringify({ source: "widget-monitoring", sourceId: `mx-02-down-${run}`, service: "Email", ci: "mx-02", subject, impact: "high", note: "No answer on port 25 for 5 minutes." }),
		});
		const text = await res.text();
		expect(res.status, text).toBe(201);
		const created = JSON.parse(text) as { outcome: string; request: { id: string } };
		expect(created.outcome).toBe("created");

		// Live: no reload of Bob's page.
		const row = b.getByRole("row").filter({ hasText: subject });
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await row.textContent()).toContain("Acme Corporation");

		// The app follows acme's requests (request.*) through acme's webhook for the installation,
		// signed with the secret app.installed handed over: it hears of the request it opened.
		const installationSecret = installed?.webhook.secret ?? "";
		await expect
			.poll(async () => (await receivedOf("request.created", installationSecret)).some((d) => JSON.stringify(d.data).includes(created.request.id)), { timeout: 20_000 })
			.toBe(true);
		expect(errors).toEqual([]);
	});

	it("Anna uninstalls it: the token stops working at once and the app is told", async () => {
		await a.getByRole("button", { name: `Uninstall ${APP}` }).click();
		await a.getByRole("alertdialog").getByRole("button", { name: "Uninstall" }).click();
		// The notice comes once the call has answered. The table alone would not do: while the
		// confirmation is open, the page behind it is hidden from the accessibility tree, so its
		// row "disappears" before the uninstall is done.
		await expect.poll(() => a.getByText(`${APP} was uninstalled; its token no longer works.`).isVisible()).toBe(true);
		await expect.poll(() => a.getByRole("table", { name: "Installed apps" }).getByRole("row", { name: APP }).count()).toBe(0);
		const res = await fetch(`${baseUrl}/api/v1/accounts/acme/events`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Authorization: `Bearer ${installed?.token}` },
			body: JSON.stringify({ source: "widget-monitoring", sourceId: `after-${run}`, service: "Email", subject: `After uninstall ${run}` }),
		});
		expect(res.status).toBe(401);
		await expect.poll(async () => (await receivedOf("app.uninstalled", appSecret)).length, { timeout: 20_000 }).toBe(1);
		expect(errors).toEqual([]);
	});
});

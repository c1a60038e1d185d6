// The events API in the portal: acme's monitoring token posts an alert for the Email service; the
// request appears live in Bob's Inbox (widget-dc's Email Support), its page says which event opened
// it, and a repeat of the alert arrives live as a note marked as the event's. Relies on the seeded
// demo (scripts/seed.mjs): Anna administers acme, whose Email SLA routes to Bob's team.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const api = `${baseUrl}/api/v1`;
const run = Date.now().toString(36);
const subject = `Mail queue above 1000 (${run})`;
const sourceId = `trigger-${run}`;

/** Anna's session, then a token of acme with events:write only, as a monitoring tool gets it. */
async function monitoringToken(): Promise<string> {
	const res = await fetch(`${api}/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: "anna@acme.example", password: "trustdesk-demo" }),
	});
	expect(res.status).toBe(200);
	const { csrfToken } = (await res.json()) as { csrfToken: string };
	const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
	const created = await fetch(`${api}/accounts/acme/api-tokens`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrfToken },
		body: JSON.stringify({ name: `Zabbix ${run}`, scopes: ["events:write"] }),
	});
	expect(created.status).toBe(201);
	return ((await created.json()) as { secret: string }).secret;
}

async function postEvent(token: string, body: Record<string, unknown>, status: number): Promise<{ outcome: string; request: { id: string } }> {
	const res = await fetch(`${api}/accounts/acme/events`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
		body: JSON.stringify({ source: "zabbix", sourceId, service: "Email", ci: "mx-01.acme.example", subject, impact: "high", ...body }),
	});
	const text = await res.text();
	expect(res.status, text).toBe(status);
	return JSON.parse(text) as { outcome: string; request: { id: string } };
}

const liveState = (page: Page) => page.getByTestId("live-indicator").getAttribute("data-state");

describe("an event of a monitoring tool, in the portal", () => {
	let bob: OpenBrowser;
	let b: Page;
	let token = "";
	const errors: string[] = [];

	beforeAll(async () => {
		bob = await openBrowser();
		b = bob.page;
		b.on("pageerror", (err) => errors.push(err.message));
		token = await monitoringToken();
	});
	afterAll(async () => {
		await bob?.close();
	});

	it("opens a request that appears live in Bob's Inbox", async () => {
		await b.goto(`${baseUrl}/widget-dc/`);
		await b.getByLabel("E-mail address").fill("bob@widget-dc.example");
		await b.getByLabel("Password").fill("trustdesk-demo");
		await b.getByRole("button", { name: "Sign in" }).click();
		await expect.poll(() => b.getByRole("heading", { name: "Welcome, Bob" }).isVisible()).toBe(true);
		await b.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inbox", exact: true }).click();
		await b.waitForURL(`${baseUrl}/widget-dc/inbox`);
		await expect.poll(() => liveState(b)).toBe("live");

		const created = await postEvent(token, { note: "Queue at 1432 messages." }, 201);
		expect(created.outcome).toBe("created");
		const row = b.getByRole("row").filter({ hasText: subject });
		await expect.poll(() => row.isVisible()).toBe(true);
		expect(await row.textContent()).toContain("Acme Corporation");
		expect(errors).toEqual([]);
	});

	it("says on the request page which event opened it, and marks the event's notes, a repeat arriving live", async () => {
		await b.getByRole("row").filter({ hasText: subject }).getByRole("link", { name: subject }).click();
		await expect.poll(() => b.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		await expect.poll(() => b.getByTestId("event-origin").textContent()).toBe(`Opened by an event from zabbix · ${sourceId} · about mx-01.acme.example`);
		await expect.poll(() => b.getByTestId("event-note").count()).toBe(1);
		await expect.poll(() => liveState(b)).toBe("live");

		const repeat = await postEvent(token, { note: `Queue at 2210 messages (${run}).` }, 200);
		expect(repeat.outcome).toBe("noted");
		const note = b.locator(".tl-note").filter({ hasText: `Queue at 2210 messages (${run}).` });
		await expect.poll(() => note.isVisible()).toBe(true);
		expect(await note.getByTestId("event-note").textContent()).toBe(`From the event source zabbix · ${sourceId}`);
		expect(errors).toEqual([]);
	});
});

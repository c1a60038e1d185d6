// People reached where they are (issue 9's acceptance), in two browsers and the local mailbox:
// Alice (acme) registers a request; Bob's bell (widget-dc) counts it live; Bob answers and waits
// for her; the mail telling Alice is in the local mailbox, with the request's reply address; her
// reply, posted to wrangler's local email endpoint as a mail server would deliver it, appears live
// as a note on Bob's page (without the quoted mail); and Alice, having forgotten her password,
// sets a new one from the link in the mail. Her demo password is put back at the end, for the
// other browser tests. Relies on the seeded demo (scripts/seed.mjs).
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const subject = `Printer offline ${run}`;
const bobsNote = `Is the printer on the 2nd floor or the 3rd, ${run}?`;
const alicesReply = `The one on the 3rd floor, next to the kitchen (${run}).`;
const ALICE = "alice@acme.example";
const DEMO_PASSWORD = "trustdesk-demo";
const NEW_PASSWORD = `copper kettle lantern ${run}`;

interface MailboxMessage {
	id: string;
	from: string;
	to: string;
	replyTo: string | null;
	subject: string;
	text: string;
	links: string[];
	headers: Record<string, string>;
}

async function mailboxOf(address: string): Promise<MailboxMessage[]> {
	const res = await fetch(`${baseUrl}/api/dev/mailbox?format=json&to=${encodeURIComponent(address)}`);
	expect(res.status).toBe(200);
	return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}


/** A reset link for Alice from the newest reset mail in her mailbox, as a path; undefined until it is there. */
async function newestResetLink(after: Set<string>): Promise<string | undefined> {
	const fresh = (await mailboxOf(ALICE)).filter((m) => !after.has(m.id));
	const link = fresh.flatMap((m) => m.links).find((l) => /\/reset-password\?token=[A-Za-z0-9_-]+$/.test(l));
	if (!link) return undefined;
	const url = new URL(link);
	return `${url.pathname}${url.search}`;
}

const bell = (page: Page) => page.getByTestId("notification-bell");
const bellLabel = (page: Page) => bell(page).getAttribute("aria-label");
const header = (page: Page) => page.locator(".request-header");
const timeline = (page: Page) => page.getByRole("list", { name: "Notes and changes, oldest first" });
const textOf = async (locator: Locator) => (await locator.textContent()) ?? "";

describe("notifications and e-mail, in and out", () => {
	let alice: OpenBrowser;
	let bob: OpenBrowser;
	let a: Page;
	let b: Page;
	const errors: string[] = [];
	let requestId = "";
	let replyTo = "";
	let firstMail: MailboxMessage | undefined;

	beforeAll(async () => {
		[alice, bob] = await Promise.all([openBrowser(), openBrowser()]);
		a = alice.page;
		b = bob.page;
		for (const p of [a, b]) p.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await Promise.all([alice?.close(), bob?.close()]);
	});

	it("signs in Alice at acme and Bob at widget-dc; Bob's bell starts with nothing unread", async () => {
		await Promise.all([signIn(a, "acme", ALICE, "Alice"), signIn(b, "widget-dc", "bob@widget-dc.example", "Bob")]);
		await bell(b).click();
		await b.waitForURL(`${baseUrl}/widget-dc/notifications`);
		const markAll = b.getByRole("button", { name: "Mark all read" });
		await expect.poll(() => b.getByRole("heading", { name: "Notifications", level: 1 }).isVisible()).toBe(true);
		// The demo's history left Bob unread notifications: the button is enabled once his list is in.
		await expect.poll(async () => (await bellLabel(b)) === "Notifications, none unread" || (await markAll.isEnabled())).toBe(true);
		if (await markAll.isEnabled()) await markAll.click();
		await expect.poll(() => bellLabel(b)).toBe("Notifications, none unread");
		await expect.poll(() => b.getByTestId("live-indicator").getAttribute("data-state")).toBe("live");
		expect(errors).toEqual([]);
	});

	it("Alice registers a request; Bob's bell counts it, live", async () => {
		await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
		await a.getByRole("link", { name: /^Request this service: Email/ }).click();
		await expect.poll(() => a.getByRole("heading", { name: "New request", level: 1 }).isVisible()).toBe(true);
		await a.getByLabel("Subject").fill(subject);
		await a.locator("label", { hasText: "Something is broken" }).click();
		await a.locator("label", { hasText: /^Medium/ }).click();
		await a.getByRole("button", { name: "Register request" }).click();
		await a.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
		requestId = new URL(a.url()).pathname.split("/").pop() ?? "";

		await expect.poll(() => bellLabel(b)).toBe("Notifications, 1 unread");
		const first = b.getByTestId("notification").first();
		await expect.poll(() => first.textContent()).toContain(subject);
		expect(errors).toEqual([]);
	});

	it("Bob opens it from the notification, answers and waits for the customer", async () => {
		await b.getByTestId("notification").first().getByRole("link", { name: new RegExp(subject) }).click();
		await b.waitForURL(`${baseUrl}/widget-dc/requests/${requestId}`);
		await expect.poll(() => b.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		await b.getByRole("button", { name: "Accept", exact: true }).click();
		await expect.poll(() => textOf(header(b))).toContain("Accepted");
		await b.getByLabel("Note", { exact: true }).fill(bobsNote);
		await b.getByRole("button", { name: "Add note" }).click();
		await expect.poll(() => textOf(timeline(b))).toContain(bobsNote);
		await b.getByLabel("Change status", { exact: true }).selectOption({ label: "Waiting for customer" });
		await b.getByRole("button", { name: "Change status" }).click();
		await expect.poll(() => textOf(header(b))).toContain("Waiting for customer");
		await expect.poll(() => textOf(header(a))).toContain("Waiting for your answer");
		expect(errors).toEqual([]);
	});

	it("the mails telling Alice are in the local mailbox: Bob's note, and that the request waits for her", async () => {
		const about = async () => (await mailboxOf(ALICE)).filter((m) => m.subject.includes(subject));
		await expect.poll(async () => (await about()).some((m) => m.text.includes(bobsNote))).toBe(true);
		await expect.poll(async () => (await about()).some((m) => /waits for your answer/.test(m.subject))).toBe(true);
		const mails = await about();
		firstMail = mails.find((m) => m.text.includes(bobsNote));
		expect(firstMail?.from).toMatch(/<acme@[^>]+>$/);
		// From the account that owns the request, branded, linking to it, with its reply address.
		expect(firstMail?.links).toContain(`${baseUrl}/acme/requests/${requestId}`);
		expect(firstMail?.replyTo).toMatch(/^acme\+r\d+-[a-z2-7]{20}@/);
		replyTo = firstMail?.replyTo ?? "";
		// All mails of the request carry the same thread address.
		expect(new Set(mails.map((m) => m.replyTo))).toEqual(new Set([replyTo]));
		// Bob's internal notes never reach Alice by mail either.
		for (const m of mails) expect(m.text).not.toMatch(/INTERNAL/);
	});

	it("Alice answers by e-mail: her reply appears live as a note on Bob's page, without the quoted mail", async () => {
		const quoted = (firstMail?.text ?? "").split("\n").map((l) => `> ${l}`).join("\r\n");
		const raw = [
			`From: Alice Archer <${ALICE}>`,
			`To: ${replyTo}`,
			`Subject: Re: ${firstMail?.subject ?? subject}`,
			`Message-ID: <reply-${run}@acme.example>`,
			`In-Reply-To: <${replyTo}>`,
			`References: <${replyTo}>`,
			"Date: Mon, 07 Dec 2026 09:00:00 +0000",
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=utf-8",
			"",
			alicesReply,
			"",
			"On Monday, Acme Corporation wrote:",
			quoted,
			"",
		].join("\r\n");
		const res = await fetch(`${baseUrl}/cdn-cgi/handler/email?from=${encodeURIComponent(ALICE)}&to=${encodeURIComponent(replyTo)}`, {
			method: "POST",
			body: raw,
		});
		expect(res.status).toBeLessThan(300);
		await res.body?.cancel();
		await expect.poll(() => textOf(timeline(b))).toContain(alicesReply);
		expect(await textOf(timeline(b))).not.toContain(`> ${bobsNote}`);
		// Alice's own page has it too, as her note.
		await expect.poll(() => textOf(timeline(a))).toContain(alicesReply);
		expect(errors).toEqual([]);
	});

	it("a forged reply (someone else's From) to the same address adds nothing", async () => {
		const forged = `Forged by someone else (${run})`;
		const raw = [
			"From: Mallory <mallory@evil.example>",
			`To: ${replyTo}`,
			"Subject: Re: hello",
			`Message-ID: <forged-${run}@evil.example>`,
			"Content-Type: text/plain; charset=utf-8",
			"",
			forged,
			"",
		].join("\r\n");
		expect(replyTo).not.toBe("");
		const res = await fetch(`${baseUrl}/cdn-cgi/handler/email?from=mallory%40evil.example&to=${encodeURIComponent(replyTo)}`, { method: "POST", body: raw });
		// Refused (the sender takes part in nothing here): the mail server bounces it.
		expect(res.status).toBeGreaterThanOrEqual(400);
		await res.body?.cancel();
		// Give it the time the real reply took, then look: nothing.
		await new Promise((r) => setTimeout(r, 1_500));
		expect(await textOf(timeline(b))).not.toContain(forged);
	});

	it("Alice forgets her password and sets a new one from the link in the mail", async () => {
		const before = new Set((await mailboxOf(ALICE)).map((m) => m.id));
		await a.getByRole("button", { name: /Signed in as Alice Archer/ }).click();
		await a.getByRole("menuitem", { name: "Sign out" }).click();
		await a.goto(`${baseUrl}/acme/`);
		await a.getByLabel("E-mail address").fill(ALICE);
		await a.getByRole("link", { name: "Forgot your password?" }).click();
		await expect.poll(() => a.getByRole("heading", { level: 1, name: "Forgot your password?" }).isVisible()).toBe(true);
		await a.getByRole("button", { name: "Send me a link" }).click();
		await expect.poll(() => a.getByText(/an e-mail with a link to choose a new password is on its way/).isVisible()).toBe(true);

		await expect.poll(() => newestResetLink(before)).toBeDefined();
		const link = (await newestResetLink(before)) ?? "";
		await a.goto(`${baseUrl}${link}`);
		await expect.poll(() => a.getByRole("heading", { level: 1, name: "Choose a new password" }).isVisible()).toBe(true);
		await a.getByLabel("New password").fill(NEW_PASSWORD);
		await a.getByRole("button", { name: "Set new password" }).click();
		await expect.poll(() => a.getByText("Your new password is set.").isVisible()).toBe(true);
		await signIn(a, "acme", ALICE, "Alice", NEW_PASSWORD);
		// She is back on her request, and her e-mailed answer is there.
		await a.goto(`${baseUrl}/acme/requests/${requestId}`);
		await expect.poll(() => textOf(timeline(a))).toContain(alicesReply);
		expect(errors).toEqual([]);
	});

	it("puts Alice's demo password back (through the same reset), for the other tests", async () => {
		const before = new Set((await mailboxOf(ALICE)).map((m) => m.id));
		const asked = await fetch(`${baseUrl}/api/v1/password-resets`, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ email: ALICE, accountId: "acme" }),
		});
		expect(asked.status).toBe(202);
		await asked.body?.cancel();
		await expect.poll(() => newestResetLink(before)).toBeDefined();
		const token = new URL(`${baseUrl}${(await newestResetLink(before)) ?? ""}`).searchParams.get("token") ?? "";
		const set = await fetch(`${baseUrl}/api/v1/password-resets/${token}`, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ password: DEMO_PASSWORD }),
		});
		expect(set.status).toBeLessThan(300);
		await set.body?.cancel();
		const signIn = await fetch(`${baseUrl}/api/v1/session`, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ email: ALICE, password: DEMO_PASSWORD }),
		});
		expect(signIn.status).toBe(200);
		await signIn.body?.cancel();
	});
});

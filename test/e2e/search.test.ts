// Global search in the portal (issue 10): Alice (acme) registers a request whose note holds a word
// found nowhere else; Bob (widget-dc's Email Support) presses `/`, types the word, and finds her
// request among his results, the word highlighted, then follows it. Relies on the seeded demo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const run = Date.now().toString(36);
const word = `quasar${run}`;
const subject = `Search me ${run}`;


describe("global search", () => {
	let alice: OpenBrowser;
	let bob: OpenBrowser;
	const errors: string[] = [];

	beforeAll(async () => {
		[alice, bob] = await Promise.all([openBrowser(), openBrowser()]);
		for (const p of [alice.page, bob.page]) p.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await Promise.all([alice?.close(), bob?.close()]);
	});

	it("Alice registers a request with a note", async () => {
		const a = alice.page;
		await signIn(a, "acme", "alice@acme.example", "Alice");
		await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
		await a.getByRole("link", { name: /^Request this service: Email/ }).click();
		await a.waitForURL((url) => url.pathname === "/acme/requests/new");
		await a.getByLabel("Subject").fill(subject);
		await a.locator("label", { hasText: "Something is broken" }).click();
		await a.locator("label", { hasText: /^Medium/ }).click();
		await a.getByLabel("What is going on? (optional)").fill(`The ${word} relay drops every mail after noon.`);
		await a.getByRole("button", { name: "Register request" }).click();
		await a.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
	});

	it("Bob presses / , types a word of her note, and finds her request, the word highlighted", async () => {
		const b = bob.page;
		await signIn(b, "widget-dc", "bob@widget-dc.example", "Bob");
		const box = b.getByRole("searchbox", { name: "Search" });
		await b.locator("main h1").first().click(); // focus away from any field
		await b.keyboard.press("/");
		await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
		// Escape clears what was typed.
		await b.keyboard.type("nothing");
		await b.keyboard.press("Escape");
		expect(await box.inputValue()).toBe("");
		await b.keyboard.press("/");
		// The request reaches Bob's Inbox through a message: search until it is there.
		await expect
			.poll(async () => {
				await box.fill(word.slice(0, -2)); // the start of the word is enough
				await box.press("Enter");
				await b.waitForURL((url) => url.pathname === "/widget-dc/search");
				await b.getByRole("heading", { name: "Search", level: 1 }).waitFor();
				await b.locator(".spinner").waitFor({ state: "detached" }).catch(() => undefined);
				return b.getByRole("link", { name: subject }).count();
			}, { timeout: 15_000 })
			.toBe(1);
		expect(new URL(b.url()).searchParams.get("q")).toBe(word.slice(0, -2));
		const requests = b.getByRole("region", { name: "Requests" });
		expect(await requests.locator("mark").first().textContent()).toBe(word);
		await expect.poll(() => b.getByTestId("live-announcer").textContent()).toMatch(/results? for/);
		await b.getByRole("link", { name: subject }).click();
		await b.waitForURL(/\/widget-dc\/requests\/req_[A-Za-z0-9]+$/);
		await expect.poll(() => b.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		expect(errors).toEqual([]);
	});
});

// Attachments in the browser, across two accounts and without a reload: Bob (widget-dc) attaches a
// screenshot to a note on Alice's (acme) request, and pastes a second image into the note box;
// Alice sees the note with both files live, as thumbnails, and downloads the screenshot: the
// same bytes, as an attachment. Relies on the seeded demo (scripts/seed.mjs).
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type OpenBrowser, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const run = Date.now().toString(36);
const subject = `Attach test ${run}`;
const noteText = `Here is what I see (${run}).`;
/** A real 1×1 PNG, so that the thumbnail decodes. */
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG = Buffer.from(PNG_B64, "base64");


describe("attachments, live across two accounts", () => {
	let alice: OpenBrowser;
	let bob: OpenBrowser;
	let a: Page;
	let b: Page;
	const errors: string[] = [];
	let requestId = "";

	beforeAll(async () => {
		[alice, bob] = await Promise.all([openBrowser(), openBrowser()]);
		a = alice.page;
		b = bob.page;
		for (const p of [a, b]) p.on("pageerror", (err) => errors.push(err.message));
	});
	afterAll(async () => {
		await Promise.all([alice?.close(), bob?.close()]);
	});

	it("Alice registers a request; Bob opens it", async () => {
		await Promise.all([signIn(a, "acme", "alice@acme.example", "Alice"), signIn(b, "widget-dc", "bob@widget-dc.example", "Bob")]);
		await a.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Catalog", exact: true }).click();
		await a.getByRole("link", { name: /^Request this service: Email/ }).click();
		await expect.poll(() => a.getByRole("heading", { name: "New request", level: 1 }).isVisible()).toBe(true);
		await a.getByLabel("Subject").fill(subject);
		await a.getByRole("button", { name: "Register request" }).click();
		await a.waitForURL(/\/acme\/requests\/req_[A-Za-z0-9]+$/);
		requestId = new URL(a.url()).pathname.split("/").pop() ?? "";
		await expect.poll(() => a.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
		await a.evaluate(() => {
			(window as unknown as { __noReload?: boolean }).__noReload = true;
		});

		// The request reaches the provider through its Inbox index: open it once it is there.
		await expect
			.poll(async () => {
				await b.goto(`${baseUrl}/widget-dc/requests/${requestId}`);
				return b
					.getByRole("heading", { name: subject, level: 1 })
					.waitFor({ state: "visible", timeout: 3000 })
					.then(
						() => true,
						() => false,
					);
			})
			.toBe(true);
	});

	it("Bob attaches a screenshot and pastes an image into the note", async () => {
		await b.getByLabel("Note", { exact: true }).fill(noteText);
		await b.locator('input[type="file"][name="attachments"]').setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: PNG });
		await b.getByLabel("Note", { exact: true }).evaluate((el, b64) => {
			const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
			const data = new DataTransfer();
			data.items.add(new File([bytes], "image.png", { type: "image/png" }));
			el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
		}, PNG_B64);
		const uploads = b.getByRole("list", { name: "Files for this note" });
		await expect.poll(() => uploads.locator('[data-upload-state="done"]').count()).toBe(2);
		expect(await uploads.textContent()).toContain("screenshot.png");
		expect(await uploads.textContent()).toMatch(/pasted-[0-9T-]+Z?\.png/);
		await b.getByRole("button", { name: "Add note" }).click();
		const note = b.getByRole("article", { name: "Note from Bob Baker" }).filter({ hasText: noteText });
		await expect.poll(() => note.getByRole("list", { name: "Attached files" }).locator("li").count()).toBe(2);
		await expect.poll(() => b.getByRole("list", { name: "Files for this note" }).count()).toBe(0);
	});

	it("Alice sees the note with its files live, previews them, and downloads the screenshot", async () => {
		const note = a.getByRole("article", { name: "Note from Bob Baker" }).filter({ hasText: noteText });
		await expect.poll(() => note.isVisible()).toBe(true);
		const files = note.getByRole("list", { name: "Attached files" });
		await expect.poll(() => files.locator("li").count()).toBe(2);
		expect(await files.textContent()).toContain("image/png");
		const thumb = files.getByRole("img", { name: "Preview of screenshot.png" });
		await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBe(1);
		expect(await a.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

		const link = files.getByRole("link", { name: "screenshot.png", exact: true });
		const href = (await link.getAttribute("href")) ?? "";
		expect(href).toMatch(new RegExp(`^/api/v1/accounts/acme/requests/${requestId}/attachments/att_`));
		const [download] = await Promise.all([a.waitForEvent("download"), link.click()]);
		expect(download.suggestedFilename()).toBe("screenshot.png");
		expect(await readFile(await download.path())).toEqual(PNG);
		// What the server said about it: an attachment, never sniffed.
		const headers = await a.evaluate(async (url) => {
			const res = await fetch(url);
			return { status: res.status, disposition: res.headers.get("Content-Disposition"), nosniff: res.headers.get("X-Content-Type-Options") };
		}, href);
		expect(headers).toEqual({ status: 200, disposition: `attachment; filename="screenshot.png"; filename*=UTF-8''screenshot.png`, nosniff: "nosniff" });
		expect(errors).toEqual([]);
	});
});

// Outbound e-mail: composing (text + HTML in the account's branding, escaping, header injection
// refused, thread Reply-To, preferences link), the account's queue (written with the fact, sent
// after the commit, retried 1 min → 12 h, then failed), the delivery log API and its isolation,
// and the local demo's mailbox (absent without DEMO_TOOLS).
import { beforeAll, describe, expect, it } from "vitest";
import { composeMail, escapeHtml } from "../../worker/mail/compose";
import type { MailDelivery } from "../../worker/mail/queue";
import type { MailToSend } from "../../worker/mail/types";
import { signUp, type AccountAdmin } from "./helpers";
import { stubOf } from "./service-helpers";

const mailTo = (email: string, extra: Partial<MailToSend> = {}): MailToSend => ({
	kind: "notification",
	to: { email, name: "Alice Example" },
	subject: "Your request was updated",
	paragraphs: ["Bob added a note."],
	...extra,
});

const BRANDING = { accountId: "widget-dc", title: "Widget Data Centers", primaryColor: "#0055aa" };
const CTX = { branding: BRANDING, portalUrl: "https://desk.example.com/widget-dc/", mailDomain: "mail.example.com", threadAddress: null };

const deliveriesOf = async (accountId: string): Promise<MailDelivery[]> => {
	const page = await stubOf(accountId).listMailDeliveries();
	if (!page.ok) throw new Error(page.error.message);
	return page.value.deliveries;
};

describe("composeMail", () => {
	it("writes text and HTML in the account's branding, with the preferences link", () => {
		const m = composeMail(mailTo("alice@example.test", { action: { label: "Open the request", url: "https://desk.example.com/widget-dc/requests/r1" } }), CTX);
		expect(m.from).toEqual({ email: "widget-dc@mail.example.com", name: "Widget Data Centers" });
		expect(m.to).toEqual({ email: "alice@example.test", name: "Alice Example" });
		expect(m.text).toContain("Bob added a note.");
		expect(m.text).toContain("Open the request: https://desk.example.com/widget-dc/requests/r1");
		expect(m.text).toContain("https://desk.example.com/widget-dc/profile/notifications");
		expect(m.html).toContain("#0055aa");
		expect(m.html).toContain("Widget Data Centers");
		expect(m.html).toContain('href="https://desk.example.com/widget-dc/profile/notifications"');
		expect(m.headers["Auto-Submitted"]).toBe("auto-generated");
		expect(m.headers["List-Unsubscribe"]).toBe("<https://desk.example.com/widget-dc/profile/notifications>");
		expect(m.replyTo).toBeUndefined();
		expect(m.headers["References"]).toBeUndefined();
	});

	it("escapes everything that lands in HTML", () => {
		const evil = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;
		const m = composeMail(mailTo("alice@example.test", { paragraphs: [evil], action: { label: "<b>Go</b>", url: "https://example.com/?a=1&b=\"2\"" } }), {
			...CTX,
			branding: { ...BRANDING, title: "<i>Acme</i>", primaryColor: "red;background:url(x)" },
		});
		expect(m.html).not.toContain("<script>");
		expect(m.html).not.toContain("<img");
		expect(m.html).not.toContain("<b>Go</b>");
		expect(m.html).not.toContain("<i>Acme</i>");
		expect(m.html).toContain(escapeHtml(evil));
		expect(m.html).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;"');
		// A colour that is not one falls back to the default instead of reaching the style attribute.
		expect(m.html).not.toContain("url(x)");
		// The text part is not HTML: it keeps the words as written.
		expect(m.text).toContain(evil);
	});

	it("refuses header injection in the subject and names, and non-web links", () => {
		const bad: MailToSend[] = [
			mailTo("alice@example.test", { subject: "Hello\r\nBcc: victim@example.test" }),
			mailTo("alice@example.test", { subject: "Hello\nX-Evil: 1" }),
			mailTo("alice@example.test", { subject: "Tab\tand NUL\u0000" }),
			mailTo("alice@example.test", { subject: "Line\u2028separator" }),
			{ ...mailTo("alice@example.test"), to: { email: "alice@example.test", name: "Alice\r\nBcc: victim@example.test" } },
			{ ...mailTo("alice@example.test"), to: { email: "alice@example.test\r\nBcc: victim@example.test", name: "Alice" } },
			mailTo("alice@example.test", { subject: "   " }),
			mailTo("alice@example.test", { action: { label: "Click", url: "javascript:alert(1)" } }),
			mailTo("alice@example.test", { action: { label: "Click\r\nX: y", url: "https://example.com/" } }),
		];
		for (const m of bad) expect(() => composeMail(m, CTX), JSON.stringify(m)).toThrow();
	});

	it("threads by the request's address, not by the subject", () => {
		const thread = "widget-dc+r12-abcdefghijklmnopqrst@mail.example.com";
		const m = composeMail(mailTo("alice@example.test", { requestId: "req-1", subject: "Anything at all" }), { ...CTX, threadAddress: thread });
		expect(m.replyTo).toBe(thread);
		expect(m.headers["References"]).toBe(`<${thread}>`);
		expect(m.headers["In-Reply-To"]).toBe(`<${thread}>`);
		expect(m.text).toContain("https://desk.example.com/widget-dc/requests/req-1");
		expect(m.html).toContain('href="https://desk.example.com/widget-dc/requests/req-1"');
	});

	it("sets List-Unsubscribe only where the Email Service accepts it (https) and only on notifications", () => {
		expect(composeMail(mailTo("a@example.test"), { ...CTX, portalUrl: "http://localhost:8787/widget-dc/" }).headers["List-Unsubscribe"]).toBeUndefined();
		expect(composeMail(mailTo("a@example.test", { kind: "password_reset", sensitive: true }), CTX).headers["List-Unsubscribe"]).toBeUndefined();
	});
});

describe("the account's mail queue", () => {
	let admin: AccountAdmin;
	beforeAll(async () => {
		admin = await signUp();
	});

	it("refuses a mail that would inject a header, and writes nothing", async () => {
		const stub = stubOf(admin.accountId);
		const before = (await deliveriesOf(admin.accountId)).length;
		const result = await stub.queueMail(mailTo("x@example.test", { subject: "Hi\r\nBcc: victim@example.test" }));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.code).toBe("invalid_input");
		expect((await deliveriesOf(admin.accountId)).length).toBe(before);
	});

	it("sends a queued mail right after the commit, through the binding", async () => {
		const email = `sent-${crypto.randomUUID()}@example.test`;
		const queued = await stubOf(admin.accountId).queueMail(mailTo(email));
		expect(queued.ok).toBe(true);
		await stubOf(admin.accountId).sendMailNow(); // waits for the run the commit started
		const log = (await deliveriesOf(admin.accountId)).find((d) => d.recipient.email === email);
		expect(log).toMatchObject({ status: "sent", attempts: 1, lastError: null, nextAttemptAt: null, subject: "Your request was updated" });
		expect(log?.finishedAt).not.toBeNull();
	});
});

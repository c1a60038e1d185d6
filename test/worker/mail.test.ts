// Outbound e-mail: composing (text + HTML in the account's branding, escaping, header injection
// refused, thread Reply-To, preferences link), the account's queue (written with the fact, sent
// after the commit, retried 1 min → 12 h, then failed), the delivery log API and its isolation,
// and the local demo's mailbox (absent without DEMO_TOOLS).
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountDb } from "../../worker/account/db";
import { readProfile } from "../../worker/account/profile";
import { createApp } from "../../worker/app";
import { composeMail, escapeHtml } from "../../worker/mail/compose";
import { MAX_ATTEMPTS, queueMail, RETRY_DELAYS_MS, sendDueMail, type MailDelivery } from "../../worker/mail/queue";
import { parseLocalPart } from "../../worker/mail/thread";
import { mailTransport } from "../../worker/mail/transport";
import type { AddressedMail } from "../../worker/mail/types";
import type { MailDeliveryPage } from "../../worker/shared/mail-api";
import { SCOPES } from "../../worker/shared/roles";
import { ORIGIN, addMember, call, callError, callJson, createToken, signUp, type AccountAdmin, type Caller } from "./helpers";
import { makeWorld, register, type World } from "./request-helpers";
import { inObject, stubOf } from "./service-helpers";

const { app } = createApp();
/** The Worker's environment as `npm start` runs it: the local demo's tools on. */
const DEMO_ENV = { ...env, DEMO_TOOLS: "1" };

async function fetchDemo(path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await app.fetch(new Request(`${ORIGIN}${path}`), DEMO_ENV, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

interface MailboxMessage {
	id: string;
	accountId: string;
	from: string;
	to: string;
	replyTo: string | null;
	subject: string;
	headers: Record<string, string>;
	text: string;
	html: string;
	links: string[];
	sentAt: string;
}

async function mailboxOf(email: string): Promise<MailboxMessage[]> {
	const res = await fetchDemo(`/api/dev/mailbox?format=json&to=${encodeURIComponent(email)}`);
	expect(res.status).toBe(200);
	return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}

/**
 * Sends the account's due mails the way the object does, but through a transport of the demo's
 * environment, so that what the binding took lands in the local mailbox too.
 */
function sendAsDemo(accountId: string, now = Date.now()) {
	return inObject(accountId, async (_instance, state) => {
		const db = accountDb(state.storage);
		const profile = readProfile(db);
		if (!profile) throw new Error("no profile");
		return sendDueMail(db, mailTransport(DEMO_ENV, db, profile), () => now);
	});
}

const mailTo = (email: string, extra: Partial<AddressedMail> = {}): AddressedMail => ({
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
	return page.value.items;
};

describe("composeMail", () => {
	it("makes a path on this site absolute on the portal's origin, and refuses one that leaves it", () => {
		const m = composeMail(mailTo("ann@example.test", { action: { label: "See the trust", url: "/widget-dc/trusts" } }), CTX);
		expect(m.text).toContain("See the trust: https://desk.example.com/widget-dc/trusts");
		expect(m.html).toContain('href="https://desk.example.com/widget-dc/trusts"');
		for (const url of ["//evil.example/x", "/\\evil.example/x", "/a b", "javascript:alert(1)"]) {
			expect(() => composeMail(mailTo("ann@example.test", { action: { label: "Go", url } }), CTX), url).toThrow();
		}
	});

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
		const bad: AddressedMail[] = [
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

	it("queues in the caller's transaction: a change that rolls back leaves no mail", async () => {
		const email = `rolled-back-${crypto.randomUUID()}@example.test`;
		await inObject(admin.accountId, (_instance, state) => {
			const db = accountDb(state.storage);
			expect(() =>
				db.transaction(() => {
					const queued = queueMail(db, mailTo(email), Date.now());
					expect(queued.ok).toBe(true);
					throw new Error("the change fails after queueing");
				}),
			).toThrow("the change fails");
		});
		expect((await deliveriesOf(admin.accountId)).some((d) => d.recipient.email === email)).toBe(false);
	});

	it("reads a person's address from the directory at send time, and drops a sensitive mail's body once sent", async () => {
		const member = await addMember(admin, admin.accountId, ["end_user"], "Mia Mover");
		const queued = await inObject(admin.accountId, (_instance, state) =>
			queueMail(
				accountDb(state.storage),
				{
					kind: "password_reset",
					to: { email: "old-address@example.test", name: "Mia", personId: member.id },
					subject: "Reset your password",
					paragraphs: ["Someone asked to reset your password."],
					action: { label: "Choose a new password", url: "https://desk.example.com/reset/s3cret-token" },
					sensitive: true,
				},
				Date.now(),
			),
		);
		if (!queued.ok) throw new Error(queued.error.message);
		expect((await sendAsDemo(admin.accountId)).sent).toBeGreaterThanOrEqual(1);
		const [got] = await mailboxOf(member.email);
		expect(got?.subject).toBe("Reset your password");
		expect(got?.links).toContain("https://desk.example.com/reset/s3cret-token");
		expect(await mailboxOf("old-address@example.test")).toEqual([]);
		const log = (await deliveriesOf(admin.accountId)).find((d) => d.id === queued.value.id);
		expect(log).toMatchObject({ status: "sent", sensitive: true, recipient: { email: member.email, name: "Mia Mover" } });
		const stored = await inObject(admin.accountId, (_i, state) => state.storage.sql.exec<{ content: string | null }>("select content from mail_outbox where id = ?", queued.value.id).one());
		expect(stored.content).toBeNull();
	});
});

describe("bounces", () => {
	it("a bounce reported for a sent mail's Message-ID shows in the log; an unknown id changes nothing", async () => {
		const admin = await signUp();
		const stub = stubOf(admin.accountId);
		const queued = await stub.queueMail(mailTo(`bounce-${crypto.randomUUID()}@example.test`));
		if (!queued.ok) throw new Error(queued.error.message);
		await stub.sendMailNow();
		const messageId = await inObject(admin.accountId, (_i, state) =>
			state.storage.sql.exec<{ message_id: string | null }>("select message_id from mail_outbox where id = ?", queued.value.id).one().message_id,
		);
		expect(messageId).toBeTruthy();
		expect(await stub.recordMailBounce("<nobody@elsewhere.test>", "550 no such user")).toBe(false);
		expect(await stub.recordMailBounce(messageId!, "550 5.1.1 no such user")).toBe(true);
		const d = (await deliveriesOf(admin.accountId)).find((x) => x.id === queued.value.id);
		expect(d).toMatchObject({ status: "bounced", lastError: "550 5.1.1 no such user" });
	});
});

describe("retries", () => {
	it("retries after 1 min, 5 min, 30 min, 2 h and 12 h, driven by the alarm, then gives up", async () => {
		const admin = await signUp();
		const stub = stubOf(admin.accountId);
		await inObject(admin.accountId, (instance) => {
			instance.hooks.failMailSends = 1_000;
		});
		const email = `retry-${crypto.randomUUID()}@example.test`;
		const queued = await stub.queueMail(mailTo(email));
		if (!queued.ok) throw new Error(queued.error.message);
		await stub.sendMailNow(); // the attempt started by the commit
		const entry = async () => (await deliveriesOf(admin.accountId)).find((d) => d.id === queued.value.id)!;
		let offset = 0;
		for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
			const d = await entry();
			expect(d.status, `after attempt ${attempt}`).toBe("queued");
			expect(d.attempts).toBe(attempt);
			expect(d.lastError).toContain("refused");
			const wait = Date.parse(d.nextAttemptAt!) - (Date.now() + offset);
			const expected = RETRY_DELAYS_MS[attempt - 1]!;
			// The next attempt is the schedule's delay after this one (give or take the test's own time).
			expect(wait).toBeGreaterThan(expected - 5_000);
			expect(wait).toBeLessThanOrEqual(expected);
			// The alarm is set for it.
			const alarm = await inObject(admin.accountId, (_i, state) => state.storage.getAlarm());
			expect(alarm).not.toBeNull();
			// Not yet due: a run a moment before sends nothing.
			expect((await stub.sendMailNow()).retrying).toBe(0);
			offset += expected + 1_000;
			await inObject(admin.accountId, (instance) => {
				instance.hooks.offsetMs = offset;
			});
			expect(await runDurableObjectAlarm(stub)).toBe(true);
		}
		const d = await entry();
		expect(d).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, nextAttemptAt: null });
		expect(d.finishedAt).not.toBeNull();
		expect(await inObject(admin.accountId, (instance) => instance.hooks.failMailSends)).toBe(1_000 - MAX_ATTEMPTS);
	});

	it("sends on a later attempt once the Email Service takes the mail", async () => {
		const admin = await signUp();
		const stub = stubOf(admin.accountId);
		await inObject(admin.accountId, (instance) => {
			instance.hooks.failMailSends = 2;
		});
		const queued = await stub.queueMail(mailTo(`later-${crypto.randomUUID()}@example.test`));
		if (!queued.ok) throw new Error(queued.error.message);
		await stub.sendMailNow();
		await inObject(admin.accountId, (instance) => {
			instance.hooks.offsetMs = RETRY_DELAYS_MS[0] + 1_000;
		});
		await stub.sendMailNow();
		await inObject(admin.accountId, (instance) => {
			instance.hooks.offsetMs = RETRY_DELAYS_MS[0] + RETRY_DELAYS_MS[1] + 2_000;
		});
		await stub.sendMailNow();
		const d = (await deliveriesOf(admin.accountId)).find((x) => x.id === queued.value.id);
		expect(d).toMatchObject({ status: "sent", attempts: 3, lastError: null });
	});
});

describe("mails about a request", () => {
	let w: World;
	beforeAll(async () => {
		w = await makeWorld();
	});

	it("carry the request's thread address as Reply-To and References, and a link to it", async () => {
		const request = await register(w, w.sla, w.alice, { subject: "Mailbox full" });
		const queued = await inObject(w.customer.accountId, (_i, state) =>
			queueMail(
				accountDb(state.storage),
				{ ...mailTo(w.alice.email), to: { email: w.alice.email, name: w.alice.name, personId: w.alice.id }, subject: "Re: Mailbox full", requestId: request.id },
				Date.now(),
			),
		);
		expect(queued.ok).toBe(true);
		await sendAsDemo(w.customer.accountId);
		const got = (await mailboxOf(w.alice.email)).find((m) => m.subject === "Re: Mailbox full");
		expect(got).toBeDefined();
		const route = parseLocalPart(got!.replyTo!.split("@")[0]!);
		expect(route).toMatchObject({ kind: "thread", accountId: w.customer.accountId, requestNumber: request.number });
		expect(got!.replyTo!.endsWith(`@${env.MAIL_DOMAIN}`)).toBe(true);
		expect(got!.headers["References"]).toBe(`<${got!.replyTo}>`);
		expect(got!.from).toContain(`<${w.customer.accountId}@${env.MAIL_DOMAIN}>`);
		expect(got!.links).toContain(`http://localhost:8787/${w.customer.accountId}/requests/${request.id}`);
		expect(got!.links).toContain(`http://localhost:8787/${w.customer.accountId}/profile/notifications`);
	});
});

describe("GET /accounts/{accountId}/mail-deliveries", () => {
	let admin: AccountAdmin;
	let other: AccountAdmin;
	beforeAll(async () => {
		[admin, other] = await Promise.all([signUp(), signUp()]);
		for (let i = 0; i < 3; i++) {
			const queued = await stubOf(admin.accountId).queueMail(mailTo(`log-${i}-${crypto.randomUUID()}@example.test`, { subject: `Log ${i}` }));
			expect(queued.ok).toBe(true);
		}
		await stubOf(admin.accountId).sendMailNow();
	});

	const path = (a: AccountAdmin, q = "") => `/accounts/${a.accountId}/mail-deliveries${q}`;

	it("shows administrators the log, newest first, without bodies", async () => {
		const page = await callJson<MailDeliveryPage>(path(admin), 200, { as: admin });
		expect(page.items.map((d) => d.subject).slice(0, 3)).toEqual(["Log 2", "Log 1", "Log 0"]);
		expect(page.items.every((d) => d.status === "sent")).toBe(true);
		expect(JSON.stringify(page)).not.toContain("Bob added a note.");
		expect(page.nextCursor).toBeNull();
	});

	it("pages with a cursor, and refuses a cursor it did not give", async () => {
		const first = await inObject(admin.accountId, (_i, state) => {
			const db = accountDb(state.storage);
			return import("../../worker/mail/queue").then((q) => q.listMailDeliveries(db, undefined, 2));
		});
		if (!first.ok) throw new Error(first.error.message);
		expect(first.value.items.map((d) => d.subject)).toEqual(["Log 2", "Log 1"]);
		const next = await callJson<MailDeliveryPage>(path(admin, `?cursor=${encodeURIComponent(first.value.nextCursor!)}`), 200, { as: admin });
		// Oldest: the confirmation mail of the administrator's sign-up.
		expect(next.items.map((d) => d.subject)).toEqual(["Log 0", "Confirm your e-mail address for Trustdesk"]);
		await callError(path(admin, "?cursor=nonsense"), 400, "invalid_input", { as: admin });
	});

	it("is for administrators and mail:read tokens; other roles get 403, other accounts 404", async () => {
		const [specialist, endUser] = await Promise.all([addMember(admin, admin.accountId, ["specialist"]), addMember(admin, admin.accountId, ["end_user"])]);
		await callError(path(admin), 403, "forbidden", { as: specialist });
		await callError(path(admin), 403, "forbidden", { as: endUser });
		const reader = await createToken(admin, admin.accountId, ["mail:read"]);
		expect((await callJson<MailDeliveryPage>(path(admin), 200, { as: { token: reader.secret } })).items.length).toBeGreaterThanOrEqual(3);
		const noMail = await createToken(admin, admin.accountId, SCOPES.filter((s) => s !== "mail:read"));
		await callError(path(admin), 403, "forbidden", { as: { token: noMail.secret } });
		// Another account's administrator and token see nothing of it, not even that it exists.
		await callError(path(admin), 404, "not_found", { as: other });
		const otherToken = await createToken(other, other.accountId, ["mail:read"]);
		await callError(path(admin), 404, "not_found", { as: { token: otherToken.secret } });
		// Its own log holds only the confirmation mail of its own sign-up.
		const own = (await callJson<MailDeliveryPage>(path(other), 200, { as: other })).items;
		expect(own.map((d) => [d.kind, d.recipient.email])).toEqual([["email_verification", other.email]]);
		await callError(path(admin), 401, "unauthenticated", { as: {} as Caller });
	});
});

describe("the local mailbox (/api/dev/mailbox)", () => {
	it("does not exist without DEMO_TOOLS (production)", async () => {
		for (const p of ["/api/dev/mailbox", "/api/dev/mailbox?format=json", `/api/dev/mailbox/${crypto.randomUUID()}`]) {
			const res = await call(`${ORIGIN}${p}`);
			expect(res.status, p).toBe(404);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
		}
	});

	it("with DEMO_TOOLS, shows every mail the binding took, escaped, with clickable links", async () => {
		const admin = await signUp();
		const email = `page-${crypto.randomUUID()}@example.test`;
		// Queued the way domain code does (no run starts by itself), then sent as `npm start` would.
		const queued = await inObject(admin.accountId, (_i, state) =>
			queueMail(
				accountDb(state.storage),
				mailTo(email, { subject: "<b>Bold</b> & co", paragraphs: ["See <script>x</script>"], action: { label: "Open", url: "https://desk.example.com/x?a=1&b=2" } }),
				Date.now(),
			),
		);
		expect(queued.ok).toBe(true);
		await sendAsDemo(admin.accountId);
		const [json] = await mailboxOf(email);
		expect(json?.links).toContain("https://desk.example.com/x?a=1&b=2");
		const page = await fetchDemo(`/api/dev/mailbox?to=${encodeURIComponent(email)}`);
		expect(page.status).toBe(200);
		expect(page.headers.get("Content-Type")).toContain("text/html");
		const html = await page.text();
		expect(html).toContain("&lt;b&gt;Bold&lt;/b&gt; &amp; co");
		expect(html).not.toContain("<script>x</script>");
		expect(html).toContain('<a href="https://desk.example.com/x?a=1&amp;b=2">');
		const one = await fetchDemo(`/api/dev/mailbox/${json!.id}`);
		expect(one.status).toBe(200);
		expect(await one.text()).toContain("See &lt;script&gt;x&lt;/script&gt;");
	});
});

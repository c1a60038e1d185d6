// Outbound e-mail: composing (text + HTML in the account's branding, escaping, header injection
// refused, thread Reply-To, preferences link), the account's queue (written with the fact, sent
// after the commit, retried 1 min → 12 h, then failed), a run's batching (sends a few at a time,
// every outcome recorded at its end, overlapping runs), the delivery log API and its isolation,
// and the local demo's mailbox (absent without DEMO_TOOLS).
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountDb } from "../../worker/account/db";
import { readProfile } from "../../worker/account/profile";
import { createApp } from "../../worker/app";
import { composeMail, escapeHtml } from "../../worker/mail/compose";
import { MAX_ATTEMPTS, queueMail, RETRY_DELAYS_MS, SEND_CONCURRENCY, sendDueMail, type MailDelivery, type MailTransport } from "../../worker/mail/queue";
import { parseLocalPart, threadAddress, threadAddresses } from "../../worker/mail/thread";
import { mailTransport } from "../../worker/mail/transport";
import type { AddressedMail, MailToSend } from "../../worker/mail/types";
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

describe("a mail run", () => {
	/** Queues mails the way domain code does (no run starts by itself); their ids, in order. */
	const queueAll = (accountId: string, mails: MailToSend[]) =>
		inObject(accountId, (_i, state) => {
			const db = accountDb(state.storage);
			return mails.map((m) => {
				const queued = queueMail(db, m, Date.now());
				if (!queued.ok) throw new Error(queued.error.message);
				return queued.value.id;
			});
		});

	/** The object's transport, with `send` in the test's hands. */
	const transportIn = (db: ReturnType<typeof accountDb>, send: MailTransport["send"]): MailTransport => {
		const profile = readProfile(db);
		if (!profile) throw new Error("no profile");
		return { ...mailTransport(env, db, profile), send };
	};

	const recipientOf = (m: Parameters<MailTransport["send"]>[0]) => (typeof m.to === "string" ? m.to : m.to.email);

	type Row = {
		id: string;
		status: string;
		attempts: number;
		next_attempt_at: number | null;
		last_error: string | null;
		message_id: string | null;
		content: string | null;
	};
	const rowsOf = (accountId: string, ids: string[]) =>
		inObject(accountId, (_i, state) =>
			new Map(
				ids.map((id) => [
					id,
					state.storage.sql.exec<Row>("select id, status, attempts, next_attempt_at, last_error, message_id, content from mail_outbox where id = ?", id).one(),
				]),
			),
		);

	/** A fresh account whose own mails (the sign-up's confirmation) are out of the way. */
	async function quietAccount(): Promise<AccountAdmin> {
		const admin = await signUp();
		await stubOf(admin.accountId).sendMailNow();
		return admin;
	}

	it("sends a few at a time and records each outcome: sent, retried, failed at once; a finished sensitive mail's content goes", async () => {
		const admin = await quietAccount();
		const tag = crypto.randomUUID();
		const ok = Array.from({ length: 7 }, (_, i) => `ok-${i}-${tag}@example.test`);
		const secretLink = { label: "Choose a new password", url: "https://desk.example.com/reset/s3cret" };
		const ids = await queueAll(admin.accountId, [
			...ok.map((email) => ({ ...mailTo(email), to: { email, name: "Ok" } })),
			{ ...mailTo(`refused-${tag}@example.test`), to: { email: `refused-${tag}@example.test`, name: "Refused" } },
			// A person who is gone: failed at once, never handed to the binding.
			{ kind: "password_reset", to: { personId: `gone-${tag}` }, subject: "Reset your password", paragraphs: ["Reset."], action: secretLink, sensitive: true },
			// Refused, so retried: its content is kept for the next attempt.
			{ kind: "password_reset", to: { email: `refused-secret-${tag}@example.test`, name: "R" }, subject: "Reset your password", paragraphs: ["Reset."], action: secretLink, sensitive: true },
		]);
		const [okIds, refusedId, goneId, refusedSecretId] = [ids.slice(0, 7), ids[7]!, ids[8]!, ids[9]!];
		const now = Date.now();
		const handed: string[] = [];
		let inFlight = 0;
		let mostInFlight = 0;
		const report = await inObject(admin.accountId, (_i, state) => {
			const db = accountDb(state.storage);
			return sendDueMail(
				db,
				transportIn(db, async (m) => {
					handed.push(recipientOf(m));
					inFlight += 1;
					mostInFlight = Math.max(mostInFlight, inFlight);
					await new Promise((resolve) => setTimeout(resolve, 10));
					inFlight -= 1;
					if (recipientOf(m).startsWith("refused-")) throw new Error("Refused by the test.");
					return `<${crypto.randomUUID()}@example.test>`;
				}),
				() => now,
			);
		});
		expect(report).toEqual({ sent: 7, retrying: 2, failed: 1 });
		expect(handed).toHaveLength(9);
		expect(new Set(handed).size).toBe(9);
		expect(mostInFlight).toBe(SEND_CONCURRENCY);
		const rows = await rowsOf(admin.accountId, ids);
		for (const id of okIds) {
			expect(rows.get(id)).toMatchObject({ status: "sent", attempts: 1, next_attempt_at: null, last_error: null });
			expect(rows.get(id)?.message_id).toBeTruthy();
			expect(rows.get(id)?.content).not.toBeNull();
		}
		expect(rows.get(refusedId)).toMatchObject({ status: "queued", attempts: 1, next_attempt_at: now + RETRY_DELAYS_MS[0], last_error: "Refused by the test." });
		expect(rows.get(refusedSecretId)).toMatchObject({ status: "queued", attempts: 1, last_error: "Refused by the test." });
		expect(rows.get(refusedSecretId)?.content).toContain("s3cret");
		expect(rows.get(goneId)).toMatchObject({ status: "failed", attempts: 1, next_attempt_at: null, content: null });
		expect(rows.get(goneId)?.last_error).toContain("no longer has a Trustdesk identity");
	});

	it("leaves a mail alone that a run which overlapped it has finished", async () => {
		const admin = await quietAccount();
		const [id] = await queueAll(admin.accountId, [mailTo(`overlap-${crypto.randomUUID()}@example.test`)]);
		const reports = await inObject(admin.accountId, async (_i, state) => {
			const db = accountDb(state.storage);
			let open = () => {};
			const gate = new Promise<void>((resolve) => (open = resolve));
			// Both runs read the mail as due before either records: the slow one's send fails after
			// the fast one has recorded it sent.
			const slow = sendDueMail(
				db,
				transportIn(db, async () => {
					await gate;
					throw new Error("Refused by the test.");
				}),
				() => Date.now(),
			);
			const fast = await sendDueMail(db, transportIn(db, async () => "<fast@example.test>"), () => Date.now());
			open();
			return { fast, slow: await slow };
		});
		expect(reports.fast).toEqual({ sent: 1, retrying: 0, failed: 0 });
		expect(reports.slow).toEqual({ sent: 0, retrying: 0, failed: 0 });
		const row = (await rowsOf(admin.accountId, [id!])).get(id!);
		expect(row).toMatchObject({ status: "sent", attempts: 1, last_error: null, message_id: "<fast@example.test>", next_attempt_at: null });
	});

	it("hands each mail to the binding once when the object's runs are asked for at the same time", async () => {
		const admin = await quietAccount();
		// Every send is refused (and counted): a mail handed twice would count twice.
		await inObject(admin.accountId, (instance) => {
			instance.hooks.failMailSends = 1_000;
		});
		// Mails to a person: a run then waits on the directory, and another run's call could start meanwhile.
		const personId = admin.session.person.id;
		await queueAll(
			admin.accountId,
			[1, 2, 3].map((i) => ({ kind: "password_reset", to: { personId }, subject: `Reset ${i}`, paragraphs: ["Reset."] })),
		);
		// Asked for in one turn: without the object's chain of runs, each would find the mails due.
		const reports = await inObject(admin.accountId, (instance) => Promise.all([instance.sendMailNow(), instance.sendMailNow(), instance.sendMailNow()]));
		expect(reports.reduce((n, r) => n + r.retrying, 0)).toBe(3);
		expect(await inObject(admin.accountId, (instance) => instance.hooks.failMailSends)).toBe(1_000 - 3);
		await inObject(admin.accountId, (instance) => {
			instance.hooks.failMailSends = 0;
		});
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

	it("get their thread addresses for a run's requests at once, each the one its request has alone", async () => {
		const [a, b] = [await register(w, w.sla, w.alice, { subject: "Printer jam" }), await register(w, w.sla, w.alice, { subject: "VPN down" })];
		const { together, alone } = await inObject(w.customer.accountId, async (_i, state) => {
			const db = accountDb(state.storage);
			const gone = `gone-${crypto.randomUUID()}`;
			return {
				together: await threadAddresses(db, w.customer.accountId, [a.id, b.id, a.id, gone], "mail.example.com"),
				alone: [await threadAddress(db, w.customer.accountId, a.id, "mail.example.com"), await threadAddress(db, w.customer.accountId, b.id, "mail.example.com")],
			};
		});
		expect([...together.keys()].sort()).toEqual([a.id, b.id].sort());
		expect([together.get(a.id), together.get(b.id)]).toEqual(alone);
		expect(parseLocalPart(together.get(b.id)!.split("@")[0]!)).toMatchObject({ kind: "thread", requestNumber: b.number });
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

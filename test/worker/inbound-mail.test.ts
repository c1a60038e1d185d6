// E-mail in, through the Worker's exported email() handler: new requests from a known person,
// replies threaded into notes, and every way a mail must NOT reach a request: a wrong tag, a
// forged sender, a person of another account, a non-participant, robots, strangers, oversize,
// unknown accounts. These are the tenant isolation tests of inbound routing. The message object
// is a test double of the platform's ForwardableEmailMessage only (built from a raw RFC 5322
// message); the handler, D1, the account objects and their messaging are the real ones.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { accountDb } from "../../worker/account/db";
import { MAX_INBOUND_BYTES, REJECT } from "../../worker/mail/inbound";
import { REPLY_ABOVE_LINE } from "../../worker/mail/inbound-text";
import { OWN_MAIL_HEADER } from "../../worker/mail/loops";
import { threadAddress } from "../../worker/mail/thread";
import type { Account } from "../../worker/shared/api";
import type { InboxPage, RequestSummary } from "../../worker/shared/request-api";
import { callError, callJson, signUp, unique, uniqueEmail } from "./helpers";
import { act, activeSla, countRows, makeWorld, openSocket, quiet, register, requestsPath, view, type World } from "./request-helpers";
import { defineEmail, inObject, setClock, settle } from "./service-helpers";

const DOMAIN = env.MAIL_DOMAIN;

interface Sent {
	rejected: string | null;
	replies: EmailReplyMessageBuilder[];
	/** Whether the handler read the message's body at all. */
	read: boolean;
}

/** The header section of a raw message as Headers (folded lines unfolded), as the platform gives them. */
function headersOf(raw: string): Headers {
	const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
	const headers = new Headers();
	for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
		const colon = line.indexOf(":");
		if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
	}
	return headers;
}

/** Delivers `raw` to the exported email() handler with the SMTP envelope `from` → `to`. */
async function deliver(raw: string, envelope: { from: string; to: string }): Promise<Sent> {
	const bytes = new TextEncoder().encode(raw);
	const sent: Sent = { rejected: null, replies: [], read: false };
	const message = {
		from: envelope.from,
		to: envelope.to,
		headers: headersOf(raw),
		rawSize: bytes.byteLength,
		raw: new ReadableStream<Uint8Array>(
			{
				pull(controller) {
					sent.read = true;
					controller.enqueue(bytes);
					controller.close();
				},
			},
			// Nothing is pulled until somebody reads.
			{ highWaterMark: 0 },
		),
		setReject(reason: string) {
			sent.rejected = reason;
		},
		forward(): Promise<EmailSendResult> {
			throw new Error("Trustdesk never forwards mail");
		},
		async reply(reply: EmailMessage | EmailReplyMessageBuilder): Promise<EmailSendResult> {
			if (!("subject" in reply)) throw new Error("expected a reply built from fields");
			sent.replies.push(reply);
			return { messageId: `<${unique("reply")}@${DOMAIN}>` };
		},
	} satisfies ForwardableEmailMessage;
	await worker.email(message, env);
	return sent;
}

interface MailParts {
	from: string;
	to: string;
	subject?: string;
	text?: string;
	headers?: Record<string, string>;
	/** The whole body with its Content-Type (for HTML, multipart and reports). */
	body?: { contentType: string; content: string };
	messageId?: string;
}

function rfc5322(p: MailParts): string {
	const lines = [
		`From: ${p.from}`,
		`To: ${p.to}`,
		...(p.subject === undefined ? [] : [`Subject: ${p.subject}`]),
		`Message-ID: ${p.messageId ?? `<${unique("msg")}@example.test>`}`,
		"Date: Mon, 07 Dec 2026 09:00:00 +0000",
		"MIME-Version: 1.0",
		...Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
		`Content-Type: ${p.body?.contentType ?? "text/plain; charset=utf-8"}`,
		"",
		p.body?.content ?? p.text ?? "",
	];
	return lines.join("\r\n");
}

/** A mail whose envelope sender is its From address (as a real mail client's is). */
function mail(from: string, to: string, parts: Omit<MailParts, "from" | "to"> = {}): Promise<Sent> {
	const address = /<([^>]*)>\s*$/.exec(from)?.[1] ?? from;
	return deliver(rfc5322({ from, to, ...parts }), { from: address, to });
}

const accountAddress = (accountId: string) => `${accountId}@${DOMAIN}`;

async function replyAddress(accountId: string, requestId: string): Promise<string> {
	const address = await inObject(accountId, (_i, state) => threadAddress(accountDb(state.storage), accountId, requestId, DOMAIN));
	if (!address) throw new Error("no thread address");
	return address;
}

async function requestsOf(w: World, as: "alice" | "adam"): Promise<RequestSummary[]> {
	const scope = as === "adam" ? "?scope=account&limit=100" : "?limit=100";
	return (await callJson<InboxPage>(`${requestsPath(w.customer.accountId)}${scope}`, 200, { as: w[as] })).items;
}

const expectAccepted = (sent: Sent) => {
	expect(sent.rejected).toBeNull();
};

describe("a new request by e-mail to the account's address", () => {
	let w: World;
	beforeAll(async () => {
		w = await makeWorld();
	});

	it("registers a request as the known sender, for the catalog entry the subject names, with the text as its note", async () => {
		const sent = await mail(`"Alice Archer" <${w.alice.email}>`, accountAddress(w.customer.accountId), {
			subject: "  My mailboxes are full again ",
			text: "Since this morning nothing arrives.\r\nPlease help.\r\n",
		});
		expectAccepted(sent);
		expect(sent.replies).toEqual([]);
		const mine = await requestsOf(w, "alice");
		const created = mine.find((r) => r.subject === "My mailboxes are full again");
		expect(created).toBeDefined();
		const full = await view(w.customer.accountId, created?.id ?? "", w.alice);
		expect(full.requestedBy.id).toBe(w.alice.id);
		expect(full.requestedFor.id).toBe(w.alice.id);
		expect(full.provider?.id).toBe(w.provider.accountId);
		expect(full.service.name).toBe(w.model.service.name);
		expect(full.team?.id).toBe(w.model.team.id);
		expect(full.notes.map((n) => n.body)).toEqual(["Since this morning nothing arrives.\nPlease help."]);
		// The provider's team has it, as with a request from the portal.
		await settle(w.customer.accountId, w.provider.accountId);
		const inbox = await callJson<InboxPage>(`/accounts/${w.provider.accountId}/inbox?view=teams`, 200, { as: w.bob });
		expect(inbox.items.map((r) => r.id)).toContain(created?.id);
	});

	it("leaves a mail that names no catalog entry to the account's own specialists, without a team", async () => {
		const sent = await mail(w.alice.email, accountAddress(w.customer.accountId), { subject: "The coffee machine is leaking", text: "Water everywhere." });
		expectAccepted(sent);
		const created = (await requestsOf(w, "adam")).find((r) => r.subject === "The coffee machine is leaking");
		expect(created?.provider).toBeNull();
		expect(created?.team).toBeNull();
		expect(created?.requestedBy.id).toBe(w.alice.id);
		// Every specialist of the account may give it a team (the rule for requests without one).
		const full = await view(w.customer.accountId, created?.id ?? "", w.adam);
		expect(full.allowed).toContain("assign");
	});

	it("takes no subject, HTML only, and counts the attachments it leaves out", async () => {
		const boundary = "b-1";
		const body = [
			`--${boundary}`,
			"Content-Type: text/html; charset=utf-8",
			"",
			"<p>Hello,</p><p>The <b>printer</b> says &quot;PC LOAD LETTER&quot;.</p><blockquote>an old mail</blockquote>",
			`--${boundary}`,
			'Content-Type: application/pdf; name="scan.pdf"',
			'Content-Disposition: attachment; filename="scan.pdf"',
			"Content-Transfer-Encoding: base64",
			"",
			"JVBERi0xLjQK",
			`--${boundary}`,
			'Content-Type: image/png; name="photo.png"',
			'Content-Disposition: attachment; filename="photo.png"',
			"Content-Transfer-Encoding: base64",
			"",
			"iVBORw0KGgo=",
			`--${boundary}--`,
			"",
		].join("\r\n");
		const sent = await mail(w.alice.email, accountAddress(w.customer.accountId), { body: { contentType: `multipart/mixed; boundary="${boundary}"`, content: body } });
		expectAccepted(sent);
		const created = (await requestsOf(w, "alice")).find((r) => r.subject === "(no subject)");
		const full = await view(w.customer.accountId, created?.id ?? "", w.alice);
		expect(full.notes).toHaveLength(1);
		const note = full.notes[0]?.body ?? "";
		expect(note).toContain('The printer says "PC LOAD LETTER".');
		expect(note).not.toContain("<p>");
		expect(note).not.toContain("an old mail");
		expect(note).toContain("2 attachments were left out");
	});

	it("registers a mail delivered twice (same Message-ID) once", async () => {
		const messageId = `<${unique("twice")}@example.test>`;
		const subject = unique("Twice delivered");
		await mail(w.alice.email, accountAddress(w.customer.accountId), { subject, text: "Once, please.", messageId });
		await mail(w.alice.email, accountAddress(w.customer.accountId), { subject, text: "Once, please.", messageId });
		expect((await requestsOf(w, "alice")).filter((r) => r.subject === subject)).toHaveLength(1);
	});
});

describe("the account's e-mail intake service", () => {
	it("is the default service of mail that covers the sender; without it a tie goes to triage", async () => {
		const w = await makeWorld();
		const second = await defineEmail(w.provider, " B");
		const slaB = await activeSla(w.provider, second, w.customer.accountId);
		const to = accountAddress(w.customer.accountId);

		// Both services are about mailboxes: the subject alone does not choose.
		await mail(w.alice.email, to, { subject: "Mailbox quota", text: "Full." });
		const tied = (await requestsOf(w, "alice")).find((r) => r.subject === "Mailbox quota");
		expect(tied?.team).toBeNull();

		const account = await callJson<Account>(`/accounts/${w.customer.accountId}`, 200, {
			as: w.customer,
			method: "PATCH",
			body: { mailIntake: { providerAccountId: w.provider.accountId, slaId: slaB.id } },
		});
		expect(account.mail).toEqual({ address: to, intake: { providerAccountId: w.provider.accountId, slaId: slaB.id } });
		await mail(w.alice.email, to, { subject: "Mailbox quota again", text: "Still full." });
		const routed = (await requestsOf(w, "alice")).find((r) => r.subject === "Mailbox quota again");
		expect(routed?.service.name).toBe(second.service.name);
		expect(routed?.team?.id).toBe(second.team.id);

		// Only an SLA offered to this account may be the intake; an end user may not set it.
		await callError(`/accounts/${w.customer.accountId}`, 400, "invalid_input", {
			as: w.customer,
			method: "PATCH",
			body: { mailIntake: { providerAccountId: w.provider.accountId, slaId: "sla_doesnotexist00" } },
		});
		await callError(`/accounts/${w.customer.accountId}`, 403, "forbidden", { as: w.alice, method: "PATCH", body: { mailIntake: null } });
		const cleared = await callJson<Account>(`/accounts/${w.customer.accountId}`, 200, { as: w.customer, method: "PATCH", body: { mailIntake: null } });
		expect(cleared.mail.intake).toBeNull();
	});
});

describe("a reply to one of our mails", () => {
	let w: World;
	beforeAll(async () => {
		w = await makeWorld();
	});

	it("adds the answer (without the quoted mail) as the requester's note, and the provider's specialist sees it live", async () => {
		const created = await register(w, w.sla, w.alice, { subject: "Reply threading" });
		await act(w.provider.accountId, created.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, created.id, w.bob, { type: "set_status", status: "waiting_for_customer", note: "Which mailbox?" });
		await settle(w.provider.accountId, w.customer.accountId);
		const socket = await openSocket(w.provider.accountId, w.bob);
		try {
			const to = await replyAddress(w.customer.accountId, created.id);
			const sent = await mail(w.alice.email, to, {
				subject: `Re: [#${created.number}] Reply threading`,
				text: ["The one of sales@.", "", REPLY_ABOVE_LINE, "", "On Mon, 7 Dec 2026, Bob Baker wrote:", "> Which mailbox?"].join("\r\n"),
			});
			expectAccepted(sent);
			const full = await view(w.customer.accountId, created.id, w.alice);
			const last = full.notes.at(-1);
			expect(last?.body).toBe("The one of sales@.");
			expect(last?.author.id).toBe(w.alice.id);
			// Her answer hands it back to the member working on it, as in the portal.
			expect(full.status).toBe("in_progress");
			const frame = await socket.next((f) => f.type === "event" && f.kind === "note.added" && f.requestId === created.id, "the note on the provider's socket");
			expect(frame.type === "event" && frame.note?.body).toBe("The one of sales@.");
		} finally {
			await socket.close();
		}
	});

	it("threads a reply sent to the account's address by the Message-ID it answers (same tag check)", async () => {
		const created = await register(w, w.sla, w.alice, { subject: "Answered From, not Reply-To" });
		const thread = await replyAddress(w.customer.accountId, created.id);
		const local = thread.slice(0, thread.indexOf("@"));
		const ours = `<${local}.${unique("m")}@${DOMAIN}>`;
		const to = accountAddress(w.customer.accountId);
		const sent = await mail(w.alice.email, to, {
			subject: "Re: Answered From, not Reply-To",
			text: "Here is my answer.\n\nOn Monday, Bob wrote:\n> Question",
			headers: { "In-Reply-To": ours, References: `<unrelated@example.test> ${ours}` },
		});
		expectAccepted(sent);
		expect((await view(w.customer.accountId, created.id, w.alice)).notes.map((n) => n.body)).toEqual(["Here is my answer."]);
		expect((await requestsOf(w, "alice")).some((r) => r.subject === "Re: Answered From, not Reply-To")).toBe(false);
		// A reference with a wrong tag is refused like the address would be.
		const forged = `<${local.slice(0, -1)}${local.endsWith("a") ? "b" : "a"}.x@${DOMAIN}>`;
		const refused = await mail(w.alice.email, to, { subject: "Re: guess", text: "Guessing.", headers: { "In-Reply-To": forged } });
		expect(refused.rejected).toBe(REJECT.notParticipant);
		expect(await countRows(w.customer.accountId, "request_notes", created.id)).toBe(1);
	});

	it("is refused with a wrong tag, and nothing is attached", async () => {
		const created = await register(w, w.sla, w.alice, { subject: "Wrong tag" });
		const before = await countRows(w.customer.accountId, "request_notes", created.id);
		const right = await replyAddress(w.customer.accountId, created.id);
		const wrong = right.replace(/-([a-z2-7]{20})@/, (_m, tag: string) => `-${tag.slice(0, -1)}${tag.endsWith("a") ? "b" : "a"}@`);
		expect(wrong).not.toBe(right);
		const sent = await mail(w.alice.email, wrong, { subject: "Re: Wrong tag", text: "Guessing." });
		expect(sent.rejected).toBe(REJECT.notParticipant);
		// Another request's number with this one's tag is wrong too.
		const other = await register(w, w.sla, w.alice, { subject: "Other" });
		const swapped = right.replace(`+r${created.number}-`, `+r${other.number}-`);
		expect((await mail(w.alice.email, swapped, { text: "Swapped." })).rejected).toBe(REJECT.notParticipant);
		expect(await countRows(w.customer.accountId, "request_notes", created.id)).toBe(before);
		expect(await countRows(w.customer.accountId, "request_notes", other.id)).toBe(0);
	});

	it("never adds a note for a forged sender: another account's person, or a From that differs from the envelope", async () => {
		const created = await register(w, w.sla, w.alice, { subject: "Forged" });
		const to = await replyAddress(w.customer.accountId, created.id);
		const stranger = await signUp();
		// A person of another account, writing as themselves.
		expect((await mail(stranger.email, to, { text: "I am not of this account." })).rejected).toBe(REJECT.notParticipant);
		// The provider's administrator is a person of the provider, not of the customer.
		expect((await mail(w.provider.email, to, { text: "Provider admin." })).rejected).toBe(REJECT.notParticipant);
		// The requester's address in From, somebody else's envelope.
		const forged = await deliver(rfc5322({ from: w.alice.email, to, text: "It is me, Alice. Honest." }), { from: stranger.email, to });
		expect(forged.rejected).toBe(REJECT.forgedFrom);
		// …and to the account's address: no request either.
		const subject = unique("Forged request");
		const forgedNew = await deliver(rfc5322({ from: w.alice.email, to: accountAddress(w.customer.accountId), subject, text: "x" }), {
			from: stranger.email,
			to: accountAddress(w.customer.accountId),
		});
		expect(forgedNew.rejected).toBe(REJECT.forgedFrom);
		expect((await requestsOf(w, "adam")).some((r) => r.subject === subject)).toBe(false);
		expect(await countRows(w.customer.accountId, "request_notes", created.id)).toBe(0);
	});

	it("is refused from a person of the account who does not take part in the request; its specialist may answer", async () => {
		const created = await register(w, w.sla, w.alice, { subject: "Participants" });
		const to = await replyAddress(w.customer.accountId, created.id);
		const sent = await mail(w.carol.email, to, { text: "Me too!" });
		expect(sent.rejected).toBe(REJECT.notParticipant);
		expect(await countRows(w.customer.accountId, "request_notes", created.id)).toBe(0);
		// Adam, a specialist of the customer, may add notes to its requests, by mail too.
		expectAccepted(await mail(w.adam.email, to, { text: "Looking into it." }));
		const full = await view(w.customer.accountId, created.id, w.alice);
		expect(full.notes.map((n) => [n.author.id, n.body])).toEqual([[w.adam.id, "Looking into it."]]);
	});
});

describe("a provider's specialist replying to a mail about a customer's request", () => {
	it("adds the note through the provider's account when they are in the request's team; another specialist of the provider is refused", async () => {
		const w = await makeWorld();
		const created = await register(w, w.sla, w.alice, { subject: "Provider replies" });
		const to = await replyAddress(w.customer.accountId, created.id);
		expectAccepted(await mail(w.bob.email, to, { text: "On it.\n\nOn Monday, Alice wrote:\n> help" }));
		const full = await view(w.customer.accountId, created.id, w.alice);
		expect(full.notes.map((n) => [n.author.id, n.author.accountId, n.body])).toEqual([[w.bob.id, w.provider.accountId, "On it."]]);
		// Sam is a specialist of the provider too, but not in the team working on it.
		expect((await mail(w.sam.email, to, { text: "Me neither." })).rejected).toBe(REJECT.notParticipant);
		// An empty answer is refused with its reason, not attached.
		expect((await mail(w.bob.email, to, { text: "> only the quote" })).rejected).toMatch(/no text above the quoted mail/);
		expect(await countRows(w.customer.accountId, "request_notes", created.id)).toBe(1);
	});
});

describe("mail no person wrote is taken in and ignored", () => {
	let w: World;
	let created: RequestSummary;
	let to: string;
	beforeAll(async () => {
		w = await makeWorld();
		created = await register(w, w.sla, w.alice, { subject: "Robots" });
		to = await replyAddress(w.customer.accountId, created.id);
	});

	const cases: [string, () => Promise<Sent>][] = [
		["an auto-reply (Auto-Submitted)", () => mail(w.alice.email, to, { subject: "Out of office", text: "Back Monday.", headers: { "Auto-Submitted": "auto-replied" } })],
		["an Exchange auto-reply (X-Auto-Response-Suppress)", () => mail(w.alice.email, to, { text: "Away.", headers: { "X-Auto-Response-Suppress": "All" } })],
		["bulk mail (Precedence)", () => mail(w.alice.email, to, { text: "Newsletter.", headers: { Precedence: "bulk" } })],
		[
			"a bounce (null sender, delivery report)",
			() =>
				deliver(
					rfc5322({
						from: `MAILER-DAEMON@example.test`,
						to,
						subject: "Undelivered Mail Returned to Sender",
						body: { contentType: 'multipart/report; report-type=delivery-status; boundary="r"', content: "--r\r\nContent-Type: text/plain\r\n\r\nGone.\r\n--r--\r\n" },
					}),
					{ from: "", to },
				),
		],
		["one of our own mails (our header)", () => mail(w.alice.email, to, { text: "Looped.", headers: { [OWN_MAIL_HEADER]: w.customer.accountId } })],
		["one of our own mails (From on the mail domain)", () => mail(`notifications@${DOMAIN}`, to, { text: "Looped." })],
	];

	for (const [what, send] of cases) {
		it(`ignores ${what}`, async () => {
			const sent = await send();
			expectAccepted(sent);
			expect(sent.replies).toEqual([]);
			expect(await countRows(w.customer.accountId, "request_notes", created.id)).toBe(0);
		});
	}

	it("ignores an auto-reply to the account's address too: no request, no answer", async () => {
		const subject = unique("Automatic reply");
		const sent = await mail(w.alice.email, accountAddress(w.customer.accountId), { subject, text: "Away.", headers: { "Auto-Submitted": "auto-generated" } });
		expectAccepted(sent);
		expect(sent.replies).toEqual([]);
		expect((await requestsOf(w, "adam")).some((r) => r.subject === subject)).toBe(false);
		// "Auto-Submitted: no" is a person's mail.
		const human = unique("Human");
		expectAccepted(await mail(w.alice.email, accountAddress(w.customer.accountId), { subject: human, text: "Hi.", headers: { "Auto-Submitted": "no" } }));
		expect((await requestsOf(w, "adam")).some((r) => r.subject === human)).toBe(true);
	});
});

describe("strangers, sizes and addresses", () => {
	let w: World;
	beforeAll(async () => {
		w = await makeWorld();
	});

	it("answers an unknown sender politely once a day, and registers nothing", async () => {
		const to = accountAddress(w.customer.accountId);
		const stranger = uniqueEmail("stranger");
		const first = await mail(stranger, to, { subject: "Hello?", text: "Can you help?" });
		expectAccepted(first);
		expect(first.replies).toHaveLength(1);
		const reply = first.replies[0];
		expect(reply?.subject).toBe("Re: Hello?");
		expect(reply?.from).toEqual({ name: `Account ${w.customer.accountId}`, email: to });
		expect(reply?.headers?.[OWN_MAIL_HEADER]).toBe(w.customer.accountId);
		expect(reply?.headers?.["Auto-Submitted"]).toBe("auto-replied");
		expect(reply?.text).toContain("at most one a day");

		const second = await mail(stranger, to, { subject: "Hello again?", text: "Anyone?" });
		expectAccepted(second);
		expect(second.replies).toEqual([]);
		// The same address in another case is the same address.
		expect((await mail(stranger.toUpperCase(), to, { text: "HELLO" })).replies).toEqual([]);

		// A person of another account is a stranger here too, and gets the same answer.
		const other = await signUp();
		expect((await mail(other.email, to, { subject: "Let me in", text: "x" })).replies).toHaveLength(1);

		const subjects = (await requestsOf(w, "adam")).map((r) => r.subject);
		expect(subjects).not.toContain("Hello?");
		expect(subjects).not.toContain("Let me in");

		// A day later the stranger may be answered again.
		await setClock(w.customer.accountId, 25 * 60 * 60 * 1000);
		try {
			expect((await mail(stranger, to, { subject: "Tomorrow", text: "Still there?" })).replies).toHaveLength(1);
		} finally {
			await setClock(w.customer.accountId, 0);
		}
	});

	it("rejects mail over the size limit before reading it", async () => {
		const big = "x".repeat(MAX_INBOUND_BYTES + 1024);
		const sent = await mail(w.alice.email, accountAddress(w.customer.accountId), { subject: "Huge", text: big });
		expect(sent.rejected).toBe(REJECT.tooLarge);
		expect(sent.read).toBe(false);
		expect((await requestsOf(w, "alice")).some((r) => r.subject === "Huge")).toBe(false);
	});

	it("rejects mail to an account that does not exist, or to an address that is not ours", async () => {
		const nobody = await mail(w.alice.email, accountAddress(unique("nobody")), { subject: "Anyone?", text: "x" });
		expect(nobody.rejected).toBe(REJECT.noAccount);
		const otherDomain = await mail(w.alice.email, `${w.customer.accountId}@example.test`, { subject: "Wrong domain", text: "x" });
		expect(otherDomain.rejected).toBe(REJECT.noRecipient);
		const malformed = await mail(w.alice.email, `${w.customer.accountId}+hello@${DOMAIN}`, { subject: "Odd", text: "x" });
		expect(malformed.rejected).toBe(REJECT.noRecipient);
		await quiet(10);
		expect((await requestsOf(w, "alice")).map((r) => r.subject)).not.toEqual(expect.arrayContaining(["Anyone?", "Wrong domain", "Odd"]));
	});
});

describe("delivery reports", () => {
	it("marks the reported mail bounced in the account's delivery log, with the server's reason; nothing else happens", async () => {
		const w = await makeWorld();
		const stub = env.ACCOUNT.getByName(w.customer.accountId);
		const queued = await stub.queueMail({ kind: "notification", to: { email: uniqueEmail("gone"), name: "Gone Person" }, subject: "About your request", paragraphs: ["Hello."] });
		if (!queued.ok) throw new Error(queued.error.message);
		await stub.sendMailNow();
		const messageId = await inObject(w.customer.accountId, (_i, state) =>
			state.storage.sql.exec<{ message_id: string | null }>("select message_id from mail_outbox where id = ?", queued.value.id).one().message_id,
		);
		expect(messageId).toBeTruthy();
		const bare = messageId!.replace(/^<|>$/g, "");
		const to = accountAddress(w.customer.accountId);
		const report = [
			"--r",
			"Content-Type: text/plain",
			"",
			"Your message could not be delivered.",
			"--r",
			"Content-Type: message/delivery-status",
			"",
			"Reporting-MTA: dns; mx.example.test",
			"",
			"Final-Recipient: rfc822; gone@example.test",
			"Action: failed",
			"Status: 5.1.1",
			"Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown",
			"--r",
			"Content-Type: text/rfc822-headers",
			"",
			`From: ${to}`,
			`Message-ID: <${bare}>`,
			"Subject: About your request",
			"",
			"--r--",
			"",
		].join("\r\n");
		const sent = await deliver(
			rfc5322({ from: "MAILER-DAEMON@mx.example.test", to, subject: "Undelivered Mail Returned to Sender", body: { contentType: 'multipart/report; report-type=delivery-status; boundary="r"', content: report } }),
			{ from: "", to },
		);
		expectAccepted(sent);
		expect(sent.replies).toEqual([]);
		const log = await stub.listMailDeliveries(undefined);
		if (!log.ok) throw new Error(log.error.message);
		expect(log.value.items.find((d) => d.id === queued.value.id)).toMatchObject({ status: "bounced", lastError: "smtp; 550 5.1.1 mailbox unknown" });
		// A report naming a mail this account never sent changes nothing.
		const stray = await deliver(
			rfc5322({ from: "MAILER-DAEMON@mx.example.test", to, subject: "Undelivered", body: { contentType: 'multipart/report; report-type=delivery-status; boundary="r"', content: report.replace(bare, "someone-else@example.test") } }),
			{ from: "", to },
		);
		expectAccepted(stray);
	});
});

// The pure parts of e-mail in: what a mail's subject and text become, which mail is a robot's,
// and which catalog entry a subject names.
import { describe, expect, it } from "vitest";
import type { CustomerCatalog } from "../../worker/account/catalog";
import { threadOfReferences } from "../../worker/mail/inbound";
import { bodyOf, cutQuotedHistory, htmlToText, noteOf, REPLY_ABOVE_LINE, subjectOf } from "../../worker/mail/inbound-text";
import { automatedMail, OWN_MAIL_HEADER } from "../../worker/mail/loops";
import { chooseService, wordsOf } from "../../worker/mail/service-match";
import { NoteBody } from "../../worker/shared/request-api";
import { lineProblem } from "../../worker/shared/text";

const headers = (h: Record<string, string>) => ({ get: (name: string) => Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null });

describe("subjectOf", () => {
	it("trims, joins lines, drops invisible and control characters, defaults and cuts", () => {
		expect(subjectOf("  Printer\r\n\tbroken  ")).toBe("Printer broken");
		expect(subjectOf("Pay\u202Egnp.exe\u200B now\u0007")).toBe("Paygnp.exe now");
		expect(subjectOf(undefined)).toBe("(no subject)");
		expect(subjectOf(" \u200B ")).toBe("(no subject)");
		const long = subjectOf("x".repeat(500));
		expect(long).toHaveLength(200);
		expect(lineProblem(long)).toBeNull();
	});
});

describe("bodyOf and the quoted history", () => {
	it("keeps what was written above the quote, in each client's style", () => {
		expect(cutQuotedHistory(["Yes, the sales one.", "", "On Mon, 7 Dec 2026 at 09:00, Bob Baker <bob@x.test> wrote:", "> Which one?"].join("\n"))).toBe("Yes, the sales one.");
		expect(cutQuotedHistory(["Thanks", "On Mon, 7 Dec 2026 at 09:00, Bob Baker", "<bob@x.test> wrote:", "> q"].join("\n"))).toBe("Thanks");
		expect(cutQuotedHistory(["Done.", "-----Original Message-----", "From: Bob"].join("\n"))).toBe("Done.");
		expect(cutQuotedHistory(["Done.", "From: Bob Baker", "Sent: Monday", "To: Alice"].join("\n"))).toBe("Done.");
		expect(cutQuotedHistory(["Fine.", REPLY_ABOVE_LINE, "anything"].join("\n"))).toBe("Fine.");
		// Quoted lines in the middle of an answer are part of it.
		expect(cutQuotedHistory(["You wrote:", "> x", "and I say y"].join("\n"))).toBe("You wrote:\n> x\nand I say y");
	});

	it("turns HTML into text, leaves out blockquotes, and cuts a long body to what a note holds", () => {
		expect(htmlToText("<style>p{}</style><p>A&amp;B &lt;ok&gt; &#233;&#x263A;</p><ul><li>one</li><li>two</li></ul><blockquote>old</blockquote>").trim()).toBe("A&B <ok> é☺\n\n- one\n- two");
		expect(htmlToText("<p>kept</p><!-- gone --><p>too</p><style>never closed")).toBe("\nkept\n\ntoo\n");
		// Crafted mails cost linear time: many unclosed openings, a long quote.
		const started = Date.now();
		expect(bodyOf({ html: "<style".repeat(200_000) }, false)).toBe("");
		expect(bodyOf({ text: `answer\n${"> q\n".repeat(300_000)}` }, true)).toBe("answer");
		expect(Date.now() - started).toBeLessThan(2000);
		const long = bodyOf({ text: "word ".repeat(30_000) }, false);
		expect(NoteBody.safeParse(long).success).toBe(true);
		expect(long).toMatch(/left out: a note holds at most 64 KB/);
		expect(bodyOf({ text: "a\u0000b\r\nc\u202Ed" }, false)).toBe("ab\ncd");
	});

	it("makes a note of the text and the attachments left out, or none at all", () => {
		expect(noteOf("", 0)).toBeNull();
		expect(noteOf("", 1)).toBe("[1 attachment was left out: files sent by e-mail are not kept yet.]");
		expect(noteOf("Hi", 3)).toBe("Hi\n\n[3 attachments were left out: files sent by e-mail are not kept yet.]");
	});
});

describe("automatedMail", () => {
	const person = { from: "alice@acme.test", domain: "mail.trustdesk.test" };
	const judge = (h: Record<string, string>, envelope = person.from, from: string | undefined = person.from) => automatedMail(headers(h), envelope, from, person.domain);

	it("lets a person's mail through", () => {
		expect(judge({ "Auto-Submitted": "no", "Content-Type": "text/plain" })).toBeNull();
	});

	it("names each kind of robot", () => {
		expect(judge({ "Auto-Submitted": "auto-replied" })).toBe("auto-submitted");
		expect(judge({ "X-Auto-Response-Suppress": "OOF" })).toBe("auto-response-suppress");
		expect(judge({ Precedence: "junk" })).toBe("bulk");
		expect(judge({ "List-Id": "<news.acme.test>" })).toBe("bulk");
		expect(judge({ "Content-Type": "multipart/report; report-type=delivery-status" })).toBe("delivery-report");
		expect(judge({}, "")).toBe("null-sender");
		expect(judge({}, "MAILER-DAEMON@acme.test")).toBe("null-sender");
		expect(judge({ [OWN_MAIL_HEADER]: "acme" })).toBe("own-mail");
		expect(judge({}, "acme@mail.trustdesk.test", "acme@mail.trustdesk.test")).toBe("own-mail");
	});
});

describe("threadOfReferences", () => {
	const tag = "abcdefghijklmnopqrst";
	it("reads our Message-IDs of this account only", () => {
		expect(threadOfReferences({ inReplyTo: `<acme+r12-${tag}.k9@mail.test>`, references: undefined }, "acme", "mail.test")).toEqual({
			kind: "thread",
			accountId: "acme",
			requestNumber: 12,
			tag,
		});
		expect(threadOfReferences({ inReplyTo: `<globex+r12-${tag}.k9@mail.test>`, references: undefined }, "acme", "mail.test")).toBeNull();
		expect(threadOfReferences({ inReplyTo: `<acme+r12-${tag}.k9@elsewhere.test>`, references: undefined }, "acme", "mail.test")).toBeNull();
		expect(threadOfReferences({ inReplyTo: undefined, references: "<x@y> <acme@mail.test>" }, "acme", "mail.test")).toBeNull();
	});
});

describe("chooseService", () => {
	const entry = (provider: string, sla: string, service: string, description = "") =>
		({
			providerAccountId: provider,
			service: { id: `svc_${sla}`, name: service, description },
			instance: { id: `si_${sla}`, name: `${service} Production` },
			offering: { id: `so_${sla}`, name: "Gold", summary: "", targets: {}, supportHours: {} },
			sla: { id: sla, name: sla, startDate: "2026-01-01", expiryDate: null },
		}) as unknown as CustomerCatalog["entries"][number];
	const catalog: CustomerCatalog = { entries: [entry("dc", "sla_a", "Email", "Mailboxes and delivery"), entry("dc", "sla_b", "Workplace", "Laptops, docking stations and printers")], unavailable: [] };

	it("picks the entry the subject's words name, the intake when it is in the catalog, and nothing on no match", () => {
		expect(wordsOf("The mailboxes are FULL")).toEqual(new Set(["mailbox", "full"]));
		expect(chooseService(catalog, null, "My mailboxes are full")).toEqual({ providerAccountId: "dc", slaId: "sla_a" });
		expect(chooseService(catalog, null, "Printer jam")).toEqual({ providerAccountId: "dc", slaId: "sla_b" });
		expect(chooseService(catalog, null, "Coffee")).toBeNull();
		expect(chooseService(catalog, { providerAccountId: "dc", slaId: "sla_b" }, "My mailboxes are full")).toEqual({ providerAccountId: "dc", slaId: "sla_b" });
		// An intake the sender's catalog does not hold is no choice for them.
		expect(chooseService(catalog, { providerAccountId: "dc", slaId: "sla_gone" }, "Coffee")).toBeNull();
	});

	it("does not guess between entries the subject names equally", () => {
		const twins: CustomerCatalog = { entries: [entry("dc", "sla_a", "Email", "Mailboxes"), entry("dc", "sla_c", "Email archive", "Mailboxes")], unavailable: [] };
		expect(chooseService(twins, null, "mailbox")).toBeNull();
		expect(chooseService(twins, null, "email archive")).toEqual({ providerAccountId: "dc", slaId: "sla_c" });
	});
});

// E-mail in: the Worker's email() handler. It finds the account by the recipient address on the
// mail domain, refuses what is too big or addressed to nobody, ignores what no person wrote,
// identifies the sender as a person of that account (the envelope sender and the From header
// must agree), and hands the cleaned mail to that account's object: a new request for mail to
// `<account>@domain`, a note for a reply to `<account>+r<n>-<tag>@domain` (thread.ts). Strangers
// writing to an account get one polite answer a day. Nothing here trusts the mail's own claims
// beyond that: which request a reply reaches is the tag's, whether the sender may add to it is
// the request's access rules'.
import PostalMime, { type Email } from "postal-mime";
import { findAccount } from "../db/accounts";
import { directory } from "../db/client";
import { findMembership, findPersonByEmail } from "../db/people";
import { personActorOf } from "../identity/person-actor";
import { mailDomain } from "./domain";
import type { Replayable } from "../lib/idempotency";
import type { RequestSummary } from "../shared/request-api";
import { type InboundMail, mailIdempotency } from "./inbound-mail";
import { bounceOf } from "./bounces";
import { bodyOf, EMPTY_REPLY, noteOf, subjectOf } from "./inbound-text";
import { automatedMail, type Automated, type MailHeaders, OWN_MAIL_HEADER } from "./loops";
import { type MailRoute, parseLocalPart } from "./thread";

/** Mail above this is refused before a byte of it is read. */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

/** What became of one mail (for the logs and the tests; the platform only hears of rejections). */
export type InboundOutcome =
	| { action: "rejected"; reason: string }
	| { action: "ignored"; why: Automated; bounced?: string }
	| { action: "request"; requestId: string; replayed: boolean }
	| { action: "note"; requestId: string; replayed: boolean }
	| { action: "unknown_sender"; answered: boolean };

export const REJECT = {
	tooLarge: `Message too large: this address takes e-mail of at most ${MAX_INBOUND_BYTES / (1024 * 1024)} MB.`,
	noRecipient: "No such recipient here.",
	noAccount: "No such account at this address.",
	unreadable: "The message could not be read as e-mail.",
	forgedFrom: "The From address does not match the envelope sender: not accepted.",
	notParticipant: "Your reply was not added: this address does not lead to a request you take part in.",
} as const;

/** `local@domain`, lowercased, or null. */
export function splitAddress(address: string): { local: string; domain: string } | null {
	const a = address.trim().replace(/^<|>$/g, "").toLowerCase();
	const at = a.lastIndexOf("@");
	if (at <= 0 || at === a.length - 1) return null;
	return { local: a.slice(0, at), domain: a.slice(at + 1) };
}

/**
 * A reply sent to the account's own address (a client that answers From, not Reply-To) still
 * names the mail it answers in In-Reply-To / References. Our Message-IDs are
 * `<account>+r<n>-<tag>.<unique>@<domain>`: the same tag as the reply address, so such a reply
 * threads under the same check. The newest reference of this account that parses wins.
 */
export function threadOfReferences(email: Pick<Email, "inReplyTo" | "references">, accountId: string, domain: string): MailRoute | null {
	const ids = `${email.inReplyTo ?? ""} ${email.references ?? ""}`.match(/<[^<>\s]+>/g) ?? [];
	for (const id of ids) {
		const address = splitAddress(id);
		if (!address || address.domain !== domain) continue;
		const dot = address.local.indexOf(".");
		const route = parseLocalPart(dot < 0 ? address.local : address.local.slice(0, dot));
		if (route?.kind === "thread" && route.accountId === accountId) return route;
	}
	return null;
}

function parsedHeaders(email: Email): MailHeaders {
	return { get: (name) => email.headers.find((h) => h.key === name.toLowerCase())?.value ?? null };
}

export async function receiveEmail(message: ForwardableEmailMessage, env: Env): Promise<InboundOutcome> {
	const reject = (reason: string): InboundOutcome => {
		message.setReject(reason);
		return { action: "rejected", reason };
	};
	if (message.rawSize > MAX_INBOUND_BYTES) return reject(REJECT.tooLarge);
	const domain = mailDomain(env);
	const to = splitAddress(message.to);
	const route = to && to.domain === domain ? parseLocalPart(to.local) : null;
	if (!route) return reject(REJECT.noRecipient);
	const db = directory(env.DB);
	const account = await findAccount(db, route.accountId);
	if (!account) return reject(REJECT.noAccount);

	const envelope = splitAddress(message.from);
	const envelopeFrom = envelope ? `${envelope.local}@${envelope.domain}` : "";
	// The platform's headers first: a bounce or an auto-reply is not even read.
	const early = automatedMail(message.headers, envelopeFrom, envelopeFrom || undefined, domain);
	if (early && early !== "delivery-report") return { action: "ignored", why: early };
	let email: Email;
	try {
		email = await PostalMime.parse(message.raw, { attachmentEncoding: "arraybuffer" });
	} catch {
		return early ? { action: "ignored", why: early } : reject(REJECT.unreadable);
	}
	const headerFrom = email.from?.address?.trim().toLowerCase();
	const automated = early ?? automatedMail(parsedHeaders(email), envelopeFrom, headerFrom, domain);
	if (automated === "delivery-report") {
		// Never answered; but the account's delivery log learns which of its mails bounced.
		const bounce = bounceOf(email);
		const marked = bounce ? await env.ACCOUNT.getByName(account.id).recordMailBounce(bounce.messageId, bounce.reason) : false;
		return { action: "ignored", why: automated, ...(marked ? { bounced: bounce?.messageId } : {}) };
	}
	if (automated) return { action: "ignored", why: automated };
	// Anybody can write any From; the envelope sender is what the platform's SPF/DKIM/DMARC
	// checks vouch for. A mail whose two senders differ speaks for nobody.
	if (headerFrom !== envelopeFrom) return reject(REJECT.forgedFrom);

	const person = await findPersonByEmail(db, envelopeFrom);
	const membership = person && (await findMembership(db, person.id, account.id));
	const stub = env.ACCOUNT.getByName(account.id);
	const subject = subjectOf(email.subject);
	const mail = (reply: boolean): InboundMail => ({
		from: envelopeFrom,
		subject,
		body: bodyOf(email, reply),
		attachments: email.attachments.length,
		messageId: email.messageId ?? null,
	});

	const thread = route.kind === "thread" ? route : threadOfReferences(email, account.id, domain);
	if (thread?.kind === "thread") {
		if (!person) return reject(REJECT.notParticipant);
		const named = { requestNumber: thread.requestNumber, tag: thread.tag };
		let result: Replayable<RequestSummary>;
		if (membership) {
			result = await stub.receiveMailReply(personActorOf(person, membership.roles), named, mail(true));
		} else {
			// Not a person of the owner: perhaps of the provider whose team works on the request.
			const found = await stub.resolveMailThread(named);
			const teamAccount = found?.teamAccountId && found.teamAccountId !== account.id ? found.teamAccountId : null;
			const provider = teamAccount ? await findMembership(db, person.id, teamAccount) : undefined;
			if (!found || !teamAccount || !provider) return reject(REJECT.notParticipant);
			const reply = mail(true);
			const note = noteOf(reply.body, reply.attachments);
			if (!note) return reject(`Your reply was not added: ${EMPTY_REPLY}`);
			// Through the provider's object, as the specialist's portal does: it checks the team, the
			// owner checks the trust and the assignment.
			result = await env.ACCOUNT.getByName(teamAccount).commandRequest(
				personActorOf(person, provider.roles),
				found.requestId,
				{ type: "note", body: note, internal: false },
				undefined,
				mailIdempotency(reply),
			);
		}
		if (result.ok) return { action: "note", requestId: result.value.id, replayed: result.replayed === true };
		return reject(result.error.code === "invalid_input" ? `Your reply was not added: ${result.error.message}` : REJECT.notParticipant);
	}

	if (!person || !membership) {
		const answered = (await stub.claimUnknownSenderAnswer(envelopeFrom)) && (await answerStranger(message, env, account, subject));
		return { action: "unknown_sender", answered };
	}
	const actor = personActorOf(person, membership.roles);
	const choice = await stub.mailServiceFor(person.id, subject);
	const result = await stub.receiveMailRequest(actor, mail(false), { service: choice });
	if (result.ok) return { action: "request", requestId: result.value.id, replayed: result.replayed === true };
	return reject(`The request could not be registered: ${result.error.message}`);
}

/**
 * The one answer a stranger gets: who we are and how to get in, nothing about who is or is not
 * a person of the account (the same answer for everybody unknown to it).
 */
async function answerStranger(message: ForwardableEmailMessage, env: Env, account: { id: string; name: string }, subject: string): Promise<boolean> {
	const portal = env.PUBLIC_URL ? `${env.PUBLIC_URL.replace(/\/$/, "")}/${account.id}/` : null;
	const text = [
		"Hello,",
		`Thank you for writing to ${account.name}. Your e-mail was not registered: ${account.name} takes requests by e-mail only from the people of its service desk, and this address is not one of them.`,
		portal
			? `If you work with ${account.name}, ask them to invite this address, then write again, or sign in at ${portal}.`
			: `If you work with ${account.name}, ask them to invite this address, then write again.`,
		"This is an automatic answer; you will get at most one a day.",
	].join("\n\n");
	try {
		await message.reply({
			from: { name: account.name, email: message.to },
			subject: subject.toLowerCase().startsWith("re:") ? subject : `Re: ${subject}`,
			text,
			// Our own header and RFC 3834's: neither we nor an auto-responder answers this again.
			headers: { [OWN_MAIL_HEADER]: account.id, "Auto-Submitted": "auto-replied" },
		});
		return true;
	} catch (err) {
		console.error(JSON.stringify({ at: "mail.inbound.answer", account: account.id, error: err instanceof Error ? err.message : String(err) }));
		return false;
	}
}

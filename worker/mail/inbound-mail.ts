// An inbound mail as the account object receives it: the Worker has read, checked and cleaned it
// (inbound.ts), and identified its sender as a person of this account. Plain data: it crosses
// Durable Object RPC.
import type { AccountDb } from "../account/db";
import { receivedSlas } from "../account/schema";
import type { IdempotencyContext } from "../lib/idempotency";
import { and, eq, inArray } from "drizzle-orm";

export interface InboundMail {
	/** The sender's address (envelope and From agreed on it), lowercased. */
	from: string;
	/** One line, cleaned (inbound-text.ts subjectOf). */
	subject: string;
	/** The text as a note, cleaned; for a reply without the quoted history. May be empty. */
	body: string;
	/** Attachments the mail had: not kept (files are not stored yet), counted in the note. */
	attachments: number;
	/** The mail's Message-ID: a mail delivered twice (an SMTP retry) registers one request, one note. */
	messageId: string | null;
}

/** The reply address's parts (thread.ts). */
export interface MailThread {
	requestNumber: number;
	tag: string;
}

/** Where a new request by mail goes: a provider's SLA, or triage. */
export interface MailRegistration {
	service: { providerAccountId: string; slaId: string } | null;
}

/**
 * The mail's Message-ID as an idempotency key of its sender: the same mail twice is one change.
 * Keys are visible ASCII of at most 255 characters; a Message-ID that is not has no key.
 */
export function mailIdempotency(mail: InboundMail): IdempotencyContext | undefined {
	const id = mail.messageId?.trim();
	if (!id || !/^[\x21-\x7e]{1,255}$/.test(id)) return undefined;
	return { key: id, fingerprint: "mail", principal: `mail:${mail.from}` };
}

/** An SLA a provider offers this account, active or about to be: one the intake setting may name. */
export function isOfferedSla(db: AccountDb, providerAccountId: string, slaId: string): boolean {
	return (
		db
			.select({ id: receivedSlas.slaId })
			.from(receivedSlas)
			.where(
				and(
					eq(receivedSlas.providerAccountId, providerAccountId),
					eq(receivedSlas.slaId, slaId),
					inArray(receivedSlas.status, ["active", "scheduled_for_activation"]),
				),
			)
			.get() !== undefined
	);
}

// The queue's view of the outside world for one account: its branding and portal address, the
// directory (a recipient's current address), the thread addresses, and the send_email binding.
// With DEMO_TOOLS on, every mail the binding accepted is also kept in the local demo's mailbox
// (D1 table dev_mailbox, read by /api/dev/mailbox).
import { mailAddressesOf } from "../db/people";
import { directory } from "../db/client";
import { devMailbox } from "../db/schema";
import type { AccountDb } from "../account/db";
import type { AccountProfile } from "../account/profile";
import type { ComposedMail } from "./compose";
import type { MailTransport } from "./queue";
import { mailDomain } from "./domain";
import { threadAddress } from "./thread";

/** Links in mails need an absolute origin; without PUBLIC_URL, the one `npm start` serves on. */
export const LOCAL_ORIGIN = "http://localhost:8787";

export function portalUrl(env: Pick<Env, "PUBLIC_URL">, accountId: string): string {
	const origin = (env.PUBLIC_URL || LOCAL_ORIGIN).replace(/\/$/, "");
	return `${origin}/${accountId}/`;
}

function addressText(a: ComposedMail["to"] | ComposedMail["from"]): string {
	return typeof a === "string" ? a : a.name ? `${a.name} <${a.email}>` : a.email;
}

export function mailTransport(env: Env, db: AccountDb, profile: AccountProfile): MailTransport {
	const domain = mailDomain(env);
	/** The demo mailbox's copies of this run, written in one batch when it ends. */
	const copies: (typeof devMailbox.$inferInsert)[] = [];
	return {
		branding: { accountId: profile.id, title: profile.design.title, primaryColor: profile.design.primaryColor },
		portalUrl: portalUrl(env, profile.id),
		mailDomain: domain,
		addressesOf: (personIds) => mailAddressesOf(directory(env.DB), personIds),
		threadAddress: (requestId) => threadAddress(db, profile.id, requestId, domain),
		async send(mail) {
			const result = await env.EMAIL.send(mail);
			if (env.DEMO_TOOLS === "1") {
				copies.push({
					id: crypto.randomUUID(),
					accountId: profile.id,
					messageId: result.messageId ?? null,
					fromAddress: addressText(mail.from),
					toAddress: (typeof mail.to === "string" ? mail.to : mail.to.email).toLowerCase(),
					replyTo: mail.replyTo ?? null,
					subject: mail.subject,
					text: mail.text,
					html: mail.html,
					headers: mail.headers,
				});
			}
			return result.messageId ?? null;
		},
		async finish() {
			// The binding has taken these mails: a failure to keep the demo's copies must not make
			// the queue send them again. One statement per copy, one round trip for the run.
			const db = directory(env.DB);
			const [first, ...rest] = copies.splice(0).map((copy) => db.insert(devMailbox).values(copy));
			if (first) await db.batch([first, ...rest]).catch((err: unknown) => console.error("dev mailbox: could not keep the copies", err));
		},
	};
}

// The queue's view of the outside world for one account: its branding and portal address, the
// directory (a recipient's current address), the thread addresses, and the send_email binding.
// With DEMO_TOOLS on, every mail the binding accepted is also kept in the local demo's mailbox
// (D1 table dev_mailbox, read by /api/dev/mailbox).
import { mailAddressesOf } from "../db/people";
import { directory } from "../db/client";
import type { AccountDb } from "../account/db";
import type { AccountProfile } from "../account/profile";
import type { ComposedMail } from "./compose";
import type { MailTransport } from "./queue";
import { mailDomain } from "./domain";
import { threadAddresses } from "./thread";

/** Links in mails need an absolute origin; without PUBLIC_URL, the one `npm start` serves on. */
export const LOCAL_ORIGIN = "http://localhost:8787";

export function portalUrl(env: Pick<Env, "PUBLIC_URL">, accountId: string): string {
	const origin = (env.PUBLIC_URL || LOCAL_ORIGIN).replace(/\/$/, "");
	return `${origin}/${accountId}/`;
}

function addressText(a: ComposedMail["to"] | ComposedMail["from"]): string {
	return typeof a === "string" ? a : a.name ? `${a.name} <${a.email}>` : a.email;
}

/**
 * One copy in the demo mailbox (D1 table dev_mailbox, worker/db/schema.ts; sent_at takes its
 * default). Plain D1, bound per copy: drizzle's builder per copy cost more than the insert.
 */
const INSERT_COPY =
	"insert into dev_mailbox (id, account_id, message_id, from_address, to_address, reply_to, subject, text, html, headers) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

export function mailTransport(env: Env, db: AccountDb, profile: AccountProfile): MailTransport {
	const domain = mailDomain(env);
	/** The demo mailbox's copies of this run (INSERT_COPY's values), written in one batch when it ends. */
	const copies: (string | null)[][] = [];
	return {
		branding: { accountId: profile.id, title: profile.design.title, primaryColor: profile.design.primaryColor },
		portalUrl: portalUrl(env, profile.id),
		mailDomain: domain,
		addressesOf: (personIds) => mailAddressesOf(directory(env.DB), personIds),
		threadAddresses: (requestIds) => threadAddresses(db, profile.id, requestIds, domain),
		async send(mail) {
			const result = await env.EMAIL.send(mail);
			if (env.DEMO_TOOLS === "1") {
				copies.push([
					crypto.randomUUID(),
					profile.id,
					result.messageId ?? null,
					addressText(mail.from),
					(typeof mail.to === "string" ? mail.to : mail.to.email).toLowerCase(),
					mail.replyTo ?? null,
					mail.subject,
					mail.text,
					mail.html,
					JSON.stringify(mail.headers),
				]);
			}
			return result.messageId ?? null;
		},
		async finish() {
			// The binding has taken these mails: a failure to keep the demo's copies must not make
			// the queue send them again. One statement per copy, one round trip for the run.
			if (copies.length === 0) return;
			try {
				const insert = env.DB.prepare(INSERT_COPY);
				await env.DB.batch(copies.splice(0).map((copy) => insert.bind(...copy)));
			} catch (err) {
				console.error("dev mailbox: could not keep the copies", err);
			}
		},
	};
}

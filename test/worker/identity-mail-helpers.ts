// Reading the identity mails an account queued. Secret links are dropped from the queue once a
// mail is sent, so the tests make the account's Email Service refuse sends first: the mail then
// waits in the queue, as queued, and its link can be read and followed.
import { inObject } from "./service-helpers";

export interface QueuedMail {
	kind: string;
	toEmail: string;
	personId: string | null;
	subject: string;
	paragraphs: string[];
	action: { label: string; url: string } | null;
	sensitive: boolean;
	status: string;
}

/** The account's Email Service refuses every send until `acceptMail`. */
export async function holdMail(accountId: string): Promise<void> {
	await inObject(accountId, (instance) => {
		instance.hooks.failMailSends = 1_000_000;
	});
}

export async function acceptMail(accountId: string): Promise<void> {
	await inObject(accountId, (instance) => {
		instance.hooks.failMailSends = 0;
	});
}

/** Every mail in the account's queue and log, oldest first. */
export async function mailsOf(accountId: string): Promise<QueuedMail[]> {
	return inObject(accountId, (_instance, state) =>
		state.storage.sql
			.exec<{ kind: string; to_email: string; person_id: string | null; subject: string; content: string | null; sensitive: number; status: string }>(
				"SELECT kind, to_email, person_id, subject, content, sensitive, status FROM mail_outbox ORDER BY created_at, rowid",
			)
			.toArray()
			.map((r) => {
				const content = r.content ? (JSON.parse(r.content) as { paragraphs: string[]; action?: { label: string; url: string } }) : null;
				return {
					kind: r.kind,
					toEmail: r.to_email,
					personId: r.person_id,
					subject: r.subject,
					paragraphs: content?.paragraphs ?? [],
					action: content?.action ?? null,
					sensitive: r.sensitive === 1,
					status: r.status,
				};
			}),
	);
}

/** Waits (10 ms polls, 3 s at most) for a mail of `kind` to `email` in the account's queue. */
export async function mailTo(accountId: string, kind: string, email: string): Promise<QueuedMail> {
	for (let waited = 0; waited < 3000; waited += 10) {
		const found = (await mailsOf(accountId)).filter((m) => m.kind === kind && m.toEmail === email).at(-1);
		if (found) return found;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`no ${kind} mail to ${email} in ${accountId}`);
}

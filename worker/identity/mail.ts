// The identity mails (invitations, password resets, e-mail verification): where their links point
// and which account's mail queue sends them. Each goes out from the outbox of the account it
// concerns: the inviting account, or the account whose portal the person was on.
import type { Context } from "hono";
import type { Directory } from "../db/client";
import { findMembership, listMemberships } from "../db/people";
import type { AppEnv } from "../env";
import { accountStub } from "../http/account-object";
import { unwrap } from "../http/errors";
import type { MailToSend } from "../mail/types";
import { base64url, randomBytes, sha256Hex } from "./crypto";

/**
 * A page of the portal, on the main address (PUBLIC_URL), else the origin the request came to (the
 * link then works wherever the person is using Trustdesk). The mail queue's own links, made in the
 * account object without a request, use mail/transport.ts's portalUrl.
 */
export function pageUrl(c: Context<AppEnv>, path: string): string {
	const origin = (c.env.PUBLIC_URL || new URL(c.req.url).origin).replace(/\/$/, "");
	return `${origin}${path}`;
}

/** A link secret: 32 random bytes for the mail, only its SHA-256 for the directory. */
export async function newLinkToken(): Promise<{ token: string; tokenHash: string }> {
	const token = base64url(randomBytes(32));
	return { token, tokenHash: await sha256Hex(token) };
}

/**
 * The account whose outbox mails the person: `preferred` (the portal they were on) if they are a
 * member of it, else their first account by name. Undefined for a person of no account: there is
 * no outbox to send from (they can still be invited, which mails them from the inviting account).
 */
export async function mailingAccountOf(db: Directory, personId: string, preferred: string | undefined): Promise<string | undefined> {
	if (preferred && (await findMembership(db, personId, preferred))) return preferred;
	const [first] = await listMemberships(db, personId);
	return first?.account.id;
}

/** Hands the mail to the account's mail queue (sent by the account's alarm, with retries). */
export async function queueIdentityMail(env: Env, accountId: string, mail: MailToSend): Promise<void> {
	unwrap(await accountStub(env, accountId).queueMail(mail));
}

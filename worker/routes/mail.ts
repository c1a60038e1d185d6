// E-mail: the account's delivery log (administrators, and API tokens with mail:read), and the local
// demo's mailbox (/api/dev/mailbox, only where DEMO_TOOLS is "1"; not part of the API, not in the
// OpenAPI document).
import { createRoute } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import type { Handler } from "hono";
import { directory } from "../db/client";
import { devMailbox } from "../db/schema";
import type { AppEnv } from "../env";
import { accountStub } from "../http/account-object";
import { accountScope } from "../http/auth";
import { AppError, unwrap } from "../http/errors";
import { AccountParams, errors, router } from "../http/openapi";
import { pageResponse, paged } from "../http/pagination";
import { escapeHtml } from "../mail/compose";
import { MailDeliveryPage, MailDeliveryQuery } from "../shared/mail-api";

const listDeliveries = createRoute({
	method: "get",
	path: "/accounts/{accountId}/mail-deliveries",
	tags: ["E-mail"],
	summary: "The account's e-mail delivery log",
	description:
		"Every e-mail the account sent or is sending, newest first, a page at a time (keyset cursor): status, attempts, the last error, recipient, subject and times. A failed attempt is retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours; after that the mail has failed. The bodies of mails with secret links are never shown.",
	middleware: accountScope("mail:read"),
	request: { params: AccountParams, query: MailDeliveryQuery },
	responses: { 200: pageResponse(MailDeliveryPage, "A page of the log."), ...errors(400, 401, 403, 404) },
});

export const mailRoutes = router().openapi(listDeliveries, async (c) => {
	const { cursor, limit } = c.req.valid("query");
	return c.json(paged(c, unwrap(await accountStub(c.env, c.get("account").id).listMailDeliveries(cursor, limit))), 200);
});

// ── The local demo's mailbox ────────────────────────────────────────────────

const MAILBOX_SIZE = 200;

/** http(s) links in a mail's text part, in order, each once. */
export function linksIn(text: string): string[] {
	return [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}

function linkify(text: string): string {
	return escapeHtml(text).replace(/https?:\/\/[^\s<>"')]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function notFound(c: Parameters<Handler<AppEnv>>[0]): never {
	throw new AppError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`);
}

/**
 * GET /api/dev/mailbox: every mail the local send_email binding took, newest first, as a page
 * with clickable links, or as JSON with `?format=json`; `?to=<address>` shows one recipient's.
 */
export const devMailboxList: Handler<AppEnv> = async (c) => {
	if (c.env.DEMO_TOOLS !== "1") notFound(c);
	const to = c.req.query("to")?.trim().toLowerCase();
	const db = directory(c.env.DB);
	const rows = await db
		.select()
		.from(devMailbox)
		.where(to ? eq(devMailbox.toAddress, to) : undefined)
		.orderBy(desc(devMailbox.sentAt), desc(devMailbox.id))
		.limit(MAILBOX_SIZE)
		.all();
	const messages = rows.map((r) => ({
		id: r.id,
		accountId: r.accountId,
		from: r.fromAddress,
		to: r.toAddress,
		replyTo: r.replyTo,
		subject: r.subject,
		headers: r.headers,
		text: r.text,
		html: r.html,
		links: linksIn(r.text),
		sentAt: r.sentAt.toISOString(),
	}));
	if (c.req.query("format") === "json") return c.json({ messages }, 200);
	const items = messages
		.map(
			(m) => `<article>
<h2>${escapeHtml(m.subject)}</h2>
<p class="meta">From ${escapeHtml(m.from)} to <a href="?to=${encodeURIComponent(m.to)}">${escapeHtml(m.to)}</a>${m.replyTo ? `, reply to ${escapeHtml(m.replyTo)}` : ""} · <time datetime="${m.sentAt}">${m.sentAt.replace("T", " ").slice(0, 19)} UTC</time> · <a href="/api/dev/mailbox/${m.id}">as the recipient sees it (HTML)</a></p>
<pre>${linkify(m.text)}</pre>
</article>`,
		)
		.join("\n");
	return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Local mailbox · Trustdesk</title></head>
<body style="font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem">
<h1>Local mailbox</h1>
<p>Every e-mail Trustdesk handed to the local <code>send_email</code> binding (nothing leaves this machine)${to ? `, to ${escapeHtml(to)} (<a href="/api/dev/mailbox">all</a>)` : ""}. Newest first; <a href="?format=json${to ? `&amp;to=${encodeURIComponent(to)}` : ""}">JSON</a>.</p>
${items || "<p>No e-mail yet.</p>"}
</body></html>`);
};

/** GET /api/dev/mailbox/{id}: one mail's HTML part, as the recipient's mail program shows it. */
export const devMailboxMessage: Handler<AppEnv> = async (c) => {
	if (c.env.DEMO_TOOLS !== "1") notFound(c);
	const row = await directory(c.env.DB).select({ html: devMailbox.html }).from(devMailbox).where(eq(devMailbox.id, c.req.param("id") ?? "")).get();
	if (!row) throw new AppError("not_found", "No such message in the local mailbox.");
	return c.html(row.html);
};

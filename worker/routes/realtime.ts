// Opening an account's WebSocket. The one-time ticket (from POST …/realtime/tickets, an
// authenticated call) is the credential; the AccountObject redeems it.
//
// The Origin rule, against cross-site WebSocket hijacking: browsers always send Origin on a
// WebSocket handshake, and a page cannot remove or forge it. So an Origin other than this
// Trustdesk's own (the request's origin or PUBLIC_URL's) — "null" from sandboxed frames and
// file: pages included — is refused with 403 before the ticket is looked at. A handshake with no
// Origin at all cannot come from a web page; it is a program (a CLI, an integration) that holds a
// one-time ticket, which only a signed-in person gets through a CSRF-checked POST within the last
// 30 seconds. It is accepted: refusing it would protect nothing a ticket does not already protect.
import type { Handler } from "hono";
import { findAccount } from "../db/accounts";
import { directory } from "../db/client";
import type { AppEnv } from "../env";
import { accountStub } from "../http/account-object";
import { AccountId } from "../shared/api";
import { errorBody } from "../shared/errors";

export const realtimeUpgrade: Handler<AppEnv> = async (c) => {
	if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
		return c.json(errorBody("invalid_input", "This address takes WebSocket upgrades only."), 426);
	}
	const origin = c.req.header("Origin");
	const allowed = new Set([new URL(c.req.url).origin]);
	if (c.env.PUBLIC_URL && URL.canParse(c.env.PUBLIC_URL)) allowed.add(new URL(c.env.PUBLIC_URL).origin);
	// No Origin: not a browser (see above); the ticket decides.
	if (origin !== undefined && !allowed.has(origin)) return c.json(errorBody("forbidden", "WebSockets from another origin are not accepted."), 403);
	const accountId = AccountId.safeParse(c.req.param("accountId"));
	// Checked against the directory so that no Durable Object is made up for an unknown id. A
	// missing ticket goes on to the object like an unknown one: browsers hide an upgrade's HTTP
	// error, so only the socket's error frame and close code tell the client to get a new ticket.
	if (!accountId.success || !(await findAccount(directory(c.env.DB), accountId.data))) {
		return c.json(errorBody("not_found", "No such account."), 404);
	}
	return accountStub(c.env, accountId.data).fetch(c.req.raw);
};

// Opening an account's WebSocket. The one-time ticket (from POST …/realtime/tickets, an
// authenticated call) is the credential; the AccountObject redeems it. Browsers always send an
// Origin on a WebSocket: one from another site is refused, against cross-site socket hijacking.
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

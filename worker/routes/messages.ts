// The account's outbox: messages to other accounts not yet delivered, and retrying parked ones.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import { AccountId } from "../shared/api";
import { OutboxMessage } from "../shared/service-api";

const listMessages = createRoute({
	method: "get",
	path: "/accounts/{accountId}/messages",
	tags: ["Messages"],
	summary: "Messages to other accounts waiting for delivery",
	description: "pending: being retried with backoff. parked: failed too often; messages behind it to the same account wait until it is retried.",
	middleware: accountScope("messages:manage"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(OutboxMessage, "OutboxMessagePage"), "Waiting messages, by destination and order."), ...errors(401, 403, 404) },
});

const retryMessage = createRoute({
	method: "post",
	path: "/accounts/{accountId}/messages/{to}/{seq}/retry",
	tags: ["Messages"],
	summary: "Retry a parked message",
	middleware: [accountScope("messages:manage"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams.extend({ to: AccountId, seq: z.coerce.number().int().positive() }) },
	responses: { 200: json(z.object({ id: z.string() }), "Back in line; delivery is tried at once."), ...errors(400, 401, 403, 404, 422) },
});

export const messageRoutes = router()
	.openapi(listMessages, async (c) => c.json(paged(c, paginate(await accountStub(c.env, c.get("account").id).listOutbox(), (x) => [x.to, x.seq], c.req.valid("query"))), 200))
	.openapi(retryMessage, async (c) => {
		const { to, seq } = c.req.valid("param");
		return c.json(unwrapCreate(c, await accountStub(c.env, c.get("account").id).retryMessage(to, seq, idempotencyOf(c))), 200);
	});

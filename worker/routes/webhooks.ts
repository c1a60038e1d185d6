// Webhooks of an account (README, "Webhooks"): endpoints subscribed to event types, their secrets
// (shown once, rotated with a 24-hour overlap), the delivery log with Redeliver, and a test event.
// For administrators, and API tokens with webhooks:read / webhooks:write. Endpoints an app
// installation manages are listed but changed only through the app.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { unwrap } from "../http/errors";
import { PageQuery, paged, pageResponse } from "../http/pagination";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import {
	CreateWebhookEndpoint,
	UpdateWebhookEndpoint,
	WebhookDelivery,
	WebhookDeliveryPage,
	WebhookEndpoint,
	WebhookEndpointList,
	WebhookEndpointWithSecret,
} from "../shared/webhook-api";

const EndpointParams = AccountParams.extend({ endpointId: z.string().max(64).meta({ description: "Webhook endpoint id", example: "whep_8sKq2LmZpR4WxYz1" }) });
const DeliveryParams = EndpointParams.extend({ deliveryId: z.string().max(64).meta({ description: "Delivery (message) id", example: "msg_8sKq2LmZpR4WxYz1" }) });
const TAGS = ["Webhooks"];

const listEndpoints = createRoute({
	method: "get",
	path: "/accounts/{accountId}/webhooks",
	tags: TAGS,
	summary: "The account's webhook endpoints",
	description: "Oldest first. Endpoints with managedBy belong to an app installation: listed here, changed through the app.",
	middleware: accountScope("webhooks:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(WebhookEndpointList, "A page of endpoints."), ...errors(400, 401, 403, 404) },
});

const createEndpoint = createRoute({
	method: "post",
	path: "/accounts/{accountId}/webhooks",
	tags: TAGS,
	summary: "Subscribe a URL to events",
	description:
		"The URL must be https, without a user name or password, on a public host (not localhost, a private, loopback, link-local or carrier-grade NAT address, or a metadata service); a refused URL answers 400 with the reason. The answer holds the signing secret, shown this once.",
	middleware: [accountScope("webhooks:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateWebhookEndpoint) },
	responses: { 201: json(WebhookEndpointWithSecret, "The new endpoint and its secret."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

const getEndpoint = createRoute({
	method: "get",
	path: "/accounts/{accountId}/webhooks/{endpointId}",
	tags: TAGS,
	summary: "One webhook endpoint",
	middleware: accountScope("webhooks:read"),
	request: { params: EndpointParams },
	responses: { 200: json(WebhookEndpoint, "The endpoint."), ...errors(401, 403, 404) },
});

const updateEndpoint = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/webhooks/{endpointId}",
	tags: TAGS,
	summary: "Change a webhook endpoint",
	description: "Fields left out keep their value. enabled: false stops deliveries (queued ones fail); true starts them again with a clean failure count.",
	middleware: accountScope("webhooks:write"),
	request: { params: EndpointParams, body: jsonBody(UpdateWebhookEndpoint) },
	responses: { 200: json(WebhookEndpoint, "The endpoint."), ...errors(400, 401, 403, 404, 409, 415) },
});

const deleteEndpoint = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/webhooks/{endpointId}",
	tags: TAGS,
	summary: "Delete a webhook endpoint and its delivery log",
	middleware: accountScope("webhooks:write"),
	request: { params: EndpointParams },
	responses: { 204: { description: "Deleted." }, ...errors(401, 403, 404, 409) },
});

const rotateSecret = createRoute({
	method: "post",
	path: "/accounts/{accountId}/webhooks/{endpointId}/rotate-secret",
	tags: TAGS,
	summary: "Rotate the signing secret",
	description:
		"A new secret, shown this once. For 24 hours deliveries carry two signatures (the new secret's and the old one's), so receivers can switch without missing a delivery. Takes no Idempotency-Key: an answer holding a secret is never stored; a retry rotates again.",
	middleware: accountScope("webhooks:write"),
	request: { params: EndpointParams },
	responses: { 200: json(WebhookEndpointWithSecret, "The endpoint and its new secret."), ...errors(401, 403, 404, 409) },
});

const listDeliveries = createRoute({
	method: "get",
	path: "/accounts/{accountId}/webhooks/{endpointId}/deliveries",
	tags: TAGS,
	summary: "An endpoint's delivery log",
	description:
		"Newest first. Each delivery with its attempts: response code, latency, the start of the answer (1 KB), error. Retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (±10 %); then the delivery has failed. Kept 30 days.",
	middleware: accountScope("webhooks:read"),
	request: { params: EndpointParams, query: PageQuery },
	responses: { 200: pageResponse(WebhookDeliveryPage, "A page of the log."), ...errors(400, 401, 403, 404) },
});

const redeliver = createRoute({
	method: "post",
	path: "/accounts/{accountId}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
	tags: TAGS,
	summary: "Send a delivery again",
	description: "Queued at once with the same message id (webhook-id), so a receiver that got it before recognises it. Takes no Idempotency-Key: a retry queues the same message again.",
	middleware: accountScope("webhooks:write"),
	request: { params: DeliveryParams },
	responses: { 202: json(WebhookDelivery, "Queued."), ...errors(401, 403, 404, 409) },
});

const sendTest = createRoute({
	method: "post",
	path: "/accounts/{accountId}/webhooks/{endpointId}/test",
	tags: TAGS,
	summary: "Send a test event",
	description: "Queues a webhook.test event for this endpoint, whatever it subscribes to; see the result in its delivery log.",
	middleware: [accountScope("webhooks:write"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: EndpointParams },
	responses: { 202: json(WebhookDelivery, "Queued."), ...errors(401, 403, 404, 409, 422) },
});

export const webhookRoutes = router()
	.openapi(listEndpoints, async (c) => {
		const { cursor, limit } = c.req.valid("query");
		return c.json(paged(c, unwrap(await accountStub(c.env, c.get("account").id).listWebhookEndpoints(cursor, limit))), 200);
	})
	.openapi(createEndpoint, async (c) => {
		const input = c.req.valid("json");
		return c.json(unwrapCreate(c, await accountStub(c.env, c.get("account").id).createWebhookEndpoint(input, idempotencyOf(c))), 201);
	})
	.openapi(getEndpoint, async (c) => {
		return c.json(unwrap(await accountStub(c.env, c.get("account").id).getWebhookEndpoint(c.req.valid("param").endpointId)), 200);
	})
	.openapi(updateEndpoint, async (c) => {
		const { endpointId } = c.req.valid("param");
		return c.json(unwrap(await accountStub(c.env, c.get("account").id).updateWebhookEndpoint(endpointId, c.req.valid("json"))), 200);
	})
	.openapi(deleteEndpoint, async (c) => {
		unwrap(await accountStub(c.env, c.get("account").id).deleteWebhookEndpoint(c.req.valid("param").endpointId));
		return c.body(null, 204);
	})
	.openapi(rotateSecret, async (c) => {
		return c.json(unwrap(await accountStub(c.env, c.get("account").id).rotateWebhookSecret(c.req.valid("param").endpointId)), 200);
	})
	.openapi(listDeliveries, async (c) => {
		const { endpointId } = c.req.valid("param");
		const { cursor, limit } = c.req.valid("query");
		return c.json(paged(c, unwrap(await accountStub(c.env, c.get("account").id).listWebhookDeliveries(endpointId, cursor, limit))), 200);
	})
	.openapi(redeliver, async (c) => {
		const { endpointId, deliveryId } = c.req.valid("param");
		return c.json(unwrap(await accountStub(c.env, c.get("account").id).redeliverWebhook(endpointId, deliveryId)), 202);
	})
	.openapi(sendTest, async (c) => {
		const { endpointId } = c.req.valid("param");
		return c.json(unwrapCreate(c, await accountStub(c.env, c.get("account").id).sendWebhookTest(endpointId, idempotencyOf(c))), 202);
	});

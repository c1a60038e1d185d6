// The webhook endpoint calls of an account, over its context (worker/account/context.ts): people's
// endpoints with secrets sealed by the account's key (the scheduler derives it), changes checked
// against the URL policy, and redeliveries and test events queued for the next webhook run.
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import { ok, type Result } from "../lib/result";
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from "../shared/webhook-api";
import type { AccountContext } from "../account/context";
import { transaction } from "../account/db";
import * as idempotency from "../account/idempotency";
import * as hookDelivery from "./delivery";
import * as hookEndpoints from "./endpoints";

/**
 * Creates something signed with a new secret sealed by the account's key (a webhook endpoint, an
 * app offering), once per Idempotency-Key. The secret is in the answer once: a replay answers
 * `secret: null`, since the secret is never stored in the clear, not even with the key.
 */
export async function createWithSecret<T>(
	ctx: AccountContext,
	idem: IdempotencyContext | undefined,
	create: (prepared: hookEndpoints.PreparedSecret, now: number) => Result<{ value: T; secret: string }>,
): Promise<Replayable<{ value: T; secret: string | null }>> {
	const key = await ctx.jobs.secretKeyResult();
	if (!key.ok) return key;
	const prepared = await hookEndpoints.prepareSecret(key.value);
	const now = ctx.now();
	let secret: string | null = null;
	const result = idempotency.commit(ctx.db, idem, now, () => {
		const created = create(prepared, now);
		if (!created.ok) return created;
		secret = created.value.secret;
		return ok(created.value.value);
	});
	if (!result.ok) return result;
	return { ok: true, value: { value: result.value, secret: result.replayed ? null : secret }, ...(result.replayed ? { replayed: true as const } : {}) };
}

/** Creates an endpoint people own (its secret in this answer only: createWithSecret). */
export async function createWebhookEndpoint(ctx: AccountContext, input: hookEndpoints.NewEndpoint, idem?: IdempotencyContext): Promise<Replayable<WebhookEndpointWithSecret>> {
	const result = await createWithSecret(ctx, idem, (prepared, now) => {
		const created = hookEndpoints.createEndpoint(ctx.db, { ...input, managedBy: undefined }, prepared, ctx.urlPolicy(), now);
		if (!created.ok) return created;
		const endpoint = hookEndpoints.getEndpoint(ctx.db, created.value.id, now);
		return endpoint.ok ? ok({ value: endpoint.value, secret: created.value.secret }) : endpoint;
	});
	return result.ok ? { ...result, value: { endpoint: result.value.value, secret: result.value.secret } } : result;
}

export async function updateWebhookEndpoint(ctx: AccountContext, id: string, changes: hookEndpoints.EndpointChanges): Promise<Result<WebhookEndpoint>> {
	return transaction(ctx.db, () => hookEndpoints.updateEndpoint(ctx.db, id, changes, ctx.urlPolicy(), ctx.now()));
}

export async function rotateWebhookSecret(ctx: AccountContext, id: string): Promise<Result<WebhookEndpointWithSecret>> {
	const key = await ctx.jobs.secretKeyResult();
	if (!key.ok) return key;
	const prepared = await hookEndpoints.prepareSecret(key.value, id);
	return transaction(ctx.db, () => hookEndpoints.rotateSecret(ctx.db, id, prepared, ctx.now()));
}

export async function deleteWebhookEndpoint(ctx: AccountContext, id: string): Promise<Result<{ id: string }>> {
	return transaction(ctx.db, () => hookEndpoints.deleteEndpoint(ctx.db, id));
}

export async function redeliverWebhook(ctx: AccountContext, endpointId: string, deliveryId: string): Promise<Result<WebhookDelivery>> {
	const result = transaction(ctx.db, () => hookDelivery.redeliver(ctx.db, endpointId, deliveryId, ctx.now()));
	if (result.ok) await ctx.afterCommit();
	return result;
}

export async function sendWebhookTest(ctx: AccountContext, endpointId: string, idem?: IdempotencyContext): Promise<Replayable<WebhookDelivery>> {
	const now = ctx.now();
	const result = idempotency.commit(ctx.db, idem, now, () => transaction(ctx.db, () => hookDelivery.sendTestEvent(ctx.db, ctx.self(), endpointId, now)));
	if (result.ok) await ctx.afterCommit();
	return result;
}


// API tokens of an account: created by its administrators, with scopes, shown once.
import { createRoute } from "@hono/zod-openapi";
import { directory } from "../db/client";
import { insertToken, listTokens, revokeToken } from "../db/tokens";
import { accountScope, requireSession } from "../http/auth";
import { notFound } from "../http/errors";
import { directoryKey, IDEMPOTENCY_PARAMETER, idempotencyKey } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import { newId, randomSecret, sha256Hex } from "../identity/crypto";
import { ApiToken, CreateApiTokenInput, CreatedApiToken, TokenId } from "../shared/api";

const DAY_MS = 24 * 60 * 60 * 1000;

const listTokensRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/api-tokens",
	tags: ["API tokens"],
	summary: "API tokens of the account",
	description: "Live tokens (not revoked), newest first. Secrets are never shown again.",
	middleware: accountScope("tokens:manage"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(ApiToken, "ApiTokenPage"), "The tokens, newest first."), ...errors(401, 403, 404) },
});

const createTokenRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/api-tokens",
	tags: ["API tokens"],
	summary: "Create an API token",
	description:
		"Use it as `Authorization: Bearer <secret>`. It acts in this account only, with its scopes. The secret is shown once — and again to a retry with the same Idempotency-Key within 24 hours (kept sealed with a key derived from the Idempotency-Key, so only that retry can read it).",
	middleware: [accountScope("tokens:manage"), idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateApiTokenInput) },
	responses: { 201: json(CreatedApiToken, "The token and its secret (shown once)."), ...errors(400, 401, 403, 404, 415, 422) },
});

const revokeTokenRoute = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/api-tokens/{tokenId}",
	tags: ["API tokens"],
	summary: "Revoke an API token",
	middleware: accountScope("tokens:manage"),
	request: { params: AccountParams.extend({ tokenId: TokenId }) },
	responses: { 204: { description: "Revoked; the token stops working at once." }, ...errors(400, 401, 403, 404) },
});

export const tokenRoutes = router()
	.openapi(listTokensRoute, async (c) => c.json(paged(c, paginate(await listTokens(directory(c.env.DB), c.get("account").id), (x) => [-Date.parse(x.createdAt), x.id], c.req.valid("query"))), 200))
	.openapi(createTokenRoute, async (c) => {
		const auth = requireSession(c);
		const account = c.get("account");
		const input = c.req.valid("json");
		const db = directory(c.env.DB);
		const key = await directoryKey<CreatedApiToken>(c, db, account.id);
		if (key.replay) return c.json(key.replay, 201);
		const id = newId("tok");
		const secret = randomSecret("td_");
		const createdAt = new Date();
		const expiresAt = input.expiresInDays === null ? null : new Date(createdAt.getTime() + input.expiresInDays * DAY_MS);
		// The answer is known before the write, so that the key can record it in the same batch.
		const answer: CreatedApiToken = {
			token: {
				id,
				name: input.name,
				scopes: input.scopes,
				createdAt: createdAt.toISOString(),
				createdBy: { id: auth.person.id, name: auth.person.name },
				expiresAt: expiresAt?.toISOString() ?? null,
				lastUsedAt: null,
			},
			secret,
		};
		const insert = insertToken(db, { id, accountId: account.id, name: input.name, tokenHash: await sha256Hex(secret), scopes: input.scopes, createdBy: auth.person.id, createdAt, expiresAt });
		try {
			await db.batch([insert, ...(await key.record(answer))]);
		} catch (err) {
			const twin = await key.twin();
			if (twin) return c.json(twin, 201);
			throw err;
		}
		return c.json(answer, 201);
	})
	.openapi(revokeTokenRoute, async (c) => {
		const revoked = await revokeToken(directory(c.env.DB), c.get("account").id, c.req.valid("param").tokenId, new Date());
		if (!revoked) throw notFound("API token");
		return c.body(null, 204);
	});

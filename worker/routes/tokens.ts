// API tokens of an account: created by its administrators, with scopes, shown once.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { directory } from "../db/client";
import { createToken, findToken, listTokens, revokeToken } from "../db/tokens";
import { accountScope, requireSession } from "../http/auth";
import { AppError, notFound } from "../http/errors";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
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
	request: { params: AccountParams },
	responses: { 200: json(z.array(ApiToken), "The tokens."), ...errors(401, 403, 404) },
});

const createTokenRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/api-tokens",
	tags: ["API tokens"],
	summary: "Create an API token",
	description: "Use it as `Authorization: Bearer <secret>`. It acts in this account only, with its scopes.",
	middleware: accountScope("tokens:manage"),
	request: { params: AccountParams, body: jsonBody(CreateApiTokenInput) },
	responses: { 201: json(CreatedApiToken, "The token and its secret (shown once)."), ...errors(400, 401, 403, 404, 415) },
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
	.openapi(listTokensRoute, async (c) => c.json(await listTokens(directory(c.env.DB), c.get("account").id), 200))
	.openapi(createTokenRoute, async (c) => {
		const auth = requireSession(c);
		const account = c.get("account");
		const input = c.req.valid("json");
		const db = directory(c.env.DB);
		const id = newId("tok");
		const secret = randomSecret("td_");
		const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * DAY_MS);
		await createToken(db, {
			id,
			accountId: account.id,
			name: input.name,
			tokenHash: await sha256Hex(secret),
			scopes: input.scopes,
			createdBy: auth.person.id,
			expiresAt,
		});
		const token = await findToken(db, account.id, id);
		if (!token) throw new AppError("internal", "The token vanished right after it was created.");
		return c.json({ token, secret }, 201);
	})
	.openapi(revokeTokenRoute, async (c) => {
		const revoked = await revokeToken(directory(c.env.DB), c.get("account").id, c.req.valid("param").tokenId, new Date());
		if (!revoked) throw notFound("API token");
		return c.body(null, 204);
	});

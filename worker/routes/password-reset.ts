// "Forgot password": ask for a reset link by e-mail, read a link, set a new password with it.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { directory } from "../db/client";
import { errors, json, jsonBody, router } from "../http/openapi";
import { releaseHeldInvitations } from "../identity/invitations";
import { readResetLink, requestPasswordReset, RESET_REQUESTED_MESSAGE, resetPassword } from "../identity/password-reset";
import { EmailLinkToken, PasswordResetInput, PasswordResetLink, PasswordResetRequested, PasswordResetRequestInput } from "../shared/identity-api";

const LinkParams = z.object({ token: EmailLinkToken });

const requestReset = createRoute({
	security: [],
	method: "post",
	path: "/password-resets",
	tags: ["Sessions"],
	summary: "Forgot password: e-mail a reset link",
	description:
		"Answers 202 with the same body, in the same time, whether or not the address signs in to Trustdesk; a known address is mailed a link that works once, for 30 minutes (a newer link replaces it). Throttled per address (3 requests, then 1, 2, 4 … minutes apart, at most an hour) and per client: 429 with Retry-After, for known and unknown addresses alike.",
	request: { body: jsonBody(PasswordResetRequestInput) },
	responses: { 202: json(PasswordResetRequested, "Accepted; the mail, if any, is on its way."), ...errors(400, 415, 429) },
});

const readLink = createRoute({
	security: [],
	method: "get",
	path: "/password-resets/{token}",
	tags: ["Sessions"],
	summary: "The address a reset link is for",
	description: "For the page the link opens. 404 if the link was used, replaced or expired.",
	request: { params: LinkParams },
	responses: { 200: json(PasswordResetLink, "The link works."), ...errors(400, 404) },
});

const useLink = createRoute({
	security: [],
	method: "post",
	path: "/password-resets/{token}",
	tags: ["Sessions"],
	summary: "Set a new password with a reset link",
	description:
		"The password rule applies (400 with details path `password`, and the link stays usable). Sets the password, uses the link up (the address counts as confirmed from then on), and ends every session of the person (their open live connections are closed too); sign in with the new password. 404 if the link was used, replaced or expired.",
	request: { params: LinkParams, body: jsonBody(PasswordResetInput) },
	responses: { 204: { description: "The password is set; every session of the person has ended." }, ...errors(400, 404, 415) },
});

export const passwordResetRoutes = router()
	.openapi(requestReset, async (c) => {
		await requestPasswordReset(c, directory(c.env.DB), c.req.valid("json"));
		return c.json({ message: RESET_REQUESTED_MESSAGE }, 202);
	})
	.openapi(readLink, async (c) => {
		const record = await readResetLink(directory(c.env.DB), c.req.valid("param").token);
		return c.json({ email: record.email, expiresAt: record.expiresAt.toISOString() }, 200);
	})
	.openapi(useLink, async (c) => {
		const db = directory(c.env.DB);
		const { personId } = await resetPassword(c.env, db, c.req.valid("param").token, c.req.valid("json").password);
		// The link proved the address: invitations held while it was unconfirmed go out now.
		await releaseHeldInvitations(c, db, personId).catch((err: unknown) =>
			console.error(JSON.stringify({ level: "error", what: "releasing held invitations", error: String(err) })),
		);
		return c.body(null, 204);
	});

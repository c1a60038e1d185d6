// E-mail verification: a new link for the signed-in person, and following a link.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { directory } from "../db/client";
import { requireSession } from "../http/auth";
import { errors, json, jsonBody, router } from "../http/openapi";
import { confirmEmail, resendVerification } from "../identity/email-verification";
import { releaseHeldInvitations } from "../identity/invitations";
import { EmailLinkToken, EmailVerified, VerificationRequested, VerificationRequestInput } from "../shared/identity-api";

const LinkParams = z.object({ token: EmailLinkToken });

const resend = createRoute({
	method: "post",
	path: "/email-verification",
	tags: ["Sessions"],
	summary: "E-mail a new confirmation link",
	description:
		"For the signed-in person whose address is not confirmed yet: a new link (24 hours, single use; the previous link stops working), mailed from the given account if they are a member of it. 409 if already confirmed; throttled (3, then 1, 2, 4 … minutes apart): 429 with Retry-After.",
	request: { body: jsonBody(VerificationRequestInput) },
	responses: { 202: json(VerificationRequested, "The mail is queued."), ...errors(400, 401, 403, 409, 415, 429) },
});

const confirm = createRoute({
	security: [],
	method: "post",
	path: "/email-verification/{token}",
	tags: ["Sessions"],
	summary: "Confirm an e-mail address with the mailed link",
	description:
		"Needs no session (the link may be opened in another browser). Marks the address confirmed, uses the link up, and sends the invitation e-mails the person's invitations were holding. 404 if the link was used, replaced or expired.",
	request: { params: LinkParams },
	responses: { 200: json(EmailVerified, "Confirmed."), ...errors(400, 404) },
});

export const emailVerificationRoutes = router()
	.openapi(resend, async (c) => {
		const auth = requireSession(c);
		await resendVerification(c, directory(c.env.DB), auth.person, c.req.valid("json").accountId);
		return c.json({ email: auth.person.email, message: `A new confirmation link is on its way to ${auth.person.email}.` }, 202);
	})
	.openapi(confirm, async (c) => {
		const db = directory(c.env.DB);
		const { personId, ...verified } = await confirmEmail(db, c.req.valid("param").token);
		// The address is confirmed whatever happens next; an invitation whose mail fails here stays
		// "not e-mailed" in the account's list, to be re-sent.
		await releaseHeldInvitations(c, db, personId).catch((err: unknown) =>
			console.error(JSON.stringify({ level: "error", what: "releasing held invitations", error: String(err) })),
		);
		return c.json(verified, 200);
	});

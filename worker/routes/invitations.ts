// Invitations: the account's side (list, revoke, a new link), the invitee's side (their pending
// invitations, accept, decline) and the accept link (read it, or create one's sign-in from it).
// Creating one is POST /accounts/{accountId}/people (routes/people.ts).
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { directory } from "../db/client";
import { findAccountInvitation, findInvitationByTokenHash, listAccountInvitations, listPendingForEmail, revokeInvitation, toInvitation } from "../db/invitations";
import { accountScope, requireSession } from "../http/auth";
import { errors, json, jsonBody, AccountParams, router } from "../http/openapi";
import { PageQuery, pageOf, pageResponse, paged, paginate } from "../http/pagination";
import { sha256Hex } from "../identity/crypto";
import { accept, decline, invitationNotFound, notPending, renewLink, resendInvitation, signUpAndAccept } from "../identity/invitations";
import { startSession } from "../identity/sessions";
import { Session } from "../shared/api";
import { Invitation, InvitationId, InvitationLink, InvitationSignUpInput, InvitationToken } from "../shared/invitation-api";
import { forbidAdminChangeByToken } from "./people";

const AccountInvitationParams = AccountParams.extend({ invitationId: InvitationId });
const InvitationParams = z.object({ invitationId: InvitationId });
const LinkParams = z.object({ token: InvitationToken });

// ── The account's side ───────────────────────────────────────────────────────

const listAccountInvitationsRoute = createRoute({
	method: "get",
	path: "/accounts/{accountId}/invitations",
	tags: ["People"],
	summary: "Invitations of the account",
	description: "Open invitations (pending or expired) and those answered in the last 30 days, newest first.",
	middleware: accountScope("people:read"),
	request: { params: AccountParams, query: PageQuery },
	responses: { 200: pageResponse(pageOf(Invitation, "InvitationPage"), "The invitations, newest first."), ...errors(401, 403, 404) },
});

const revokeInvitationRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/invitations/{invitationId}/revoke",
	tags: ["People"],
	summary: "Revoke an invitation",
	description: "Its link stops working and the invitee no longer sees it. 409 if it was already accepted, declined or revoked.",
	middleware: accountScope("people:write"),
	request: { params: AccountInvitationParams },
	responses: { 200: json(Invitation, "The revoked invitation."), ...errors(400, 401, 403, 404, 409) },
});

const renewLinkRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/invitations/{invitationId}/link",
	tags: ["People"],
	summary: "A new accept link for a pending invitation",
	description:
		"Trustdesk keeps only a hash of each link, so a link cannot be shown again: this makes a new one, and the previous link stops working. The expiry stays (re-invite the address to extend it). API tokens cannot get links of invitations with the account administrator role.",
	middleware: accountScope("people:write"),
	request: { params: AccountInvitationParams },
	responses: { 200: json(InvitationLink, "The new link."), ...errors(400, 401, 403, 404, 409) },
});

const resendRoute = createRoute({
	method: "post",
	path: "/accounts/{accountId}/invitations/{invitationId}/resend",
	tags: ["People"],
	summary: "E-mail a pending invitation again",
	description:
		"Mails the invitee a new link (earlier links stop working; the expiry stays). 403 while the caller's own e-mail address (an API token's maker's) is not confirmed; 409 if the invitation is no longer pending.",
	middleware: accountScope("people:write"),
	request: { params: AccountInvitationParams },
	responses: { 200: json(Invitation, "The invitation, mailed now."), ...errors(400, 401, 403, 404, 409) },
});

// ── The invitee's side ───────────────────────────────────────────────────────

const myInvitationsRoute = createRoute({
	method: "get",
	path: "/invitations",
	tags: ["Invitations"],
	summary: "Your pending invitations",
	description: "Invitations addressed to the signed-in person's e-mail address that are still pending, in every account.",
	request: { query: PageQuery },
	responses: { 200: pageResponse(pageOf(Invitation, "InvitationPage"), "Pending invitations, newest first."), ...errors(401, 403) },
});

const acceptRoute = createRoute({
	method: "post",
	path: "/invitations/{invitationId}/accept",
	tags: ["Invitations"],
	summary: "Accept an invitation",
	description:
		"Makes the signed-in person a member of the account with the invited roles, in the same transaction as marking the invitation accepted. 404 for an invitation addressed to someone else; 409 if it expired or was revoked, declined or accepted.",
	request: { params: InvitationParams },
	responses: { 200: json(Invitation, "The accepted invitation; reload the session for the new membership."), ...errors(400, 401, 403, 404, 409) },
});

const declineRoute = createRoute({
	method: "post",
	path: "/invitations/{invitationId}/decline",
	tags: ["Invitations"],
	summary: "Decline an invitation",
	request: { params: InvitationParams },
	responses: { 200: json(Invitation, "The declined invitation."), ...errors(400, 401, 403, 404, 409) },
});

// ── The accept link ──────────────────────────────────────────────────────────

const readLinkRoute = createRoute({
	security: [],
	method: "get",
	path: "/invitation-links/{token}",
	tags: ["Invitations"],
	summary: "The invitation behind an accept link",
	description: "For the page the link opens: which account invites which address, with which roles, and whether it is still pending.",
	request: { params: LinkParams },
	responses: { 200: json(Invitation, "The invitation."), ...errors(400, 404) },
});

const signUpFromLinkRoute = createRoute({
	security: [],
	method: "post",
	path: "/invitation-links/{token}/sign-up",
	tags: ["Invitations"],
	summary: "Create your sign-in from an accept link, and accept",
	description:
		"For an invited address that has no Trustdesk sign-in yet: creates the person with this name and password (the password rule applies), accepts the invitation and signs them in. 409 if the address already has a sign-in (sign in and accept instead) or the invitation is no longer pending.",
	request: { params: LinkParams, body: jsonBody(InvitationSignUpInput) },
	responses: { 201: json(Session, "Signed in, a member of the account."), ...errors(400, 404, 409, 415) },
});

async function rowOfLink(db: ReturnType<typeof directory>, token: string) {
	const row = await findInvitationByTokenHash(db, await sha256Hex(token));
	if (!row) throw invitationNotFound();
	return row;
}

export const invitationRoutes = router()
	.openapi(listAccountInvitationsRoute, async (c) => {
		const now = new Date();
		const rows = await listAccountInvitations(directory(c.env.DB), c.get("account").id, now);
		return c.json(paged(c, paginate(rows.map((r) => toInvitation(r, now)), (x) => [-Date.parse(x.createdAt), x.id], c.req.valid("query"))), 200);
	})
	.openapi(revokeInvitationRoute, async (c) => {
		const account = c.get("account");
		const { invitationId } = c.req.valid("param");
		const db = directory(c.env.DB);
		const now = new Date();
		const revoked = await revokeInvitation(db, account.id, invitationId, now);
		const row = await findAccountInvitation(db, account.id, invitationId);
		if (!row) throw invitationNotFound();
		if (!revoked) throw notPending(row, now);
		return c.json(toInvitation(row, now), 200);
	})
	.openapi(renewLinkRoute, async (c) => {
		const account = c.get("account");
		const db = directory(c.env.DB);
		const row = await findAccountInvitation(db, account.id, c.req.valid("param").invitationId);
		if (!row) throw invitationNotFound();
		// Whoever holds the link of an administrator invitation for a new address becomes that administrator.
		forbidAdminChangeByToken(account, row.roles.includes("account_administrator"));
		return c.json({ acceptUrl: await renewLink(c, db, row) }, 200);
	})
	.openapi(resendRoute, async (c) => {
		const account = c.get("account");
		const db = directory(c.env.DB);
		const row = await findAccountInvitation(db, account.id, c.req.valid("param").invitationId);
		// Unlike a new link, the mailed one reaches only the invitee: API tokens may re-send any invitation.
		if (!row) throw invitationNotFound();
		return c.json(await resendInvitation(c, db, account, row), 200);
	})
	.openapi(myInvitationsRoute, async (c) => {
		const auth = requireSession(c);
		const now = new Date();
		const rows = await listPendingForEmail(directory(c.env.DB), auth.person.email, now);
		return c.json(paged(c, paginate(rows.map((r) => toInvitation(r, now)), (x) => [-Date.parse(x.createdAt), x.id], c.req.valid("query"))), 200);
	})
	.openapi(acceptRoute, async (c) => {
		const auth = requireSession(c);
		return c.json(await accept(directory(c.env.DB), auth.person, c.req.valid("param").invitationId), 200);
	})
	.openapi(declineRoute, async (c) => {
		const auth = requireSession(c);
		return c.json(await decline(directory(c.env.DB), auth.person, c.req.valid("param").invitationId), 200);
	})
	.openapi(readLinkRoute, async (c) => {
		const row = await rowOfLink(directory(c.env.DB), c.req.valid("param").token);
		return c.json(toInvitation(row, new Date()), 200);
	})
	.openapi(signUpFromLinkRoute, async (c) => {
		const db = directory(c.env.DB);
		const row = await rowOfLink(db, c.req.valid("param").token);
		const person = await signUpAndAccept(db, row, c.req.valid("json"));
		return c.json(await startSession(c, db, person), 201);
	});

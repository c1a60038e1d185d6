// Helpers for worker tests: call the real Worker entry (middleware, routes, D1, AccountObjects)
// the way a browser or an integration would.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { directory } from "../../worker/db/client";
import { replaceEmailToken } from "../../worker/db/email-tokens";
import { base64url, randomBytes, sha256Hex } from "../../worker/identity/crypto";
import type { Account, AccountPerson, ApiToken, CreatedApiToken, Session, Team } from "../../worker/shared/api";
import type { CreatedInvitation, Invitation } from "../../worker/shared/invitation-api";
import type { ErrorCode } from "../../worker/shared/errors";
import type { Role, Scope } from "../../worker/shared/roles";
import { SCOPES } from "../../worker/shared/roles";

export const ORIGIN = "http://trustdesk.test";

let counter = 0;
/** A name unique within the test run (storage is shared by the tests of one file). */
export function unique(prefix: string): string {
	counter += 1;
	return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A unique e-mail address. */
export function uniqueEmail(prefix = "person"): string {
	return `${unique(prefix)}@example.test`;
}

export interface Caller {
	/** Cookie header value, for a signed-in person. */
	cookie?: string;
	csrf?: string;
	/** Bearer token, for an integration. */
	token?: string;
}

export interface CallOptions {
	method?: string;
	body?: unknown;
	/** Raw body, sent as is (for malformed JSON and size tests). */
	raw?: BodyInit;
	headers?: Record<string, string>;
	as?: Caller;
}

export async function call(path: string, opts: CallOptions = {}): Promise<Response> {
	const headers = new Headers(opts.headers);
	if (opts.as?.cookie) headers.set("Cookie", opts.as.cookie);
	if (opts.as?.csrf && !headers.has("X-CSRF-Token")) headers.set("X-CSRF-Token", opts.as.csrf);
	if (opts.as?.token) headers.set("Authorization", `Bearer ${opts.as.token}`);
	let body: BodyInit | undefined = opts.raw;
	if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
	}
	const url = path.startsWith("http") ? path : `${ORIGIN}/api/v1${path}`;
	return exports.default.fetch(new Request(url, { method: opts.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" }));
}

/** Calls and parses JSON, failing the test with the body if the status is not `expected`. */
export async function callJson<T = unknown>(path: string, expected: number, opts: CallOptions = {}): Promise<T> {
	const res = await call(path, opts);
	const text = await res.text();
	if (res.status !== expected) {
		throw new Error(`${opts.method ?? "GET"} ${path}: expected ${expected}, got ${res.status}: ${text}`);
	}
	return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Every item of a paged list (worker/http/pagination.ts): the first page, then each next page
 * by its Link rel="next" header, checking on the way that the header and nextCursor agree.
 */
export async function callItems<T>(path: string, opts: CallOptions = {}): Promise<T[]> {
	const items: T[] = [];
	let next: string | null = path;
	while (next !== null) {
		const res = await call(next, opts);
		const text = await res.text();
		if (res.status !== 200) throw new Error(`GET ${next}: expected 200, got ${res.status}: ${text}`);
		const page = JSON.parse(text) as { items: T[]; nextCursor: string | null };
		items.push(...page.items);
		const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.get("Link") ?? "");
		expect(link?.[1] ? new URL(link[1]).searchParams.get("cursor") : null).toBe(page.nextCursor);
		next = link?.[1] ?? null;
	}
	return items;
}

export interface ErrorResponseBody {
	error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * Asserts the status and the shared error body `{ error: { code, message, details? } }`, and
 * returns the body for further checks.
 */
export async function expectError(res: Response, status: number, code: ErrorCode): Promise<ErrorResponseBody> {
	const text = await res.text();
	expect(res.status, `${res.status} ${text}`).toBe(status);
	const body = JSON.parse(text) as ErrorResponseBody;
	expect(Object.keys(body)).toEqual(["error"]);
	expect(body.error.code).toBe(code);
	expect(typeof body.error.message).toBe("string");
	expect(body.error.message.length).toBeGreaterThan(0);
	return body;
}

/** Calls and asserts an error answer (see expectError). */
export async function callError(path: string, status: number, code: ErrorCode, opts: CallOptions = {}): Promise<ErrorResponseBody> {
	return expectError(await call(path, opts), status, code);
}

/** The `name=value` pair of the session cookie (plain, or `__Host-` over https). */
export function sessionCookieOf(res: Response): string {
	const setCookie = res.headers.get("Set-Cookie") ?? "";
	const match = /((?:__Host-)?td_session=[^;]+)/.exec(setCookie);
	if (!match?.[1]) throw new Error(`no session cookie in ${setCookie}`);
	return match[1];
}

export interface SignedIn extends Caller {
	cookie: string;
	csrf: string;
	session: Session;
}

export interface AccountAdmin extends SignedIn {
	accountId: string;
	email: string;
}

export const PASSWORD = "correct horse battery staple";

export async function signUp(accountId = unique("acct"), email = uniqueEmail("admin")): Promise<AccountAdmin> {
	const res = await call("/signup", {
		body: { accountId, accountName: `Account ${accountId}`, name: "Ada Admin", email, password: PASSWORD },
	});
	if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
	const session = (await res.json()) as Session;
	return { accountId, email, cookie: sessionCookieOf(res), csrf: session.csrfToken, session };
}

/**
 * Confirms a signed-up person's e-mail address through the API, with a link stored as the issuing
 * code stores it (email-verification.test.ts tests the mailed link itself).
 */
export async function verifyAddress(person: AccountAdmin): Promise<void> {
	const token = base64url(randomBytes(32));
	const now = new Date();
	await replaceEmailToken(directory(env.DB), {
		tokenHash: await sha256Hex(token),
		purpose: "email_verification",
		personId: person.session.person.id,
		email: person.email,
		now,
		expiresAt: new Date(now.getTime() + 60_000),
	});
	await callJson(`/email-verification/${token}`, 200, { method: "POST" });
}

export async function signIn(email: string, password = PASSWORD): Promise<SignedIn> {
	const res = await call("/session", { body: { email, password } });
	if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
	const session = (await res.json()) as Session;
	return { cookie: sessionCookieOf(res), csrf: session.csrfToken, session };
}

/** Status of a sign-in attempt (200, 401, 429…), without keeping the session. */
export async function signInStatus(email: string, password = PASSWORD): Promise<number> {
	const res = await call("/session", { body: { email, password } });
	await res.body?.cancel();
	return res.status;
}

export async function errorCode(res: Response): Promise<string> {
	const body = (await res.json()) as { error?: { code?: string } };
	return body.error?.code ?? "(no error body)";
}

export interface Member extends SignedIn {
	id: string;
	email: string;
	name: string;
	roles: Role[];
}

/** Invites an address into the account (as its administrator or a token). */
export async function invite(as: Caller, accountId: string, body: { name: string; email: string; roles: Role[] }): Promise<CreatedInvitation & { token: string }> {
	const created = await callJson<CreatedInvitation>(`/accounts/${accountId}/people`, 201, { as, body });
	return { ...created, token: tokenOf(created.acceptUrl) };
}

/** The secret of an accept link (`<origin>/invitations/<token>`). */
export function tokenOf(acceptUrl: string): string {
	const match = /\/invitations\/([A-Za-z0-9_-]+)$/.exec(acceptUrl);
	if (!match?.[1]) throw new Error(`not an accept link: ${acceptUrl}`);
	return match[1];
}

/** Creates the invited address's sign-in from the accept link (which accepts), and keeps the session. */
export async function signUpFromLink(token: string, name: string, password = PASSWORD): Promise<SignedIn> {
	const res = await call(`/invitation-links/${token}/sign-up`, { body: { name, password } });
	if (res.status !== 201) throw new Error(`sign-up from the link failed: ${res.status} ${await res.text()}`);
	const session = (await res.json()) as Session;
	return { cookie: sessionCookieOf(res), csrf: session.csrfToken, session };
}

/** The signed-in person accepts an invitation addressed to them. */
export async function acceptInvitation(as: SignedIn, invitationId: string): Promise<Invitation> {
	return callJson<Invitation>(`/invitations/${invitationId}/accept`, 200, { as, method: "POST" });
}

/**
 * Adds a new person with `roles` to the account the way people join: the administrator invites
 * them, they create their sign-in from the accept link. Returns them signed in.
 */
export async function addMember(admin: Caller, accountId: string, roles: Role[], name = unique("Person")): Promise<Member> {
	const email = uniqueEmail("member");
	const { invitation, token } = await invite(admin, accountId, { name, email, roles });
	const signedIn = await signUpFromLink(token, name);
	return { ...signedIn, id: signedIn.session.person.id, email, name, roles: invitation.roles };
}

/** Creates an API token in the account (as its administrator). */
export async function createToken(admin: Caller, accountId: string, scopes: readonly Scope[] = SCOPES, name = "Integration"): Promise<CreatedApiToken> {
	return callJson<CreatedApiToken>(`/accounts/${accountId}/api-tokens`, 201, {
		as: admin,
		body: { name, scopes },
	});
}

export async function createTeam(as: Caller, accountId: string, body: Record<string, unknown> = {}): Promise<Team> {
	return callJson<Team>(`/accounts/${accountId}/teams`, 201, { as, body: { name: unique("Team"), ...body } });
}

/** An account with one person (or token) of each kind. */
export interface SeededAccount {
	accountId: string;
	admin: AccountAdmin & { id: string };
	specialist: Member;
	endUser: Member;
	/** A token with every scope, created by the administrator. */
	token: Caller & { id: string };
}

export async function seedAccount(prefix = "acct"): Promise<SeededAccount> {
	const admin = await signUp(unique(prefix));
	const { accountId } = admin;
	const specialist = await addMember(admin, accountId, ["specialist"], "Sam Specialist");
	const endUser = await addMember(admin, accountId, ["end_user"], "Eve Enduser");
	const created = await createToken(admin, accountId);
	return {
		accountId,
		admin: { ...admin, id: admin.session.person.id },
		specialist,
		endUser,
		token: { token: created.secret, id: created.token.id },
	};
}

/** Everything an account administrator can read about an account, for before/after comparisons. */
export interface AccountSnapshot {
	account: Account;
	people: AccountPerson[];
	invitations: Invitation[];
	teams: Team[];
	tokens: ApiToken[];
}

export async function snapshotAccount(admin: Caller, accountId: string): Promise<AccountSnapshot> {
	const base = `/accounts/${accountId}`;
	const [account, people, invitations, teams, tokens] = await Promise.all([
		callJson<Account>(base, 200, { as: admin }),
		callItems<AccountPerson>(`${base}/people`, { as: admin }),
		callItems<Invitation>(`${base}/invitations`, { as: admin }),
		callItems<Team>(`${base}/teams`, { as: admin }),
		callItems<ApiToken>(`${base}/api-tokens`, { as: admin }),
	]);
	return { account, people, invitations, teams, tokens };
}

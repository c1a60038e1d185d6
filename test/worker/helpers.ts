// Helpers for worker tests: call the real Worker entry (middleware, routes, D1, AccountObjects)
// the way a browser or an integration would.
import { exports } from "cloudflare:workers";
import type { Session } from "../../worker/shared/api";

export const ORIGIN = "http://trustdesk.test";

let counter = 0;
/** A name unique within the test run (storage is shared by the tests of one file). */
export function unique(prefix: string): string {
	counter += 1;
	return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
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
	return exports.default.fetch(new Request(url, { method: opts.method ?? (body ? "POST" : "GET"), headers, body }));
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

export function sessionCookieOf(res: Response): string {
	const setCookie = res.headers.get("Set-Cookie") ?? "";
	const match = /(td_session=[^;]+)/.exec(setCookie);
	if (!match?.[1]) throw new Error(`no session cookie in ${setCookie}`);
	return match[1];
}

export interface SignedIn extends Caller {
	cookie: string;
	csrf: string;
	session: Session;
}

export const PASSWORD = "correct horse battery staple";

export async function signUp(accountId = unique("acct"), email = `${unique("admin")}@example.test`): Promise<SignedIn & { accountId: string; email: string }> {
	const res = await call("/signup", {
		body: { accountId, accountName: `Account ${accountId}`, name: "Ada Admin", email, password: PASSWORD },
	});
	if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
	const session = (await res.json()) as Session;
	return { accountId, email, cookie: sessionCookieOf(res), csrf: session.csrfToken, session };
}

export async function signIn(email: string, password = PASSWORD): Promise<SignedIn> {
	const res = await call("/session", { body: { email, password } });
	if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
	const session = (await res.json()) as Session;
	return { cookie: sessionCookieOf(res), csrf: session.csrfToken, session };
}

export async function errorCode(res: Response): Promise<string> {
	const body = (await res.json()) as { error?: { code?: string } };
	return body.error?.code ?? "(no error body)";
}

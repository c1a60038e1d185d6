// The session cookie: HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site
// writes), and over https Secure with the __Host- prefix (bound to this host, path /).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

const PLAIN = "td_session";
const HOST_BOUND = "__Host-td_session";

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

function isHttps(c: Context): boolean {
	return new URL(c.req.url).protocol === "https:";
}

export function readSessionCookie(c: Context): string | undefined {
	// Over https only the __Host- cookie counts: a plain one may have been planted by a sibling
	// subdomain (cookie tossing), which is exactly what the prefix exists to rule out.
	return isHttps(c) ? getCookie(c, HOST_BOUND) : getCookie(c, PLAIN);
}

export function writeSessionCookie(c: Context, token: string, expiresAt: Date): void {
	const secure = isHttps(c);
	setCookie(c, secure ? HOST_BOUND : PLAIN, token, {
		httpOnly: true,
		sameSite: "Lax",
		secure,
		path: "/",
		expires: expiresAt,
	});
}

export function clearSessionCookie(c: Context): void {
	const secure = isHttps(c);
	deleteCookie(c, secure ? HOST_BOUND : PLAIN, { path: "/", secure });
}

// Security headers of every response: the portal's pages and assets, the API reference page and
// the JSON API. One source for both places they are set:
//   - the Worker's own responses (the API, `/`, the reference page): `securityHeaders` below;
//   - the static assets, which Workers serve without running the Worker (the SPA's HTML for any
//     portal path, the hashed JS and CSS): the `_headers` file that vite.config.ts writes into
//     dist/client from `headersFile()`. Workers apply `_headers` only to asset responses, never
//     to what the Worker returns, hence both.
//
// The content security policy of HTML pages, directive by directive:
//   script-src 'self'          only our own files: the built index.html has no inline script, and
//                              the API reference's start-up script is a file too;
//   style-src 'self'           stylesheets and <style> elements only from our files;
//   style-src-attr 'unsafe-inline'
//                              inline style *attributes* are allowed: Solid compiles a JSX element
//                              with a constant style object into an HTML template with a style
//                              attribute (e.g. `style="text-align:center"`). Attributes cannot
//                              run script and, unlike an injected <style>, cannot read the page
//                              through selectors; styles set from script (the brand colours, the
//                              position of Kobalte's popovers) go through the CSSOM, which CSP
//                              does not restrict;
//   img-src 'self' data: https:
//                              an account's logo is any https image its administrator chose;
//                              Swagger UI draws its icons as data: SVGs;
//   connect-src 'self'         the API and the realtime socket (CSP 3: 'self' covers ws:/wss: of
//                              the same host);
//   frame-ancestors 'none'     no other site can frame a portal page (with X-Frame-Options: DENY
//                              for browsers that predate it); object-src, base-uri none.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

export const HTML_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"style-src-attr 'unsafe-inline'",
	"img-src 'self' data: https:",
	"font-src 'self'",
	"connect-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'",
].join("; ");

/** JSON, CSV and the like: nothing in them may load or run anything, nor be framed. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/** An attachment's download: DATA_CSP, and a sandbox should a browser ever open it as a page anyway. */
export const ATTACHMENT_CSP = `${DATA_CSP}; sandbox`;

/** Every response, HTML or not. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options": "DENY",
	// Full URLs (account and request ids) stay on this site; other sites get no referrer at all.
	"Referrer-Policy": "same-origin",
	"Cross-Origin-Opener-Policy": "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Origin-Agent-Cluster": "?1",
	"Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
	// Without includeSubDomains: an account's custom hostname belongs to the customer, and its
	// subdomains are not ours to force onto https. Browsers ignore the header over http.
	"Strict-Transport-Security": "max-age=15552000",
	"X-Permitted-Cross-Domain-Policies": "none",
	"X-DNS-Prefetch-Control": "off",
	// The old XSS auditor did more harm than good; "0" keeps any browser that still has it off.
	"X-XSS-Protection": "0",
};

export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = { "Content-Security-Policy": HTML_CSP, ...COMMON_SECURITY_HEADERS };
export const DATA_SECURITY_HEADERS: Readonly<Record<string, string>> = { "Content-Security-Policy": DATA_CSP, ...COMMON_SECURITY_HEADERS };

/**
 * The `_headers` file for the static assets: the HTML policy on every path (the SPA's index.html
 * is served for any portal path; on JS, CSS and images a CSP is harmless).
 */
export function headersFile(): string {
	const lines = Object.entries(HTML_SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
	return ["# Written by vite.config.ts from worker/http/security-headers.ts; do not edit.", "/*", ...lines, ""].join("\n");
}

/** Sets the headers on every response the Worker makes (except the WebSocket upgrade's 101). */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
	await next();
	const html = c.res.headers.get("Content-Type")?.startsWith("text/html") ?? false;
	// An attachment keeps its stricter policy (routes/attachments.ts).
	const sandboxed = c.res.headers.get("Content-Security-Policy") === ATTACHMENT_CSP;
	const headers = html ? HTML_SECURITY_HEADERS : sandboxed ? { ...DATA_SECURITY_HEADERS, "Content-Security-Policy": ATTACHMENT_CSP } : DATA_SECURITY_HEADERS;
	try {
		for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
	} catch {
		// A response passed through from a fetch (the static assets' `/`) has immutable headers:
		// copy it first. The setter copies it into a fresh Response.
		c.res = new Response(c.res.body, c.res);
		for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
	}
};

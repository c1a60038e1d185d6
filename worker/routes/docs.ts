// The API reference: the OpenAPI 3.1 document generated from the route definitions, and a
// readable page (Swagger UI, served from the portal's static assets) that renders it. The page
// has no inline script or style (its start-up is web/public/docs/reference.js), so it runs under
// the same strict Content-Security-Policy as the portal.
import { html } from "hono/html";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { documentConditionalRequests } from "../http/conditional";
import { registerIdempotencyDocs } from "../http/idempotency";
import { documentRateLimits } from "../limits/openapi";

export const OPENAPI_PATH = "/api/v1/openapi.json";
export const REFERENCE_PATH = "/api/v1/docs";

type Document = ReturnType<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * An operationId for every operation, from its method and path (GET /accounts/{accountId}/teams →
 * getAccountsTeams... with ByAccountId): unique because method and path are, stable as long as the
 * route is, and what client generators name their functions by. Written here once instead of by
 * hand on 90 route definitions; a route that sets its own keeps it.
 */
export function documentOperationIds(doc: Document): Document {
	const word = (s: string) => s.replace(/(^|[-_.])([a-zA-Z0-9])/g, (_m, _sep: string, ch: string) => ch.toUpperCase());
	for (const [path, item] of Object.entries(doc.paths ?? {})) {
		const parts = path
			.replace(/^\/api\/v1\//, "")
			.split("/")
			.filter(Boolean)
			.map((seg) => (seg.startsWith("{") ? `By${word(seg.slice(1, -1))}` : word(seg)));
		for (const method of METHODS) {
			const op = item[method];
			if (op && !op.operationId) op.operationId = method + parts.join("");
		}
	}
	return doc;
}

/** Either a session or a bearer token; routes that need neither say so. */
const SECURITY: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

export function mountDocs(app: OpenAPIHono<AppEnv>): void {
	app.openAPIRegistry.registerComponent("securitySchemes", "session", {
		type: "apiKey",
		in: "cookie",
		name: "td_session",
		description: "Browser session (HttpOnly cookie, `__Host-td_session` over https). Writes also need the X-CSRF-Token header.",
	});
	app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
		type: "http",
		scheme: "bearer",
		description: "API token created by an account administrator: `Authorization: Bearer td_…`.",
	});

	registerIdempotencyDocs(app.openAPIRegistry);

	app.get(OPENAPI_PATH, (c) => {
		const doc = app.getOpenAPI31Document({
			openapi: "3.1.0",
			info: {
				title: "Trustdesk API",
				version: "1.0.0",
				license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" },
				description:
					"JSON over HTTPS. Account-scoped resources live under `/api/v1/accounts/{accountId}`; a person reaches the accounts they are a member of, an API token only its own account. Errors always have the body `{ \"error\": { \"code\", \"message\", \"details?\" } }`. Rate limits: each session and each API token may make a number of requests per window (by default 600 per minute for a session, 1,200 for a token); every answer to an authenticated call carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` (`limit;w=seconds`), and over the limit the answer is 429 with `Retry-After`.",
			},
			servers: [{ url: new URL(c.req.url).origin }],
			security: SECURITY,
		});
		return c.json(documentOperationIds(documentRateLimits(documentConditionalRequests(doc))));
	});

	app.get(REFERENCE_PATH, (c) =>
		c.html(html`<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<title>Trustdesk API reference</title>
		<link rel="stylesheet" href="/docs/swagger-ui/swagger-ui.css" />
		<link rel="stylesheet" href="/docs/reference.css" />
	</head>
	<body>
		<div id="reference" data-openapi="${OPENAPI_PATH}"></div>
		<script src="/docs/swagger-ui/swagger-ui-bundle.js"></script>
		<script src="/docs/reference.js"></script>
	</body>
</html>`),
	);
}

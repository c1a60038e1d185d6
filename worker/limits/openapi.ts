// The API rate limit in the OpenAPI document: every route that needs a session or an API token
// can answer 429, and every answer of such a route carries the RateLimit-* headers. Added to the
// generated document in one place instead of to each route definition.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

type Document = ReturnType<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;

const HEADERS = {
	"RateLimit-Limit": "Requests allowed per window for this session or API token (draft-ietf-httpapi-ratelimit-headers-06).",
	"RateLimit-Remaining": "Requests left in the current window.",
	"RateLimit-Reset": "Seconds until the current window ends.",
	"RateLimit-Policy": "The limit and the window in seconds, e.g. `600;w=60`.",
} as const;

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });

export function documentRateLimits(doc: Document): Document {
	doc.components ??= {};
	doc.components.headers ??= {};
	for (const [name, description] of Object.entries(HEADERS)) {
		doc.components.headers[name] = { description, schema: { type: "integer" } };
	}
	doc.components.headers["RateLimit-Policy"] = { description: HEADERS["RateLimit-Policy"], schema: { type: "string" } };
	doc.components.headers["Retry-After"] = { description: "Seconds to wait before trying again.", schema: { type: "integer" } };
	const rateHeaders = Object.fromEntries(Object.keys(HEADERS).map((name) => [name, ref(name)]));
	for (const item of Object.values(doc.paths ?? {})) {
		for (const method of METHODS) {
			const op = item[method];
			// `security: []` marks a route that needs no credential: nothing is counted there.
			if (!op || (Array.isArray(op.security) && op.security.length === 0)) continue;
			op.responses ??= {};
			op.responses["429"] ??= {
				description: "Too many requests for this session or API token in the current window; retry after the number of seconds in Retry-After.",
				// The shared error body (ErrorBody in shared/api.ts, registered as "Error").
				content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
			};
			for (const response of Object.values(op.responses)) {
				if ("$ref" in response) continue;
				response.headers = { ...response.headers, ...rateHeaders };
			}
			const tooMany = op.responses["429"];
			if (tooMany && !("$ref" in tooMany)) tooMany.headers = { ...tooMany.headers, "Retry-After": ref("Retry-After") };
		}
	}
	return doc;
}

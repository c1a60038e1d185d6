// The OpenAPI document passes a well-kept linter: Redocly's, with its recommended ruleset, run on
// the document the Worker serves (the same one the reference page and API clients read). In Node,
// not workerd: the linter needs Node's own modules. The routes and the document route (mountDocs)
// touch no binding to describe themselves, so they are mounted here as the Worker mounts them.
import { OpenAPIHono } from "@hono/zod-openapi";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { apiRoutes } from "../../worker/app";
import type { AppEnv } from "../../worker/env";
import { mountDocs } from "../../worker/routes/docs";

describe("OpenAPI document", () => {
	it("lints clean with Redocly's recommended rules", async () => {
		const app = new OpenAPIHono<AppEnv>();
		app.route("/api/v1", apiRoutes());
		mountDocs(app);
		const res = await app.request("https://trustdesk.example/api/v1/openapi.json");
		expect(res.status).toBe(200);
		const doc: unknown = await res.json();
		const config = await createConfig({
			extends: ["recommended"],
			rules: {
				// The API is versioned in its path (/api/v1) and serves its document from the origin it
				// answers on; servers[0].url is that origin, never "localhost" in production.
				"no-server-example.com": "off",
			},
		});
		const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: "openapi.json", config });
		// Accepted on purpose, one by one: the health check answers 200 or not at all (no input,
		// no credential, no 4xx it could give).
		const accepted = (p: (typeof problems)[number]) =>
			p.ruleId === "operation-4xx-response" && p.location.some((l) => l.pointer === "#/paths/~1api~1v1~1health/get/responses");
		const shown = problems.filter((p) => !accepted(p)).map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(", ")}`);
		// All of them, not the first few a diff shows.
		if (shown.length > 0) console.error(shown.join("\n"));
		expect(shown).toEqual([]);
	});
});

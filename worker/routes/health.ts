import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { json, router } from "../http/openapi";

const Health = z.object({ status: z.literal("ok"), time: z.iso.datetime() }).meta({ id: "Health" });

const getHealth = createRoute({
	security: [],
	method: "get",
	path: "/health",
	tags: ["System"],
	summary: "Health check",
	description: "Answers without touching storage; load balancers and the start script poll it.",
	responses: { 200: json(Health, "The Worker is up.") },
});

export const healthRoutes = router().openapi(getHealth, (c) =>
	c.json({ status: "ok" as const, time: new Date().toISOString() }, 200),
);

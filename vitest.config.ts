// Worker tests run inside workerd, with the real D1 and Durable Object bindings of wrangler.toml.
// Two projects, because the API rate limit is configuration: the tests at large call the API hard
// and get limits that never get in the way; the rate-limit tests get a small limit and a short
// window, set the way an operator would (a var).
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const RATE_LIMIT_TESTS = "test/worker/rate-limit.test.ts";

export default defineConfig(async () => {
	const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations/d1"));
	const project = (name: string, include: string[], exclude: string[], vars: Record<string, string>): TestProjectInlineConfiguration => ({
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				miniflare: { bindings: { TEST_MIGRATIONS: migrations, ...vars } },
			}),
		],
		test: { name, include, exclude, setupFiles: ["./test/worker/setup.ts"], globalSetup: ["./test/worker/webhook-receiver.setup.mjs"], testTimeout: 20_000 },
	});
	return {
		test: {
			projects: [
				project("worker", ["test/worker/**/*.test.ts", "test/unit/**/*.test.ts"], [RATE_LIMIT_TESTS], {
					API_RATE_LIMIT_SESSION: "1000000",
					API_RATE_LIMIT_TOKEN: "1000000",
					// Webhooks reach the tests' receiver on 127.0.0.1 (production refuses it: webhook-ssrf tests).
					WEBHOOKS_ALLOW_PRIVATE: "1",
					WEBHOOK_SECRETS_KEY: "test key for sealing webhook secrets",
				}),
				project("rate-limit", [RATE_LIMIT_TESTS], [], {
					API_RATE_LIMIT_SESSION: "5",
					API_RATE_LIMIT_TOKEN: "4",
					API_RATE_LIMIT_WINDOW_SECONDS: "3",
				}),
			],
			// Two cores: more workers only oversubscribe the machine.
			maxWorkers: 2,
		},
	};
});

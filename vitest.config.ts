// Worker tests run inside workerd, with the real D1 and Durable Object bindings of wrangler.toml.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
	const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations/d1"));
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
			}),
		],
		test: {
			include: ["test/worker/**/*.test.ts", "test/unit/**/*.test.ts"],
			setupFiles: ["./test/worker/setup.ts"],
			// Two cores: more workers only oversubscribe the machine.
			maxWorkers: 2,
			testTimeout: 20_000,
		},
	};
});

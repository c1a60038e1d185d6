// Browser (end-to-end) tests: plain Node, not workerd. The global setup starts the real server
// (wrangler dev, fresh state, demo seeded) once; tests drive it with Chromium and fetch.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
	root,
	test: {
		environment: "node",
		include: ["test/e2e/**/*.test.ts"],
		globalSetup: ["test/e2e/global-setup.ts"],
		// One server, one browser at a time: the machine has two cores.
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 120_000,
	},
});

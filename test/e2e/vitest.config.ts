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
		// expect.poll gives up after 1 s by default: too short for a cold server on a busy 2-core
		// machine (a sign-in alone hashes a password 100,000 times).
		expect: { poll: { timeout: 15_000, interval: 100 } },
		hookTimeout: 120_000,
	},
});

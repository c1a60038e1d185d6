// Starts Trustdesk once for the browser tests: a free port, a fresh state directory, the demo
// seeded. Tests read the base URL with `inject("baseUrl")`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startServer, UNHINDERED_RATE_LIMITS } from "../../scripts/lib/server.mjs";
import { startReceiver } from "../../scripts/webhook-receiver.mjs";

declare module "vitest" {
	export interface ProvidedContext {
		/** Base URL of the running server, e.g. http://127.0.0.1:41234 (no trailing slash). */
		baseUrl: string;
		/**
		 * The demo's webhook receiver started here (scripts/webhook-receiver.mjs): widget-dc's demo
		 * webhook and its demo app "Widget Monitoring" deliver to it; GET <url>/received/<path> lists
		 * what arrived.
		 */
		receiverUrl: string;
		/** The signing secret of the demo app "Widget Monitoring" (app.installed is signed with it). */
		appSecret: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const stateDir = mkdtempSync(path.join(os.tmpdir(), "trustdesk-e2e-"));
	// E2E_SKIP_BUILD=1 reuses dist/client (for quick reruns while writing tests).
	const receiver = await startReceiver({ port: 0, quiet: true });
	const server = await startServer({
		port: 0,
		stateDir,
		seed: true,
		build: process.env.E2E_SKIP_BUILD !== "1",
		quiet: true,
		vars: UNHINDERED_RATE_LIMITS,
		webhookReceiver: receiver.url,
	});
	if (!server.appSecret) throw new Error("The seed made no demo app secret.");
	project.provide("baseUrl", server.url);
	project.provide("receiverUrl", receiver.url);
	project.provide("appSecret", server.appSecret);
	return async () => {
		await server.stop();
		await receiver.close();
		rmSync(stateDir, { recursive: true, force: true });
	};
}

// `npm start`: Trustdesk on http://localhost:8787 (PORT overrides), with the demo accounts
// seeded on first start. Data stays in .wrangler/state between starts. Ctrl-C stops it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatSignIns } from "./seed.mjs";
import { startServer } from "./lib/server.mjs";
import { startReceiver } from "./webhook-receiver.mjs";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
	console.error(`PORT must be a port number, not "${process.env.PORT}".`);
	process.exit(2);
}

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

let stopping = false;
/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;

/** @param {string} reason */
async function shutdown(reason) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${reason}: stopping Trustdesk…`);
	// Still starting: exiting runs startServer's exit hook, which kills wrangler's process group.
	if (!server) process.exit(130);
	await server.stop();
	console.log("Stopped.");
	process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGHUP", () => void shutdown("SIGHUP"));
// `npm start` runs this under `sh -c`; a SIGTERM to npm kills the shell but not this process.
// When the parent goes away, stop too, so that no server is left behind.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) void shutdown("parent process gone");
}, 1_000).unref();

/**
 * The demo's webhook receiver (scripts/webhook-receiver.mjs): on WEBHOOK_RECEIVER_PORT or 8790, or
 * the next free port. The seed subscribes widget-dc to it; it prints every delivery and checks its
 * signature with the secret the seed got (kept next to the local state for later starts).
 */
async function startDemoReceiver() {
	const wanted = Number(process.env.WEBHOOK_RECEIVER_PORT ?? 8790);
	for (let p = wanted; p < wanted + 20; p++) {
		try {
			return await startReceiver({ port: p });
		} catch (err) {
			if (!(err instanceof Error && "code" in err && err.code === "EADDRINUSE")) throw err;
		}
	}
	throw new Error(`No free port for the webhook receiver from ${wanted} on.`);
}

const started = Date.now();
/** @type {Awaited<ReturnType<typeof startReceiver>> | undefined} */
let receiver;
let receiverNote = "";
try {
	receiver = await startDemoReceiver();
	// The address printed below, so that the links in the demo's e-mails open the same portal.
	server = await startServer({
		port,
		seed: true,
		build: true,
		webhookReceiver: receiver.url,
		vars: { PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${port}` },
		// The Local Explorer's traces (/cdn-cgi/explorer/) are for people developing here.
		localTraces: true,
	});
	// The seeded subscription's secret and address, for the receiver's checks on later starts too.
	const seededFile = path.join(server.stateDir, "demo-webhook.json");
	if (server.webhookSecret) writeFileSync(seededFile, JSON.stringify({ secret: server.webhookSecret, appSecret: server.appSecret, url: receiver.url }), { mode: 0o600 });
	/** @type {{ secret: string, appSecret?: string | null, url: string } | null} */
	const seededHook = existsSync(seededFile) ? JSON.parse(readFileSync(seededFile, "utf8")) : null;
	if (seededHook) receiver.secrets.push(seededHook.secret);
	// The demo app's deliveries (app.installed and app.uninstalled) are signed with the offering's secret.
	if (seededHook?.appSecret) receiver.secrets.push(seededHook.appSecret);
	receiverNote = seededHook && seededHook.url !== receiver.url ? ` (the seeded webhook points at ${seededHook.url}: edit it on the Webhooks page)` : "";
} catch (err) {
	console.error(`\nTrustdesk did not start: ${err instanceof Error ? err.message : err}`);
	process.exit(1);
}
const firstOkMs = server.readyAt - started;
const totalMs = Date.now() - started;

console.log(`
Trustdesk is running at http://localhost:${server.port}
  first 200 from /api/v1/health ${seconds(firstOkMs)} after start (migrations + build + wrangler dev; wrangler dev alone ${seconds(server.readyMs)}); ready${server.seeded ? " and seeded" : ""} after ${seconds(totalMs)}
  API reference: http://localhost:${server.port}/api/v1/docs
  local mailbox (every e-mail Trustdesk sent; nothing leaves this machine): http://localhost:${server.port}/api/dev/mailbox
  webhook receiver (widget-dc's demo webhook; deliveries are printed below): ${receiver.url}/widget-dc${receiverNote}
  demo app "Widget Monitoring" (widget-dc offers it to acme and globex; install it as Anna on acme's Apps page): its endpoint is ${receiver.url}/widget-monitoring
  data: ${server.stateDir}${server.seeded ? " (demo seeded now)" : ""}

Demo sign-ins (portal of the provider: http://localhost:${server.port}/widget-dc/):
${formatSignIns()}

Press Ctrl-C to stop.`);

// Runs until a signal arrives, or until wrangler dev stops on its own.
const running = server;
running.exited.then(async (status) => {
	if (stopping) return;
	console.error(`\nwrangler dev stopped on its own (${status.signal ?? `exit code ${status.code}`}).`);
	await running.stop();
	process.exit(1);
});

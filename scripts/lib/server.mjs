// Starts Trustdesk locally the way `npm start`, the browser tests and the benchmarks need it:
// local D1 migrations, the portal build, `wrangler dev` on 127.0.0.1, a wait for the health
// route, and the demo data when the state is empty. Plain ES module (no compile step).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_ACCOUNT_ID, seedDemo } from "../seed.mjs";

/** The repository root (two levels above this file). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** wrangler's own default, so `npm start` keeps its data across restarts. */
export const DEFAULT_STATE_DIR = path.join(ROOT, ".wrangler/state");

const HEALTH_PATH = "/api/v1/health";

/**
 * API rate limits (wrangler vars) so high that the browser tests and the benchmark, which call the
 * API far harder than people do, never meet them. The limiter still runs on every call, so the
 * benchmark measures its cost; test/worker/rate-limit.test.ts proves the limit itself.
 */
export const UNHINDERED_RATE_LIMITS = { API_RATE_LIMIT_SESSION: "1000000000", API_RATE_LIMIT_TOKEN: "1000000000" };
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const MAX_OUTPUT_CHARS = 64 * 1024;

/**
 * Environment for wrangler: non-interactive, no telemetry, no update banner; and, unless
 * `localTraces` (or X_LOCAL_OBSERVABILITY is set by whoever runs us), without wrangler's local
 * observability. That development aid records every invocation (the Worker's, each object's,
 * each D1 query's) as a trace into a SQLite store inside the same workerd, on the app's thread:
 * measured on the request create (issue 12), it cost 5.6 ms of that thread per create, a quarter
 * of it, and nothing like it runs beside a deployed Worker. `npm start` keeps it for the Local
 * Explorer; the tests, the bench and the profile go without.
 * @param {boolean} [localTraces]
 */
function wranglerEnv(localTraces = false) {
	return {
		X_LOCAL_OBSERVABILITY: localTraces ? "true" : "false",
		...process.env,
		CI: "1",
		WRANGLER_SEND_METRICS: "false",
		WRANGLER_HIDE_BANNER: "true",
		NO_UPDATE_NOTIFIER: "1",
		FORCE_COLOR: "0",
		// Offline and deterministic: use miniflare's placeholder `Request.cf` instead of fetching
		// it from the internet (which warns, or waits 3 s, without a network).
		CLOUDFLARE_CF_FETCH_ENABLED: "false",
	};
}

/**
 * A free TCP port on 127.0.0.1, chosen by the OS.
 * @returns {Promise<number>}
 */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on("error", reject);
		srv.listen(0, "127.0.0.1", () => {
			const address = srv.address();
			const port = typeof address === "object" && address ? address.port : 0;
			srv.close(() => (port ? resolve(port) : reject(new Error("could not find a free port"))));
		});
	});
}

/**
 * Whether something already listens on 127.0.0.1:port.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function portInUse(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once("error", () => resolve(true));
		srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(false)));
	});
}

/**
 * Runs a command to completion; rejects with its output when it fails.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {{ quiet?: boolean, env?: Record<string, string> }} [opts]
 * @returns {Promise<void>}
 */
function run(label, command, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: ROOT, env: { ...wranglerEnv(), ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
		let output = "";
		/** @param {Buffer} chunk */
		const collect = (chunk) => {
			output += chunk.toString();
			if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
			if (!opts.quiet) process.stdout.write(chunk);
		};
		child.stdout.on("data", collect);
		child.stderr.on("data", collect);
		child.on("error", reject);
		child.on("close", (code, signal) => {
			if (code === 0) return resolve();
			if (opts.quiet) process.stderr.write(output);
			reject(new Error(`${label} failed (${signal ?? `exit code ${code}`}): ${command} ${args.join(" ")}`));
		});
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {object} StartOptions
 * @property {number} [port] Port to listen on; 0 or undefined: a free one.
 * @property {string} [stateDir] Where wrangler keeps D1 and Durable Object data (--persist-to).
 * @property {boolean} [seed] Seed the demo accounts when the state is empty (default true).
 * @property {boolean} [build] Build the portal first (default true).
 * @property {boolean} [quiet] Keep wrangler's and the build's output to yourself unless something fails.
 * @property {Record<string, string>} [vars] Extra wrangler vars (`--var NAME:value`), e.g. UNHINDERED_RATE_LIMITS.
 * @property {string} [webhookReceiver] When seeding: subscribe widget-dc's demo webhook to this receiver URL.
 * @property {string} [appReceiver] When seeding: where the demo app "Widget Monitoring" is reached (default: webhookReceiver).
 * @property {number} [inspectorPort] Where wrangler's inspector listens (V8's DevTools protocol, for scripts/profile.mjs); default: wrangler's own.
 * @property {boolean} [localTraces] Keep wrangler's local observability on (default false; see wranglerEnv).
 */

/**
 * The key that seals webhook signing secrets in the local state. Local only: production sets its
 * own with `wrangler secret put WEBHOOK_SECRETS_KEY` (README, "Webhooks").
 */
export const LOCAL_WEBHOOK_SECRETS_KEY = "local-dev-only-webhook-secrets-key";

/**
 * @typedef {object} RunningServer
 * @property {string} url Base URL, e.g. http://127.0.0.1:8787 (no trailing slash).
 * @property {number} port
 * @property {string} stateDir
 * @property {boolean} seeded Whether this start seeded the demo.
 * @property {string | null} webhookSecret The seeded demo webhook's signing secret (when this start seeded it).
 * @property {string | null} appSecret The demo app's signing secret (when this start seeded it): app.installed is signed with it.
 * @property {number} readyMs Milliseconds from spawning wrangler to the first 200 of the health route.
 * @property {number} readyAt Date.now() at the first 200 of the health route.
 * @property {() => Promise<void>} stop Stops wrangler and every process it started.
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited Settles when wrangler dev exits (on its own or after stop()).
 */

/**
 * Starts Trustdesk with `wrangler dev`.
 * @param {StartOptions} [options]
 * @returns {Promise<RunningServer>}
 */
export async function startServer(options = {}) {
	const { seed = true, build = true, quiet = false, vars = {} } = options;
	const stateDir = path.resolve(options.stateDir ?? DEFAULT_STATE_DIR);
	const log = quiet ? () => {} : (/** @type {string} */ msg) => console.log(`[server] ${msg}`);

	let port = options.port ?? 0;
	if (!port) port = await freePort();
	else if (await portInUse(port)) throw new Error(`Port ${port} is already in use on 127.0.0.1. Set PORT to another one.`);

	mkdirSync(stateDir, { recursive: true });
	log(`applying D1 migrations (state: ${path.relative(ROOT, stateDir) || "."})`);
	await run("D1 migrations", "npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], { quiet: true });

	if (build) {
		log("building the portal");
		// Always the production build, the one people get: under vitest NODE_ENV is "test", and
		// Vite would then resolve Solid's development build (twice the size, dev-only checks).
		await run("portal build", "npx", ["vite", "build", "--config", "vite.config.ts", "--logLevel", "warn"], { quiet, env: { NODE_ENV: "production" } });
	}

	log(`starting wrangler dev on 127.0.0.1:${port}`);
	const spawnedAt = Date.now();
	const child = spawn(
		"npx",
		[
			"wrangler", "dev",
			"--port", String(port),
			"--ip", "127.0.0.1",
			"--persist-to", stateDir,
			"--show-interactive-dev-session=false",
			"--log-level", "warn",
			...(options.inspectorPort ? ["--inspector-port", String(options.inspectorPort)] : []),
			// The local demo's tools (the seed's request history); never set in production.
			"--var", "DEMO_TOOLS:1",
			// Webhooks to the demo's receiver on localhost; never set in production.
			"--var", "WEBHOOKS_ALLOW_PRIVATE:1",
			"--var", `WEBHOOK_SECRETS_KEY:${LOCAL_WEBHOOK_SECRETS_KEY}`,
			// Links in e-mails (worker/mail/) need the address the portal is served on.
			...Object.entries({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...vars }).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
		],
		// Its own process group, so that stop() reaches npx, wrangler and both workerd processes.
		{ cwd: ROOT, env: wranglerEnv(options.localTraces), stdio: ["ignore", "pipe", "pipe"], detached: true },
	);
	const pid = child.pid;
	if (pid === undefined) throw new Error("could not spawn wrangler dev");

	let output = "";
	/** @param {Buffer} chunk */
	const collect = (chunk) => {
		output += chunk.toString();
		if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
		if (!quiet) process.stdout.write(chunk);
	};
	child.stdout.on("data", collect);
	child.stderr.on("data", collect);

	/** @typedef {{ code: number | null, signal: NodeJS.Signals | null }} ExitStatus */
	/** @type {ExitStatus | undefined} */
	let exited;
	/** @type {Promise<ExitStatus>} */
	const exitedPromise = new Promise((resolve) => {
		child.on("exit", (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
	});

	/** @param {NodeJS.Signals} signal */
	const killGroup = (signal) => {
		try {
			process.kill(-pid, signal);
		} catch {
			// Already gone.
		}
	};
	// Should this process die without calling stop(), take the server along.
	const onExit = () => killGroup("SIGKILL");
	process.on("exit", onExit);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		killGroup("SIGTERM");
		const deadline = Date.now() + STOP_GRACE_MS;
		while (Date.now() < deadline && groupAlive(pid)) await sleep(100);
		if (groupAlive(pid)) killGroup("SIGKILL");
		while (groupAlive(pid) && Date.now() < deadline + 2_000) await sleep(50);
		if (!exited) await Promise.race([exitedPromise, sleep(1_000)]);
		process.off("exit", onExit);
	};

	const url = `http://127.0.0.1:${port}`;
	try {
		await waitForHealth(url, () => exited);
	} catch (err) {
		await stop();
		process.stderr.write(`\n----- wrangler dev output -----\n${output}\n-------------------------------\n`);
		throw err;
	}
	const readyAt = Date.now();
	const readyMs = readyAt - spawnedAt;
	log(`ready in ${(readyMs / 1000).toFixed(1)} s at ${url}`);

	let seeded = false;
	/** @type {string | null} */
	let webhookSecret = null;
	/** @type {string | null} */
	let appSecret = null;
	if (seed) {
		try {
			const probe = await fetch(`${url}/api/v1/portals/${DEMO_ACCOUNT_ID}`);
			await probe.arrayBuffer();
			if (probe.status === 404) {
				log("empty state: seeding the demo accounts");
				({ webhookSecret, appSecret } = await seedDemo(url, { quiet, webhookReceiver: options.webhookReceiver, appReceiver: options.appReceiver }));
				seeded = true;
			} else if (probe.status === 200) {
				log("demo accounts already there: not seeding");
			} else {
				throw new Error(`GET /api/v1/portals/${DEMO_ACCOUNT_ID} answered ${probe.status}; expected 200 or 404`);
			}
		} catch (err) {
			await stop();
			if (output.trim()) process.stderr.write(`\n----- wrangler dev output -----\n${output}\n-------------------------------\n`);
			throw err;
		}
	}

	return { url, port, stateDir, seeded, webhookSecret, appSecret, readyMs, readyAt, stop, exited: exitedPromise };
}

/**
 * Whether any process of the group led by pid is alive.
 * @param {number} pid
 */
function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Polls the health route until it answers 200.
 * @param {string} url
 * @param {() => { code: number | null, signal: NodeJS.Signals | null } | undefined} exited
 */
async function waitForHealth(url, exited) {
	const deadline = Date.now() + HEALTH_TIMEOUT_MS;
	let last = "no answer yet";
	while (Date.now() < deadline) {
		const gone = exited();
		if (gone) throw new Error(`wrangler dev exited before it was ready (${gone.signal ?? `exit code ${gone.code}`})`);
		try {
			const res = await fetch(url + HEALTH_PATH, { signal: AbortSignal.timeout(2_000) });
			await res.arrayBuffer();
			if (res.status === 200) return;
			last = `HTTP ${res.status}`;
		} catch (err) {
			last = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
		}
		await sleep(150);
	}
	throw new Error(`${url}${HEALTH_PATH} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

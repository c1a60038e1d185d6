// `npm run profile`: where a request create spends the app's JavaScript thread. Starts Trustdesk
// the way the bench does (wrangler dev, fresh state, demo seeded) with wrangler's inspector on a
// free port, warms up, then records V8's sampling CPU profile (DevTools protocol) while Alice
// (end user of acme) registers Email requests for widget-dc at a fixed concurrency. Prints the
// thread time per create, the split by where the code comes from (our modules through the
// bundle's source map, each library, the runtime), the hottest functions, and writes the
// .cpuprofile (open it in Chrome DevTools → Performance). Plain ES module (no compile step).
//
//   npm run profile                                  400 creates at concurrency 8
//   npm run profile -- --requests 1000 --concurrency 4 --out /tmp/create.cpuprofile
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { freePort, ROOT, startServer, UNHINDERED_RATE_LIMITS } from "./lib/server.mjs";
import { DEMO_PASSWORD } from "./seed.mjs";

const CUSTOMER = "acme";
const CUSTOMER_EMAIL = "alice@acme.example";
const SERVICE_NAME = "Email";
/** Microseconds between samples: fine enough for ~1 ms calls, coarse enough not to slow them much. */
const SAMPLING_INTERVAL_US = 200;
const TOP_FUNCTIONS = 30;

const { values: opts } = parseArgs({
	options: {
		requests: { type: "string", default: "400" },
		warmup: { type: "string", default: "100" },
		concurrency: { type: "string", default: "8" },
		out: { type: "string", default: path.join(os.tmpdir(), "trustdesk-create.cpuprofile") },
	},
});
const requests = Number(opts.requests);
const warmup = Number(opts.warmup);
const concurrency = Number(opts.concurrency);

/**
 * A minimal DevTools protocol client over Node's global WebSocket.
 * @param {string} url
 */
async function devtools(url) {
	// wrangler's inspector proxy wants an Origin it knows (DevTools' own); undici's WebSocket takes headers.
	const socket = new WebSocket(url, /** @type {any} */ ({ headers: { Origin: "http://localhost" } }));
	await new Promise((resolve, reject) => {
		socket.addEventListener("open", resolve, { once: true });
		socket.addEventListener("error", () => reject(new Error(`could not connect to the inspector at ${url}`)), { once: true });
	});
	let nextId = 1;
	/** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
	const pending = new Map();
	socket.addEventListener("message", (event) => {
		const msg = JSON.parse(String(event.data));
		const waiter = msg.id !== undefined ? pending.get(msg.id) : undefined;
		if (!waiter) return;
		pending.delete(msg.id);
		if (msg.error) waiter.reject(new Error(`${msg.error.message} (${msg.error.code})`));
		else waiter.resolve(msg.result);
	});
	return {
		/** @param {string} method @param {object} [params] */
		send(method, params = {}) {
			const id = nextId++;
			socket.send(JSON.stringify({ id, method, params }));
			return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
		},
		close: () => socket.close(),
	};
}

/**
 * The app worker's target on wrangler's inspector (it lists one per worker).
 * @param {number} port
 */
async function inspectorTarget(port) {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		try {
			const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
			const target = list.find((/** @type {{ webSocketDebuggerUrl?: string }} */ t) => t.webSocketDebuggerUrl);
			if (target) return String(target.webSocketDebuggerUrl);
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no inspector target on port ${port}`);
}

/** @param {Response} res */
function sessionCookie(res) {
	for (const header of res.headers.getSetCookie()) {
		const match = /^((?:__Host-)?td_session=[^;]+)/.exec(header);
		if (match?.[1]) return match[1];
	}
	throw new Error("no session cookie in the sign-in response");
}

/**
 * `count` calls, `concurrency` in flight; throws on the first unexpected answer.
 * @param {number} count
 * @param {(i: number) => Promise<void>} call
 */
async function closedLoop(count, call) {
	let next = 0;
	const worker = async () => {
		while (next < count) await call(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Which part of the system a profile node's code belongs to: one of our modules (by the bundle's
 * source map), a library (its npm package), or the runtime.
 * @param {{ url: string, lineNumber: number, columnNumber: number, functionName: string }} frame
 * @param {(url: string) => TraceMap | null} mapOf
 */
function origin(frame, mapOf) {
	if (!frame.url) return frame.functionName.startsWith("(") ? frame.functionName : "(runtime: native and builtins)";
	const map = mapOf(frame.url);
	const pos = map ? originalPositionFor(map, { line: frame.lineNumber + 1, column: Math.max(0, frame.columnNumber) }) : null;
	const source = pos?.source ?? frame.url;
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
	if (pkg?.[1]) return pkg[1];
	const ours = /(?:^|\/)(worker\/.+?\.ts)$/.exec(source);
	// drizzle-orm's own source map names its files "../src/…" without the package.
	if (!ours && /^(?:\.\.\/)*src\//.test(source)) return "drizzle-orm";
	if (ours?.[1]) return ours[1];
	return source.replace(/^.*\/(?=[^/]+\/[^/]+$)/, "");
}

/**
 * The source map of the newest bundle `wrangler dev` wrote under .wrangler/tmp/dev-*, or null; a
 * copy is kept beside the profile (`<out>.map`) for reading it later.
 */
function newestBundleMap() {
	const tmp = path.join(ROOT, ".wrangler/tmp");
	if (!existsSync(tmp)) return null;
	const candidates = readdirSync(tmp)
		.filter((d) => d.startsWith("dev-"))
		.map((d) => path.join(tmp, d, "index.js.map"))
		.filter((f) => existsSync(f))
		.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
	if (!candidates[0]) return null;
	const text = readFileSync(candidates[0], "utf8");
	writeFileSync(`${opts.out}.map`, text);
	return new TraceMap(text);
}

async function main() {
	if (typeof WebSocket !== "function") throw new Error(`the inspector connection needs Node's global WebSocket (Node 22 or later through npm run; this is ${process.version})`);
	const stateDir = mkdtempSync(path.join(os.tmpdir(), "trustdesk-profile-"));
	const inspectorPort = await freePort();
	console.log(`Starting Trustdesk (state ${stateDir}, inspector on ${inspectorPort})…`);
	const server = await startServer({ port: 0, stateDir, seed: true, build: !existsSync(path.join(ROOT, "dist/client/index.html")), quiet: true, vars: UNHINDERED_RATE_LIMITS, inspectorPort });
	try {
		const base = `${server.url}/api/v1`;
		const signIn = await fetch(`${base}/session`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Accept: "application/json" },
			body: JSON.stringify({ email: CUSTOMER_EMAIL, password: DEMO_PASSWORD }),
		});
		if (signIn.status !== 200) throw new Error(`sign-in as ${CUSTOMER_EMAIL}: ${signIn.status}`);
		const alice = { Accept: "application/json", "Content-Type": "application/json", Cookie: sessionCookie(signIn), "X-CSRF-Token": String((await signIn.json()).csrfToken) };
		const catalog = await (await fetch(`${base}/accounts/${CUSTOMER}/catalog`, { headers: alice })).json();
		const entry = catalog.entries.find((/** @type {{ service: { name: string } }} */ e) => e.service.name === SERVICE_NAME);
		if (!entry) throw new Error(`${SERVICE_NAME} is not in ${CUSTOMER}'s catalog`);
		const create = async (/** @type {string} */ subject) => {
			const res = await fetch(`${base}/accounts/${CUSTOMER}/requests`, {
				method: "POST",
				headers: alice,
				body: JSON.stringify({ providerAccountId: entry.provider.id, slaId: entry.sla.id, subject, category: "incident", impact: "medium", note: "My mailbox is full." }),
			});
			const text = await res.text();
			if (res.status !== 201) throw new Error(`create → ${res.status} ${text.slice(0, 200)}`);
		};

		process.stdout.write(`Warming up with ${warmup} creates… `);
		await closedLoop(warmup, (i) => create(`Profile warm-up ${i}`));
		console.log("done");

		const cdp = await devtools(await inspectorTarget(inspectorPort));
		await cdp.send("Profiler.enable");
		await cdp.send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
		await cdp.send("Profiler.start");
		const started = performance.now();
		process.stdout.write(`Profiling ${requests} creates at concurrency ${concurrency}… `);
		await closedLoop(requests, (i) => create(`Profile ${i}`));
		const wallMs = performance.now() - started;
		// Let the deliveries that trail the answers finish inside the profile.
		await new Promise((r) => setTimeout(r, 1_000));
		const { profile } = await cdp.send("Profiler.stop");
		cdp.close();
		console.log(`${(requests / (wallMs / 1000)).toFixed(1)} creates/s`);
		writeFileSync(opts.out, JSON.stringify(profile));

		// The bundle wrangler built (its source map lies beside it, in a temporary folder removed at stop).
		const bundleMap = newestBundleMap();
		const mapOf = (/** @type {string} */ url) => (url === "index.js" ? bundleMap : null);

		/** @type {Map<number, any>} */
		const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
		/** @type {Map<number, number>} node id → self time (µs) */
		const self = new Map();
		profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
		let totalUs = 0;
		let idleUs = 0;
		/** @type {Map<string, number>} */
		const byOrigin = new Map();
		/** @type {Map<string, number>} */
		const byFunction = new Map();
		for (const [id, us] of self) {
			const frame = nodes.get(id).callFrame;
			totalUs += us;
			if (frame.functionName === "(idle)") {
				idleUs += us;
				continue;
			}
			const where = origin(frame, mapOf);
			byOrigin.set(where, (byOrigin.get(where) ?? 0) + us);
			const fn = `${frame.functionName || "(anonymous)"}  ${where}`;
			byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
		}
		const busyUs = totalUs - idleUs;
		const perCreate = (/** @type {number} */ us) => (us / 1000 / requests).toFixed(2);
		console.log(`\nApp thread: ${(busyUs / 1000).toFixed(0)} ms busy of ${(totalUs / 1000).toFixed(0)} ms profiled (${((100 * busyUs) / totalUs).toFixed(0)}%), ${perCreate(busyUs)} ms per create`);
		console.log("\nSelf time by origin (ms per create, share of busy):");
		for (const [where, us] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
			console.log(`  ${perCreate(us).padStart(6)}  ${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${where}`);
		}
		console.log(`\nHottest ${TOP_FUNCTIONS} functions by self time (ms per create):`);
		for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP_FUNCTIONS)) {
			console.log(`  ${perCreate(us).padStart(6)}  ${fn}`);
		}
		// Total time (self and callees) of our own functions: each sample counts once per function on its stack.
		/** @type {Map<number, number>} child id → parent id */
		const parent = new Map();
		for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
		/** @type {Map<number, string | null>} */
		const ownKey = new Map();
		const keyOf = (/** @type {number} */ id) => {
			if (!ownKey.has(id)) {
				const frame = nodes.get(id).callFrame;
				const where = origin(frame, mapOf);
				ownKey.set(id, where.startsWith("worker/") ? `${frame.functionName || "(anonymous)"}  ${where}` : null);
			}
			return ownKey.get(id) ?? null;
		};
		/** @type {Map<string, number>} */
		const total = new Map();
		profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ i) => {
			const seen = new Set();
			for (let /** @type {number | undefined} */ at = id; at !== undefined; at = parent.get(at)) {
				const key = keyOf(at);
				if (key && !seen.has(key)) seen.add(key);
			}
			for (const key of seen) total.set(key, (total.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
		});
		console.log(`\nOur ${TOP_FUNCTIONS} functions with the most total time (self and callees; ms per create):`);
		for (const [fn, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, TOP_FUNCTIONS)) {
			console.log(`  ${perCreate(us).padStart(6)}  ${fn}`);
		}
		console.log(`\nProfile written to ${opts.out}`);
		console.log(JSON.stringify({ creates_per_s: Number((requests / (wallMs / 1000)).toFixed(1)), create_thread_ms: Number(perCreate(busyUs)) }));
	} finally {
		await server.stop();
		rmSync(stateDir, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});

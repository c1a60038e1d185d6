// `npm run bench`: a benchmark of the HTTP API, run the way users run Trustdesk — the real app
// under `wrangler dev` on 127.0.0.1 with a throw-away state directory and the demo seeded.
// A small closed-loop driver over Node's fetch (undici, keep-alive) sends a bounded number of
// requests per scenario after a short warm-up and records every request's latency.
//
//   npm run bench                              default: concurrency 8
//   npm run bench -- --concurrency 16 --scale 2
//
// Prints a table, then as the last line one JSON object with the headline figures. Exits 1 when
// any measured request answers other than 2xx (or fails); that scenario's figures are then null.
// Plain ES module (no compile step).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { ROOT, startServer } from "./lib/server.mjs";
import { DEMO_ACCOUNT_ID, DEMO_PASSWORD, DEMO_SIGN_INS } from "./seed.mjs";

const ADMIN_EMAIL = "wendy@widget-dc.example";
const ALL_SCOPES = ["account:read", "account:write", "people:read", "people:write", "teams:read", "teams:write"];
/** No single scenario may take longer than this; a stalled server fails the run instead of hanging it. */
const SCENARIO_TIMEOUT_MS = 60_000;
/** Linux USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_S = 100;

// ── Options ──────────────────────────────────────────────────────────────────

const USAGE = `Usage: npm run bench -- [--concurrency N] [--scale X]

  --concurrency N  requests in flight for the throughput scenarios (default 8, or BENCH_CONCURRENCY)
  --scale X        multiply every request count by X (default 1; 0.2 for a quick smoke run)`;

/** @returns {{ concurrency: number, scale: number }} */
function readOptions() {
	/** @type {ReturnType<typeof parseArgs>} */
	let parsed;
	try {
		parsed = parseArgs({
			options: {
				concurrency: { type: "string", short: "c" },
				scale: { type: "string" },
				help: { type: "boolean", short: "h" },
			},
		});
	} catch (err) {
		console.error(`${err instanceof Error ? err.message : err}\n\n${USAGE}`);
		process.exit(2);
	}
	if (parsed.values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const concurrency = Number(parsed.values.concurrency ?? process.env.BENCH_CONCURRENCY ?? 8);
	const scale = Number(parsed.values.scale ?? 1);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
		console.error(`--concurrency must be an integer from 1 to 256.\n\n${USAGE}`);
		process.exit(2);
	}
	if (!Number.isFinite(scale) || scale <= 0 || scale > 20) {
		console.error(`--scale must be a number above 0 and at most 20.\n\n${USAGE}`);
		process.exit(2);
	}
	return { concurrency, scale };
}

// ── Measuring ────────────────────────────────────────────────────────────────

/**
 * @typedef {object} Call
 * @property {string} path Path under /api/v1.
 * @property {RequestInit} [init]
 */

/**
 * @typedef {object} Result
 * @property {string} name
 * @property {string} auth How the requests authenticate (for the table).
 * @property {number} requests
 * @property {number} concurrency
 * @property {number} perSecond Completed requests per second of wall time.
 * @property {number} p50
 * @property {number} p90
 * @property {number} p99
 * @property {number} max
 * @property {number} errors Non-2xx answers and failed requests.
 * @property {string[]} errorSamples The first few, for the report.
 * @property {number | undefined} serverCpu Server CPU (all wrangler dev processes) in % of one core; undefined off Linux.
 * @property {number} benchCpu This process's CPU in % of one core.
 * @property {number | undefined} otherCpu Everything else on the machine, in % of one core; undefined off Linux.
 */

/**
 * Value at quantile q (nearest rank) of ascending `sorted`.
 * @param {Float64Array} sorted
 * @param {number} q
 */
function quantile(sorted, q) {
	if (sorted.length === 0) return NaN;
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
	return /** @type {number} */ (sorted[rank - 1]);
}

/**
 * CPU time, in seconds, of every process in the group of the `wrangler dev` that persists to
 * stateDir (npx, wrangler, esbuild, both workerd). Linux only; undefined elsewhere.
 * @param {string} stateDir
 * @returns {() => number | undefined}
 */
function serverCpuMeter(stateDir) {
	/** @type {number | undefined} */
	let group;
	/** @param {string} pid */
	const statFields = (pid) => {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		// Fields after "pid (comm)": state ppid pgrp … utime (12th) stime (13th).
		return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	};
	const pids = () => {
		try {
			return readdirSync("/proc").filter((d) => /^\d+$/.test(d));
		} catch {
			return [];
		}
	};
	for (const pid of pids()) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
			if (cmd.includes("dev") && cmd.includes(stateDir)) {
				group = Number(statFields(pid)[2]);
				break;
			}
		} catch {
			// Gone, or not ours to read.
		}
	}
	if (!group) return () => undefined;
	return () => {
		let ticks = 0;
		for (const pid of pids()) {
			try {
				const f = statFields(pid);
				if (Number(f[2]) === group) ticks += Number(f[11]) + Number(f[12]);
			} catch {
				// Exited between listing and reading.
			}
		}
		return ticks / CLOCK_TICKS_PER_S;
	};
}

/**
 * Busy CPU time of the whole machine, in seconds (Linux /proc/stat); undefined elsewhere.
 * @returns {number | undefined}
 */
function machineCpu() {
	try {
		const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
		// user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
		const busy = fields.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
		return fields.length === 8 ? busy / CLOCK_TICKS_PER_S : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The closed-loop driver: `concurrency` workers each send the next request as soon as their
 * previous one is answered (body read), until `requests` have been sent. Latency is measured
 * per request with performance.now(), from just before fetch() to the end of the body.
 * @param {object} spec
 * @param {string} spec.base Base URL of the API, e.g. http://127.0.0.1:1234/api/v1.
 * @param {number} spec.requests
 * @param {number} spec.concurrency
 * @param {(i: number) => Call} spec.call The i-th request.
 * @param {AbortSignal} spec.signal
 * @param {() => number | undefined} [spec.serverCpu]
 * @returns {Promise<Omit<Result, "name" | "auth">>}
 */
async function closedLoop({ base, requests, concurrency, call, signal, serverCpu = () => undefined }) {
	const latencies = new Float64Array(requests);
	/** @type {string[]} */
	const errorSamples = [];
	let errors = 0;
	let next = 0;
	/** @param {string} what */
	const fail = (what) => {
		errors++;
		if (errorSamples.length < 5) errorSamples.push(what);
	};
	const worker = async () => {
		for (let i = next++; i < requests; i = next++) {
			const { path: apiPath, init } = call(i);
			const started = performance.now();
			try {
				const res = await fetch(base + apiPath, { ...init, signal });
				const body = await res.arrayBuffer();
				latencies[i] = performance.now() - started;
				if (res.status < 200 || res.status > 299) {
					const text = Buffer.from(body).toString("utf8").replace(/\s+/g, " ").slice(0, 200);
					fail(`${init?.method ?? "GET"} ${apiPath} → ${res.status} ${text}`);
				}
			} catch (err) {
				latencies[i] = performance.now() - started;
				if (signal.aborted) throw err;
				const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
				fail(`${init?.method ?? "GET"} ${apiPath} → ${err instanceof Error ? err.message : err}${cause}`);
			}
		}
	};
	const cpuBefore = process.cpuUsage();
	const serverBefore = serverCpu();
	const machineBefore = machineCpu();
	const started = performance.now();
	await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	const serverAfter = serverCpu();
	const machineAfter = machineCpu();
	const seconds = wallMs / 1000;
	const benchS = (cpu.user + cpu.system) / 1e6;
	const serverS = serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore;
	const machineS = machineBefore === undefined || machineAfter === undefined ? undefined : machineAfter - machineBefore;

	const sorted = latencies.slice().sort();
	return {
		requests,
		concurrency: Math.min(concurrency, requests),
		perSecond: requests / (wallMs / 1000),
		p50: quantile(sorted, 0.5),
		p90: quantile(sorted, 0.9),
		p99: quantile(sorted, 0.99),
		max: quantile(sorted, 1),
		errors,
		errorSamples,
		serverCpu: serverS === undefined ? undefined : (serverS / seconds) * 100,
		benchCpu: (benchS / seconds) * 100,
		otherCpu: serverS === undefined || machineS === undefined ? undefined : (Math.max(0, machineS - serverS - benchS) / seconds) * 100,
	};
}

// ── Output ───────────────────────────────────────────────────────────────────

/** Milliseconds: two decimals below 10 ms, one below 100 ms, whole above. */
function roundMs(/** @type {number} */ ms) {
	if (!Number.isFinite(ms)) return ms;
	if (ms < 10) return Math.round(ms * 100) / 100;
	if (ms < 100) return Math.round(ms * 10) / 10;
	return Math.round(ms);
}

/** Rates: whole requests per second, one decimal below 100/s. */
function roundRate(/** @type {number} */ rate) {
	return rate < 100 ? Math.round(rate * 10) / 10 : Math.round(rate);
}

/** @param {Result[]} results */
function formatTable(results) {
	const head = ["scenario", "auth", "requests", "conc", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "server CPU", "bench CPU", "other CPU"];
	const pct = (/** @type {number | undefined} */ v) => (v === undefined ? "n/a" : `${Math.round(v)}%`);
	const rows = results.map((r) => [
		r.name,
		r.auth,
		String(r.requests),
		String(r.concurrency),
		String(roundRate(r.perSecond)),
		String(roundMs(r.p50)),
		String(roundMs(r.p90)),
		String(roundMs(r.p99)),
		String(roundMs(r.max)),
		String(r.errors),
		pct(r.serverCpu),
		pct(r.benchCpu),
		pct(r.otherCpu),
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
	// Text left, numbers right.
	const line = (/** @type {string[]} */ cells) =>
		cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
	return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

// ── Lifecycle: the server goes away on success, failure and Ctrl-C ──────────

const { concurrency, scale } = readOptions();
const stateDir = mkdtempSync(path.join(os.tmpdir(), "trustdesk-bench-"));
/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
/** @type {Promise<void> | undefined} */
let cleaning;
const interrupt = new AbortController();

function removeStateDir() {
	rmSync(stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** Stops the server and removes its state; safe to call more than once. */
function cleanUp() {
	cleaning ??= (async () => {
		try {
			await server?.stop();
		} finally {
			removeStateDir();
		}
	})();
	return cleaning;
}

/** @param {string} reason */
async function abortRun(reason) {
	if (interrupt.signal.aborted) return;
	interrupt.abort(new Error(reason));
	console.error(`\n${reason}: stopping the benchmark…`);
	// Still starting: exiting runs startServer's exit hook, which kills wrangler's process group;
	// this later exit hook then removes the state.
	if (!server) {
		process.on("exit", removeStateDir);
		process.exit(130);
	}
	await cleanUp().catch((err) => console.error(err));
	process.exit(130);
}
process.on("SIGINT", () => void abortRun("SIGINT"));
process.on("SIGTERM", () => void abortRun("SIGTERM"));
process.on("SIGHUP", () => void abortRun("SIGHUP"));
// `npm run` runs this under `sh -c`; should the parent go away, do not run on alone.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) void abortRun("parent process gone");
}, 1_000).unref();

// ── The run ──────────────────────────────────────────────────────────────────

/**
 * @param {string} label
 * @param {Response} res
 * @param {number} expect
 */
async function expectStatus(label, res, expect) {
	const text = await res.text();
	if (res.status !== expect) throw new Error(`${label} answered ${res.status}, expected ${expect}: ${text.slice(0, 500)}`);
	return text ? JSON.parse(text) : undefined;
}

/** @param {Response} res */
function sessionCookie(res) {
	for (const header of res.headers.getSetCookie()) {
		const match = /^((?:__Host-)?td_session=[^;]+)/.exec(header);
		if (match?.[1]) return match[1];
	}
	throw new Error("no session cookie in the sign-in response");
}

async function main() {
	const n = (/** @type {number} */ count) => Math.max(1, Math.round(count * scale));
	const runStarted = performance.now();

	const build = !existsSync(path.join(ROOT, "dist/client/index.html"));
	console.log(`Starting Trustdesk with wrangler dev (fresh state in ${stateDir}${build ? ", building the portal first" : ""})…`);
	server = await startServer({ port: 0, stateDir, seed: true, build, quiet: true });
	const startMs = performance.now() - runStarted;
	console.log(`Ready at ${server.url} after ${(startMs / 1000).toFixed(1)} s (wrangler dev ${(server.readyMs / 1000).toFixed(1)} s, seeded: ${server.seeded})`);
	if (!server.seeded) throw new Error("the fresh state was not seeded");
	const running = server;
	// If wrangler dev stops on its own, fail the scenario in flight at once instead of waiting.
	const serverGone = new AbortController();
	void running.exited.then((status) => serverGone.abort(new Error(`wrangler dev exited during the run (${status.signal ?? `exit code ${status.code}`})`)));

	const base = `${running.url}/api/v1`;
	const serverCpu = serverCpuMeter(running.stateDir);
	/** @type {Result[]} */
	const results = [];

	/**
	 * Runs a warm-up (not recorded), then the measured requests.
	 * @param {string} name
	 * @param {string} auth
	 * @param {{ warmup: number, requests: number, concurrency: number, call: (i: number, warmup: boolean) => Call }} spec
	 */
	const scenario = async (name, auth, spec) => {
		const signal = AbortSignal.any([interrupt.signal, serverGone.signal, AbortSignal.timeout(SCENARIO_TIMEOUT_MS)]);
		process.stdout.write(`  ${name}: ${spec.warmup} warm-up + ${spec.requests} requests at concurrency ${Math.min(spec.concurrency, spec.requests)}… `);
		if (spec.warmup > 0) {
			await closedLoop({ base, requests: spec.warmup, concurrency: spec.concurrency, call: (i) => spec.call(i, true), signal });
		}
		const result = { name, auth, ...(await closedLoop({ base, requests: spec.requests, concurrency: spec.concurrency, call: (i) => spec.call(i, false), signal, serverCpu })) };
		console.log(`${roundRate(result.perSecond)} req/s, p50 ${roundMs(result.p50)} ms${result.errors ? `, ${result.errors} errors` : ""}`);
		results.push(result);
		return result;
	};

	// Sign in as the demo administrator, and make an API token with every scope.
	const signIn = await fetch(`${base}/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Accept: "application/json" },
		body: JSON.stringify({ email: ADMIN_EMAIL, password: DEMO_PASSWORD }),
	});
	const session = await expectStatus(`POST /session as ${ADMIN_EMAIL}`, signIn, 200);
	const cookieHeaders = { Accept: "application/json", Cookie: sessionCookie(signIn), "X-CSRF-Token": String(session.csrfToken) };
	const created = await expectStatus(
		"POST /accounts/widget-dc/api-tokens",
		await fetch(`${base}/accounts/${DEMO_ACCOUNT_ID}/api-tokens`, {
			method: "POST",
			headers: { ...cookieHeaders, "Content-Type": "application/json" },
			body: JSON.stringify({ name: "Benchmark", scopes: ALL_SCOPES, expiresInDays: 1 }),
		}),
		201,
	);
	const bearer = { Accept: "application/json", Authorization: `Bearer ${created.secret}` };
	// Teams get two members (and a coordinator), so creating one checks them in D1 as the portal does.
	/** @type {{ id: string, email: string }[]} */
	const people = await expectStatus("GET /accounts/widget-dc/people", await fetch(`${base}/accounts/${DEMO_ACCOUNT_ID}/people`, { headers: bearer }), 200);
	const idOf = (/** @type {string} */ email) => {
		const found = people.find((p) => p.email === email);
		if (!found) throw new Error(`demo person ${email} not found in ${DEMO_ACCOUNT_ID}`);
		return found.id;
	};
	const sam = idOf("sam@widget-dc.example");
	const carl = idOf("carl@widget-dc.example");
	const teamsBefore = (await expectStatus("GET teams", await fetch(`${base}/accounts/${DEMO_ACCOUNT_ID}/teams`, { headers: bearer }), 200)).length;

	console.log(`\nMeasuring (closed loop, keep-alive; throughput scenarios at concurrency ${concurrency}):`);

	// 1. The local HTTP ceiling: no auth, no storage.
	const health = await scenario("health", "none", {
		warmup: n(300),
		requests: n(4000),
		concurrency,
		call: () => ({ path: "/health" }),
	});

	// 2. Cookie session (D1 session + membership + hostnames) and the AccountObject's profile (RPC).
	const accountRead = await scenario("account_read", "session", {
		warmup: n(100),
		requests: n(1500),
		concurrency,
		call: () => ({ path: `/accounts/${DEMO_ACCOUNT_ID}`, init: { headers: cookieHeaders } }),
	});

	// 3. Writes: D1 token + member check, AccountObject insert, D1 member names for the answer.
	const runId = Date.now().toString(36);
	const teamCreate = await scenario("team_create", "bearer", {
		warmup: n(20),
		requests: n(500),
		concurrency,
		call: (i, warmup) => ({
			path: `/accounts/${DEMO_ACCOUNT_ID}/teams`,
			init: {
				method: "POST",
				headers: { ...bearer, "Content-Type": "application/json" },
				body: JSON.stringify({
					name: `Bench ${runId} ${warmup ? "warm-up" : "team"} ${String(i).padStart(5, "0")}`,
					description: "Created by the benchmark.",
					coordinatorId: sam,
					memberIds: [sam, carl],
				}),
			},
		}),
	});

	// 4. Listing the hundreds of teams just made: one request at a time, so the figure is the
	// cost of one list rather than queueing behind others.
	const expectedTeams = teamsBefore + n(20) + n(500);
	const teamList = await scenario(`team_list (${expectedTeams} teams)`, "bearer", {
		warmup: n(5),
		requests: n(100),
		concurrency: 1,
		call: () => ({ path: `/accounts/${DEMO_ACCOUNT_ID}/teams`, init: { headers: bearer } }),
	});
	if (teamList.errors === 0) {
		const listed = (await expectStatus("GET teams", await fetch(`${base}/accounts/${DEMO_ACCOUNT_ID}/teams`, { headers: bearer }), 200)).length;
		if (listed !== expectedTeams) {
			teamList.errors++;
			teamList.errorSamples.push(`GET /accounts/${DEMO_ACCOUNT_ID}/teams lists ${listed} teams; expected ${expectedTeams}`);
		}
	}

	// 5. Sign-in, one at a time: PBKDF2 with 100,000 iterations per attempt. Always the right
	// password, rotating over the demo people, so the failed-sign-in throttle never comes into play.
	const signin = await scenario("signin", "password", {
		warmup: n(2),
		requests: n(20),
		concurrency: 1,
		call: (i, warmup) => {
			const who = DEMO_SIGN_INS[(i + (warmup ? 7 : 0)) % DEMO_SIGN_INS.length];
			if (!who) throw new Error("no demo sign-ins");
			return {
				path: "/session",
				init: {
					method: "POST",
					headers: { "Content-Type": "application/json", Accept: "application/json" },
					body: JSON.stringify({ email: who.email, password: who.password }),
				},
			};
		},
	});

	const totalS = (performance.now() - runStarted) / 1000;
	console.log(`\n${formatTable(results)}\n`);
	console.log(
		[
			"Notes: local `wrangler dev` numbers are a lower bound of what the deployed service does per",
			"instance: one workerd process on this machine's cores (shared with this driver), no network",
			"round trips, D1 and Durable Object storage as SQLite on local disk, and every Durable Object",
			"in the same process. They are for comparing commits on the same machine, not for SLOs.",
			"Closed loop: latencies are service + queueing time at that concurrency (no coordinated-omission",
			`correction). CPU in % of one core (${os.availableParallelism()} cores here); server = every process of wrangler dev,`,
			"other = the rest of the machine: when it is high, other work disturbed the figures.",
			`Run took ${totalS.toFixed(1)} s, of which ${(startMs / 1000).toFixed(1)} s starting and seeding the server.`,
		].join("\n"),
	);

	const busiest = Math.max(0, ...results.map((r) => r.otherCpu ?? 0));
	if (busiest >= 25) {
		console.log(`\nWarning: other processes used up to ${Math.round(busiest)}% of a core during a scenario; the figures are disturbed.`);
	}

	const failed = results.filter((r) => r.errors > 0);
	for (const r of failed) {
		console.error(`\n${r.name}: ${r.errors} of ${r.requests} requests failed, e.g.:`);
		for (const s of r.errorSamples) console.error(`  ${s}`);
	}
	if (failed.length > 0) console.error("\nBenchmark FAILED: requests answered other than 2xx. Figures of failed scenarios are null below.");

	/** Figures of a scenario with errors would describe error answers: null instead. */
	const ok = (/** @type {Result} */ r, /** @type {number} */ value) => (r.errors > 0 ? null : value);
	const summary = {
		health_per_s: ok(health, roundRate(health.perSecond)),
		health_p50_ms: ok(health, roundMs(health.p50)),
		health_p99_ms: ok(health, roundMs(health.p99)),
		account_read_per_s: ok(accountRead, roundRate(accountRead.perSecond)),
		account_read_p50_ms: ok(accountRead, roundMs(accountRead.p50)),
		account_read_p99_ms: ok(accountRead, roundMs(accountRead.p99)),
		team_create_per_s: ok(teamCreate, roundRate(teamCreate.perSecond)),
		team_create_p50_ms: ok(teamCreate, roundMs(teamCreate.p50)),
		team_create_p99_ms: ok(teamCreate, roundMs(teamCreate.p99)),
		team_create_vs_health: health.errors || teamCreate.errors ? null : Math.round((teamCreate.perSecond / health.perSecond) * 1000) / 1000,
		team_list_p50_ms: ok(teamList, roundMs(teamList.p50)),
		team_list_p99_ms: ok(teamList, roundMs(teamList.p99)),
		signin_p50_ms: ok(signin, roundMs(signin.p50)),
	};
	console.log(JSON.stringify(summary));
	return failed.length > 0 ? 1 : 0;
}

let exitCode = 1;
try {
	exitCode = await main();
} catch (err) {
	if (!interrupt.signal.aborted) console.error(`\nBenchmark failed: ${err instanceof Error ? err.message : err}`);
} finally {
	if (!interrupt.signal.aborted) await cleanUp();
}
if (!interrupt.signal.aborted) process.exit(exitCode);

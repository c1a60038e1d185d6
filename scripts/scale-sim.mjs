// `npm run bench:scale`: the scale simulation behind docs/scale.md (issue 12). What a provider
// with millions of SLA clocks and Inbox rows costs in its AccountObject's SQLite file, measured on
// a copy of that file without the Worker: the file's and each index's size, and the time of the
// SLA report's and the Inbox page's own code and SQL at 1,000,000 and 10,000,000 clocks (the HTTP
// bench, scripts/bench.mjs, stops at 1,000,000: filling 10,000,000 through a restart of wrangler
// dev and reading it over HTTP would take most of an hour here).
//
//   - The file is real: the demo is seeded through the API (`wrangler dev`, fresh state, as the
//     bench does), the server stopped, and widget-dc's AccountObject file copied (VACUUM INTO):
//     every account migration applied by the app itself, the demo history's clocks and rows in it.
//   - The rows are the bench's: copies of the real resolved clocks spread over the past year
//     (scripts/lib/sla-rows.mjs) and synthetic Inbox rows (scripts/lib/inbox-rows.mjs).
//   - The report is the real module: worker/account/sla-reports.ts bundled by esbuild and run over
//     node:sqlite through a small stand-in for the Durable Object's SqlStorage (exec → raw / one).
//     Its memory is tested the blunt way: the same report in a child Node whose V8 heap is capped
//     at the Workers isolate's 128 MB (an optimistic stand-in: workerd counts more than the heap).
//   - The Inbox page is the query and count drizzle builds in inbox.ts (as the bench's node:sqlite
//     check has them): Bob's "My teams" page, open requests, first page.
//
//   npm run bench:scale                              1M, then 10M clocks (disk: ≈ 25 GB at 10M; most of an hour)
//   npm run bench:scale -- --clocks 1000000          one size only
//   npm run bench:scale -- --keep /tmp/scale         keep the copies there (else a temp dir, removed)
//
// Prints what it measured and as its last line one JSON object. Plain ES module (no compile step).
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { accountFile, fillInbox, loadSqlite } from "./lib/inbox-rows.mjs";
import { fillSearch } from "./lib/search-rows.mjs";
import { fillAffectedSlas } from "./lib/sla-rows.mjs";
import { ROOT, startServer, UNHINDERED_RATE_LIMITS } from "./lib/server.mjs";
import { DEMO_ACCOUNTS, DEMO_ACCOUNT_ID } from "./seed.mjs";

const INBOX_PER_PAGE = 50;
/** The Workers isolate's memory limit, as a cap on the child's V8 heap. */
const ISOLATE_MB = 128;
const DAY_MS = 86_400_000;

const USAGE = `Usage: npm run bench:scale -- [--clocks N[,N…]] [--inbox N] [--keep DIR]

  --clocks N,N…  SLA clock counts to measure at, ascending (default 1000000,10000000)
  --inbox N      Inbox rows (filled once, at the first size; default 1000000)
  --keep DIR     build the copies in DIR and leave them there (default: a temp dir, removed)

  (internal) --report-child FILE --keep DIR [--days D]  run the report of the last D days (366) on
             FILE in this process and print its time and heap as JSON (the 128 MB test runs it)`;

// ── The report module, bundled from the Worker's TypeScript ─────────────────

/**
 * worker/account/sla-reports.ts as an ES module Node can import (its imports: dates.ts, luxon).
 * @param {string} dir
 */
async function reportModule(dir) {
	const out = path.join(dir, "sla-reports.bundle.mjs");
	if (!existsSync(out)) {
		const { build } = await import("esbuild");
		await build({ entryPoints: [path.join(ROOT, "worker/account/sla-reports.ts")], bundle: true, format: "esm", platform: "node", outfile: out, logLevel: "warning" });
	}
	/** @type {{ slaReport: (ctx: object, f: object) => { totals: { requests: number } } }} */
	const mod = await import(pathToFileURL(out).href);
	return mod;
}

/**
 * The Durable Object's `ctx.storage.sql` as far as sla-reports.ts uses it, over node:sqlite:
 * `exec(query, ...binds)` giving a cursor with `raw()` (rows as arrays, read as iterated) and `one()`.
 * Keeps each statement (the first is the report's scan) and the largest V8 heap seen while rows
 * were read, every 50,000 rows: the report's tallies grow as it reads.
 * @param {import("node:sqlite").DatabaseSync} db
 * @param {{ statements: { query: string, binds: import("node:sqlite").SQLInputValue[] }[], peakHeap: number }} seen
 */
function sqlStorage(db, seen) {
	return {
		exec(/** @type {string} */ query, /** @type {import("node:sqlite").SQLInputValue[]} */ ...binds) {
			const st = db.prepare(query);
			seen.statements.push({ query, binds });
			return {
				*raw() {
					st.setReturnArrays(true);
					let n = 0;
					for (const row of st.iterate(...binds)) {
						if (++n % 50_000 === 0) seen.peakHeap = Math.max(seen.peakHeap, process.memoryUsage().heapUsed);
						yield row;
					}
				},
				one() {
					return st.get(...binds);
				},
			};
		},
	};
}

/**
 * One report over the past year (every clock the fills made), as the provider's object runs it.
 * @param {Awaited<ReturnType<typeof reportModule>>} mod
 * @param {import("node:sqlite").DatabaseSync} db
 * @param {{ customer?: string, from?: string }} [filter]
 */
function runReport(mod, db, filter = {}) {
	const now = Date.now();
	const timeZone = String(db.prepare("select time_zone from account limit 1").get()?.time_zone ?? "UTC");
	const until = new Date(now).toISOString().slice(0, 10);
	const from = filter.from ?? new Date(now - 366 * DAY_MS).toISOString().slice(0, 10);
	/** @type {{ statements: { query: string, binds: import("node:sqlite").SQLInputValue[] }[], peakHeap: number }} */
	const seen = { statements: [], peakHeap: 0 };
	const heapBefore = process.memoryUsage().heapUsed;
	const t0 = performance.now();
	const report = mod.slaReport(
		{ sql: sqlStorage(db, seen), timeZone, now, provider: { id: DEMO_ACCOUNT_ID, name: "Widget Data Center" }, customer: null },
		{ from, until, ...(filter.customer ? { customer: filter.customer } : {}) },
	);
	const ms = performance.now() - t0;
	// The scan's rows read again through the same driver without the tallies: SQLite and the
	// driver's share of the time (the rest is the report's JavaScript and the label lookups).
	const scan = seen.statements[0];
	let readMs = NaN;
	if (scan) {
		const st = db.prepare(scan.query);
		st.setReturnArrays(true);
		const r0 = performance.now();
		for (const row of st.iterate(...scan.binds)) void row;
		readMs = performance.now() - r0;
	}
	return { ms, readMs, requests: report.totals.requests, peakHeapMb: Math.round((seen.peakHeap - heapBefore) / 2 ** 20), statements: seen.statements.length };
}

/** The child process of the memory test: one report of the last `days`, its time and heap, as JSON on stdout. */
async function reportChild(/** @type {string} */ file, /** @type {string} */ dir, /** @type {number} */ days) {
	const sqlite = await loadSqlite();
	const mod = await reportModule(dir);
	const db = new sqlite.DatabaseSync(file, { readOnly: true });
	const r = runReport(mod, db, { from: new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10) });
	console.log(JSON.stringify({ ...r, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }));
}

/**
 * The report in a Node whose V8 heap may not pass the isolate's 128 MB: does it fit at all?
 * @param {string} file
 * @param {string} dir
 * @param {number} [days] The range: the last this many days (default a year: every clock).
 */
function reportUnderIsolateCap(file, dir, days = 366) {
	const child = spawnSync(
		process.execPath,
		[`--max-old-space-size=${ISOLATE_MB}`, fileURLToPath(import.meta.url), "--report-child", file, "--keep", dir, "--days", String(days)],
		{ encoding: "utf8", maxBuffer: 1 << 24 },
	);
	const line = child.stdout.trim().split("\n").pop() ?? "";
	if (child.status === 0 && line.startsWith("{")) return { fits: true, ...JSON.parse(line) };
	const oom = /heap out of memory|Allocation failed/i.test(child.stderr);
	return { fits: false, oom, error: oom ? "V8: JavaScript heap out of memory" : child.stderr.trim().split("\n").slice(-3).join(" / ") };
}

// ── Sizes ────────────────────────────────────────────────────────────────────

/**
 * Bytes per table and index (the dbstat virtual table: every page of each b-tree), biggest first.
 * @param {import("node:sqlite").DatabaseSync} db
 */
function sizes(db) {
	const rows = db.prepare("select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc").all();
	const pageSize = Number(db.prepare("pragma page_size").get()?.page_size);
	const pages = Number(db.prepare("pragma page_count").get()?.page_count);
	return { fileBytes: pageSize * pages, objects: rows.map((r) => ({ name: String(r.name), bytes: Number(r.bytes) })) };
}

/**
 * What each kind of row costs, its indexes included: the clocks, the Inbox, its search index (the
 * FTS5 table's shadow tables with search_docs, per Inbox row) and what a request leaves besides
 * (notifications, the mail log, the event log: per request of the Inbox).
 * @param {ReturnType<typeof sizes>} s
 * @param {import("node:sqlite").DatabaseSync} db
 */
function perRow(s, db) {
	const indexesOf = (/** @type {string} */ table) => db.prepare("select name from sqlite_master where type = 'index' and tbl_name = ?").all(table).map((r) => String(r.name));
	const count = (/** @type {string} */ table) => Number(db.prepare(`select count(*) as n from ${table}`).get()?.n ?? 0);
	const bytesOf = (/** @type {string[]} */ names) => s.objects.filter((o) => names.includes(o.name)).reduce((a, o) => a + o.bytes, 0);
	const fts = s.objects.map((o) => o.name).filter((n) => n.startsWith("search_fts"));
	/** @type {Record<string, { names: string[], rows: number }>} */
	const groups = {
		affected_slas: { names: ["affected_slas", ...indexesOf("affected_slas")], rows: count("affected_slas") },
		inbox: { names: ["inbox", ...indexesOf("inbox")], rows: count("inbox") },
		search: { names: ["search_docs", ...indexesOf("search_docs"), ...fts], rows: count("search_docs") },
		notifications: { names: ["notifications", ...indexesOf("notifications")], rows: count("inbox") },
		mail_outbox: { names: ["mail_outbox", ...indexesOf("mail_outbox")], rows: count("inbox") },
		events: { names: ["events", ...indexesOf("events")], rows: count("inbox") },
	};
	/** @type {Record<string, { rows: number, bytes: number, tableBytes: number, perRow: number }>} */
	const out = {};
	for (const [name, g] of Object.entries(groups)) {
		const bytes = bytesOf(g.names);
		out[name] = { rows: g.rows, bytes, tableBytes: bytesOf([g.names[0] ?? ""]), perRow: g.rows ? bytes / g.rows : NaN };
	}
	return out;
}

// ── The Inbox page ───────────────────────────────────────────────────────────

/**
 * Bob's "My teams" page and its count, as inbox.ts's queryInbox has drizzle build them.
 * @param {import("node:sqlite").DatabaseSync} db
 * @param {string} personId
 */
function inboxPage(db, personId) {
	const teams = db.prepare("select team_id as id from team_members where person_id = ?").all(personId).map((r) => String(r.id));
	const teamsIn = teams.map(() => "?").join(",");
	const where = `"team_id" in (${teamsIn}) and "open" in (?) and "open" = ?`;
	const page = db.prepare(`select "summary" from "inbox" where (${where}) order by "sort_at" asc, "created_at" asc, "request_id" asc limit ?`);
	const count = db.prepare(`select count(*) as n from "inbox" where (${where})`);
	const matching = Number(count.get(...teams, 1, 1)?.n ?? 0);
	/** @type {number[]} */
	const pageMs = [];
	/** @type {number[]} */
	const countMs = [];
	for (let i = 0; i < 60; i++) {
		const t0 = performance.now();
		page.all(...teams, 1, 1, INBOX_PER_PAGE + 1);
		const t1 = performance.now();
		count.get(...teams, 1, 1);
		const t2 = performance.now();
		if (i >= 10) {
			pageMs.push(t1 - t0);
			countMs.push(t2 - t1);
		}
	}
	return { matching, page: figures(pageMs), count: figures(countMs) };
}

/** p50 and p99 (nearest rank) of a few timings. */
function figures(/** @type {number[]} */ ms) {
	const s = [...ms].sort((a, b) => a - b);
	const at = (/** @type {number} */ q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
	return { p50: round(at(0.5)), p99: round(at(0.99)), runs: s.length };
}

function round(/** @type {number} */ v) {
	return v >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
}

const mb = (/** @type {number} */ b) => Math.round(b / 2 ** 20);

// ── Main ─────────────────────────────────────────────────────────────────────

async function main() {
	/** @type {ReturnType<typeof parseArgs>} */
	let parsed;
	try {
		parsed = parseArgs({ options: { clocks: { type: "string" }, inbox: { type: "string" }, keep: { type: "string" }, "report-child": { type: "string" }, days: { type: "string" }, help: { type: "boolean", short: "h" } } });
	} catch (err) {
		console.error(`${err instanceof Error ? err.message : err}\n\n${USAGE}`);
		return 2;
	}
	const v = parsed.values;
	if (v.help) {
		console.log(USAGE);
		return 0;
	}
	if (typeof v["report-child"] === "string") {
		await reportChild(v["report-child"], String(v.keep), Number(v.days ?? 366));
		return 0;
	}
	const clockSizes = String(v.clocks ?? "1000000,10000000").split(",").map(Number);
	const inboxRows = Number(v.inbox ?? 1_000_000);
	if (clockSizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(inboxRows) || inboxRows < 1) {
		console.error(`--clocks and --inbox take whole numbers.\n\n${USAGE}`);
		return 2;
	}
	const dir = typeof v.keep === "string" ? path.resolve(v.keep) : mkdtempSync(path.join(os.tmpdir(), "trustdesk-scale-"));
	mkdirSync(dir, { recursive: true });
	const started = performance.now();
	const sqlite = await loadSqlite();

	// 1. A real provider file: the demo seeded through the API, then copied with the server stopped.
	const stateDir = path.join(dir, "state");
	rmSync(stateDir, { recursive: true, force: true });
	const build = !existsSync(path.join(ROOT, "dist/client/index.html"));
	console.log(`Seeding the demo with wrangler dev (state in ${stateDir}${build ? ", building the portal first" : ""})…`);
	const server = await startServer({ port: 0, stateDir, seed: true, build, quiet: true, vars: UNHINDERED_RATE_LIMITS });
	await server.stop();
	const file = path.join(dir, "provider.sqlite");
	rmSync(file, { force: true });
	{
		const live = new sqlite.DatabaseSync(accountFile(sqlite, stateDir, DEMO_ACCOUNT_ID), { readOnly: true });
		live.exec(`vacuum into '${file.replaceAll("'", "''")}'`);
		live.close();
	}
	rmSync(stateDir, { recursive: true, force: true });
	const seededMs = performance.now() - started;
	console.log(`  ${DEMO_ACCOUNT_ID}'s object copied to ${file} (${mb(statSync(file).size)} MB) after ${(seededMs / 1000).toFixed(1)} s`);

	// The specialist whose "My teams" page is measured: a member of the team of the newest real Inbox
	// row (the team the demo's SLA routes to, Bob's; the file has people's ids, not their addresses).
	const specialistId = (() => {
		const db = new sqlite.DatabaseSync(file, { readOnly: true });
		try {
			const row = db.prepare("select tm.person_id as id from inbox i join team_members tm on tm.team_id = i.team_id order by i.created_at desc limit 1").get();
			if (!row) throw new Error(`${DEMO_ACCOUNT_ID} has no Inbox row of a team with members (was the demo history seeded?)`);
			return String(row.id);
		} finally {
			db.close();
		}
	})();
	// What the demo's own requests left in the provider (156 or so: a small sample, page-granular).
	const seeded = (() => {
		const db = new sqlite.DatabaseSync(file, { readOnly: true });
		try {
			const r = perRow(sizes(db), db);
			return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, { rows: x.rows, bytes_per_request: Math.round(x.bytes / Math.max(1, r.inbox?.rows ?? 1)) }]));
		} finally {
			db.close();
		}
	})();
	console.log(`  the demo's ${seeded.inbox?.rows} Inbox rows; bytes per request: ${Object.entries(seeded).map(([k, x]) => `${k} ${x.bytes_per_request}`).join(", ")}`);
	const mod = await reportModule(dir);
	const providerTeams = DEMO_ACCOUNTS.find((a) => a.id === DEMO_ACCOUNT_ID)?.teams.map((t) => t.name) ?? [];

	/** @type {Record<string, unknown>[]} */
	const steps = [];
	let inboxFilled = false;
	for (const clocks of clockSizes) {
		console.log(`\n${clocks.toLocaleString("en")} SLA clocks:`);
		const slaFill = await fillAffectedSlas({ file, total: clocks, now: Date.now() });
		console.log(`  clocks: ${slaFill.inserted.toLocaleString("en")} copies in ${(slaFill.insertMs / 1000).toFixed(1)} s (${round((slaFill.insertMs * 1000) / Math.max(1, slaFill.inserted))} µs each, one transaction)`);
		if (!inboxFilled) {
			const fill = await fillInbox({ file, accountId: DEMO_ACCOUNT_ID, total: inboxRows, teamNames: providerTeams, personId: specialistId, perPage: INBOX_PER_PAGE });
			console.log(`  inbox: ${fill.inserted.toLocaleString("en")} rows in ${(fill.insertMs / 1000).toFixed(1)} s`);
			const search = await fillSearch({ file });
			console.log(`  search: ${search.indexed.toLocaleString("en")} Inbox rows indexed in ${(search.insertMs / 1000).toFixed(1)} s`);
			inboxFilled = true;
		}
		const db = new sqlite.DatabaseSync(file);
		db.exec("analyze");
		// The year's report three times (once at 10M and above: it takes seconds), the last one
		// timed; a month's and one customer's report as a reader would ask them.
		const runs = clocks >= 5_000_000 ? 1 : 3;
		/** @type {number[]} */
		const yearMs = [];
		let requests = 0;
		let readMs = NaN;
		let peakHeapMb = NaN;
		for (let i = 0; i < runs; i++) {
			const r = runReport(mod, db);
			yearMs.push(r.ms);
			({ requests, readMs, peakHeapMb } = r);
		}
		const monthFrom = new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10);
		const month = runReport(mod, db, { from: monthFrom });
		const customer = String(db.prepare("select customer_account_id as c from affected_slas limit 1").get()?.c ?? "");
		const oneCustomer = runReport(mod, db, { customer });
		// The scan alone (the report's SQL without its tallies): how much of the time is SQLite's.
		const scanSql = `select count(*), sum(resolution_minutes) from affected_slas indexed by affected_slas_report_idx where accountability = 'provider' and started_at >= ? and started_at < ?`;
		const s0 = performance.now();
		db.prepare(scanSql).get(Date.now() - 366 * DAY_MS, Date.now() + DAY_MS);
		const scanMs = performance.now() - s0;
		const capped = reportUnderIsolateCap(file, dir);
		// When the year does not fit, the longest range that does: the clocks are spread evenly over
		// 350 days, so ranges of 35 days more at a time add a tenth of them each.
		/** @type {{ days: number, clocks: number, ms: number }[]} */
		const fitting = [];
		if (!capped.fits) {
			for (let days = 35; days < 366; days += 35) {
				const probe = reportUnderIsolateCap(file, dir, days);
				console.log(`  the last ${days} days' report in a ${ISOLATE_MB} MB heap: ${probe.fits ? `fits (${Number(probe.requests).toLocaleString("en")} clocks, ${round(Number(probe.ms))} ms)` : "does not fit"}`);
				if (!probe.fits) break;
				fitting.push({ days, clocks: Number(probe.requests), ms: round(Number(probe.ms)) });
			}
		}
		const inbox = inboxPage(db, specialistId);
		console.log(`  sizes (dbstat)…`);
		const sz = sizes(db);
		const rows = perRow(sz, db);
		db.close();
		const step = {
			clocks: slaFill.total,
			fill_s: round(slaFill.insertMs / 1000),
			file_mb: mb(sz.fileBytes),
			clock_bytes_per_row: Math.round(rows.affected_slas?.perRow ?? NaN),
			clock_table_mb: mb(rows.affected_slas?.tableBytes ?? NaN),
			clock_all_indexes_mb: mb((rows.affected_slas?.bytes ?? NaN) - (rows.affected_slas?.tableBytes ?? NaN)),
			inbox_rows: rows.inbox?.rows,
			inbox_bytes_per_row: Math.round(rows.inbox?.perRow ?? NaN),
			search_rows: rows.search?.rows,
			search_bytes_per_row: Math.round(rows.search?.perRow ?? NaN),
			report_year_ms: round(yearMs[yearMs.length - 1] ?? NaN),
			report_year_runs_ms: yearMs.map(round),
			report_year_clocks: requests,
			report_year_scan_only_ms: round(scanMs),
			report_year_rows_read_ms: round(readMs),
			report_year_peak_heap_mb: peakHeapMb,
			report_month_ms: round(month.ms),
			report_month_clocks: month.requests,
			report_one_customer_ms: round(oneCustomer.ms),
			report_one_customer_clocks: oneCustomer.requests,
			report_in_128mb_heap: capped,
			report_fits_128mb_up_to: fitting[fitting.length - 1] ?? null,
			inbox_matching: inbox.matching,
			inbox_page_p50_ms: inbox.page.p50,
			inbox_page_p99_ms: inbox.page.p99,
			inbox_count_p50_ms: inbox.count.p50,
			inbox_count_p99_ms: inbox.count.p99,
			biggest: sz.objects.slice(0, 12).map((o) => `${o.name} ${mb(o.bytes)} MB`),
		};
		steps.push(step);
		console.log(`  file ${step.file_mb} MB; clocks ${step.clock_bytes_per_row} B/row with indexes (table ${step.clock_table_mb} MB, indexes ${step.clock_all_indexes_mb} MB); inbox ${step.inbox_bytes_per_row} B/row; search ${step.search_bytes_per_row} B/row`);
		console.log(`  biggest: ${step.biggest.join(", ")}`);
		console.log(
			`  report over the year (${requests.toLocaleString("en")} clocks): ${yearMs.map(round).join(", ")} ms (SQLite's aggregate over the same range alone ${round(scanMs)} ms; the scan's rows read without tallies ${round(readMs)} ms; heap grew by up to ${peakHeapMb} MB); ` +
				`a month (${month.requests.toLocaleString("en")}): ${round(month.ms)} ms; one customer (${oneCustomer.requests.toLocaleString("en")}): ${round(oneCustomer.ms)} ms`,
		);
		console.log(
			`  the year's report in a ${ISOLATE_MB} MB heap: ${capped.fits ? `fits (${round(Number(capped.ms))} ms, heap ${round(Number(capped.heapMb))} MB after)` : `DOES NOT FIT (${capped.error})`}`,
		);
		console.log(`  inbox page (${inbox.matching.toLocaleString("en")} open rows of Bob's teams): page p50 ${inbox.page.p50} / p99 ${inbox.page.p99} ms, count p50 ${inbox.count.p50} / p99 ${inbox.count.p99} ms`);
	}
	const totalS = (performance.now() - started) / 1000;
	console.log(`\nSimulation took ${totalS.toFixed(0)} s (seeding ${(seededMs / 1000).toFixed(0)} s). Node ${process.version}, SQLite ${String(new sqlite.DatabaseSync(":memory:").prepare("select sqlite_version() as v").get()?.v)}.`);
	if (typeof v.keep !== "string") rmSync(dir, { recursive: true, force: true });
	console.log(JSON.stringify({ seeded, steps }));
	return 0;
}

main().then(
	(code) => process.exit(code),
	(err) => {
		console.error(err instanceof Error ? (err.stack ?? err.message) : err);
		process.exit(1);
	},
);

// For `npm run bench` only: tops a provider's affected SLAs (its SLA clocks) up to a given count,
// written straight into its AccountObject's SQLite file while `wrangler dev` is stopped, like the
// Inbox rows (inbox-rows.mjs) and for the same reason: 100,000 requests through the API would take
// most of an hour here. The rows are copies of the real clocks the demo history made, spread over
// the past year with all their instant columns shifted together (the clock's JSON, which reports do
// not read, keeps the original's); the report that reads them afterwards is the real one, over
// HTTP. Plain ES module (no compile step).
import { performance } from "node:perf_hooks";
import { accountFile, loadSqlite } from "./inbox-rows.mjs";

const DAY_MS = 86_400_000;
/** Instant columns of affected_slas, shifted together so that each copy stays a consistent clock. */
const INSTANTS = ["started_at", "response_target_at", "resolution_target_at", "actual_response_at", "actual_resolution_at", "next_target_at", "updated_at"];

/**
 * @typedef {object} SlaFillResult
 * @property {string} file
 * @property {number} before Clocks before (all from the API's requests).
 * @property {number} inserted
 * @property {number} total
 * @property {number} copies Of the total, the copies (these and earlier fills'): the rest are the API's.
 * @property {number} insertMs
 * @property {string} from First day the copies cover (YYYY-MM-DD).
 */

/**
 * Tops up again from where an earlier fill stopped (the 100,000 of the bench, then 1,000,000 for the
 * scale scenario): the copies are made from the real clocks only, numbered after the earlier copies.
 * @param {object} spec
 * @param {string} [spec.stateDir]
 * @param {string} [spec.accountId]
 * @param {string} [spec.file] The AccountObject's SQLite file, instead of looking it up by account (scripts/scale-sim.mjs works on a copy).
 * @param {number} spec.total
 * @param {number} spec.now
 * @returns {Promise<SlaFillResult>}
 */
export async function fillAffectedSlas({ stateDir, accountId, file: given, total, now }) {
	const sqlite = await loadSqlite();
	const file = given ?? accountFile(sqlite, stateDir ?? "", accountId ?? "");
	const db = new sqlite.DatabaseSync(file);
	try {
		db.exec("pragma busy_timeout = 5000");
		const before = Number(db.prepare("select count(*) as n from affected_slas").get()?.n ?? 0);
		const copiesBefore = Number(db.prepare("select count(*) as n from affected_slas where id like 'asla_bench%'").get()?.n ?? 0);
		const templates = db
			.prepare("select * from affected_slas where accountability = 'provider' and actual_resolution_at is not null and id not like 'asla_bench%' order by started_at")
			.all();
		if (templates.length === 0) throw new Error(`${accountId} has no resolved SLA clocks to copy (was the demo history seeded?)`);
		const timeZone = String(db.prepare("select time_zone from account limit 1").get()?.time_zone ?? "UTC");
		const month = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
		const monthOf = (/** @type {number} */ ms) => {
			const parts = Object.fromEntries(month.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
			return `${parts.year}-${parts.month}`;
		};
		const columns = Object.keys(templates[0] ?? {});
		const insert = db.prepare(`insert into affected_slas (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`);
		const inserted = Math.max(0, total - before);
		const yearAgo = now - 365 * DAY_MS;
		const started = performance.now();
		db.exec("begin");
		try {
			for (let i = 0; i < inserted; i++) {
				const t = templates[i % templates.length];
				if (!t) throw new Error("no template");
				// Spread over the past year, a week clear of its ends: shifting by whole weeks (which keeps
				// weekdays and hours) moves a copy up to half a week from where it was aimed.
				const target = yearAgo + 7 * DAY_MS + Math.floor((i / inserted) * 350) * DAY_MS;
				const shift = Math.round((target - Number(t.started_at)) / (7 * DAY_MS)) * 7 * DAY_MS;
				/** @type {Record<string, unknown>} */
				const row = { ...t };
				for (const c of INSTANTS) if (row[c] !== null && row[c] !== undefined) row[c] = Number(row[c]) + shift;
				const n = copiesBefore + i;
				row.id = `asla_bench${String(n).padStart(8, "0")}`;
				row.request_id = `req_bench${String(n).padStart(8, "0")}`;
				row.request_number = 2_000_000 + n;
				row.started_month = monthOf(Number(row.started_at));
				// Their alarms are done: copies of resolved clocks have nothing left to check.
				row.next_check_at = null;
				insert.run(...columns.map((c) => /** @type {any} */ (row[c])));
			}
			db.exec("commit");
		} catch (err) {
			db.exec("rollback");
			throw err;
		}
		const insertMs = performance.now() - started;
		const after = Number(db.prepare("select count(*) as n from affected_slas").get()?.n ?? 0);
		return { file, before, inserted, total: after, copies: copiesBefore + inserted, insertMs, from: new Date(yearAgo).toISOString().slice(0, 10) };
	} finally {
		db.close();
	}
}

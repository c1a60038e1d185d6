// For `npm run bench` only: fills a provider's Inbox index with synthetic rows, written straight
// into its AccountObject's SQLite file while `wrangler dev` is stopped. Registering 100,000
// requests through the API would take the better part of an hour locally, and the product has
// (and should have) no route that writes the index directly. The rows are copies of a real row
// (one the API made) with another id, number, team, status and age; the Inbox query that reads
// them afterwards is the real one, over HTTP. Plain ES module (no compile step).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

/** Statuses of the synthetic rows, in a cycle of 20: half completed, half open in various ways. */
const STATUS_CYCLE = [
	...Array(10).fill("completed"),
	...Array(3).fill("assigned"),
	...Array(2).fill("accepted"),
	...Array(2).fill("in_progress"),
	...Array(2).fill("waiting_for_customer"),
	"on_backlog",
];
/**
 * Words of the synthetic subjects and notes (three of each per row, by a fixed cycle): each word is
 * in about 1 row of 40 per position, so that a search matches a few thousand rows for one word and
 * tens for two, as on a real desk, rather than all of them or none.
 */
export const SUBJECT_WORDS = (
	"mailbox printer laptop vpn password invoice badge monitor license backup server network phone calendar " +
	"wifi scanner database firewall certificate quota storage keyboard headset projector account access " +
	"payroll portal report tablet router cluster outlook teams sharepoint desktop update install migrate " +
	"refund contract"
).split(" ");
export const NOTE_WORDS = (
	"broken slow missing locked expired failing blocked urgent again noisy frozen offline intermittent " +
	"corrupted delayed denied duplicate empty flickering hanging unreachable overheating rejected stuck " +
	"timeout unstable unknown wrong outdated garbled dropped lost partial mismatched stale bouncing degraded " +
	"disconnected crashed invisible"
).split(" ");

/** A synthetic row's subject and note (deterministic from its index). */
export function syntheticText(/** @type {number} */ i) {
	const pick = (/** @type {string[]} */ words, /** @type {number} */ k) => words[Math.floor(i / k) % words.length] ?? words[0];
	return {
		subject: `${pick(SUBJECT_WORDS, 1)} ${pick(NOTE_WORDS, 1)} ${pick(SUBJECT_WORDS, 7)} (benchmark row ${i + 1})`,
		note: `The ${pick(SUBJECT_WORDS, 3)} is ${pick(NOTE_WORDS, 11)} since ${pick(NOTE_WORDS, 5)} ${pick(SUBJECT_WORDS, 13)} work.`,
	};
}

/** The synthetic rows are older than every real one: one every 5 minutes, going back. */
const SPACING_MS = 5 * 60_000;

/**
 * node:sqlite, without its one-time "experimental" warning on stderr.
 * @returns {Promise<typeof import("node:sqlite")>}
 */
export async function loadSqlite() {
	const emit = process.emitWarning;
	process.emitWarning = /** @type {typeof process.emitWarning} */ (
		(/** @type {string | Error} */ warning, /** @type {any[]} */ ...rest) => {
			if (String(warning instanceof Error ? warning.message : warning).includes("SQLite")) return;
			emit.call(process, warning, ...rest);
		}
	);
	try {
		return await import("node:sqlite");
	} catch (err) {
		throw new Error(`the Inbox scenario needs node:sqlite (Node 22.5 or later; this is ${process.version}): ${err instanceof Error ? err.message : err}`);
	} finally {
		process.emitWarning = emit;
	}
}

/** Throws at once when this Node has no node:sqlite (rather than after the rest of a run). */
export async function checkSqlite() {
	await loadSqlite();
}

/**
 * Every *.sqlite file of Durable Objects under a wrangler state directory
 * (<stateDir>/v3/do/<worker>-<Class>/<hash>.sqlite), without miniflare's metadata files.
 * @param {string} stateDir
 */
function durableObjectFiles(stateDir) {
	const root = path.join(stateDir, "v3", "do");
	/** @type {string[]} */
	const files = [];
	let classes = [];
	try {
		classes = readdirSync(root);
	} catch {
		return files;
	}
	for (const dir of classes) {
		const full = path.join(root, dir);
		if (!statSync(full).isDirectory()) continue;
		for (const name of readdirSync(full)) {
			if (name.endsWith(".sqlite") && name !== "metadata.sqlite") files.push(path.join(full, name));
		}
	}
	return files;
}

/**
 * The SQLite file of the AccountObject of `accountId`: the one whose `account` table holds it.
 * @param {typeof import("node:sqlite")} sqlite
 * @param {string} stateDir
 * @param {string} accountId
 */
export function accountFile(sqlite, stateDir, accountId) {
	const files = durableObjectFiles(stateDir);
	for (const file of files) {
		const db = new sqlite.DatabaseSync(file, { readOnly: true });
		try {
			const row = db.prepare("select id from account limit 1").get();
			if (row?.id === accountId) return file;
		} catch {
			// Not an AccountObject (no account table).
		} finally {
			db.close();
		}
	}
	throw new Error(`no Durable Object file under ${path.join(stateDir, "v3", "do")} holds account ${accountId} (looked at ${files.length})`);
}

/**
 * Value at quantile q (nearest rank) of ascending `sorted`.
 * @param {number[]} sorted
 * @param {number} q
 */
function quantile(sorted, q) {
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
	return sorted[rank - 1] ?? NaN;
}

/**
 * @typedef {object} FillResult
 * @property {string} file The AccountObject's SQLite file.
 * @property {number} before Index rows before (all made through the API).
 * @property {number} inserted Synthetic rows added.
 * @property {number} total Index rows after.
 * @property {number} matching Rows the measured page filters from: open, in the viewer's teams.
 * @property {number} insertMs
 * @property {string[]} plan SQLite's query plan for the page query.
 * @property {{ p50: number, p99: number, runs: number }} sqliteOnly The page query and its count, run in node:sqlite on the same file (no Worker, no HTTP).
 */

/**
 * Tops the Inbox index of `accountId` up to `total` rows. Call only while no workerd has the
 * file open. Teams are those named in `teamNames` (round robin); the viewer's teams (those
 * `personId` is a member of) are what the measured page shows.
 * Tops up again from where an earlier fill stopped: new synthetic rows are numbered after the earlier ones.
 * @param {object} spec
 * @param {string} [spec.stateDir]
 * @param {string} spec.accountId
 * @param {string} [spec.file] The AccountObject's SQLite file, instead of looking it up by account (scripts/scale-sim.mjs works on a copy).
 * @param {number} spec.total
 * @param {string[]} spec.teamNames
 * @param {string} spec.personId Whose "My teams" page will be measured.
 * @param {number} spec.perPage
 * @returns {Promise<FillResult>}
 */
export async function fillInbox({ stateDir, accountId, file: given, total, teamNames, personId, perPage }) {
	const sqlite = await loadSqlite();
	const file = given ?? accountFile(sqlite, stateDir ?? "", accountId);
	const db = new sqlite.DatabaseSync(file);
	try {
		db.exec("pragma busy_timeout = 5000");
		const count = () => Number(db.prepare("select count(*) as n from inbox").get()?.n ?? 0);
		const before = count();
		const synthBefore = Number(db.prepare("select count(*) as n from inbox where request_id like 'req_bench%'").get()?.n ?? 0);
		/** @type {{ id: string, name: string }[]} */
		const teams = teamNames.map((name) => {
			const row = db.prepare("select id, name from teams where name = ?").get(name);
			if (!row) throw new Error(`${accountId} has no team named ${name}`);
			return { id: String(row.id), name: String(row.name) };
		});
		const viewerTeams = db
			.prepare("select team_id as id from team_members where person_id = ?")
			.all(personId)
			.map((r) => String(r.id));
		if (viewerTeams.length === 0) throw new Error(`${personId} is in no team of ${accountId}`);
		// The newest real row of one of the viewer's teams: the template of every synthetic one.
		const template = db
			.prepare(`select * from inbox where team_id in (${viewerTeams.map(() => "?").join(",")}) order by created_at desc limit 1`)
			.get(...viewerTeams);
		if (!template) throw new Error(`${accountId}'s Inbox has no real row of ${personId}'s teams to copy`);
		const summary = JSON.parse(String(template.summary));
		const oldest = Number(db.prepare("select min(created_at) as t from inbox").get()?.t ?? Date.now());

		const started = performance.now();
		const insert = db.prepare(
			"insert into inbox (request_id, owner_account_id, summary, status, open, team_id, member_id, next_target_at, created_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		);
		const inserted = Math.max(0, total - before);
		db.exec("begin");
		try {
			for (let i = 0; i < inserted; i++) {
				const team = teams[i % teams.length];
				const status = STATUS_CYCLE[i % STATUS_CYCLE.length] ?? "assigned";
				if (!team) throw new Error("no teams");
				const createdAt = oldest - (i + 1) * SPACING_MS;
				const n = synthBefore + i;
				const updatedAt = createdAt + 60_000;
				const completed = status === "completed";
				const id = `req_bench${String(n).padStart(8, "0")}`;
				const row = {
					...summary,
					id,
					number: 1_000_000 + n,
					subject: syntheticText(n).subject,
					status,
					completionReason: completed ? "solved" : null,
					team: { accountId, id: team.id, name: team.name },
					member: null,
					createdAt: new Date(createdAt).toISOString(),
					updatedAt: new Date(updatedAt).toISOString(),
					completedAt: completed ? new Date(updatedAt).toISOString() : null,
					nextTargetAt: summary.nextTargetAt ? new Date(createdAt + 3_600_000).toISOString() : null,
				};
				insert.run(
					id,
					String(template.owner_account_id),
					JSON.stringify(row),
					status,
					completed ? 0 : 1,
					team.id,
					null,
					row.nextTargetAt ? Date.parse(row.nextTargetAt) : null,
					createdAt,
					updatedAt,
				);
			}
			db.exec("commit");
		} catch (err) {
			db.exec("rollback");
			throw err;
		}
		const insertMs = performance.now() - started;

		// The page query as worker/account/inbox.ts's queryInbox has drizzle build it for a
		// specialist's view=teams, status=open, the first page (limit + 1 rows, in the order of the
		// generated sort key): the plan and its cost without the Worker.
		const teamsIn = viewerTeams.map(() => "?").join(",");
		// (The status filter adds "open" in (…) beside "open" = ?, so that a list of statuses keeps the index.)
		const where = `"team_id" in (${teamsIn}) and "open" in (?) and "open" = ?`;
		const pageSql = `select "summary" from "inbox" where (${where}) order by "sort_at" asc, "created_at" asc, "request_id" asc limit ?`;
		const countSql = `select count(*) as n from "inbox" where (${where})`;
		const plan = db
			.prepare(`explain query plan ${pageSql}`)
			.all(...viewerTeams, 1, 1, perPage + 1)
			.map((r) => String(r.detail));
		const page = db.prepare(pageSql);
		const counter = db.prepare(countSql);
		const matching = Number(counter.get(...viewerTeams, 1, 1)?.n ?? 0);
		/** @type {number[]} */
		const times = [];
		for (let i = 0; i < 210; i++) {
			const t0 = performance.now();
			page.all(...viewerTeams, 1, 1, perPage + 1);
			counter.get(...viewerTeams, 1, 1);
			if (i >= 10) times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		return { file, before, inserted, total: count(), matching, insertMs, plan, sqliteOnly: { p50: quantile(times, 0.5), p99: quantile(times, 0.99), runs: times.length } };
	} finally {
		db.close();
	}
}

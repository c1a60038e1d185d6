// For `npm run bench` only: indexes the synthetic Inbox rows (inbox-rows.mjs) for full-text search,
// as worker/account/search.ts's indexInboxRequest and indexInboxNote would have when their messages
// arrived: one search_docs row and one search_fts row each (subject, the shared note that came with
// the request, requester names, number and id). Written straight into the AccountObject's SQLite
// file while `wrangler dev` is stopped, in one transaction. Needs node:sqlite with FTS5 (Node 22.5+).
import { performance } from "node:perf_hooks";
import { loadSqlite, syntheticText } from "./inbox-rows.mjs";

/**
 * @param {object} spec
 * @param {string} spec.file The AccountObject's SQLite file (fillInbox's result).
 * @returns {Promise<{ indexed: number, total: number, insertMs: number }>}
 */
export async function fillSearch({ file }) {
	const sqlite = await loadSqlite();
	const db = new sqlite.DatabaseSync(file);
	try {
		db.exec("pragma busy_timeout = 5000");
		const rows = db
			.prepare("select i.request_id as id, i.summary as summary, i.team_id as team from inbox i where i.request_id like 'req_bench%' and not exists (select 1 from search_docs d where d.kind = 'inbox' and d.ref = i.request_id)")
			.all();
		const started = performance.now();
		const doc = db.prepare("insert into search_docs (kind, ref, team_id) values ('inbox', ?, ?) returning id");
		const fts = db.prepare("insert into search_fts (rowid, title, body, internal, people, ident) values (?, ?, ?, '', ?, ?)");
		db.exec("begin");
		try {
			for (const row of rows) {
				const id = String(row.id);
				const s = JSON.parse(String(row.summary));
				const i = Number(id.slice("req_bench".length));
				const rowid = Number(doc.get(id, row.team === null ? null : String(row.team))?.id);
				fts.run(rowid, String(s.subject), syntheticText(i).note, `${s.requestedBy?.name ?? ""} ${s.requestedFor?.name ?? ""}`, `${s.number} ${id}`);
			}
			db.exec("commit");
		} catch (err) {
			db.exec("rollback");
			throw err;
		}
		const insertMs = performance.now() - started;
		db.exec("insert into search_fts (search_fts) values ('optimize')");
		const total = Number(db.prepare("select count(*) as n from search_docs where kind = 'inbox'").get()?.n ?? 0);
		return { indexed: rows.length, total, insertMs };
	} finally {
		db.close();
	}
}

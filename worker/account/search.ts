// Full-text search inside the account (SQLite FTS5: unicode61 with diacritics folded, prefix
// indexes, bm25). One index row per record: this account's requests (subject, shared notes,
// internal notes in their own column, requester names, number and id), the requests of customers
// in its Inbox (what the Inbox holds plus the shared notes that arrive with their messages, and this
// account's internal notes on them), its teams and its services. Rows are written by the domain
// modules in the transaction of the record they index. The tables are created by hand in
// migrations/account/0014_search_index.sql (drizzle-kit cannot express FTS5), so they are not in
// schema.ts and are read and written only here.
import type { RequestSummary } from "../shared/request-api";
import type { SearchHit, SearchKind, SearchText } from "../shared/search-api";
import type { AccountDb } from "./db";

type DocKind = "request" | "inbox" | "team" | "service";

interface Doc {
	title: string;
	body: string;
	internal: string;
	people: string;
	ident: string;
}

const sqlOf = (db: AccountDb) => db.$client.sql;

function docId(db: AccountDb, kind: DocKind, ref: string): number | null {
	const row = sqlOf(db).exec<{ id: number }>("SELECT id FROM search_docs WHERE kind = ? AND ref = ?", kind, ref).toArray()[0];
	return row ? row.id : null;
}

/** A record's row: who may find it, and its text (null when the text row is missing). */
interface StoredDoc {
	id: number;
	teamId: string | null;
	requestedById: string | null;
	requestedForId: string | null;
	doc: Doc | null;
}

/** The record's row and its text in one statement (the text row by its rowid). */
function storedDoc(db: AccountDb, kind: DocKind, ref: string): StoredDoc | null {
	const row = sqlOf(db)
		.exec<{ id: number; teamId: string | null; byId: string | null; forId: string | null; fts: number | null; title: string; body: string; internal: string; people: string; ident: string }>(
			`SELECT d.id AS id, d.team_id AS teamId, d.requested_by_id AS byId, d.requested_for_id AS forId,
				f.rowid AS fts, f.title AS title, f.body AS body, f.internal AS internal, f.people AS people, f.ident AS ident
			FROM search_docs d LEFT JOIN search_fts f ON f.rowid = d.id WHERE d.kind = ? AND d.ref = ?`,
			kind,
			ref,
		)
		.toArray()[0];
	if (!row) return null;
	const doc = row.fts === null ? null : { title: row.title, body: row.body, internal: row.internal, people: row.people, ident: row.ident };
	return { id: row.id, teamId: row.teamId, requestedById: row.byId, requestedForId: row.forId, doc };
}

/** Who may find a record, besides its kind: the Inbox row's team, the request's requesters. */
interface Access {
	teamId?: string | null;
	requestedById?: string;
	requestedForId?: string;
}

const sameDoc = (a: Doc, b: Doc) => a.title === b.title && a.body === b.body && a.internal === b.internal && a.people === b.people && a.ident === b.ident;

/**
 * Writes the record's row, replacing the fields given and keeping the others. What did not change
 * is not written (an Inbox request's status change leaves its text as it was). `known`: the row as
 * the caller just read it.
 */
function put(db: AccountDb, kind: DocKind, ref: string, fields: Partial<Doc>, access: Access = {}, known?: StoredDoc | null): void {
	const sql = sqlOf(db);
	const found = known === undefined ? storedDoc(db, kind, ref) : known;
	const team = access.teamId ?? null;
	const by = access.requestedById ?? null;
	const forId = access.requestedForId ?? null;
	if (found === null) {
		const id = sql.exec<{ id: number }>("INSERT INTO search_docs (kind, ref, team_id, requested_by_id, requested_for_id) VALUES (?, ?, ?, ?, ?) RETURNING id", kind, ref, team, by, forId).one().id;
		const next = { title: "", body: "", internal: "", people: "", ident: "", ...fields };
		sql.exec("INSERT INTO search_fts (rowid, title, body, internal, people, ident) VALUES (?, ?, ?, ?, ?, ?)", id, next.title, next.body, next.internal, next.people, next.ident);
		return;
	}
	const id = found.id;
	if (("teamId" in access || "requestedById" in access) && (found.teamId !== team || found.requestedById !== by || found.requestedForId !== forId)) {
		sql.exec("UPDATE search_docs SET team_id = ?, requested_by_id = ?, requested_for_id = ? WHERE id = ?", team, by, forId, id);
	}
	const next = { ...(found.doc ?? { title: "", body: "", internal: "", people: "", ident: "" }), ...fields };
	if (found.doc !== null) {
		if (sameDoc(found.doc, next)) return;
		sql.exec("DELETE FROM search_fts WHERE rowid = ?", id);
	}
	sql.exec("INSERT INTO search_fts (rowid, title, body, internal, people, ident) VALUES (?, ?, ?, ?, ?, ?)", id, next.title, next.body, next.internal, next.people, next.ident);
}

function remove(db: AccountDb, kind: DocKind, ref: string): void {
	const id = docId(db, kind, ref);
	if (id === null) return;
	sqlOf(db).exec("DELETE FROM search_fts WHERE rowid = ?", id);
	sqlOf(db).exec("DELETE FROM search_docs WHERE id = ?", id);
}

/** A note a change adds to a record's text: shared notes go to its body, internal ones to their own column. */
export interface AddedNote {
	body: string;
	internal: boolean;
}

/** `fields` with `note` appended to the column it belongs in, after what `doc` already holds there. */
function withNote(fields: Partial<Doc>, doc: Doc | null, note: AddedNote | null): Partial<Doc> {
	if (!note) return fields;
	const column = note.internal ? "internal" : "body";
	const held = doc?.[column] ?? "";
	return { ...fields, [column]: held ? `${held}\n${note.body}` : note.body };
}

/** What of this account's request its search row holds (the request's row as just written). */
export interface OwnRequestText {
	id: string;
	subject: string;
	number: number;
	requestedById: string;
	requestedByName: string;
	requestedForId: string;
	requestedForName: string;
}

/**
 * This account's request after a change, from its row as just written: subject, people and number
 * replaced, the change's note added to the notes' text. A request `created` by the change has no
 * search row yet, so nothing is read; one whose row or text is missing is rebuilt from all its notes.
 */
export function indexOwnRequest(db: AccountDb, r: OwnRequestText, note: AddedNote | null, created: boolean): void {
	const found = created ? null : storedDoc(db, "request", r.id);
	const fields: Partial<Doc> = { title: r.subject, people: `${r.requestedByName} ${r.requestedForName}`, ident: `${r.number} ${r.id}` };
	const access = { requestedById: r.requestedById, requestedForId: r.requestedForId };
	if (created || found?.doc) return put(db, "request", r.id, withNote(fields, found?.doc ?? null, note), access, found);
	// No stored text to add to (the row or its text is missing): rebuilt from every note, the change's included.
	const notes = (internal: boolean) =>
		sqlOf(db)
			.exec<{ body: string }>("SELECT body FROM request_notes WHERE request_id = ? AND internal = ? ORDER BY created_at", r.id, internal ? 1 : 0)
			.toArray()
			.map((n) => n.body)
			.join("\n");
	put(db, "request", r.id, { ...fields, body: notes(false), internal: notes(true) }, access, found);
}

/**
 * A customer's request as this account's Inbox holds it, with the shared note its message carries:
 * one write of its text. Its notes are kept from earlier messages.
 */
export function indexInboxRequest(db: AccountDb, s: RequestSummary, note: AddedNote | null): void {
	const found = storedDoc(db, "inbox", s.id);
	const fields = { title: s.subject, people: `${s.requestedBy.name} ${s.requestedFor.name}`, ident: `${s.number} ${s.id}` };
	put(db, "inbox", s.id, withNote(fields, found?.doc ?? null, note), { teamId: s.team?.id ?? null }, found);
}

/** This account's internal note on a customer's request in its Inbox. */
export function indexInboxNote(db: AccountDb, requestId: string, body: string): void {
	const found = storedDoc(db, "inbox", requestId);
	if (!found?.doc) return;
	put(db, "inbox", requestId, withNote({}, found.doc, { body, internal: true }), {}, found);
}

export function unindexInboxRequest(db: AccountDb, requestId: string): void {
	remove(db, "inbox", requestId);
}

export function indexTeam(db: AccountDb, t: { id: string; name: string; description: string }): void {
	put(db, "team", t.id, { title: t.name, body: t.description });
}

export function indexService(db: AccountDb, s: { id: string; name: string; description: string }): void {
	put(db, "service", s.id, { title: s.name, body: s.description });
}

export function unindexTeam(db: AccountDb, id: string): void {
	remove(db, "team", id);
}

export function unindexService(db: AccountDb, id: string): void {
	remove(db, "service", id);
}

// ── Queries ─────────────────────────────────────────────────────────────

/** At most this many words of a query are used: more only slows the query down. */
const MAX_TERMS = 8;

/**
 * The MATCH expression for what a person typed: each word quoted (so that nothing they type is
 * FTS syntax), all of them required, the last one a prefix (they may not have finished typing it).
 * null when there is no word at all.
 */
export function matchExpression(q: string): string | null {
	const words = (q.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
	if (words.length === 0) return null;
	return words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" ");
}

/** Who searches: a person of this account, with what they may read here. */
export interface Searcher {
	personId: string;
	/** Specialist, administrator, auditor or service level manager of this account: reads its internal notes and all its requests. */
	staff: boolean;
	/** Reads every request this account's teams work on (administrators, auditors, service level managers). */
	overseer: boolean;
	teamIds: string[];
	/** The kinds asked for that their permissions read. */
	kinds: SearchKind[];
}

/** What the account's index answers (people live in the directory: routes/search.ts). */
export type LocalResults = Record<Exclude<SearchKind, "people">, SearchHit[]>;

// Markers that highlight() and snippet() put around matches; turned into ranges below, so that the
// portal renders text and <mark> without ever reading the result as HTML.
const OPEN = "\u0002";
const CLOSE = "\u0003";

function marked(raw: string): SearchText {
	let text = "";
	const marks: SearchText["marks"] = [];
	let start = -1;
	for (const ch of raw) {
		if (ch === OPEN) start = text.length;
		else if (ch === CLOSE) {
			if (start >= 0 && text.length > start) marks.push({ start, end: text.length });
			start = -1;
		} else text += ch;
	}
	return { text, marks };
}

const WEIGHTS = "10.0, 3.0, 3.0, 5.0, 8.0"; // title, body, internal, people, ident
const snippetOf = (column: number) => `snippet(search_fts, ${column}, char(2), char(3), '…', 16)`;

/** A ranked match, before its highlights are made. */
type RankedRow = { ref: string; id: number; rank: number };
type Highlights = { id: number; title: string; body: string; internal: string; people: string };

function toHit(kind: Exclude<SearchKind, "people">, ref: string, h: Highlights | undefined, link: string, staff: boolean): SearchHit {
	const candidates = [h?.body ?? "", staff ? (h?.internal ?? "") : "", h?.people ?? ""].map(marked);
	const snippet = candidates.find((c) => c.marks.length > 0) ?? candidates[0] ?? { text: "", marks: [] };
	return { kind, id: ref, title: marked(h?.title ?? ""), snippet, link };
}

export class SearchSyntaxError extends Error {
	override name = "SearchSyntaxError";
}

/**
 * The hits for `q`, grouped by kind, best first (bm25). Each kind answers only what the searcher may
 * read, with the same rules as the lists: an end user their own requests (from or for them), a
 * specialist every request of this account and the Inbox requests of their teams (an overseer all
 * of the Inbox); internal notes only for this account's staff.
 */
export function search(db: AccountDb, self: string, who: Searcher, q: string, limit: number): LocalResults {
	const out: LocalResults = { requests: [], teams: [], services: [] };
	const expr = matchExpression(q);
	if (expr === null) return out;
	// Without internal notes: the column filter keeps them from matching at all, not only from showing.
	const match = who.staff ? expr : `{title body people ident} : (${expr})`;
	const sql = sqlOf(db);
	const run = <R extends Record<string, SqlStorageValue>>(query: string, ...params: (string | number)[]) => {
		try {
			return sql.exec<R>(query, ...params).toArray();
		} catch (e) {
			// The expression is built from quoted words, so this should not happen; if FTS still
			// refuses it, that is the query's fault, not the server's.
			throw new SearchSyntaxError(e instanceof Error ? e.message : String(e));
		}
	};
	// CROSS JOIN keeps the full-text match as the outer loop: left to itself, SQLite may walk every
	// search_docs row and run the match once per row (minutes over 100,000 rows in node:sqlite).
	// Ranking first, highlights after for the few hits kept: SQLite would otherwise make snippets
	// for every match before sorting (thousands, for a common word over 100,000 requests).
	const columns = `d.ref AS ref, search_fts.rowid AS id, bm25(search_fts, ${WEIGHTS}) AS rank`;
	const ranked = (query: string, ...params: (string | number)[]) => run<RankedRow>(query, ...params);
	// All kept rows in one statement: asking row by row (`rowid = ?`) made FTS5 walk the matches up to
	// each row again (a common word over 100,000 requests: 600 ms instead of 15, measured in workerd).
	const highlightSql = `SELECT rowid AS id, highlight(search_fts, 0, char(2), char(3)) AS title, ${snippetOf(1)} AS body, ${snippetOf(2)} AS internal, ${snippetOf(3)} AS people
		FROM search_fts WHERE search_fts MATCH ? AND rowid IN `;
	const highlights = (rows: RankedRow[]): Map<number, Highlights> =>
		rows.length === 0 ? new Map() : new Map(run<Highlights>(`${highlightSql}(${rows.map(() => "?").join(", ")})`, match, ...rows.map((r) => r.id)).map((h) => [h.id, h] as const));

	if (who.kinds.includes("requests")) {
		const own = who.staff
			? ranked(`SELECT ${columns} FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.kind = 'request' ORDER BY rank LIMIT ?`, match, limit)
			: ranked(
					`SELECT ${columns} FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid
					 WHERE search_fts MATCH ? AND d.kind = 'request' AND (d.requested_by_id = ? OR d.requested_for_id = ?) ORDER BY rank LIMIT ?`,
					match,
					who.personId,
					who.personId,
					limit,
				);
		let inboxHits: RankedRow[] = [];
		if (who.staff && (who.overseer || who.teamIds.length > 0)) {
			const teams = who.teamIds.slice(0, 90);
			const teamFilter = who.overseer ? "" : `AND d.team_id IN (${teams.map(() => "?").join(", ")})`;
			inboxHits = ranked(
				`SELECT ${columns} FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid
				 WHERE search_fts MATCH ? AND d.kind = 'inbox' ${teamFilter} ORDER BY rank LIMIT ?`,
				match,
				...(who.overseer ? [] : teams),
				limit,
			);
		}
		const best = [...own, ...inboxHits].sort((a, b) => a.rank - b.rank).slice(0, limit);
		const marks = highlights(best);
		out.requests = best.map((row) => toHit("requests", row.ref, marks.get(row.id), `/${self}/requests/${row.ref}`, who.staff));
	}
	for (const [kind, docKind, page] of [
		["teams", "team", "teams"],
		["services", "service", "services"],
	] as const) {
		if (!who.kinds.includes(kind)) continue;
		const rows = ranked(`SELECT ${columns} FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.kind = ? ORDER BY rank LIMIT ?`, match, docKind, limit);
		const marks = highlights(rows);
		out[kind] = rows.map((row) => toHit(kind, row.ref, marks.get(row.id), `/${self}/${page}`, who.staff));
	}
	return out;
}

// A person's saved filters in this account. Every function takes the person whose they are (the
// Worker passes the signed-in person, never an id from the request), and touches only their rows:
// another person's filter is "not found", like one that does not exist.
import { and, asc, count, eq } from "drizzle-orm";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import { MAX_SAVED_FILTERS, normalizeFilterQuery, type CreateSavedFilter, type SavedFilter, type SavedFilterView, type UpdateSavedFilter } from "../shared/saved-filter-api";
import type { AccountDb } from "./db";
import { savedFilters } from "./schema";

type Row = typeof savedFilters.$inferSelect;

function view(r: Row): SavedFilter {
	return { id: r.id, name: r.name, view: r.view, query: r.query, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

export function listSavedFilters(db: AccountDb, personId: string, which?: SavedFilterView): SavedFilter[] {
	return db
		.select()
		.from(savedFilters)
		.where(and(eq(savedFilters.personId, personId), which ? eq(savedFilters.view, which) : undefined))
		.orderBy(asc(savedFilters.view), asc(savedFilters.name))
		.all()
		.map(view);
}

function nameTaken(db: AccountDb, personId: string, which: SavedFilterView, name: string, except?: string): boolean {
	const row = db
		.select({ id: savedFilters.id })
		.from(savedFilters)
		.where(and(eq(savedFilters.personId, personId), eq(savedFilters.view, which), eq(savedFilters.name, name)))
		.get();
	return row !== undefined && row.id !== except;
}

const taken = (name: string) => fail<SavedFilter>("conflict", `You already have a filter named "${name}" here.`, [{ path: "name", message: "Taken." }]);

export function createSavedFilter(db: AccountDb, personId: string, input: CreateSavedFilter, now: number): Result<SavedFilter> {
	const query = normalizeFilterQuery(input.view, input.query);
	if (!query.ok) return fail("invalid_input", query.message, [{ path: "query", message: query.message }]);
	if (nameTaken(db, personId, input.view, input.name)) return taken(input.name);
	const n = db.select({ n: count() }).from(savedFilters).where(eq(savedFilters.personId, personId)).get()?.n ?? 0;
	if (n >= MAX_SAVED_FILTERS) return fail("conflict", `You have ${MAX_SAVED_FILTERS} saved filters; delete one first.`);
	const row: Row = { id: newId("sf"), personId, view: input.view, name: input.name, query: query.query, createdAt: new Date(now), updatedAt: new Date(now) };
	db.insert(savedFilters).values(row).run();
	return ok(view(row));
}

function own(db: AccountDb, personId: string, id: string): Row | undefined {
	return db.select().from(savedFilters).where(and(eq(savedFilters.id, id), eq(savedFilters.personId, personId))).get();
}

export function updateSavedFilter(db: AccountDb, personId: string, id: string, input: UpdateSavedFilter, now: number): Result<SavedFilter> {
	const row = own(db, personId, id);
	if (!row) return fail("not_found", "No such saved filter.");
	let query = row.query;
	if (input.query !== undefined) {
		const q = normalizeFilterQuery(row.view, input.query);
		if (!q.ok) return fail("invalid_input", q.message, [{ path: "query", message: q.message }]);
		query = q.query;
	}
	const name = input.name ?? row.name;
	if (nameTaken(db, personId, row.view, name, id)) return taken(name);
	const next: Row = { ...row, name, query, updatedAt: new Date(now) };
	db.update(savedFilters).set({ name, query, updatedAt: next.updatedAt }).where(eq(savedFilters.id, id)).run();
	return ok(view(next));
}

export function deleteSavedFilter(db: AccountDb, personId: string, id: string): Result<null> {
	const row = own(db, personId, id);
	if (!row) return fail("not_found", "No such saved filter.");
	db.delete(savedFilters).where(eq(savedFilters.id, id)).run();
	return ok(null);
}

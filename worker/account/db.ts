import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import * as schema from "./schema";

/** `$client`: the account's storage, the same object for every handle on it (drizzle sets it). */
export type AccountDb = DrizzleSqliteDODatabase<typeof schema> & { $client: DurableObjectStorage };

export function accountDb(storage: DurableObjectStorage): AccountDb {
	return drizzle(storage, { schema });
}

/**
 * Runs `fn` in one transaction of the object's SQLite storage (a call inside another nests in it),
 * with `fn`'s result or throw. Drizzle's `db.transaction` does the same, and first builds a
 * transaction handle with a relational query builder for every table of the schema, on every call:
 * a measurable share of a create (issue 12), for a handle no caller here uses.
 */
export function transaction<T>(db: AccountDb, fn: () => T): T {
	return db.$client.transactionSync(fn);
}

/**
 * Statements of the request hot path, built once per database handle and reused: drizzle's query
 * builder costs far more of the thread than SQLite's run of a small statement (issue 12's profile:
 * about a third of a create was the builder). `build` makes drizzle prepared queries with
 * `sql.placeholder(...)` for the values; each module keeps its own set:
 *
 *     const q = statements((db) => ({ byId: db.select().from(t).where(eq(t.id, sql.placeholder("id"))).prepare() }));
 *     q(db).byId.get({ id });
 *
 * Mind how drizzle fills placeholders: in `.values(...)` the column's own mapping applies (pass a
 * Date for a timestamp column), in a `where` the value goes to SQLite as given (pass epoch ms).
 */
export function statements<T>(build: (db: AccountDb) => T): (db: AccountDb) => T {
	const built = new WeakMap<AccountDb, T>();
	return (db) => {
		let set = built.get(db);
		if (set === undefined) {
			set = build(db);
			built.set(db, set);
		}
		return set;
	};
}

/**
 * A placeholder per column for a prepared insert's `.values(...)`, named as the columns, so the
 * insert runs with the row object itself as its parameters: `q.insert.run(row)`. Each value goes
 * through its column's mapping, which for a timestamp or JSON column does not expect null: give a
 * nullable one of those as `stored(name)` instead, with the value as SQLite stores it.
 */
export function placeholders<K extends string>(...names: K[]): Record<K, Placeholder<K>> {
	return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<K, Placeholder<K>>;
}

/**
 * A placeholder whose value goes to SQLite as given (epoch ms for a timestamp, 0/1, JSON text):
 * drizzle maps a placeholder through its column only in `.values(...)`, takes one in `.set(...)`
 * only inside sql``, and its column mappings fail on null.
 */
export function stored(name: string): SQL {
	return sql`${sql.placeholder(name)}`;
}

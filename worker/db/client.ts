import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Directory = ReturnType<typeof makeDirectory>;

const makeDirectory = (db: D1Database) => drizzle(db, { schema });

/**
 * One drizzle handle per D1 binding: building one reads the whole schema's relations, which cost
 * about a millisecond of the thread on every call when each lookup made its own (issue 12's profile).
 */
const handles = new WeakMap<D1Database, Directory>();

/** The global directory (D1) through drizzle. */
export function directory(db: D1Database): Directory {
	let handle = handles.get(db);
	if (!handle) {
		handle = makeDirectory(db);
		handles.set(db, handle);
	}
	return handle;
}

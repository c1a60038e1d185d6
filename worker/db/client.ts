import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Directory = ReturnType<typeof directory>;

/** The global directory (D1) through drizzle. */
export function directory(db: D1Database) {
	return drizzle(db, { schema });
}

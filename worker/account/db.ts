import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import * as schema from "./schema";

export type AccountDb = DrizzleSqliteDODatabase<typeof schema>;

export function accountDb(storage: DurableObjectStorage): AccountDb {
	return drizzle(storage, { schema });
}

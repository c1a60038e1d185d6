import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import * as schema from "./schema";

/** `$client`: the account's storage, the same object for every handle on it (drizzle sets it). */
export type AccountDb = DrizzleSqliteDODatabase<typeof schema> & { $client: DurableObjectStorage };

export function accountDb(storage: DurableObjectStorage): AccountDb {
	return drizzle(storage, { schema });
}

import { defineConfig } from "drizzle-kit";

// Per-account SQLite schema of the AccountObject Durable Object.
export default defineConfig({
	dialect: "sqlite",
	driver: "durable-sqlite",
	schema: "./worker/account/schema.ts",
	out: "./migrations/account",
});

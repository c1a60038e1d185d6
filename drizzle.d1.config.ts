import { defineConfig } from "drizzle-kit";

// Global directory (D1): accounts, people, memberships, sessions, API tokens.
export default defineConfig({
	dialect: "sqlite",
	schema: "./worker/db/schema.ts",
	out: "./migrations/d1",
});

// Contributor dev loop (`npm run dev`): one port, portal with hot reload, and the Worker, its
// Durable Objects and D1 running in workerd through the Cloudflare Vite plugin. Uses the same
// local state as `npm start` (.wrangler/state); run `npm run db:migrate:local` once first.
import path from "node:path";
import { cloudflare } from "@cloudflare/vite-plugin";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const root = import.meta.dirname;

export default defineConfig({
	root: path.join(root, "web"),
	plugins: [solid(), cloudflare({ configPath: path.join(root, "wrangler.toml"), persistState: { path: path.join(root, ".wrangler/state") } })],
	server: { port: Number(process.env.PORT ?? 5173), host: "127.0.0.1", strictPort: true },
});

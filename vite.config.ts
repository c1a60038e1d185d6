// Builds the portal (web/) into dist/client, which wrangler serves as static assets.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";
import { headersFile } from "./worker/http/security-headers.ts";

const root = import.meta.dirname;

/** Ships Swagger UI with the portal, so the API reference page works without a CDN. */
function swaggerUiAssets(): Plugin {
	return {
		name: "trustdesk:swagger-ui",
		apply: "build",
		closeBundle() {
			const from = path.join(root, "node_modules/swagger-ui-dist");
			const to = path.join(root, "dist/client/docs/swagger-ui");
			mkdirSync(to, { recursive: true });
			for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) cpSync(path.join(from, file), path.join(to, file));
		},
	};
}

/**
 * Writes dist/client/_headers: Workers static assets apply it to every asset response (the SPA's
 * HTML for any portal path, the hashed files), with the same security headers the Worker sets on
 * its own responses (worker/http/security-headers.ts).
 */
function securityHeadersFile(): Plugin {
	return {
		name: "trustdesk:security-headers",
		apply: "build",
		closeBundle() {
			writeFileSync(path.join(root, "dist/client/_headers"), headersFile());
		},
	};
}

export default defineConfig({
	root: path.join(root, "web"),
	plugins: [solid(), swaggerUiAssets(), securityHeadersFile()],
	build: {
		outDir: path.join(root, "dist/client"),
		emptyOutDir: true,
		target: "es2022",
	},
});

// A tiny webhook receiver: the demo's (`npm start` runs it and the seed subscribes widget-dc to
// it) and the worker tests' outbound target (test/worker/webhook-receiver.setup.mjs). It checks
// each delivery's Standard Webhooks signature with node:crypto — the same code as the README's
// snippet — prints it, and keeps the last deliveries per path for GET /received/<path>.
// A delivery to /<path>?status=<code> is answered with that status (the tests' failing receiver).
//
// Run alone: node scripts/webhook-receiver.mjs [port]   (WEBHOOK_SECRET=whsec_… to verify)
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const KEEP = 200;
const TOLERANCE_S = 5 * 60;

/**
 * Verifies a Standard Webhooks delivery: one of the space-separated `v1,<base64>` signatures must
 * be the HMAC-SHA256 of `${id}.${timestamp}.${body}` under the secret's key, and the timestamp
 * within five minutes of now (a replayed old delivery fails). Returns null when it verifies.
 * @param {string} secret @param {Record<string, string | string[] | undefined>} headers @param {string} body
 */
export function verifyDelivery(secret, headers, body, nowS = Math.floor(Date.now() / 1000)) {
	const id = String(headers["webhook-id"] ?? "");
	const timestamp = String(headers["webhook-timestamp"] ?? "");
	const signatures = String(headers["webhook-signature"] ?? "").split(" ");
	if (!id || !/^\d+$/.test(timestamp)) return "missing webhook-id or webhook-timestamp";
	if (Math.abs(nowS - Number(timestamp)) > TOLERANCE_S) return "timestamp too old or too new";
	const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
	const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
	for (const s of signatures) {
		const [version, sig] = s.split(",");
		if (version !== "v1" || !sig) continue;
		const given = Buffer.from(sig, "base64");
		if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
	}
	return "no signature matches";
}

/**
 * @param {{ port?: number, host?: string, quiet?: boolean, secrets?: string[] }} [options]
 * @returns {Promise<{ url: string, port: number, secrets: string[], close: () => Promise<void> }>}
 */
export async function startReceiver(options = {}) {
	/** @type {Map<string, { headers: Record<string, string>, body: string, at: number, verified: boolean | null }[]>} */
	const received = new Map();
	const secrets = options.secrets ?? (process.env.WEBHOOK_SECRET ? [process.env.WEBHOOK_SECRET] : []);
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? "/", "http://receiver");
		const chunks = /** @type {Buffer[]} */ ([]);
		req.on("data", (c) => chunks.push(c));
		req.on("end", () => {
			const path = url.pathname.replace(/^\/+/, "");
			if (req.method === "GET" && path.startsWith("received/")) {
				res.writeHead(200, { "content-type": "application/json" });
				res.end(JSON.stringify(received.get(path.slice("received/".length)) ?? []));
				return;
			}
			if (req.method !== "POST") {
				res.writeHead(405).end();
				return;
			}
			const body = Buffer.concat(chunks).toString("utf8");
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
			const verified = secrets.length === 0 ? null : secrets.some((s) => verifyDelivery(s, headers, body) === null);
			// Playing the demo app: a verified app.installed hands over the secret of the customer's
			// subscription for the app, so the customer's events that follow verify too.
			if (verified) {
				try {
					const delivery = JSON.parse(body);
					const handed = delivery?.type === "app.installed" ? delivery.data?.webhook?.secret : undefined;
					if (typeof handed === "string" && !secrets.includes(handed)) secrets.push(handed);
				} catch {}
			}
			const list = received.get(path) ?? [];
			list.push({ headers, body, at: Date.now(), verified });
			received.set(path, list.slice(-KEEP));
			if (!options.quiet) {
				let type = "?";
				try {
					type = JSON.parse(body).type;
				} catch {}
				const mark = verified === null ? "(no secret to check the signature)" : verified ? "signature ok" : "SIGNATURE BAD";
				console.log(`[webhook-receiver] ${new Date().toISOString()} /${path} ${type} ${headers["webhook-id"] ?? ""} ${mark}`);
			}
			const status = Number(url.searchParams.get("status") ?? 200);
			const size = Number(url.searchParams.get("size") ?? 0);
			res.writeHead(Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200, { "content-type": "text/plain; charset=utf-8" });
			res.end(size > 0 ? "x".repeat(Math.min(size, 100_000)) : `received by /${path}`);
		});
	});
	const host = options.host ?? "127.0.0.1";
	await new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port ?? 0, host, () => resolve(undefined));
	});
	const address = server.address();
	const port = typeof address === "object" && address ? address.port : 0;
	return {
		url: `http://${host}:${port}`,
		port,
		secrets,
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const port = Number(process.argv[2] ?? process.env.PORT ?? 8790);
	const r = await startReceiver({ port });
	console.log(`Webhook receiver on ${r.url} (deliveries are printed here)`);
}

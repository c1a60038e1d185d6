// Throw-away check of the bench's event_intake scenario in isolation (not committed).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startServer, UNHINDERED_RATE_LIMITS } from "./scripts/lib/server.mjs";

const stateDir = mkdtempSync(path.join(os.tmpdir(), "events-check-"));
const server = await startServer({ port: 8812, stateDir, seed: true, build: false, quiet: true, vars: UNHINDERED_RATE_LIMITS });
try {
	const base = `${server.url}/api/v1`;
	const signIn = async (email) => {
		const res = await fetch(`${base}/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password: (await import("./scripts/seed.mjs")).DEMO_PASSWORD }) });
		const body = await res.json();
		const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
		return { Cookie: cookie, "X-CSRF-Token": body.csrfToken, Accept: "application/json" };
	};
	const anna = await signIn("anna@acme.example");
	const tok = await (await fetch(`${base}/accounts/acme/api-tokens`, { method: "POST", headers: { ...anna, "Content-Type": "application/json" }, body: JSON.stringify({ name: "Mon", scopes: ["events:write"], expiresInDays: 1 }) })).json();
	const headers = { Authorization: `Bearer ${tok.secret}`, "Content-Type": "application/json" };
	const run = Date.now().toString(36);
	const N = Number(process.env.N ?? 400), C = Number(process.env.C ?? 8);
	let next = 0, errors = [];
	const statuses = {};
	const lat = {};
	for (let k = 0; k < 20; k++) { const t = performance.now(); await fetch(`${base}/accounts/acme`, { headers: { Authorization: `Bearer ${tok.secret}` } }); lat.read = (lat.read ?? 0) + performance.now() - t; }
	const started = performance.now();
	await Promise.all(Array.from({ length: C }, async () => {
		for (let i = next++; i < N; i = next++) {
			const t0 = performance.now();
			const res = await fetch(`${base}/accounts/acme/events`, { method: "POST", headers, body: JSON.stringify({ source: "bench", sourceId: `${run}-${i - (i % 4)}`, service: "Email", subject: `Check ${run} event`, impact: "medium", note: `n ${i}` }) });
			const text = await res.text();
			statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			lat[res.status] = (lat[res.status] ?? 0) + (performance.now() - t0);
			if (res.status >= 300 && errors.length < 5) errors.push(`${res.status} ${text.slice(0, 200)}`);
		}
	}));
	const secs = (performance.now() - started) / 1000;
	const alice = await signIn("alice@acme.example");
	const mine = await (await fetch(`${base}/accounts/acme/requests?perPage=1`, { headers: alice })).json();
	const rid = mine.items[0].id;
	for (let k = 0; k < 20; k++) { const t = performance.now(); const r = await fetch(`${base}/accounts/acme/requests/${rid}/actions`, { method: "POST", headers: { ...alice, "Content-Type": "application/json" }, body: JSON.stringify({ type: "note", body: `n${k}` }) }); await r.text(); lat.portalNote = (lat.portalNote ?? 0) + performance.now() - t; statuses.portalNote = 20; }
	const list = await (await fetch(`${base}/accounts/acme/requests?scope=account&perPage=1&text=${encodeURIComponent(`Check ${run} event`)}`, { headers: anna })).json();
	console.log(JSON.stringify({ lat: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, v / (statuses[k] ?? 20)])), perSecond: N / secs, statuses, errors, requestsOpened: list.total, keys: N / 4 }));
} finally {
	await server.stop?.();
	rmSync(stateDir, { recursive: true, force: true });
}

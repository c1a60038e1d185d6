// Webhooks end to end: endpoints through the API, deliveries to a real HTTP receiver (Node, the
// global setup) verified with the `standardwebhooks` reference library, rotation with two valid
// signatures, the retry schedule, 410 and repeated failures disabling an endpoint (with the
// administrators told), redelivery, sensitive payloads, read-only managed endpoints, scopes, and a
// request in two accounts firing each account's own webhooks with its own view.
import { runDurableObjectAlarm } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { accountDb } from "../../worker/account/db";
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointList, WebhookEndpointWithSecret } from "../../worker/shared/webhook-api";
import { DISABLE_AFTER_FAILURES, MAX_ATTEMPTS, RETRY_DELAYS_MS, queueDelivery, sendDueWebhooks } from "../../worker/webhooks/delivery";
import { createEndpoint, prepareSecret } from "../../worker/webhooks/endpoints";
import { secretKey, unseal } from "../../worker/webhooks/secrets";
import { policyOf } from "../../worker/webhooks/ssrf";
import { addMember, callError, callJson, createToken, signUp, unique, type AccountAdmin, type Caller } from "./helpers";
import { act, makeWorld, register, type World } from "./request-helpers";
import { actOnTrust, askTrust, inObject, setClock, settle, stubOf } from "./service-helpers";
import { freeze, testMonday, thaw, wall } from "./sla-helpers";

declare module "vitest" {
	export interface ProvidedContext {
		webhookReceiver: string;
	}
}

const RECEIVER = inject("webhookReceiver");

interface Received {
	headers: Record<string, string>;
	body: string;
	at: number;
}

async function received(path: string): Promise<Received[]> {
	const res = await fetch(`${RECEIVER}/received/${path}`);
	return (await res.json()) as Received[];
}

const hooksPath = (accountId: string, rest = "") => `/accounts/${accountId}/webhooks${rest}`;

async function subscribe(admin: AccountAdmin, path: string, eventTypes: string[] = ["*"], query = ""): Promise<WebhookEndpointWithSecret & { path: string }> {
	const created = await callJson<WebhookEndpointWithSecret>(hooksPath(admin.accountId), 201, {
		as: admin,
		body: { url: `${RECEIVER}/${path}${query}`, description: `Receiver ${path}`, eventTypes },
	});
	return { ...created, path };
}

async function sendTest(admin: AccountAdmin, endpointId: string): Promise<WebhookDelivery> {
	return callJson<WebhookDelivery>(hooksPath(admin.accountId, `/${endpointId}/test`), 202, { as: admin, method: "POST" });
}

async function log(admin: AccountAdmin, endpointId: string): Promise<WebhookDelivery[]> {
	return (await callJson<WebhookDeliveryPage>(hooksPath(admin.accountId, `/${endpointId}/deliveries`), 200, { as: admin })).items;
}

async function endpointOf(admin: AccountAdmin, endpointId: string): Promise<WebhookEndpoint> {
	return callJson<WebhookEndpoint>(hooksPath(admin.accountId, `/${endpointId}`), 200, { as: admin });
}

/** Runs the account's due deliveries now (the alarm does the same). */
const flush = (accountId: string) => stubOf(accountId).sendWebhooksNow();

/** The library's verdict: the parsed payload, or it throws. */
function verify(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
	return new Webhook(secret).verify(r.body, r.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
}

describe("a webhook endpoint", () => {
	let admin: AccountAdmin;
	beforeAll(async () => {
		admin = await signUp();
	});

	it("is created with a secret shown once, stored only sealed, and listed without it", async () => {
		const hook = await subscribe(admin, unique("created"), ["request.*", "sla.breached"]);
		expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		expect(hook.endpoint).toMatchObject({ enabled: true, eventTypes: ["request.*", "sla.breached"], managedBy: null, secretRotation: null, consecutiveFailures: 0 });
		const list = await callJson<WebhookEndpointList>(hooksPath(admin.accountId), 200, { as: admin });
		expect(list.items.map((e) => e.id)).toContain(hook.endpoint.id);
		expect(JSON.stringify(list)).not.toContain(hook.secret!);
		const stored = await inObject(admin.accountId, (_i, state) => JSON.stringify(state.storage.sql.exec("SELECT * FROM webhook_endpoints").toArray()));
		expect(stored).toContain(hook.endpoint.id);
		expect(stored).not.toContain(hook.secret!.slice("whsec_".length));
	});

	it("delivers a test event the standardwebhooks library verifies, and logs code, latency and excerpt", async () => {
		const hook = await subscribe(admin, unique("test"), ["request.created"]);
		const queued = await sendTest(admin, hook.endpoint.id);
		expect(queued).toMatchObject({ eventType: "webhook.test", status: "queued", attempts: 0 });
		await flush(admin.accountId);
		const got = await received(hook.path);
		expect(got).toHaveLength(1);
		const payload = verify(hook.secret!, got[0]!);
		expect(payload).toMatchObject({ type: "webhook.test", data: { account: { id: admin.accountId }, endpoint: { id: hook.endpoint.id } } });
		expect(got[0]!.headers["webhook-id"]).toBe(queued.id);
		expect(got[0]!.headers["content-type"]).toBe("application/json");
		// Another secret does not verify it.
		expect(() => verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", got[0]!)).toThrow();
		const [delivery] = await log(admin, hook.endpoint.id);
		expect(delivery).toMatchObject({ id: queued.id, status: "succeeded", attempts: 1, nextAttemptAt: null });
		expect(delivery!.log).toEqual([expect.objectContaining({ responseCode: 200, bodyExcerpt: `received by /${hook.path}`, error: null })]);
		expect(delivery!.log[0]!.latencyMs).toBeGreaterThanOrEqual(0);
	});

	it("keeps the old secret valid for 24 hours after a rotation: both verify, each with the library", async () => {
		const hook = await subscribe(admin, unique("rotate"));
		const rotated = await callJson<WebhookEndpointWithSecret>(hooksPath(admin.accountId, `/${hook.endpoint.id}/rotate-secret`), 200, { as: admin, method: "POST" });
		expect(rotated.secret).not.toBe(hook.secret);
		const until = Date.parse(rotated.endpoint.secretRotation!.previousValidUntil);
		expect(until - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
		expect(until - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
		await sendTest(admin, hook.endpoint.id);
		await flush(admin.accountId);
		const [got] = await received(hook.path);
		expect(got!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
		expect(verify(rotated.secret!, got!).type).toBe("webhook.test");
		expect(verify(hook.secret!, got!).type).toBe("webhook.test");
		// After the overlap only the new secret signs.
		await setClock(admin.accountId, 24 * 3_600_000 + 60_000);
		try {
			await sendTest(admin, hook.endpoint.id);
			await flush(admin.accountId);
		} finally {
			await setClock(admin.accountId, 0);
		}
		const later = (await received(hook.path))[1]!;
		expect(later.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
		// (Signed a day ahead, so the library's 5-minute timestamp check would refuse it: check the signature itself.)
		const wh = new Webhook(rotated.secret!);
		const expected = wh.sign(later.headers["webhook-id"]!, new Date(Number(later.headers["webhook-timestamp"]) * 1000), later.body);
		expect(later.headers["webhook-signature"]).toBe(expected);
	});

	it("retries on the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then fails", async () => {
		const hook = await subscribe(admin, unique("retry"), ["*"], "?status=503");
		await inObject(admin.accountId, (instance) => {
			instance.hooks.webhookJitter = () => 0.5; // no jitter: the schedule exactly
		});
		const queued = await sendTest(admin, hook.endpoint.id);
		let offset = 0;
		try {
			await flush(admin.accountId);
			for (const delay of RETRY_DELAYS_MS) {
				const [d] = await log(admin, hook.endpoint.id);
				expect(d!.status).toBe("queued");
				const last = d!.log.at(-1)!;
				expect(Date.parse(d!.nextAttemptAt!) - Date.parse(last.at)).toBe(delay);
				expect(last).toMatchObject({ responseCode: 503, error: "HTTP 503" });
				// A moment before the retry is due: nothing goes out.
				offset += delay - 1_000;
				await setClock(admin.accountId, offset);
				expect((await flush(admin.accountId)).retrying + (await flush(admin.accountId)).failed).toBe(0);
				offset += 1_000;
				await setClock(admin.accountId, offset);
				await flush(admin.accountId);
			}
		} finally {
			await setClock(admin.accountId, 0);
			await inObject(admin.accountId, (instance) => {
				instance.hooks.webhookJitter = null;
			});
		}
		const [d] = await log(admin, hook.endpoint.id);
		expect(d).toMatchObject({ id: queued.id, status: "failed", attempts: MAX_ATTEMPTS, nextAttemptAt: null });
		expect(d!.log).toHaveLength(MAX_ATTEMPTS);
		expect(await received(hook.path)).toHaveLength(MAX_ATTEMPTS);
		// Same message id on every attempt: the receiver can de-duplicate.
		expect(new Set((await received(hook.path)).map((r) => r.headers["webhook-id"]))).toEqual(new Set([queued.id]));
		// 8 failures are below the disabling threshold.
		expect((await endpointOf(admin, hook.endpoint.id)).enabled).toBe(true);
	});

	it("puts ±10 % jitter on each retry", async () => {
		const hook = await subscribe(admin, unique("jitter"), ["*"], "?status=500");
		await sendTest(admin, hook.endpoint.id);
		await flush(admin.accountId);
		const [d] = await log(admin, hook.endpoint.id);
		const wait = Date.parse(d!.nextAttemptAt!) - Date.parse(d!.log[0]!.at);
		expect(wait).toBeGreaterThanOrEqual(4_500);
		expect(wait).toBeLessThanOrEqual(5_500);
	});

	it("is disabled at once by a 410 Gone", async () => {
		const hook = await subscribe(admin, unique("gone"), ["*"], "?status=410");
		await sendTest(admin, hook.endpoint.id);
		await flush(admin.accountId);
		const endpoint = await endpointOf(admin, hook.endpoint.id);
		expect(endpoint).toMatchObject({ enabled: false, disabledReason: "The receiver answered 410 Gone." });
		const [d] = await log(admin, hook.endpoint.id);
		expect(d).toMatchObject({ status: "failed", attempts: 1 });
		// Disabled: a test event is refused, nothing more is sent.
		await callError(hooksPath(admin.accountId, `/${hook.endpoint.id}/test`), 409, "conflict", { as: admin, method: "POST" });
		// Enabled again by an administrator: deliveries resume.
		await callJson(hooksPath(admin.accountId, `/${hook.endpoint.id}`), 200, { as: admin, method: "PATCH", body: { enabled: true, url: `${RECEIVER}/${hook.path}` } });
		await sendTest(admin, hook.endpoint.id);
		await flush(admin.accountId);
		expect((await log(admin, hook.endpoint.id))[0]).toMatchObject({ status: "succeeded" });
	});

	it(`is disabled after ${DISABLE_AFTER_FAILURES} failed attempts in a row, and the administrators are told`, async () => {
		const owner = await signUp();
		const otherAdmin = await addMember(owner, owner.accountId, ["account_administrator"], "Odile Admin");
		const hook = await subscribe(owner, unique("failing"), ["*"], "?status=500");
		// Queued together (each API call would be tried at once and the endpoint disabled midway).
		await inObject(owner.accountId, (_i, state) => {
			const db = accountDb(state.storage);
			for (let i = 0; i < DISABLE_AFTER_FAILURES + 2; i++) {
				if (!queueDelivery(db, hook.endpoint.id, { type: "webhook.test", data: { n: i } }, Date.now()).ok) throw new Error("not queued");
			}
		});
		await flush(owner.accountId);
		await flush(owner.accountId);
		const endpoint = await endpointOf(owner, hook.endpoint.id);
		expect(endpoint).toMatchObject({ enabled: false, disabledReason: `${DISABLE_AFTER_FAILURES} deliveries in a row failed.` });
		const deliveries = await log(owner, hook.endpoint.id);
		expect(deliveries.every((d) => d.status === "failed")).toBe(true);
		// Up to 6 attempts run at once: the ones under way when it was disabled finish.
		const attempts = (await received(hook.path)).length;
		expect(attempts).toBeGreaterThanOrEqual(DISABLE_AFTER_FAILURES);
		expect(attempts).toBeLessThanOrEqual(DISABLE_AFTER_FAILURES + 2);
		expect(deliveries.filter((d) => d.log.at(-1)?.error?.startsWith("The endpoint was disabled")).length).toBeGreaterThanOrEqual(DISABLE_AFTER_FAILURES + 2 - attempts);
		for (const who of [owner, otherAdmin]) {
			const list = await callJson<{ items: { kind: string; title: string; body: string | null; link: string }[] }>(`/accounts/${owner.accountId}/notifications`, 200, { as: who });
			expect(list.items.filter((n) => n.kind === "webhook_disabled")).toEqual([
				expect.objectContaining({ title: `A webhook endpoint was disabled: ${RECEIVER}/${hook.path}?status=500`, link: `/${owner.accountId}/webhooks` }),
			]);
		}
	});

	it("redelivers a delivery with the same message id", async () => {
		const hook = await subscribe(admin, unique("again"));
		const queued = await sendTest(admin, hook.endpoint.id);
		await flush(admin.accountId);
		const again = await callJson<WebhookDelivery>(hooksPath(admin.accountId, `/${hook.endpoint.id}/deliveries/${queued.id}/redeliver`), 202, { as: admin, method: "POST" });
		expect(again).toMatchObject({ id: queued.id, status: "queued", attempts: 0 });
		await flush(admin.accountId);
		const got = await received(hook.path);
		expect(got.map((r) => r.headers["webhook-id"])).toEqual([queued.id, queued.id]);
		expect(got[0]!.body).toBe(got[1]!.body);
		verify(hook.secret!, got[1]!);
		const [d] = await log(admin, hook.endpoint.id);
		expect(d).toMatchObject({ status: "succeeded", attempts: 1 });
		expect(d!.log).toHaveLength(2);
		// Another endpoint's delivery id is not found through this one.
		const other = await subscribe(admin, unique("other"));
		await callError(hooksPath(admin.accountId, `/${other.endpoint.id}/deliveries/${queued.id}/redeliver`), 404, "not_found", { as: admin, method: "POST" });
	});

	it("logs a failed attempt, and runs on, when a secret no longer opens (WEBHOOK_SECRETS_KEY changed)", async () => {
		const broken = await subscribe(admin, unique("unreadable"));
		const fine = await subscribe(admin, unique("readable"));
		await inObject(admin.accountId, (_i, state) => {
			state.storage.sql.exec(`UPDATE webhook_endpoints SET secrets = ? WHERE id = ?`, JSON.stringify([{ sealed: btoa("sealed under another key"), createdAt: 0, expiresAt: null }]), broken.endpoint.id);
		});
		await inObject(admin.accountId, (_i, state) => {
			const db = accountDb(state.storage);
			for (const id of [broken.endpoint.id, fine.endpoint.id]) queueDelivery(db, id, { type: "webhook.test", data: {} }, Date.now());
		});
		await flush(admin.accountId);
		const [d] = await log(admin, broken.endpoint.id);
		expect(d).toMatchObject({ status: "queued", attempts: 1 });
		expect(d!.log[0]!.error).toMatch(/cannot be read/);
		expect(await received(broken.path)).toEqual([]);
		expect((await log(admin, fine.endpoint.id))[0]).toMatchObject({ status: "succeeded" });
		// Rotating gives it a secret that opens again.
		await callJson(hooksPath(admin.accountId, `/${broken.endpoint.id}/rotate-secret`), 200, { as: admin, method: "POST" });
		await callJson(hooksPath(admin.accountId, `/${broken.endpoint.id}/deliveries/${d!.id}/redeliver`), 202, { as: admin, method: "POST" });
		await flush(admin.accountId);
		expect((await log(admin, broken.endpoint.id))[0]).toMatchObject({ status: "succeeded" });
	});

	it("cuts the logged answer at 1 KB", async () => {
		const hook = await subscribe(admin, unique("big"), ["*"], "?size=5000");
		await sendTest(admin, hook.endpoint.id);
		await flush(admin.accountId);
		const [d] = await log(admin, hook.endpoint.id);
		expect(d!.log[0]!.bodyExcerpt).toHaveLength(1024);
	});

	it("refuses bad input with 400 and the reason, writing nothing", async () => {
		const before = (await callJson<WebhookEndpointList>(hooksPath(admin.accountId), 200, { as: admin })).items.length;
		const cases: [unknown, RegExp][] = [
			[{ url: "ftp://hooks.example.com/x", eventTypes: ["*"] }, /only to https/],
			[{ url: "https://user:secret@hooks.example.com/x", eventTypes: ["*"] }, /user name or password/],
			[{ url: "not a url", eventTypes: ["*"] }, /not a URL/],
			[{ url: "https://hooks.example.com/x", eventTypes: ["request.exploded"] }, /event type/i],
			[{ url: "https://hooks.example.com/x", eventTypes: ["nothing.*"] }, /event type/i],
			[{ url: "https://hooks.example.com/x", eventTypes: [] }, /./],
			[{ url: "https://hooks.example.com/x", eventTypes: ["*"], secret: "mine" }, /./],
		];
		for (const [body, reason] of cases) {
			const err = await callError(hooksPath(admin.accountId), 400, "invalid_input", { as: admin, body });
			expect(JSON.stringify(err.error), JSON.stringify(body)).toMatch(reason);
		}
		const hook = await subscribe(admin, unique("patch"));
		await callError(hooksPath(admin.accountId, `/${hook.endpoint.id}`), 400, "invalid_input", { as: admin, method: "PATCH", body: { url: "https://a:b@hooks.example.com" } });
		expect((await callJson<WebhookEndpointList>(hooksPath(admin.accountId), 200, { as: admin })).items.length).toBe(before + 1);
		await callError(hooksPath(admin.accountId, "/whep_nope"), 404, "not_found", { as: admin });
	});

	it("deletes an endpoint with its log", async () => {
		const hook = await subscribe(admin, unique("delete"));
		await sendTest(admin, hook.endpoint.id);
		await callJson(hooksPath(admin.accountId, `/${hook.endpoint.id}`), 204, { as: admin, method: "DELETE" });
		await callError(hooksPath(admin.accountId, `/${hook.endpoint.id}/deliveries`), 404, "not_found", { as: admin });
		const rows = await inObject(admin.accountId, (_i, state) => state.storage.sql.exec("SELECT id FROM webhook_deliveries WHERE endpoint_id = ?", hook.endpoint.id).toArray());
		expect(rows).toEqual([]);
		expect((await flush(admin.accountId)).succeeded).toBe(0);
	});
});

describe("endpoints another module manages, and sensitive payloads", () => {
	it("are read-only here; a sensitive payload is never shown, dropped once delivered, and cannot be redelivered", async () => {
		const admin = await signUp();
		const path = unique("managed");
		const { id, secret } = await inObject(admin.accountId, async (_i, state) => {
			const db = accountDb(state.storage);
			const prepared = await prepareSecret(await secretKey("test key for sealing webhook secrets"));
			const created = createEndpoint(db, { url: `${RECEIVER}/${path}`, eventTypes: ["app.*"], managedBy: { kind: "app_installation", id: "inst_1" } }, prepared, policyOf({ WEBHOOKS_ALLOW_PRIVATE: "1" }), Date.now());
			if (!created.ok) throw new Error(created.error.message);
			const queued = queueDelivery(db, created.value.id, { type: "app.installed", data: { token: "td_secret_token_value" } }, Date.now(), { sensitive: true });
			if (!queued.ok) throw new Error(queued.error.message);
			return created.value;
		});
		const endpoint = await endpointOf(admin, id);
		expect(endpoint.managedBy).toEqual({ kind: "app_installation", id: "inst_1" });
		await callError(hooksPath(admin.accountId, `/${id}`), 409, "conflict", { as: admin, method: "PATCH", body: { description: "mine now" } });
		await callError(hooksPath(admin.accountId, `/${id}`), 409, "conflict", { as: admin, method: "DELETE" });
		await callError(hooksPath(admin.accountId, `/${id}/rotate-secret`), 409, "conflict", { as: admin, method: "POST" });
		const [queued] = await log(admin, id);
		expect(queued).toMatchObject({ sensitive: true, payload: null, status: "queued" });
		await flush(admin.accountId);
		const [got] = await received(path);
		expect(verify(secret, got!)).toMatchObject({ type: "app.installed", data: { token: "td_secret_token_value" } });
		const stored = await inObject(admin.accountId, (_i, state) => JSON.stringify(state.storage.sql.exec("SELECT * FROM webhook_deliveries").toArray()));
		expect(stored).not.toContain("td_secret_token_value");
		await callError(hooksPath(admin.accountId, `/${id}/deliveries/${queued!.id}/redeliver`), 409, "conflict", { as: admin, method: "POST" });
	});
});

describe("private targets in production (WEBHOOKS_ALLOW_PRIVATE unset)", () => {
	const PRODUCTION = policyOf({ WEBHOOKS_ALLOW_PRIVATE: "" });

	it("refuses to save one, with the reason, and writes nothing", async () => {
		const admin = await signUp();
		const refused = await inObject(admin.accountId, async (_i, state) => {
			const db = accountDb(state.storage);
			const prepared = await prepareSecret(await secretKey("test key for sealing webhook secrets"));
			const results = ["http://hooks.example.com/x", "https://127.0.0.1/x", "https://169.254.169.254/latest", "https://localhost:8443/x", "https://[::1]/x"].map((url) =>
				createEndpoint(db, { url, eventTypes: ["*"] }, prepared, PRODUCTION, Date.now()),
			);
			return { results, rows: state.storage.sql.exec("SELECT count(*) AS n FROM webhook_endpoints").one().n };
		});
		expect(refused.rows).toBe(0);
		for (const r of refused.results) {
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.error).toMatchObject({ code: "invalid_input", details: [{ path: "url", message: expect.stringMatching(/https|address|machine/) }] });
		}
	});

	it("refuses to send to one saved while private targets were allowed, and logs why", async () => {
		const admin = await signUp();
		const hook = await subscribe(admin, unique("tightened"));
		await inObject(admin.accountId, async (_i, state) => {
			const db = accountDb(state.storage);
			if (!queueDelivery(db, hook.endpoint.id, { type: "webhook.test", data: {} }, Date.now()).ok) throw new Error("not queued");
			const key = await secretKey("test key for sealing webhook secrets");
			await sendDueWebhooks(
				db,
				{
					self: admin.accountId,
					policy: PRODUCTION,
					secretsOf: (id, sealed) => Promise.all(sealed.map((x) => unseal(key, id, x))),
					fetch: (url, init) => fetch(url, init),
					administrators: async () => [],
				},
				() => Date.now(),
			);
		});
		expect(await received(hook.path)).toEqual([]);
		const [d] = await log(admin, hook.endpoint.id);
		expect(d!.log[0]).toMatchObject({ responseCode: null, error: "Webhooks are sent only to https URLs." });
	});
});

describe("who may manage webhooks", () => {
	it("administrators, and tokens with webhooks:read / webhooks:write; not specialists", async () => {
		const admin = await signUp();
		const specialist = await addMember(admin, admin.accountId, ["specialist", "service_level_manager"], "Sid Specialist");
		const reader = await createToken(admin, admin.accountId, ["webhooks:read"]);
		const writer = await createToken(admin, admin.accountId, ["webhooks:read", "webhooks:write"]);
		const body = { url: `${RECEIVER}/${unique("scoped")}`, eventTypes: ["*"] };
		await callError(hooksPath(admin.accountId), 403, "forbidden", { as: specialist });
		await callError(hooksPath(admin.accountId), 403, "forbidden", { as: specialist, body });
		const asReader: Caller = { token: reader.secret };
		const asWriter: Caller = { token: writer.secret };
		await callError(hooksPath(admin.accountId), 403, "forbidden", { as: asReader, body });
		const created = await callJson<WebhookEndpointWithSecret>(hooksPath(admin.accountId), 201, { as: asWriter, body });
		const list = await callJson<WebhookEndpointList>(hooksPath(admin.accountId), 200, { as: asReader });
		expect(list.items.map((e) => e.id)).toEqual([created.endpoint.id]);
		await callError(hooksPath(admin.accountId, `/${created.endpoint.id}/test`), 403, "forbidden", { as: asReader, method: "POST" });
	});

	it("replays a create by Idempotency-Key without the secret", async () => {
		const admin = await signUp();
		const body = { url: `${RECEIVER}/${unique("idem")}`, eventTypes: ["*"] };
		const headers = { "Idempotency-Key": unique("key") };
		const first = await callJson<WebhookEndpointWithSecret>(hooksPath(admin.accountId), 201, { as: admin, body, headers });
		const again = await callJson<WebhookEndpointWithSecret>(hooksPath(admin.accountId), 201, { as: admin, body, headers });
		expect(first.secret).toMatch(/^whsec_/);
		expect(again).toEqual({ endpoint: first.endpoint, secret: null });
		const stored = await inObject(admin.accountId, (_i, state) => JSON.stringify(state.storage.sql.exec("SELECT * FROM idempotency_keys").toArray()));
		expect(stored).not.toContain(first.secret!);
	});
});

describe("a request in two accounts", () => {
	let w: World;
	let customerHook: WebhookEndpointWithSecret & { path: string };
	let providerHook: WebhookEndpointWithSecret & { path: string };
	beforeAll(async () => {
		w = await makeWorld();
		customerHook = await subscribe(w.customer, unique("customer"), ["request.*"]);
		providerHook = await subscribe(w.provider, unique("provider"), ["request.*", "trust.*"]);
	});

	const events = async (hook: { path: string; secret: string | null }) => (await received(hook.path)).map((r) => verify(hook.secret!, r));

	it("fires each account's own webhooks, each with its own view; internal notes stay with their account", async () => {
		const request = await register(w, w.sla, w.alice, { subject: "Printer on fire" });
		await settle(w.customer.accountId, w.provider.accountId);
		await Promise.all([flush(w.customer.accountId), flush(w.provider.accountId)]);
		const customerSide = await events(customerHook);
		const providerSide = await events(providerHook);
		expect(customerSide.map((e) => e.type)).toEqual(["request.created"]);
		expect(providerSide.map((e) => e.type)).toEqual(["request.created"]);
		expect(customerSide[0]!.data).toMatchObject({
			request: { id: request.id, number: request.number, owner: { id: w.customer.accountId }, subject: "Printer on fire", status: "assigned" },
			links: { request: `/api/v1/accounts/${w.customer.accountId}/requests/${request.id}` },
		});
		expect(providerSide[0]!.data).toMatchObject({
			request: { id: request.id, owner: { id: w.customer.accountId }, team: { accountId: w.provider.accountId, id: w.model.team.id } },
			links: { request: `/api/v1/accounts/${w.provider.accountId}/requests/${request.id}` },
		});

		// The provider's internal note: the provider's webhooks only.
		await act(w.provider.accountId, request.id, w.bob, { type: "note", body: "Customer seems careless", internal: true });
		await settle(w.customer.accountId, w.provider.accountId);
		await Promise.all([flush(w.customer.accountId), flush(w.provider.accountId)]);
		expect((await events(customerHook)).map((e) => e.type)).toEqual(["request.created"]);
		const internal = (await events(providerHook)).at(-1)!;
		expect(internal).toMatchObject({ type: "request.note_added", data: { note: { visibility: "internal", account: w.provider.accountId } } });
		// Thin payloads: the note's text is never in a webhook, the API has it.
		expect(JSON.stringify(await received(providerHook.path))).not.toContain("careless");

		// A shared note and a status change: both sides hear of both.
		await act(w.provider.accountId, request.id, w.bob, { type: "note", body: "Looking into it" });
		await act(w.provider.accountId, request.id, w.bob, { type: "set_status", status: "in_progress" });
		await settle(w.customer.accountId, w.provider.accountId);
		await Promise.all([flush(w.customer.accountId), flush(w.provider.accountId)]);
		const customerTypes = (await events(customerHook)).map((e) => e.type);
		const providerTypes = (await events(providerHook)).map((e) => e.type);
		expect(customerTypes).toEqual(["request.created", "request.note_added", "request.status_changed"]);
		expect(providerTypes.slice(-2)).toEqual(["request.note_added", "request.status_changed"]);
		const changed = (await events(customerHook)).at(-1)!;
		expect(changed.data).toMatchObject({ previousStatus: "assigned", request: { status: "in_progress" } });
	});

	it("sends only the subscribed types", async () => {
		const only = await subscribe(w.customer, unique("only-status"), ["request.status_changed"]);
		const request = await register(w, w.sla, w.alice, { subject: "Only status" });
		await act(w.provider.accountId, request.id, w.bob, { type: "note", body: "A note" });
		await act(w.provider.accountId, request.id, w.bob, { type: "set_status", status: "in_progress" });
		await settle(w.customer.accountId, w.provider.accountId);
		await flush(w.customer.accountId);
		expect((await events(only)).map((e) => e.type)).toEqual(["request.status_changed"]);
	});
});

/**
 * For deliveries signed at a frozen or shifted clock: the library's verify also checks the
 * timestamp against the real clock, so compare with the library's own signature instead.
 */
function verifySignature(secret: string, r: Received): { type: string; data: Record<string, unknown> } {
	const expected = new Webhook(secret).sign(r.headers["webhook-id"]!, new Date(Number(r.headers["webhook-timestamp"]) * 1000), r.body);
	expect(r.headers["webhook-signature"]!.split(" ")).toContain(expected);
	return JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
}

describe("trust and SLA events", () => {
	it("a trust asked for and accepted fires trust.requested and trust.accepted in each account", async () => {
		const [provider, customer] = await Promise.all([signUp(), signUp()]);
		const providerHook = await subscribe(provider, unique("trust-p"), ["trust.*"]);
		const customerHook = await subscribe(customer, unique("trust-c"), ["trust.accepted"]);
		await askTrust({ ...customer }, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		await actOnTrust({ ...provider }, customer.accountId, "accept");
		await settle(customer.accountId, provider.accountId);
		await Promise.all([flush(provider.accountId), flush(customer.accountId)]);
		const p = (await received(providerHook.path)).map((r) => verify(providerHook.secret!, r));
		const c = (await received(customerHook.path)).map((r) => verify(customerHook.secret!, r));
		expect(p.map((e) => e.type)).toEqual(["trust.requested", "trust.accepted"]);
		expect(p[0]!.data).toMatchObject({ trust: { accountId: customer.accountId, status: "pending" }, links: { trust: `/api/v1/accounts/${provider.accountId}/trusts/${customer.accountId}` } });
		expect(c.map((e) => e.type)).toEqual(["trust.accepted"]);
		expect(c[0]!.data).toMatchObject({ trust: { accountId: provider.accountId, status: "active" } });
	});

	it("the provider's alarm fires sla.warning and sla.breached to the provider's webhooks only", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		const providerHook = await subscribe(w.provider, unique("sla-p"), ["sla.*"]);
		const customerHook = await subscribe(w.customer, unique("sla-c"), ["sla.*"]);
		const monday = testMonday();
		try {
			await freeze([P, C], wall(monday, 0, "10:00"));
			const r = await register(w, w.sla, w.alice, { subject: "Urgent", impact: "high" });
			await freeze([P], wall(monday, 0, "11:05"));
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			await Promise.all([flush(P), flush(C)]);
			const events = (await received(providerHook.path)).map((x) => verifySignature(providerHook.secret!, x));
			expect(events.map((e) => e.type).sort()).toEqual(["sla.breached", "sla.warning"]);
			expect(events[0]!.data).toMatchObject({ request: { id: r.id, owner: { id: C } }, sla: { name: expect.any(String) }, links: { request: `/api/v1/accounts/${P}/requests/${r.id}` } });
			expect(await received(customerHook.path)).toEqual([]);
		} finally {
			await thaw([P, C]);
		}
	});
});

describe("the alarm", () => {
	it("retries a failed delivery when it is due, without anyone asking", async () => {
		const admin = await signUp();
		const path = unique("alarm");
		const hook = await subscribe(admin, path, ["*"], "?status=500");
		await sendTest(admin, hook.endpoint.id);
		// Tried right after the commit (flush waits for that run): it failed once and waits 5 s.
		await flush(admin.accountId);
		const [d] = await log(admin, hook.endpoint.id);
		expect(d).toMatchObject({ status: "queued", attempts: 1 });
		const alarm = await inObject(admin.accountId, (_i, state) => state.storage.getAlarm());
		expect(alarm).not.toBeNull();
		expect(Math.abs(alarm! - Date.parse(d!.nextAttemptAt!))).toBeLessThan(1_000);
		// The receiver is fixed; the retry comes from the alarm.
		await callJson(hooksPath(admin.accountId, `/${hook.endpoint.id}`), 200, { as: admin, method: "PATCH", body: { url: `${RECEIVER}/${path}` } });
		await setClock(admin.accountId, 6_000);
		try {
			expect(await runDurableObjectAlarm(stubOf(admin.accountId))).toBe(true);
		} finally {
			await setClock(admin.accountId, 0);
		}
		const [after] = await log(admin, hook.endpoint.id);
		expect(after).toMatchObject({ status: "succeeded", attempts: 2 });
		expect(after!.log.map((a) => a.responseCode)).toEqual([500, 200]);
	});
});

describe("isolation", () => {
	it("another account's administrator and token cannot see or touch an account's endpoints", async () => {
		const [a, b] = await Promise.all([signUp(), signUp()]);
		const hook = await subscribe(a, unique("mine"));
		const bToken = await createToken(b, b.accountId);
		for (const who of [b, { token: bToken.secret }] as Caller[]) {
			await callError(hooksPath(a.accountId), 404, "not_found", { as: who });
			await callError(hooksPath(a.accountId, `/${hook.endpoint.id}`), 404, "not_found", { as: who });
			// Through its own account id, the other account's endpoint does not exist.
			await callError(hooksPath(b.accountId, `/${hook.endpoint.id}`), 404, "not_found", { as: who });
			await callError(hooksPath(b.accountId, `/${hook.endpoint.id}/test`), 404, "not_found", { as: who, method: "POST" });
		}
	});
});

// The local demo's history tool (POST /accounts/{id}/demo/history): absent unless DEMO_TOOLS is
// "1"; where present, only the account's administrator may replay a history into it, bad input
// changes nothing, and the plan is the same for the same seed. Requests it replays are ordinary
// requests: the provider's SLA clocks follow them.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { planHistory } from "../../worker/account/demo-history";
import { createApp } from "../../worker/app";
import type { InboxPage } from "../../worker/shared/request-api";
import { WEEKDAYS } from "../../worker/shared/calendar";
import type { Calendar } from "../../worker/shared/service-api";
import { ORIGIN, call, callJson, type Caller, signUp, type AccountAdmin } from "./helpers";
import { makeWorld, type World } from "./request-helpers";
import { OFFICE_HOURS, TARGETS, settle } from "./service-helpers";

const { app } = createApp();

/** The app with the demo tools on, as `wrangler dev` runs it for `npm start`. */
async function callDemo(accountId: string, as: Caller, body: unknown): Promise<Response> {
	const headers = new Headers({ "Content-Type": "application/json" });
	if (as.cookie) headers.set("Cookie", as.cookie);
	if (as.csrf) headers.set("X-CSRF-Token", as.csrf);
	const ctx = createExecutionContext();
	const res = await app.fetch(
		new Request(`${ORIGIN}/api/v1/accounts/${accountId}/demo/history`, { method: "POST", headers, body: JSON.stringify(body) }),
		{ ...env, DEMO_TOOLS: "1" },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return res;
}

const allRequests = (w: World) => callJson<InboxPage>(`/accounts/${w.customer.accountId}/requests?scope=account&status=all&limit=200`, 200, { as: w.customer });

let w: World;
let stranger: AccountAdmin;
beforeAll(async () => {
	[w, stranger] = await Promise.all([makeWorld(), signUp()]);
});

describe("POST /accounts/{accountId}/demo/history", () => {
	it("does not exist where DEMO_TOOLS is not 1 (production), and replays nothing", async () => {
		const res = await call(`/accounts/${w.customer.accountId}/demo/history`, { as: w.customer, body: { months: 1 } });
		expect(res.status).toBe(404);
		expect((await allRequests(w)).total).toBe(0);
	});

	it("refuses bad input with 400 and replays nothing", async () => {
		for (const body of [{ months: 0 }, { months: 13 }, { seed: -1 }, { perMonth: 0 }, { months: "4" }, { extra: true }]) {
			const res = await callDemo(w.customer.accountId, w.customer, body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
		}
		expect((await allRequests(w)).total).toBe(0);
	});

	it("lets neither another account's administrator nor an end user replay into the account", async () => {
		expect((await callDemo(w.customer.accountId, stranger, { months: 1 })).status).toBe(404);
		expect((await callDemo(w.customer.accountId, w.alice, { months: 1 })).status).toBe(403);
		expect((await allRequests(w)).total).toBe(0);
	});

	it("replays a history into the account, and the provider's clocks follow it", async () => {
		const res = await callDemo(w.customer.accountId, w.customer, { months: 2, seed: 7, perMonth: 6 });
		expect(res.status).toBe(201);
		const replayed = (await res.json()) as { requests: number; steps: number; skipped: number };
		expect(replayed.requests).toBeGreaterThan(0);
		expect(replayed.skipped).toBe(0);
		await settle(w.customer.accountId, w.provider.accountId, w.customer.accountId);
		const page = await allRequests(w);
		expect(page.total).toBe(replayed.requests);
		// Every request is in the past, and the provider keeps a clock for each.
		for (const r of page.items) expect(Date.parse(r.createdAt)).toBeLessThan(Date.now());
		const first = page.items[0];
		if (!first) throw new Error("no request");
		const clocks = await callJson<{ items: { requestId: string }[] }>(`/accounts/${w.provider.accountId}/requests/${first.id}/slas`, 200, { as: w.bob });
		expect(clocks.items.map((c) => c.requestId)).toEqual([first.id]);
	});
});

describe("planHistory", () => {
	const options = {
		seed: 42,
		now: Date.parse("2026-11-28T12:00:00Z"),
		from: Date.parse("2026-08-01T00:00:00Z"),
		requesters: 3,
		perMonth: 10,
		entries: [{ serviceName: "Email", targets: TARGETS, calendar: { ...OFFICE_HOURS, hours: WEEKDAYS.slice(0, 5).map((weekday) => ({ weekday, from: "09:00", until: "17:00" })) } satisfies Calendar, specialists: 2 }],
	};

	it("plans the same history for the same seed, and another for another seed", () => {
		expect(planHistory(options)).toEqual(planHistory(options));
		expect(planHistory({ ...options, seed: 43 })).not.toEqual(planHistory(options));
	});

	it("plans only past steps, in time order, each request created before anything happens to it", () => {
		const plan = planHistory(options);
		expect(plan.requests.length).toBeGreaterThan(20);
		const times = plan.steps.map((s) => s.at);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(Math.max(...times)).toBeLessThan(options.now);
		const created = new Set<number>();
		for (const s of plan.steps) {
			if (s.kind === "create") created.add(s.request);
			else expect(created.has(s.request)).toBe(true);
		}
	});
});

// The local demo's history tool: POST /api/v1/accounts/{accountId}/demo/history replays a few
// months of generated requests of a customer account (worker/account/demo-history.ts), so that
// SLA reports have figures at first start. Only where DEMO_TOOLS is "1" (`npm start`, the tests and
// the benchmark set it for wrangler dev); everywhere else it does not exist. Not in the OpenAPI
// document: it is not part of the API.
import type { Handler } from "hono";
import { z } from "zod";
import { planHistory, type HistoryReplay } from "../account/demo-history";
import { accountNames } from "../db/accounts";
import { directory } from "../db/client";
import { listAccountPeople, namesOfAccountPeople } from "../db/people";
import type { AppEnv } from "../env";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";

const HistoryInput = z.strictObject({
	months: z.number().int().min(1).max(12).default(4),
	seed: z.number().int().min(0).max(2 ** 31).default(1),
	perMonth: z.number().int().min(1).max(200).default(12),
});

export const demoHistory: Handler<AppEnv> = async (c) => {
	if (c.env.DEMO_TOOLS !== "1") throw new AppError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`);
	const parsed = HistoryInput.safeParse(await c.req.json().catch(() => ({})));
	if (!parsed.success) throw new AppError("invalid_input", "Give months (1–12), seed and perMonth (1–200), or nothing.");
	const { months, seed, perMonth } = parsed.data;
	const account = c.get("account");
	const db = directory(c.env.DB);
	const requesters = (await listAccountPeople(db, account.id)).filter((p) => p.roles.includes("end_user")).map((p) => ({ id: p.id, name: p.name }));
	const first = requesters[0];
	if (!first) throw new AppError("conflict", "The account has no end users to register requests.");
	const stub = accountStub(c.env, account.id);
	const catalog = await stub.getCatalog(first.id);
	const providerNames = await accountNames(db, catalog.entries.map((e) => e.providerAccountId));
	const entries: HistoryReplay["entries"] = [];
	for (const e of catalog.entries) {
		const provider = accountStub(c.env, e.providerAccountId);
		const route = unwrap(await provider.routeFor(account.id, first.id, e.sla.id));
		const team = unwrap(await provider.getTeam(route.team.id));
		const names = await namesOfAccountPeople(db, e.providerAccountId, team.memberIds);
		entries.push({
			route: { ...route, providerAccountId: e.providerAccountId, providerName: providerNames.get(e.providerAccountId) ?? e.providerAccountId, team: { ...route.team, accountId: e.providerAccountId } },
			specialists: team.memberIds.flatMap((id) => {
				const name = names.get(id);
				return name ? [{ id, name }] : [];
			}),
		});
	}
	const now = Date.now();
	const start = new Date(now);
	const from = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - months, 1);
	const plan = planHistory({
		seed,
		now,
		from,
		perMonth,
		requesters: requesters.length,
		entries: catalog.entries.map((e, i) => ({ serviceName: e.service.name, targets: e.offering.targets, calendar: e.offering.supportHours, specialists: entries[i]?.specialists.length ?? 0 })),
	});
	return c.json(await stub.replayHistory({ plan, requesters, entries }), 201);
};

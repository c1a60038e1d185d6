// SLA reports: computed by the provider from its clocks, for all its customers or one; a customer
// opens the same report in its own account (the provider computes it under the trust, filtered to
// that customer whatever it asks), so the numbers are identical. Every figure drills down to its
// requests; the CSV holds the same figures; bad input, roles and other tenants are refused.
//
// The history (wall-clock times in Europe/Amsterdam, two months apart; TARGETS, OFFICE_HOURS):
//   a1 acme, Email, high: accepted in time, resolved in time (300 minutes)
//   a2 acme, Email, high: accepted late, resolved late (900 minutes): both targets breached
//   a3 acme, Email 2, medium: responded, waiting for the customer ever since (clock stopped)
//   g1 globex, Email (Service Desk), top: accepted in time, never resolved: breached by the alarm, open past target
//   — a month or two later —
//   g2 globex, Email (Service Desk), high: completed at once, in time (30 minutes)
//   a4 acme, Email, low: just registered, nothing due yet
import { runDurableObjectAlarm } from "cloudflare:test";
import type { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestSummary } from "../../worker/shared/request-api";
import { REPORT_DIMENSIONS, REPORT_METRICS, type ReportMetric, type SlaDrillPage, type SlaFigures, type SlaReport } from "../../worker/shared/sla-api";
import { type AccountAdmin, addMember, call, callError, callJson, type Caller, createTeam, createToken, type Member, signUp } from "./helpers";
import { act, activeSla, makeWorld, register, setTeam, type World } from "./request-helpers";
import { defineEmail, type EmailModel, onboard, settle, stubOf } from "./service-helpers";
import { freeze, testMonday, thaw, wall } from "./sla-helpers";

let w: World;
let globex: AccountAdmin;
let grace: Member;
let initech: AccountAdmin;
let auditor: Member;
let desk: { id: string; name: string };
let second: EmailModel;
let globexSla: { id: string; name: string };
let acme2Sla: { id: string; name: string };
let monday: DateTime;
let later: DateTime;
const r: Record<"a1" | "a2" | "a3" | "a4" | "g1" | "g2", RequestSummary> = {} as never;
let range: string;
let P: string;
let A: string;
let G: string;

const everyone = () => [P, A, G];

beforeAll(async () => {
	w = await makeWorld();
	[P, A] = [w.provider.accountId, w.customer.accountId];
	[globex, initech] = await Promise.all([signUp(), signUp()]);
	G = globex.accountId;
	grace = await addMember(globex, G, ["end_user"], "Grace Gill");
	auditor = await addMember(w.provider, P, ["auditor"], "Audrey Auditor");
	await onboard(w.provider, globex);
	// A team name a spreadsheet would take for a formula: the CSV must defuse it.
	desk = await createTeam(w.provider, P, { name: "=Service Desk", memberIds: [w.sam.id] });
	globexSla = await activeSla(w.provider, w.model, G, { teamId: desk.id });
	second = await defineEmail(w.provider, " 2");
	await setTeam(w.provider, second.team.id, [w.bob.id]);
	acme2Sla = await activeSla(w.provider, second, A);

	monday = testMonday();
	later = monday.plus({ weeks: 5 });
	const acme = { provider: w.provider, customer: w.customer };
	const glob = { provider: w.provider, customer: globex };
	const step = async <R>(day: DateTime, days: number, time: string, fn: () => Promise<R>): Promise<R> => {
		await freeze(everyone(), wall(day, days, time));
		const result = await fn();
		await settle(...everyone());
		return result;
	};
	r.a1 = await step(monday, 0, "10:00", () => register(acme, w.sla, w.alice, { impact: "high", subject: "a1" }));
	r.g1 = await step(monday, 0, "10:00", () => register(glob, globexSla, grace, { impact: "top", subject: "g1" }));
	await step(monday, 0, "10:10", () => act(P, r.g1.id, w.sam, { type: "accept" }));
	await step(monday, 0, "10:30", () => act(P, r.a1.id, w.bob, { type: "accept" }));
	r.a2 = await step(monday, 0, "11:00", () => register(acme, w.sla, w.alice, { impact: "high", subject: "a2" }));
	await step(monday, 0, "12:30", () => act(P, r.a2.id, w.bob, { type: "accept" }));
	await step(monday, 0, "15:00", () => act(P, r.a1.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
	r.a3 = await step(monday, 1, "10:00", () => register(acme, acme2Sla, w.alice, { impact: "medium", subject: "a3" }));
	await step(monday, 1, "10:30", () => act(P, r.a3.id, w.bob, { type: "set_status", status: "waiting_for_customer" }));
	await step(monday, 2, "10:00", () => act(P, r.a2.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
	r.g2 = await step(later, 0, "09:30", () => register(glob, globexSla, grace, { impact: "high", subject: "g2" }));
	r.a4 = await step(later, 0, "10:00", () => register(acme, w.sla, w.alice, { impact: "low", subject: "a4" }));
	await step(later, 0, "10:00", () => act(P, r.g2.id, w.sam, { type: "set_status", status: "completed", completionReason: "solved" }));
	// The provider's alarm, now: g1's resolution target (Monday 14:00) passed long ago.
	await step(later, 0, "12:00", () => runDurableObjectAlarm(stubOf(P)));
	// The clocks stay at that instant while the reports are read: "open past target" depends on it.
	range = `from=${monday.startOf("month").toISODate()}&until=${later.endOf("month").toISODate()}`;
}, 60_000);

afterAll(async () => {
	await thaw(everyone());
});

const reportPath = (accountId: string, query = "") => `/accounts/${accountId}/sla-reports?${range}${query}`;
const report = (accountId: string, as: Caller, query = "") => callJson<SlaReport>(reportPath(accountId, query), 200, { as });
const drill = (accountId: string, as: Caller, query: string) => callJson<SlaDrillPage>(`/accounts/${accountId}/sla-reports/requests?${range}${query}`, 200, { as });
/** A report without the instant it was made. */
const content = ({ generatedAt: _at, ...rest }: SlaReport) => rest;

function figures(f: Partial<SlaFigures>): SlaFigures {
	return {
		requests: 0,
		responseTargets: 0,
		respondedInTime: 0,
		responsePercent: null,
		resolutionTargets: 0,
		resolvedInTime: 0,
		resolutionPercent: null,
		resolved: 0,
		meanResolutionMinutes: null,
		medianResolutionMinutes: null,
		p90ResolutionMinutes: null,
		breached: 0,
		openPastTarget: 0,
		...f,
	};
}

const ACME = figures({
	requests: 4, // a1 a2 a3 a4
	responseTargets: 3, // a1 a2 a3 (a4's is still ahead)
	respondedInTime: 2,
	responsePercent: 66.7,
	resolutionTargets: 2, // a1 a2
	resolvedInTime: 1,
	resolutionPercent: 50,
	resolved: 2,
	meanResolutionMinutes: 600, // (300 + 900) / 2
	medianResolutionMinutes: 300,
	p90ResolutionMinutes: 900,
	breached: 1, // a2
});
const GLOBEX = figures({
	requests: 2,
	responseTargets: 2,
	respondedInTime: 2,
	responsePercent: 100,
	resolutionTargets: 2, // g1 missed (breached, still open), g2 in time
	resolvedInTime: 1,
	resolutionPercent: 50,
	resolved: 1,
	meanResolutionMinutes: 30,
	medianResolutionMinutes: 30,
	p90ResolutionMinutes: 30,
	breached: 1,
	openPastTarget: 1, // g1
});
const ALL = figures({
	requests: 6,
	responseTargets: 5,
	respondedInTime: 4,
	responsePercent: 80,
	resolutionTargets: 4,
	resolvedInTime: 2,
	resolutionPercent: 50,
	resolved: 3,
	meanResolutionMinutes: 410, // (300 + 900 + 30) / 3
	medianResolutionMinutes: 300,
	p90ResolutionMinutes: 900,
	breached: 2,
	openPastTarget: 1,
});

/** The figure a metric's drill-down must add up to. */
const FIGURE_OF: Record<ReportMetric, (f: SlaFigures) => number> = {
	requests: (f) => f.requests,
	responded_in_time: (f) => f.respondedInTime,
	response_missed: (f) => f.responseTargets - f.respondedInTime,
	resolved_in_time: (f) => f.resolvedInTime,
	resolution_missed: (f) => f.resolutionTargets - f.resolvedInTime,
	resolved: (f) => f.resolved,
	breached: (f) => f.breached,
	open_past_target: (f) => f.openPastTarget,
};

const rowsOf = (rep: SlaReport) => ({ service: rep.byService, customer: rep.byCustomer, sla: rep.bySla, team: rep.byTeam, month: rep.byMonth });

describe("the provider's report", () => {
	it("has the figures of the history, in total and per service, customer, SLA, team and month", async () => {
		const rep = await report(P, w.provider);
		expect(rep).toMatchObject({ provider: { id: P, name: `Account ${P}` }, customer: null, timeZone: "UTC", generatedAt: new Date(wall(later, 0, "12:00")).toISOString() });
		expect(rep.totals).toEqual(ALL);
		const pick = (rows: SlaReport["byService"]) => rows.map((row) => [row.key, row.label, row.figures.requests]);
		expect(pick(rep.byService)).toEqual([
			[w.model.service.id, w.model.service.name, 5],
			[second.service.id, second.service.name, 1],
		]);
		expect(rep.byCustomer).toEqual(
			[
				{ key: A, label: `Account ${A}`, figures: ACME },
				{ key: G, label: `Account ${G}`, figures: GLOBEX },
			].sort((a, b) => a.label.localeCompare(b.label)),
		);
		expect(pick(rep.bySla)).toEqual(
			[
				[w.sla.id, w.sla.name, 3],
				[globexSla.id, globexSla.name, 2],
				[acme2Sla.id, acme2Sla.name, 1],
			].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
		);
		expect(pick(rep.byTeam)).toEqual([
			[desk.id, "=Service Desk", 2],
			[w.model.team.id, "Email Support", 3],
			[second.team.id, "Email Support 2", 1],
		]);
		expect(rep.byTeam.find((row) => row.key === desk.id)?.figures).toEqual(GLOBEX);
		// Every month of the range, empty ones too, in order.
		const months: string[] = [];
		for (let m = monday.startOf("month"); m <= later; m = m.plus({ months: 1 })) months.push(m.toFormat("yyyy-MM"));
		expect(rep.byMonth.map((row) => row.key)).toEqual(months);
		const perMonth = Object.fromEntries(rep.byMonth.map((row) => [row.key, row.figures.requests]));
		expect(perMonth).toEqual(Object.fromEntries(months.map((m) => [m, m === monday.toFormat("yyyy-MM") ? 4 : m === later.toFormat("yyyy-MM") ? 2 : 0])));
		expect(rep.byMonth.find((row) => row.key === later.toFormat("yyyy-MM"))?.figures).toMatchObject({ requests: 2, resolved: 1, meanResolutionMinutes: 30 });
	});

	it("filters by customer, service, SLA and team; a range counts the requests registered in it", async () => {
		expect((await report(P, w.provider, `&customer=${G}`)).totals).toEqual(GLOBEX);
		expect((await report(P, w.provider, `&teamId=${desk.id}`)).totals).toEqual(GLOBEX);
		expect((await report(P, w.provider, `&serviceId=${second.service.id}`)).totals).toMatchObject({ requests: 1, responseTargets: 1, respondedInTime: 1, openPastTarget: 0 });
		expect((await report(P, w.provider, `&slaId=${w.sla.id}`)).totals).toMatchObject({ requests: 3, resolved: 2, breached: 1 });
		const first = await callJson<SlaReport>(`/accounts/${P}/sla-reports?from=${monday.toISODate()}&until=${monday.toISODate()}`, 200, { as: w.provider });
		expect(first.totals).toMatchObject({ requests: 3, resolved: 2, breached: 2, openPastTarget: 1 }); // a1 a2 g1
		expect(first.byMonth.map((row) => row.key)).toEqual([monday.toFormat("yyyy-MM")]);
		const none = await callJson<SlaReport>(`/accounts/${P}/sla-reports?from=2020-01-01&until=2020-01-31`, 200, { as: w.provider });
		expect(none.totals).toEqual(figures({}));
		expect([none.byService, none.byCustomer, none.bySla, none.byTeam]).toEqual([[], [], [], []]);
	});
});

describe("the customer's report", () => {
	it("equals the provider's report filtered to that customer, field by field, and the provider's row for it", async () => {
		for (const [customer, as, expected] of [
			[A, w.customer, ACME],
			[G, globex, GLOBEX],
		] as const) {
			const own = await report(customer, as, `&provider=${P}`);
			const filtered = await report(P, w.provider, `&customer=${customer}`);
			const all = await report(P, w.provider);
			expect(own.customer).toEqual({ id: customer, name: `Account ${customer}` });
			expect(own.provider).toEqual({ id: P, name: `Account ${P}` });
			expect(own.totals).toEqual(expected);
			expect(content(own)).toEqual(content(filtered));
			expect(own.totals).toEqual(all.byCustomer.find((row) => row.key === customer)?.figures);
			expect(own.byCustomer).toEqual([{ key: customer, label: `Account ${customer}`, figures: expected }]);
			// Every row of the customer's report is the provider's figure for this customer and that row.
			const FILTER = { service: "serviceId", sla: "slaId", team: "teamId" } as const;
			for (const d of ["service", "sla", "team"] as const) {
				for (const row of rowsOf(own)[d]) {
					expect((await report(P, w.provider, `&customer=${customer}&${FILTER[d]}=${row.key}`)).totals, `${d} ${row.label}`).toEqual(row.figures);
				}
			}
		}
	});

	it("is forced to the asking customer: asking about another customer of the provider shows its own figures only", async () => {
		const asked = await report(G, globex, `&provider=${P}&customer=${A}`);
		expect(asked.customer?.id).toBe(G);
		expect(asked.totals).toEqual(GLOBEX);
		expect(asked.byCustomer.map((row) => row.key)).toEqual([G]);
		expect(JSON.stringify(asked)).not.toContain(A);
		const drilled = await drill(G, globex, `&provider=${P}&customer=${A}&perPage=200`);
		expect(drilled.items.map((i) => i.requestId).sort()).toEqual([r.g1.id, r.g2.id].sort());
		expect((await drill(G, globex, `&provider=${P}&dimension=customer&key=${A}`)).total).toBe(0);
		const csv = await (await call(`/accounts/${G}/sla-reports/export.csv?${range}&provider=${P}&customer=${A}`, { as: globex })).text();
		expect(csv).not.toContain(A);
		// Filters within its own figures still work.
		expect((await report(A, w.customer, `&provider=${P}&serviceId=${second.service.id}`)).totals.requests).toBe(1);
		expect((await report(A, w.customer, `&provider=${P}&teamId=${desk.id}`)).totals.requests).toBe(0);
	});

	it("without a provider (or naming itself) is the account's own report as a provider: empty for a customer", async () => {
		for (const query of ["", `&provider=${A}`]) {
			const own = await report(A, w.customer, query);
			expect(own).toMatchObject({ provider: { id: A }, customer: null, totals: figures({}), byCustomer: [] });
		}
	});
});

describe("drill-down", () => {
	it("adds up to its figure, for every metric, in total and in every row of every dimension, on both sides", async () => {
		for (const [accountId, as, query] of [
			[P, w.provider, ""],
			[A, w.customer, `&provider=${P}`],
		] as const) {
			const rep = await report(accountId, as, query);
			for (const metric of REPORT_METRICS) {
				const all = await drill(accountId, as, `${query}&metric=${metric}&perPage=200`);
				expect(all.total, `${accountId} all ${metric}`).toBe(FIGURE_OF[metric](rep.totals));
				expect(all.items).toHaveLength(all.total);
				for (const d of REPORT_DIMENSIONS) {
					for (const row of rowsOf(rep)[d]) {
						const page = await drill(accountId, as, `${query}&dimension=${d}&key=${encodeURIComponent(row.key)}&metric=${metric}&perPage=200`);
						expect(page.total, `${accountId} ${d} ${row.label} ${metric}`).toBe(FIGURE_OF[metric](row.figures));
					}
				}
			}
		}
	});

	it("opens the right requests, oldest first, with their clocks' facts, a page at a time", async () => {
		const ids = async (query: string) => (await drill(P, w.provider, `${query}&perPage=200`)).items.map((i) => i.requestId);
		const every = (await drill(P, w.provider, "&perPage=200")).items;
		expect(every.map((i) => i.requestId).sort()).toEqual(Object.values(r).map((x) => x.id).sort());
		expect(every.map((i) => i.startedAt)).toEqual(every.map((i) => i.startedAt).sort());
		expect(every.map((i) => i.subject).slice(2)).toEqual(["a2", "a3", "g2", "a4"]); // a1 and g1 started at the same instant
		expect((await ids("&metric=breached")).sort()).toEqual([r.a2.id, r.g1.id].sort());
		expect(await ids("&metric=open_past_target")).toEqual([r.g1.id]);
		expect(await ids("&metric=resolved")).toEqual([r.a1.id, r.a2.id, r.g2.id]);
		expect(await ids("&metric=response_missed")).toEqual([r.a2.id]);
		expect(await ids("&metric=resolution_missed")).toEqual([r.g1.id, r.a2.id]);
		expect(await ids(`&dimension=month&key=${later.toFormat("yyyy-MM")}`)).toEqual([r.g2.id, r.a4.id]);
		const a2 = (await drill(P, w.provider, "&metric=response_missed")).items[0];
		expect(a2).toEqual({
			requestId: r.a2.id,
			requestNumber: r.a2.number,
			subject: "a2",
			customer: { id: A, name: `Account ${A}` },
			service: { id: w.model.service.id, name: w.model.service.name },
			sla: { id: w.sla.id, name: w.sla.name },
			team: { id: w.model.team.id, name: "Email Support" },
			impact: "high",
			status: "completed",
			startedAt: new Date(wall(monday, 0, "11:00")).toISOString(),
			responseTargetAt: new Date(wall(monday, 0, "12:00")).toISOString(),
			actualResponseAt: new Date(wall(monday, 0, "12:30")).toISOString(),
			resolutionTargetAt: new Date(wall(monday, 1, "11:00")).toISOString(),
			actualResolutionAt: new Date(wall(monday, 2, "10:00")).toISOString(),
			resolutionMinutes: 900, // Mon 11:00–17:00 (360) + Tue (480) + Wed 09:00–10:00 (60)
			responseBreached: true,
			resolutionBreached: true,
		});
		const first = await drill(P, w.provider, "&perPage=4");
		const next = await drill(P, w.provider, "&perPage=4&page=2");
		expect([first.total, first.items.length, next.items.length, next.page, next.perPage]).toEqual([6, 4, 2, 2, 4]);
		expect([...first.items, ...next.items].map((i) => i.requestId)).toEqual(await ids(""));
		// Numbered pages (ranked by a computed figure) link to the next one like every list.
		const linked = await call(`/accounts/${P}/sla-reports/requests?${range}&perPage=4`, { as: w.provider });
		const link = /^<([^>]+)>; rel="next"$/.exec(linked.headers.get("Link") ?? "")?.[1] ?? "";
		expect([new URL(link).searchParams.get("page"), new URL(link).searchParams.get("perPage")]).toEqual(["2", "4"]);
		expect((await call(link, { as: w.provider })).headers.get("Link")).toBeNull();
	});
});

/** CSV lines as cells (quotes handled). */
function parseCsv(text: string): string[][] {
	expect(text.endsWith("\r\n")).toBe(true);
	return text
		.slice(0, -2)
		.split("\r\n")
		.map((line) => {
			const cells: string[] = [];
			let cell = "";
			let quoted = false;
			for (let i = 0; i < line.length; i++) {
				const ch = line[i] as string;
				if (quoted && ch === '"' && line[i + 1] === '"') {
					cell += '"';
					i++;
				} else if (ch === '"') {
					quoted = !quoted;
				} else if (ch === "," && !quoted) {
					cells.push(cell);
					cell = "";
				} else {
					cell += ch;
				}
			}
			cells.push(cell);
			return cells;
		});
}

const CSV_FIGURES = [
	"requests",
	"responseTargets",
	"respondedInTime",
	"responsePercent",
	"resolutionTargets",
	"resolvedInTime",
	"resolutionPercent",
	"resolved",
	"meanResolutionMinutes",
	"medianResolutionMinutes",
	"p90ResolutionMinutes",
	"breached",
	"openPastTarget",
] as const;

describe("CSV export", () => {
	it("has a header, a totals line and one line per row of every dimension, with the report's figures", async () => {
		for (const [accountId, as, query, name] of [
			[P, w.provider, "", `sla-report-${P}-`],
			[A, w.customer, `&provider=${P}`, `sla-report-${P}-${A}-`],
		] as const) {
			const res = await call(`/accounts/${accountId}/sla-reports/export.csv?${range}${query}`, { as });
			expect(res.status).toBe(200);
			expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
			expect(res.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="${name}\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
			const lines = parseCsv(await res.text());
			const rep = await report(accountId, as, query);
			const cells = (f: SlaFigures) => CSV_FIGURES.map((k) => (f[k] === null ? "" : String(f[k])));
			expect(lines[0]).toEqual(["dimension", "key", "label", ...CSV_FIGURES]);
			const who = accountId === P ? `Account ${P}` : `Account ${P} for Account ${A}`;
			expect(lines[1]).toEqual(["total", "", `${who}, ${rep.from} to ${rep.until}`, ...cells(rep.totals)]);
			const rows = REPORT_DIMENSIONS.flatMap((d) => rowsOf(rep)[d].map((row) => [d, row.key, row.label.startsWith("=") ? `'${row.label}` : row.label, ...cells(row.figures)]));
			expect(lines.slice(2)).toEqual(rows);
			expect(lines).toHaveLength(2 + rows.length);
		}
		// The team named like a formula is defused.
		const csv = await (await call(`/accounts/${P}/sla-reports/export.csv?${range}`, { as: w.provider })).text();
		expect(csv).toContain(`team,${desk.id},'=Service Desk,`);
		expect(csv).not.toMatch(/,=Service Desk/);
	});
});

describe("refused", () => {
	it("bad input is 400, on the report, the drill-down and the export", async () => {
		const base = (path: string) => `/accounts/${P}/sla-reports${path}`;
		for (const query of [
			"from=2026-03-10&until=2026-03-09", // until before from
			"from=2026-02-30&until=2026-03-09",
			"from=yesterday&until=2026-03-09",
			"from=2026-03-01",
			"until=2026-03-09",
			"from=2026-03-01&until=2026-03-09&provider=Not%20An%20Account!",
		]) {
			for (const path of ["", "/requests", "/export.csv"]) await callError(`${base(path)}?${query}`, 400, "invalid_input", { as: w.provider });
		}
		for (const query of ["dimension=service", "dimension=customer&metric=breached", "metric=fastest", "dimension=planet&key=x", "perPage=0", "perPage=201", "page=0"]) {
			await callError(`${base("/requests")}?${range}&${query}`, 400, "invalid_input", { as: w.provider });
		}
	});

	it("people without reports:read get 403: end users, specialists; auditors, service level managers and tokens with the scope may", async () => {
		for (const [accountId, as, query] of [
			[A, w.alice, `&provider=${P}`],
			[A, w.adam, `&provider=${P}`],
			[P, w.bob, ""],
			[P, w.sam, ""],
		] as const) {
			for (const path of ["", "/requests", "/export.csv"]) await callError(`/accounts/${accountId}/sla-reports${path}?${range}${query}`, 403, "forbidden", { as });
		}
		expect((await report(P, auditor)).totals).toEqual(ALL);
		const manager = await addMember(w.provider, P, ["specialist", "service_level_manager"]);
		expect((await report(P, manager)).totals).toEqual(ALL);
		const withScope = await createToken(w.customer, A, ["reports:read"]);
		expect((await report(A, { token: withScope.secret }, `&provider=${P}`)).totals).toEqual(ACME);
		const without = await createToken(w.customer, A, ["account:read", "slas:read"]);
		await callError(reportPath(A, `&provider=${P}`), 403, "forbidden", { as: { token: without.secret } });
	});

	it("other tenants get nothing: not a member (404), no trust with the provider (404), not a provider of the asker (404)", async () => {
		// Initech: no member of the provider, and no customer of it.
		await callError(reportPath(P), 404, "not_found", { as: initech });
		await callError(reportPath(initech.accountId, `&provider=${P}`), 404, "not_found", { as: initech });
		await callError(`/accounts/${initech.accountId}/sla-reports/requests?${range}&provider=${P}`, 404, "not_found", { as: initech });
		await callError(`/accounts/${initech.accountId}/sla-reports/export.csv?${range}&provider=${P}`, 404, "not_found", { as: initech });
		// Acme asking of an account it has no trust with, or of one that does not exist.
		await callError(reportPath(A, `&provider=${initech.accountId}`), 404, "not_found", { as: w.customer });
		await callError(reportPath(A, "&provider=nobody-at-all"), 404, "not_found", { as: w.customer });
		// The provider asking its customer for "the customer's report as a provider" of it: the trust runs the other way.
		await callError(reportPath(P, `&provider=${A}`), 404, "not_found", { as: w.provider });
		// A customer's people asking through the provider's account: not members there.
		await callError(reportPath(P, `&customer=${A}`), 404, "not_found", { as: w.customer });
		await callError(`/accounts/${P}/sla-reports/requests?${range}&customer=${A}`, 404, "not_found", { as: globex });
	});
});

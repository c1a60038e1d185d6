// A customer keeps its SLA history after offboarding: the provider still computes the customer's
// report (it keeps the clocks), and the customer still reads it — figures, drill-downs and CSV
// identical to the provider's own for that customer, before and after the trust is deactivated.
// Requests completed before the end stay counted; a request still open at the end goes back to
// the customer and leaves the figures on both sides (its clock becomes sla_not_affected). Nobody
// else gains anything: a stranger, an account whose trust request was only ever pending or
// rejected, and a former customer that never had a live SLA all get 404; another customer still
// sees only its own figures. Once the trust is active again, new history adds to the old.
//
// The history (wall-clock times in Europe/Amsterdam; TARGETS, OFFICE_HOURS):
//   Mon 10:00 a1 acme, high: accepted 10:30 (in time), completed 15:00 (in time, 300 minutes)
//   Mon 10:00 g1 globex, top: completed 10:10 (in time, 10 minutes)
//   Mon 11:00 a2 acme, high: accepted 12:30 (late), completed Wed 10:00 (late, 900 minutes)
//   Tue 10:00 a3 acme, medium: accepted 10:30 (in time); still open when the trust ends
//   Wed 11:00 acme's SLA expires; Wed 12:00 the provider deactivates the trust
//   — a week later the trust and a new SLA are active again —
//   Wed 10:00 b1 acme, high: completed 10:20 (in time, 20 minutes)
import type { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestSummary } from "../../worker/shared/request-api";
import { REPORT_METRICS, type SlaDrillPage, type SlaFigures, type SlaReport } from "../../worker/shared/sla-api";
import { type AccountAdmin, call, callError, callJson, type Caller, type Member, addMember, signUp } from "./helpers";
import { act, activeSla, makeWorld, register, requestsPath, type World } from "./request-helpers";
import { actOnTrust, askTrust, onboard, settle, slaAction, stubOf } from "./service-helpers";
import { freeze, iso, testMonday, thaw, wall } from "./sla-helpers";

let w: World;
let globex: AccountAdmin;
let grace: Member;
let stranger: AccountAdmin;
let pendingOnly: AccountAdmin;
let rejected: AccountAdmin;
let noHistory: AccountAdmin;
let globexSla: { id: string };
let monday: DateTime;
let range: string;
let P: string;
let A: string;
let G: string;
const r: Record<"a1" | "a2" | "a3" | "g1", RequestSummary> = {} as never;
/** What both sides read just before the trust ended. */
const before: { acme?: SlaReport; own?: SlaReport; all?: SlaReport; drill?: SlaDrillPage } = {};

const everyone = () => [P, A, G];

async function step<R>(day: DateTime, days: number, time: string, fn: () => Promise<R>): Promise<R> {
	await freeze(everyone(), wall(day, days, time));
	const result = await fn();
	await settle(...everyone());
	return result;
}

const reportPath = (accountId: string, query = "") => `/accounts/${accountId}/sla-reports?${range}${query}`;
const report = (accountId: string, as: Caller, query = "") => callJson<SlaReport>(reportPath(accountId, query), 200, { as });
const drill = (accountId: string, as: Caller, query: string) => callJson<SlaDrillPage>(`/accounts/${accountId}/sla-reports/requests?${range}&perPage=200${query}`, 200, { as });
const csv = async (accountId: string, as: Caller, query: string) => {
	const res = await call(`/accounts/${accountId}/sla-reports/export.csv?${range}${query}`, { as });
	expect(res.status).toBe(200);
	return { text: await res.text(), name: res.headers.get("Content-Disposition") };
};
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

/** While the trust lasts: a1, a2 and the open a3 (responded in time, resolution not yet due). */
const ACME_BEFORE = figures({
	requests: 3,
	responseTargets: 3,
	respondedInTime: 2,
	responsePercent: 66.7,
	resolutionTargets: 2,
	resolvedInTime: 1,
	resolutionPercent: 50,
	resolved: 2,
	meanResolutionMinutes: 600,
	medianResolutionMinutes: 300,
	p90ResolutionMinutes: 900,
	breached: 1,
});
/** After the end: a3 went back to acme and left the figures; a1 and a2 count exactly as before. */
const ACME_AFTER = figures({
	requests: 2,
	responseTargets: 2,
	respondedInTime: 1,
	responsePercent: 50,
	resolutionTargets: 2,
	resolvedInTime: 1,
	resolutionPercent: 50,
	resolved: 2,
	meanResolutionMinutes: 600,
	medianResolutionMinutes: 300,
	p90ResolutionMinutes: 900,
	breached: 1,
});
const GLOBEX = figures({
	requests: 1,
	responseTargets: 1,
	respondedInTime: 1,
	responsePercent: 100,
	resolutionTargets: 1,
	resolvedInTime: 1,
	resolutionPercent: 100,
	resolved: 1,
	meanResolutionMinutes: 10,
	medianResolutionMinutes: 10,
	p90ResolutionMinutes: 10,
});

beforeAll(async () => {
	w = await makeWorld();
	[P, A] = [w.provider.accountId, w.customer.accountId];
	[globex, stranger, pendingOnly, rejected, noHistory] = await Promise.all([signUp(), signUp(), signUp(), signUp(), signUp()]);
	G = globex.accountId;
	grace = await addMember(globex, G, ["end_user"], "Grace Gill");
	await onboard(w.provider, globex);
	globexSla = await activeSla(w.provider, w.model, G);
	// Asked, never answered; asked and rejected; trusted without any SLA, then ended.
	await askTrust(pendingOnly, P, "customer");
	await askTrust(rejected, P, "customer");
	await settle(pendingOnly.accountId, rejected.accountId, P);
	await actOnTrust(w.provider, rejected.accountId, "reject");
	await onboard(w.provider, noHistory);
	await actOnTrust(noHistory, P, "deactivate");
	await settle(noHistory.accountId, rejected.accountId, P);

	monday = testMonday();
	range = `from=${monday.startOf("month").toISODate()}&until=${monday.plus({ weeks: 2 }).endOf("month").toISODate()}`;
	const acme = { provider: w.provider, customer: w.customer };
	r.a1 = await step(monday, 0, "10:00", () => register(acme, w.sla, w.alice, { impact: "high", subject: "a1" }));
	r.g1 = await step(monday, 0, "10:00", () => register({ provider: w.provider, customer: globex }, globexSla, grace, { impact: "top", subject: "g1" }));
	await step(monday, 0, "10:10", () => act(P, r.g1.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
	await step(monday, 0, "10:30", () => act(P, r.a1.id, w.bob, { type: "accept" }));
	r.a2 = await step(monday, 0, "11:00", () => register(acme, w.sla, w.alice, { impact: "high", subject: "a2" }));
	await step(monday, 0, "12:30", () => act(P, r.a2.id, w.bob, { type: "accept" }));
	await step(monday, 0, "15:00", () => act(P, r.a1.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
	r.a3 = await step(monday, 1, "10:00", () => register(acme, w.sla, w.alice, { impact: "medium", subject: "a3" }));
	await step(monday, 1, "10:30", () => act(P, r.a3.id, w.bob, { type: "accept" }));
	await step(monday, 2, "10:00", () => act(P, r.a2.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
	await step(monday, 2, "11:00", () => slaAction(w.provider, w.sla.id, "expire"));

	// What both sides read while the trust is still active (the clocks stay at Wed 12:00).
	await freeze(everyone(), wall(monday, 2, "12:00"));
	before.acme = await report(P, w.provider, `&customer=${A}`);
	before.own = await report(A, w.customer, `&provider=${P}`);
	before.all = await report(P, w.provider);
	before.drill = await drill(P, w.provider, `&customer=${A}`);
	await step(monday, 2, "12:00", () => actOnTrust(w.provider, A, "deactivate"));
}, 90_000);

afterAll(async () => {
	await thaw(everyone());
});

describe("before the trust ends", () => {
	it("both sides read the same figures, and the report says the trust is active", () => {
		expect(before.acme?.totals).toEqual(ACME_BEFORE);
		expect(before.acme?.trust).toEqual({ status: "active", endedAt: null });
		expect(content(before.own as SlaReport)).toEqual(content(before.acme as SlaReport));
		// The provider's report of every customer names no trust: it is not one customer's.
		expect(before.all?.trust).toBeNull();
	});
});

describe("after the trust ends", () => {
	it("the provider's report of the customer keeps every completed request as it was; the open one left the figures", async () => {
		const after = await report(P, w.provider, `&customer=${A}`);
		expect(after.totals).toEqual(ACME_AFTER);
		expect(after.trust).toEqual({ status: "ended", endedAt: iso(wall(monday, 2, "12:00")) });
		// Request by request, field by field: a1 and a2 are what they were; a3 is gone.
		const afterDrill = await drill(P, w.provider, `&customer=${A}`);
		const completed = (before.drill?.items ?? []).filter((i) => i.requestId !== r.a3.id);
		expect(completed.map((i) => i.subject)).toEqual(["a1", "a2"]);
		expect(afterDrill.items).toEqual(completed);
		// Every other customer's figures are untouched.
		const all = await report(P, w.provider);
		expect(all.byCustomer.find((row) => row.key === G)).toEqual(before.all?.byCustomer.find((row) => row.key === G));
		expect(all.byCustomer.find((row) => row.key === A)?.figures).toEqual(ACME_AFTER);
	});

	it("the customer still opens the report, identical to the provider's for it, field by field", async () => {
		const own = await report(A, w.customer, `&provider=${P}`);
		const theirs = await report(P, w.provider, `&customer=${A}`);
		expect(content(own)).toEqual(content(theirs));
		expect(own.totals).toEqual(ACME_AFTER);
		expect(own.customer).toEqual({ id: A, name: `Account ${A}` });
		expect(own.trust).toEqual({ status: "ended", endedAt: iso(wall(monday, 2, "12:00")) });
		// Each row of each dimension too (content equality covers them; say which ones there are).
		expect(own.byService.map((row) => row.key)).toEqual([w.model.service.id]);
		expect(own.bySla.map((row) => [row.key, row.figures])).toEqual([[w.sla.id, ACME_AFTER]]);
		// Filters within its own history still work.
		expect((await report(A, w.customer, `&provider=${P}&slaId=${w.sla.id}`)).totals).toEqual(ACME_AFTER);
		expect((await report(A, w.customer, `&provider=${P}&slaId=${globexSla.id}`)).totals).toEqual(figures({}));
	});

	it("drill-downs and the CSV are the provider's, for every metric", async () => {
		for (const metric of REPORT_METRICS) {
			const own = await drill(A, w.customer, `&provider=${P}&metric=${metric}`);
			expect(own, metric).toEqual(await drill(P, w.provider, `&customer=${A}&metric=${metric}`));
		}
		expect((await drill(A, w.customer, `&provider=${P}&metric=breached`)).items.map((i) => i.subject)).toEqual(["a2"]);
		const own = await csv(A, w.customer, `&provider=${P}`);
		const theirs = await csv(P, w.provider, `&customer=${A}`);
		expect(own).toEqual(theirs);
		expect(own.text).toContain(`Account ${P} for Account ${A}`);
		expect(own.text).not.toContain(G);
	});

	it("shows the customer nothing of another customer, whatever it asks; the other customer sees only its own", async () => {
		const asked = await report(A, w.customer, `&provider=${P}&customer=${G}`);
		expect(asked.totals).toEqual(ACME_AFTER);
		expect(JSON.stringify(asked)).not.toContain(G);
		expect((await drill(A, w.customer, `&provider=${P}&dimension=customer&key=${G}`)).total).toBe(0);
		expect((await drill(A, w.customer, `&provider=${P}&customer=${G}`)).items.map((i) => i.subject)).toEqual(["a1", "a2"]);
		const theirs = await report(G, globex, `&provider=${P}&customer=${A}`);
		expect(theirs.totals).toEqual(GLOBEX);
		expect(theirs.trust).toEqual({ status: "active", endedAt: null });
		expect(JSON.stringify(theirs)).not.toContain(A);
	});

	it("opens nothing new: the catalog is empty and nothing can be registered", async () => {
		expect((await callJson<{ entries: unknown[] }>(`/accounts/${A}/catalog`, 200, { as: w.alice })).entries).toEqual([]);
		await callError(requestsPath(A), 409, "conflict", { as: w.alice, body: { providerAccountId: P, slaId: w.sla.id, subject: "After the end" } });
	});
});

describe("who still gets nothing", () => {
	const q = () => `&provider=${P}`;
	it("a stranger, an account whose request was only pending or rejected, a former customer without a live SLA: 404 on report, drill-down and CSV", async () => {
		for (const who of [stranger, pendingOnly, rejected, noHistory]) {
			for (const path of ["", "/requests", "/export.csv"]) {
				await callError(`/accounts/${who.accountId}/sla-reports${path}?${range}${q()}`, 404, "not_found", { as: who });
			}
		}
	});

	it("the provider refuses them itself, whatever their own account would ask", async () => {
		const filter = { from: monday.toISODate() ?? "", until: monday.plus({ days: 7 }).toISODate() ?? "" };
		for (const who of [stranger, pendingOnly, rejected, noHistory]) {
			const rep = await stubOf(P).slaReportFor({ id: who.accountId, name: "Anyone" }, filter);
			expect(rep.ok ? "ok" : rep.error.code, who.accountId).toBe("not_found");
			const page = await stubOf(P).slaDrillFor(who.accountId, { ...filter, dimension: "all", metric: "requests", page: 1, perPage: 50 });
			expect(page.ok ? "ok" : page.error.code, who.accountId).toBe("not_found");
		}
	});

	it("the provider's people in the customer's account, and the customer's in the provider's: not members (404)", async () => {
		await callError(reportPath(A, q()), 404, "not_found", { as: w.provider });
		await callError(reportPath(P, `&customer=${A}`), 404, "not_found", { as: w.customer });
	});
});

describe("once the trust is active again", () => {
	it("new history adds to the old, and the report says the trust is active", async () => {
		const later = monday.plus({ weeks: 1 });
		await step(later, 0, "09:00", async () => {
			await askTrust(w.customer, P, "customer");
			await settle(A, P);
			await actOnTrust(w.provider, A, "accept");
		});
		const sla = await step(later, 0, "09:30", () => activeSla(w.provider, w.model, A));
		const b1 = await step(later, 2, "10:00", () => register({ provider: w.provider, customer: w.customer }, sla, w.alice, { impact: "high", subject: "b1" }));
		await step(later, 2, "10:20", () => act(P, b1.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
		const own = await report(A, w.customer, `&provider=${P}`);
		expect(content(own)).toEqual(content(await report(P, w.provider, `&customer=${A}`)));
		expect(own.trust).toEqual({ status: "active", endedAt: null });
		expect(own.totals).toMatchObject({ requests: 3, resolved: 3, resolvedInTime: 2, breached: 1 });
		expect((await drill(A, w.customer, `&provider=${P}`)).items.map((i) => i.subject)).toEqual(["a1", "a2", "b1"]);
	});
});

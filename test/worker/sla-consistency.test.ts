// Met or breached, one rule everywhere (issue 8, point 9): random request histories — impact
// changes, stops and resumes, responses, resolutions, reopenings, the alarm — go through the real
// clock (sla-clock.ts); the clocks are stored as the provider stores them (affected-slas.ts) in a
// Durable Object's SQLite, and the real report and drill-down (sla-reports.ts) run over them. No
// target may count both in time and missed, "breached" must be exactly the requests with a missed
// target, and every figure must be what the clock cards say.
//
// Calendar: Monday–Friday 09:00–17:00 Europe/Amsterdam; the histories start in March 2026 on whole
// minutes and move in whole minutes, so that actions often land exactly on a target instant.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockColumns, toView } from "../../worker/account/affected-slas";
import { accountDb } from "../../worker/account/db";
import { affectedSlas } from "../../worker/account/schema";
import { applyChange, type ClockState, recordDue, startClock } from "../../worker/account/sla-clock";
import { slaDrill, slaReport, type ReportContext } from "../../worker/account/sla-reports";
import { REQUEST_IMPACTS, type RequestImpact, type RequestStatus } from "../../worker/shared/request-api";
import type { Calendar, Target } from "../../worker/shared/service-api";
import type { AffectedSla, ReportMetric } from "../../worker/shared/sla-api";
import { inObject } from "./service-helpers";

const ZONE = "Europe/Amsterdam";
const OFFICE: Calendar = { timeZone: ZONE, hours: (["mon", "tue", "wed", "thu", "fri"] as const).map((weekday) => ({ weekday, from: "09:00", until: "17:00" })), holidays: [] };
const TARGETS: Record<RequestImpact, { response: Target; resolution: Target }> = {
	top: { response: { minutes: 15 }, resolution: { minutes: 120 } },
	high: { response: { minutes: 60 }, resolution: { minutes: 480 } },
	medium: { response: { minutes: 240 }, resolution: { businessDays: 2 } },
	low: { response: { businessDays: 1 }, resolution: null },
};
const MONDAY = Date.parse("2026-03-02T09:00:00+01:00");
const MINUTE = 60_000;

type Op =
	| { kind: "status"; status: RequestStatus }
	| { kind: "impact"; impact: RequestImpact }
	| { kind: "alarm" };

const op: fc.Arbitrary<Op> = fc.oneof(
	fc.constantFrom<RequestStatus>("accepted", "in_progress", "waiting_for_customer", "completed", "assigned").map((status) => ({ kind: "status" as const, status })),
	fc.constantFrom(...REQUEST_IMPACTS).map((impact) => ({ kind: "impact" as const, impact })),
	fc.constant({ kind: "alarm" as const }),
);

/** One request's history: when it starts, its first impact, and steps some minutes apart. */
const history = fc.record({
	start: fc.integer({ min: 0, max: 5 * 24 * 60 }),
	impact: fc.constantFrom(...REQUEST_IMPACTS),
	steps: fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constantFrom(15, 60, 240, 480)), op), { maxLength: 12 }),
});

/** Runs a history through the clock, as the provider would from the owner's changes and its alarm. */
function run(h: { start: number; impact: RequestImpact; steps: [number, Op][] }): { clock: ClockState; now: number } {
	let at = MONDAY + h.start * MINUTE;
	let clock = startClock({ startedAt: at, impact: h.impact, targets: TARGETS[h.impact], calendar: OFFICE, warningPercent: 80, desiredCompletionAt: null });
	for (const [gap, step] of h.steps) {
		at += gap * MINUTE;
		if (step.kind === "alarm") {
			clock = recordDue(clock, at).state;
			continue;
		}
		const impact = step.kind === "impact" ? step.impact : clock.impact;
		const status = step.kind === "status" ? step.status : clock.status;
		clock = applyChange(clock, { at, status, impact, targetsForImpact: TARGETS[impact], desiredCompletionAt: null, accountable: true }).state;
	}
	return { clock, now: at };
}

const METRICS = ["responded_in_time", "response_missed", "resolved_in_time", "resolution_missed", "resolved", "breached"] as const satisfies readonly ReportMetric[];

/** Which requests each metric should hold, read off the clock cards alone. */
function fromCards(cards: AffectedSla[]): Record<(typeof METRICS)[number], string[]> {
	const ids = (p: (c: AffectedSla) => boolean) => cards.filter(p).map((c) => c.requestId).sort();
	return {
		responded_in_time: ids((c) => c.responseTargetAt !== null && c.actualResponseAt !== null && !c.responseBreached),
		response_missed: ids((c) => c.responseTargetAt !== null && c.responseBreached),
		resolved_in_time: ids((c) => c.resolutionTargetAt !== null && c.actualResolutionAt !== null && !c.resolutionBreached),
		resolution_missed: ids((c) => c.resolutionTargetAt !== null && c.resolutionBreached),
		resolved: ids((c) => c.actualResolutionAt !== null),
		breached: ids((c) => c.responseBreached || c.resolutionBreached),
	};
}

describe("the report, its drill-down and the clock cards agree on every target, for any history", () => {
	it("counts each target once, in time or missed, and as the cards say", async () => {
		await inObject(`consistency-${crypto.randomUUID()}`, (_instance, state) => {
			const db = accountDb(state.storage);
			fc.assert(
				fc.property(fc.array(history, { minLength: 1, maxLength: 6 }), (histories) => {
					db.delete(affectedSlas).run();
					let now = MONDAY;
					histories.forEach((h, i) => {
						const { clock, now: last } = run(h);
						now = Math.max(now, last);
						db.insert(affectedSlas)
							.values({
								id: `asla_${i}`,
								requestId: `req_${i}`,
								customerAccountId: "acme",
								requestNumber: i + 1,
								subject: `Request ${i}`,
								slaId: "sla_1",
								serviceId: "svc_1",
								instanceId: "si_1",
								offeringId: "so_1",
								teamId: null,
								teamName: null,
								customerName: "Acme",
								providerName: "Widget",
								slaName: "Gold",
								serviceName: "Email",
								instanceName: "Email Production",
								offeringName: "Email Gold",
								updatedAt: new Date(last),
								...clockColumns(clock, ZONE),
							})
							.run();
					});
					const cards = db
						.select()
						.from(affectedSlas)
						.all()
						.map((r) => toView(r, "widget"));
					for (const c of cards) {
						// The rule, from the instants: an answered target is breached exactly when the actual is after it.
						if (c.responseTargetAt && c.actualResponseAt) expect(c.responseBreached).toBe(c.actualResponseAt > c.responseTargetAt);
						if (c.resolutionTargetAt && c.actualResolutionAt) expect(c.resolutionBreached).toBe(c.actualResolutionAt > c.resolutionTargetAt);
						if (!c.responseTargetAt) expect(c.responseBreached).toBe(false);
						if (!c.resolutionTargetAt) expect(c.resolutionBreached).toBe(false);
					}
					const ctx: ReportContext = { sql: state.storage.sql, timeZone: ZONE, now: now + MINUTE, provider: { id: "widget", name: "Widget" }, customer: null };
					const range = { from: "2026-03-01", until: "2026-03-31" };
					const expected = fromCards(cards);
					const drilled = Object.fromEntries(
						METRICS.map((metric) => {
							const page = slaDrill(ctx, { ...range, dimension: "all", metric, page: 1, perPage: 200 });
							for (const item of page.items) {
								const card = cards.find((c) => c.requestId === item.requestId);
								expect([item.responseBreached, item.resolutionBreached]).toEqual([card?.responseBreached, card?.resolutionBreached]);
							}
							return [metric, page.items.map((i) => i.requestId).sort()];
						}),
					);
					expect(drilled).toEqual(expected);
					// Never both: in time and missed are two sides of one verdict.
					expect(expected.responded_in_time.filter((id) => expected.response_missed.includes(id))).toEqual([]);
					expect(expected.resolved_in_time.filter((id) => expected.resolution_missed.includes(id))).toEqual([]);
					const { totals } = slaReport(ctx, range);
					expect(totals).toMatchObject({
						requests: cards.length,
						respondedInTime: expected.responded_in_time.length,
						responseTargets: expected.responded_in_time.length + expected.response_missed.length,
						resolvedInTime: expected.resolved_in_time.length,
						resolutionTargets: expected.resolved_in_time.length + expected.resolution_missed.length,
						resolved: expected.resolved.length,
						breached: expected.breached.length,
					});
				}),
				{ numRuns: 150 },
			);
		});
	});
});

// The SLA clock (worker/account/sla-clock.ts) over whole request histories: known answers, each
// instant written out with its offset so that it can be checked by hand against the calendar.
//
// Calendar: Monday–Friday 09:00–17:00 Europe/Amsterdam, which is +01:00 all through March 2026 until
// the switch to summer time on Sunday 2026-03-29 (these fixtures stay before it). Week of the
// fixtures: Monday 2026-03-02 … Friday 2026-03-06, Monday 2026-03-09 …; one working day is 480
// business minutes.
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { applyChange, type ClockState, clockOf, figures, recordDue, type RequestChange, startClock } from "../../worker/account/sla-clock";
import type { RequestImpact, RequestStatus } from "../../worker/shared/request-api";
import type { Calendar, Target } from "../../worker/shared/service-api";

const ZONE = "Europe/Amsterdam";
const OFFICE: Calendar = {
	timeZone: ZONE,
	hours: (["mon", "tue", "wed", "thu", "fri"] as const).map((weekday) => ({ weekday, from: "09:00", until: "17:00" })),
	holidays: [],
};

/** The offering's targets per impact (minutes of support hours, or business days; null: best effort). */
const TARGETS: Record<RequestImpact, { response: Target; resolution: Target }> = {
	top: { response: { minutes: 15 }, resolution: { minutes: 120 } },
	high: { response: { minutes: 60 }, resolution: { minutes: 480 } },
	medium: { response: { minutes: 240 }, resolution: { minutes: 960 } },
	low: { response: { businessDays: 1 }, resolution: { businessDays: 3 } },
};

/** Epoch ms of an ISO string with an explicit offset. */
const t = (iso: string) => Date.parse(iso);
/** An instant as ISO in Amsterdam (offset included), so a failure reads as a wall-clock time. */
const local = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true }));

function start(iso: string, impact: RequestImpact, more: { desiredCompletionAt?: string; warningPercent?: number; calendar?: Calendar; targets?: { response: Target; resolution: Target } } = {}): ClockState {
	return startClock({
		startedAt: t(iso),
		impact,
		targets: more.targets ?? TARGETS[impact],
		calendar: more.calendar ?? OFFICE,
		warningPercent: more.warningPercent ?? 80,
		desiredCompletionAt: more.desiredCompletionAt ? t(more.desiredCompletionAt) : null,
	});
}

/** The owner's change at `iso`: a status, and maybe a new impact (with the offering's targets for it). */
function step(s: ClockState, iso: string, status: RequestStatus, more: Partial<Pick<RequestChange, "impact" | "accountable">> = {}): ClockState {
	const impact = more.impact ?? s.impact;
	return applyChange(s, {
		at: t(iso),
		status,
		impact,
		targetsForImpact: TARGETS[impact],
		desiredCompletionAt: s.desiredCompletionAt,
		accountable: more.accountable ?? s.accountable,
	}).state;
}

/** Everything the clock says, instants in Amsterdam time. */
function read(s: ClockState) {
	const f = figures(s);
	return {
		impact: s.impact,
		status: s.status,
		responseTargetAt: local(f.responseTargetAt),
		resolutionTargetAt: local(f.resolutionTargetAt),
		actualResponseAt: local(s.actualResponseAt),
		actualResolutionAt: local(s.actualResolutionAt),
		responseMinutes: f.responseMinutes,
		resolutionMinutes: f.resolutionMinutes,
		stoppedMinutes: f.stoppedMinutes,
		clockStoppedAt: local(f.clockStoppedAt),
		nextTarget: f.nextTarget,
		nextTargetAt: local(f.nextTargetAt),
		nextCheckAt: local(f.nextCheckAt),
		responseBreached: s.responseBreached,
		resolutionBreached: s.resolutionBreached,
	};
}

const timeline = (s: ClockState) => s.timeline.map((e) => [local(e.at), e.kind]);
const stops = (s: ClockState) => s.stops.map((x) => [local(x.from), local(x.until), x.minutes, x.reason]);

describe("a whole request history (impact high: respond within 60, resolve within 480 business minutes)", () => {
	// Monday 10:00: registered. The clock starts at the owner's registration time.
	const created = start("2026-03-02T10:00:00+01:00", "high");
	// Monday 10:30: the team accepts: the response, 30 minutes in.
	const accepted = step(created, "2026-03-02T10:30:00+01:00", "accepted");
	// Monday 14:00: waiting for the customer: the clock stops.
	const waiting = step(accepted, "2026-03-02T14:00:00+01:00", "waiting_for_customer");
	// Tuesday 11:00: the customer answers: the clock runs again after Mon 14:00–17:00 (180) + Tue
	// 09:00–11:00 (120) = 300 business minutes stopped.
	const answered = step(waiting, "2026-03-03T11:00:00+01:00", "in_progress");
	// Tuesday 12:00: the impact becomes medium: 240 / 960 minutes, counted from Monday 10:00 still.
	const lowered = step(answered, "2026-03-03T12:00:00+01:00", "in_progress", { impact: "medium" });
	// Wednesday 14:00: completed.
	const completed = step(lowered, "2026-03-04T14:00:00+01:00", "completed");
	// Thursday 10:00: reopened: Wed 14:00–17:00 (180) + Thu 09:00–10:00 (60) = 240 minutes are the customer's.
	const reopened = step(completed, "2026-03-05T10:00:00+01:00", "assigned");
	// Thursday 11:30: completed again, half an hour after the (pushed) target.
	const done = step(reopened, "2026-03-05T11:30:00+01:00", "completed");

	it("starts with the offering's targets for the impact, counted in support hours", () => {
		expect(read(created)).toEqual({
			impact: "high",
			status: "assigned",
			responseTargetAt: "2026-03-02T11:00:00+01:00", // 10:00 + 60
			resolutionTargetAt: "2026-03-03T10:00:00+01:00", // Mon 10:00–17:00 (420) + Tue 09:00–10:00 (60)
			actualResponseAt: null,
			actualResolutionAt: null,
			responseMinutes: null,
			resolutionMinutes: null,
			stoppedMinutes: 0,
			clockStoppedAt: null,
			nextTarget: "response",
			nextTargetAt: "2026-03-02T11:00:00+01:00",
			nextCheckAt: "2026-03-02T10:48:00+01:00", // the response warning: 80 % of 60 minutes
			responseBreached: false,
			resolutionBreached: false,
		});
		expect(timeline(created)).toEqual([["2026-03-02T10:00:00+01:00", "started"]]);
	});

	it("records the response at the acceptance; the next target is the resolution", () => {
		expect(read(accepted)).toMatchObject({
			actualResponseAt: "2026-03-02T10:30:00+01:00",
			responseMinutes: 30,
			nextTarget: "resolution",
			nextTargetAt: "2026-03-03T10:00:00+01:00",
			nextCheckAt: "2026-03-02T16:24:00+01:00", // the resolution warning: 80 % of 480 = 384 minutes after 10:00
		});
	});

	it("stops while waiting for the customer: no next target, nothing falls due", () => {
		expect(read(waiting)).toMatchObject({
			status: "waiting_for_customer",
			resolutionTargetAt: "2026-03-03T10:00:00+01:00",
			clockStoppedAt: "2026-03-02T14:00:00+01:00",
			nextTarget: "clock_stopped",
			nextTargetAt: null,
			nextCheckAt: null,
			stoppedMinutes: 0,
		});
		expect(stops(waiting)).toEqual([["2026-03-02T14:00:00+01:00", null, 0, "waiting_for_customer"]]);
	});

	it("resumes at the answer, the resolution target pushed out by the 300 stopped business minutes", () => {
		expect(read(answered)).toMatchObject({
			status: "in_progress",
			responseTargetAt: "2026-03-02T11:00:00+01:00", // the response came before the stop: not pushed
			resolutionTargetAt: "2026-03-03T15:00:00+01:00", // Tue 10:00 + 300
			stoppedMinutes: 300,
			clockStoppedAt: null,
			nextTarget: "resolution",
			nextTargetAt: "2026-03-03T15:00:00+01:00",
			// 80 % of 480 = 384 running minutes: Mon 10:00–14:00 (240), then from Tue 11:00 another 144.
			nextCheckAt: "2026-03-03T13:24:00+01:00",
		});
		expect(stops(answered)).toEqual([["2026-03-02T14:00:00+01:00", "2026-03-03T11:00:00+01:00", 300, "waiting_for_customer"]]);
	});

	it("takes the offering's targets for a new impact, from the same start, still pushed by the stop", () => {
		expect(read(lowered)).toMatchObject({
			impact: "medium",
			responseTargetAt: "2026-03-02T14:00:00+01:00", // Mon 10:00 + 240
			// Mon 10:00 + 960 = Wed 10:00 (420 + 480 + 60); + 300 stopped = Wed 15:00.
			resolutionTargetAt: "2026-03-04T15:00:00+01:00",
			actualResponseAt: "2026-03-02T10:30:00+01:00",
			nextTarget: "resolution",
			nextTargetAt: "2026-03-04T15:00:00+01:00",
			// 80 % of 960 = 768 running minutes: Mon 10:00 + 768 + 300 stopped = Wed 11:48.
			nextCheckAt: "2026-03-04T11:48:00+01:00",
		});
	});

	it("records the resolution at the completion, the minutes without the stop", () => {
		expect(read(completed)).toMatchObject({
			status: "completed",
			actualResolutionAt: "2026-03-04T14:00:00+01:00",
			// Mon 10:00 → Wed 14:00 is 420 + 480 + 300 = 1,200 business minutes, 300 of them stopped.
			resolutionMinutes: 900,
			resolutionBreached: false,
			nextTarget: "none",
			nextTargetAt: null,
			nextCheckAt: null,
		});
	});

	it("on reopening, the time it spent completed becomes a stop, and the target moves out by it", () => {
		expect(read(reopened)).toMatchObject({
			status: "assigned",
			actualResolutionAt: null,
			resolutionMinutes: null,
			stoppedMinutes: 540, // 300 + 240
			resolutionTargetAt: "2026-03-05T11:00:00+01:00", // Wed 10:00 + 540: Wed 10:00–17:00 (420) + Thu 09:00–11:00 (120)
			nextTarget: "resolution",
			nextTargetAt: "2026-03-05T11:00:00+01:00",
			// Warned already: only the breach is left, due once the clock runs past 11:00 (11:00 itself is in time).
			nextCheckAt: "2026-03-05T11:00:00.001+01:00",
		});
		expect(stops(reopened)).toEqual([
			["2026-03-02T14:00:00+01:00", "2026-03-03T11:00:00+01:00", 300, "waiting_for_customer"],
			["2026-03-04T14:00:00+01:00", "2026-03-05T10:00:00+01:00", 240, "completed"],
		]);
	});

	it("completed again after the target: the breach is recorded at the target instant, before the resolution", () => {
		expect(read(done)).toEqual({
			impact: "medium",
			status: "completed",
			responseTargetAt: "2026-03-02T14:00:00+01:00",
			resolutionTargetAt: "2026-03-05T11:00:00+01:00",
			actualResponseAt: "2026-03-02T10:30:00+01:00",
			actualResolutionAt: "2026-03-05T11:30:00+01:00",
			responseMinutes: 30,
			// Mon 10:00 → Thu 11:30 is 420 + 480 + 480 + 150 = 1,530 business minutes, 540 stopped: 900 + 90.
			resolutionMinutes: 990,
			stoppedMinutes: 540,
			clockStoppedAt: null,
			nextTarget: "none",
			nextTargetAt: null,
			nextCheckAt: null,
			responseBreached: false,
			resolutionBreached: true,
		});
		expect(timeline(done)).toEqual([
			["2026-03-02T10:00:00+01:00", "started"],
			["2026-03-02T10:30:00+01:00", "responded"],
			["2026-03-02T14:00:00+01:00", "stopped"],
			["2026-03-03T11:00:00+01:00", "resumed"],
			["2026-03-03T12:00:00+01:00", "impact_changed"],
			["2026-03-04T11:48:00+01:00", "resolution_warning"],
			["2026-03-04T14:00:00+01:00", "resolved"],
			["2026-03-05T10:00:00+01:00", "reopened"],
			["2026-03-05T11:00:00+01:00", "resolution_breached"],
			["2026-03-05T11:30:00+01:00", "resolved"],
		]);
		expect(done.timeline.map((e) => e.text)).toEqual([
			"Clock started",
			"Responded",
			"Waiting for the customer: the clock stopped",
			"The clock runs again (stopped 5 h of support hours)",
			"Impact high → medium: resolution target moved from Tue 3 Mar 2026 15:00 to Wed 4 Mar 2026 15:00 (Europe/Amsterdam).",
			"Resolution target approaching",
			"Resolved",
			"Reopened: 4 h of support hours since completion are not counted",
			"Resolution target breached",
			"Resolved, after the resolution target",
		]);
	});

	it("is pure: every step left the state it was given as it was", () => {
		expect(read(created).nextTarget).toBe("response");
		expect(created.timeline).toHaveLength(1);
		expect(waiting.stops[0]?.until).toBeNull();
		expect(completed.actualResolutionAt).toBe(t("2026-03-04T14:00:00+01:00"));
	});
});

describe("starting", () => {
	it("outside support hours counts from the next opening: Friday 16:30 + 60 minutes is Monday 09:30", () => {
		const s = start("2026-03-06T16:30:00+01:00", "high");
		expect(read(s)).toMatchObject({
			responseTargetAt: "2026-03-09T09:30:00+01:00", // Fri 16:30–17:00 (30) + Mon 09:00–09:30 (30)
			resolutionTargetAt: "2026-03-09T16:30:00+01:00", // Fri 16:30–17:00 (30) + Mon 09:00–16:30 (450)
			nextTargetAt: "2026-03-09T09:30:00+01:00",
		});
		const weekend = start("2026-03-07T12:00:00+01:00", "top");
		expect(read(weekend)).toMatchObject({
			responseTargetAt: "2026-03-09T09:15:00+01:00",
			resolutionTargetAt: "2026-03-09T11:00:00+01:00",
			nextCheckAt: "2026-03-09T09:12:00+01:00", // 80 % of 15 minutes
		});
	});

	it("in business days: the same wall-clock time on the N-th business day, holidays skipped", () => {
		const calendar: Calendar = { ...OFFICE, holidays: [{ name: "Closed", date: "2026-03-10" }] };
		const s = start("2026-03-06T16:30:00+01:00", "low", { calendar });
		expect(read(s)).toMatchObject({
			responseTargetAt: "2026-03-09T16:30:00+01:00", // 1 business day: Monday
			resolutionTargetAt: "2026-03-12T16:30:00+01:00", // 3: Monday, (Tuesday closed) Wednesday, Thursday
			nextTarget: "response",
		});
		// Registered on Saturday: counted from Monday 09:00.
		expect(read(start("2026-03-07T12:00:00+01:00", "low", { calendar }))).toMatchObject({
			responseTargetAt: "2026-03-11T09:00:00+01:00", // Monday 09:00 + 1 business day, Tuesday closed: Wednesday
			resolutionTargetAt: "2026-03-13T09:00:00+01:00",
		});
		// A stop pushes a business-day target by the stopped business minutes.
		const accepted = step(s, "2026-03-09T09:10:00+01:00", "accepted");
		const waiting = step(accepted, "2026-03-09T10:00:00+01:00", "waiting_for_customer");
		const answered = step(waiting, "2026-03-09T12:00:00+01:00", "in_progress");
		expect(read(answered)).toMatchObject({
			actualResponseAt: "2026-03-09T09:10:00+01:00",
			responseMinutes: 40, // Fri 16:30–17:00 (30) + Mon 09:00–09:10 (10)
			stoppedMinutes: 120,
			resolutionTargetAt: "2026-03-13T10:30:00+01:00", // Thu 16:30 + 120: Thu 30 + Fri 09:00–10:30
		});
	});
});

describe("desired completion", () => {
	it("later than the resolution target, it becomes the target (desired_completion)", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high", { desiredCompletionAt: "2026-03-04T12:00:00+01:00" });
		expect(read(s)).toMatchObject({
			responseTargetAt: "2026-03-02T11:00:00+01:00",
			resolutionTargetAt: "2026-03-04T12:00:00+01:00", // not Tue 10:00
			nextTarget: "response",
			nextTargetAt: "2026-03-02T11:00:00+01:00",
		});
		const accepted = step(s, "2026-03-02T10:05:00+01:00", "accepted");
		expect(read(accepted)).toMatchObject({
			nextTarget: "desired_completion",
			nextTargetAt: "2026-03-04T12:00:00+01:00",
			// 80 % of the 1,080 business minutes from Mon 10:00 to Wed 12:00: 864, Tue 16:24.
			nextCheckAt: "2026-03-03T16:24:00+01:00",
		});
		// Completed after the SLA's own target but before the desired completion: in time.
		const done = step(accepted, "2026-03-04T11:00:00+01:00", "completed");
		expect(read(done)).toMatchObject({ actualResolutionAt: "2026-03-04T11:00:00+01:00", resolutionTargetAt: "2026-03-04T12:00:00+01:00", resolutionBreached: false });
		expect(timeline(done).map(([, kind]) => kind)).toEqual(["started", "responded", "resolution_warning", "resolved"]);
		expect(done.timeline.at(-1)?.text).toBe("Resolved");
	});

	it("earlier than the resolution target, it changes nothing", () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "high", { desiredCompletionAt: "2026-03-02T15:00:00+01:00" }), "2026-03-02T10:05:00+01:00", "accepted");
		expect(read(s)).toMatchObject({ resolutionTargetAt: "2026-03-03T10:00:00+01:00", nextTarget: "resolution", nextTargetAt: "2026-03-03T10:00:00+01:00" });
	});
});

describe("best effort", () => {
	const none = { response: null, resolution: null };

	it("without targets: no target times, next target best_effort, nothing ever falls due", () => {
		const s = start("2026-03-02T10:00:00+01:00", "low", { targets: none });
		expect(read(s)).toMatchObject({ responseTargetAt: null, resolutionTargetAt: null, nextTarget: "best_effort", nextTargetAt: null, nextCheckAt: null });
		const accepted = applyChange(s, { at: t("2026-03-09T10:00:00+01:00"), status: "accepted", impact: "low", targetsForImpact: none, desiredCompletionAt: null, accountable: true }).state;
		expect(read(accepted)).toMatchObject({ actualResponseAt: "2026-03-09T10:00:00+01:00", responseMinutes: 2400, nextTarget: "best_effort", nextTargetAt: null });
		const done = applyChange(accepted, { at: t("2026-03-10T10:00:00+01:00"), status: "completed", impact: "low", targetsForImpact: none, desiredCompletionAt: null, accountable: true }).state;
		expect(read(done)).toMatchObject({ resolutionMinutes: 2880, nextTarget: "none", responseBreached: false, resolutionBreached: false });
		expect(recordDue(done, t("2027-01-01T00:00:00+01:00")).recorded).toEqual([]);
	});

	it("with a resolution target only: the next target is the resolution from the start", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high", { targets: { response: null, resolution: { minutes: 120 } } });
		expect(read(s)).toMatchObject({ responseTargetAt: null, resolutionTargetAt: "2026-03-02T12:00:00+01:00", nextTarget: "resolution", nextTargetAt: "2026-03-02T12:00:00+01:00" });
	});
});

describe("warnings and breaches", () => {
	it("when a change arrives after a target, the warning and the breach are recorded at their own instants first", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high");
		const { state, entries } = applyChange(s, { at: t("2026-03-02T11:20:00+01:00"), status: "accepted", impact: "high", targetsForImpact: TARGETS.high, desiredCompletionAt: null, accountable: true });
		expect(entries.map((e) => [local(e.at), e.kind, e.text])).toEqual([
			["2026-03-02T10:48:00+01:00", "response_warning", "Response target approaching"],
			["2026-03-02T11:00:00+01:00", "response_breached", "Response target breached"],
			["2026-03-02T11:20:00+01:00", "responded", "Responded, after the response target"],
		]);
		expect(read(state)).toMatchObject({ responseBreached: true, resolutionBreached: false, responseMinutes: 80, nextTarget: "resolution" });
	});

	it("the alarm's recordDue records what fell due up to now, at the instants it fell due, once", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high");
		expect(recordDue(s, t("2026-03-02T10:47:59+01:00")).recorded).toEqual([]);
		const first = recordDue(s, t("2026-03-02T10:50:00+01:00"));
		expect(first.recorded.map((e) => [local(e.at), e.kind])).toEqual([["2026-03-02T10:48:00+01:00", "response_warning"]]);
		// The target instant itself is still in time: the breach falls due once the clock ran past it.
		expect(local(figures(first.state).nextCheckAt)).toBe("2026-03-02T11:00:00.001+01:00");
		expect(recordDue(first.state, t("2026-03-02T11:00:00+01:00")).recorded).toEqual([]);
		const second = recordDue(first.state, t("2026-03-02T11:00:00.001+01:00"));
		expect(second.recorded.map((e) => [local(e.at), e.kind])).toEqual([["2026-03-02T11:00:00+01:00", "response_breached"]]);
		expect(second.state.responseBreached).toBe(true);
		// Still no response: the next target stays the (breached) response target; the resolution warning comes next.
		expect(read(second.state)).toMatchObject({ nextTarget: "response", nextTargetAt: "2026-03-02T11:00:00+01:00", nextCheckAt: "2026-03-02T16:24:00+01:00" });
		expect(recordDue(second.state, t("2026-03-02T11:05:00+01:00")).recorded).toEqual([]);
		// Everything at once, much later: in time order, each at its instant.
		const late = recordDue(s, t("2026-03-09T09:00:00+01:00"));
		expect(late.recorded.map((e) => [local(e.at), e.kind])).toEqual([
			["2026-03-02T10:48:00+01:00", "response_warning"],
			["2026-03-02T11:00:00+01:00", "response_breached"],
			["2026-03-02T16:24:00+01:00", "resolution_warning"],
			["2026-03-03T10:00:00+01:00", "resolution_breached"],
		]);
		expect(read(late.state)).toMatchObject({ responseBreached: true, resolutionBreached: true, nextCheckAt: null });
	});

	it("warn at the offering's warningPercent of the target's running time: a stop delays the warning too", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high", { warningPercent: 50 });
		expect(read(s).nextCheckAt).toBe("2026-03-02T10:30:00+01:00"); // 50 % of 60
		const accepted = step(s, "2026-03-02T10:10:00+01:00", "accepted");
		expect(read(accepted).nextCheckAt).toBe("2026-03-02T14:00:00+01:00"); // 50 % of 480 = 240 after 10:00
		const waiting = step(accepted, "2026-03-02T11:00:00+01:00", "waiting_for_customer");
		const answered = step(waiting, "2026-03-02T13:00:00+01:00", "in_progress");
		// 60 minutes ran before the stop (10:00–11:00), 120 stopped; 180 more from 13:00: 16:00.
		expect(read(answered)).toMatchObject({ resolutionTargetAt: "2026-03-03T12:00:00+01:00", nextCheckAt: "2026-03-02T16:00:00+01:00" });
		const warned = recordDue(answered, t("2026-03-02T16:00:00+01:00"));
		expect(warned.recorded.map((e) => [local(e.at), e.kind])).toEqual([["2026-03-02T16:00:00+01:00", "resolution_warning"]]);
		expect(read(warned.state).nextCheckAt).toBe("2026-03-03T12:00:00.001+01:00");
	});

	it("a warning never falls inside a stop, however long the stop", () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "high"), "2026-03-02T10:01:00+01:00", "accepted");
		// Waiting for the customer from 10:02 for three working days.
		const waiting = step(s, "2026-03-02T10:02:00+01:00", "waiting_for_customer");
		const answered = step(waiting, "2026-03-05T10:02:00+01:00", "in_progress");
		const f = figures(answered);
		expect(local(f.resolutionTargetAt)).toBe("2026-03-06T10:00:00+01:00"); // Tue 10:00 + 1,440
		// 2 minutes ran before the stop; the warning comes when 384 have run: 382 after Thu 10:02.
		expect(local(f.nextCheckAt)).toBe("2026-03-05T16:24:00+01:00");
		expect(f.nextCheckAt).toBeGreaterThan(t("2026-03-05T10:02:00+01:00"));
	});

	it("an impact raised past its new target: breached at once, by the change, and the timeline says so", () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "medium"), "2026-03-02T10:05:00+01:00", "accepted");
		// Tuesday 10:00: top (resolve within 120 minutes of Monday 10:00, that is Monday 12:00).
		const { state: raised, entries } = applyChange(s, { at: t("2026-03-03T10:00:00+01:00"), status: "in_progress", impact: "top", targetsForImpact: TARGETS.top, desiredCompletionAt: null, accountable: true });
		expect(read(raised)).toMatchObject({ impact: "top", resolutionTargetAt: "2026-03-02T12:00:00+01:00", nextTarget: "resolution", resolutionBreached: true, responseBreached: false });
		// Not at Monday 12:00, before the change: the timeline reads in time order.
		expect(entries.map((e) => [local(e.at), e.kind, e.text])).toEqual([
			[
				"2026-03-03T10:00:00+01:00",
				"impact_changed",
				"Impact medium → top: resolution target moved from Wed 4 Mar 2026 10:00 to Mon 2 Mar 2026 12:00 (Europe/Amsterdam). The resolution target has now passed: breached.",
			],
			["2026-03-03T10:00:00+01:00", "resolution_breached", "Resolution target breached: the new target has already passed"],
		]);
		// Nothing is left to fall due: the breach ended the new target's warning too.
		expect(figures(raised).nextCheckAt).toBeNull();
		expect(recordDue(raised, t("2026-03-09T10:00:00+01:00")).recorded).toEqual([]);
	});

	it("nothing falls due while the clock is stopped, and a breach before a stop stays recorded", () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "top"), "2026-03-02T10:05:00+01:00", "accepted");
		// Resolve within 120 minutes: 12:00. Waiting for the customer from 12:30 (the breach at 12:00 is recorded first).
		const waiting = applyChange(s, { at: t("2026-03-02T12:30:00+01:00"), status: "waiting_for_customer", impact: "top", targetsForImpact: TARGETS.top, desiredCompletionAt: null, accountable: true });
		expect(waiting.entries.map((e) => [local(e.at), e.kind])).toEqual([
			["2026-03-02T11:36:00+01:00", "resolution_warning"],
			["2026-03-02T12:00:00+01:00", "resolution_breached"],
			["2026-03-02T12:30:00+01:00", "stopped"],
		]);
		expect(recordDue(waiting.state, t("2026-03-20T12:00:00+01:00")).recorded).toEqual([]);
		expect(read(waiting.state)).toMatchObject({ resolutionBreached: true, nextTarget: "clock_stopped", nextCheckAt: null });
	});
});

describe("accountability", () => {
	it("once the request left the provider's teams, the clock is kept but runs to no target", () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "high"), "2026-03-02T10:30:00+01:00", "waiting_for_customer");
		const gone = applyChange(s, { at: t("2026-03-03T10:00:00+01:00"), status: "assigned", impact: "high", targetsForImpact: TARGETS.high, desiredCompletionAt: null, accountable: false });
		expect(gone.entries.map((e) => [local(e.at), e.kind])).toEqual([["2026-03-03T10:00:00+01:00", "not_accountable"]]);
		expect(gone.state.accountable).toBe(false);
		// The stop ended with the provider's accountability: Mon 10:30–17:00 (390) + Tue 09:00–10:00 (60).
		expect(stops(gone.state)).toEqual([["2026-03-02T10:30:00+01:00", "2026-03-03T10:00:00+01:00", 450, "waiting_for_customer"]]);
		expect(read(gone.state)).toMatchObject({ nextTarget: "none", nextTargetAt: null, nextCheckAt: null, responseBreached: false, resolutionBreached: false });
		expect(recordDue(gone.state, t("2026-04-01T10:00:00+02:00")).recorded).toEqual([]);
	});
});

describe("met or breached follows from the instants, whatever moved them (issue 8, point 9)", () => {
	it("an impact lowered after a late response: the response is within its new target, no longer breached", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high");
		// The alarm at 11:05 records the breach of the 11:00 response target; the response comes at 11:20.
		const late = step(recordDue(s, t("2026-03-02T11:05:00+01:00")).state, "2026-03-02T11:20:00+01:00", "accepted");
		expect(read(late)).toMatchObject({ responseTargetAt: "2026-03-02T11:00:00+01:00", actualResponseAt: "2026-03-02T11:20:00+01:00", responseBreached: true });
		// 11:30: low (respond within 1 business day: Tuesday 10:00).
		const { state, entries } = applyChange(late, { at: t("2026-03-02T11:30:00+01:00"), status: "accepted", impact: "low", targetsForImpact: TARGETS.low, desiredCompletionAt: null, accountable: true });
		expect(read(state)).toMatchObject({ responseTargetAt: "2026-03-03T10:00:00+01:00", actualResponseAt: "2026-03-02T11:20:00+01:00", responseBreached: false, resolutionBreached: false });
		expect(figures(state)).toMatchObject({ responseVerdict: "met", resolutionVerdict: "pending" });
		expect(entries.map((e) => [local(e.at), e.kind, e.text])).toEqual([
			[
				"2026-03-02T11:30:00+01:00",
				"impact_changed",
				"Impact high → low: response target moved from Mon 2 Mar 2026 11:00 to Tue 3 Mar 2026 10:00; resolution target moved from Tue 3 Mar 2026 10:00 to Thu 5 Mar 2026 10:00 (Europe/Amsterdam). The response is now within target.",
			],
		]);
		// The breach recorded at 11:00 stays in the timeline as what happened then.
		expect(timeline(state).map(([, kind]) => kind)).toEqual(["started", "response_warning", "response_breached", "responded", "impact_changed"]);
	});

	it("an impact raised so that the new target is before the response: breached, and the breach is in the timeline", () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "low"), "2026-03-02T10:30:00+01:00", "accepted");
		expect(figures(s).responseVerdict).toBe("met");
		// 11:00: top (respond within 15 minutes: 10:15, before the 10:30 response).
		const { state, entries } = applyChange(s, { at: t("2026-03-02T11:00:00+01:00"), status: "accepted", impact: "top", targetsForImpact: TARGETS.top, desiredCompletionAt: null, accountable: true });
		expect(read(state)).toMatchObject({ responseTargetAt: "2026-03-02T10:15:00+01:00", resolutionTargetAt: "2026-03-02T12:00:00+01:00", responseBreached: true, resolutionBreached: false });
		expect(figures(state)).toMatchObject({ responseVerdict: "breached", resolutionVerdict: "pending" });
		expect(entries.map((e) => [local(e.at), e.kind, e.text])).toEqual([
			[
				"2026-03-02T11:00:00+01:00",
				"impact_changed",
				"Impact low → top: response target moved from Tue 3 Mar 2026 10:00 to Mon 2 Mar 2026 10:15; resolution target moved from Thu 5 Mar 2026 10:00 to Mon 2 Mar 2026 12:00 (Europe/Amsterdam). The response is now after its target: breached.",
			],
			["2026-03-02T11:00:00+01:00", "response_breached", "Response target breached: the response came after the new target"],
		]);
		// The resolution target (12:00) still runs: its warning (80 % of 120 minutes) and breach are still to come.
		expect(local(figures(state).nextCheckAt)).toBe("2026-03-02T11:36:00+01:00");
	});

	it("a target met exactly at its instant is met; the clock must run past it to breach it", () => {
		const s = start("2026-03-02T10:00:00+01:00", "high");
		const onTheDot = step(s, "2026-03-02T11:00:00+01:00", "accepted");
		expect(figures(onTheDot).responseVerdict).toBe("met");
		expect(timeline(onTheDot).map(([, kind]) => kind)).toEqual(["started", "response_warning", "responded"]);
		expect(figures(step(s, "2026-03-02T11:00:00.001+01:00", "accepted")).responseVerdict).toBe("breached");
	});

	it("a stop holds the verdict: an impact raised while waiting for the customer breaches only a target that passed before the stop", () => {
		const waiting = step(step(start("2026-03-02T10:00:00+01:00", "low"), "2026-03-02T10:05:00+01:00", "accepted"), "2026-03-02T11:00:00+01:00", "waiting_for_customer");
		// Top: resolve within 120 minutes, Monday 12:00 — after the stop began at 11:00: it will move out by the stop.
		const raised = step(waiting, "2026-03-02T15:00:00+01:00", "waiting_for_customer", { impact: "top" });
		expect(figures(raised)).toMatchObject({ resolutionVerdict: "pending", nextTarget: "clock_stopped" });
		// A 30-minute resolution target instead: 10:30, passed before the stop began.
		const tight = applyChange(waiting, { at: t("2026-03-02T15:00:00+01:00"), status: "waiting_for_customer", impact: "top", targetsForImpact: { response: TARGETS.top.response, resolution: { minutes: 30 } }, desiredCompletionAt: null, accountable: true });
		expect(figures(tight.state).resolutionVerdict).toBe("breached");
		expect(tight.entries.map((e) => e.kind)).toEqual(["impact_changed", "resolution_breached"]);
	});
});

describe("one warning per target (issue 8, point 9)", () => {
	// High: resolve within 480 minutes of Monday 10:00 (Tuesday 10:00); warned at 80 %, Monday 16:24.
	const warned = () => {
		const s = step(start("2026-03-02T10:00:00+01:00", "high"), "2026-03-02T10:05:00+01:00", "accepted");
		const { state, recorded } = recordDue(s, t("2026-03-02T16:25:00+01:00"));
		expect(recorded.map((e) => [local(e.at), e.kind])).toEqual([["2026-03-02T16:24:00+01:00", "resolution_warning"]]);
		return state;
	};
	const warnings = (s: ClockState) => timeline(s).filter(([, kind]) => kind === "resolution_warning");

	it("a stop and a resume move the target but keep it the same target: no second warning", () => {
		const waiting = step(warned(), "2026-03-02T16:30:00+01:00", "waiting_for_customer");
		// Resumed Tuesday 11:00: the target and its warning instant move out by 150 minutes (Mon 16:30–17:00, Tue 09:00–11:00).
		const resumed = step(waiting, "2026-03-03T11:00:00+01:00", "in_progress");
		expect(read(resumed)).toMatchObject({ resolutionTargetAt: "2026-03-03T12:30:00+01:00", nextCheckAt: "2026-03-03T12:30:00.001+01:00" });
		expect(warnings(recordDue(resumed, t("2026-03-03T12:00:00+01:00")).state)).toHaveLength(1);
	});

	it("an impact change sets a new target, which warns once in its turn", () => {
		// Monday 16:30: low (3 business days: Thursday 10:00; 80 % of 1,440 minutes is Wednesday 13:12).
		const low = step(warned(), "2026-03-02T16:30:00+01:00", "accepted", { impact: "low" });
		expect(read(low).nextCheckAt).toBe("2026-03-04T13:12:00+01:00");
		const lowWarned = recordDue(low, t("2026-03-04T13:15:00+01:00")).state;
		expect(warnings(lowWarned).map(([at]) => at)).toEqual(["2026-03-02T16:24:00+01:00", "2026-03-04T13:12:00+01:00"]);
		expect(recordDue(lowWarned, t("2026-03-05T09:59:00+01:00")).recorded).toEqual([]);
	});

	it("going back to an impact whose target was warned about does not warn again", () => {
		const low = step(warned(), "2026-03-02T16:30:00+01:00", "accepted", { impact: "low" });
		// Back to high at 16:40: Tuesday 10:00 again, its warning instant (16:24) long past — but it warned already.
		const high = step(low, "2026-03-02T16:40:00+01:00", "accepted", { impact: "high" });
		expect(read(high)).toMatchObject({ resolutionTargetAt: "2026-03-03T10:00:00+01:00", nextCheckAt: "2026-03-03T10:00:00.001+01:00" });
		const later = recordDue(high, t("2026-03-03T10:30:00+01:00"));
		expect(later.recorded.map((e) => e.kind)).toEqual(["resolution_breached"]);
		expect(warnings(later.state)).toHaveLength(1);
	});

	it("clocks stored before, with a warned flag per kind, warn no more about the target of the time", () => {
		const { warnedTargets: _, ...stored } = warned();
		const old = clockOf({ ...stored, responseWarned: false, resolutionWarned: true });
		expect(old.warnedTargets).toEqual(['resolution {"minutes":480}']);
		expect(recordDue(old, t("2026-03-03T09:59:00+01:00")).recorded).toEqual([]);
	});
});

describe("support hours changed while the clock runs (issue 8, point 10)", () => {
	const holidayTuesday: Calendar = { ...OFFICE, holidays: [{ name: "Closed", date: "2026-03-03" }] };
	const mornings: Calendar = { ...OFFICE, hours: OFFICE.hours.map((h) => ({ ...h, until: "13:00" })) };
	const queue = (s: ClockState, iso: string, calendar: Calendar): ClockState => ({ ...s, pendingCalendars: [...(s.pendingCalendars ?? []), { at: t(iso), calendar }] });
	// High, accepted at 10:05: resolve by Tuesday 10:00 (Mon 10:00–17:00, then 60 minutes on Tuesday).
	const running = () => step(start("2026-03-02T10:00:00+01:00", "high"), "2026-03-02T10:05:00+01:00", "accepted");

	it("a holiday added: the open clock's target moves out, from the instant of the change, and the timeline says so", () => {
		const { state, recorded } = recordDue(queue(running(), "2026-03-02T12:00:00+01:00", holidayTuesday), t("2026-03-02T12:00:00+01:00"));
		expect(read(state)).toMatchObject({ resolutionTargetAt: "2026-03-04T10:00:00+01:00", nextTargetAt: "2026-03-04T10:00:00+01:00" });
		expect(recorded.map((e) => [local(e.at), e.kind, e.text])).toEqual([
			["2026-03-02T12:00:00+01:00", "support_hours_changed", "Support hours changed: resolution target moved from Tue 3 Mar 2026 10:00 to Wed 4 Mar 2026 10:00 (Europe/Amsterdam)"],
		]);
		expect(state.calendar).toEqual(holidayTuesday);
		expect(state.pendingCalendars).toBeUndefined();
	});

	it("hours shortened: what ran stays measured in the old hours, what is left follows the new", () => {
		// Mornings only (09:00–13:00) from Monday 14:00 on.
		const { state } = recordDue(queue(running(), "2026-03-02T14:00:00+01:00", mornings), t("2026-03-02T14:00:00+01:00"));
		// 240 minutes ran (Mon 10:00–14:00, in the old hours); the 240 left fill Tuesday 09:00–13:00. Measured
		// again in the new hours, Monday would count 180 and the target be Wednesday 10:00.
		expect(read(state).resolutionTargetAt).toBe("2026-03-03T13:00:00+01:00");
		const done = step(state, "2026-03-03T12:30:00+01:00", "completed");
		expect(read(done)).toMatchObject({ resolutionMinutes: 450, resolutionBreached: false }); // 240 + 210
	});

	it("a completed clock keeps its hours; reopened, it follows the new ones from the reopening", () => {
		const done = step(running(), "2026-03-02T11:00:00+01:00", "completed");
		const queued = queue(done, "2026-03-02T12:00:00+01:00", holidayTuesday);
		const kept = recordDue(queued, t("2026-03-02T12:00:00+01:00"));
		expect(kept.recorded).toEqual([]);
		expect(read(kept.state)).toEqual(read(done));
		expect(kept.state.calendar).toEqual(OFFICE);
		// Reopened Monday 14:00: 3 h completed are a stop; the holiday now counts, from 14:00 on.
		const reopened = applyChange(kept.state, { at: t("2026-03-02T14:00:00+01:00"), status: "assigned", impact: "high", targetsForImpact: TARGETS.high, desiredCompletionAt: null, accountable: true });
		expect(reopened.entries.map((e) => [local(e.at), e.kind])).toEqual([
			["2026-03-02T14:00:00+01:00", "reopened"],
			["2026-03-02T14:00:00+01:00", "support_hours_changed"],
		]);
		// Tue 10:00 + 180 stopped = Tue 13:00 in the old hours; with Tuesday closed: Wed 13:00.
		expect(read(reopened.state).resolutionTargetAt).toBe("2026-03-04T13:00:00+01:00");
	});

	it("a breach recorded before the change stays recorded; changes are taken in in order, each after what fell due before it", () => {
		const top = start("2026-03-02T10:00:00+01:00", "top"); // respond by 10:15, resolve by 12:00
		const closedAfternoon: Calendar = { ...OFFICE, holidays: [{ name: "Afternoon off", date: "2026-03-02", from: "11:00", until: "17:00" }] };
		const queued = queue(queue(top, "2026-03-02T10:30:00+01:00", closedAfternoon), "2026-03-02T10:45:00+01:00", OFFICE);
		const { state, recorded } = recordDue(queued, t("2026-03-02T10:50:00+01:00"));
		expect(recorded.map((e) => [local(e.at), e.kind])).toEqual([
			["2026-03-02T10:12:00+01:00", "response_warning"],
			["2026-03-02T10:15:00+01:00", "response_breached"],
			["2026-03-02T10:30:00+01:00", "support_hours_changed"],
			["2026-03-02T10:45:00+01:00", "support_hours_changed"],
		]);
		expect(recorded[2]?.text).toBe("Support hours changed: resolution target moved from Mon 2 Mar 2026 12:00 to Tue 3 Mar 2026 10:00 (Europe/Amsterdam)");
		expect(recorded[3]?.text).toBe("Support hours changed: resolution target moved from Tue 3 Mar 2026 10:00 to Mon 2 Mar 2026 12:00 (Europe/Amsterdam)");
		expect(read(state)).toMatchObject({ responseTargetAt: "2026-03-02T10:15:00+01:00", responseBreached: true, resolutionTargetAt: "2026-03-02T12:00:00+01:00" });
		expect(state.earlierCalendars?.map((e) => [local(e.until), e.calendar])).toEqual([
			["2026-03-02T10:30:00+01:00", OFFICE],
			["2026-03-02T10:45:00+01:00", closedAfternoon],
		]);
	});
});

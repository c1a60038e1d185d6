// The SLA clock of one request under one SLA, as pure functions over a plain state: started when
// the provider first hears of the request, stopped while it waits for the customer (and between a
// completion and a reopen), with targets snapshotted from the offering whenever the impact is set,
// pushed out by the stopped business time, and breaches recorded at the instant they happened.
// Rules: ../shared/reference/domain.md §d (4me's AffectedSla semantics); times are epoch ms.
import { addBusinessDays, addBusinessMinutes, businessMinutesBetween, compileCalendar, type BusinessCalendar } from "../shared/business-time";
import type { RequestImpact, RequestStatus } from "../shared/request-api";
import type { Calendar, Target } from "../shared/service-api";
import type { ClockEventKind, NextTargetKind } from "../shared/sla-api";

/** Statuses that count as the provider's response when first reached (4me leaves the list to us). */
export const RESPONSE_STATUSES: ReadonlySet<RequestStatus> = new Set<RequestStatus>([
	"accepted",
	"in_progress",
	"waiting_for",
	"waiting_for_customer",
	"on_backlog",
	"completed",
]);

export interface Stop {
	from: number;
	/** null while the clock is stopped. */
	until: number | null;
	/** Support-hours minutes of the stop once it ended (0 while it lasts). */
	minutes: number;
	reason: "waiting_for_customer" | "completed";
}

export interface ClockEntry {
	at: number;
	kind: ClockEventKind;
	text: string;
}

export interface ClockState {
	startedAt: number;
	impact: RequestImpact;
	responseTarget: Target;
	resolutionTarget: Target;
	calendar: Calendar;
	warningPercent: number;
	desiredCompletionAt: number | null;
	status: RequestStatus;
	accountable: boolean;
	stops: Stop[];
	actualResponseAt: number | null;
	actualResolutionAt: number | null;
	responseWarned: boolean;
	resolutionWarned: boolean;
	responseBreached: boolean;
	resolutionBreached: boolean;
	timeline: ClockEntry[];
}

/** What the clock says now: everything derived from the state (never stored on its own). */
export interface ClockFigures {
	responseTargetAt: number | null;
	/** The effective resolution target: the desired completion when that is later. */
	resolutionTargetAt: number | null;
	responseMinutes: number | null;
	resolutionMinutes: number | null;
	stoppedMinutes: number;
	clockStoppedAt: number | null;
	nextTarget: NextTargetKind;
	nextTargetAt: number | null;
	/** When a warning or breach not yet recorded falls due (null: nothing can fall due). */
	nextCheckAt: number | null;
}

/** A change of the request, as its owner made it, at the owner's time. */
export interface RequestChange {
	at: number;
	status: RequestStatus;
	impact: RequestImpact;
	/** The offering's targets for `impact` now: used only when the impact changed. */
	targetsForImpact: { response: Target; resolution: Target };
	desiredCompletionAt: number | null;
	/** False once the request left the provider's teams. */
	accountable: boolean;
}

// Compiling a calendar is cheap but not free; clocks share a handful of calendars. One change of
// a clock asks for its calendar many times (the state is copied, the calendar object is not): the
// object is looked up first, its text only when the object is new (a clock just read from storage).
const byObject = new WeakMap<Calendar, BusinessCalendar>();
const byText = new Map<string, BusinessCalendar>();
export function calendarOf(calendar: Calendar): BusinessCalendar {
	let cal = byObject.get(calendar);
	if (cal) return cal;
	const key = JSON.stringify(calendar);
	cal = byText.get(key);
	if (!cal) {
		if (byText.size > 200) byText.clear();
		cal = compileCalendar(calendar);
		byText.set(key, cal);
	}
	byObject.set(calendar, cal);
	return cal;
}

function baseTarget(cal: BusinessCalendar, startedAt: number, target: Target): number | null {
	if (!target) return null;
	return "minutes" in target ? addBusinessMinutes(cal, startedAt, target.minutes) : addBusinessDays(cal, startedAt, target.businessDays);
}

/** `at` pushed out by `minutes` of support hours (a stop's length). */
function pushed(cal: BusinessCalendar, at: number | null, minutes: number): number | null {
	if (at === null || minutes <= 0) return at;
	return addBusinessMinutes(cal, at, minutes);
}

const closedStopMinutes = (stops: Stop[], before = Number.POSITIVE_INFINITY) =>
	stops.reduce((sum, s) => (s.until !== null && s.from < before ? sum + s.minutes : sum), 0);

const openStop = (s: ClockState): Stop | undefined => s.stops.find((x) => x.until === null);

/** The target instants, and when their warnings fall due, as the clock's state says now. */
interface Instants {
	responseStopped: number;
	allStopped: number;
	responseTargetAt: number | null;
	resolutionTargetAt: number | null;
	desiredWins: boolean;
	responseWarningAt: number | null;
	resolutionWarningAt: number | null;
}

function instants(s: ClockState, cal: BusinessCalendar): Instants {
	const responseStopped = closedStopMinutes(s.stops, s.actualResponseAt ?? Number.POSITIVE_INFINITY);
	const allStopped = closedStopMinutes(s.stops);
	const responseBase = baseTarget(cal, s.startedAt, s.responseTarget);
	const resolutionBase = baseTarget(cal, s.startedAt, s.resolutionTarget);
	const responseTargetAt = pushed(cal, responseBase, responseStopped);
	const slaResolutionAt = pushed(cal, resolutionBase, allStopped);
	const desiredWins = s.desiredCompletionAt !== null && slaResolutionAt !== null && s.desiredCompletionAt > slaResolutionAt;
	// A warning falls due when its share of the target's own running time has passed: a stop holds
	// it back as it holds back the target (never inside a stop). A desired completion is a fixed
	// instant: its warning is that share of the time from the start.
	const share = (base: number | null, stopped: number) => (base === null ? null : pushed(cal, warningAt(s, cal, base), stopped));
	return {
		responseStopped,
		allStopped,
		responseTargetAt,
		resolutionTargetAt: desiredWins ? s.desiredCompletionAt : slaResolutionAt,
		desiredWins,
		responseWarningAt: share(responseBase, responseStopped),
		resolutionWarningAt: desiredWins ? share(s.desiredCompletionAt, 0) : share(resolutionBase, allStopped),
	};
}

export function figures(s: ClockState): ClockFigures {
	const cal = calendarOf(s.calendar);
	const at = instants(s, cal);
	const { responseStopped, allStopped, responseTargetAt, resolutionTargetAt, desiredWins } = at;
	const worked = (until: number, stopped: number) => Math.max(0, Math.round(businessMinutesBetween(cal, s.startedAt, until) - stopped));
	const stop = openStop(s);

	let nextTarget: NextTargetKind;
	let nextTargetAt: number | null = null;
	if (!s.accountable || s.actualResolutionAt !== null) nextTarget = "none";
	else if (stop) nextTarget = "clock_stopped";
	else if (responseTargetAt !== null && s.actualResponseAt === null) [nextTarget, nextTargetAt] = ["response", responseTargetAt];
	else if (resolutionTargetAt !== null) [nextTarget, nextTargetAt] = [desiredWins ? "desired_completion" : "resolution", resolutionTargetAt];
	else nextTarget = "best_effort";

	return {
		responseTargetAt,
		resolutionTargetAt,
		responseMinutes: s.actualResponseAt === null ? null : worked(s.actualResponseAt, responseStopped),
		resolutionMinutes: s.actualResolutionAt === null ? null : worked(s.actualResolutionAt, allStopped),
		stoppedMinutes: allStopped,
		clockStoppedAt: stop?.from ?? null,
		nextTarget,
		nextTargetAt,
		nextCheckAt: pending(s, at)[0]?.at ?? null,
	};
}

/** The instant `percent` % of the support hours between start and `target` have passed (stops aside: see instants). */
function warningAt(s: ClockState, cal: BusinessCalendar, target: number): number {
	const total = businessMinutesBetween(cal, s.startedAt, target);
	return addBusinessMinutes(cal, s.startedAt, (total * s.warningPercent) / 100) ?? target;
}

interface Due {
	at: number;
	kind: "response_warning" | "response_breached" | "resolution_warning" | "resolution_breached";
}

/** Warnings and breaches not yet recorded, in time order (only while the clock runs). */
function pending(s: ClockState, at: Instants): Due[] {
	if (!s.accountable || s.actualResolutionAt !== null || openStop(s)) return [];
	const due: Due[] = [];
	if (at.responseTargetAt !== null && s.actualResponseAt === null) {
		if (!s.responseWarned && !s.responseBreached) due.push({ at: at.responseWarningAt ?? at.responseTargetAt, kind: "response_warning" });
		if (!s.responseBreached) due.push({ at: at.responseTargetAt, kind: "response_breached" });
	}
	if (at.resolutionTargetAt !== null) {
		if (!s.resolutionWarned && !s.resolutionBreached) due.push({ at: at.resolutionWarningAt ?? at.resolutionTargetAt, kind: "resolution_warning" });
		if (!s.resolutionBreached) due.push({ at: at.resolutionTargetAt, kind: "resolution_breached" });
	}
	return due.sort((a, b) => a.at - b.at);
}

const DUE_TEXT: Record<Due["kind"], string> = {
	response_warning: "Response target approaching",
	response_breached: "Response target breached",
	resolution_warning: "Resolution target approaching",
	resolution_breached: "Resolution target breached",
};

/**
 * Records the warnings and breaches that fell due up to `now`, each at the instant it fell due
 * (the alarm may come later; a change may arrive after a target passed). Idempotent.
 */
export function recordDue(s: ClockState, now: number): { state: ClockState; recorded: ClockEntry[] } {
	let state = s;
	const recorded: ClockEntry[] = [];
	// One at a time: recording a warning can change nothing else, but keep the rule simple and exact.
	for (let i = 0; i < 4; i++) {
		const next = pending(state, instants(state, calendarOf(state.calendar)))[0];
		if (!next || next.at > now) break;
		// At the instant it fell due — unless a later change made it due (an impact raised past the
		// new target's instant): then at that change, so the timeline always reads in time order.
		const last = state.timeline[state.timeline.length - 1]?.at ?? state.startedAt;
		const entry: ClockEntry = { at: Math.max(next.at, last), kind: next.kind, text: DUE_TEXT[next.kind] };
		recorded.push(entry);
		state = {
			...state,
			responseWarned: state.responseWarned || next.kind === "response_warning" || next.kind === "response_breached",
			responseBreached: state.responseBreached || next.kind === "response_breached",
			resolutionWarned: state.resolutionWarned || next.kind === "resolution_warning" || next.kind === "resolution_breached",
			resolutionBreached: state.resolutionBreached || next.kind === "resolution_breached",
			timeline: [...state.timeline, entry],
		};
	}
	return { state, recorded };
}

export function startClock(input: {
	startedAt: number;
	impact: RequestImpact;
	targets: { response: Target; resolution: Target };
	calendar: Calendar;
	warningPercent: number;
	desiredCompletionAt: number | null;
}): ClockState {
	return {
		startedAt: input.startedAt,
		impact: input.impact,
		responseTarget: input.targets.response,
		resolutionTarget: input.targets.resolution,
		calendar: input.calendar,
		warningPercent: input.warningPercent,
		desiredCompletionAt: input.desiredCompletionAt,
		status: "assigned",
		accountable: true,
		stops: [],
		actualResponseAt: null,
		actualResolutionAt: null,
		responseWarned: false,
		resolutionWarned: false,
		responseBreached: false,
		resolutionBreached: false,
		timeline: [{ at: input.startedAt, kind: "started", text: "Clock started" }],
	};
}

const formatMinutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h${m % 60 ? ` ${Math.round(m % 60)} min` : ""}` : `${Math.round(m)} min`);

/**
 * Applies one change of the request (in the owner's order, at the owner's time). Due warnings and
 * breaches up to that instant are recorded first, so the timeline reads in time order.
 */
export function applyChange(s: ClockState, change: RequestChange): { state: ClockState; entries: ClockEntry[] } {
	const at = Math.max(change.at, s.startedAt);
	const { state: caughtUp, recorded } = recordDue(s, at);
	let state = caughtUp;
	const entries = [...recorded];
	const cal = calendarOf(state.calendar);
	const log = (kind: ClockEventKind, text: string) => {
		const entry = { at, kind, text };
		entries.push(entry);
		state = { ...state, timeline: [...state.timeline, entry] };
	};
	const closeStop = () => {
		const stop = openStop(state);
		if (!stop) return 0;
		const minutes = businessMinutesBetween(cal, stop.from, at);
		state = { ...state, stops: state.stops.map((x) => (x === stop ? { ...x, until: at, minutes } : x)) };
		return minutes;
	};

	if (change.accountable !== state.accountable) {
		if (!change.accountable) closeStop();
		state = { ...state, accountable: change.accountable };
		log(change.accountable ? "accountable" : "not_accountable", change.accountable ? "The provider is accountable again" : "No longer with the provider's teams: the clock is kept but not reported");
	}

	if (change.impact !== state.impact) {
		const before = state.impact;
		// 4me: the targets are the offering's at the time the impact level was assigned.
		state = { ...state, impact: change.impact, responseTarget: change.targetsForImpact.response, resolutionTarget: change.targetsForImpact.resolution, responseWarned: state.responseBreached, resolutionWarned: state.resolutionBreached };
		log("impact_changed", `Impact changed from ${before} to ${change.impact}: new targets`);
	}
	if (change.desiredCompletionAt !== state.desiredCompletionAt) state = { ...state, desiredCompletionAt: change.desiredCompletionAt };

	const from = state.status;
	const to = change.status;
	if (from !== to) {
		if (from === "completed") {
			// Reopened: the time it spent completed is not the provider's (domain.md §d.2, GLPI #23359).
			const completedAt = state.actualResolutionAt ?? at;
			const minutes = businessMinutesBetween(cal, completedAt, at);
			state = { ...state, actualResolutionAt: null, stops: [...state.stops, { from: completedAt, until: at, minutes, reason: "completed" }] };
			log("reopened", `Reopened: ${formatMinutes(minutes)} of support hours since completion are not counted`);
		}
		if (from === "waiting_for_customer" && openStop(state)) {
			const minutes = closeStop();
			log("resumed", `The clock runs again (stopped ${formatMinutes(minutes)} of support hours)`);
		}
		if (state.actualResponseAt === null && RESPONSE_STATUSES.has(to) && state.accountable) {
			const f = figures(state);
			state = { ...state, actualResponseAt: at };
			log("responded", f.responseTargetAt !== null && at > f.responseTargetAt ? "Responded, after the response target" : "Responded");
		}
		if (to === "waiting_for_customer" && state.accountable) {
			state = { ...state, stops: [...state.stops, { from: at, until: null, minutes: 0, reason: "waiting_for_customer" }] };
			log("stopped", "Waiting for the customer: the clock stopped");
		}
		if (to === "completed") {
			const f = figures(state);
			const late = f.resolutionTargetAt !== null && at > f.resolutionTargetAt;
			state = { ...state, actualResolutionAt: at };
			log("resolved", late ? "Resolved, after the resolution target" : "Resolved");
		}
		state = { ...state, status: to };
	}
	return { state, entries };
}

/** Minutes of a stop that is still running, for display (`now` is the reader's instant). */
export function runningStopMinutes(s: ClockState, now: number): number {
	const stop = openStop(s);
	return stop ? businessMinutesBetween(calendarOf(s.calendar), stop.from, now) : 0;
}


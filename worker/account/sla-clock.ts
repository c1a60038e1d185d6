// The SLA clock of one request under one SLA, as pure functions over a plain state: started when
// the provider first hears of the request, stopped while it waits for the customer (and between a
// completion and a reopen), with targets snapshotted from the offering whenever the impact is set,
// pushed out by the stopped business time, and breaches recorded at the instant they happened.
// Rules: ../shared/reference/domain.md §d (4me's AffectedSla semantics); times are epoch ms.
//
// Met or breached is one rule over instants (verdictOf, kept in the state by judge): an answered
// target is met when the actual is not after it, breached when it is; an open target is breached
// once the clock ran past it (and not while a stop or a release holds the clock); no target is
// best effort. Whatever moves a target or an actual — an impact change, a stop, new support hours,
// a response — is judged again by that rule, and the report, its drill-down and the clock card all
// read the verdicts it gives (sla-reports.ts repeats it in SQL over the same instants).
//
// Support hours changed while a clock runs (takeCalendar): the clock follows the new hours from the
// instant of the change; time that already ran stays measured in the hours then in force
// (business-time.ts compiles the earlier calendars in), and a completed clock keeps its hours.
import { DateTime } from "luxon";
import { addBusinessDays, addBusinessMinutes, businessMinutesBetween, compileCalendar, type BusinessCalendar, type CalendarPeriod } from "../shared/business-time";
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

/** New support hours for the clock from an instant on, not yet taken in (see takeCalendar). */
export interface CalendarChange {
	at: number;
	calendar: Calendar;
}

export interface ClockState {
	startedAt: number;
	impact: RequestImpact;
	responseTarget: Target;
	resolutionTarget: Target;
	/** The support hours the clock follows now. */
	calendar: Calendar;
	/** The hours it followed before, oldest first, each until it was replaced: what ran under them stays measured in them. */
	earlierCalendars?: CalendarPeriod[];
	/** The offering's new hours, queued for the clock (affected-slas.ts followSupportHours); taken in at its next step, in order. */
	pendingCalendars?: CalendarChange[];
	warningPercent: number;
	desiredCompletionAt: number | null;
	status: RequestStatus;
	accountable: boolean;
	stops: Stop[];
	actualResponseAt: number | null;
	actualResolutionAt: number | null;
	/** The targets (targetKeys) a warning was recorded for: one warning per target, ever. */
	warnedTargets: string[];
	/** The verdict "breached" of each target as judge() last found it (for an open target: the clock ran past it). */
	responseBreached: boolean;
	resolutionBreached: boolean;
	timeline: ClockEntry[];
}

/** Whether a target was met: no target (best effort), not yet decided, met, or breached. */
export type Verdict = "none" | "pending" | "met" | "breached";

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
	responseVerdict: Verdict;
	resolutionVerdict: Verdict;
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
// a clock asks for its calendar many times (the state is copied, the calendar objects are not): the
// objects are looked up first, their text only when they are new (a clock just read from storage).
const NONE: readonly CalendarPeriod[] = [];
const byObject = new WeakMap<Calendar, BusinessCalendar>();
const byHistory = new WeakMap<readonly CalendarPeriod[], { calendar: Calendar; cal: BusinessCalendar }>();
const byText = new Map<string, BusinessCalendar>();
export function calendarOf(calendar: Calendar, earlier: readonly CalendarPeriod[] = NONE): BusinessCalendar {
	const hit = earlier.length === 0 ? byObject.get(calendar) : byHistory.get(earlier)?.calendar === calendar ? byHistory.get(earlier)?.cal : undefined;
	if (hit) return hit;
	const key = JSON.stringify(earlier.length === 0 ? calendar : [calendar, earlier]);
	let cal = byText.get(key);
	if (!cal) {
		if (byText.size > 200) byText.clear();
		cal = compileCalendar(calendar, earlier);
		byText.set(key, cal);
	}
	if (earlier.length === 0) byObject.set(calendar, cal);
	else byHistory.set(earlier, { calendar, cal });
	return cal;
}

const clockCalendar = (s: ClockState) => calendarOf(s.calendar, s.earlierCalendars);

/**
 * A stored clock as this module knows it. Clocks written before targets were warned about one by
 * one carry two booleans instead: each stands for the target of the time.
 */
export function clockOf(stored: unknown): ClockState {
	const s = stored as ClockState & { responseWarned?: boolean; resolutionWarned?: boolean };
	if (Array.isArray(s.warnedTargets)) return s;
	const { responseWarned, resolutionWarned, ...rest } = s;
	const state: ClockState = { ...rest, warnedTargets: [] };
	const keys = targetKeys(state, instants(state));
	return { ...state, warnedTargets: [...(responseWarned ? [keys.response] : []), ...(resolutionWarned ? [keys.resolution] : [])] };
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

// A state is never changed in place (every step makes a new one), so its instants, asked for
// several times while one change is applied and stored, are worked out once.
const instantsCache = new WeakMap<ClockState, Instants>();

function instants(s: ClockState): Instants {
	let found = instantsCache.get(s);
	if (!found) {
		found = computeInstants(s, clockCalendar(s));
		instantsCache.set(s, found);
	}
	return found;
}

function computeInstants(s: ClockState, cal: BusinessCalendar): Instants {
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

/**
 * What a target is, for warnings: its duration (or the desired completion that replaced it). A
 * stop, a resume or new support hours move a target but leave it the same target, already warned
 * about; an impact change sets another one, which may warn in its turn — once: going back to an
 * impact whose target was warned about does not warn again.
 */
function targetKeys(s: ClockState, at: Instants): { response: string; resolution: string } {
	return {
		response: `response ${JSON.stringify(s.responseTarget)}`,
		resolution: at.desiredWins ? `desired ${s.desiredCompletionAt}` : `resolution ${JSON.stringify(s.resolutionTarget)}`,
	};
}

/** The one rule (see the top of this file), given whether an open target was found passed. */
function verdictOf(targetAt: number | null, actualAt: number | null, passed: boolean): Verdict {
	if (targetAt === null) return "none";
	if (actualAt !== null) return actualAt > targetAt ? "breached" : "met";
	return passed ? "breached" : "pending";
}

/**
 * How far the clock has run by `at`: up to `at` while it runs, up to the start of a stop that
 * still holds it, up to its release while the provider is not accountable.
 */
function ranUntil(s: ClockState, at: number): number {
	const stop = openStop(s);
	if (stop) return Math.min(at, stop.from);
	if (!s.accountable) return Math.min(at, s.timeline.findLast((e) => e.kind === "not_accountable")?.at ?? at);
	return at;
}

/** The state with its verdicts found again as of `at`: the one place the breach flags are set. */
function judge(s: ClockState, at: number): ClockState {
	const i = instants(s);
	const until = ranUntil(s, at);
	// A target is met up to and including its instant; the clock must run past it to breach it.
	const passed = (target: number | null) => target !== null && until > target;
	return {
		...s,
		responseBreached: verdictOf(i.responseTargetAt, s.actualResponseAt, passed(i.responseTargetAt)) === "breached",
		resolutionBreached: verdictOf(i.resolutionTargetAt, s.actualResolutionAt, passed(i.resolutionTargetAt)) === "breached",
	};
}

export function figures(s: ClockState): ClockFigures {
	const cal = clockCalendar(s);
	const at = instants(s);
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
		nextCheckAt: pending(s, at)[0]?.dueAt ?? null,
		responseVerdict: verdictOf(responseTargetAt, s.actualResponseAt, s.responseBreached),
		resolutionVerdict: verdictOf(resolutionTargetAt, s.actualResolutionAt, s.resolutionBreached),
	};
}

/** The instant `percent` % of the support hours between start and `target` have passed (stops aside: see instants). */
function warningAt(s: ClockState, cal: BusinessCalendar, target: number): number {
	const total = businessMinutesBetween(cal, s.startedAt, target);
	return addBusinessMinutes(cal, s.startedAt, (total * s.warningPercent) / 100) ?? target;
}

interface Due {
	/** The instant it happened, as the timeline records it. */
	at: number;
	/** The first instant at which it has happened: a breach only once the clock ran past the target. */
	dueAt: number;
	kind: "response_warning" | "response_breached" | "resolution_warning" | "resolution_breached";
	key: string;
}

/** Warnings and breaches not yet recorded, in time order (only while the clock runs). */
function pending(s: ClockState, at: Instants): Due[] {
	if (!s.accountable || s.actualResolutionAt !== null || openStop(s)) return [];
	const keys = targetKeys(s, at);
	const due: Due[] = [];
	const add = (kind: "response" | "resolution", targetAt: number | null, warnAt: number | null, breached: boolean, key: string) => {
		if (targetAt === null || breached) return;
		if (!s.warnedTargets.includes(key)) due.push({ at: warnAt ?? targetAt, dueAt: warnAt ?? targetAt, kind: `${kind}_warning`, key });
		due.push({ at: targetAt, dueAt: targetAt + 1, kind: `${kind}_breached`, key });
	};
	if (s.actualResponseAt === null) add("response", at.responseTargetAt, at.responseWarningAt, s.responseBreached, keys.response);
	add("resolution", at.resolutionTargetAt, at.resolutionWarningAt, s.resolutionBreached, keys.resolution);
	return due.sort((a, b) => a.dueAt - b.dueAt);
}

const DUE_TEXT: Record<Due["kind"], string> = {
	response_warning: "Response target approaching",
	response_breached: "Response target breached",
	resolution_warning: "Resolution target approaching",
	resolution_breached: "Resolution target breached",
};

/**
 * Records the warnings and breaches that fell due up to `now`, each at the instant it fell due
 * (the alarm may come later; a change may arrive after a target passed), and takes in new support
 * hours queued up to `now`, each at its instant, after what fell due before it. Idempotent.
 */
export function recordDue(s: ClockState, now: number): { state: ClockState; recorded: ClockEntry[] } {
	let state = s;
	const recorded: ClockEntry[] = [];
	const upTo = (until: number) => {
		// One at a time: recording one can change what else is due (a breach ends its warning).
		for (let i = 0; i < 4; i++) {
			const next = pending(state, instants(state))[0];
			if (!next || next.dueAt > until) break;
			// At the instant it fell due — unless a later change made it due (an impact raised past the
			// new target's instant): then at that change, so the timeline always reads in time order.
			const last = state.timeline[state.timeline.length - 1]?.at ?? state.startedAt;
			const entry: ClockEntry = { at: Math.max(next.at, last), kind: next.kind, text: DUE_TEXT[next.kind] };
			recorded.push(entry);
			state = {
				...state,
				// The time-driven half of the rule: the clock ran past the target (judge agrees).
				responseBreached: state.responseBreached || next.kind === "response_breached",
				resolutionBreached: state.resolutionBreached || next.kind === "resolution_breached",
				// Warned once; a breach ends the warning of its target too (it says more).
				warnedTargets: state.warnedTargets.includes(next.key) ? state.warnedTargets : [...state.warnedTargets, next.key],
				timeline: [...state.timeline, entry],
			};
		}
	};
	for (const change of state.pendingCalendars ?? []) {
		if (change.at > now) break;
		upTo(change.at);
		const taken = takeCalendar(state, change, change.at);
		state = taken.state;
		if (taken.entry) recorded.push(taken.entry);
	}
	upTo(now);
	return { state, recorded };
}

// ── Words for the timeline ───────────────────────────────────────────────────

/** An instant as the timeline writes it, in the support hours' zone: "Tue 3 Mar 2026 15:00". */
function when(ms: number | null, zone: string): string {
	if (ms === null) return "best effort";
	return DateTime.fromMillis(ms, { zone, locale: "en-GB" }).toFormat("ccc d LLL yyyy HH:mm");
}

/** "response target moved from … to …", for each target that moved (of those `which` asks about). */
function moves(before: ClockFigures, after: ClockFigures, zone: string, which: { response: boolean; resolution: boolean }): string[] {
	const parts: string[] = [];
	if (which.response && before.responseTargetAt !== after.responseTargetAt) parts.push(`response target moved from ${when(before.responseTargetAt, zone)} to ${when(after.responseTargetAt, zone)}`);
	if (which.resolution && before.resolutionTargetAt !== after.resolutionTargetAt) parts.push(`resolution target moved from ${when(before.resolutionTargetAt, zone)} to ${when(after.resolutionTargetAt, zone)}`);
	return parts;
}

/** What a moved target's verdict became, in a sentence; null when it did not change in a way worth saying. */
function verdictSentence(what: "response" | "resolution", from: Verdict, to: Verdict): string | null {
	if (from === to) return null;
	if (to === "breached") return from === "met" ? `The ${what} is now after its target: breached.` : `The ${what} target has now passed: breached.`;
	if (from !== "breached") return null;
	return to === "met" ? `The ${what} is now within target.` : `The ${what} target is no longer breached.`;
}

const BREACHED_BY_CHANGE: Record<"response" | "resolution", Record<"met" | "open", string>> = {
	response: { met: "Response target breached: the response came after the new target", open: "Response target breached: the new target has already passed" },
	resolution: { met: "Resolution target breached: the resolution came after the new target", open: "Resolution target breached: the new target has already passed" },
};

/**
 * New support hours from `change.at` on. An open clock follows them from then: what already ran
 * stays measured in the old hours, so only targets still ahead move, and a breach already
 * recorded stays. A completed clock keeps its hours (its figures are final); the change waits in
 * the queue and is taken in if the request is reopened (at the reopening).
 */
function takeCalendar(s: ClockState, change: CalendarChange, from: number): { state: ClockState; entry: ClockEntry | null } {
	if (s.actualResolutionAt !== null) return { state: s, entry: null };
	const rest = (s.pendingCalendars ?? []).filter((c) => c !== change);
	const pendingCalendars = rest.length > 0 ? rest : undefined;
	if (JSON.stringify(change.calendar) === JSON.stringify(s.calendar)) return { state: { ...s, pendingCalendars }, entry: null };
	const at = Math.max(from, s.startedAt);
	const before = figures(s);
	const next: ClockState = {
		...s,
		calendar: change.calendar,
		earlierCalendars: [...(s.earlierCalendars ?? []), { until: at, calendar: s.calendar }],
		pendingCalendars,
	};
	const after = figures(next);
	const moved = moves(before, after, change.calendar.timeZone, { response: s.actualResponseAt === null, resolution: true });
	const text = moved.length > 0 ? `Support hours changed: ${moved.join("; ")} (${change.calendar.timeZone})` : "Support hours changed: the targets stay as they were";
	const entry: ClockEntry = { at: Math.max(at, s.timeline[s.timeline.length - 1]?.at ?? at), kind: "support_hours_changed", text };
	return { state: judge({ ...next, timeline: [...next.timeline, entry] }, at), entry };
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
		warnedTargets: [],
		responseBreached: false,
		resolutionBreached: false,
		timeline: [{ at: input.startedAt, kind: "started", text: "Clock started" }],
	};
}

const formatMinutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h${m % 60 ? ` ${Math.round(m % 60)} min` : ""}` : `${Math.round(m)} min`);

/**
 * Applies one change of the request (in the owner's order, at the owner's time). Due warnings and
 * breaches up to that instant are recorded first, so the timeline reads in time order; what the
 * change did to the targets is judged at its end, and a verdict it turned into a breach is
 * recorded too.
 */
export function applyChange(s: ClockState, change: RequestChange): { state: ClockState; entries: ClockEntry[] } {
	const at = Math.max(change.at, s.startedAt);
	const { state: caughtUp, recorded } = recordDue(s, at);
	let state = caughtUp;
	const entries = [...recorded];
	const log = (kind: ClockEventKind, text: string) => {
		const entry = { at, kind, text };
		entries.push(entry);
		state = { ...state, timeline: [...state.timeline, entry] };
	};
	const closeStop = () => {
		const stop = openStop(state);
		if (!stop) return 0;
		const minutes = businessMinutesBetween(clockCalendar(state), stop.from, at);
		state = { ...state, stops: state.stops.map((x) => (x === stop ? { ...x, until: at, minutes } : x)) };
		return minutes;
	};
	const verdictsBefore = figures(state);

	if (change.accountable !== state.accountable) {
		if (!change.accountable) closeStop();
		state = { ...state, accountable: change.accountable };
		log(change.accountable ? "accountable" : "not_accountable", change.accountable ? "The provider is accountable again" : "No longer with the provider's teams: the clock is kept but not reported");
	}

	if (change.impact !== state.impact) {
		const was = state.impact;
		const before = figures(state);
		// 4me: the targets are the offering's at the time the impact level was assigned.
		state = judge({ ...state, impact: change.impact, responseTarget: change.targetsForImpact.response, resolutionTarget: change.targetsForImpact.resolution }, at);
		const after = figures(state);
		// An answered response's target is worth a word only when its verdict changed with it.
		const responseCounts = state.actualResponseAt === null || before.responseVerdict !== after.responseVerdict;
		const moved = moves(before, after, state.calendar.timeZone, { response: responseCounts, resolution: true });
		const said = [verdictSentence("response", before.responseVerdict, after.responseVerdict), verdictSentence("resolution", before.resolutionVerdict, after.resolutionVerdict)].filter((x) => x !== null);
		const head = `Impact ${was} → ${change.impact}: ${moved.length > 0 ? `${moved.join("; ")} (${state.calendar.timeZone})` : "the targets stay as they were"}.`;
		log("impact_changed", [head, ...said].join(" "));
	}
	if (change.desiredCompletionAt !== state.desiredCompletionAt) state = judge({ ...state, desiredCompletionAt: change.desiredCompletionAt }, at);

	const from = state.status;
	const to = change.status;
	if (from !== to) {
		if (from === "completed") {
			// Reopened: the time it spent completed is not the provider's (domain.md §d.2, GLPI #23359).
			const completedAt = state.actualResolutionAt ?? at;
			const minutes = businessMinutesBetween(clockCalendar(state), completedAt, at);
			state = { ...state, actualResolutionAt: null, stops: [...state.stops, { from: completedAt, until: at, minutes, reason: "completed" }] };
			log("reopened", `Reopened: ${formatMinutes(minutes)} of support hours since completion are not counted`);
			// Support hours that changed while it was completed apply from the reopening on.
			for (const c of state.pendingCalendars ?? []) {
				const taken = takeCalendar(state, c, Math.max(c.at, at));
				state = taken.state;
				if (taken.entry) entries.push(taken.entry);
			}
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

	// Judged once more now that every part of the change is in; a breach the change itself made
	// (not the passing of time, which recordDue recorded above) is written in the timeline too.
	state = judge(state, at);
	const after = figures(state);
	for (const what of ["response", "resolution"] as const) {
		const was = what === "response" ? verdictsBefore.responseVerdict : verdictsBefore.resolutionVerdict;
		const is = what === "response" ? after.responseVerdict : after.resolutionVerdict;
		const actual = what === "response" ? state.actualResponseAt : state.actualResolutionAt;
		if (is === "breached" && was !== "breached") {
			log(`${what}_breached`, BREACHED_BY_CHANGE[what][actual === null ? "open" : "met"]);
			// A breach ends that target's warning.
			const key = targetKeys(state, instants(state))[what];
			if (!state.warnedTargets.includes(key)) state = { ...state, warnedTargets: [...state.warnedTargets, key] };
		}
	}
	return { state, entries };
}

/** Minutes of a stop that is still running, for display (`now` is the reader's instant). */
export function runningStopMinutes(s: ClockState, now: number): number {
	const stop = openStop(s);
	return stop ? businessMinutesBetween(clockCalendar(s), stop.from, now) : 0;
}

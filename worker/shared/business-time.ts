// Business time for SLA clocks: how much open time lies between two instants of a support-hours
// calendar, and when a target measured in business minutes or business days falls due. Pure: Luxon
// supplies the zone rules (DST included); nothing here reads the clock or storage.
//
// Conventions, shared by every function below:
// - Instants are epoch milliseconds. An open interval is half-open, [start, end).
// - A calendar's hours and holidays are local wall-clock times in its zone. Each local date's
//   intervals become instants by Luxon's zone rules, so DST days are as long as they really are:
//   in Europe/Amsterdam 01:00–04:00 is 2 hours on 2026-03-29 and 4 hours on 2026-10-25, and a
//   00:00–24:00 day lasts 23 and 25 hours. 24:00 is the start of the next local date.
// - A wall time that does not exist (inside a spring-forward gap) is the instant Luxon gives: it
//   moves forward by the gap, so Amsterdam's 02:30 on 2026-03-29 is 03:30+02:00. Hence 02:00–03:00
//   is empty that day, 02:15–02:45 is 03:15–03:45+02:00, and 01:00–02:30 lasts 90 minutes and may
//   overlap a following 03:00–04:00 (overlaps are merged).
// - A wall time that occurs twice (fall-back) is its first occurrence, so Amsterdam's 02:00–03:00 on
//   2026-10-25 is 02:00+02:00–03:00+01:00, two real hours. (Luxon's DateTime.fromObject would pick
//   whichever offset is in force today; see wallClockInstant.)
// - Searches stop HORIZON_DAYS local dates past the start's date: a target not reached by then
//   gives null. targetCapacity() says how large a target is sure to be reached, from any start:
//   offerings are checked against it when saved, so that no target silently becomes best effort.
// - A calendar may have replaced earlier ones (support hours changed while clocks ran): compiled
//   with them, it is open as each was, up to the instant it was replaced, and as itself from then
//   on. Time before a change stays measured in the hours then in force; time after follows the new.
//
// Business days (addBusinessDays): a business day is a local date with at least one open minute left
// after its holidays. Counting starts at s = nextOpen(start); the target is the same wall-clock time
// as s on the N-th business day after s's date, moved into that day's open hours: before its first
// opening → the first opening; in a gap between two intervals → the next interval's start; after its
// last close → the last close. A time inside an interval, or exactly at a close, is kept.

import { DateTime, IANAZone } from "luxon";
import { type Calendar, isCalendarDate, minutesOf, WEEKDAYS } from "./calendar";

/**
 * How many local dates past the start's date a search walks before giving up (about three years). It keeps
 * a calendar with one open minute a week, or none at all, from looping on a large target; no real SLA
 * target comes near it.
 */
export const HORIZON_DAYS = 1_100;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1_440;
/** Per-date results kept in a compiled calendar; past this the cache starts over. */
const DAY_CACHE_LIMIT = 4_096;

/** Open time as instants, [start, end) in epoch milliseconds. */
export interface OpenInterval {
	start: number;
	end: number;
}

/** Minutes of a local day, [from, until). */
type Span = readonly [from: number, until: number];

interface DayPlan {
	intervals: readonly OpenInterval[];
	/** Open milliseconds of the day. */
	total: number;
	/** First opening and last close; null on a day with no open time. */
	span: { open: number; close: number } | null;
}

/** A calendar that was in force until an instant, when another replaced it. */
export interface CalendarPeriod {
	until: number;
	calendar: Calendar;
}

/**
 * A calendar prepared by compileCalendar. Treat it as opaque: compile once per calendar and pass it
 * to every call; it caches each local date's open intervals as they are asked for.
 */
export interface BusinessCalendar {
	readonly timeZone: string;
	readonly zone: IANAZone;
	/** Open minutes per weekday, Monday first, sorted and merged. */
	readonly weekly: readonly (readonly Span[])[];
	/** Closed minutes per holiday date, keyed by day number (days since 1970-01-01). */
	readonly closed: ReadonlyMap<number, readonly Span[]>;
	/** The calendars this one replaced, oldest first, each open as itself until its `until`; this one from the last `until` on. */
	readonly earlier: readonly { until: number; cal: BusinessCalendar }[];
	readonly days: Map<number, DayPlan>;
	/** Local midnights by day number: [instant, offset in minutes]. */
	readonly midnights: Map<number, readonly [number, number]>;
}

/** True for a time zone Luxon knows (IANA names such as "Europe/Amsterdam", and "UTC"). */
export function isValidTimeZone(zone: string): boolean {
	return IANAZone.isValidZone(zone);
}

/**
 * Prepares a calendar that passed calendarProblems() for the functions below. `earlier`: the
 * calendars it replaced, oldest first, each in force until its instant (see the top of this file);
 * local dates are this calendar's, the earlier ones' hours are cut at their instants.
 * @throws RangeError when a time zone is unknown or the instants are not in order.
 */
export function compileCalendar(calendar: Calendar, earlier: readonly CalendarPeriod[] = []): BusinessCalendar {
	earlier.forEach((e, i) => {
		assertInstant("until", e.until);
		if (i > 0 && e.until < (earlier[i - 1]?.until ?? e.until)) throw new RangeError("Earlier calendars must be in the order they were replaced.");
	});
	if (!isValidTimeZone(calendar.timeZone)) {
		throw new RangeError(`Unknown time zone "${calendar.timeZone}": expected an IANA name such as "Europe/Amsterdam".`);
	}
	const weekly = WEEKDAYS.map((day) => mergeSpans(calendar.hours.filter((h) => h.weekday === day).map((h): Span => [minutesOf(h.from), minutesOf(h.until)])));
	const closed = new Map<number, Span[]>();
	for (const h of calendar.holidays) {
		const n = dayNumberOf(h.date);
		const span: Span = h.from !== undefined && h.until !== undefined ? [minutesOf(h.from), minutesOf(h.until)] : [0, MINUTES_PER_DAY];
		closed.set(n, [...(closed.get(n) ?? []), span]);
	}
	return {
		timeZone: calendar.timeZone,
		zone: IANAZone.create(calendar.timeZone),
		weekly,
		closed,
		earlier: earlier.map((e) => ({ until: e.until, cal: compileCalendar(e.calendar) })),
		days: new Map(),
		midnights: new Map(),
	};
}

/**
 * The largest targets sure to be reached within the horizon from any start: the open time of the
 * fewest whole weeks the search walks past the start's date (a start late on its date adds nothing
 * of that date), less every holiday's open time (all of them might fall in one window), less an
 * allowance for the spring-forward days of the horizon (each can cut up to two hours, or a whole
 * date's hours when they lie in the gap). For business days the same, counted in dates, less one
 * (the date the count starts from). Offerings are checked against this when saved.
 */
export function targetCapacity(cal: BusinessCalendar): { minutes: number; businessDays: number } {
	const weeks = Math.floor(HORIZON_DAYS / 7);
	const springForwards = Math.ceil(HORIZON_DAYS / 365) + 1;
	const minutesOfSpans = (spans: readonly Span[]) => spans.reduce((sum, [from, until]) => sum + until - from, 0);
	const weekMinutes = cal.weekly.reduce((sum, spans) => sum + minutesOfSpans(spans), 0);
	const weekDays = cal.weekly.filter((spans) => spans.length > 0).length;
	let lostMinutes = 0;
	let lostDays = 0;
	for (const [n, closed] of cal.closed) {
		const open = cal.weekly[weekdayOf(n) - 1] ?? [];
		const left = subtractSpans(open, closed);
		lostMinutes += minutesOfSpans(open) - minutesOfSpans(left);
		if (open.length > 0 && left.length === 0) lostDays += 1;
	}
	return {
		minutes: Math.max(0, Math.floor(weeks * weekMinutes - lostMinutes - springForwards * 120)),
		businessDays: Math.max(0, weeks * weekDays - lostDays - springForwards - 1),
	};
}

/** The open instants of one local date ("YYYY-MM-DD"), holidays cut out, in order. */
export function openIntervalsOn(cal: BusinessCalendar, date: string): OpenInterval[] {
	return dayPlan(cal, dayNumberOf(date)).intervals.map((i) => ({ start: i.start, end: i.end }));
}

/** `at` when it lies in open hours, else the start of the next open interval; null when none opens within the horizon. */
export function nextOpen(cal: BusinessCalendar, at: number): number | null {
	assertInstant("at", at);
	// The day before too: its 24:00 is this day's midnight, and a DST shift may move its times.
	const first = localDayNumber(cal, at) - 1;
	for (let n = first; n <= first + 1 + HORIZON_DAYS; n++) {
		for (const i of dayPlan(cal, n).intervals) if (at < i.end) return Math.max(at, i.start);
	}
	return null;
}

/**
 * The instant at which `minutes` of open time have elapsed counting from `start` (rounded to the
 * millisecond). Counting outside hours begins at the next opening; 0 minutes gives nextOpen(start).
 * When the count ends exactly at a close, that close is returned, not the next opening. Null when
 * the target is not reached within the horizon.
 */
export function addBusinessMinutes(cal: BusinessCalendar, start: number, minutes: number): number | null {
	assertInstant("start", start);
	if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number ≥ 0, not ${minutes}.`);
	let remaining = Math.round(minutes * MINUTE_MS);
	if (remaining === 0) return nextOpen(cal, start);
	let cursor = start;
	const first = localDayNumber(cal, start) - 1;
	for (let n = first; n <= first + 1 + HORIZON_DAYS; n++) {
		const { intervals, total, span } = dayPlan(cal, n);
		if (!span) continue;
		// A whole day that does not finish the count is skipped in one step, not interval by interval.
		if (span.open >= cursor && total < remaining) {
			remaining -= total;
			cursor = span.close;
			continue;
		}
		for (const i of intervals) {
			const from = Math.max(i.start, cursor);
			if (from >= i.end) continue;
			if (remaining <= i.end - from) return from + remaining;
			remaining -= i.end - from;
			cursor = i.end;
		}
	}
	return null;
}

/**
 * "Resolve within N business days": the same wall-clock time as nextOpen(start) on the N-th business
 * day after it, moved into that day's open hours (see the rule at the top of this file). N = 0 gives
 * nextOpen(start). Null when no such day lies within the horizon.
 */
export function addBusinessDays(cal: BusinessCalendar, start: number, days: number): number | null {
	assertInstant("start", start);
	if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, not ${days}.`);
	const s = nextOpen(cal, start);
	if (s === null || days === 0) return s;
	const local = localTime(cal, s);
	const limit = localDayNumber(cal, start) + 1 + HORIZON_DAYS;
	let n = local.day;
	for (let left = days; left > 0; ) {
		n++;
		if (n > limit) return null;
		if (dayPlan(cal, n).span) left--;
	}
	// The date has open hours, so its midnights are cached (toInstants): on a date without an offset
	// change the wall time is its midnight plus the time of day, as toInstants reads its hours.
	const [dayStart, startOffset] = midnight(cal, n);
	const [dayEnd, endOffset] = midnight(cal, n + 1);
	const wanted = dayEnd - dayStart === DAY_MS && startOffset === endOffset ? dayStart + local.msOfDay : wallClockInstant(cal.zone, n, local.msOfDay);
	const { intervals, span } = dayPlan(cal, n);
	for (const i of intervals) {
		if (wanted < i.start) return i.start;
		if (wanted <= i.end) return wanted;
	}
	return span ? span.close : null;
}

/** Open minutes in [from, to), fractional to the millisecond; 0 when `to` is not after `from`. Walks every local date in between. */
export function businessMinutesBetween(cal: BusinessCalendar, from: number, to: number): number {
	assertInstant("from", from);
	assertInstant("to", to);
	if (to <= from) return 0;
	let ms = 0;
	let cursor = from;
	const last = localDayNumber(cal, to);
	for (let n = localDayNumber(cal, from) - 1; n <= last; n++) {
		const { intervals, total, span } = dayPlan(cal, n);
		if (!span) continue;
		if (span.open >= cursor && span.close <= to) {
			ms += total;
			cursor = span.close;
			continue;
		}
		for (const i of intervals) {
			const a = Math.max(i.start, cursor);
			const b = Math.min(i.end, to);
			if (b > a) {
				ms += b - a;
				cursor = b;
			}
		}
	}
	return ms / MINUTE_MS;
}

// ── Local dates ──────────────────────────────────────────────────────────────────────────────

function dayPlan(cal: BusinessCalendar, n: number): DayPlan {
	const cached = cal.days.get(n);
	if (cached) return cached;
	const open = subtractSpans(cal.weekly[weekdayOf(n) - 1] ?? [], cal.closed.get(n) ?? []);
	const own = open.length === 0 ? [] : toInstants(cal, n, open);
	const intervals = cal.earlier.length === 0 ? own : withEarlier(cal, n, own);
	const head = intervals[0];
	const tail = intervals[intervals.length - 1];
	const plan: DayPlan = {
		intervals,
		total: intervals.reduce((sum, i) => sum + i.end - i.start, 0),
		span: head && tail ? { open: head.start, close: tail.end } : null,
	};
	if (cal.days.size >= DAY_CACHE_LIMIT) cal.days.clear();
	cal.days.set(n, plan);
	return plan;
}

/** The weekday (1 = Monday) of a day number: the same in every zone, and UTC spares Luxon a zone lookup. */
function weekdayOf(n: number): number {
	return DateTime.fromMillis(n * DAY_MS, { zone: "utc" }).weekday;
}

/**
 * Date n of a calendar that replaced others: its own intervals from the last change on, and before
 * that each earlier calendar's open time within its period, cut to the date's instants.
 */
function withEarlier(cal: BusinessCalendar, n: number, own: readonly OpenInterval[]): OpenInterval[] {
	const since = cal.earlier[cal.earlier.length - 1]?.until ?? Number.NEGATIVE_INFINITY;
	const [dayStart] = midnight(cal, n);
	const [dayEnd] = midnight(cal, n + 1);
	if (dayStart >= since) return [...own];
	const pieces: OpenInterval[] = clip(own, since, Number.POSITIVE_INFINITY);
	let from = Number.NEGATIVE_INFINITY;
	for (const e of cal.earlier) {
		const a = Math.max(from, dayStart);
		const b = Math.min(e.until, dayEnd);
		if (a < b) {
			for (let m = localDayNumber(e.cal, a) - 1; m <= localDayNumber(e.cal, b); m++) pieces.push(...clip(dayPlan(e.cal, m).intervals, a, b));
		}
		from = e.until;
	}
	pieces.sort((x, y) => x.start - y.start);
	const merged: OpenInterval[] = [];
	for (const i of pieces) {
		const prev = merged[merged.length - 1];
		if (prev && i.start <= prev.end) prev.end = Math.max(prev.end, i.end);
		else merged.push({ ...i });
	}
	return merged;
}

function clip(intervals: readonly OpenInterval[], from: number, to: number): OpenInterval[] {
	const out: OpenInterval[] = [];
	for (const i of intervals) {
		const start = Math.max(i.start, from);
		const end = Math.min(i.end, to);
		if (start < end) out.push({ start, end });
	}
	return out;
}

function midnight(cal: BusinessCalendar, n: number): readonly [number, number] {
	const cached = cal.midnights.get(n);
	if (cached) return cached;
	const found = resolveWallClock(cal.zone, n * DAY_MS);
	if (cal.midnights.size >= DAY_CACHE_LIMIT) cal.midnights.clear();
	cal.midnights.set(n, found);
	return found;
}

/** Converts a date's open minutes to instants, merged: DST can make them empty or overlapping. */
function toInstants(cal: BusinessCalendar, n: number, spans: readonly Span[]): OpenInterval[] {
	const [start, startOffset] = midnight(cal, n);
	const [next, nextOffset] = midnight(cal, n + 1);
	// Most dates have no offset change; then every wall minute is midnight plus that many minutes,
	// and the zone lookups per boundary (the costly part, ~6 µs each) can be skipped. A day with two
	// switches that cancel out would fool this; the tz database has none.
	const uniform = next - start === DAY_MS && startOffset === nextOffset;
	const instant = (m: number): number => {
		if (m >= MINUTES_PER_DAY) return next;
		return uniform ? start + m * MINUTE_MS : wallClockInstant(cal.zone, n, m * MINUTE_MS);
	};
	const intervals = spans
		.map(([from, until]) => ({ start: instant(from), end: instant(until) }))
		.filter((i) => i.end > i.start)
		.sort((a, b) => a.start - b.start);
	const merged: OpenInterval[] = [];
	for (const i of intervals) {
		const prev = merged[merged.length - 1];
		if (prev && i.start <= prev.end) prev.end = Math.max(prev.end, i.end);
		else merged.push({ ...i });
	}
	return merged;
}

/**
 * The instant at which the wall clock in `zone` shows `msOfDay` into the local date `n`. The
 * offsets are Luxon's (IANAZone.offset). DateTime.fromObject is not used for this: for a wall time
 * that occurs twice it picks the offset in force *now* (luxon issues #1089, #1665), so a deadline
 * would depend on the season it was computed in. Here a repeated time is its first occurrence, and
 * a skipped one moves forward by the gap, as in Luxon. Assumes no zone changes offset twice within
 * a day or so of any instant, which holds for the tz database.
 */
function wallClockInstant(zone: IANAZone, n: number, msOfDay: number): number {
	return resolveWallClock(zone, n * DAY_MS + msOfDay)[0];
}

/** [instant, offset in minutes] for a wall time given as milliseconds since 1970-01-01T00:00 local. */
function resolveWallClock(zone: IANAZone, wall: number): readonly [number, number] {
	const before = zone.offset(wall - DAY_MS);
	const early = wall - before * MINUTE_MS;
	const earlyOffset = zone.offset(early);
	if (earlyOffset === before) return [early, before];
	const after = zone.offset(wall + DAY_MS);
	const late = wall - after * MINUTE_MS;
	if (zone.offset(late) === after) return [late, after];
	// In a spring-forward gap: read with the offset from before the switch, the time lands after it.
	return [early, earlyOffset];
}

// Day numbers count civil dates (days since 1970-01-01); Date.UTC is only calendar arithmetic here,
// no zone is involved.
function dayNumberOf(date: string | DateTime): number {
	if (typeof date !== "string") return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
	if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD).`);
	const [y, m, d] = date.split("-").map(Number) as [number, number, number];
	return Date.UTC(y, m - 1, d) / DAY_MS;
}

/**
 * The local date of an instant. Luxon's answer costs a zone lookup (~6 µs, most of an SLA clock's
 * arithmetic); the midnights already cached for this calendar answer most instants without one: a
 * date whose midnight and next midnight have the same offset, a whole day apart, has no offset change
 * (the same assumption as toInstants), so every instant between them lies on that date. The date
 * is within a day of the UTC one (offsets are under 24 h). Otherwise Luxon, as before.
 */
function localDayNumber(cal: BusinessCalendar, at: number): number {
	return localTime(cal, at).day;
}

/**
 * The local date of an instant and its wall-clock time into that date (ms), by the rule above. Only
 * whole-minute offsets take the short way (Luxon truncates the milliseconds of the old local mean
 * times' odd seconds).
 */
function localTime(cal: BusinessCalendar, at: number): { day: number; msOfDay: number } {
	const utcDay = Math.floor(at / DAY_MS);
	for (let n = utcDay - 1; n <= utcDay + 1; n++) {
		const start = cal.midnights.get(n);
		if (!start || at < start[0]) continue;
		const next = cal.midnights.get(n + 1);
		if (next && at < next[0] && next[0] - start[0] === DAY_MS && next[1] === start[1] && Number.isInteger(start[1])) return { day: n, msOfDay: at - start[0] };
	}
	const local = DateTime.fromMillis(at, { zone: cal.zone });
	return { day: dayNumberOf(local), msOfDay: ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond };
}

function assertInstant(name: string, value: number): void {
	if (!Number.isFinite(value)) throw new RangeError(`${name} must be an instant in epoch milliseconds, not ${value}.`);
}

// ── Minute spans ─────────────────────────────────────────────────────────────────────────────

function mergeSpans(spans: readonly Span[]): Span[] {
	const merged: [number, number][] = [];
	for (const [from, until] of [...spans].sort((a, b) => a[0] - b[0])) {
		const prev = merged[merged.length - 1];
		if (prev && from <= prev[1]) prev[1] = Math.max(prev[1], until);
		else if (until > from) merged.push([from, until]);
	}
	return merged;
}

function subtractSpans(open: readonly Span[], closed: readonly Span[]): Span[] {
	let rest: Span[] = [...open];
	for (const [cFrom, cUntil] of closed) {
		rest = rest.flatMap(([from, until]): Span[] => {
			if (cUntil <= from || cFrom >= until) return [[from, until]];
			const pieces: Span[] = [];
			if (cFrom > from) pieces.push([from, cFrom]);
			if (cUntil < until) pieces.push([cUntil, until]);
			return pieces;
		});
	}
	return rest;
}

// Business time for SLA clocks (worker/shared/business-time.ts): hand-checked answers, DST days in
// three zones, holidays, business days, and properties over random calendars (fast-check).
import fc from "fast-check";
import { DateTime, Settings } from "luxon";
import { describe, expect, it } from "vitest";
import {
	addBusinessDays,
	addBusinessMinutes,
	type BusinessCalendar,
	businessMinutesBetween,
	compileCalendar,
	HORIZON_DAYS,
	isValidTimeZone,
	nextOpen,
	openIntervalsOn,
	targetCapacity,
} from "../../worker/shared/business-time";
import { type Calendar, type CalendarHours, calendarProblems, type Holiday, minutesOf, WEEKDAYS, type Weekday } from "../../worker/shared/calendar";

const DAY_MS = 86_400_000;
const WORKWEEK: Weekday[] = ["mon", "tue", "wed", "thu", "fri"];

function calendar(timeZone: string, hours: Array<[Weekday[], string, string]>, holidays: Holiday[] = []): BusinessCalendar {
	const cal: Calendar = { timeZone, hours: hours.flatMap(([days, from, until]) => days.map((weekday) => ({ weekday, from, until }))), holidays };
	expect(calendarProblems(cal)).toEqual([]);
	return compileCalendar(cal);
}
const officeHours = (zone: string, holidays: Holiday[] = []) => calendar(zone, [[WORKWEEK, "09:00", "17:00"]], holidays);
const allHours = (zone: string) => calendar(zone, [[[...WEEKDAYS], "00:00", "24:00"]]);

/** Epoch ms of an ISO string with an explicit offset (Date.parse: no zone rules involved). */
const t = (iso: string) => Date.parse(iso);
/** An instant as ISO in the calendar's zone, so a failure shows the wall time and offset. */
const local = (cal: BusinessCalendar, ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: cal.timeZone }).toISO());

describe("time zones", () => {
	it("accepts IANA names and rejects unknown ones", () => {
		expect(isValidTimeZone("Europe/Amsterdam")).toBe(true);
		expect(isValidTimeZone("UTC")).toBe(true);
		expect(isValidTimeZone("Mars/Olympus")).toBe(false);
	});

	it("refuses to compile a calendar in an unknown zone with a RangeError naming it", () => {
		expect(() => compileCalendar({ timeZone: "Mars/Olympus", hours: [], holidays: [] })).toThrow(RangeError);
		expect(() => compileCalendar({ timeZone: "Mars/Olympus", hours: [], holidays: [] })).toThrow(/Mars\/Olympus/);
	});
});

describe("addBusinessMinutes and nextOpen, Mon–Fri 09:00–17:00 Europe/Amsterdam", () => {
	const cal = officeHours("Europe/Amsterdam");

	it("carries Friday 16:30 + 60 minutes over the weekend to Monday 09:30", () => {
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-06T16:30:00+01:00"), 60))).toBe("2026-03-09T09:30:00.000+01:00");
	});

	it("starts counting at the next opening when started outside hours", () => {
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-07T11:00:00+01:00"), 30))).toBe("2026-03-09T09:30:00.000+01:00");
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-04T07:00:00+01:00"), 0))).toBe("2026-03-04T09:00:00.000+01:00");
		expect(local(cal, nextOpen(cal, t("2026-03-04T17:00:00+01:00")))).toBe("2026-03-05T09:00:00.000+01:00");
	});

	it("returns the start itself for 0 minutes inside hours", () => {
		expect(addBusinessMinutes(cal, t("2026-03-04T10:15:00+01:00"), 0)).toBe(t("2026-03-04T10:15:00+01:00"));
	});

	it("ends at the close, not the next opening, when the count runs out exactly there", () => {
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-06T16:00:00+01:00"), 60))).toBe("2026-03-06T17:00:00.000+01:00");
		// A whole day's worth from before the opening: the day must not be skipped as if it fell short.
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-05T07:00:00+01:00"), 480))).toBe("2026-03-05T17:00:00.000+01:00");
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-05T07:00:00+01:00"), 960))).toBe("2026-03-06T17:00:00.000+01:00");
	});

	it("walks 10,000 minutes (20 days and 6h40) in whole days", () => {
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-02T09:00:00+01:00"), 10_000))).toBe("2026-03-30T15:40:00.000+02:00");
	});
});

describe("DST", () => {
	it.each([
		["Europe/Amsterdam", "2026-03-29", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 1380],
		["Europe/Amsterdam", "2026-10-25", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 1500],
		["America/New_York", "2026-03-08", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 1380],
		["America/New_York", "2026-11-01", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 1500],
		["Australia/Lord_Howe", "2026-10-04", "2026-10-04T00:00:00+10:30", "2026-10-05T00:00:00+11:00", 1410],
		["Australia/Lord_Howe", "2026-04-05", "2026-04-05T00:00:00+11:00", "2026-04-06T00:00:00+10:30", 1470],
	])("counts a 24×7 day in %s on %s (%s to %s) as %i minutes", (zone, date, from, to, minutes) => {
		const cal = allHours(zone);
		expect(businessMinutesBetween(cal, t(from), t(to))).toBe(minutes);
		expect(openIntervalsOn(cal, date)).toEqual([{ start: t(from), end: t(to) }]);
	});

	it("makes 01:00–04:00 two real hours on the spring-forward day and four on the fall-back day", () => {
		const cal = calendar("Europe/Amsterdam", [[["sun"], "01:00", "04:00"]]);
		expect(openIntervalsOn(cal, "2026-03-29")).toEqual([{ start: t("2026-03-29T01:00:00+01:00"), end: t("2026-03-29T04:00:00+02:00") }]);
		expect(openIntervalsOn(cal, "2026-10-25")).toEqual([{ start: t("2026-10-25T01:00:00+02:00"), end: t("2026-10-25T04:00:00+01:00") }]);
	});

	it("moves a wall time inside the spring-forward gap forward by the gap, as Luxon does", () => {
		// 02:30 does not exist on 2026-03-29 and reads as 03:30+02:00, so 01:00–02:30 lasts 90 real
		// minutes and overlaps 03:00–04:00; the two merge. 02:15–02:45 lies wholly in the gap, yet
		// becomes half an hour of open time after it.
		const cal = calendar("Europe/Amsterdam", [[["sun"], "01:00", "02:30"], [["sun"], "03:00", "04:00"]]);
		expect(openIntervalsOn(cal, "2026-03-29")).toEqual([{ start: t("2026-03-29T01:00:00+01:00"), end: t("2026-03-29T04:00:00+02:00") }]);
		const gap = calendar("Europe/Amsterdam", [[["sun"], "02:15", "02:45"]]);
		const luxon = (hour: number, minute: number) => DateTime.fromObject({ year: 2026, month: 3, day: 29, hour, minute }, { zone: "Europe/Amsterdam" }).toMillis();
		expect(openIntervalsOn(gap, "2026-03-29")).toEqual([{ start: luxon(2, 15), end: luxon(2, 45) }]);
		expect(openIntervalsOn(gap, "2026-03-29")).toEqual([{ start: t("2026-03-29T03:15:00+02:00"), end: t("2026-03-29T03:45:00+02:00") }]);
	});

	it("reads a wall time that occurs twice as its first occurrence, whatever the date today", () => {
		// Luxon's DateTime.fromObject answers differently in January and in July here (it guesses with
		// the offset in force now, luxon issues #1089 and #1665); the module must not.
		const realNow = Settings.now;
		try {
			for (const now of [t("2026-01-15T12:00:00Z"), t("2026-07-15T12:00:00Z")]) {
				Settings.now = () => now;
				const amsterdam = calendar("Europe/Amsterdam", [[["sun"], "02:00", "03:00"]]);
				expect(openIntervalsOn(amsterdam, "2026-10-25")).toEqual([{ start: t("2026-10-25T02:00:00+02:00"), end: t("2026-10-25T03:00:00+01:00") }]);
				const lordHowe = calendar("Australia/Lord_Howe", [[["sun"], "01:30", "02:00"]]);
				expect(openIntervalsOn(lordHowe, "2026-04-05")).toEqual([{ start: t("2026-04-05T01:30:00+11:00"), end: t("2026-04-05T02:00:00+10:30") }]);
			}
		} finally {
			Settings.now = realNow;
		}
	});

	it.each([
		["Europe/Amsterdam", "2026-03-27T16:30:00+01:00", "2026-03-30T09:30:00.000+02:00"],
		["Europe/Amsterdam", "2026-10-23T16:30:00+02:00", "2026-10-26T09:30:00.000+01:00"],
		["America/New_York", "2026-03-06T16:30:00-05:00", "2026-03-09T09:30:00.000-04:00"],
		["America/New_York", "2026-10-30T16:30:00-04:00", "2026-11-02T09:30:00.000-05:00"],
	])("keeps Monday 09:30 local in %s when Friday %s + 60 crosses the switch", (zone, start, expected) => {
		const cal = officeHours(zone);
		expect(local(cal, addBusinessMinutes(cal, t(start), 60))).toBe(expected);
		expect(businessMinutesBetween(cal, t(start), t(expected))).toBe(60);
	});
});

describe("holidays", () => {
	it("skips a full-day holiday: Thursday 16:00 + 120 over Christmas Friday → Monday 10:00", () => {
		const cal = officeHours("Europe/Amsterdam", [{ name: "Christmas", date: "2026-12-25" }]);
		expect(local(cal, addBusinessMinutes(cal, t("2026-12-24T16:00:00+01:00"), 120))).toBe("2026-12-28T10:00:00.000+01:00");
		expect(openIntervalsOn(cal, "2026-12-25")).toEqual([]);
	});

	it("closes only part of the day for a part-day holiday: Thursday 11:00 + 120 → Monday 10:00", () => {
		const cal = officeHours("Europe/Amsterdam", [
			{ name: "Christmas Eve", date: "2026-12-24", from: "12:00", until: "17:00" },
			{ name: "Christmas", date: "2026-12-25" },
		]);
		expect(local(cal, addBusinessMinutes(cal, t("2026-12-24T11:00:00+01:00"), 120))).toBe("2026-12-28T10:00:00.000+01:00");
		expect(openIntervalsOn(cal, "2026-12-24")).toEqual([{ start: t("2026-12-24T09:00:00+01:00"), end: t("2026-12-24T12:00:00+01:00") }]);
	});
});

describe("split days (09:00–12:00, 13:00–17:00)", () => {
	const cal = calendar("Europe/Amsterdam", [[WORKWEEK, "09:00", "12:00"], [WORKWEEK, "13:00", "17:00"]]);

	it("pauses over lunch: 11:30 + 60 → 13:30", () => {
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-04T11:30:00+01:00"), 60))).toBe("2026-03-04T13:30:00.000+01:00");
	});

	it("counts 120 open minutes from 11:00 to 14:00", () => {
		expect(businessMinutesBetween(cal, t("2026-03-04T11:00:00+01:00"), t("2026-03-04T14:00:00+01:00"))).toBe(120);
		expect(businessMinutesBetween(cal, t("2026-03-04T14:00:00+01:00"), t("2026-03-04T11:00:00+01:00"))).toBe(0);
	});

	it("ends at 12:00 when the count runs out at lunch, and opens again at 13:00", () => {
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-04T11:30:00+01:00"), 30))).toBe("2026-03-04T12:00:00.000+01:00");
		expect(local(cal, nextOpen(cal, t("2026-03-04T12:00:00+01:00")))).toBe("2026-03-04T13:00:00.000+01:00");
	});
});

describe("addBusinessDays", () => {
	const cal = officeHours("Europe/Amsterdam", [{ name: "Company day", date: "2026-03-11" }]);

	it("gives Monday 16:30 for Friday 16:30 + 1 business day", () => {
		expect(local(cal, addBusinessDays(cal, t("2026-03-06T16:30:00+01:00"), 1))).toBe("2026-03-09T16:30:00.000+01:00");
	});

	it("skips a Wednesday holiday: Friday 16:30 + 3 → Thursday 16:30", () => {
		expect(local(cal, addBusinessDays(cal, t("2026-03-06T16:30:00+01:00"), 3))).toBe("2026-03-12T16:30:00.000+01:00");
	});

	it("counts from the next opening: Saturday 10:00 + 1 → Tuesday 09:00", () => {
		expect(local(cal, addBusinessDays(cal, t("2026-03-07T10:00:00+01:00"), 1))).toBe("2026-03-10T09:00:00.000+01:00");
		expect(local(cal, addBusinessDays(cal, t("2026-03-07T10:00:00+01:00"), 0))).toBe("2026-03-09T09:00:00.000+01:00");
	});

	it("keeps the wall time across a DST switch: Friday 16:30+01:00 + 1 → Monday 16:30+02:00", () => {
		expect(local(cal, addBusinessDays(cal, t("2026-03-27T16:30:00+01:00"), 1))).toBe("2026-03-30T16:30:00.000+02:00");
	});

	it("moves the time into the target day's hours: to its close, its first opening or past a gap", () => {
		const uneven = calendar("Europe/Amsterdam", [
			[["mon", "thu"], "09:00", "17:00"],
			[["tue"], "09:00", "12:00"],
			[["tue"], "13:00", "17:00"],
			[["wed"], "10:00", "17:00"],
			[["fri"], "09:00", "13:00"],
		]);
		expect(local(uneven, addBusinessDays(uneven, t("2026-03-05T16:30:00+01:00"), 1))).toBe("2026-03-06T13:00:00.000+01:00");
		expect(local(uneven, addBusinessDays(uneven, t("2026-03-03T09:30:00+01:00"), 1))).toBe("2026-03-04T10:00:00.000+01:00");
		expect(local(uneven, addBusinessDays(uneven, t("2026-03-02T12:30:00+01:00"), 1))).toBe("2026-03-03T13:00:00.000+01:00");
		expect(local(uneven, addBusinessDays(uneven, t("2026-03-02T12:00:00+01:00"), 1))).toBe("2026-03-03T12:00:00.000+01:00");
	});
});

describe("calendars with little or no open time", () => {
	it("returns null from an empty calendar instead of looping", () => {
		const cal = calendar("Europe/Amsterdam", []);
		const start = t("2026-03-06T16:30:00+01:00");
		expect(nextOpen(cal, start)).toBeNull();
		expect(addBusinessMinutes(cal, start, 60)).toBeNull();
		expect(addBusinessMinutes(cal, start, 0)).toBeNull();
		expect(addBusinessDays(cal, start, 1)).toBeNull();
		expect(businessMinutesBetween(cal, start, start + 30 * DAY_MS)).toBe(0);
	});

	it("gives up at the horizon on one open minute a week, but reaches targets inside it", () => {
		const cal = calendar("UTC", [[["mon"], "09:00", "09:01"]]);
		const start = t("2026-03-02T00:00:00Z");
		expect(addBusinessMinutes(cal, start, 1_000_000)).toBeNull();
		expect(local(cal, addBusinessMinutes(cal, start, 100))).toBe("2028-01-24T09:01:00.000Z");
		expect(HORIZON_DAYS).toBeGreaterThanOrEqual(3 * 365);
	});

	it("rejects impossible arguments with a RangeError", () => {
		const cal = officeHours("UTC");
		expect(() => addBusinessMinutes(cal, Number.NaN, 1)).toThrow(RangeError);
		expect(() => addBusinessMinutes(cal, 0, -1)).toThrow(RangeError);
		expect(() => addBusinessDays(cal, 0, 1.5)).toThrow(RangeError);
		expect(() => openIntervalsOn(cal, "2026-02-30")).toThrow(RangeError);
	});
});

describe("a calendar that replaced another (support hours changed while clocks ran)", () => {
	const office: Calendar = { timeZone: "Europe/Amsterdam", hours: WORKWEEK.map((weekday) => ({ weekday, from: "09:00", until: "17:00" })), holidays: [] };
	const mornings: Calendar = { ...office, hours: WORKWEEK.map((weekday) => ({ weekday, from: "09:00", until: "13:00" })) };
	// Mornings only from Monday 2026-03-02 14:00 on.
	const change = t("2026-03-02T14:00:00+01:00");
	const cal = compileCalendar(mornings, [{ until: change, calendar: office }]);

	it("is open as the old hours until the change and as the new ones after it, cut at the instant", () => {
		expect(openIntervalsOn(cal, "2026-03-02").map((i) => [local(cal, i.start), local(cal, i.end)])).toEqual([["2026-03-02T09:00:00.000+01:00", "2026-03-02T14:00:00.000+01:00"]]);
		expect(openIntervalsOn(cal, "2026-03-03").map((i) => [local(cal, i.start), local(cal, i.end)])).toEqual([["2026-03-03T09:00:00.000+01:00", "2026-03-03T13:00:00.000+01:00"]]);
		expect(openIntervalsOn(cal, "2026-02-27").map((i) => local(cal, i.end))).toEqual(["2026-02-27T17:00:00.000+01:00"]);
	});

	it("measures time before the change in the old hours and adds what is left in the new", () => {
		expect(businessMinutesBetween(cal, t("2026-03-02T10:00:00+01:00"), t("2026-03-03T12:00:00+01:00"))).toBe(240 + 180);
		expect(local(cal, addBusinessMinutes(cal, t("2026-03-02T10:00:00+01:00"), 480))).toBe("2026-03-03T13:00:00.000+01:00");
		// Two business days from Friday 15:00: Monday (old hours), Tuesday (new hours: 15:00 is after the close).
		expect(local(cal, addBusinessDays(cal, t("2026-02-27T15:00:00+01:00"), 2))).toBe("2026-03-03T13:00:00.000+01:00");
	});

	it("takes several earlier calendars, in the order they were replaced, and refuses them out of order", () => {
		const twice = compileCalendar(office, [
			{ until: change, calendar: office },
			{ until: t("2026-03-03T11:00:00+01:00"), calendar: mornings },
		]);
		// Mon 09:00–14:00 (old), Tue 09:00–11:00 (mornings), then office hours again: Tue 11:00–17:00.
		expect(businessMinutesBetween(twice, t("2026-03-02T00:00:00+01:00"), t("2026-03-04T00:00:00+01:00"))).toBe(300 + 120 + 360);
		expect(() => compileCalendar(office, [{ until: change, calendar: office }, { until: change - 1, calendar: mornings }])).toThrow(RangeError);
	});
});

describe("targetCapacity: the largest targets sure to be reached within the horizon (issue 8, point 11)", () => {
	it("for a 40-hour week: 157 whole weeks of 2,400 minutes, less the holidays and the spring-forward allowance", () => {
		expect(targetCapacity(officeHours("Europe/Amsterdam"))).toEqual({ minutes: 157 * 2400 - 600, businessDays: 157 * 5 - 6 });
		// A full-day holiday on a Friday costs 480 minutes and a business day; a part-day one 120 minutes.
		const holidays: Holiday[] = [
			{ name: "Closed", date: "2026-12-25" },
			{ name: "Afternoon", date: "2026-12-24", from: "15:00", until: "17:00" },
			{ name: "Saturday", date: "2026-12-26" },
		];
		expect(targetCapacity(officeHours("Europe/Amsterdam", holidays))).toEqual({ minutes: 157 * 2400 - 600 - 480 - 120, businessDays: 157 * 5 - 6 - 1 });
		// A year of minutes does not fit a 40-hour week: it would silently become best effort.
		expect(targetCapacity(officeHours("UTC")).minutes).toBeLessThan(525_600);
		expect(targetCapacity(calendar("UTC", [])).minutes).toBe(0);
	});
});

// ── Properties over random calendars ─────────────────────────────────────────────────────────

const ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
const QUARTER_MS = 15 * 60_000;
/** Local dates of the DST switches of these zones in 2026–2027. */
const SWITCHES = ["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2027-03-14", "2027-03-28", "2027-04-04", "2027-10-03", "2027-10-31", "2027-11-07"];

const hhmm = (quarters: number) => (quarters === 96 ? "24:00" : `${String(Math.floor(quarters / 4)).padStart(2, "0")}:${String((quarters % 4) * 15).padStart(2, "0")}`);

/** `count` non-overlapping [from, until) pairs on quarter hours (DST gaps included). */
const spans = (count: number) =>
	fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2 * count, maxLength: 2 * count }).map((bounds) => {
		const sorted = [...bounds].sort((a, b) => a - b);
		return Array.from({ length: count }, (_, i) => [hhmm(sorted[2 * i] ?? 0), hhmm(sorted[2 * i + 1] ?? 96)] as const);
	});

const weeklyHours: fc.Arbitrary<CalendarHours[]> = fc
	.subarray([...WEEKDAYS], { minLength: 1 })
	.chain((days) => fc.tuple(...days.map((weekday) => fc.integer({ min: 1, max: 3 }).chain(spans).map((s) => s.map(([from, until]) => ({ weekday, from, until }))))))
	.map((perDay) => perDay.flat());

const anyInstant = fc.oneof(
	fc.integer({ min: t("2026-01-01T00:00:00Z"), max: t("2027-12-31T00:00:00Z") }),
	fc.tuple(fc.constantFrom(...SWITCHES), fc.integer({ min: -4 * DAY_MS, max: 4 * DAY_MS })).map(([date, offset]) => t(`${date}T00:00:00Z`) + offset),
);
// On a quarter hour, a start can coincide with an opening or a close (all offsets here are whole quarters).
const instant = fc.oneof(anyInstant, anyInstant.map((ms) => Math.floor(ms / QUARTER_MS) * QUARTER_MS));

/** A well-formed calendar and a start; holidays fall within 40 days of the start so they matter. */
const scenario = fc
	.record({
		timeZone: fc.constantFrom(...ZONES),
		hours: weeklyHours,
		holidays: fc.uniqueArray(fc.record({ offset: fc.integer({ min: -1, max: 40 }), part: fc.option(spans(1), { nil: undefined }) }), { maxLength: 3, selector: (h) => h.offset }),
		start: instant,
	})
	.map(({ timeZone, hours, holidays, start }) => {
		const startDate = DateTime.fromMillis(start, { zone: timeZone });
		const calendar: Calendar = {
			timeZone,
			hours,
			holidays: holidays.map(({ offset, part }, i) => ({
				name: `Holiday ${i}`,
				date: startDate.plus({ days: offset }).toISODate() ?? "",
				...(part?.[0] ? { from: part[0][0], until: part[0][1] } : {}),
			})),
		};
		return { calendar, start };
	});

// Quarter hours too, so that targets often end exactly at a close or fill whole days.
const minutes = fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 1_333 }).map((q) => q * 15));
const RUNS = { numRuns: 200 };

/** Open or not, read straight off the wall clock: an oracle independent of the interval arithmetic. */
function openAt(calendar: Calendar, at: number): boolean {
	const wall = DateTime.fromMillis(at, { zone: calendar.timeZone });
	const m = wall.hour * 60 + wall.minute + wall.second / 60;
	const weekday = WEEKDAYS[wall.weekday - 1];
	const inside = (from: string, until: string) => minutesOf(from) <= m && m < minutesOf(until);
	return (
		calendar.hours.some((h) => h.weekday === weekday && inside(h.from, h.until)) &&
		!calendar.holidays.some((h) => h.date === wall.toISODate() && (h.from === undefined || h.until === undefined || inside(h.from, h.until)))
	);
}

describe("properties over random calendars", () => {
	it("generates calendars that calendarProblems accepts", () => {
		fc.assert(
			fc.property(scenario, ({ calendar }) => {
				expect(calendarProblems(calendar)).toEqual([]);
			}),
			RUNS,
		);
	});

	it("counts back exactly the minutes it added", () => {
		fc.assert(
			fc.property(scenario, minutes, ({ calendar, start }, m) => {
				const cal = compileCalendar(calendar);
				const result = addBusinessMinutes(cal, start, m);
				if (result === null) expect(businessMinutesBetween(cal, start, start + (HORIZON_DAYS - 2) * DAY_MS)).toBeLessThan(m);
				else expect(Math.abs(businessMinutesBetween(cal, start, result) - m)).toBeLessThan(1e-6);
			}),
			RUNS,
		);
	});

	it("ends inside open hours or exactly at a close", () => {
		fc.assert(
			fc.property(scenario, fc.integer({ min: 1, max: 20_000 }), ({ calendar, start }, m) => {
				const cal = compileCalendar(calendar);
				const result = addBusinessMinutes(cal, start, m);
				if (result === null) return;
				expect(businessMinutesBetween(cal, result - 60_000, result)).toBeGreaterThan(0);
				const next = nextOpen(cal, result);
				if (next !== result) {
					// Later only because `result` is a close: open just before it, shut until `next`.
					expect(businessMinutesBetween(cal, result - 1, result)).toBeGreaterThan(0);
					if (next !== null) expect(businessMinutesBetween(cal, result, next)).toBe(0);
				}
			}),
			RUNS,
		);
	});

	it("never passes an instant when adding back the open minutes up to it", () => {
		fc.assert(
			fc.property(scenario, fc.integer({ min: 0, max: 30 * DAY_MS }), ({ calendar, start }, span) => {
				const cal = compileCalendar(calendar);
				const end = start + span;
				const m = businessMinutesBetween(cal, start, end);
				const result = addBusinessMinutes(cal, start, m);
				// Ending in closed time, the count runs out at the last close before it, not the next opening.
				if (m > 0) expect(result).toBeLessThanOrEqual(end);
				if (result !== null) expect(businessMinutesBetween(cal, start, result)).toBeCloseTo(m, 6);
			}),
			RUNS,
		);
	});

	it("is monotonic: more minutes never end earlier", () => {
		fc.assert(
			fc.property(scenario, minutes, minutes, ({ calendar, start }, a, b) => {
				const cal = compileCalendar(calendar);
				const [m1, m2] = a <= b ? [a, b] : [b, a];
				const r1 = addBusinessMinutes(cal, start, m1);
				const r2 = addBusinessMinutes(cal, start, m2);
				if (r1 === null) expect(r2).toBeNull();
				else if (r2 !== null) expect(r1).toBeLessThanOrEqual(r2);
			}),
			RUNS,
		);
	});

	it("puts addBusinessDays inside or at the close of an interval of a business day, later for more days", () => {
		fc.assert(
			fc.property(scenario, fc.integer({ min: 0, max: 10 }), ({ calendar, start }, days) => {
				const cal = compileCalendar(calendar);
				const result = addBusinessDays(cal, start, days);
				if (result === null) return;
				const date = DateTime.fromMillis(result, { zone: cal.timeZone });
				// A close at 24:00 is the next date's midnight, so look at the date before too.
				const intervals = [date.minus({ days: 1 }), date].flatMap((d) => openIntervalsOn(cal, d.toISODate() ?? ""));
				expect(intervals.some((i) => i.start <= result && result <= i.end)).toBe(true);
				expect(result).toBeGreaterThanOrEqual(nextOpen(cal, start) ?? Number.NaN);
				const later = addBusinessDays(cal, start, days + 1);
				if (later !== null) expect(later).toBeGreaterThanOrEqual(result);
			}),
			RUNS,
		);
	});

	it("agrees with the wall clock, quarter hour by quarter hour, over a day far from a DST switch", () => {
		fc.assert(
			fc.property(scenario, ({ calendar, start }) => {
				const cal = compileCalendar(calendar);
				const from = Math.floor(start / QUARTER_MS) * QUARTER_MS;
				const to = from + DAY_MS;
				// Near a switch a wall time may occur twice or not at all, and the oracle cannot tell which
				// occurrence the calendar means; the known answers above cover those days.
				const offsets = [from - DAY_MS, from, to, to + DAY_MS].map((ms) => DateTime.fromMillis(ms, { zone: calendar.timeZone }).offset);
				fc.pre(offsets.every((o) => o === offsets[0]));
				let open = 0;
				for (let q = from; q < to; q += QUARTER_MS) if (openAt(calendar, q + QUARTER_MS / 2)) open += 15;
				expect(businessMinutesBetween(cal, from, to)).toBe(open);
			}),
			RUNS,
		);
	});
	it("a capacity's targets are reached from any start, in minutes and in business days", () => {
		fc.assert(
			fc.property(scenario, ({ calendar, start }) => {
				const cal = compileCalendar(calendar);
				const { minutes: m, businessDays: d } = targetCapacity(cal);
				if (m > 0) expect(addBusinessMinutes(cal, start, m)).not.toBeNull();
				if (d > 0) expect(addBusinessDays(cal, start, d)).not.toBeNull();
			}),
			{ numRuns: 60 },
		);
	});

	it("a replaced calendar measures each side of the change in its own hours", () => {
		fc.assert(
			fc.property(scenario, scenario, fc.integer({ min: 0, max: 20 * DAY_MS }), fc.integer({ min: 0, max: 40 * DAY_MS }), (old, now, offset, span) => {
				const change = old.start + offset;
				const next: Calendar = { ...now.calendar, timeZone: old.calendar.timeZone };
				const cal = compileCalendar(next, [{ until: change, calendar: old.calendar }]);
				const before = compileCalendar(old.calendar);
				const after = compileCalendar(next);
				const end = old.start + span;
				const expected = businessMinutesBetween(before, old.start, Math.min(change, end)) + businessMinutesBetween(after, Math.max(change, old.start), end);
				expect(businessMinutesBetween(cal, old.start, end)).toBeCloseTo(expected, 6);
				const m = Math.round(expected);
				const at = addBusinessMinutes(cal, old.start, m);
				if (at !== null) expect(businessMinutesBetween(cal, old.start, at)).toBeCloseTo(m, 6);
			}),
			RUNS,
		);
	});
});

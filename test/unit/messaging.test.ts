// The pure parts of the messaging layer and of the service model's rules: retry backoff, support
// hours calendars and agreement dates. The outbox and inbox themselves are tested inside
// AccountObjects, with faults injected (test/worker/messaging.test.ts).
import { describe, expect, it } from "vitest";
import { backoffMs, MAX_ATTEMPTS } from "../../worker/account/messaging";
import { agreementDateProblems, calendarProblems, isCalendarDate } from "../../worker/shared/calendar";

describe("backoffMs", () => {
	it("starts at one second and doubles per attempt", () => {
		const middle = () => 0.5; // no jitter
		expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, middle))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
	});

	it("never waits more than five minutes, however many attempts", () => {
		expect(backoffMs(MAX_ATTEMPTS, () => 0.5)).toBe(5 * 60_000);
		expect(backoffMs(1_000, () => 0.5)).toBe(5 * 60_000);
	});

	it("spreads retries by ±20% so that many senders do not retry in step", () => {
		expect(backoffMs(3, () => 0)).toBe(3_200);
		expect(backoffMs(3, () => 1)).toBe(4_800);
	});

	it("parks after ten attempts", () => {
		expect(MAX_ATTEMPTS).toBe(10);
	});
});

describe("calendarProblems", () => {
	const hours = (...h: [string, string, string][]) => h.map(([weekday, from, until]) => ({ weekday: weekday as "mon", from, until }));

	it("accepts well-formed hours, intervals that touch, and full- and part-day holidays", () => {
		expect(
			calendarProblems({
				hours: hours(["mon", "00:00", "12:00"], ["mon", "12:00", "24:00"], ["tue", "09:00", "17:00"]),
				holidays: [{ name: "New Year", date: "2027-01-01" }, { name: "Eve", date: "2026-12-31", from: "12:00", until: "24:00" }],
			}),
		).toEqual([]);
	});

	it("names overlapping intervals on the same weekday, whatever their order", () => {
		expect(calendarProblems({ hours: hours(["wed", "13:00", "17:00"], ["wed", "09:00", "13:30"]), holidays: [] })).toEqual([
			{ path: "hours.0", message: "Wednesday 13:00–17:00 overlaps 09:00–13:30." },
		]);
		expect(calendarProblems({ hours: hours(["wed", "09:00", "13:30"], ["thu", "13:00", "17:00"]), holidays: [] })).toEqual([]);
	});

	it("names intervals that end before they start or start at 24:00", () => {
		expect(calendarProblems({ hours: hours(["fri", "17:00", "09:00"], ["sat", "24:00", "24:00"], ["sun", "10:00", "10:00"]), holidays: [] }).map((p) => p.path)).toEqual([
			"hours.0.until",
			"hours.1.from",
			"hours.2.until",
		]);
	});

	it("names impossible, duplicate and half-given holidays", () => {
		const problems = calendarProblems({
			hours: hours(["mon", "09:00", "17:00"]),
			holidays: [
				{ name: "Nope", date: "2026-02-29" },
				{ name: "A", date: "2026-12-25" },
				{ name: "B", date: "2026-12-25" },
				{ name: "Half", date: "2026-12-24", from: "12:00" },
				{ name: "Backwards", date: "2026-12-23", from: "15:00", until: "11:00" },
			],
		});
		expect(problems.map((p) => p.path)).toEqual(["holidays.0.date", "holidays.2.date", "holidays.3", "holidays.4.until"]);
	});

	it("knows real calendar dates", () => {
		expect(["2028-02-29", "2026-12-31", "2026-01-01"].map(isCalendarDate)).toEqual([true, true, true]);
		expect(["2026-02-29", "2026-13-01", "2026-04-31", "2026-1-1", "26-01-01", ""].map(isCalendarDate)).toEqual([false, false, false, false, false, false]);
	});
});

describe("agreementDateProblems", () => {
	it("wants start ≤ notice ≤ expiry, where given", () => {
		expect(agreementDateProblems({ startDate: "2026-01-01" })).toEqual([]);
		expect(agreementDateProblems({ startDate: "2026-01-01", noticeDate: "2026-01-01", expiryDate: "2026-01-01" })).toEqual([]);
		expect(agreementDateProblems({ startDate: "2026-01-01", noticeDate: null, expiryDate: "2026-06-30" })).toEqual([]);
		expect(agreementDateProblems({ startDate: "2026-02-01", expiryDate: "2026-01-31" }).map((p) => p.path)).toEqual(["expiryDate"]);
		expect(agreementDateProblems({ startDate: "2026-02-01", noticeDate: "2026-01-31" }).map((p) => p.path)).toEqual(["noticeDate"]);
		expect(agreementDateProblems({ startDate: "2026-01-01", noticeDate: "2026-07-01", expiryDate: "2026-06-30" }).map((p) => p.path)).toEqual(["noticeDate"]);
	});
});

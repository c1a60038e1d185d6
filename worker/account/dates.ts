// Calendar days in an account's time zone (Luxon does the zone rules, DST included).
import { DateTime } from "luxon";

/** The date ("YYYY-MM-DD") it is at `nowMs` in `timeZone`. */
export function todayIn(timeZone: string, nowMs: number): string {
	return DateTime.fromMillis(nowMs, { zone: timeZone }).toISODate() ?? DateTime.fromMillis(nowMs, { zone: "utc" }).toISODate() ?? "";
}

/** The instant (ms) a date begins in `timeZone`: local midnight, or the first moment after a DST gap. */
export function startOfDayMs(date: string, timeZone: string): number {
	return DateTime.fromISO(date, { zone: timeZone }).startOf("day").toMillis();
}

export function addDays(date: string, days: number): string {
	return DateTime.fromISO(date, { zone: "utc" }).plus({ days }).toISODate() ?? date;
}

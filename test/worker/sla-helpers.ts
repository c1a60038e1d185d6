// Helpers for the SLA clock and report tests: the AccountObjects' clocks frozen at chosen instants
// of a working week in Europe/Amsterdam (the support hours of OFFICE_HOURS), and reading clocks.
import { DateTime } from "luxon";
import type { AffectedSla, AffectedSlaList } from "../../worker/shared/sla-api";
import { type Caller, callJson } from "./helpers";
import { requestsPath } from "./request-helpers";
import { inObject, OFFICE_HOURS } from "./service-helpers";

export const ZONE = OFFICE_HOURS.timeZone;

/**
 * A Monday (00:00 in Amsterdam) at least three weeks ahead, whose next 60 days hold no change of
 * UTC offset and none of OFFICE_HOURS' holidays: instants in it can be written as plain wall times.
 * Ahead of real time, so that the objects' alarms (set in real time) never fire on their own.
 */
export function testMonday(): DateTime {
	let monday = DateTime.now().setZone(ZONE).startOf("day").plus({ weeks: 3 }).startOf("week");
	const clear = (m: DateTime) => {
		const end = m.plus({ days: 60 });
		if (m.offset !== end.offset) return false;
		return OFFICE_HOURS.holidays.every((h) => {
			const day = DateTime.fromISO(h.date, { zone: ZONE });
			return day < m || day >= end;
		});
	};
	while (!clear(monday)) monday = monday.plus({ weeks: 1 });
	return monday;
}

/** A wall-clock time `days` after `monday` ("10:30"), as epoch ms. */
export function wall(monday: DateTime, days: number, time: string): number {
	const [hour, minute] = time.split(":").map(Number) as [number, number];
	return monday.plus({ days }).set({ hour, minute }).toMillis();
}

/** Epoch ms as the API writes instants (UTC ISO with milliseconds). */
export const iso = (ms: number) => new Date(ms).toISOString();

/** Freezes the objects' clocks at `at` (their alarms keep real time, offset 0). */
export async function freeze(accountIds: string[], at: number): Promise<void> {
	for (const id of accountIds) {
		await inObject(id, (instance) => {
			instance.hooks.offsetMs = 0;
			instance.hooks.now = () => at;
		});
	}
}

/** The objects' clocks run in real time again. */
export async function thaw(accountIds: string[]): Promise<void> {
	for (const id of accountIds) {
		await inObject(id, (instance) => {
			instance.hooks.offsetMs = 0;
			delete (instance.hooks as { now?: unknown }).now;
		});
	}
}

/** A request's SLA clocks as `as` sees them through `accountId`. */
export async function clocksOf(accountId: string, requestId: string, as: Caller): Promise<AffectedSla[]> {
	return (await callJson<AffectedSlaList>(`${requestsPath(accountId, requestId)}/slas`, 200, { as })).items;
}

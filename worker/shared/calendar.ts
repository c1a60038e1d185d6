// Support-hours calendars and agreement dates: the shapes and their rules, shared by the API's
// validation and the portal's editors. Pure: no time-zone library needed to check them.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
	mon: "Monday",
	tue: "Tuesday",
	wed: "Wednesday",
	thu: "Thursday",
	fri: "Friday",
	sat: "Saturday",
	sun: "Sunday",
};

export interface CalendarHours {
	weekday: Weekday;
	/** "HH:MM", 00:00–23:59 */
	from: string;
	/** "HH:MM", 00:01–24:00 (24:00 is midnight at the end of the day) */
	until: string;
}

export interface Holiday {
	name: string;
	/** "YYYY-MM-DD" in the calendar's time zone */
	date: string;
	/** A part-day holiday closes only from–until; a full-day one leaves both out. */
	from?: string | undefined;
	until?: string | undefined;
}

export interface Calendar {
	timeZone: string;
	hours: CalendarHours[];
	holidays: Holiday[];
}

export const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes since midnight of "HH:MM" (24:00 → 1440). */
export function minutesOf(time: string): number {
	const [h, m] = time.split(":").map(Number);
	return (h ?? 0) * 60 + (m ?? 0);
}

/** True for a real calendar date such as 2026-02-28 (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
	if (!ISO_DATE.test(date)) return false;
	const [y, m, d] = date.split("-").map(Number) as [number, number, number];
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export interface CalendarProblem {
	path: string;
	message: string;
}

/**
 * What is wrong with a calendar's hours and holidays: intervals that end before they start,
 * overlap on the same weekday, impossible dates, duplicate holidays. Empty when it is well-formed.
 */
export function calendarProblems(calendar: Pick<Calendar, "hours" | "holidays">): CalendarProblem[] {
	const problems: CalendarProblem[] = [];
	calendar.hours.forEach((h, i) => {
		if (h.from === "24:00") problems.push({ path: `hours.${i}.from`, message: "An interval cannot start at 24:00." });
		else if (minutesOf(h.until) <= minutesOf(h.from)) problems.push({ path: `hours.${i}.until`, message: `${h.until} is not after ${h.from}.` });
	});
	for (const day of WEEKDAYS) {
		const slots = calendar.hours
			.map((h, i) => ({ ...h, i }))
			.filter((h) => h.weekday === day)
			.sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
		for (let k = 1; k < slots.length; k++) {
			const prev = slots[k - 1];
			const cur = slots[k];
			if (prev && cur && minutesOf(cur.from) < minutesOf(prev.until)) {
				problems.push({ path: `hours.${cur.i}`, message: `${WEEKDAY_LABELS[day]} ${cur.from}–${cur.until} overlaps ${prev.from}–${prev.until}.` });
			}
		}
	}
	const seen = new Set<string>();
	calendar.holidays.forEach((h, i) => {
		if (!isCalendarDate(h.date)) problems.push({ path: `holidays.${i}.date`, message: `${h.date} is not a date.` });
		if ((h.from === undefined) !== (h.until === undefined)) {
			problems.push({ path: `holidays.${i}`, message: "A part-day holiday needs both from and until." });
		} else if (h.from !== undefined && h.until !== undefined && minutesOf(h.until) <= minutesOf(h.from)) {
			problems.push({ path: `holidays.${i}.until`, message: `${h.until} is not after ${h.from}.` });
		}
		const key = `${h.date} ${h.from ?? ""}`;
		if (seen.has(key)) problems.push({ path: `holidays.${i}.date`, message: `${h.date} is listed twice.` });
		seen.add(key);
	});
	return problems;
}

export interface AgreementDates {
	startDate: string;
	noticeDate?: string | null | undefined;
	expiryDate?: string | null | undefined;
}

/** Start ≤ notice ≤ expiry, where given. Returns the problems found. */
export function agreementDateProblems(d: AgreementDates): CalendarProblem[] {
	const problems: CalendarProblem[] = [];
	// ISO dates compare correctly as strings.
	if (d.expiryDate && d.expiryDate < d.startDate) problems.push({ path: "expiryDate", message: "The expiry date is before the start date." });
	if (d.noticeDate && d.noticeDate < d.startDate) problems.push({ path: "noticeDate", message: "The notice date is before the start date." });
	if (d.noticeDate && d.expiryDate && d.noticeDate > d.expiryDate) {
		problems.push({ path: "noticeDate", message: "The notice date is after the expiry date." });
	}
	return problems;
}

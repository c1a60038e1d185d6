// Time zones in the portal: the list people pick from, the browser's own, and instants written
// with their zone. SLA targets are instants counted in a provider's support hours, which live in
// the provider's zone; the reader's clock may be elsewhere, so a target says which zone it is in
// ("Mon 9 Dec, 17:00 CET") and can tell the time at the provider too.

/** Every IANA zone the browser knows (canonical names), for pickers. */
export function timeZones(): string[] {
	try {
		return Intl.supportedValuesOf("timeZone");
	} catch {
		return ["UTC"];
	}
}

/** The zone this browser runs in ("Europe/Amsterdam"); UTC when it cannot say. */
export function browserTimeZone(): string {
	try {
		return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
	} catch {
		return "UTC";
	}
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone and shape, built once: lists format many instants. */
function zonedFormat(timeZone: string | undefined, withYear: boolean): Intl.DateTimeFormat {
	const key = `${timeZone ?? ""}|${withYear ? "y" : ""}`;
	let f = formats.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(undefined, {
			weekday: "short",
			day: "numeric",
			month: "short",
			...(withYear ? { year: "numeric" } : {}),
			hour: "2-digit",
			minute: "2-digit",
			timeZoneName: "short",
			...(timeZone ? { timeZone } : {}),
		});
		formats.set(key, f);
	}
	return f;
}

/**
 * An instant with its zone, in the browser's zone or in `timeZone`: "Mon, Dec 9, 05:00 PM EST"
 * (the year only when it is not this year's).
 */
export function formatZoned(iso: string, timeZone?: string): string {
	const t = new Date(iso);
	if (Number.isNaN(t.getTime())) return iso;
	const withYear = t.getFullYear() !== new Date().getFullYear();
	try {
		return zonedFormat(timeZone, withYear).format(t);
	} catch {
		// A zone this browser does not know: the reader's own time, still labelled.
		return zonedFormat(undefined, withYear).format(t);
	}
}

/** True when the instant reads the same on the browser's clock and in `timeZone` (same offset then). */
export function sameClock(iso: string, timeZone: string): boolean {
	return formatZoned(iso) === formatZoned(iso, timeZone);
}

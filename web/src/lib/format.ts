const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function formatDateTime(iso: string | null | undefined): string {
	return iso ? dateTime.format(new Date(iso)) : "—";
}

export function formatDate(iso: string | null | undefined): string {
	return iso ? date.format(new Date(iso)) : "—";
}

export function initials(name: string): string {
	const parts = name.trim().split(/\s+/);
	return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/** A calendar date ("2026-12-25"), shown as it is written, whatever the browser's time zone. */
export function formatDay(date: string | null | undefined): string {
	if (!date) return "—";
	const t = new Date(`${date}T00:00:00Z`);
	return Number.isNaN(t.getTime()) ? date : day.format(t);
}

// Editors of a service offering: its targets per impact and its support hours. They edit drafts
// (strings, as typed) and say what is wrong at once, with the same calendar rules the API applies
// (worker/shared/calendar.ts); the dialog turns a clean draft into the API's shapes.
import { For, Index, Show } from "solid-js";
import type { Calendar, Impact, Target, Targets } from "../../../../worker/shared/service-api";
import { calendarProblems, TIME_OF_DAY, WEEKDAY_LABELS, WEEKDAYS, type Weekday } from "../../../../worker/shared/calendar";
import { IMPACT_LABELS, IMPACT_ORDER } from "../../lib/services";
import { SelectField } from "../../ui/field";

// ── Targets ──────────────────────────────────────────────────────────────────

export type TargetUnit = "minutes" | "hours" | "businessDays" | "bestEffort";
export interface TargetDraft {
	amount: string;
	unit: TargetUnit;
}
export type TargetKind = "response" | "resolution";
export type TargetsDraft = Record<Impact, Record<TargetKind, TargetDraft>>;

const UNIT_OPTIONS: { value: TargetUnit; label: string }[] = [
	{ value: "minutes", label: "minutes" },
	{ value: "hours", label: "hours" },
	{ value: "businessDays", label: "business days" },
	{ value: "bestEffort", label: "best effort" },
];

function draftOfTarget(t: Target): TargetDraft {
	if (t === null) return { amount: "", unit: "bestEffort" };
	if ("businessDays" in t) return { amount: String(t.businessDays), unit: "businessDays" };
	return t.minutes % 60 === 0 ? { amount: String(t.minutes / 60), unit: "hours" } : { amount: String(t.minutes), unit: "minutes" };
}

export function draftOfTargets(t: Targets): TargetsDraft {
	const out = {} as TargetsDraft;
	for (const impact of IMPACT_ORDER) out[impact] = { response: draftOfTarget(t[impact].response), resolution: draftOfTarget(t[impact].resolution) };
	return out;
}

/** A sensible start for a new offering; every cell can be changed. */
export const DEFAULT_TARGETS: Targets = {
	top: { response: { minutes: 15 }, resolution: { minutes: 240 } },
	high: { response: { minutes: 60 }, resolution: { minutes: 480 } },
	medium: { response: { minutes: 240 }, resolution: { businessDays: 3 } },
	low: { response: { businessDays: 1 }, resolution: { businessDays: 5 } },
};

const LIMITS: Record<Exclude<TargetUnit, "bestEffort">, number> = { minutes: 525_600, hours: 8_760, businessDays: 365 };

/** The target of a cell, or a message saying what is wrong with it. */
export function targetOfDraft(d: TargetDraft): { target: Target } | { problem: string } {
	if (d.unit === "bestEffort") return { target: null };
	const text = d.amount.trim();
	if (!/^\d+$/.test(text)) return { problem: text === "" ? "Give a number, or choose best effort." : "Use a whole number." };
	const n = Number(text);
	if (n < 1) return { problem: "Targets are positive." };
	if (n > LIMITS[d.unit]) return { problem: `At most ${LIMITS[d.unit]} ${d.unit === "businessDays" ? "business days" : d.unit}.` };
	if (d.unit === "businessDays") return { target: { businessDays: n } };
	return { target: { minutes: d.unit === "hours" ? n * 60 : n } };
}

/** Problems by "impact.kind", e.g. "top.response". */
export function targetsProblems(d: TargetsDraft): Map<string, string> {
	const problems = new Map<string, string>();
	for (const impact of IMPACT_ORDER) {
		for (const kind of ["response", "resolution"] as const) {
			const r = targetOfDraft(d[impact][kind]);
			if ("problem" in r) problems.set(`${impact}.${kind}`, r.problem);
		}
	}
	return problems;
}

export function targetsOfDraft(d: TargetsDraft): Targets {
	const cell = (impact: Impact, kind: TargetKind): Target => {
		const r = targetOfDraft(d[impact][kind]);
		return "target" in r ? r.target : null;
	};
	const row = (impact: Impact) => ({ response: cell(impact, "response"), resolution: cell(impact, "resolution") });
	return { top: row("top"), high: row("high"), medium: row("medium"), low: row("low") };
}

export function TargetsEditor(props: { value: TargetsDraft; onChange: (value: TargetsDraft) => void; error: (path: string) => string | undefined; idPrefix: string }) {
	const set = (impact: Impact, kind: TargetKind, patch: Partial<TargetDraft>) =>
		props.onChange({ ...props.value, [impact]: { ...props.value[impact], [kind]: { ...props.value[impact][kind], ...patch } } });

	const Cell = (p: { impact: Impact; kind: TargetKind }) => {
		const d = () => props.value[p.impact][p.kind];
		const name = `${IMPACT_LABELS[p.impact]} impact ${p.kind}`;
		const errorId = `${props.idPrefix}-${p.impact}-${p.kind}-error`;
		return (
			<>
				<div class="target-cell">
					<Show when={d().unit !== "bestEffort"}>
						<input
							class="input target-amount"
							type="text"
							inputMode="numeric"
							value={d().amount}
							onInput={(e) => set(p.impact, p.kind, { amount: e.currentTarget.value })}
							aria-label={`${name} amount`}
							aria-invalid={props.error(`${p.impact}.${p.kind}`) ? "true" : undefined}
							aria-describedby={props.error(`${p.impact}.${p.kind}`) ? errorId : undefined}
						/>
					</Show>
					<select
						class="select target-unit"
						value={d().unit}
						onChange={(e) => set(p.impact, p.kind, { unit: e.currentTarget.value as TargetUnit })}
						aria-label={`${name} unit`}
					>
						<For each={UNIT_OPTIONS}>
							{(o) => (
								<option value={o.value} selected={o.value === d().unit}>
									{o.label}
								</option>
							)}
						</For>
					</select>
				</div>
				<Show when={props.error(`${p.impact}.${p.kind}`)}>
					<p class="field-error" id={errorId}>
						{props.error(`${p.impact}.${p.kind}`)}
					</p>
				</Show>
			</>
		);
	};

	return (
		<fieldset class="field">
			<legend class="field-label">Targets</legend>
			<p class="field-description">How soon a request of each impact gets a first response and is resolved. Business days count the support hours below.</p>
			<table class="table targets-table">
				<thead>
					<tr>
						<th scope="col">Impact</th>
						<th scope="col">Response within</th>
						<th scope="col">Resolution within</th>
					</tr>
				</thead>
				<tbody>
					<For each={IMPACT_ORDER}>
						{(impact) => (
							<tr>
								<th scope="row">{IMPACT_LABELS[impact]}</th>
								<td data-label="Response within">
									<Cell impact={impact} kind="response" />
								</td>
								<td data-label="Resolution within">
									<Cell impact={impact} kind="resolution" />
								</td>
							</tr>
						)}
					</For>
				</tbody>
			</table>
		</fieldset>
	);
}

// ── Support hours ────────────────────────────────────────────────────────────

export interface CalendarDraft {
	timeZone: string;
	hours: { weekday: Weekday; from: string; until: string }[];
	holidays: { name: string; date: string; from: string; until: string }[];
}

export function draftOfCalendar(c: Calendar): CalendarDraft {
	return {
		timeZone: c.timeZone,
		hours: c.hours.map((h) => ({ ...h })),
		holidays: c.holidays.map((h) => ({ name: h.name, date: h.date, from: h.from ?? "", until: h.until ?? "" })),
	};
}

export const OFFICE_HOURS: CalendarDraft["hours"] = (["mon", "tue", "wed", "thu", "fri"] as const).map((weekday) => ({ weekday, from: "09:00", until: "17:00" }));
const AROUND_THE_CLOCK: CalendarDraft["hours"] = WEEKDAYS.map((weekday) => ({ weekday, from: "00:00", until: "24:00" }));

export function calendarOfDraft(d: CalendarDraft): Calendar {
	return {
		timeZone: d.timeZone,
		hours: d.hours.map((h) => ({ weekday: h.weekday, from: h.from.trim(), until: h.until.trim() })),
		holidays: d.holidays.map((h) => ({
			name: h.name.trim(),
			date: h.date,
			...(h.from.trim() ? { from: h.from.trim() } : {}),
			...(h.until.trim() ? { until: h.until.trim() } : {}),
		})),
	};
}

const TIME_HINT = "Use a time like 09:00.";

/**
 * What is wrong with the draft, by path ("hours", "hours.2.until", "holidays.0.date"). Overlaps and
 * order come from the shared calendarProblems. `strict` adds what is merely missing, for the
 * moment someone saves; while typing, a half-filled row is not an error yet.
 */
export function calendarDraftProblems(d: CalendarDraft, strict: boolean): Map<string, string> {
	const problems = new Map<string, string>();
	const add = (path: string, message: string) => {
		if (!problems.has(path)) problems.set(path, message);
	};
	const checkTime = (path: string, value: string, required: boolean): boolean => {
		const v = value.trim();
		if (v === "") {
			if (required && strict) add(path, "Required.");
			return !required;
		}
		if (!TIME_OF_DAY.test(v)) {
			add(path, TIME_HINT);
			return false;
		}
		return true;
	};
	if (strict && d.hours.length === 0) add("hours", "Give at least one interval of support hours.");
	const goodHours: number[] = [];
	d.hours.forEach((h, i) => {
		const a = checkTime(`hours.${i}.from`, h.from, true);
		const b = checkTime(`hours.${i}.until`, h.until, true);
		if (a && b) goodHours.push(i);
	});
	const goodHolidays: number[] = [];
	d.holidays.forEach((h, i) => {
		if (strict && h.name.trim() === "") add(`holidays.${i}.name`, "Give the holiday a name.");
		if (h.date === "") {
			if (strict) add(`holidays.${i}.date`, "Pick a date.");
			return;
		}
		const a = checkTime(`holidays.${i}.from`, h.from, false);
		const b = checkTime(`holidays.${i}.until`, h.until, false);
		if (a && b) goodHolidays.push(i);
	});
	const clean = calendarOfDraft(d);
	const found = calendarProblems({
		hours: goodHours.map((i) => clean.hours[i] as Calendar["hours"][number]),
		holidays: goodHolidays.map((i) => clean.holidays[i] as Calendar["holidays"][number]),
	});
	for (const p of found) {
		// Paths name positions in the filtered lists: map them back to the rows on screen.
		const [list, index, ...rest] = p.path.split(".");
		const rows = list === "hours" ? goodHours : goodHolidays;
		const row = rows[Number(index)];
		if (row !== undefined) add([list, row, ...rest].join("."), p.message);
	}
	return problems;
}

const TIME_ZONES = (() => {
	try {
		return Intl.supportedValuesOf("timeZone");
	} catch {
		return ["UTC"];
	}
})();

export function CalendarEditor(props: {
	value: CalendarDraft;
	onChange: (value: CalendarDraft) => void;
	/** The first problem at or below a path ("hours.0", "holidays"). */
	error: (path: string) => string | undefined;
	idPrefix: string;
}) {
	const zones = () => (TIME_ZONES.includes(props.value.timeZone) ? TIME_ZONES : [props.value.timeZone, ...TIME_ZONES]).map((z) => ({ value: z, label: z }));
	const setHour = (i: number, patch: Partial<CalendarDraft["hours"][number]>) =>
		props.onChange({ ...props.value, hours: props.value.hours.map((h, k) => (k === i ? { ...h, ...patch } : h)) });
	const setHoliday = (i: number, patch: Partial<CalendarDraft["holidays"][number]>) =>
		props.onChange({ ...props.value, holidays: props.value.holidays.map((h, k) => (k === i ? { ...h, ...patch } : h)) });
	const addHour = () => {
		const last = props.value.hours[props.value.hours.length - 1];
		const next = last ? WEEKDAYS[(WEEKDAYS.indexOf(last.weekday) + 1) % 7] ?? "mon" : "mon";
		props.onChange({ ...props.value, hours: [...props.value.hours, { weekday: next, from: last?.from ?? "09:00", until: last?.until ?? "17:00" }] });
	};

	return (
		<fieldset class="field calendar-editor">
			<legend class="field-label">Support hours</legend>
			<p class="field-description">When the provider works on requests. Times are 24-hour (24:00 is midnight at the end of the day).</p>
			<SelectField
				id={`${props.idPrefix}-time-zone`}
				label="Time zone"
				value={props.value.timeZone}
				onChange={(timeZone) => props.onChange({ ...props.value, timeZone })}
				options={zones()}
				error={props.error("timeZone")}
			/>

			<div class="stack-sm">
				<div class="row">
					<h3 class="spacer" id={`${props.idPrefix}-hours-title`}>
						Weekly hours
					</h3>
					<button type="button" class="btn btn-sm" onClick={() => props.onChange({ ...props.value, hours: OFFICE_HOURS.map((h) => ({ ...h })) })}>
						Mon–Fri 09:00–17:00
					</button>
					<button type="button" class="btn btn-sm" onClick={() => props.onChange({ ...props.value, hours: AROUND_THE_CLOCK.map((h) => ({ ...h })) })}>
						24 × 7
					</button>
				</div>
				<Show when={props.value.hours.length > 0} fallback={<p class="muted">No support hours yet: add an interval or use a quick fill.</p>}>
					<div class="rows hours-rows" role="list" aria-labelledby={`${props.idPrefix}-hours-title`}>
						<div class="rows-head" aria-hidden="true">
							<span>Day</span>
							<span>From</span>
							<span>Until</span>
							<span />
						</div>
						<Index each={props.value.hours}>
							{(h, i) => {
								const n = i + 1;
								const rowError = () => props.error(`hours.${i}`);
								return (
									<div role="listitem" class="row-item">
										<div class="hours-row">
											<select
												class="select"
												value={h().weekday}
												onChange={(e) => setHour(i, { weekday: e.currentTarget.value as Weekday })}
												aria-label={`Interval ${n} day`}
											>
												<For each={WEEKDAYS}>
													{(d) => (
														<option value={d} selected={d === h().weekday}>
															{WEEKDAY_LABELS[d]}
														</option>
													)}
												</For>
											</select>
											<input
												class="input mono time-input"
												inputMode="numeric"
												maxLength={5}
												placeholder="09:00"
												value={h().from}
												onInput={(e) => setHour(i, { from: e.currentTarget.value })}
												aria-label={`Interval ${n} from`}
												aria-describedby={rowError() ? `${props.idPrefix}-hours-${i}-error` : undefined}
												aria-invalid={props.error(`hours.${i}.from`) ? "true" : undefined}
											/>
											<input
												class="input mono time-input"
												inputMode="numeric"
												maxLength={5}
												placeholder="17:00"
												value={h().until}
												onInput={(e) => setHour(i, { until: e.currentTarget.value })}
												aria-label={`Interval ${n} until`}
												aria-describedby={rowError() ? `${props.idPrefix}-hours-${i}-error` : undefined}
												aria-invalid={props.error(`hours.${i}.until`) || props.error(`hours.${i}`) ? "true" : undefined}
											/>
											<button
												type="button"
												class="btn btn-ghost btn-sm icon-btn"
												onClick={() => props.onChange({ ...props.value, hours: props.value.hours.filter((_, k) => k !== i) })}
												aria-label={`Remove interval ${n} (${WEEKDAY_LABELS[h().weekday]} ${h().from}–${h().until})`}
											>
												✕
											</button>
										</div>
										<Show when={rowError()}>
											<p class="field-error" id={`${props.idPrefix}-hours-${i}-error`}>
												{rowError()}
											</p>
										</Show>
									</div>
								);
							}}
						</Index>
					</div>
				</Show>
				<Show when={props.error("hours") && props.value.hours.length === 0}>
					<p class="field-error" role="alert">
						{props.error("hours")}
					</p>
				</Show>
				<div>
					<button type="button" class="btn btn-sm" onClick={addHour}>
						Add interval
					</button>
				</div>
			</div>

			<div class="stack-sm">
				<h3 id={`${props.idPrefix}-holidays-title`}>Holidays</h3>
				<Show when={props.value.holidays.length > 0} fallback={<p class="muted">No holidays. Leave from and until empty for a full day off.</p>}>
					<div class="rows holiday-rows" role="list" aria-labelledby={`${props.idPrefix}-holidays-title`}>
						<div class="rows-head" aria-hidden="true">
							<span>Name</span>
							<span>Date</span>
							<span>From</span>
							<span>Until</span>
							<span />
						</div>
						<Index each={props.value.holidays}>
							{(h, i) => {
								const n = i + 1;
								const rowError = () => props.error(`holidays.${i}`);
								return (
									<div role="listitem" class="row-item">
										<div class="holiday-row">
											<input
												class="input holiday-name"
												value={h().name}
												placeholder="Name"
												onInput={(e) => setHoliday(i, { name: e.currentTarget.value })}
												aria-label={`Holiday ${n} name`}
												aria-describedby={rowError() ? `${props.idPrefix}-holidays-${i}-error` : undefined}
												aria-invalid={props.error(`holidays.${i}.name`) ? "true" : undefined}
											/>
											<input
												class="input holiday-date"
												type="date"
												value={h().date}
												onInput={(e) => setHoliday(i, { date: e.currentTarget.value })}
												aria-label={`Holiday ${n} date`}
												aria-describedby={rowError() ? `${props.idPrefix}-holidays-${i}-error` : undefined}
												aria-invalid={props.error(`holidays.${i}.date`) ? "true" : undefined}
											/>
											<input
												class="input mono time-input"
												inputMode="numeric"
												maxLength={5}
												placeholder="from"
												value={h().from}
												onInput={(e) => setHoliday(i, { from: e.currentTarget.value })}
												aria-label={`Holiday ${n} closed from (optional)`}
												aria-describedby={rowError() ? `${props.idPrefix}-holidays-${i}-error` : undefined}
												aria-invalid={props.error(`holidays.${i}.from`) ? "true" : undefined}
											/>
											<input
												class="input mono time-input"
												inputMode="numeric"
												maxLength={5}
												placeholder="until"
												value={h().until}
												onInput={(e) => setHoliday(i, { until: e.currentTarget.value })}
												aria-label={`Holiday ${n} closed until (optional)`}
												aria-describedby={rowError() ? `${props.idPrefix}-holidays-${i}-error` : undefined}
												aria-invalid={props.error(`holidays.${i}.until`) ? "true" : undefined}
											/>
											<button
												type="button"
												class="btn btn-ghost btn-sm icon-btn"
												onClick={() => props.onChange({ ...props.value, holidays: props.value.holidays.filter((_, k) => k !== i) })}
												aria-label={`Remove holiday ${n}${h().name ? ` (${h().name})` : ""}`}
											>
												✕
											</button>
										</div>
										<Show when={rowError()}>
											<p class="field-error" id={`${props.idPrefix}-holidays-${i}-error`}>
												{rowError()}
											</p>
										</Show>
									</div>
								);
							}}
						</Index>
					</div>
				</Show>
				<div>
					<button
						type="button"
						class="btn btn-sm"
						onClick={() => props.onChange({ ...props.value, holidays: [...props.value.holidays, { name: "", date: "", from: "", until: "" }] })}
					>
						Add holiday
					</button>
				</div>
			</div>
		</fieldset>
	);
}

/** The warning threshold as typed: a whole number from 1 to 99 (percent of a target), or a problem. */
export function warningOfDraft(text: string): { percent: number } | { problem: string } {
	const t = text.trim();
	if (!/^\d+$/.test(t)) return { problem: t === "" ? "Give a percentage from 1 to 99." : "Use a whole number from 1 to 99." };
	const n = Number.parseInt(t, 10);
	return n >= 1 && n <= 99 ? { percent: n } : { problem: "Use a whole number from 1 to 99." };
}

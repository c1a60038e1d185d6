// Demo history: a few months of requests, generated deterministically from a seed, so that SLA
// reports show real figures at first start. The plan is only a timetable of ordinary actions
// (register, accept, wait for the customer, answer, change the impact, complete, reopen) at past
// instants; replaying it goes through the same request code as live use, and the provider's SLA
// clocks are computed from it like any other change. Used only by the local demo (DEMO_TOOLS).
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from "../shared/business-time";
import type { RequestCategory, RequestImpact } from "../shared/request-api";
import type { Calendar, Target, Targets } from "../shared/service-api";
import type { AccountContext } from "./context";
import * as requests from "./requests";
import type { OwnerCommand, Route } from "./requests";
import { calendarOf } from "./sla-clock";

export interface HistoryEntry {
	/** The catalog entry's service (for subjects). */
	serviceName: string;
	targets: Targets;
	calendar: Calendar;
	/** How many specialists of the routed team can act (indices into the entry's team). */
	specialists: number;
}

export interface PlannedRequest {
	entry: number;
	requester: number;
	subject: string;
	category: RequestCategory;
	impact: RequestImpact;
	note: string;
}

export type PlannedStep =
	| { at: number; request: number; kind: "create" }
	| { at: number; request: number; kind: "command"; by: "requester" | { specialist: number }; command: OwnerCommand };

export interface HistoryPlan {
	requests: PlannedRequest[];
	/** In time order; nothing at or after `now`. */
	steps: PlannedStep[];
}

/** mulberry32: a small, well-distributed PRNG; the same seed gives the same history. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SUBJECTS: Record<string, string[]> = {
	Email: [
		"Mailbox full",
		"Cannot send to external addresses",
		"Shared calendar not visible",
		"Spam filter holds invoices",
		"Distribution list for the new project",
		"Out-of-office reply not working",
		"Mail delayed by hours",
		"Restore deleted folder",
	],
	Workplace: [
		"Laptop does not boot",
		"New monitor for the office",
		"Printer on floor 2 jams",
		"Install the statistics software",
		"Phone does not sync",
		"Headset for calls",
		"VPN drops every hour",
		"Replace broken keyboard",
	],
};
const FALLBACK_SUBJECTS = ["Something does not work", "A question about the service", "Please change a setting"];
const IMPACTS: RequestImpact[] = ["low", "low", "low", "medium", "medium", "medium", "high", "top"];
const CATEGORIES: RequestCategory[] = ["incident", "incident", "incident", "rfc", "rfi"];

/** Minutes of support hours a target allows (business days count as the calendar's average day). */
function targetMinutes(cal: BusinessCalendar, target: Target, around: number): number | null {
	if (!target) return null;
	if ("minutes" in target) return target.minutes;
	const week = businessMinutesBetween(cal, around, around + 7 * 86_400_000);
	return Math.max(60, (week / 5) * target.businessDays);
}

export interface HistoryOptions {
	seed: number;
	now: number;
	/** First instant of the history (e.g. the first of the month, months ago). */
	from: number;
	entries: HistoryEntry[];
	requesters: number;
	/** Requests per entry per 30 days, on average. */
	perMonth: number;
}

export function planHistory(o: HistoryOptions): HistoryPlan {
	const random = prng(o.seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
	const requests: PlannedRequest[] = [];
	const steps: PlannedStep[] = [];
	const spanDays = (o.now - o.from) / 86_400_000;

	o.entries.forEach((entry, e) => {
		const cal = calendarOf(entry.calendar);
		const count = Math.round((o.perMonth * spanDays) / 30);
		const openMinutes = businessMinutesBetween(cal, o.from, o.now);
		for (let i = 0; i < count; i++) {
			const created = addBusinessMinutes(cal, o.from, random() * openMinutes);
			if (created === null || created >= o.now) continue;
			const impact = pick(IMPACTS);
			const targets = entry.targets[impact];
			const response = targetMinutes(cal, targets.response, created) ?? 240;
			const resolution = targetMinutes(cal, targets.resolution, created) ?? 3 * 480;
			const request = requests.length;
			const subjects = SUBJECTS[entry.serviceName] ?? FALLBACK_SUBJECTS;
			requests.push({
				entry: e,
				requester: Math.floor(random() * o.requesters),
				subject: pick(subjects),
				category: pick(CATEGORIES),
				impact,
				note: "Registered through the portal.",
			});
			const specialist = { specialist: Math.floor(random() * Math.max(1, entry.specialists)) };
			// A business-time clock for this request: t advances through support hours only.
			let t = created;
			const later = (minutes: number) => {
				t = addBusinessMinutes(cal, t, Math.max(1, minutes)) ?? t + minutes * 60_000;
				return t;
			};
			const add = (step: PlannedStep) => {
				if (step.at < o.now) steps.push(step);
			};
			add({ at: created, request, kind: "create" });
			// Most responses come well inside the target; about one in eight is late.
			const late = random() < 0.12;
			add({ at: later(late ? response * (1.1 + random()) : response * (0.1 + 0.8 * random())), request, kind: "command", by: specialist, command: { type: "accept" } });
			if (random() < 0.12) {
				const to: RequestImpact = impact === "top" ? "high" : impact === "low" ? "medium" : "top";
				add({ at: later(20 + random() * 60), request, kind: "command", by: specialist, command: { type: "set_impact", impact: to } });
			}
			if (random() < 0.3) {
				add({ at: later(resolution * 0.1 * random() + 5), request, kind: "command", by: specialist, command: { type: "set_status", status: "waiting_for_customer" } });
				// The customer's time: not counted against the provider.
				add({ at: later(30 + random() * 900), request, kind: "command", by: "requester", command: { type: "note", body: "Here is what you asked for.", internal: false } });
			}
			const used = businessMinutesBetween(cal, created, t);
			const lateResolution = random() < 0.15;
			const remaining = Math.max(10, resolution - used);
			add({
				at: later(lateResolution ? remaining * (1.05 + random()) : remaining * (0.2 + 0.7 * random())),
				request,
				kind: "command",
				by: specialist,
				command: { type: "set_status", status: "completed", completionReason: random() < 0.85 ? "solved" : "workaround" },
			});
			if (random() < 0.06) {
				add({ at: later(60 + random() * 600), request, kind: "command", by: "requester", command: { type: "reopen", note: "It happens again." } });
				add({ at: later(30 + random() * 240), request, kind: "command", by: specialist, command: { type: "set_status", status: "completed", completionReason: "solved" } });
			}
		}
	});
	// Replay order: by time, and a request's steps in the order they were planned.
	const order = new Map(steps.map((s, i) => [s, i]));
	steps.sort((a, b) => a.at - b.at || (order.get(a) ?? 0) - (order.get(b) ?? 0));
	return { requests, steps };
}

/** What the customer's AccountObject needs to replay a plan: who is who, and where requests go. */
export interface HistoryReplay {
	plan: HistoryPlan;
	requesters: { id: string; name: string }[];
	entries: { route: Route; specialists: { id: string; name: string }[] }[];
}

/**
 * Replays a planned history of this account's requests at its past instants, through the same
 * request code as live use; the providers compute their SLA clocks from the resulting messages.
 */
export async function replayHistory(ctx: AccountContext, input: HistoryReplay): Promise<{ requests: number; steps: number; skipped: number }> {
	const self = ctx.self();
	const ownerName = await ctx.name();
	const ids: string[] = [];
	let steps = 0;
	let skipped = 0;
	for (const step of input.plan.steps) {
		const planned = input.plan.requests[step.request];
		const entry = planned && input.entries[planned.entry];
		const requester = planned && input.requesters[planned.requester];
		if (!planned || !entry || !requester) {
			skipped += 1;
			continue;
		}
		if (step.kind === "create") {
			const summary = requests.createRequest(
				ctx.db,
				self,
				{ personId: requester.id, name: requester.name, accountId: self, staff: false, teamIds: [] },
				{ subject: planned.subject, category: planned.category, impact: planned.impact, note: planned.note, requestedFor: requester, ownerName },
				entry.route,
				step.at,
			);
			ids[step.request] = summary.id;
			steps += 1;
			continue;
		}
		const id = ids[step.request];
		const specialist = step.by === "requester" ? undefined : entry.specialists[step.by.specialist % Math.max(1, entry.specialists.length)];
		const actor: requests.RequestActor | undefined =
			step.by === "requester"
				? { personId: requester.id, name: requester.name, accountId: self, staff: false, teamIds: [] }
				: specialist && { personId: specialist.id, name: specialist.name, accountId: entry.route.team.accountId, staff: true, teamIds: [entry.route.team.id] };
		const result = id && actor ? requests.commandRequest(ctx.db, self, id, actor, step.command, step.at) : undefined;
		if (result?.ok) steps += 1;
		else skipped += 1;
	}
	await ctx.afterWrite();
	return { requests: ids.filter(Boolean).length, steps, skipped };
}

// SLA clocks across accounts: the provider keeps one affected SLA per SLA covering a customer's
// request, computed from the owner's changes at the owner's times; the owner gets each clock back,
// so both accounts show the same clock and the same next target (which orders the provider's
// Inbox). Breaches fall due by the provider's alarm (clocks frozen at chosen instants), and a
// provider whose trust ended is accountable no more.
//
// All instants are wall-clock times in Europe/Amsterdam of a working week (see testMonday), the
// offering's support hours Mon–Fri 09:00–17:00 (OFFICE_HOURS) and targets TARGETS: high responds
// within 60 and resolves within 480 minutes, medium 240 minutes and 2 business days, top 15 and 240.
import { runDurableObjectAlarm } from "cloudflare:test";
import type { DateTime } from "luxon";
import { beforeAll, describe, expect, it } from "vitest";
import type { RequestSummary } from "../../worker/shared/request-api";
import type { AffectedSla, SlaReport } from "../../worker/shared/sla-api";
import { callError, callJson, createTeam } from "./helpers";
import type { ServiceOffering } from "../../worker/shared/service-api";
import { act, activeSla, inboxOf, makeWorld, openSocket, register, requestsPath, summaryPart, view, type World } from "./request-helpers";
import { actOnTrust, defineEmail, inObject, OFFICE_HOURS, settle, slaAction, stubOf, TARGETS } from "./service-helpers";
import { clocksOf, freeze, iso, testMonday, thaw, wall } from "./sla-helpers";

let monday: DateTime;
beforeAll(() => {
	monday = testMonday();
});

/** Monday + `days`, at `time` in Amsterdam, as the API writes it. */
const at = (days: number, time: string) => iso(wall(monday, days, time));
const accounts = (w: World) => [w.customer.accountId, w.provider.accountId];

/** Freezes both clocks at the instant, does `fn` there, and delivers everything between the two. */
async function when<R>(w: World, days: number, time: string, fn: () => Promise<R>): Promise<R> {
	await freeze(accounts(w), wall(monday, days, time));
	const result = await fn();
	await settle(...accounts(w));
	return result;
}

/**
 * The request's clocks as the provider's team sees them, after checking that the customer's people
 * see exactly the same, field by field, and that the request's next target is theirs on both
 * sides: the owner's summary and the provider's Inbox row.
 */
async function bothSides(w: World, id: string, requester = w.alice): Promise<AffectedSla[]> {
	const P = w.provider.accountId;
	const C = w.customer.accountId;
	const clocks = await clocksOf(P, id, w.bob);
	expect(await clocksOf(C, id, w.adam)).toEqual(clocks);
	expect(await clocksOf(C, id, requester)).toEqual(clocks);
	const owner = summaryPart(await view(C, id, w.adam));
	const next = clocks.filter((c) => c.accountability === "provider" && c.nextTargetAt !== null).map((c) => c.nextTargetAt as string).sort()[0] ?? null;
	expect(owner.nextTargetAt).toBe(next);
	const row = (await inboxOf(P, w.bob, `status=${owner.status}`)).items.find((i) => i.id === id);
	expect(row).toEqual(owner);
	return clocks;
}

const kinds = (c: AffectedSla | undefined) => c?.timeline.map((e) => e.kind);
const events = (c: AffectedSla | undefined) => c?.timeline.map((e) => [e.at, e.kind]);

describe("a customer's request, from registration to its second completion", () => {
	let w: World;
	let r: RequestSummary;
	const steps: Record<string, AffectedSla> = {};

	beforeAll(async () => {
		w = await makeWorld();
		const C = w.customer.accountId;
		const P = w.provider.accountId;
		try {
			r = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high", subject: "Mailbox full" }));
			steps.created = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 0, "10:30", () => act(P, r.id, w.bob, { type: "accept" }));
			steps.accepted = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 0, "14:00", () => act(P, r.id, w.bob, { type: "set_status", status: "waiting_for_customer", note: "Which mailbox?" }));
			steps.waiting = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 1, "11:00", () => act(C, r.id, w.alice, { type: "note", body: "The shared one." }));
			steps.answered = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 1, "12:00", () => act(P, r.id, w.bob, { type: "set_impact", impact: "medium" }));
			steps.medium = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 2, "14:00", () => act(P, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
			steps.completed = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 3, "10:00", () => act(C, r.id, w.alice, { type: "reopen", note: "Full again." }));
			steps.reopened = (await bothSides(w, r.id))[0] as AffectedSla;
			await when(w, 3, "11:30", () => act(P, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
			steps.done = (await bothSides(w, r.id))[0] as AffectedSla;
		} finally {
			await thaw(accounts(w));
		}
	}, 30_000);

	it("starts one clock per SLA covering the requester, kept by the provider, at the registration's time", () => {
		expect(steps.created).toMatchObject({
			requestId: r.id,
			requestNumber: r.number,
			subject: "Mailbox full",
			provider: { id: w.provider.accountId },
			customer: { id: w.customer.accountId, name: r.owner.name },
			sla: { id: w.sla.id, name: w.sla.name },
			service: { id: w.model.service.id, name: w.model.service.name },
			instance: { id: w.model.instance.id, name: w.model.instance.name },
			offering: { id: w.model.offering.id, name: w.model.offering.name },
			team: { id: w.model.team.id, name: "Email Support" },
			accountability: "provider",
			impact: "high",
			status: "assigned",
			supportHours: w.model.offering.supportHours,
			responseTarget: TARGETS.high.response,
			resolutionTarget: TARGETS.high.resolution,
			warningPercent: 80,
			startedAt: at(0, "10:00"),
			responseTargetAt: at(0, "11:00"),
			resolutionTargetAt: at(1, "10:00"), // Mon 10:00–17:00 (420) + Tue 09:00–10:00 (60)
			desiredCompletionAt: null,
			actualResponseAt: null,
			nextTarget: "response",
			nextTargetAt: at(0, "11:00"),
			responseBreached: false,
			resolutionBreached: false,
			stops: [],
		});
		expect(events(steps.created)).toEqual([[at(0, "10:00"), "started"]]);
	});

	it("accepted: the response, and the resolution target next", () => {
		expect(steps.accepted).toMatchObject({ status: "accepted", actualResponseAt: at(0, "10:30"), responseMinutes: 30, nextTarget: "resolution", nextTargetAt: at(1, "10:00") });
	});

	it("waiting for the customer: the clock stops, no next target on either side", () => {
		expect(steps.waiting).toMatchObject({
			status: "waiting_for_customer",
			clockStoppedAt: at(0, "14:00"),
			nextTarget: "clock_stopped",
			nextTargetAt: null,
			stops: [{ from: at(0, "14:00"), until: null, minutes: 0, reason: "waiting_for_customer" }],
		});
	});

	it("answered: the clock runs again, the resolution target pushed out by the 300 paused business minutes", () => {
		expect(steps.answered).toMatchObject({
			status: "in_progress",
			resolutionTargetAt: at(1, "15:00"),
			stoppedMinutes: 300, // Mon 14:00–17:00 + Tue 09:00–11:00
			clockStoppedAt: null,
			nextTarget: "resolution",
			nextTargetAt: at(1, "15:00"),
			stops: [{ from: at(0, "14:00"), until: at(1, "11:00"), minutes: 300, reason: "waiting_for_customer" }],
		});
	});

	it("a new impact: the offering's targets for it, counted from the same start", () => {
		expect(steps.medium).toMatchObject({
			impact: "medium",
			responseTarget: TARGETS.medium.response,
			resolutionTarget: TARGETS.medium.resolution,
			startedAt: at(0, "10:00"),
			responseTargetAt: at(0, "14:00"),
			resolutionTargetAt: at(2, "15:00"), // Wednesday 10:00 (2 business days) + 300 stopped
			nextTargetAt: at(2, "15:00"),
		});
	});

	it("completed: the resolution, its minutes without the stop", () => {
		expect(steps.completed).toMatchObject({ status: "completed", actualResolutionAt: at(2, "14:00"), resolutionMinutes: 900, nextTarget: "none", nextTargetAt: null, resolutionBreached: false });
	});

	it("reopened: the completed gap is a stop too, and the target moves out by it", () => {
		expect(steps.reopened).toMatchObject({
			status: "assigned",
			actualResolutionAt: null,
			stoppedMinutes: 540,
			resolutionTargetAt: at(3, "11:00"),
			nextTarget: "resolution",
			nextTargetAt: at(3, "11:00"),
		});
		expect(steps.reopened?.stops.at(-1)).toEqual({ from: at(2, "14:00"), until: at(3, "10:00"), minutes: 240, reason: "completed" });
	});

	it("completed again, late: the breach at the target's instant, then the resolution", () => {
		expect(steps.done).toMatchObject({ actualResolutionAt: at(3, "11:30"), resolutionMinutes: 990, responseBreached: false, resolutionBreached: true, nextTarget: "none" });
		expect(events(steps.done)).toEqual([
			[at(0, "10:00"), "started"],
			[at(0, "10:30"), "responded"],
			[at(0, "14:00"), "stopped"],
			[at(1, "11:00"), "resumed"],
			[at(1, "12:00"), "impact_changed"],
			[at(2, "11:48"), "resolution_warning"], // 80 % of 2 business days' running time
			[at(2, "14:00"), "resolved"],
			[at(3, "10:00"), "reopened"],
			[at(3, "11:00"), "resolution_breached"],
			[at(3, "11:30"), "resolved"],
		]);
	});

	it("the customer's people see the clocks of their own requests only", async () => {
		await callError(`${requestsPath(w.customer.accountId, r.id)}/slas`, 404, "not_found", { as: w.carol });
		await callError(`${requestsPath(w.provider.accountId, r.id)}/slas`, 404, "not_found", { as: w.sam });
	});
});

describe("the affected SLAs of a request", () => {
	it("are one per SLA covering the requester on the request's service instance, each with its own offering's targets", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		// Carol alone is also covered by a faster offering of the same service instance…
		const platinum = await callJson<ServiceOffering>(`/accounts/${P}/service-offerings`, 201, {
			as: w.provider,
			body: { serviceId: w.model.service.id, name: "Email Platinum", targets: { ...TARGETS, high: { response: { minutes: 30 }, resolution: { minutes: 240 } } }, supportHours: OFFICE_HOURS, warningPercent: 50 },
		});
		const carols = await activeSla(w.provider, { ...w.model, offering: platinum }, C, { coverage: { type: "people", personIds: [w.carol.id] } });
		// …and everyone by an SLA of another service instance, which no Email request affects.
		await activeSla(w.provider, await defineEmail(w.provider, " (other)"), C);
		try {
			const alices = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high" }));
			const carolsRequest = await when(w, 0, "10:00", () => register(w, w.sla, w.carol, { impact: "high" }));
			expect((await bothSides(w, alices.id)).map((c) => c.sla.id)).toEqual([w.sla.id]);
			const clocks = await bothSides(w, carolsRequest.id, w.carol);
			const facts = clocks.map((c) => [c.sla.id, c.offering.id, c.accountability, c.team?.id, c.warningPercent, c.responseTargetAt, c.resolutionTargetAt]);
			expect(facts.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
				[
					[w.sla.id, w.model.offering.id, "provider", w.model.team.id, 80, at(0, "11:00"), at(1, "10:00")],
					[carols.id, platinum.id, "provider", w.model.team.id, 50, at(0, "10:30"), at(0, "14:00")],
				].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
			);
			// The request's next target is the earliest of its clocks'.
			expect((await view(C, carolsRequest.id, w.carol)).nextTargetAt).toBe(at(0, "10:30"));
		} finally {
			await thaw(accounts(w));
		}
	});
});

describe("the clock follows the request", () => {
	it("through every status and assignment, the clock's status and team are the request's, on both sides", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const desk = await createTeam(w.provider, P, { name: "Service Desk", memberIds: [w.bob.id] });
		try {
			const r = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high" }));
			const changes: [string, Record<string, unknown>][] = [
				["10:10", { type: "accept" }],
				["10:20", { type: "set_status", status: "in_progress" }],
				["10:30", { type: "set_status", status: "on_backlog" }],
				["10:40", { type: "set_status", status: "waiting_for" }],
				["10:50", { type: "assign", teamId: desk.id, memberId: w.bob.id }],
				["11:00", { type: "accept" }],
				["11:10", { type: "set_status", status: "in_progress" }],
			];
			for (const [time, cmd] of changes) {
				const summary = await when(w, 0, time, () => act(P, r.id, w.bob, cmd));
				const [clock] = await bothSides(w, r.id);
				expect([time, clock?.status, clock?.team]).toEqual([time, summary.status, { id: summary.team?.id, name: summary.team?.name }]);
			}
			// Moved between the provider's own teams: still the provider's, the same clock (one event: the response).
			const [clock] = await clocksOf(P, r.id, w.bob);
			expect(clock).toMatchObject({ accountability: "provider", team: { id: desk.id, name: "Service Desk" }, actualResponseAt: at(0, "10:10") });
			expect(kinds(clock)).toEqual(["started", "responded"]);
		} finally {
			await thaw(accounts(w));
		}
	});
});

describe("the next target", () => {
	it("orders the provider's Inbox, and is the same number on both sides", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		try {
			const high = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high", subject: "high" }));
			// Registered later, due sooner: top responds within 15 minutes (10:30 < 11:00).
			const top = await when(w, 0, "10:15", () => register(w, w.sla, w.carol, { impact: "top", subject: "top" }));
			const low = await when(w, 0, "10:20", () => register(w, w.sla, w.alice, { impact: "low", subject: "low" })); // 1 business day: Tuesday 10:20
			const order = async () => (await inboxOf(P, w.bob)).items.map((i) => [i.subject, i.nextTargetAt]);
			expect(await order()).toEqual([
				["top", at(0, "10:30")],
				["high", at(0, "11:00")],
				["low", at(1, "10:20")],
			]);
			for (const [id, requester] of [[high.id, w.alice], [top.id, w.carol], [low.id, w.alice]] as const) await bothSides(w, id, requester);
			// Top accepted: it runs to its resolution now (10:15 + 240 minutes), after high's response.
			await when(w, 0, "10:25", () => act(P, top.id, w.bob, { type: "accept" }));
			expect(await order()).toEqual([
				["high", at(0, "11:00")],
				["top", at(0, "14:15")],
				["low", at(1, "10:20")],
			]);
			// Waiting for the customer: no target, last.
			await when(w, 0, "10:40", () => act(P, high.id, w.bob, { type: "set_status", status: "waiting_for_customer" }));
			expect(await order()).toEqual([
				["top", at(0, "14:15")],
				["low", at(1, "10:20")],
				["high", null],
			]);
			for (const [id, requester] of [[high.id, w.alice], [top.id, w.carol], [low.id, w.alice]] as const) await bothSides(w, id, requester);
			// The impact set to what it is: nothing to change (409).
			await callError(`${requestsPath(P, top.id)}/actions`, 409, "invalid_transition", { as: w.bob, body: { type: "set_impact", impact: "top" } });
			// The requester cannot change the impact (403); the customer's specialists neither.
			await callError(`${requestsPath(w.customer.accountId, low.id)}/actions`, 403, "forbidden", { as: w.alice, body: { type: "set_impact", impact: "top" } });
			await callError(`${requestsPath(w.customer.accountId, low.id)}/actions`, 403, "forbidden", { as: w.adam, body: { type: "set_impact", impact: "top" } });
		} finally {
			await thaw(accounts(w));
		}
	});

	it("a desired completion later than the resolution target becomes the target, shown to the customer", async () => {
		const w = await makeWorld();
		try {
			const desired = at(4, "12:00");
			const r = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high", desiredCompletionAt: desired }));
			expect(r.desiredCompletionAt).toBe(desired);
			await when(w, 0, "10:10", () => act(w.provider.accountId, r.id, w.bob, { type: "accept" }));
			const [clock] = await bothSides(w, r.id);
			expect(clock).toMatchObject({ desiredCompletionAt: desired, resolutionTargetAt: desired, nextTarget: "desired_completion", nextTargetAt: desired });
			expect((await view(w.customer.accountId, r.id, w.alice)).nextTargetAt).toBe(desired);
		} finally {
			await thaw(accounts(w));
		}
	});

	it("a desired completion in the past, or not a date, is refused (400) and registers nothing", async () => {
		const w = await makeWorld();
		try {
			await freeze(accounts(w), wall(monday, 0, "10:00"));
			const body = { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "Yesterday" };
			const path = requestsPath(w.customer.accountId);
			for (const desiredCompletionAt of [at(0, "09:59"), at(0, "10:00"), "2020-01-01T00:00:00.000Z"]) {
				const refused = await callError(path, 400, "invalid_input", { as: w.alice, body: { ...body, desiredCompletionAt } });
				expect(JSON.stringify(refused.error.details)).toContain("desiredCompletionAt");
			}
			for (const desiredCompletionAt of ["tomorrow", "2031-02-30T10:00:00Z", 12345]) {
				await callError(path, 400, "invalid_input", { as: w.alice, body: { ...body, desiredCompletionAt } });
			}
			expect((await callJson<{ total: number }>(`${path}?scope=account`, 200, { as: w.adam })).total).toBe(0);
		} finally {
			await thaw(accounts(w));
		}
	});
});

describe("breaches by the provider's alarm (injected clock)", () => {
	it("past the response target, the alarm records the warning and the breach at their instants, pushes them, and tells the customer", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		const alarmOf = (id: string) => inObject(id, (_i, state) => state.storage.getAlarm());
		try {
			const r = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high" }));
			// The provider's alarm waits for the first thing that falls due: the response warning (80 % of 60 minutes).
			expect(await alarmOf(P)).toBe(wall(monday, 0, "10:48"));
			const bob = await openSocket(P, w.bob);
			const alice = await openSocket(C, w.alice);
			const before = (await clocksOf(P, r.id, w.bob))[0];

			await freeze([P], wall(monday, 0, "11:05"));
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			const [clock] = await clocksOf(P, r.id, w.bob);
			expect(clock).toMatchObject({ responseBreached: true, resolutionBreached: false, actualResponseAt: null, nextTarget: "response", nextTargetAt: at(0, "11:00") });
			expect(events(clock)).toEqual([
				[at(0, "10:00"), "started"],
				[at(0, "10:48"), "response_warning"],
				[at(0, "11:00"), "response_breached"],
			]);
			expect(clock?.updatedAt).toBe(at(0, "11:05"));
			// Next: the resolution warning, 384 business minutes after 10:00.
			expect(await alarmOf(P)).toBe(wall(monday, 0, "16:24"));
			// Pushed live to the provider's team…
			const pushed = await bob.next((f) => f.type === "event" && f.requestId === r.id, "Bob hears of the breach");
			expect(pushed).toMatchObject({ kind: "request.updated", request: { id: r.id, nextTargetAt: at(0, "11:00") } });
			// …and told to the customer (the alarm delivered it): its copy is the provider's, and its people hear of it.
			expect(await clocksOf(C, r.id, w.alice)).toEqual(await clocksOf(P, r.id, w.bob));
			expect((await clocksOf(C, r.id, w.alice))[0]).not.toEqual(before);
			await alice.next((f) => f.type === "event" && f.requestId === r.id, "Alice hears of it");
			// Running the alarm again records nothing twice.
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			expect(kinds((await clocksOf(P, r.id, w.bob))[0])).toEqual(["started", "response_warning", "response_breached"]);

			// The late response: recorded as such, the breach stays.
			await when(w, 0, "11:20", () => act(P, r.id, w.bob, { type: "accept" }));
			const [answered] = await bothSides(w, r.id);
			expect(answered).toMatchObject({ actualResponseAt: at(0, "11:20"), responseMinutes: 80, responseBreached: true, nextTarget: "resolution" });
			expect(answered?.timeline.at(-1)).toMatchObject({ kind: "responded", text: "Responded, after the response target" });
			await bob.close();
			await alice.close();
		} finally {
			await thaw(accounts(w));
		}
	});

	it("nothing falls due while the request waits for the customer, however long", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		try {
			const r = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "top" }));
			await when(w, 0, "10:05", () => act(P, r.id, w.bob, { type: "set_status", status: "waiting_for_customer" }));
			expect(await inObject(P, (_i, state) => state.storage.getAlarm())).toBeNull();
			await freeze([P], wall(monday, 14, "10:00"));
			await runDurableObjectAlarm(stubOf(P));
			expect(kinds((await bothSides(w, r.id))[0])).toEqual(["started", "responded", "stopped"]);
		} finally {
			await thaw(accounts(w));
		}
	});
});

describe("accountability", () => {
	/** The provider's clocks, read in its storage: it can no longer read the customer's requests. */
	const stored = (w: World) =>
		inObject(w.provider.accountId, (_i, state) =>
			state.storage.sql
				.exec<{ request_id: string; accountability: string; next_check_at: number | null; next_target_at: number | null; clock: string }>(
					"SELECT request_id, accountability, next_check_at, next_target_at, clock FROM affected_slas",
				)
				.toArray()
				.map((row) => ({ ...row, timeline: (JSON.parse(row.clock) as { timeline: { at: number; kind: string }[] }).timeline.map((e) => [iso(e.at), e.kind]) })),
		);

	it.each(["provider", "customer"] as const)("when the trust ends (by the %s), the open requests' clocks are not the provider's any more and leave its report", async (by) => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		const report = () => callJson<SlaReport>(`/accounts/${P}/sla-reports?from=${monday.toISODate()}&until=${monday.plus({ days: 6 }).toISODate()}`, 200, { as: w.provider });
		try {
			const open = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high", subject: "Open" }));
			const done = await when(w, 0, "10:05", () => register(w, w.sla, w.alice, { impact: "high", subject: "Done" }));
			await when(w, 0, "10:30", () => act(P, open.id, w.bob, { type: "accept" }));
			await when(w, 0, "10:40", () => act(P, done.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
			expect((await report()).totals).toMatchObject({ requests: 2, resolved: 1 });
			expect((await bothSides(w, open.id))[0]?.nextTargetAt).toBe(at(1, "10:00"));

			await when(w, 0, "11:00", async () => {
				await slaAction(w.provider, w.sla.id, "expire");
				await settle(P, C);
				await actOnTrust(by === "provider" ? w.provider : w.customer, by === "provider" ? C : P, "deactivate");
			});
			const rows = await stored(w);
			expect(rows.find((row) => row.request_id === open.id)).toMatchObject({ accountability: "sla_not_affected", next_check_at: null, next_target_at: null });
			expect(rows.find((row) => row.request_id === open.id)?.timeline).toEqual([
				[at(0, "10:00"), "started"],
				[at(0, "10:30"), "responded"],
				[at(0, "11:00"), "not_accountable"],
			]);
			// The completed one was resolved under the SLA: it stays the provider's.
			expect(rows.find((row) => row.request_id === done.id)).toMatchObject({ accountability: "provider", next_check_at: null });
			const after = await report();
			expect(after.totals).toMatchObject({ requests: 1, resolved: 1, openPastTarget: 0 });
			expect(after.byCustomer.map((row) => [row.key, row.figures.requests])).toEqual([[C, 1]]);
			const drill = await callJson<{ items: { requestId: string }[] }>(`/accounts/${P}/sla-reports/requests?from=${monday.toISODate()}&until=${monday.plus({ days: 6 }).toISODate()}`, 200, { as: w.provider });
			expect(drill.items.map((i) => i.requestId)).toEqual([done.id]);
			// No clock of the provider's can fall due any more: no alarm is left.
			expect(await inObject(P, (_i, state) => state.storage.getAlarm())).toBeNull();
			// The customer took the request back: no provider's target any more.
			expect(await view(C, open.id, w.adam)).toMatchObject({ team: null, status: "assigned", nextTargetAt: null });
			// It keeps its history: the provider's report of it, the completed request only (offboarding-reports.test.ts).
			const history = await callJson<SlaReport>(`/accounts/${C}/sla-reports?provider=${P}&from=${monday.toISODate()}&until=${monday.toISODate()}`, 200, { as: w.customer });
			expect([history.trust?.status, history.totals.requests]).toEqual(["ended", 1]);
		} finally {
			await thaw(accounts(w));
		}
	});
});

describe("met or breached: one rule for the clock card, the report and its drill-down (issue 8, point 9)", () => {
	it("an impact lowered after a late response clears the breach everywhere; raised past the response, it breaches everywhere", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		const range = `from=${monday.toISODate()}&until=${monday.plus({ days: 6 }).toISODate()}`;
		const totals = async () => (await callJson<SlaReport>(`/accounts/${P}/sla-reports?${range}`, 200, { as: w.provider })).totals;
		const drill = async (metric: string) => (await callJson<{ items: { requestId: string; responseBreached: boolean }[] }>(`/accounts/${P}/sla-reports/requests?${range}&metric=${metric}`, 200, { as: w.provider })).items;
		const customerTotals = async () => (await callJson<SlaReport>(`/accounts/${C}/sla-reports?provider=${P}&${range}`, 200, { as: w.customer })).totals;
		try {
			// High: respond by 11:00. The alarm records the breach; the response comes at 11:20.
			const r = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high" }));
			await freeze([P], wall(monday, 0, "11:05"));
			await runDurableObjectAlarm(stubOf(P));
			await when(w, 0, "11:20", () => act(P, r.id, w.bob, { type: "accept" }));
			expect((await bothSides(w, r.id))[0]).toMatchObject({ responseBreached: true, actualResponseAt: at(0, "11:20") });
			expect(await totals()).toMatchObject({ responseTargets: 1, respondedInTime: 0, breached: 1 });

			// Low: respond within a business day, by Tuesday 10:00. The 11:20 response is in time now.
			await when(w, 0, "11:30", () => act(P, r.id, w.bob, { type: "set_impact", impact: "low" }));
			const [lowered] = await bothSides(w, r.id);
			expect(lowered).toMatchObject({ responseTargetAt: at(1, "10:00"), responseBreached: false, resolutionBreached: false });
			expect(lowered?.timeline.at(-1)).toMatchObject({ at: at(0, "11:30"), kind: "impact_changed" });
			expect(lowered?.timeline.at(-1)?.text).toMatch(/^Impact high → low: response target moved from .* The response is now within target\.$/);
			// Counted once, in time: not also breached.
			expect(await totals()).toMatchObject({ responseTargets: 1, respondedInTime: 1, breached: 0 });
			expect(await customerTotals()).toEqual(await totals());
			expect(await drill("breached")).toEqual([]);
			expect((await drill("responded_in_time")).map((i) => [i.requestId, i.responseBreached])).toEqual([[r.id, false]]);

			// Top: respond within 15 minutes, by 10:15 — before the 11:20 response: breached, and the timeline says so.
			await when(w, 0, "11:40", () => act(P, r.id, w.bob, { type: "set_impact", impact: "top" }));
			const [raised] = await bothSides(w, r.id);
			expect(raised).toMatchObject({ responseTargetAt: at(0, "10:15"), responseBreached: true });
			expect(raised?.timeline.slice(-2).map((e) => [e.at, e.kind])).toEqual([
				[at(0, "11:40"), "impact_changed"],
				[at(0, "11:40"), "response_breached"],
			]);
			expect(await totals()).toMatchObject({ responseTargets: 1, respondedInTime: 0, breached: 1 });
			expect((await drill("breached")).map((i) => [i.requestId, i.responseBreached])).toEqual([[r.id, true]]);
			expect(await drill("responded_in_time")).toEqual([]);
		} finally {
			await thaw(accounts(w));
		}
	});
});

describe("new support hours reach the open clocks (issue 8, point 10)", () => {
	/** The provider's stored clocks: when each is due, and how many changes of hours wait in it. */
	const stored = (P: string) =>
		inObject(P, (_i, state) =>
			state.storage.sql
				.exec<{ request_id: string; next_check_at: number | null; clock: string }>("SELECT request_id, next_check_at, clock FROM affected_slas")
				.toArray()
				.map((row) => ({ requestId: row.request_id, nextCheckAt: row.next_check_at, queued: (JSON.parse(row.clock) as { pendingCalendars?: unknown[] }).pendingCalendars?.length ?? 0 })),
		);

	it("a holiday added, then hours shortened: open clocks' targets move out, completed ones do not, breaches stay, both sides see it", async () => {
		const w = await makeWorld();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		const offeringPath = `/accounts/${P}/service-offerings/${w.model.offering.id}`;
		const alarmOf = () => inObject(P, (_i, state) => state.storage.getAlarm());
		try {
			// Open: high, accepted at once; resolve by Tuesday 10:00.
			const open = await when(w, 0, "10:00", () => register(w, w.sla, w.alice, { impact: "high", subject: "Open" }));
			await when(w, 0, "10:05", () => act(P, open.id, w.bob, { type: "accept" }));
			// Completed at 10:20.
			const done = await when(w, 0, "10:10", () => register(w, w.sla, w.alice, { impact: "high", subject: "Done" }));
			await when(w, 0, "10:20", () => act(P, done.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" }));
			// Top, never answered: its 10:45 response target is breached by the alarm.
			const late = await when(w, 0, "10:30", () => register(w, w.sla, w.carol, { impact: "top", subject: "Late" }));
			await freeze([P], wall(monday, 0, "10:50"));
			await runDurableObjectAlarm(stubOf(P));
			const doneBefore = await bothSides(w, done.id);
			const lateBefore = (await bothSides(w, late.id, w.carol))[0];
			expect(lateBefore).toMatchObject({ responseBreached: true, resolutionTargetAt: at(0, "14:30") });

			// Monday 12:00: Tuesday becomes a holiday.
			const tuesday = monday.plus({ days: 1 }).toISODate() ?? "";
			const withHoliday = { ...OFFICE_HOURS, holidays: [...OFFICE_HOURS.holidays, { name: "Company day", date: tuesday }] };
			const bob = await openSocket(P, w.bob);
			await when(w, 0, "12:00", () => callJson<ServiceOffering>(offeringPath, 200, { method: "PATCH", as: w.provider, body: { supportHours: withHoliday } }));
			// Saved with the offering: the open clocks are queued and due now (a restart loses nothing), the alarm set.
			expect((await stored(P)).map((c) => [c.requestId, c.queued, c.nextCheckAt]).sort()).toEqual(
				[
					[open.id, 1, wall(monday, 0, "12:00")],
					[done.id, 0, null],
					[late.id, 1, wall(monday, 0, "12:00")],
				].sort(),
			);
			expect(await alarmOf()).toBe(wall(monday, 0, "12:00"));
			await freeze([P], wall(monday, 0, "12:00"));
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			await settle(P, C);

			const [moved] = await bothSides(w, open.id);
			expect(moved).toMatchObject({ supportHours: withHoliday, resolutionTargetAt: at(2, "10:00"), nextTargetAt: at(2, "10:00"), resolutionBreached: false });
			expect(moved?.timeline.at(-1)).toEqual({ at: at(0, "12:00"), kind: "support_hours_changed", text: expect.stringMatching(/^Support hours changed: resolution target moved from .* to .* \(Europe\/Amsterdam\)$/) });
			// The provider's team heard of it live.
			await bob.next((f) => f.type === "event" && f.requestId === open.id, "Bob hears of the moved target");
			await bob.close();
			// The completed clock did not change at all.
			expect(await bothSides(w, done.id)).toEqual(doneBefore);
			// The breach recorded before stays; its targets (Monday) did not move.
			const [stillLate] = await bothSides(w, late.id, w.carol);
			expect(stillLate).toMatchObject({ responseBreached: true, responseTargetAt: at(0, "10:45"), resolutionTargetAt: at(0, "14:30") });
			expect(stillLate?.timeline.map((e) => e.kind)).toEqual([...(lateBefore?.timeline.map((e) => e.kind) ?? []), "support_hours_changed"]);
			expect(stillLate?.timeline.at(-1)?.text).toBe("Support hours changed: the targets stay as they were");

			// Monday 13:00: mornings only. 180 minutes ran in the old hours (Mon 10:00–13:00); the 300 left:
			// Tuesday is the holiday, Wednesday 09:00–12:00, Thursday 09:00–11:00.
			const mornings = { ...withHoliday, hours: OFFICE_HOURS.hours.map((h) => ({ ...h, until: "12:00" })) };
			await when(w, 0, "13:00", () => callJson<ServiceOffering>(offeringPath, 200, { method: "PATCH", as: w.provider, body: { supportHours: mornings } }));
			await runDurableObjectAlarm(stubOf(P));
			await settle(P, C);
			const [shortened] = await bothSides(w, open.id);
			expect(shortened).toMatchObject({ supportHours: mornings, resolutionTargetAt: at(3, "11:00") });
			expect(shortened?.timeline.filter((e) => e.kind === "support_hours_changed").map((e) => e.at)).toEqual([at(0, "12:00"), at(0, "13:00")]);
			expect(await bothSides(w, done.id)).toEqual(doneBefore);
			// Nothing is queued any more; the alarm waits for the next warning.
			expect((await stored(P)).every((c) => c.queued === 0)).toBe(true);

			// The completed one reopened at 14:00 follows the hours as they are now, from the reopening.
			await when(w, 0, "14:00", () => act(C, done.id, w.alice, { type: "reopen", note: "Again." }));
			const [reopened] = await bothSides(w, done.id);
			expect(reopened?.timeline.slice(-2).map((e) => [e.at, e.kind])).toEqual([
				[at(0, "14:00"), "reopened"],
				[at(0, "14:00"), "support_hours_changed"],
			]);
			// 480 minutes from 10:10 plus the 220 it spent completed (10:20–14:00, old hours): Mon 10:10–14:00
			// ran in the old hours (230); then mornings only, Tuesday off: Wed 180, Thu 180, Fri 09:00–10:50.
			expect(reopened).toMatchObject({ supportHours: mornings, stoppedMinutes: 220, resolutionTargetAt: at(4, "10:50") });
		} finally {
			await thaw(accounts(w));
		}
	});
});

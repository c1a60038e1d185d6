// The request status machine and who may do what (worker/shared/request-machine.ts), and the
// one rule deciding which viewer receives which live event (worker/account/realtime.ts).
import { describe, expect, it } from "vitest";
import { mayReceive, type Audience, type Viewer } from "../../worker/account/realtime";
import { allowedActions, checkTransition, isOpen, openStatuses, statusAfterCustomerAnswer, type RequestRole } from "../../worker/shared/request-machine";
import { REQUEST_STATUSES } from "../../worker/shared/request-api";
import { ALLOWED_TRANSITIONS } from "../request-transitions";

const ALLOWED = ALLOWED_TRANSITIONS;

const pairs = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.map((to) => [from, to] as const));

describe("checkTransition", () => {
	it.each(pairs.filter(([from, to]) => ALLOWED[from].includes(to)))("allows %s → %s", (from, to) => {
		expect(checkTransition(from, to, to === "completed" ? "solved" : undefined)).toBeNull();
	});

	it.each(pairs.filter(([from, to]) => !ALLOWED[from].includes(to)))("refuses %s → %s with invalid_transition", (from, to) => {
		const problem = checkTransition(from, to, to === "completed" ? "solved" : undefined);
		expect(problem?.code).toBe("invalid_transition");
		expect(problem?.message).toMatch(from === to ? /already/ : from === "completed" ? /reopened/ : / cannot go from /);
	});

	it("completing needs a completion reason, and only completing takes one (invalid_input)", () => {
		for (const from of REQUEST_STATUSES.filter((s) => ALLOWED[s].includes("completed"))) {
			expect(checkTransition(from, "completed", undefined)).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/completion reason/) });
		}
		expect(checkTransition("assigned", "in_progress", "solved")).toMatchObject({ code: "invalid_input" });
		// A transition that is refused anyway says so first: the reason is not the problem.
		expect(checkTransition("declined", "in_progress", "solved")?.code).toBe("invalid_transition");
	});

	it("calls every status but completed open", () => {
		expect(REQUEST_STATUSES.filter(isOpen)).toEqual(openStatuses());
		expect(openStatuses()).not.toContain("completed");
		expect(openStatuses()).toHaveLength(REQUEST_STATUSES.length - 1);
	});
});

const role = (r: Partial<RequestRole>): RequestRole => ({ requester: false, ownerStaff: false, teamMember: false, ...r });

describe("allowedActions", () => {
	it("gives nobody-in-particular nothing", () => {
		for (const s of REQUEST_STATUSES) expect(allowedActions(role({}), s)).toEqual([]);
	});

	it("lets the requester note, withdraw an open request and reopen a completed one, never an internal note or a status", () => {
		expect(allowedActions(role({ requester: true }), "in_progress")).toEqual(["note", "withdraw"]);
		expect(allowedActions(role({ requester: true }), "waiting_for_customer")).toEqual(["note", "withdraw"]);
		expect(allowedActions(role({ requester: true }), "completed")).toEqual(["note", "reopen"]);
	});

	it("lets the owner's staff note (shared and internal) and reopen, but not work a request another team has", () => {
		expect(allowedActions(role({ ownerStaff: true }), "assigned")).toEqual(["note", "internal_note"]);
		expect(allowedActions(role({ ownerStaff: true }), "completed")).toEqual(["note", "internal_note", "reopen"]);
	});

	it("lets the assigned team accept (from assigned or declined only), change status and impact, and assign while open", () => {
		const team = role({ teamMember: true });
		expect(allowedActions(team, "assigned")).toEqual(["note", "internal_note", "accept", "set_status", "set_impact", "assign"]);
		expect(allowedActions(team, "declined")).toEqual(["note", "internal_note", "accept", "set_status", "set_impact", "assign"]);
		for (const s of ["accepted", "in_progress", "waiting_for", "waiting_for_customer", "on_backlog"] as const) {
			expect(allowedActions(team, s)).toEqual(["note", "internal_note", "set_status", "set_impact", "assign"]);
		}
		expect(allowedActions(team, "completed")).toEqual(["note", "internal_note", "reopen"]);
	});

	it("never lets the team withdraw: that is the requester's", () => {
		for (const s of REQUEST_STATUSES) expect(allowedActions(role({ teamMember: true, ownerStaff: true }), s)).not.toContain("withdraw");
	});
});

describe("statusAfterCustomerAnswer", () => {
	it("hands a request waiting for the customer back: in progress with a member, assigned without", () => {
		expect(statusAfterCustomerAnswer("waiting_for_customer", true)).toBe("in_progress");
		expect(statusAfterCustomerAnswer("waiting_for_customer", false)).toBe("assigned");
	});

	it("changes nothing in any other status", () => {
		for (const s of REQUEST_STATUSES.filter((s) => s !== "waiting_for_customer")) {
			expect(statusAfterCustomerAnswer(s, true)).toBeNull();
			expect(statusAfterCustomerAnswer(s, false)).toBeNull();
		}
	});
});

describe("mayReceive", () => {
	const own: Audience = { ownerAccountId: "acme", requesterIds: ["alice"], teamAccountId: "widget-dc", teamId: "email", internal: false };
	const viewer = (v: Partial<Viewer>): Viewer => ({ personId: "x", name: "X", staff: false, overseer: false, teamIds: [], ...v });

	it("in the owner's account: its staff get everything, an end user only their own requests' shared events", () => {
		expect(mayReceive("acme", viewer({ staff: true }), own)).toBe(true);
		expect(mayReceive("acme", viewer({ staff: true }), { ...own, internal: true })).toBe(true);
		expect(mayReceive("acme", viewer({ personId: "alice" }), own)).toBe(true);
		expect(mayReceive("acme", viewer({ personId: "alice" }), { ...own, internal: true })).toBe(false);
		expect(mayReceive("acme", viewer({ personId: "carol" }), own)).toBe(false);
	});

	it("in the provider's account: the assigned team's staff and overseers, nobody else", () => {
		expect(mayReceive("widget-dc", viewer({ staff: true, teamIds: ["email"] }), own)).toBe(true);
		expect(mayReceive("widget-dc", viewer({ staff: true, teamIds: ["email"] }), { ...own, internal: true })).toBe(true);
		expect(mayReceive("widget-dc", viewer({ staff: true, overseer: true }), own)).toBe(true);
		expect(mayReceive("widget-dc", viewer({ staff: true, teamIds: ["desk"] }), own)).toBe(false);
		// An end user of the provider named like the requester, or in the team, gets nothing.
		expect(mayReceive("widget-dc", viewer({ personId: "alice", teamIds: ["email"] }), own)).toBe(false);
	});

	it("in any other account: nothing, whoever asks", () => {
		for (const v of [viewer({ staff: true, overseer: true, teamIds: ["email"] }), viewer({ personId: "alice" })]) {
			expect(mayReceive("initech", v, own)).toBe(false);
			expect(mayReceive("globex", v, { ...own, teamId: null, teamAccountId: null })).toBe(false);
		}
		expect(mayReceive("widget-dc", viewer({ staff: true, overseer: true }), { ...own, teamId: null })).toBe(false);
	});
});

// Acting on a request: every status transition through the API (allowed and refused), accept,
// completion reasons, the requester's answer, withdraw, reopen, assignment within the provider's
// teams, and the audit trail every change leaves in the owner's account.
import { beforeAll, describe, expect, it } from "vitest";
import { REQUEST_STATUSES, type RequestStatus } from "../../worker/shared/request-api";
import { ALLOWED_TRANSITIONS } from "../request-transitions";
import { call, callError, createTeam } from "./helpers";
import { act, inboxOf, makeWorld, register, requestsPath, setTeam, view, type World } from "./request-helpers";
import { inObject, settle } from "./service-helpers";

const ALLOWED = ALLOWED_TRANSITIONS;

/** Puts the request in `status` directly in the owner's database (to reach every starting point quickly). */
async function force(owner: string, id: string, status: RequestStatus): Promise<void> {
	await inObject(owner, (_i, state) => {
		state.storage.sql.exec("UPDATE requests SET status = ?, completion_reason = ? WHERE id = ?", status, status === "completed" ? "solved" : null, id);
	});
}

const statusIn = (owner: string, id: string) =>
	inObject(owner, (_i, state) => state.storage.sql.exec<{ status: string }>("SELECT status FROM requests WHERE id = ?", id).one().status);

let w: World;
beforeAll(async () => {
	w = await makeWorld();
});

describe("status transitions, through the provider's API as the assigned team", () => {
	it("accepts exactly the allowed ones and refuses every other with 409 invalid_transition, changing nothing", async () => {
		const r = await register(w, w.sla, w.alice);
		const outcomes: string[] = [];
		for (const from of REQUEST_STATUSES) {
			for (const to of REQUEST_STATUSES) {
				await force(w.customer.accountId, r.id, from);
				const res = await call(`${requestsPath(w.provider.accountId, r.id)}/actions`, {
					as: w.bob,
					body: { type: "set_status", status: to, ...(to === "completed" ? { completionReason: "solved" } : {}) },
				});
				const body = (await res.json()) as { status?: string; error?: { code: string } };
				outcomes.push(`${from}→${to}: ${res.status} ${body.error?.code ?? body.status}`);
				expect(await statusIn(w.customer.accountId, r.id)).toBe(res.status === 200 ? to : from);
			}
		}
		const expected = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.map((to) => `${from}→${to}: ${ALLOWED[from].includes(to) ? `200 ${to}` : "409 invalid_transition"}`));
		expect(outcomes).toEqual(expected);
	});

	it("accept works from assigned and declined only, and makes the acceptor the member", async () => {
		const r = await register(w, w.sla, w.alice);
		for (const from of REQUEST_STATUSES.filter((s) => s !== "assigned" && s !== "declined")) {
			await force(w.customer.accountId, r.id, from);
			await callError(`${requestsPath(w.provider.accountId, r.id)}/actions`, 409, "invalid_transition", { as: w.bob, body: { type: "accept" } });
		}
		await force(w.customer.accountId, r.id, "declined");
		const accepted = await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		expect(accepted).toMatchObject({ status: "accepted", member: { id: w.bob.id, name: "Bob Baker" } });
	});

	it("completing needs a completion reason (400); only completing takes one (400)", async () => {
		const r = await register(w, w.sla, w.alice);
		const path = `${requestsPath(w.provider.accountId, r.id)}/actions`;
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "set_status", status: "completed" } });
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "set_status", status: "in_progress", completionReason: "solved" } });
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "set_status", status: "completed", completionReason: "because" } });
		expect(await statusIn(w.customer.accountId, r.id)).toBe("assigned");
		const done = await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "workaround" });
		expect(done).toMatchObject({ status: "completed", completionReason: "workaround" });
		expect(done.completedAt).not.toBeNull();
	});

	it("only the assigned team changes status: the requester and the customer's specialists may not (403), others do not see it (404)", async () => {
		const r = await register(w, w.sla, w.alice);
		const body = { type: "set_status", status: "in_progress" };
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 403, "forbidden", { as: w.alice, body });
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 403, "forbidden", { as: w.adam, body });
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 404, "not_found", { as: w.carol, body });
		await callError(`${requestsPath(w.provider.accountId, r.id)}/actions`, 404, "not_found", { as: w.sam, body });
		await callError(`${requestsPath(w.provider.accountId, r.id)}/actions`, 403, "forbidden", { as: w.bob, body: { type: "withdraw" } });
		expect(await statusIn(w.customer.accountId, r.id)).toBe("assigned");
	});
});

describe("the requester", () => {
	it("answering while the request waits for them hands it back: in progress with a member, assigned without one", async () => {
		const withMember = await register(w, w.sla, w.alice);
		await act(w.provider.accountId, withMember.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, withMember.id, w.bob, { type: "set_status", status: "waiting_for_customer" });
		const without = await register(w, w.sla, w.alice);
		await act(w.provider.accountId, without.id, w.bob, { type: "set_status", status: "waiting_for_customer" });
		expect((await act(w.customer.accountId, withMember.id, w.alice, { type: "note", body: "Here you go" })).status).toBe("in_progress");
		expect((await act(w.customer.accountId, without.id, w.alice, { type: "note", body: "Here you go" })).status).toBe("assigned");
		// Answering at any other time changes no status; nor does the team's own note.
		expect((await act(w.customer.accountId, without.id, w.alice, { type: "note", body: "And more" })).status).toBe("assigned");
		await act(w.provider.accountId, without.id, w.bob, { type: "set_status", status: "waiting_for_customer" });
		expect((await act(w.provider.accountId, without.id, w.bob, { type: "note", body: "Reminder" })).status).toBe("waiting_for_customer");
		expect((await act(w.customer.accountId, without.id, w.adam, { type: "note", body: "Acme's desk" })).status).toBe("waiting_for_customer");
	});

	it("withdraws an open request (completed, withdrawn) but not a completed one; reopens a completed one, counting reopens", async () => {
		const r = await register(w, w.sla, w.alice);
		const path = `${requestsPath(w.customer.accountId, r.id)}/actions`;
		await callError(path, 409, "invalid_transition", { as: w.alice, body: { type: "reopen" } });
		const withdrawn = await act(w.customer.accountId, r.id, w.alice, { type: "withdraw", note: "Sorted it myself" });
		expect(withdrawn).toMatchObject({ status: "completed", completionReason: "withdrawn" });
		await callError(path, 409, "invalid_transition", { as: w.alice, body: { type: "withdraw" } });
		await callError(path, 404, "not_found", { as: w.carol, body: { type: "reopen" } });
		const reopened = await act(w.customer.accountId, r.id, w.alice, { type: "reopen", note: "It is back" });
		expect(reopened).toMatchObject({ status: "assigned", reopenCount: 1, completionReason: null, completedAt: null, team: { id: w.model.team.id } });
		await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		// The team and the customer's specialists may reopen too.
		expect((await act(w.provider.accountId, r.id, w.bob, { type: "reopen" })).reopenCount).toBe(2);
		await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		expect((await act(w.customer.accountId, r.id, w.adam, { type: "reopen" })).reopenCount).toBe(3);
		const notes = (await view(w.customer.accountId, r.id, w.alice)).notes.map((n) => n.body);
		expect(notes).toEqual(["Sorted it myself", "It is back"]);
	});
});

describe("assignment", () => {
	it("moves within the provider's teams: the member must be in the team; a new team counts, resets the status and clears the member", async () => {
		const other = await createTeam(w.provider, w.provider.accountId, { name: "Mail Back Office", memberIds: [w.bob.id, w.sam.id] });
		const acmeTeam = await createTeam(w.customer, w.customer.accountId, { name: "Acme Desk", memberIds: [w.adam.id] });
		const r = await register(w, w.sla, w.alice);
		const path = `${requestsPath(w.provider.accountId, r.id)}/actions`;
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });

		const notInTeam = await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "assign", memberId: w.sam.id } });
		expect(JSON.stringify(notInTeam.error.details)).toContain("memberId");
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "assign", memberId: w.adam.id } }); // the customer's person
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "assign", teamId: acmeTeam.id } }); // the customer's team
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "assign", teamId: "team_doesnotexist00" } });
		await callError(path, 400, "invalid_input", { as: w.bob, body: { type: "assign", memberId: w.bob.id } }); // already so
		// Acme cannot pull the request off the provider's team onto its own.
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 403, "forbidden", { as: w.adam, body: { type: "assign", teamId: acmeTeam.id } });
		expect((await view(w.customer.accountId, r.id, w.adam)).assignmentCount).toBe(1);

		const moved = await act(w.provider.accountId, r.id, w.bob, { type: "assign", teamId: other.id });
		expect(moved).toMatchObject({ team: { accountId: w.provider.accountId, id: other.id, name: "Mail Back Office" }, member: null, status: "assigned", assignmentCount: 2 });
		const withSam = await act(w.provider.accountId, r.id, w.bob, { type: "assign", memberId: w.sam.id });
		expect(withSam).toMatchObject({ member: { id: w.sam.id, name: "Sam Smith" }, assignmentCount: 2 });
		expect((await act(w.provider.accountId, r.id, w.sam, { type: "assign", memberId: null })).member).toBeNull();
		await act(w.provider.accountId, r.id, w.sam, { type: "assign", teamId: w.model.team.id, memberId: w.bob.id });
		await settle(w.customer.accountId, w.provider.accountId);
		const back = await view(w.provider.accountId, r.id, w.bob);
		expect(back).toMatchObject({ team: { id: w.model.team.id }, member: { id: w.bob.id }, assignmentCount: 3 });
		// The Inbox follows: Sam (not in Email Support) no longer has it, Bob does, as his own.
		expect((await inboxOf(w.provider.accountId, w.sam)).items.map((i) => i.id)).not.toContain(r.id);
		expect((await inboxOf(w.provider.accountId, w.bob, "view=mine")).items.map((i) => i.id)).toContain(r.id);
		await setTeam(w.provider, other.id, []);
	});
});

describe("the audit trail", () => {
	it("records every change in the owner's account: who (and which account), when, old → new", async () => {
		const second = await createTeam(w.provider, w.provider.accountId, { name: "Second Line", memberIds: [w.bob.id] });
		const t0 = new Date().toISOString();
		const r = await register(w, w.sla, w.alice);
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		await act(P, r.id, w.bob, { type: "accept" });
		await act(P, r.id, w.bob, { type: "set_status", status: "waiting_for_customer", note: "Which mailbox?" });
		await act(C, r.id, w.alice, { type: "note", body: "The shared one" });
		await act(P, r.id, w.bob, { type: "assign", teamId: second.id });
		await act(P, r.id, w.bob, { type: "note", body: "Noted, internally", internal: true }); // no change to the request: no entry
		await act(P, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		await act(C, r.id, w.alice, { type: "reopen" });
		await act(C, r.id, w.alice, { type: "withdraw" });
		const t1 = new Date().toISOString();

		const trail = (await view(C, r.id, w.adam)).audit;
		expect(trail.map((a) => [a.actor.name, a.actor.accountId, a.field, a.from, a.to])).toEqual([
			["Alice Archer", C, "status", null, "assigned"],
			["Alice Archer", C, "team", null, `Email Support (${P})`],
			["Bob Baker", P, "status", "assigned", "accepted"],
			["Bob Baker", P, "member", null, "Bob Baker"],
			["Bob Baker", P, "status", "accepted", "waiting_for_customer"],
			["Alice Archer", C, "status", "waiting_for_customer", "in_progress"],
			["Bob Baker", P, "team", "Email Support", "Second Line"],
			["Bob Baker", P, "member", "Bob Baker", null],
			["Bob Baker", P, "status", "in_progress", "assigned"],
			["Bob Baker", P, "status", "assigned", "completed"],
			["Bob Baker", P, "completion reason", null, "solved"],
			["Alice Archer", C, "status", "completed", "assigned"],
			["Alice Archer", C, "completion reason", "solved", null],
			["Alice Archer", C, "status", "assigned", "completed"],
			["Alice Archer", C, "completion reason", null, "withdrawn"],
		]);
		for (const a of trail) expect(a.at >= t0 && a.at <= t1, `${a.at} within ${t0}…${t1}`).toBe(true);
		expect(trail.map((a) => a.at)).toEqual([...trail.map((a) => a.at)].sort());
		// Everyone who sees the request sees the same trail (it lives once, in the owner's account).
		expect((await view(C, r.id, w.alice)).audit).toEqual(trail);
		await setTeam(w.provider, second.id, []);
	});
});

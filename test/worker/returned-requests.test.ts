// Requests taken back on offboarding: when the trust ends, the requests the provider's teams still
// had come back to the customer marked "returned" — from whom, why, when — and are listed in the
// customer's Inbox (view=returned) for its staff, live, until someone gives them a team (or they
// are completed). The audit trail records the return with its reason and the mark's end. Nobody
// outside the customer's account can list or read them.
import { describe, expect, it } from "vitest";
import type { InboxPage, ServerFrame } from "../../worker/shared/request-api";
import { callError, createTeam, createToken, signUp } from "./helpers";
import { act, inboxOf, makeWorld, openSocket, register, requestsPath, view, type World } from "./request-helpers";
import { actOnTrust, settle, slaAction } from "./service-helpers";

const returnedOf = (accountId: string, as: Parameters<typeof inboxOf>[1], query = "") => inboxOf(accountId, as, `view=returned${query ? `&${query}` : ""}`);
const ids = (page: InboxPage) => page.items.map((i) => i.id);

/** A world with an open request accepted by Bob, an open one nobody took, and a completed one; the SLA expired. */
async function offboardingWorld(): Promise<World & { accepted: string; untouched: string; done: string }> {
	const w = await makeWorld();
	const accepted = await register(w, w.sla, w.alice, { subject: "Accepted one" });
	const untouched = await register(w, w.sla, w.alice, { subject: "Untouched one" });
	const done = await register(w, w.sla, w.alice, { subject: "Done one" });
	await act(w.provider.accountId, accepted.id, w.bob, { type: "accept" });
	await act(w.provider.accountId, done.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
	await slaAction(w.provider, w.sla.id, "expire");
	await settle(w.provider.accountId, w.customer.accountId);
	return { ...w, accepted: accepted.id, untouched: untouched.id, done: done.id };
}

describe("requests taken back when the trust ends", () => {
	it("land in the customer's returned list with who, why and when; the audit trail says so", async () => {
		const w = await offboardingWorld();
		const [P, A] = [w.provider.accountId, w.customer.accountId];
		expect((await returnedOf(A, w.adam)).total).toBe(0);
		const adam = await openSocket(A, w.adam);

		await actOnTrust(w.provider, A, "deactivate");
		await settle(P, A);

		const reason = `Account ${P} ended its trust with Account ${A}: its teams can no longer work on this request.`;
		const list = await returnedOf(A, w.adam);
		expect(ids(list)).toEqual([w.accepted, w.untouched]);
		expect(list.total).toBe(2);
		for (const item of list.items) {
			expect(item).toMatchObject({ status: "assigned", team: null, member: null, returned: { from: { id: P, name: `Account ${P}` }, reason } });
			expect(Date.parse(item.returned?.at ?? "")).toBeGreaterThan(Date.now() - 60_000);
		}
		// The customer's administrator sees the same list; the completed request is not in it.
		expect(ids(await returnedOf(A, w.customer))).toEqual([w.accepted, w.untouched]);
		expect((await view(A, w.done, w.adam)).returned).toBeNull();

		const returned = await view(A, w.accepted, w.adam);
		expect(returned.returned?.reason).toBe(reason);
		expect(returned.audit.slice(-4).map((a) => [a.actor.name, a.field, a.from, a.to])).toEqual([
			["Trustdesk", "team", "Email Support", null],
			["Trustdesk", "member", "Bob Baker", null],
			["Trustdesk", "status", "accepted", "assigned"],
			["Trustdesk", "returned", null, reason],
		]);
		// Live: the customer's specialist hears of each, with the mark.
		for (const id of [w.accepted, w.untouched]) {
			await adam.next((f: ServerFrame) => f.type === "event" && f.requestId === id && f.request?.returned?.reason === reason, `${id} returned, live`);
		}
		// The requester sees the request with the same neutral reason (no person's name in it).
		expect((await view(A, w.untouched, w.alice)).returned?.reason).toBe(reason);
		await adam.close();
	});

	it("leave the list when someone gives them a team, or when they are completed; a reopened one whose provider left comes back marked", async () => {
		const w = await offboardingWorld();
		const [P, A] = [w.provider.accountId, w.customer.accountId];
		await actOnTrust(w.provider, A, "deactivate");
		await settle(P, A);
		const desk = await createTeam(w.customer, A, { name: "Acme Desk", memberIds: [w.adam.id] });
		// Opened after joining the desk (joining a team closes a person's sockets).
		const adam = await openSocket(A, w.adam);

		// Accepting (taking it on oneself) is not yet a team: still marked.
		const accepted = await act(A, w.accepted, w.adam, { type: "accept" });
		expect(accepted.returned).not.toBeNull();
		expect(ids(await returnedOf(A, w.adam))).toEqual([w.accepted, w.untouched]);

		const assigned = await act(A, w.accepted, w.adam, { type: "assign", teamId: desk.id, memberId: w.adam.id });
		expect(assigned).toMatchObject({ team: { accountId: A, id: desk.id }, returned: null });
		expect(ids(await returnedOf(A, w.adam))).toEqual([w.untouched]);
		await adam.next((f) => f.type === "event" && f.requestId === w.accepted && f.request?.team?.id === desk.id && f.request.returned === null, "the mark cleared, live");
		const trail = (await view(A, w.accepted, w.adam)).audit;
		expect(trail.slice(-3).map((a) => [a.actor.name, a.field, a.from, a.to])).toEqual([
			["Adam Price", "team", null, "Acme Desk"],
			["Adam Price", "status", "accepted", "assigned"], // a new team starts from assigned
			["Adam Price", "returned", `Account ${P} ended its trust with Account ${A}: its teams can no longer work on this request.`, null],
		]);
		// It is in the team's Inbox now, like any request of the desk.
		expect(ids(await inboxOf(A, w.adam))).toEqual([w.accepted]);

		// The requester withdraws the other one: completed, so it needs no team any more.
		const withdrawn = await act(A, w.untouched, w.alice, { type: "withdraw" });
		expect(withdrawn).toMatchObject({ status: "completed", returned: null });
		expect((await returnedOf(A, w.adam)).total).toBe(0);

		// The request completed before the end, reopened now: its provider cannot see it any more.
		const reopened = await act(A, w.done, w.alice, { type: "reopen" });
		expect(reopened).toMatchObject({
			status: "assigned",
			team: null,
			returned: { from: { id: P, name: `Account ${P}` }, reason: `Reopened after the trust with Account ${P} ended: Account ${P}'s teams can no longer work on it.` },
		});
		expect(ids(await returnedOf(A, w.adam))).toEqual([w.done]);
		await adam.close();
	});

	it("say so when the customer ended the trust itself", async () => {
		const w = await offboardingWorld();
		const [P, A] = [w.provider.accountId, w.customer.accountId];
		await actOnTrust(w.customer, P, "deactivate");
		const list = await returnedOf(A, w.adam);
		expect(ids(list)).toEqual([w.accepted, w.untouched]);
		expect(list.items[0]?.returned?.reason).toBe(`Account ${A} ended its trust with Account ${P}: Account ${P}'s teams can no longer work on this request.`);
		await settle(A, P);
		expect(ids(await returnedOf(A, w.adam))).toEqual([w.accepted, w.untouched]);
	});

	it("are filtered like the Inbox: by status and member; a team or another customer finds none", async () => {
		const w = await offboardingWorld();
		const [P, A] = [w.provider.accountId, w.customer.accountId];
		await actOnTrust(w.provider, A, "deactivate");
		await settle(P, A);
		await act(A, w.accepted, w.adam, { type: "accept" });
		expect(ids(await returnedOf(A, w.adam, "status=accepted"))).toEqual([w.accepted]);
		expect(ids(await returnedOf(A, w.adam, "status=assigned"))).toEqual([w.untouched]);
		expect(ids(await returnedOf(A, w.adam, `memberId=${w.adam.id}`))).toEqual([w.accepted]);
		expect(ids(await returnedOf(A, w.adam, `customer=${A}`))).toEqual([w.accepted, w.untouched]);
		expect((await returnedOf(A, w.adam, `customer=${P}`)).total).toBe(0);
		const desk = await createTeam(w.customer, A, { name: "Acme Desk", memberIds: [w.adam.id] });
		expect((await returnedOf(A, w.adam, `teamId=${desk.id}`)).total).toBe(0);
		const first = await returnedOf(A, w.adam, "limit=1");
		const paged = await returnedOf(A, w.adam, `limit=1&cursor=${first.nextCursor ?? ""}`);
		expect([paged.total, ids(paged), paged.nextCursor]).toEqual([2, [w.untouched], null]);
		// An Inbox cursor ([target, created, id]) is not a position in this view.
		await callError(`/accounts/${A}/inbox?view=returned&cursor=WzEsMiwiaWQiXQ`, 400, "invalid_input", { as: w.adam });
		await callError(`/accounts/${A}/inbox?view=elsewhere`, 400, "invalid_input", { as: w.adam });
	});
});

describe("nobody else sees them", () => {
	it("end users have no returned list; the old provider, a stranger and their people list nothing of them and read none", async () => {
		const w = await offboardingWorld();
		const [P, A] = [w.provider.accountId, w.customer.accountId];
		const stranger = await signUp();
		await actOnTrust(w.provider, A, "deactivate");
		await settle(P, A);
		expect((await returnedOf(A, w.adam)).total).toBe(2);

		await callError(`/accounts/${A}/inbox?view=returned`, 403, "forbidden", { as: w.alice });
		// Not members of the customer's account: 404, whoever they are.
		for (const as of [w.provider, w.bob, stranger]) await callError(`/accounts/${A}/inbox?view=returned`, 404, "not_found", { as });
		// Their own returned lists hold nothing of the customer's, whatever filter they send.
		for (const [accountId, as] of [
			[P, w.provider],
			[P, w.bob],
			[stranger.accountId, stranger],
		] as const) {
			for (const query of ["", `customer=${A}`]) {
				const page = await returnedOf(accountId, as, query);
				expect(page.total, `${accountId} ${query}`).toBe(0);
			}
			for (const id of [w.accepted, w.untouched]) await callError(requestsPath(accountId, id), 404, "not_found", { as });
		}
		// Nor can the customer's own API token, with every scope: requests are for signed-in people.
		const token = await createToken(w.customer, A);
		await callError(`/accounts/${A}/inbox?view=returned`, 403, "forbidden", { as: { token: token.secret } });
	});
});

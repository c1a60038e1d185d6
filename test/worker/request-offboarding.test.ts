// Offboarding and open requests (the README's rule): after an SLA expires the provider keeps
// working the requests registered under it, and no new ones come; when the trust is deactivated
// the provider's access ends at once, and open requests go back to the customer, unassigned and
// marked "returned", for the customer's own specialists to pick up.
import { describe, expect, it } from "vitest";
import { call, callError, createTeam } from "./helpers";
import { act, countRows, inboxOf, makeWorld, openSocket, quiet, register, requestsPath, view, type World } from "./request-helpers";
import { actOnTrust, failDeliveries, inObject, outboxOf, settle, slaAction } from "./service-helpers";

const expire = async (w: World) => {
	await slaAction(w.provider, w.sla.id, "expire");
	await settle(w.provider.accountId, w.customer.accountId);
};

/** How many messages the customer has ever queued for the provider. */
const sentTo = (w: World) =>
	inObject(w.customer.accountId, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT last_seq AS n FROM outbox_sequences WHERE to_account = ?", w.provider.accountId).one().n);

const inboxRows = (w: World) => inObject(w.provider.accountId, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM inbox").one().n);

describe("after the SLA expires", () => {
	it("the provider keeps working the requests registered under it; new ones are refused (409)", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		await expire(w);
		await callError(requestsPath(w.customer.accountId), 409, "conflict", { as: w.alice, body: { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "Too late" } });
		expect((await view(w.provider.accountId, r.id, w.bob)).allowed).toContain("set_status");
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "Still on it" });
		await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		await settle(w.customer.accountId, w.provider.accountId);
		expect((await view(w.customer.accountId, r.id, w.alice)).notes.map((n) => n.body)).toEqual(["Still on it"]);
		// Reopened, it goes back to the same team: the trust is still there.
		const reopened = await act(w.customer.accountId, r.id, w.alice, { type: "reopen" });
		expect(reopened.team).toMatchObject({ accountId: w.provider.accountId, id: w.model.team.id });
		await settle(w.customer.accountId, w.provider.accountId);
		expect((await inboxOf(w.provider.accountId, w.bob)).items.map((i) => [i.id, i.status])).toEqual([[r.id, "assigned"]]);
	});
});

describe("after the trust is deactivated", () => {
	it("by the provider: its access ends at once, its sockets hear of the removal and nothing after", async () => {
		const w = await makeWorld();
		const open = await register(w, w.sla, w.alice, { subject: "Open" });
		const done = await register(w, w.sla, w.alice, { subject: "Done" });
		await act(w.provider.accountId, open.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, open.id, w.bob, { type: "note", body: "widget-dc only", internal: true });
		await act(w.provider.accountId, done.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		await expire(w);
		const bob = await openSocket(w.provider.accountId, w.bob);

		await actOnTrust(w.provider, w.customer.accountId, "deactivate");
		// At once, before any message: nothing to read, act on, or list.
		for (const id of [open.id, done.id]) {
			await callError(requestsPath(w.provider.accountId, id), 404, "not_found", { as: w.bob });
			await callError(`${requestsPath(w.provider.accountId, id)}/actions`, 404, "not_found", { as: w.bob, body: { type: "note", body: "Still here?" } });
			await callError(`${requestsPath(w.provider.accountId, id)}/actions`, 404, "not_found", { as: w.bob, body: { type: "note", body: "Still here?", internal: true } });
		}
		expect(await inboxRows(w)).toBe(0);
		expect((await inboxOf(w.provider.accountId, w.provider, "status=completed")).total).toBe(0);
		await bob.next((f) => f.type === "event" && f.kind === "request.removed" && f.requestId === done.id, "removal of the completed one");
		expect(bob.events().map((e) => [e.kind, e.requestId]).sort()).toEqual([["request.removed", done.id], ["request.removed", open.id]].sort());

		await settle(w.provider.accountId, w.customer.accountId);
		const before = await countRows(w.provider.accountId, "events", open.id);
		const sentBefore = await sentTo(w);
		await act(w.customer.accountId, open.id, w.alice, { type: "note", body: "Hello? Anyone?" });
		await act(w.customer.accountId, done.id, w.alice, { type: "note", body: "And this one" });
		await settle(w.customer.accountId, w.provider.accountId);
		await quiet();
		expect(bob.events()).toHaveLength(2);
		expect(await countRows(w.provider.accountId, "events", open.id)).toBe(before);
		expect(await inboxRows(w)).toBe(0);
		// Not even sent: the customer's notes do not travel to an account it no longer trusts.
		expect(await sentTo(w)).toBe(sentBefore);
		expect(await outboxOf(w.customer.accountId)).toEqual([]);
		await bob.close();
	});

	it("open requests go back to the customer: unassigned, status assigned, on the audit trail, workable by its specialists", async () => {
		const w = await makeWorld();
		const open = await register(w, w.sla, w.alice, { subject: "Open" });
		const done = await register(w, w.sla, w.alice, { subject: "Done" });
		await act(w.provider.accountId, open.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, done.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		await expire(w);
		const adam = await openSocket(w.customer.accountId, w.adam);
		await actOnTrust(w.provider, w.customer.accountId, "deactivate");
		await settle(w.provider.accountId, w.customer.accountId);

		const returned = await view(w.customer.accountId, open.id, w.adam);
		expect(returned).toMatchObject({ status: "assigned", team: null, member: null, provider: { id: w.provider.accountId } });
		expect(returned.audit.slice(-4).map((a) => [a.actor.name, a.actor.accountId, a.field, a.from, a.to])).toEqual([
			["Trustdesk", w.customer.accountId, "team", "Email Support", null],
			["Trustdesk", w.customer.accountId, "member", "Bob Baker", null],
			["Trustdesk", w.customer.accountId, "status", "accepted", "assigned"],
			// Marked, with the reason, until it has a team here (returned-requests.test.ts).
			["Trustdesk", w.customer.accountId, "returned", null, returned.returned?.reason],
		]);
		expect(returned.returned).toMatchObject({ from: { id: w.provider.accountId }, reason: expect.stringContaining("ended its trust") });
		await adam.next((f) => f.type === "event" && f.requestId === open.id && f.request?.team === null, "Adam hears it came back");
		// The completed one stays as it was.
		expect(await view(w.customer.accountId, done.id, w.adam)).toMatchObject({ status: "completed", team: { accountId: w.provider.accountId } });

		// Acme's specialists can work it: take it onto their own team, accept, complete.
		const desk = await createTeam(w.customer, w.customer.accountId, { name: "Acme Desk", memberIds: [w.adam.id] });
		expect(returned.allowed).toEqual(expect.arrayContaining(["assign", "accept", "set_status"]));
		const taken = await act(w.customer.accountId, open.id, w.adam, { type: "assign", teamId: desk.id, memberId: w.adam.id });
		expect(taken).toMatchObject({ team: { accountId: w.customer.accountId, id: desk.id }, member: { id: w.adam.id }, assignmentCount: 2 });
		expect((await inboxOf(w.customer.accountId, w.adam, "view=mine")).items.map((i) => i.id)).toEqual([open.id]);
		await act(w.customer.accountId, open.id, w.adam, { type: "set_status", status: "completed", completionReason: "solved" });
		// An end user of the customer still cannot.
		await callError(`${requestsPath(w.customer.accountId, done.id)}/actions`, 403, "forbidden", { as: w.alice, body: { type: "assign", teamId: desk.id } });

		// The completed one, reopened, comes back too: the old provider can no longer see it.
		const reopened = await act(w.customer.accountId, done.id, w.alice, { type: "reopen" });
		expect(reopened).toMatchObject({ status: "assigned", team: null, reopenCount: 1 });
		expect(await outboxOf(w.customer.accountId)).toEqual([]);
		await callError(requestsPath(w.provider.accountId, done.id), 404, "not_found", { as: w.bob });
		await adam.close();
	});

	it("by the customer: the owner refuses the provider at once, even before its message arrives", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		await expire(w);
		await failDeliveries(w.provider.accountId, 1000);
		try {
			await actOnTrust(w.customer, w.provider.accountId, "deactivate");
			await callError(requestsPath(w.provider.accountId, r.id), 404, "not_found", { as: w.bob });
			await callError(`${requestsPath(w.provider.accountId, r.id)}/actions`, 404, "not_found", { as: w.bob, body: { type: "accept" } });
			expect((await view(w.customer.accountId, r.id, w.adam))).toMatchObject({ status: "assigned", team: null });
		} finally {
			await failDeliveries(w.provider.accountId, 0);
		}
		await inObject(w.customer.accountId, (i) => {
			i.hooks.offsetMs = 10 * 60_000;
		});
		await settle(w.customer.accountId, w.provider.accountId);
		await inObject(w.customer.accountId, (i) => {
			i.hooks.offsetMs = 0;
		});
		expect(await inboxRows(w)).toBe(0);
		const res = await call(requestsPath(w.provider.accountId, r.id), { as: w.provider });
		expect(res.status).toBe(404);
		await res.body?.cancel();
	});
});

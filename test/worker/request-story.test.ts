// The request loop across accounts, through the HTTP API and a realtime socket.
import { describe, expect, it } from "vitest";
import type { InboxPage, Request as RequestView, RequestSummary } from "../../worker/shared/request-api";
import type { Catalog } from "../../worker/shared/service-api";
import { addMember, call, callError, callJson, signUp } from "./helpers";
import { openSocket, until } from "./request-helpers";
import { createSla, defineEmail, onboard, settle, slaAction } from "./service-helpers";

describe("a request's loop", () => {
	it("goes from Alice's portal to Bob's Inbox and back, live, internal notes staying home", async () => {
		const provider = await signUp();
		const customer = await signUp();
		const stranger = await signUp();
		const alice = await addMember(customer, customer.accountId, ["end_user"]);
		await onboard(provider, customer);
		const model = await defineEmail(provider);
		const bob = await addMember(provider, provider.accountId, ["specialist"]);
		await callJson(`/accounts/${provider.accountId}/teams/${model.team.id}`, 200, { as: provider, method: "PATCH", body: { memberIds: [bob.id] } });
		const sla = await createSla(provider, model, customer.accountId);
		await slaAction(provider, sla.id, "schedule");

		const bobSocket = await openSocket(provider.accountId, bob);
		const aliceSocket = await openSocket(customer.accountId, alice);
		const catalog = await callJson<Catalog>(`/accounts/${customer.accountId}/catalog`, 200, { as: alice });
		const entry = catalog.entries[0];
		if (!entry) throw new Error("empty catalog");

		const created = await callJson<RequestSummary>(`/accounts/${customer.accountId}/requests`, 201, {
			as: alice,
			body: { providerAccountId: entry.provider.id, slaId: entry.sla.id, subject: "Mailbox full", impact: "medium", note: "It says <b>quota</b>." },
		});
		expect(created).toMatchObject({ status: "assigned", team: { accountId: provider.accountId, id: model.team.id } });
		await settle(customer.accountId, provider.accountId);
		await until(() => bobSocket.frames.some((f) => f.type === "event" && f.requestId === created.id), "Bob's socket hears of the request");

		const inbox = await callJson<InboxPage>(`/accounts/${provider.accountId}/inbox?view=teams`, 200, { as: bob });
		expect(inbox.items.map((i) => i.id)).toEqual([created.id]);

		const act = (body: unknown, as = bob, account = provider.accountId) => callJson<RequestSummary>(`/accounts/${account}/requests/${created.id}/actions`, 200, { as, body });
		await act({ type: "accept" });
		await act({ type: "note", body: "Cleaning up the archive." });
		await act({ type: "note", body: "Quota raised by hand, ticket #4711", internal: true });
		await act({ type: "set_status", status: "waiting_for_customer" });
		await settle(customer.accountId, provider.accountId);
		await until(() => aliceSocket.frames.some((f) => f.type === "event" && f.request?.status === "waiting_for_customer"), "Alice hears the status");
		expect(JSON.stringify(aliceSocket.frames)).not.toContain("#4711");

		const seenByAlice = await callJson<RequestView>(`/accounts/${customer.accountId}/requests/${created.id}`, 200, { as: alice });
		expect(seenByAlice.notes.map((n) => n.body)).toEqual(["It says <b>quota</b>.", "Cleaning up the archive."]);
		const seenByBob = await callJson<RequestView>(`/accounts/${provider.accountId}/requests/${created.id}`, 200, { as: bob });
		expect(seenByBob.notes.map((n) => n.body)).toContain("Quota raised by hand, ticket #4711");

		const answered = await act({ type: "note", body: "Done, thanks" }, alice, customer.accountId);
		expect(answered.status).toBe("in_progress");
		await callError(`/accounts/${provider.accountId}/requests/${created.id}/actions`, 409, "invalid_transition", { as: bob, body: { type: "set_status", status: "in_progress" } });
		await act({ type: "set_status", status: "completed", completionReason: "solved" });
		const reopened = await act({ type: "reopen" }, alice, customer.accountId);
		expect(reopened).toMatchObject({ status: "assigned", reopenCount: 1 });

		// Nobody else: the stranger, with its own account id or the customer's.
		await callError(`/accounts/${stranger.accountId}/requests/${created.id}`, 404, "not_found", { as: stranger });
		const res = await call(`/accounts/${customer.accountId}/requests/${created.id}`, { as: stranger });
		expect(res.status).toBe(404);
		await bobSocket.close();
		await aliceSocket.close();
	});
});

// Fault injection on the request loop: the provider reset between applying the owner's message and
// answering, deliveries duplicated and reordered, the owner reset after its commit and before its
// message went out. Every time both sides converge: the provider's Inbox row is the owner's
// summary, and nothing is lost or doubled (notes, audit entries, events).
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Envelope, WireMessage } from "../../worker/account/messaging";
import type { RequestSummary } from "../../worker/shared/request-api";
import { call } from "./helpers";
import { act, countRows, makeWorld, openSocket, quiet, register, requestsPath, summaryPart, view, type World } from "./request-helpers";
import { failDeliveries, inObject, outboxOf, setClock, settle, stubOf } from "./service-helpers";
import { clocksOf } from "./sla-helpers";

const MINUTE = 60_000;

/** The provider's Inbox row for the request, as stored. */
const indexRow = (w: World, id: string) =>
	inObject(w.provider.accountId, (_i, state) => {
		const row = state.storage.sql.exec<{ summary: string }>("SELECT summary FROM inbox WHERE request_id = ?", id).toArray()[0];
		return row ? (JSON.parse(row.summary) as RequestSummary) : null;
	});

/** Event kinds the provider's log holds for the request, in order. */
const providerEvents = (w: World, id: string) =>
	inObject(w.provider.accountId, (_i, state) => state.storage.sql.exec<{ kind: string }>("SELECT kind FROM events WHERE request_id = ? ORDER BY seq", id).toArray().map((e) => e.kind));

/** Delivers everything between the two, past any backoff, with the owner's clock set back afterwards. */
async function drain(w: World): Promise<void> {
	await setClock(w.customer.accountId, 10 * MINUTE);
	await settle(w.customer.accountId, w.provider.accountId);
	await setClock(w.customer.accountId, 0);
}

/**
 * Both sides agree, and neither has anything left to send to the other: the request (the owner's
 * summary, the provider's index row) and its SLA clocks (the provider's, as the owner last heard them).
 */
async function expectConverged(w: World, id: string): Promise<void> {
	expect((await outboxOf(w.customer.accountId)).filter((m) => m.to === w.provider.accountId)).toEqual([]);
	expect((await outboxOf(w.provider.accountId)).filter((m) => m.to === w.customer.accountId)).toEqual([]);
	const owner = summaryPart(await view(w.customer.accountId, id, w.adam));
	expect(await indexRow(w, id)).toEqual(owner);
	expect(summaryPart(await view(w.provider.accountId, id, w.bob))).toEqual(owner);
	const clocks = await clocksOf(w.provider.accountId, id, w.bob);
	expect(clocks).toHaveLength(1);
	expect(await clocksOf(w.customer.accountId, id, w.adam)).toEqual(clocks);
	expect(owner.nextTargetAt).toBe(clocks[0]?.nextTargetAt);
}

/** The kinds of the provider's clock's timeline: each change counted once. */
const timelineOf = async (w: World, id: string) => (await clocksOf(w.provider.accountId, id, w.bob))[0]?.timeline.map((e) => e.kind);

/** The owner's waiting messages to the provider, as they would go on the wire. */
const waitingMessages = (w: World) =>
	inObject(w.customer.accountId, (_i, state) =>
		state.storage.sql
			.exec<{ dest_seq: number; kind: string; payload: string }>("SELECT dest_seq, kind, payload FROM outbox WHERE to_account = ? ORDER BY dest_seq", w.provider.accountId)
			.toArray()
			.map((r): WireMessage => ({ seq: r.dest_seq, kind: r.kind, payload: JSON.parse(r.payload) as unknown })),
	);

describe("the provider reset after applying the owner's message, before answering", () => {
	it("applies each message once: the owner retries, the provider recognises what it has", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		// Three changes wait in the owner's outbox, then go in one envelope the provider applies and forgets to answer.
		await failDeliveries(w.provider.accountId, 1000);
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body: "first" });
		await act(w.customer.accountId, r.id, w.adam, { type: "note", body: "second" });
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body: "third" });
		await stubOf(w.customer.accountId).deliverNow();
		await inObject(w.provider.accountId, (instance) => {
			instance.hooks.failDeliveries = 0;
			instance.hooks.abortAfterApply = true;
		});
		await setClock(w.customer.accountId, 10 * MINUTE);
		await stubOf(w.customer.accountId).deliverNow();
		// No answer: the messages still wait, though the provider applied them.
		expect((await outboxOf(w.customer.accountId)).map((m) => m.kind)).toEqual(["request", "request", "request"]);
		expect(await providerEvents(w, r.id)).toEqual(["request.created", "note.added", "note.added", "note.added"]);
		await setClock(w.customer.accountId, 20 * MINUTE);
		await settle(w.customer.accountId, w.provider.accountId);
		await setClock(w.customer.accountId, 0);

		await expectConverged(w, r.id);
		expect(await providerEvents(w, r.id)).toEqual(["request.created", "note.added", "note.added", "note.added"]);
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(3);
		expect((await view(w.provider.accountId, r.id, w.bob)).notes.map((n) => n.body)).toEqual(["first", "second", "third"]);
	});

	it("a reset while the team's own call is under way loses no transition and doubles none", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		for (const body of [{ type: "accept" }, { type: "set_status", status: "completed", completionReason: "solved" }]) {
			await inObject(w.provider.accountId, (instance) => {
				instance.hooks.abortAfterApply = true;
			});
			// The owner commits, and its message may reset the provider before Bob's call has its answer.
			const res = await call(`${requestsPath(w.provider.accountId, r.id)}/actions`, { as: w.bob, body });
			await res.body?.cancel();
			await stubOf(w.customer.accountId).deliverNow();
			await drain(w);
		}
		await expectConverged(w, r.id);
		const audit = (await view(w.customer.accountId, r.id, w.adam)).audit.map((a) => `${a.field}:${a.to}`);
		expect(audit).toEqual(["status:assigned", `team:Email Support (${w.provider.accountId})`, "status:accepted", "member:Bob Baker", "status:completed", "completion reason:solved"]);
		expect(await providerEvents(w, r.id)).toEqual(["request.created", "request.updated", "request.updated"]);
		expect((await view(w.customer.accountId, r.id, w.alice)).status).toBe("completed");
		expect(await timelineOf(w, r.id)).toEqual(["started", "responded", "resolved"]);
	});
});

describe("deliveries duplicated and reordered", () => {
	it("are applied once each, in the owner's order, whatever arrives when", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		const bob = await openSocket(w.provider.accountId, w.bob);
		await failDeliveries(w.provider.accountId, 1000);
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "step two" });
		await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "waiting_for_customer" });
		await stubOf(w.customer.accountId).deliverNow();
		await failDeliveries(w.provider.accountId, 0);
		const [m1, m2, m3] = await waitingMessages(w);
		if (!m1 || !m2 || !m3) throw new Error("three messages expected");
		const base = m1.seq - 1;
		const send = (messages: WireMessage[]) => stubOf(w.provider.accountId).receiveMessages({ from: w.customer.accountId, messages } satisfies Envelope);

		// The last one first: refused (a gap), nothing applied.
		expect(await send([m3])).toMatchObject({ appliedThrough: base, error: expect.stringMatching(/before/) });
		expect((await indexRow(w, r.id))?.status).toBe("assigned");
		// Two in reverse order in one envelope: applied in order.
		expect(await send([m2, m1])).toEqual({ appliedThrough: base + 2 });
		expect(await indexRow(w, r.id)).toMatchObject({ status: "accepted", member: { id: w.bob.id } });
		// Everything again, with the last one twice.
		expect(await send([m1, m3, m2, m3])).toEqual({ appliedThrough: base + 3 });
		expect(await send([m1])).toEqual({ appliedThrough: base + 3 });
		expect((await indexRow(w, r.id))?.status).toBe("waiting_for_customer");
		// The owner's own (late) delivery is acknowledged as already applied.
		await drain(w);
		await expectConverged(w, r.id);
		expect(await providerEvents(w, r.id)).toEqual(["request.created", "request.updated", "note.added", "request.updated"]);
		await quiet();
		const frames = bob.events().filter((e) => e.requestId === r.id);
		expect(frames.map((e) => e.kind)).toEqual(["request.updated", "note.added", "request.updated"]);
		expect(new Set(frames.map((e) => e.seq)).size).toBe(3);
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(1);
		expect(await countRows(w.customer.accountId, "request_audit", r.id)).toBe(5);
		// The clock followed each change once: responded at the acceptance, stopped while waiting.
		expect(await timelineOf(w, r.id)).toEqual(["started", "responded", "stopped"]);
		await bob.close();
	});
});

describe("the owner reset after its commit, before its message went out", () => {
	it("loses nothing: the message was stored with the change, and the alarm delivers it", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		// The owner's summary before the note: as registered, with the provider's clock's next target.
		const before = summaryPart(await view(w.customer.accountId, r.id, w.adam));
		expect(before).toEqual({ ...r, nextTargetAt: expect.any(String) });
		expect(await indexRow(w, r.id)).toEqual(before);
		await failDeliveries(w.provider.accountId, 1); // the attempt right after the commit
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body: "Before the reset" });
		await stubOf(w.customer.accountId).deliverNow();
		await inObject(w.customer.accountId, (_i, state) => state.abort("Injected reset after the commit.")).catch(() => undefined);
		expect((await outboxOf(w.customer.accountId)).map((m) => [m.kind, m.attempts])).toEqual([["request", 1]]);
		expect(await indexRow(w, r.id)).toEqual(before);
		// Nothing but the alarm is left to deliver it.
		await setClock(w.customer.accountId, 10 * MINUTE);
		await runDurableObjectAlarm(stubOf(w.customer.accountId));
		await setClock(w.customer.accountId, 0);
		await expectConverged(w, r.id);
		expect(await providerEvents(w, r.id)).toEqual(["request.created", "note.added"]);
		expect((await view(w.provider.accountId, r.id, w.bob)).notes.map((n) => n.body)).toEqual(["Before the reset"]);
	});

	it("right after the API answered, whether or not the first send got through: both sides converge, nothing doubled", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		for (const body of ["one", "two", "three"]) {
			await act(w.customer.accountId, r.id, w.alice, { type: "note", body });
			await inObject(w.customer.accountId, (_i, state) => state.abort("Injected reset after answering.")).catch(() => undefined);
		}
		await setClock(w.customer.accountId, 10 * MINUTE);
		await runDurableObjectAlarm(stubOf(w.customer.accountId));
		await settle(w.customer.accountId, w.provider.accountId);
		await setClock(w.customer.accountId, 0);
		await expectConverged(w, r.id);
		expect(await providerEvents(w, r.id)).toEqual(["request.created", "note.added", "note.added", "note.added"]);
		expect((await view(w.provider.accountId, r.id, w.bob)).notes.map((n) => n.body)).toEqual(["one", "two", "three"]);
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(3);
	});
});

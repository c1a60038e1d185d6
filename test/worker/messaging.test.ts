// Fault injection in the messaging layer between AccountObjects: a receiver that fails, one reset
// between applying and answering, duplicates and disorder, parked messages, a bad payload, and a
// sender reset after its commit. Every scenario ends with both sides in the same state: nothing
// lost (the receiver's cursor reaches the sender's last sequence number), nothing applied twice.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { accountDb } from "../../worker/account/db";
import { enqueue, MAX_ATTEMPTS, receive, type Envelope } from "../../worker/account/messaging";
import type { OutboxMessage, ReceivedSla, Sla } from "../../worker/shared/service-api";
import type { Trust } from "../../worker/shared/trust-api";
import { addMember, callError, callJson, createToken, signUp, type AccountAdmin, callItems } from "./helpers";
import {
	createSla,
	defineEmail,
	failDeliveries,
	inObject,
	onboard,
	outboxOf,
	parkHead,
	setClock,
	settle,
	slaAction,
	stubOf,
	trustOf,
	trustPath,
} from "./service-helpers";

const MINUTE = 60_000;

async function pairWithSla() {
	const provider = await signUp();
	const customer = await signUp();
	await onboard(provider, customer);
	const model = await defineEmail(provider);
	const sla = await createSla(provider, model, customer.accountId);
	return { provider, customer, model, sla };
}

/** The receiver's cursor for a sender: the last sequence number it applied. */
const cursorOf = (receiver: string, sender: string) =>
	inObject(receiver, (_i, state) => state.storage.sql.exec<{ last_seq: number }>("SELECT last_seq FROM inbox_cursors WHERE from_account = ?", sender).toArray()[0]?.last_seq ?? 0);
/** The last sequence number a sender gave a message to that receiver. */
const lastSeqOf = (sender: string, receiver: string) =>
	inObject(sender, (_i, state) => state.storage.sql.exec<{ last_seq: number }>("SELECT last_seq FROM outbox_sequences WHERE to_account = ?", receiver).toArray()[0]?.last_seq ?? 0);

/** Removes the alarm the object set for its next attempt (so no real-time alarm interferes) and returns when it was due. */
const takeAlarm = (accountId: string) =>
	inObject(accountId, async (_i, state) => {
		const at = await state.storage.getAlarm();
		await state.storage.deleteAlarm();
		return at;
	});
const runAlarm = (accountId: string) => inObject(accountId, (instance) => instance.alarm());

/**
 * Both sides agree and the counts are exact: nothing waits in the outbox, the receiver applied
 * every sequence number the sender used, the customer's read model matches every SLA the
 * provider announced, one row each, and the two sides of the trust agree.
 */
async function expectInSync(provider: AccountAdmin, customer: AccountAdmin) {
	await setClock(provider.accountId, 0);
	await setClock(customer.accountId, 0);
	for (const [from, to] of [
		[provider.accountId, customer.accountId],
		[customer.accountId, provider.accountId],
	] as const) {
		expect((await outboxOf(from)).filter((m) => m.to === to)).toEqual([]);
		expect(await cursorOf(to, from)).toBe(await lastSeqOf(from, to));
	}
	const slas = await callItems<Sla>(`/accounts/${provider.accountId}/slas`, { as: provider });
	const received = await stubOf(customer.accountId).listReceivedSlas();
	const announced = slas.filter((s) => s.history.some((h) => h.to !== "being_prepared"));
	expect(received.map((r) => [r.slaId, r.status, r.startDate, r.expiryDate]).sort()).toEqual(announced.map((s) => [s.id, s.status, s.startDate, s.expiryDate]).sort());
	const [c, p] = await Promise.all([trustOf(customer, provider.accountId), trustOf(provider, customer.accountId)]);
	expect([c.status, c.capabilities, c.proposedCapabilities]).toEqual([p.status, p.capabilities, p.proposedCapabilities]);
}

describe("a receiver that fails its first deliveries", () => {
	it("keeps the message with its attempts and backoff, delivers it later by the alarm, and applies it once", async () => {
		const { provider, customer, sla } = await pairWithSla();
		await failDeliveries(customer.accountId, 3);
		await slaAction(provider, sla.id, "activate");
		await stubOf(provider.accountId).deliverNow(); // waits for the attempt made right after the commit

		let [msg] = await outboxOf(provider.accountId);
		expect(msg).toMatchObject({ to: customer.accountId, kind: "sla", status: "pending", attempts: 1, lastError: "Injected delivery failure." });
		const firstDelay = Date.parse(msg?.nextAttemptAt ?? "") - Date.parse(msg?.createdAt ?? "");
		expect(firstDelay).toBeGreaterThanOrEqual(800);
		expect(firstDelay).toBeLessThan(1_500);
		expect(await takeAlarm(provider.accountId)).toBe(Date.parse(msg?.nextAttemptAt ?? ""));
		// Not due yet: nothing is tried.
		expect(await stubOf(provider.accountId).deliverNow()).toEqual({ delivered: 0, failed: [], parked: [] });
		expect((await outboxOf(provider.accountId))[0]?.attempts).toBe(1);

		// The alarm tries again when due; the delay doubles.
		await setClock(provider.accountId, 10 * MINUTE);
		await runAlarm(provider.accountId);
		[msg] = await outboxOf(provider.accountId);
		expect(msg?.attempts).toBe(2);
		const secondDelay = Date.parse(msg?.nextAttemptAt ?? "") - (Date.now() + 10 * MINUTE);
		expect(secondDelay).toBeGreaterThan(1_400);
		expect(secondDelay).toBeLessThan(2_500);
		expect((await takeAlarm(provider.accountId)) ?? 0).toBe(Date.parse(msg?.nextAttemptAt ?? "") - 10 * MINUTE);
		expect(await stubOf(customer.accountId).listReceivedSlas()).toEqual([]);

		await setClock(provider.accountId, 20 * MINUTE);
		await runAlarm(provider.accountId);
		expect((await outboxOf(provider.accountId))[0]?.attempts).toBe(3);
		await setClock(provider.accountId, 30 * MINUTE);
		await runAlarm(provider.accountId);
		expect(await outboxOf(provider.accountId)).toEqual([]);
		expect((await stubOf(customer.accountId).listReceivedSlas()).map((r) => [r.slaId, r.status])).toEqual([[sla.id, "active"]]);
		expect(await inObject(customer.accountId, (instance) => instance.hooks.failDeliveries)).toBe(0);
		await expectInSync(provider, customer);
	});
});

describe("a receiver reset between applying and answering", () => {
	it("has applied and committed; the sender retries; the receiver recognises the message: nothing doubled", async () => {
		const { provider, customer, sla } = await pairWithSla();
		await inObject(customer.accountId, (instance) => {
			instance.hooks.abortAfterApply = true;
		});
		await slaAction(provider, sla.id, "activate");
		await stubOf(provider.accountId).deliverNow();
		// The sender saw no answer: the message is still waiting. The receiver did apply it.
		expect((await outboxOf(provider.accountId)).map((m) => [m.kind, m.attempts])).toEqual([["sla", 1]]);
		const applied = await stubOf(customer.accountId).listReceivedSlas();
		expect(applied.map((r) => [r.slaId, r.status])).toEqual([[sla.id, "active"]]);
		expect(await cursorOf(customer.accountId, provider.accountId)).toBe(await lastSeqOf(provider.accountId, customer.accountId));

		await setClock(provider.accountId, 10 * MINUTE);
		expect((await stubOf(provider.accountId).deliverNow()).delivered).toBe(1);
		// Acknowledged without applying again: the row was not rewritten.
		expect(await stubOf(customer.accountId).listReceivedSlas()).toEqual(applied);
		await expectInSync(provider, customer);
	});

	it("a trust message applied before the reset is in the history once", async () => {
		const provider = await signUp();
		const customer = await signUp();
		await onboard(provider, customer);
		await inObject(provider.accountId, (instance) => {
			instance.hooks.abortAfterApply = true;
		});
		await callJson<Trust>(`${trustPath(customer.accountId, provider.accountId)}/capabilities`, 200, {
			as: customer,
			method: "PUT",
			body: { capabilities: { shareRoles: true, assignTasks: false, supportConfigurationItems: false } },
		});
		await stubOf(customer.accountId).deliverNow();
		await setClock(customer.accountId, 10 * MINUTE);
		await settle(customer.accountId, provider.accountId);
		const side = await trustOf(provider, customer.accountId);
		expect(side.history.map((h) => h.action)).toEqual(["requested", "accepted", "proposed capabilities"]);
		expect(side.proposedBy).toBe("them");
		await expectInSync(provider, customer);
	});
});

describe("duplicates and disorder, sent straight to the receiver", () => {
	const forged = (n: number) => `sender-${n}-${Math.random().toString(36).slice(2, 8)}`;
	const requested = (from: string, to: string, round: string) => ({
		kind: "trust",
		payload: { type: "requested", round, customer: to, provider: from, capabilities: { shareRoles: false, assignTasks: false, supportConfigurationItems: false }, actor: { name: "Pat", accountId: from } },
	});
	const cancelled = (from: string, round: string) => ({ kind: "trust", payload: { type: "cancelled", round, actor: { name: "Pat", accountId: from } } });

	it("applies message 2 only after 1, and message 1 only once", async () => {
		const receiver = await signUp();
		const from = forged(1);
		const stub = stubOf(receiver.accountId);
		const m1 = { seq: 1, ...requested(from, receiver.accountId, "r1") };
		const m2 = { seq: 2, ...cancelled(from, "r1") };

		const early = await stub.receiveMessages({ from, messages: [m2] });
		expect(early.appliedThrough).toBe(0);
		expect(early.error).toMatch(/2 arrived before 1/);
		expect((await stub.getTrust(from)).ok).toBe(false);

		expect(await stub.receiveMessages({ from, messages: [m1] })).toEqual({ appliedThrough: 1 });
		expect(await stub.receiveMessages({ from, messages: [m1] })).toEqual({ appliedThrough: 1 });
		const once = await stub.getTrust(from);
		expect(once.ok && once.value.history.map((h) => h.action)).toEqual(["requested"]);

		// Out of order in one envelope, with a duplicate: sorted, the duplicate skipped, the rest applied in order.
		const m3 = { seq: 3, ...requested(from, receiver.accountId, "r2") };
		expect(await stub.receiveMessages({ from, messages: [m3, m1, m2] })).toEqual({ appliedThrough: 3 });
		const after = await stub.getTrust(from);
		expect(after.ok && [after.value.status, after.value.history.map((h) => h.action)]).toEqual(["pending", ["requested", "cancelled", "requested"]]);
		expect(await cursorOf(receiver.accountId, from)).toBe(3);
		// Everything again: nothing changes.
		expect(await stub.receiveMessages({ from, messages: [m1, m2, m3] })).toEqual({ appliedThrough: 3 });
		expect(await stub.getTrust(from)).toEqual(after);
	});

	it("refuses a bad payload or an unknown kind without applying it, and keeps what came before", async () => {
		const receiver = await signUp();
		const from = forged(2);
		const stub = stubOf(receiver.accountId);
		const bad: Envelope = { from, messages: [{ seq: 1, ...requested(from, receiver.accountId, "r1") }, { seq: 2, kind: "trust", payload: { type: "accepted", round: "r1" } }] };
		const receipt = await stub.receiveMessages(bad);
		expect(receipt.appliedThrough).toBe(1);
		expect(receipt.error).toMatch(/^trust #2: /);
		expect(await stub.receiveMessages({ from, messages: [{ seq: 2, kind: "invoice", payload: {} }] })).toMatchObject({ appliedThrough: 1, error: expect.stringMatching(/Unknown message kind "invoice"/) });
		// A request naming other parties is refused too: it would give a third account a trust.
		const misnamed = { seq: 2, kind: "trust", payload: { ...requested(from, "someone-else", "r9").payload } };
		expect((await stub.receiveMessages({ from, messages: [misnamed] })).error).toMatch(/must name/);
		const trust = await stub.getTrust(from);
		expect(trust.ok && [trust.value.status, trust.value.history.length]).toEqual(["pending", 1]);
		expect(await stub.listReceivedSlas()).toEqual([]);
		expect(await cursorOf(receiver.accountId, from)).toBe(1);
	});

	it("a message refused after it wrote takes back its own writes only: the ones before it stay applied", async () => {
		const receiver = await signUp();
		const from = forged(5);
		const marks = (state: DurableObjectState) => state.storage.sql.exec<{ to_account: string }>("SELECT to_account FROM outbox_sequences WHERE to_account LIKE 'mark-%' ORDER BY to_account").toArray().map((r) => r.to_account);
		const receipt = await inObject(receiver.accountId, (_i, state) => {
			const mark = (name: string) => state.storage.sql.exec("INSERT INTO outbox_sequences (to_account, last_seq) VALUES (?, 0)", name);
			const envelope: Envelope = { from, messages: [1, 2, 3].map((seq) => ({ seq, kind: seq === 2 ? "bad" : "good", payload: seq })) };
			return receive(accountDb(state.storage), envelope, (_from, kind, payload) => {
				mark(`mark-${String(payload)}`);
				if (kind === "bad") throw new Error("refused after writing");
			}, Date.now());
		});
		expect(receipt).toEqual({ appliedThrough: 1, error: "bad #2: refused after writing" });
		expect(await inObject(receiver.accountId, (_i, state) => marks(state))).toEqual(["mark-1"]);
		expect(await cursorOf(receiver.accountId, from)).toBe(1);
	});

	it("refuses an SLA from an account that is not a provider of the receiver", async () => {
		const receiver = await signUp();
		const from = forged(3);
		const stub = stubOf(receiver.accountId);
		// `from` asks to be the receiver's customer: the receiver would be its provider, not the other way round.
		const asCustomer = { seq: 1, kind: "trust", payload: { ...requested(from, receiver.accountId, "r1").payload, customer: from, provider: receiver.accountId } };
		expect(await stub.receiveMessages({ from, messages: [asCustomer] })).toEqual({ appliedThrough: 1 });
		const sla = { seq: 2, kind: "sla", payload: { slaId: "sla_x", name: "X", serviceName: "S", offeringName: "O", status: "active", startDate: "2026-01-01", noticeDate: null, expiryDate: null } };
		expect((await stub.receiveMessages({ from, messages: [sla] })).error).toMatch(/not a provider/);
		expect((await stub.receiveMessages({ from: forged(4), messages: [{ ...sla, seq: 1 }] })).error).toMatch(/not a provider/);
		expect(await stub.listReceivedSlas()).toEqual([]);
	});
});

describe("a message that keeps failing", () => {
	it(`is parked after ${MAX_ATTEMPTS} attempts, shown to administrators only, holds back what follows, and is delivered on retry`, async () => {
		const { provider, customer, model, sla } = await pairWithSla();
		const second = await createSla(provider, model, customer.accountId);
		await failDeliveries(customer.accountId, 1000);
		await slaAction(provider, sla.id, "activate");
		await slaAction(provider, second.id, "activate");
		const parked = await parkHead(provider.accountId, customer.accountId);
		expect(parked).toMatchObject({ status: "parked", attempts: MAX_ATTEMPTS, nextAttemptAt: null, lastError: "Injected delivery failure." });

		const listed = await callItems<OutboxMessage>(`/accounts/${provider.accountId}/messages`, { as: provider });
		expect(listed.map((m) => [m.id, m.status, m.attempts])).toEqual([
			[parked.id, "parked", MAX_ATTEMPTS],
			[`${customer.accountId}#${Number(parked.id.split("#")[1]) + 1}`, "pending", 0],
		]);
		const specialist = await addMember(provider, provider.accountId, ["specialist", "service_level_manager"]);
		const token = { token: (await createToken(provider, provider.accountId)).secret };
		for (const who of [specialist, token]) {
			await callError(`/accounts/${provider.accountId}/messages`, 403, "forbidden", { as: who });
			await callError(`/accounts/${provider.accountId}/messages/${customer.accountId}/1/retry`, 403, "forbidden", { as: who, method: "POST" });
		}

		// However late it gets, nothing overtakes the parked message, and no alarm is set for it.
		await setClock(provider.accountId, 24 * 60 * MINUTE);
		expect(await stubOf(provider.accountId).deliverNow()).toEqual({ delivered: 0, failed: [], parked: [] });
		expect(await inObject(provider.accountId, (_i, state) => state.storage.getAlarm())).toBeNull();
		expect(await stubOf(customer.accountId).listReceivedSlas()).toEqual([]);

		const [to, seq] = parked.id.split("#");
		await callError(`/accounts/${provider.accountId}/messages/${to}/${Number(seq) + 1}/retry`, 404, "not_found", { as: provider, method: "POST" });
		await callError(`/accounts/${provider.accountId}/messages/${to}/0/retry`, 400, "invalid_input", { as: provider, method: "POST" });
		expect(await callJson(`/accounts/${provider.accountId}/messages/${to}/${seq}/retry`, 200, { as: provider, method: "POST" })).toEqual({ id: parked.id });
		await settle(provider.accountId, customer.accountId);
		const received = await stubOf(customer.accountId).listReceivedSlas();
		expect(received.map((r) => [r.slaId, r.status]).sort()).toEqual([
			[second.id, "active"],
			[sla.id, "active"],
		].sort());
		expect(await callItems<OutboxMessage>(`/accounts/${provider.accountId}/messages`, { as: provider })).toEqual([]);
		await expectInSync(provider, customer);
	});

	it("a payload the receiver refuses is not applied: it is retried, then parked with the receiver's reason", async () => {
		const { provider, customer } = await pairWithSla();
		await inObject(provider.accountId, (_i, state) => enqueue(accountDb(state.storage), customer.accountId, "sla", { slaId: "sla_broken" }, Date.now()));
		await stubOf(provider.accountId).deliverNow();
		const [msg] = await outboxOf(provider.accountId);
		expect(msg).toMatchObject({ status: "pending", attempts: 1 });
		expect(msg?.lastError).toMatch(/^sla #\d+: /);
		const parked = await parkHead(provider.accountId, customer.accountId);
		expect(parked.status).toBe("parked");
		expect(await stubOf(customer.accountId).listReceivedSlas()).toEqual([]);
		expect(await cursorOf(customer.accountId, provider.accountId)).toBe((await lastSeqOf(provider.accountId, customer.accountId)) - 1);
		await takeAlarm(provider.accountId);
	});
});

describe("a sender reset", () => {
	it("after its commit and before its delivery loses nothing: the alarm, stored with the change, delivers it", async () => {
		const { provider, customer, sla } = await pairWithSla();
		// The attempt right after the commit fails; then the sender is reset and forgets everything in memory.
		await failDeliveries(customer.accountId, 1);
		await slaAction(provider, sla.id, "activate");
		await stubOf(provider.accountId).deliverNow();
		await inObject(provider.accountId, (_i, state) => state.abort("Injected reset after the commit.")).catch(() => undefined);
		expect((await outboxOf(provider.accountId)).map((m) => [m.kind, m.attempts])).toEqual([["sla", 1]]);
		expect(await inObject(provider.accountId, (_i, state) => state.storage.getAlarm())).not.toBeNull();
		// Nothing but the alarm is left to deliver it.
		await setClock(provider.accountId, 10 * MINUTE);
		await runDurableObjectAlarm(stubOf(provider.accountId)); // unless it has fired on its own already
		const received = await callItems<ReceivedSla>(`/accounts/${customer.accountId}/received-slas`, { as: customer });
		expect(received.map((r) => [r.slaId, r.status])).toEqual([[sla.id, "active"]]);
		await expectInSync(provider, customer);
	});

	it("in the same turn as its change keeps the change and its message together: both or neither", async () => {
		const { provider, customer, sla } = await pairWithSla();
		await failDeliveries(customer.accountId, 1000);
		await inObject(provider.accountId, async (instance, state) => {
			expect((await instance.actOnSla(sla.id, "activate", "Tester")).ok).toBe(true);
			state.abort("Injected reset right after the change.");
		}).catch(() => undefined);
		await failDeliveries(customer.accountId, 0);
		// Writes become durable when the object's output gate opens; a reset before that drops them all.
		const status = (await callJson<Sla>(`/accounts/${provider.accountId}/slas/${sla.id}`, 200, { as: provider })).status;
		const waiting = (await outboxOf(provider.accountId)).map((m) => m.kind);
		expect([status, waiting]).toEqual(status === "active" ? ["active", ["sla"]] : ["being_prepared", []]);
		await setClock(provider.accountId, 10 * MINUTE);
		await settle(provider.accountId, customer.accountId);
		await expectInSync(provider, customer);
		expect((await stubOf(customer.accountId).listReceivedSlas()).map((r) => r.status)).toEqual(status === "active" ? ["active"] : []);
		await inObject(provider.accountId, (_i, state) => state.storage.deleteAlarm());
	});
});

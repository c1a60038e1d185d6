// The SLA lifecycle: switched by the provider's alarm at local midnight of its dates (with the
// object's test clock), and by hand; the customer's read model and catalog follow every change.
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Catalog, ReceivedSla, Sla } from "../../worker/shared/service-api";
import type { Trust } from "../../worker/shared/trust-api";
import { addMember, callError, callJson, createToken, signUp, type AccountAdmin, type Member, callItems } from "./helpers";
import { crossing, createSla, daysFromToday, defineEmail, inObject, onboard, outboxOf, setClock, settle, slaAction, stubOf, today, trustOf } from "./service-helpers";

/** A zone without daylight saving time, so local midnight is always 18:30 UTC the day before. */
const ZONE = "Asia/Kolkata";
const midnightIn = (date: string) => Date.parse(`${date}T00:00:00+05:30`);

const used: string[] = [];
afterEach(async () => {
	// Alarms outlive a test: put every clock back and remove what the test scheduled.
	for (const id of used.splice(0)) {
		await setClock(id, 0);
		await inObject(id, (_instance, state) => state.storage.deleteAlarm());
	}
});

async function setup() {
	const provider = await signUp();
	const customer = await signUp();
	used.push(provider.accountId, customer.accountId);
	await callJson(`/accounts/${provider.accountId}`, 200, { method: "PATCH", as: provider, body: { timeZone: ZONE } });
	await onboard(provider, customer);
	const model = await defineEmail(provider);
	const alice = await addMember(customer, customer.accountId, ["end_user"], "Alice");
	return { provider, customer, model, alice };
}

const alarmOf = (accountId: string) => inObject(accountId, (_i, state) => state.storage.getAlarm());
const offsetOf = (accountId: string) => inObject(accountId, (instance) => instance.hooks.offsetMs);
const slaOf = (provider: AccountAdmin, id: string) => callJson<Sla>(`/accounts/${provider.accountId}/slas/${id}`, 200, { as: provider });
const receivedOf = (customer: AccountAdmin) => callItems<ReceivedSla>(`/accounts/${customer.accountId}/received-slas`, { as: customer });
const catalogOf = (customer: { accountId: string }, who: Member | { token: string }) => callJson<Catalog>(`/accounts/${customer.accountId}/catalog`, 200, { as: who });

/** Moves the provider's clock to one minute past local midnight of `date` and runs its alarm. */
async function midnightPasses(provider: AccountAdmin, date: string): Promise<boolean> {
	await setClock(provider.accountId, midnightIn(date) + 60_000 - Date.now());
	return runDurableObjectAlarm(stubOf(provider.accountId));
}

describe("the alarm moves SLAs along at their dates", () => {
	it("scheduled → active at local midnight of the start date → expired after the expiry date; customer and catalog follow", async () => {
		const { provider, customer, model, alice } = await setup();
		const [start, notice, expiry] = [daysFromToday(3, ZONE), daysFromToday(5, ZONE), daysFromToday(8, ZONE)];
		const sla = await createSla(provider, model, customer.accountId, { startDate: start, noticeDate: notice, expiryDate: expiry });
		await settle(provider.accountId, customer.accountId);
		expect(await receivedOf(customer)).toEqual([]); // being prepared: not the customer's business yet

		expect((await slaAction(provider, sla.id, "schedule")).status).toBe("scheduled_for_activation");
		await settle(provider.accountId, customer.accountId);
		expect(await alarmOf(provider.accountId)).toBe(midnightIn(start));
		expect(new Date(midnightIn(start)).toISOString()).toBe(`${daysFromToday(2, ZONE)}T18:30:00.000Z`);
		expect((await receivedOf(customer)).map((r) => [r.slaId, r.status, r.startDate, r.noticeDate, r.expiryDate, r.provider.id])).toEqual([
			[sla.id, "scheduled_for_activation", start, notice, expiry, provider.accountId],
		]);
		expect((await catalogOf(customer, alice)).entries).toEqual([]);

		// One minute before midnight nothing happens; one minute after, it starts.
		await setClock(provider.accountId, midnightIn(start) - 60_000 - Date.now());
		await inObject(provider.accountId, (instance) => instance.alarm());
		expect((await slaOf(provider, sla.id)).status).toBe("scheduled_for_activation");
		expect(await midnightPasses(provider, start)).toBe(true);
		const active = await slaOf(provider, sla.id);
		expect(active).toMatchObject({ status: "active", startDate: start, noticeDate: notice, expiryDate: expiry });
		expect(active.history.at(-1)).toMatchObject({ action: "activated", actor: "Trustdesk", from: "scheduled_for_activation", to: "active" });
		// The next alarm: midnight after the expiry date, as stored minus the test clock's offset.
		expect((await alarmOf(provider.accountId)) ?? 0).toBe(midnightIn(daysFromToday(9, ZONE)) - (await offsetOf(provider.accountId)));
		expect((await receivedOf(customer)).map((r) => [r.status, r.noticeDate])).toEqual([["active", notice]]);
		const catalog = await catalogOf(customer, alice);
		expect(catalog.entries.map((e) => [e.service.name, e.offering.name, e.sla.id, e.provider.id])).toEqual([["Email", "Email Gold", sla.id, provider.accountId]]);

		// The expiry date itself is still covered; the midnight after it ends the SLA.
		await setClock(provider.accountId, midnightIn(expiry) + 60_000 - Date.now());
		await inObject(provider.accountId, (instance) => instance.alarm());
		expect((await slaOf(provider, sla.id)).status).toBe("active");
		expect(await midnightPasses(provider, daysFromToday(9, ZONE))).toBe(true);
		const expired = await slaOf(provider, sla.id);
		expect(expired).toMatchObject({ status: "expired", startDate: start, noticeDate: notice, expiryDate: expiry });
		expect(expired.history.map((h) => h.to)).toEqual(["being_prepared", "scheduled_for_activation", "active", "expired"]);
		expect((await receivedOf(customer)).map((r) => [r.status, r.noticeDate, r.expiryDate])).toEqual([["expired", notice, expiry]]);
		expect((await catalogOf(customer, alice)).entries).toEqual([]);
		expect(await alarmOf(provider.accountId)).toBeNull();
		expect(await outboxOf(provider.accountId)).toEqual([]);
	});

	it("an alarm that fires twice changes nothing the second time", async () => {
		const { provider, customer, model } = await setup();
		const sla = await createSla(provider, model, customer.accountId, { startDate: daysFromToday(1, ZONE), expiryDate: daysFromToday(30, ZONE) });
		await slaAction(provider, sla.id, "schedule");
		await settle(provider.accountId, customer.accountId);
		expect(await midnightPasses(provider, daysFromToday(1, ZONE))).toBe(true);
		const once = await slaOf(provider, sla.id);
		const receivedOnce = await receivedOf(customer);
		expect([once.status, receivedOnce.map((r) => r.status)]).toEqual(["active", ["active"]]);
		// Again, as a duplicate delivery of the same alarm and as the alarm now scheduled.
		await inObject(provider.accountId, (instance) => instance.alarm());
		await runDurableObjectAlarm(stubOf(provider.accountId));
		await settle(provider.accountId, customer.accountId);
		expect(await slaOf(provider, sla.id)).toEqual(once);
		expect(await receivedOf(customer)).toEqual(receivedOnce);
		expect(await outboxOf(provider.accountId)).toEqual([]);
	});

	it("follows a change of the account's time zone", async () => {
		const { provider, customer, model } = await setup();
		const start = daysFromToday(4, ZONE);
		const sla = await createSla(provider, model, customer.accountId, { startDate: start });
		await slaAction(provider, sla.id, "schedule");
		await settle(provider.accountId, customer.accountId);
		expect(await alarmOf(provider.accountId)).toBe(midnightIn(start));
		await callJson(`/accounts/${provider.accountId}`, 200, { method: "PATCH", as: provider, body: { timeZone: "UTC" } });
		expect(await alarmOf(provider.accountId)).toBe(Date.parse(`${start}T00:00:00Z`));
	});

	it("a trust ended while the provider schedules an SLA: the provider expires the SLA itself, both sides agree", async () => {
		const { provider, customer, model } = await setup();
		const sla = await createSla(provider, model, customer.accountId, { startDate: daysFromToday(2, ZONE) });
		// The customer ends the trust while the provider schedules: neither hears of the other in time.
		await crossing([provider.accountId, customer.accountId], () =>
			Promise.all([slaAction(provider, sla.id, "schedule"), callJson<Trust>(`/accounts/${customer.accountId}/trusts/${provider.accountId}/deactivate`, 200, { as: customer, method: "POST" })]),
		);
		// The provider ended what was live for that customer itself; both sides agree.
		const ended = await slaOf(provider, sla.id);
		expect(ended.status).toBe("expired");
		expect(ended.history.at(-1)).toMatchObject({ actor: "Trustdesk", detail: `The trust with ${customer.accountId} ended.` });
		expect((await receivedOf(customer)).map((r) => r.status)).toEqual(["expired"]);
		expect([(await trustOf(provider, customer.accountId)).status, (await trustOf(customer, provider.accountId)).status]).toEqual(["deactivated", "deactivated"]);
	});
});

describe("moving an SLA by hand", () => {
	it("schedule with a start date that has come activates at once; expire ends it today; the catalog follows", async () => {
		const { provider, customer, model, alice } = await setup();
		const sla = await createSla(provider, model, customer.accountId, { startDate: daysFromToday(-10, ZONE), noticeDate: daysFromToday(20, ZONE), expiryDate: daysFromToday(60, ZONE) });
		const active = await slaAction(provider, sla.id, "schedule");
		expect(active.status).toBe("active");
		expect((await catalogOf(customer, alice)).entries.map((e) => e.sla.id)).toEqual([sla.id]);
		// The customer cannot end the trust, nor can the provider, while the SLA is live.
		await settle(provider.accountId, customer.accountId);
		const refused = await callError(`/accounts/${provider.accountId}/trusts/${customer.accountId}/deactivate`, 409, "conflict", { as: provider, method: "POST" });
		expect(refused.error.message).toMatch(/1 SLA is still active or scheduled/);

		const expired = await slaAction(provider, sla.id, "expire");
		expect(expired).toMatchObject({ status: "expired", expiryDate: today(ZONE), noticeDate: today(ZONE) });
		expect((await catalogOf(customer, alice)).entries).toEqual([]);
		await settle(provider.accountId, customer.accountId);
		expect((await receivedOf(customer)).map((r) => [r.status, r.expiryDate])).toEqual([["expired", today(ZONE)]]);
		await callError(`/accounts/${provider.accountId}/slas/${sla.id}`, 409, "conflict", { method: "PATCH", as: provider, body: { name: "Revived" } });
	});

	it("activate brings a future start forward to today; prepare takes a scheduled SLA back; an expiry date set on an active SLA ends it that night", async () => {
		const { provider, customer, model } = await setup();
		const later = await createSla(provider, model, customer.accountId, { startDate: daysFromToday(7, ZONE) });
		expect((await slaAction(provider, later.id, "schedule")).status).toBe("scheduled_for_activation");
		expect((await slaAction(provider, later.id, "prepare")).status).toBe("being_prepared");
		await settle(provider.accountId, customer.accountId);
		expect((await receivedOf(customer)).map((r) => r.status)).toEqual([]); // back in preparation: hidden again
		const now = await slaAction(provider, later.id, "activate");
		expect(now).toMatchObject({ status: "active", startDate: today(ZONE) });

		await callJson<Sla>(`/accounts/${provider.accountId}/slas/${later.id}`, 200, { method: "PATCH", as: provider, body: { expiryDate: today(ZONE) } });
		await settle(provider.accountId, customer.accountId);
		expect((await receivedOf(customer)).map((r) => [r.status, r.expiryDate])).toEqual([["active", today(ZONE)]]);
		expect(await alarmOf(provider.accountId)).toBe(midnightIn(daysFromToday(1, ZONE)));
		expect(await midnightPasses(provider, daysFromToday(1, ZONE))).toBe(true);
		expect((await slaOf(provider, later.id)).status).toBe("expired");
		expect((await receivedOf(customer)).map((r) => r.status)).toEqual(["expired"]);
	});

	it.each<[string, "being_prepared" | "scheduled_for_activation" | "active" | "expired", "schedule" | "activate" | "expire" | "prepare"]>([
		["prepare a being-prepared SLA", "being_prepared", "prepare"],
		["expire a being-prepared SLA", "being_prepared", "expire"],
		["schedule a scheduled SLA", "scheduled_for_activation", "schedule"],
		["schedule an active SLA", "active", "schedule"],
		["prepare an active SLA", "active", "prepare"],
		["activate an expired SLA", "expired", "activate"],
		["expire an expired SLA", "expired", "expire"],
	])("refuses to %s (409 invalid_transition) and changes nothing", async (_what, status, action) => {
		const { provider, customer, model } = await setup();
		const sla = await createSla(provider, model, customer.accountId, { startDate: daysFromToday(status === "scheduled_for_activation" ? 5 : 0, ZONE) });
		if (status !== "being_prepared") await slaAction(provider, sla.id, "schedule");
		if (status === "expired") await slaAction(provider, sla.id, "expire");
		const before = await slaOf(provider, sla.id);
		expect(before.status).toBe(status);
		await callError(`/accounts/${provider.accountId}/slas/${sla.id}/status`, 409, "invalid_transition", { as: provider, body: { action } });
		expect(await slaOf(provider, sla.id)).toEqual(before);
	});

	it("an unknown action is 400; an unknown SLA is 404", async () => {
		const { provider, customer, model } = await setup();
		const sla = await createSla(provider, model, customer.accountId);
		await callError(`/accounts/${provider.accountId}/slas/${sla.id}/status`, 400, "invalid_input", { as: provider, body: { action: "pause" } });
		await callError(`/accounts/${provider.accountId}/slas/sla_0000000000000000/status`, 404, "not_found", { as: provider, body: { action: "activate" } });
		await callError(`/accounts/${provider.accountId}/slas/sla_0000000000000000`, 404, "not_found", { as: provider });
	});
});

describe("coverage", () => {
	it("selected people see the service; other people of the customer and its tokens do not; the whole account sees a customer_account SLA", async () => {
		const { provider, customer, model, alice } = await setup();
		const bob = await addMember(customer, customer.accountId, ["end_user"], "Bob");
		const token = { token: (await createToken(customer, customer.accountId, ["catalog:read"])).secret };
		const selected = await createSla(provider, model, customer.accountId, { coverage: { type: "people", personIds: [alice.id] } });
		await slaAction(provider, selected.id, "activate");
		expect((await catalogOf(customer, alice)).entries.map((e) => e.sla.id)).toEqual([selected.id]);
		expect((await catalogOf(customer, bob)).entries).toEqual([]);
		expect((await catalogOf(customer, token)).entries).toEqual([]);

		await callJson<Sla>(`/accounts/${provider.accountId}/slas/${selected.id}`, 200, { method: "PATCH", as: provider, body: { coverage: { type: "people", personIds: [bob.id] } } });
		expect((await catalogOf(customer, alice)).entries).toEqual([]);
		expect((await catalogOf(customer, bob)).entries.map((e) => e.sla.id)).toEqual([selected.id]);

		const everyone = await createSla(provider, model, customer.accountId, { name: "Everyone" });
		await slaAction(provider, everyone.id, "activate");
		expect((await catalogOf(customer, alice)).entries.map((e) => e.sla.id)).toEqual([everyone.id]);
		expect((await catalogOf(customer, token)).entries.map((e) => e.sla.id)).toEqual([everyone.id]);
		expect((await catalogOf(customer, bob)).entries.map((e) => e.sla.id).sort()).toEqual([everyone.id, selected.id].sort());
		await settle(provider.accountId, customer.accountId);
	});
});

// Helpers for the trust, service and SLA tests: delivering messages between AccountObjects, the
// objects' test clock and faults, and a service model to offer.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { AccountObject } from "../../worker/account/account-object";
import { addDays, todayIn } from "../../worker/account/dates";
import { MAX_ATTEMPTS } from "../../worker/account/messaging";
import type { OutboxMessage, Service, ServiceInstance, ServiceOffering, Sla, SlaAction } from "../../worker/shared/service-api";
import type { Trust, TrustAction, TrustRole } from "../../worker/shared/trust-api";
import { type Caller, callJson, createTeam, unique } from "./helpers";

/** Someone who acts for an account: its administrator, or any caller with the account's id. */
export type AccountCaller = Caller & { accountId: string };

export const stubOf = (accountId: string) => env.ACCOUNT.getByName(accountId);

/**
 * Delivers every waiting message between the accounts until none is left: answers to answers
 * included, and deliveries already under way (started right after a commit) awaited.
 */
export async function settle(...accountIds: string[]): Promise<void> {
	for (let round = 0; round < 20; round++) {
		let moved = 0;
		for (const id of accountIds) moved += (await stubOf(id).deliverNow()).delivered;
		if (moved > 0) continue;
		const outboxes = await Promise.all(accountIds.map((id) => stubOf(id).listOutbox()));
		if (outboxes.flat().every((m) => m.status === "parked" || m.attempts > 0)) return;
	}
}

/** Runs `fn` on the AccountObject itself: its test hooks, its storage. */
export function inObject<R>(accountId: string, fn: (instance: AccountObject, state: DurableObjectState) => R | Promise<R>): Promise<R> {
	return runInDurableObject(stubOf(accountId), fn);
}

/** Sets the object's clock `offsetMs` ahead of real time (0: real time). */
export async function setClock(accountId: string, offsetMs: number): Promise<void> {
	await inObject(accountId, (instance) => {
		instance.hooks.offsetMs = offsetMs;
	});
}

/** The receiving object fails its next `n` deliveries. */
export async function failDeliveries(accountId: string, n: number): Promise<void> {
	await inObject(accountId, (instance) => {
		instance.hooks.failDeliveries = n;
	});
}

export async function outboxOf(accountId: string): Promise<OutboxMessage[]> {
	return stubOf(accountId).listOutbox();
}

/**
 * Lets the first message from `sender` to `receiver` fail until it is parked: the receiver fails
 * every delivery, the sender's clock moves past each backoff. The clock and the fault are reset.
 */
export async function parkHead(sender: string, receiver: string): Promise<OutboxMessage> {
	await failDeliveries(receiver, 1000);
	let offset = 0;
	for (let i = 0; i <= MAX_ATTEMPTS; i++) {
		const head = (await outboxOf(sender)).find((m) => m.to === receiver);
		if (!head) throw new Error(`No message from ${sender} to ${receiver}.`);
		if (head.status === "parked") {
			await failDeliveries(receiver, 0);
			await setClock(sender, 0);
			return head;
		}
		offset += 6 * 60_000; // past the longest backoff (5 min)
		await setClock(sender, offset);
		await stubOf(sender).deliverNow();
	}
	throw new Error("The message was not parked.");
}

/** Today and other dates in a time zone ("YYYY-MM-DD"). */
export const today = (timeZone = "UTC") => todayIn(timeZone, Date.now());
export const daysFromToday = (days: number, timeZone = "UTC") => addDays(today(timeZone), days);

export const TARGETS = {
	top: { response: { minutes: 15 }, resolution: { minutes: 240 } },
	high: { response: { minutes: 60 }, resolution: { minutes: 480 } },
	medium: { response: { minutes: 240 }, resolution: { businessDays: 2 } },
	low: { response: { businessDays: 1 }, resolution: { businessDays: 5 } },
};

export const OFFICE_HOURS = {
	timeZone: "Europe/Amsterdam",
	hours: ["mon", "tue", "wed", "thu", "fri"].map((weekday) => ({ weekday, from: "09:00", until: "17:00" })),
	holidays: [{ name: "Christmas Day", date: "2026-12-25" }],
};

// ── Trusts ────────────────────────────────────────────────────────────────────

export const trustPath = (accountId: string, other?: string) => `/accounts/${accountId}/trusts${other ? `/${other}` : ""}`;

export async function askTrust(as: AccountCaller, other: string, ourRole: TrustRole): Promise<Trust> {
	return callJson<Trust>(trustPath(as.accountId), 201, { as, body: { accountId: other, ourRole } });
}

export async function actOnTrust(as: AccountCaller, other: string, action: TrustAction): Promise<Trust> {
	return callJson<Trust>(`${trustPath(as.accountId, other)}/${action}`, 200, { as, method: "POST" });
}

export async function trustOf(as: AccountCaller, other: string): Promise<Trust> {
	return callJson<Trust>(trustPath(as.accountId, other), 200, { as });
}

/** The customer asks, the provider accepts; both sides end active. */
export async function onboard(provider: AccountCaller, customer: AccountCaller): Promise<void> {
	await askTrust(customer, provider.accountId, "customer");
	await settle(customer.accountId, provider.accountId);
	await actOnTrust(provider, customer.accountId, "accept");
	await settle(customer.accountId, provider.accountId);
	expect((await trustOf(customer, provider.accountId)).status).toBe("active");
}

// ── Service model and SLAs ────────────────────────────────────────────────────

export interface EmailModel {
	team: { id: string };
	service: Service;
	instance: ServiceInstance;
	offering: ServiceOffering;
}

/** The service "Email" with its instance and offering (names made unique by `suffix`). */
export async function defineEmail(provider: AccountCaller, suffix = ""): Promise<EmailModel> {
	const team = await createTeam(provider, provider.accountId, { name: `Email Support${suffix}` });
	const base = `/accounts/${provider.accountId}`;
	const service = await callJson<Service>(`${base}/services`, 201, { as: provider, body: { name: `Email${suffix}`, description: "Mailboxes and delivery" } });
	const instance = await callJson<ServiceInstance>(`${base}/service-instances`, 201, {
		as: provider,
		body: { serviceId: service.id, name: `Email Production${suffix}`, firstLineTeamId: team.id, supportTeamId: team.id },
	});
	const offering = await callJson<ServiceOffering>(`${base}/service-offerings`, 201, {
		as: provider,
		body: { serviceId: service.id, name: `Email Gold${suffix}`, targets: TARGETS, supportHours: OFFICE_HOURS },
	});
	return { team, service, instance, offering };
}

/** An SLA (being prepared) for `customer` on the model's offering; `body` overrides the defaults. */
export async function createSla(provider: AccountCaller, model: EmailModel, customer: string, body: Record<string, unknown> = {}): Promise<Sla> {
	return callJson<Sla>(`/accounts/${provider.accountId}/slas`, 201, {
		as: provider,
		body: { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer, startDate: today(), name: unique("SLA"), ...body },
	});
}

export async function slaAction(provider: AccountCaller, slaId: string, action: SlaAction): Promise<Sla> {
	return callJson<Sla>(`/accounts/${provider.accountId}/slas/${slaId}/status`, 200, { as: provider, body: { action } });
}

/**
 * Runs `act` while every delivery between the accounts fails, so that what they do crosses, then
 * lets everything through (clocks past any backoff) and delivers it all.
 */
export async function crossing(accountIds: string[], act: () => Promise<unknown>): Promise<void> {
	for (const id of accountIds) await failDeliveries(id, 1000);
	await act();
	// Attempts already under way (right after each commit) fail; wait for them.
	for (const id of accountIds) await stubOf(id).deliverNow();
	for (const id of accountIds) {
		await failDeliveries(id, 0);
		await setClock(id, 10 * 60_000);
	}
	await settle(...accountIds);
	for (const id of accountIds) await setClock(id, 0);
}

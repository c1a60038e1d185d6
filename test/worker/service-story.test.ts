// The onboarding and offboarding story across three accounts, through the real HTTP API.
import { describe, expect, it } from "vitest";
import type { Catalog, Sla } from "../../worker/shared/service-api";
import type { Trust } from "../../worker/shared/trust-api";
import { addMember, call, callError, callJson, signUp } from "./helpers";
import { defineEmail, onboard, settle } from "./service-helpers";

describe("onboarding and offboarding a customer", () => {
	it("works end to end: trust, SLA, catalog, expiry, deactivation", async () => {
		const provider = await signUp();
		const customer = await signUp();
		const stranger = await signUp();
		const alice = await addMember(customer, customer.accountId, ["end_user"]);

		await onboard(provider, customer);
		const trust = await callJson<Trust>(`/accounts/${customer.accountId}/trusts/${provider.accountId}`, 200, { as: customer });
		expect(trust).toMatchObject({ status: "active", ourRole: "customer", initiatedBy: "us" });
		expect(trust.history.map((h) => h.action)).toEqual(["requested", "accepted"]);
		expect(trust.history[1]?.actor.accountId).toBe(provider.accountId);

		const { team, instance, offering } = await defineEmail(provider);
		const sla = await callJson<Sla>(`/accounts/${provider.accountId}/slas`, 201, {
			as: provider,
			body: { offeringId: offering.id, serviceInstanceId: instance.id, customerAccountId: customer.accountId, startDate: "2026-01-01", teamId: team.id },
		});
		expect(sla).toMatchObject({ status: "being_prepared", name: `Email Gold for Account ${customer.accountId}` });
		const emptyBefore = await callJson<Catalog>(`/accounts/${customer.accountId}/catalog`, 200, { as: alice });
		expect(emptyBefore.entries).toEqual([]);

		const active = await callJson<Sla>(`/accounts/${provider.accountId}/slas/${sla.id}/status`, 200, { as: provider, body: { action: "schedule" } });
		expect(active.status).toBe("active");
		const catalog = await callJson<Catalog>(`/accounts/${customer.accountId}/catalog`, 200, { as: alice });
		expect(catalog.entries.map((e) => [e.service.name, e.offering.name, e.provider.id])).toEqual([["Email", "Email Gold", provider.accountId]]);
		expect(catalog.entries[0]?.offering.targets.medium.resolution).toEqual({ businessDays: 2 });
		expect((await callJson<Catalog>(`/accounts/${stranger.accountId}/catalog`, 200, { as: stranger })).entries).toEqual([]);

		// The customer cannot end the trust while the SLA is active.
		await settle(customer.accountId, provider.accountId);
		const refused = await callError(`/accounts/${customer.accountId}/trusts/${provider.accountId}/deactivate`, 409, "conflict", { as: customer, method: "POST" });
		expect(refused.error.message).toMatch(/still provides 1 active/);

		await callJson<Sla>(`/accounts/${provider.accountId}/slas/${sla.id}/status`, 200, { as: provider, body: { action: "expire" } });
		expect((await callJson<Catalog>(`/accounts/${customer.accountId}/catalog`, 200, { as: alice })).entries).toEqual([]);
		await settle(customer.accountId, provider.accountId);
		const ended = await callJson<Trust>(`/accounts/${customer.accountId}/trusts/${provider.accountId}/deactivate`, 200, { as: customer, method: "POST" });
		expect(ended.status).toBe("deactivated");
		await settle(customer.accountId, provider.accountId);
		const providerSide = await callJson<Trust>(`/accounts/${provider.accountId}/trusts/${customer.accountId}`, 200, { as: provider });
		expect(providerSide.status).toBe("deactivated");
		await callError(`/accounts/${provider.accountId}/trusts/${customer.accountId}/people`, 404, "not_found", { as: provider });
		const res = await call(`/accounts/${provider.accountId}/slas`, { as: provider, body: { offeringId: offering.id, serviceInstanceId: instance.id, customerAccountId: customer.accountId, startDate: "2026-01-01" } });
		expect(res.status).toBe(409);
	});
});

// Isolation across trusts: a provider's catalog, trusts and SLAs reach only the accounts that
// actively trust it, and only their own part; before onboarding and after offboarding nothing does.
// The owner checks the trust on every call, so the provider's RPC is asked directly too.
import { describe, expect, it } from "vitest";
import type { Catalog, ReceivedSla, Sla } from "../../worker/shared/service-api";
import type { Trust } from "../../worker/shared/trust-api";
import { addMember, callError, callJson, signUp, type AccountAdmin, type Member, callItems } from "./helpers";
import { actOnTrust, askTrust, createSla, defineEmail, failDeliveries, onboard, setClock, settle, slaAction, stubOf, today } from "./service-helpers";

const catalogOf = (accountId: string, as: Member | AccountAdmin) => callJson<Catalog>(`/accounts/${accountId}/catalog`, 200, { as });
const receivedOf = (a: AccountAdmin) => callItems<ReceivedSla>(`/accounts/${a.accountId}/received-slas`, { as: a });
const trustsOf = (a: AccountAdmin) => callItems<Trust>(`/accounts/${a.accountId}/trusts`, { as: a });
const peoplePath = (provider: AccountAdmin, customer: string) => `/accounts/${provider.accountId}/trusts/${customer}/people`;

/** Everything an account and its end user can see of other accounts' services. */
async function visibleTo(account: AccountAdmin, endUser: Member) {
	return {
		catalog: (await catalogOf(account.accountId, endUser)).entries.map((e) => e.sla.id),
		adminCatalog: (await catalogOf(account.accountId, account)).entries.map((e) => e.sla.id),
		received: (await receivedOf(account)).map((r) => [r.slaId, r.status]),
		trusts: (await trustsOf(account)).map((t) => [t.account.id, t.status]),
	};
}

describe("a provider and an account without an active trust", () => {
	it("shows nothing before onboarding, the account's own part while active, and nothing live after offboarding", async () => {
		const provider = await signUp();
		const customer = await signUp();
		const outsider = await signUp();
		const alice = await addMember(customer, customer.accountId, ["end_user"], "Alice");
		const ian = await addMember(outsider, outsider.accountId, ["end_user"], "Ian");
		const model = await defineEmail(provider);
		const nothing = { catalog: [], adminCatalog: [], received: [], trusts: [] };

		// Before: no trust, so no SLA can even be written, and the provider's RPC refuses the catalog.
		await callError(`/accounts/${provider.accountId}/slas`, 409, "conflict", {
			as: provider,
			body: { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer.accountId, startDate: today() },
		});
		expect(await visibleTo(customer, alice)).toEqual(nothing);
		expect(await stubOf(provider.accountId).catalogFor(customer.accountId, alice.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
		await callError(peoplePath(provider, customer.accountId), 404, "not_found", { as: provider });
		await callError(`/accounts/${customer.accountId}/trusts/${provider.accountId}`, 404, "not_found", { as: customer });

		// Pending is not active: still nothing, and the provider cannot read the customer's people.
		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		await callError(peoplePath(provider, customer.accountId), 404, "not_found", { as: provider });
		expect(await stubOf(provider.accountId).catalogFor(customer.accountId, alice.id)).toMatchObject({ ok: false });
		await actOnTrust(provider, customer.accountId, "accept");
		await settle(customer.accountId, provider.accountId);

		const sla = await createSla(provider, model, customer.accountId);
		await slaAction(provider, sla.id, "activate");
		await settle(customer.accountId, provider.accountId);
		expect(await visibleTo(customer, alice)).toEqual({
			catalog: [sla.id],
			adminCatalog: [sla.id],
			received: [[sla.id, "active"]],
			trusts: [[provider.accountId, "active"]],
		});
		const people = await callItems<{ id: string }>(peoplePath(provider, customer.accountId), { as: provider });
		expect(people.map((p) => p.id).sort()).toEqual([customer.session.person.id, alice.id].sort());
		// The customer is not the provider's provider: it cannot read the provider's people.
		await callError(peoplePath(customer, provider.accountId), 404, "not_found", { as: customer });

		// The outsider sees nothing of the provider, by HTTP or by asking the provider's object.
		expect(await visibleTo(outsider, ian)).toEqual(nothing);
		expect(await stubOf(provider.accountId).catalogFor(outsider.accountId, ian.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
		await callError(peoplePath(provider, outsider.accountId), 404, "not_found", { as: provider });
		for (const path of ["slas", `slas/${sla.id}`, "service-model", "trusts", "catalog"]) {
			await callError(`/accounts/${provider.accountId}/${path}`, 404, "not_found", { as: outsider });
			await callError(`/accounts/${provider.accountId}/${path}`, 404, "not_found", { as: customer });
		}
		await callError(`/accounts/${outsider.accountId}/trusts/${provider.accountId}`, 404, "not_found", { as: outsider });

		// Offboarding: expire, then deactivate.
		await slaAction(provider, sla.id, "expire");
		await settle(customer.accountId, provider.accountId);
		await actOnTrust(customer, provider.accountId, "deactivate");
		await settle(customer.accountId, provider.accountId);
		expect(await visibleTo(customer, alice)).toEqual({
			catalog: [],
			adminCatalog: [],
			// The customer keeps its own record of the agreement it had, as last reported: expired.
			received: [[sla.id, "expired"]],
			trusts: [[provider.accountId, "deactivated"]],
		});
		expect(await stubOf(provider.accountId).catalogFor(customer.accountId, alice.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
		await callError(peoplePath(provider, customer.accountId), 404, "not_found", { as: provider });
		// Nothing new can reach the customer: no SLA, no restart of the old one.
		const prepared = await callError(`/accounts/${provider.accountId}/slas`, 409, "conflict", {
			as: provider,
			body: { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer.accountId, startDate: today() },
		});
		expect(prepared.error.message).toMatch(/no active trust/);
		await callError(`/accounts/${provider.accountId}/slas/${sla.id}/status`, 409, "invalid_transition", { as: provider, body: { action: "activate" } });
	});

	it("the provider's own side decides: once it has ended the trust, it refuses the customer at once, before the customer has heard", async () => {
		const provider = await signUp();
		const customer = await signUp();
		const alice = await addMember(customer, customer.accountId, ["end_user"]);
		await onboard(provider, customer);
		await failDeliveries(customer.accountId, 1000);
		await actOnTrust(provider, customer.accountId, "deactivate");
		await stubOf(provider.accountId).deliverNow();
		// The customer still believes the trust is active and asks; the provider says no.
		expect((await trustsOf(customer)).map((t) => t.status)).toEqual(["active"]);
		expect(await stubOf(provider.accountId).catalogFor(customer.accountId, alice.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
		expect(await catalogOf(customer.accountId, alice)).toEqual({ entries: [], unavailable: [] });
		await callError(peoplePath(provider, customer.accountId), 404, "not_found", { as: provider });
		await failDeliveries(customer.accountId, 0);
		await setClock(provider.accountId, 10 * 60_000);
		await settle(provider.accountId, customer.accountId);
		await setClock(provider.accountId, 0);
		expect((await trustsOf(customer)).map((t) => t.status)).toEqual(["deactivated"]);
	});
});

describe("two customers of the same provider", () => {
	it("each sees only its own SLAs and catalog entries, never the other's, nor the other's trust", async () => {
		const provider = await signUp();
		const [acme, globex] = await Promise.all([signUp(), signUp()]);
		const alice = await addMember(acme, acme.accountId, ["end_user"], "Alice");
		const grace = await addMember(globex, globex.accountId, ["end_user"], "Grace");
		await onboard(provider, acme);
		await onboard(provider, globex);
		const model = await defineEmail(provider);
		const forAcme = await createSla(provider, model, acme.accountId, { name: "Email for Acme", teamId: model.team.id });
		const forGlobex = await createSla(provider, model, globex.accountId, { name: "Email for Globex", coverage: { type: "people", personIds: [grace.id] } });
		await slaAction(provider, forAcme.id, "activate");
		await slaAction(provider, forGlobex.id, "activate");
		await settle(provider.accountId, acme.accountId, globex.accountId);

		expect(await visibleTo(acme, alice)).toEqual({ catalog: [forAcme.id], adminCatalog: [forAcme.id], received: [[forAcme.id, "active"]], trusts: [[provider.accountId, "active"]] });
		expect((await visibleTo(globex, grace)).catalog).toEqual([forGlobex.id]);
		expect((await visibleTo(globex, grace)).received).toEqual([[forGlobex.id, "active"]]);
		// Globex's administrator is not among the people covered.
		expect((await catalogOf(globex.accountId, globex)).entries).toEqual([]);
		// The provider's object answers each customer with its own SLAs, whoever is named.
		const asked = await stubOf(provider.accountId).catalogFor(acme.accountId, grace.id);
		expect(asked.ok && asked.value.map((e) => e.sla.id)).toEqual([forAcme.id]);
		const askedGlobex = await stubOf(provider.accountId).catalogFor(globex.accountId, alice.id);
		expect(askedGlobex.ok && askedGlobex.value).toEqual([]);

		// No path from one customer into the other, or into the provider's SLA list.
		await callError(`/accounts/${globex.accountId}/catalog`, 404, "not_found", { as: alice });
		await callError(`/accounts/${globex.accountId}/received-slas`, 404, "not_found", { as: acme });
		await callError(`/accounts/${acme.accountId}/trusts/${globex.accountId}`, 404, "not_found", { as: acme });
		await callError(`/accounts/${provider.accountId}/slas/${forGlobex.id}`, 404, "not_found", { as: acme });
		const providerSlas = await callItems<Sla>(`/accounts/${provider.accountId}/slas`, { as: provider });
		expect(providerSlas.map((s) => s.customer.id).sort()).toEqual([acme.accountId, globex.accountId].sort());
		// Nor can one customer's people be covered by the other's SLA.
		await callError(`/accounts/${provider.accountId}/slas/${forAcme.id}`, 400, "invalid_input", { method: "PATCH", as: provider, body: { coverage: { type: "people", personIds: [grace.id] } } });
	});
});

describe("SLA reports from an account that is not (yet) a provider", () => {
	it("are refused while the trust is only pending, and from a stranger", async () => {
		const customer = await signUp();
		const provider = await signUp();
		const stranger = await signUp();
		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		const report = {
			seq: 1,
			kind: "sla",
			payload: { slaId: "sla_forgedforgedforged", name: "Forged", serviceName: "Email", offeringName: "Gold", status: "active", startDate: "2026-01-01", noticeDate: null, expiryDate: null },
		};
		for (const from of [provider.accountId, stranger.accountId]) {
			const receipt = await stubOf(customer.accountId).receiveMessages({ from, messages: [report] });
			expect(receipt.appliedThrough).toBe(0);
			expect(receipt.error).toMatch(/not a provider/);
		}
		expect(await callItems<unknown>(`/accounts/${customer.accountId}/received-slas`, { as: customer })).toEqual([]);
	});
});

// Trusts through the HTTP API: the handshake on both sides, its history, crossing actions, and
// who may act. Messages between the two AccountObjects are delivered with settle().
import { describe, expect, it } from "vitest";
import type { Trust, TrustCapabilities } from "../../worker/shared/trust-api";
import { addMember, call, callError, callJson, createToken, signUp, type AccountAdmin, callItems } from "./helpers";
import { actOnTrust, askTrust, crossing, onboard, settle, trustOf, trustPath } from "./service-helpers";

const NONE: TrustCapabilities = { shareRoles: false, assignTasks: false, supportConfigurationItems: false };
const SHARE: TrustCapabilities = { ...NONE, shareRoles: true };
const ASSIGN: TrustCapabilities = { ...NONE, assignTasks: true };

/** The history as [action, acting account] pairs. */
const historyOf = (t: Trust) => t.history.map((h) => [h.action, h.actor.accountId]);

async function pair(): Promise<{ customer: AccountAdmin; provider: AccountAdmin }> {
	const [customer, provider] = await Promise.all([signUp(), signUp()]);
	return { customer, provider };
}

async function bothSides(customer: AccountAdmin, provider: AccountAdmin): Promise<[Trust, Trust]> {
	return Promise.all([trustOf(customer, provider.accountId), trustOf(provider, customer.accountId)]);
}

/** Both sides agree: status, capabilities and the proposal in flight, with roles mirrored. */
function expectSameState(a: Trust, b: Trust) {
	expect(a.status).toBe(b.status);
	expect(a.capabilities).toEqual(b.capabilities);
	expect(a.proposedCapabilities).toEqual(b.proposedCapabilities);
	expect(a.ourRole).not.toBe(b.ourRole);
	if (a.status === "pending" || a.status === "active") expect(a.initiatedBy).not.toBe(b.initiatedBy);
	if (a.proposedBy === null) expect(b.proposedBy).toBeNull();
	else expect(a.proposedBy).not.toBe(b.proposedBy);
}

describe("the handshake", () => {
	it("customer asks, provider sees it pending and accepts: both active, with who did what, for which account, when", async () => {
		const { customer, provider } = await pair();
		const started = Date.now();
		const asked = await askTrust(customer, provider.accountId, "customer");
		expect(asked).toMatchObject({ status: "pending", ourRole: "customer", initiatedBy: "us", account: { id: provider.accountId, name: `Account ${provider.accountId}` } });
		await settle(customer.accountId, provider.accountId);
		const incoming = await trustOf(provider, customer.accountId);
		expect(incoming).toMatchObject({ status: "pending", ourRole: "provider", initiatedBy: "them", proposedBy: "them", account: { id: customer.accountId } });
		expect((await callItems<Trust>(trustPath(provider.accountId), { as: provider })).map((t) => [t.account.id, t.status])).toEqual([[customer.accountId, "pending"]]);

		await actOnTrust(provider, customer.accountId, "accept");
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["active", "active"]);
		expectSameState(c, p);
		const expected = [
			["requested", customer.accountId],
			["accepted", provider.accountId],
		];
		expect(historyOf(c)).toEqual(expected);
		expect(historyOf(p)).toEqual(expected);
		for (const entry of [...c.history, ...p.history]) {
			expect(entry.actor.name).toBe("Ada Admin");
			expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(started - 1000);
			expect(Date.parse(entry.at)).toBeLessThanOrEqual(Date.now() + 1000);
		}
	});

	it("provider asks to be trusted, customer accepts with the capabilities proposed", async () => {
		const { customer, provider } = await pair();
		await callJson<Trust>(trustPath(provider.accountId), 201, { as: provider, body: { accountId: customer.accountId, ourRole: "provider", capabilities: SHARE } });
		await settle(customer.accountId, provider.accountId);
		expect(await trustOf(customer, provider.accountId)).toMatchObject({ status: "pending", ourRole: "customer", initiatedBy: "them", proposedCapabilities: SHARE });
		await actOnTrust(customer, provider.accountId, "accept");
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect(c).toMatchObject({ status: "active", ourRole: "customer", capabilities: SHARE, proposedCapabilities: null });
		expect(p).toMatchObject({ status: "active", ourRole: "provider", initiatedBy: "us", capabilities: SHARE });
	});

	it("reject: both sides rejected; the customer may ask again afterwards", async () => {
		const { customer, provider } = await pair();
		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		expect((await actOnTrust(provider, customer.accountId, "reject")).status).toBe("rejected");
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["rejected", "rejected"]);
		expect(historyOf(c)).toEqual([
			["requested", customer.accountId],
			["rejected", provider.accountId],
		]);
		expect((await askTrust(customer, provider.accountId, "customer")).status).toBe("pending");
	});

	it("cancel: the asker withdraws; the other side can no longer accept", async () => {
		const { customer, provider } = await pair();
		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		await actOnTrust(customer, provider.accountId, "cancel");
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["cancelled", "cancelled"]);
		expect(historyOf(p).map(([action]) => action)).toEqual(["requested", "cancelled"]);
		await callError(`${trustPath(provider.accountId, customer.accountId)}/accept`, 409, "conflict", { as: provider, method: "POST" });
	});

	it("deactivate: either side ends an active trust; both show it, and a new request starts over", async () => {
		const { customer, provider } = await pair();
		await onboard(provider, customer);
		expect((await actOnTrust(provider, customer.accountId, "deactivate")).status).toBe("deactivated");
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["deactivated", "deactivated"]);
		expect(historyOf(c).at(-1)).toEqual(["deactivated", provider.accountId]);
		// Deactivating again is harmless; capabilities need an active trust.
		expect((await actOnTrust(customer, provider.accountId, "deactivate")).history).toHaveLength(c.history.length);
		await callError(`${trustPath(customer.accountId, provider.accountId)}/capabilities`, 409, "conflict", { as: customer, method: "PUT", body: { capabilities: SHARE } });
		await onboard(provider, customer);
	});

	it("accepting twice is harmless: 200, no second history entry on either side", async () => {
		const { customer, provider } = await pair();
		await onboard(provider, customer);
		const [c, p] = await bothSides(customer, provider);
		const again = await actOnTrust(provider, customer.accountId, "accept");
		expect(again.status).toBe("active");
		expect(again.history).toEqual(p.history);
		await settle(customer.accountId, provider.accountId);
		expect(await bothSides(customer, provider)).toEqual([c, p]);
	});

	it("capabilities change only through propose and accept; a rejected proposal changes nothing", async () => {
		const { customer, provider } = await pair();
		await onboard(provider, customer);
		const proposed = await callJson<Trust>(`${trustPath(customer.accountId, provider.accountId)}/capabilities`, 200, { as: customer, method: "PUT", body: { capabilities: SHARE } });
		expect(proposed).toMatchObject({ capabilities: NONE, proposedCapabilities: SHARE, proposedBy: "us" });
		// A second proposal waits for the answer to the first.
		await callError(`${trustPath(customer.accountId, provider.accountId)}/capabilities`, 409, "conflict", { as: customer, method: "PUT", body: { capabilities: ASSIGN } });
		await settle(customer.accountId, provider.accountId);
		expect(await trustOf(provider, customer.accountId)).toMatchObject({ capabilities: NONE, proposedCapabilities: SHARE, proposedBy: "them" });
		await actOnTrust(provider, customer.accountId, "accept-capabilities");
		await settle(customer.accountId, provider.accountId);
		let [c, p] = await bothSides(customer, provider);
		expect([c.capabilities, p.capabilities]).toEqual([SHARE, SHARE]);
		expectSameState(c, p);

		await callJson<Trust>(`${trustPath(provider.accountId, customer.accountId)}/capabilities`, 200, { as: provider, method: "PUT", body: { capabilities: ASSIGN } });
		await settle(customer.accountId, provider.accountId);
		await actOnTrust(customer, provider.accountId, "reject-capabilities");
		await settle(customer.accountId, provider.accountId);
		[c, p] = await bothSides(customer, provider);
		expect([c.capabilities, p.capabilities]).toEqual([SHARE, SHARE]);
		expect([c.proposedBy, p.proposedBy]).toEqual([null, null]);
		expect(historyOf(c).map(([action]) => action)).toEqual(["requested", "accepted", "proposed capabilities", "accepted capabilities", "proposed capabilities", "rejected capabilities"]);
		// Proposing what is already agreed, or answering no proposal, is a conflict.
		await callError(`${trustPath(provider.accountId, customer.accountId)}/capabilities`, 409, "conflict", { as: provider, method: "PUT", body: { capabilities: SHARE } });
		await callError(`${trustPath(provider.accountId, customer.accountId)}/accept-capabilities`, 409, "conflict", { as: provider, method: "POST" });
	});
});

describe("what cannot be asked", () => {
	it("an account cannot trust itself (400), nor an unknown account (404); nothing is written", async () => {
		const admin = await signUp();
		const self = await callError(trustPath(admin.accountId), 400, "invalid_input", { as: admin, body: { accountId: admin.accountId, ourRole: "customer" } });
		expect(JSON.stringify(self.error.details)).toContain("accountId");
		await callError(trustPath(admin.accountId), 404, "not_found", { as: admin, body: { accountId: "no-such-account-here", ourRole: "customer" } });
		await callError(trustPath(admin.accountId, "no-such-account-here"), 404, "not_found", { as: admin });
		await callError(`${trustPath(admin.accountId, "no-such-account-here")}/accept`, 404, "not_found", { as: admin, method: "POST" });
		expect(await callItems<Trust>(trustPath(admin.accountId), { as: admin })).toEqual([]);
	});

	it.each([
		["an unknown role", { ourRole: "partner" }],
		["an unknown field", { ourRole: "customer", note: "hi" }],
		["an unknown capability", { ourRole: "customer", capabilities: { everything: true } }],
	])("refuses %s with 400", async (_what, body) => {
		const { customer, provider } = await pair();
		await callError(trustPath(customer.accountId), 400, "invalid_input", { as: customer, body: { accountId: provider.accountId, ...body } });
		expect(await callItems<Trust>(trustPath(customer.accountId), { as: customer })).toEqual([]);
	});

	it("an unknown action is 400; asking again while pending or active is harmless or a conflict", async () => {
		const { customer, provider } = await pair();
		await askTrust(customer, provider.accountId, "customer");
		await callError(`${trustPath(customer.accountId, provider.accountId)}/approve`, 400, "invalid_input", { as: customer, method: "POST" });
		await callError(`${trustPath(customer.accountId, provider.accountId)}/accept`, 409, "conflict", { as: customer, method: "POST" });
		await callError(trustPath(customer.accountId), 409, "conflict", { as: customer, body: { accountId: provider.accountId, ourRole: "provider" } });
		expect((await askTrust(customer, provider.accountId, "customer")).history).toHaveLength(1);
		await settle(customer.accountId, provider.accountId);
		await actOnTrust(provider, customer.accountId, "accept");
		await callError(trustPath(provider.accountId), 409, "conflict", { as: provider, body: { accountId: customer.accountId, ourRole: "provider" } });
	});
});

describe("both sides at once", () => {
	it("both ask for the same trust without hearing of each other: both end active, with one history each", async () => {
		const { customer, provider } = await pair();
		await crossing([customer.accountId, provider.accountId], async () => {
			await askTrust(customer, provider.accountId, "customer");
			await askTrust(provider, customer.accountId, "provider");
		});
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["active", "active"]);
		expectSameState(c, p);
		expect(c.ourRole).toBe("customer");
		expect([...c.history, ...p.history].filter((h) => h.action === "accepted")).toHaveLength(2);
	});

	it("both ask at once, truly concurrently: both end in the same state", async () => {
		const { customer, provider } = await pair();
		await Promise.all([askTrust(customer, provider.accountId, "customer"), askTrust(provider, customer.accountId, "provider")]);
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect(c.status).toBe("active");
		expectSameState(c, p);
	});

	it("one side cancels while the other accepts: both end cancelled", async () => {
		const { customer, provider } = await pair();
		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		await crossing([customer.accountId, provider.accountId], () =>
			Promise.all([actOnTrust(customer, provider.accountId, "cancel"), actOnTrust(provider, customer.accountId, "accept")]),
		);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["cancelled", "cancelled"]);
		expect(historyOf(p).map(([action]) => action)).toEqual(["requested", "accepted", "cancelled"]);
	});

	it("one side withdraws while the other rejects: both end cancelled", async () => {
		const { customer, provider } = await pair();
		await askTrust(provider, customer.accountId, "provider");
		await settle(customer.accountId, provider.accountId);
		await crossing([customer.accountId, provider.accountId], () =>
			Promise.all([actOnTrust(provider, customer.accountId, "cancel"), actOnTrust(customer, provider.accountId, "reject")]),
		);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["cancelled", "cancelled"]);
	});

	it("both propose different capabilities at once: the same proposal ends up pending on both sides, and accepting it agrees", async () => {
		const { customer, provider } = await pair();
		await onboard(provider, customer);
		const put = (as: AccountAdmin, other: string, capabilities: TrustCapabilities) =>
			callJson<Trust>(`${trustPath(as.accountId, other)}/capabilities`, 200, { as, method: "PUT", body: { capabilities } });
		await crossing([customer.accountId, provider.accountId], () => Promise.all([put(customer, provider.accountId, SHARE), put(provider, customer.accountId, ASSIGN)]));
		const [c, p] = await bothSides(customer, provider);
		expectSameState(c, p);
		const winner = c.proposedBy === "us" ? customer : provider;
		const loser = winner === customer ? provider : customer;
		// The account with the smaller id keeps its proposal.
		expect(winner.accountId < loser.accountId).toBe(true);
		expect(c.proposedCapabilities).toEqual(winner === customer ? SHARE : ASSIGN);
		await actOnTrust(loser, winner.accountId, "accept-capabilities");
		await settle(customer.accountId, provider.accountId);
		const [c2, p2] = await bothSides(customer, provider);
		expect(c2.capabilities).toEqual(winner === customer ? SHARE : ASSIGN);
		expectSameState(c2, p2);
	});

	it("one side accepts a proposal while the other deactivates the trust: both end deactivated with the same capabilities", async () => {
		const { customer, provider } = await pair();
		await onboard(provider, customer);
		await callJson<Trust>(`${trustPath(provider.accountId, customer.accountId)}/capabilities`, 200, { as: provider, method: "PUT", body: { capabilities: SHARE } });
		await settle(customer.accountId, provider.accountId);
		await crossing([customer.accountId, provider.accountId], () =>
			Promise.all([actOnTrust(customer, provider.accountId, "accept-capabilities"), actOnTrust(provider, customer.accountId, "deactivate")]),
		);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["deactivated", "deactivated"]);
		expectSameState(c, p);
	});
});

describe("who may act", () => {
	it("specialists and tokens read trusts but never act; end users do not even read; only administrators act", async () => {
		const { customer, provider } = await pair();
		const specialist = await addMember(customer, customer.accountId, ["specialist"]);
		const manager = await addMember(customer, customer.accountId, ["specialist", "service_level_manager"]);
		const endUser = await addMember(customer, customer.accountId, ["end_user"]);
		const { secret } = await createToken(customer, customer.accountId);
		const token = { token: secret };
		await askTrust(provider, customer.accountId, "provider");
		await settle(customer.accountId, provider.accountId);

		for (const reader of [specialist, manager, token]) {
			expect((await callItems<Trust>(trustPath(customer.accountId), { as: reader })).map((t) => t.status)).toEqual(["pending"]);
			expect((await callJson<Trust>(trustPath(customer.accountId, provider.accountId), 200, { as: reader })).status).toBe("pending");
		}
		await callError(trustPath(customer.accountId), 403, "forbidden", { as: endUser });
		await callError(trustPath(customer.accountId, provider.accountId), 403, "forbidden", { as: endUser });
		for (const who of [specialist, manager, endUser, token]) {
			await callError(`${trustPath(customer.accountId, provider.accountId)}/accept`, 403, "forbidden", { as: who, method: "POST" });
			await callError(`${trustPath(customer.accountId, provider.accountId)}/reject`, 403, "forbidden", { as: who, method: "POST" });
			await callError(trustPath(customer.accountId), 403, "forbidden", { as: who, body: { accountId: provider.accountId, ourRole: "customer" } });
			await callError(`${trustPath(customer.accountId, provider.accountId)}/capabilities`, 403, "forbidden", { as: who, method: "PUT", body: { capabilities: SHARE } });
		}
		await settle(customer.accountId, provider.accountId);
		const [c, p] = await bothSides(customer, provider);
		expect([c.status, p.status]).toEqual(["pending", "pending"]);
		expect(c.history).toHaveLength(1);
		// Unauthenticated: 401.
		const res = await call(trustPath(customer.accountId));
		expect(res.status).toBe(401);
		await res.body?.cancel();
	});
});

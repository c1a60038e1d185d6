// Requests: registering one from the catalog (routed by the provider's SLA), on behalf of
// someone, bad input, and who reads what (requester, the owner's specialists, the provider's team).
import { describe, expect, it } from "vitest";
import type { InboxPage, RequestSummary } from "../../worker/shared/request-api";
import type { Catalog, ServiceInstance } from "../../worker/shared/service-api";
import { call, callError, callJson, createTeam, signUp } from "./helpers";
import { activeSla, act, inboxOf, makeWorld, register, requestsPath, setTeam, view } from "./request-helpers";
import { createSla, defineEmail, onboard, settle, slaAction } from "./service-helpers";

const mine = (accountId: string, as: { cookie: string }, query = "") => callJson<InboxPage>(`${requestsPath(accountId)}${query}`, 200, { as });

describe("registering a request from the catalog", () => {
	it("goes to the SLA's team, else the instance's first-line team, else its support team", async () => {
		const w = await makeWorld();
		const base = `/accounts/${w.provider.accountId}`;
		const [firstLine, support, slaTeam] = await Promise.all(["First line", "Support", "Named by SLA"].map((name) => createTeam(w.provider, w.provider.accountId, { name })));
		const instance = (body: Record<string, unknown>) =>
			callJson<ServiceInstance>(`${base}/service-instances`, 201, { as: w.provider, body: { serviceId: w.model.service.id, name: `Instance ${Object.keys(body).join("+") || "bare"}`, ...body } });
		const both = await instance({ firstLineTeamId: firstLine?.id, supportTeamId: support?.id });
		const supportOnly = await instance({ supportTeamId: support?.id });
		const bare = await instance({});
		const sla = (inst: ServiceInstance, teamId: string | null = null) => activeSla(w.provider, { ...w.model, instance: inst }, w.customer.accountId, { teamId });

		const cases = [
			[await sla(both, slaTeam?.id), slaTeam],
			[await sla(both), firstLine],
			[await sla(supportOnly), support],
		] as const;
		for (const [agreement, team] of cases) {
			const created = await register(w, agreement, w.alice);
			expect(created.team).toEqual({ accountId: w.provider.accountId, id: team?.id, name: team?.name });
			expect(created).toMatchObject({ status: "assigned", assignmentCount: 1, provider: { id: w.provider.accountId }, owner: { id: w.customer.accountId } });
		}
		const noTeam = await sla(bare);
		await callError(requestsPath(w.customer.accountId), 409, "conflict", { as: w.alice, body: { providerAccountId: w.provider.accountId, slaId: noTeam.id, subject: "Nobody" } });
		// The provider's administrator sees all three in the Inbox, each with its team.
		const inbox = await inboxOf(w.provider.accountId, w.provider);
		expect(inbox.items.map((i) => i.team?.id).sort()).toEqual([slaTeam?.id, firstLine?.id, support?.id].sort());
	});

	it("refuses an SLA that does not cover the person, is not active, or is not that provider's (409), and registers nothing", async () => {
		const w = await makeWorld();
		const other = await signUp();
		await onboard(other, w.customer);
		const otherModel = await defineEmail(other);
		const otherSla = await activeSla(other, otherModel, w.customer.accountId);
		const carolOnly = await activeSla(w.provider, w.model, w.customer.accountId, { coverage: { type: "people", personIds: [w.carol.id] } });
		const prepared = await createSla(w.provider, w.model, w.customer.accountId);
		const expired = await activeSla(w.provider, w.model, w.customer.accountId);
		await slaAction(w.provider, expired.id, "expire");
		await settle(w.provider.accountId, w.customer.accountId);
		const tryRegister = (providerAccountId: string, slaId: string, as = w.alice) => call(requestsPath(w.customer.accountId), { as, body: { providerAccountId, slaId, subject: "Refused" } });

		for (const [provider, slaId] of [
			[w.provider.accountId, carolOnly.id],
			[w.provider.accountId, prepared.id],
			[w.provider.accountId, expired.id],
			[w.provider.accountId, otherSla.id],
			[other.accountId, w.sla.id],
		] as const) {
			const res = await tryRegister(provider, slaId);
			expect(res.status, `${provider} ${slaId}: ${await res.clone().text()}`).toBe(409);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("conflict");
		}
		// An account that is not a provider of this one, this account itself, an unknown account.
		const stranger = await signUp();
		await callError(requestsPath(w.customer.accountId), 409, "conflict", { as: w.alice, body: { providerAccountId: stranger.accountId, slaId: w.sla.id, subject: "X" } });
		await callError(requestsPath(w.customer.accountId), 400, "invalid_input", { as: w.alice, body: { providerAccountId: w.customer.accountId, slaId: w.sla.id, subject: "X" } });
		await callError(requestsPath(w.customer.accountId), 400, "invalid_input", { as: w.alice, body: { providerAccountId: "nobody-here", slaId: w.sla.id, subject: "X" } });

		expect((await mine(w.customer.accountId, w.adam, "?scope=account")).total).toBe(0);
		await settle(w.customer.accountId, w.provider.accountId, other.accountId);
		expect((await inboxOf(w.provider.accountId, w.provider)).total).toBe(0);
		// Carol is covered by it.
		const carols = await register(w, carolOnly, w.carol);
		expect(carols.requestedFor.id).toBe(w.carol.id);
	});

	it("on behalf of someone: only specialists, only for a person of the account, and the SLA must cover that person", async () => {
		const w = await makeWorld();
		const carolOnly = await activeSla(w.provider, w.model, w.customer.accountId, { coverage: { type: "people", personIds: [w.carol.id] } });
		const forAlice = await register(w, w.sla, w.adam, { requestedForId: w.alice.id });
		expect(forAlice).toMatchObject({ requestedBy: { id: w.adam.id, name: "Adam Price" }, requestedFor: { id: w.alice.id, name: "Alice Archer" } });
		expect((await mine(w.customer.accountId, w.alice)).items.map((r) => r.id)).toEqual([forAlice.id]);
		expect((await mine(w.customer.accountId, w.adam)).items.map((r) => r.id)).toEqual([forAlice.id]);
		// Alice is the requester: she sees it and may withdraw it.
		expect((await view(w.customer.accountId, forAlice.id, w.alice)).allowed).toContain("withdraw");

		const body = (requestedForId: string, slaId = w.sla.id) => ({ providerAccountId: w.provider.accountId, slaId, subject: "For someone", requestedForId });
		await callError(requestsPath(w.customer.accountId), 403, "forbidden", { as: w.alice, body: body(w.carol.id) });
		const outsider = await callError(requestsPath(w.customer.accountId), 400, "invalid_input", { as: w.adam, body: body(w.bob.id) });
		expect(JSON.stringify(outsider.error.details)).toContain("requestedForId");
		// Coverage is the person's the request is for, not the specialist's.
		await register(w, carolOnly, w.adam, { requestedForId: w.carol.id, subject: "For someone" });
		await callError(requestsPath(w.customer.accountId), 409, "conflict", { as: w.adam, body: body(w.alice.id, carolOnly.id) });
		// An end user naming herself is simply her own request.
		const own = await register(w, w.sla, w.alice, { requestedForId: w.alice.id });
		expect(own.requestedBy.id).toBe(w.alice.id);
		expect((await mine(w.customer.accountId, w.carol)).items.map((r) => r.subject)).toEqual(["For someone"]);
	});

	it("refuses bad input with 400 and registers nothing", async () => {
		const w = await makeWorld();
		for (const [what, override] of [
			["no subject", { subject: undefined }],
			["an empty subject", { subject: "   " }],
			["a subject over 200 characters", { subject: "x".repeat(201) }],
			["a control character in the subject", { subject: "Bell\u0007" }],
			["an unknown category", { category: "wish" }],
			["an unknown impact", { impact: "extreme" }],
			["a first note over 64 KB", { note: "x".repeat(64 * 1024 + 1) }],
			["a malformed SLA id", { slaId: "sla-1" }],
			["an unknown field", { status: "completed" }],
		] as const) {
			const body: Record<string, unknown> = { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "Valid" };
			Object.assign(body, override);
			const res = await call(requestsPath(w.customer.accountId), { as: w.alice, body });
			expect(res.status, what).toBe(400);
			expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe("invalid_input");
		}
		expect((await mine(w.customer.accountId, w.adam, "?scope=account")).total).toBe(0);
		// Exactly 64 KB of note (in bytes, not characters) is fine.
		const note = `${"é".repeat(32 * 1024 - 1)}ab`;
		const created = await register(w, w.sla, w.alice, { note });
		expect((await view(w.customer.accountId, created.id, w.alice)).notes[0]?.body).toBe(note);
		await callError(requestsPath(w.customer.accountId), 400, "invalid_input", { as: w.alice, body: { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "Big", note: `${note}c` } });
	});

	it("keeps the defaults, category incident and impact low, and numbers requests 1, 2, 3 per account", async () => {
		const w = await makeWorld();
		const first = await callJson<RequestSummary>(requestsPath(w.customer.accountId), 201, { as: w.alice, body: { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "Plain" } });
		expect(first).toMatchObject({ category: "incident", impact: "low", number: 1, member: null, reopenCount: 0, completionReason: null, completedAt: null, nextTargetAt: null });
		const second = await register(w, w.sla, w.alice, { category: "rfi", impact: "top" });
		expect(second).toMatchObject({ category: "rfi", impact: "top", number: 2 });
		expect(second.service).toEqual({ name: w.model.service.name, instance: { id: w.model.instance.id, name: w.model.instance.name } });
	});
});

describe("reading requests", () => {
	it("the requester, the customer's own specialists and the provider's team see it; nobody else of either account", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice, { note: "It says quota." });
		const alice = await view(w.customer.accountId, r.id, w.alice);
		expect(alice.allowed).toEqual(["note", "withdraw"]);
		const adam = await view(w.customer.accountId, r.id, w.adam);
		expect(adam.allowed).toEqual(["note", "internal_note"]);
		const bob = await view(w.provider.accountId, r.id, w.bob);
		expect(bob.allowed).toEqual(["note", "internal_note", "accept", "set_status", "set_impact", "assign"]);
		// One request, the same facts on both sides.
		for (const v of [adam, bob]) expect({ ...v, allowed: [] }).toEqual({ ...alice, allowed: [] });
		expect(alice.notes.map((n) => [n.body, n.visibility, n.author.name])).toEqual([["It says quota.", "shared", "Alice Archer"]]);

		await callError(requestsPath(w.customer.accountId, r.id), 404, "not_found", { as: w.carol });
		await callError(requestsPath(w.provider.accountId, r.id), 404, "not_found", { as: w.sam });
		// Bob is no person of the customer's; Alice none of the provider's.
		await callError(requestsPath(w.customer.accountId, r.id), 404, "not_found", { as: w.bob });
		await callError(requestsPath(w.provider.accountId, r.id), 404, "not_found", { as: w.alice });
		await callError(requestsPath(w.customer.accountId, "req_doesnotexist0000"), 404, "not_found", { as: w.adam });
		await callError(requestsPath(w.customer.accountId, "not-a-request"), 400, "invalid_input", { as: w.adam });
		// Its SLA clocks are seen by exactly those who see the request.
		const clocks = (accountId: string) => `${requestsPath(accountId, r.id)}/slas`;
		for (const [accountId, as] of [[w.customer.accountId, w.alice], [w.customer.accountId, w.adam], [w.provider.accountId, w.bob]] as const) {
			expect((await callJson<{ items: unknown[] }>(clocks(accountId), 200, { as })).items).toHaveLength(1);
		}
		await callError(clocks(w.customer.accountId), 404, "not_found", { as: w.carol });
		await callError(clocks(w.provider.accountId), 404, "not_found", { as: w.sam });
		await callError(clocks(w.customer.accountId), 404, "not_found", { as: w.bob });
		await callError(clocks(w.provider.accountId), 404, "not_found", { as: w.alice });
		await callError(`${requestsPath(w.customer.accountId, "req_doesnotexist0000")}/slas`, 404, "not_found", { as: w.adam });
	});

	it("lists mine for everyone, the whole account for its specialists only, with status filter and pages", async () => {
		const w = await makeWorld();
		const a = await register(w, w.sla, w.alice, { subject: "A" });
		const b = await register(w, w.sla, w.alice, { subject: "B" });
		const c = await register(w, w.sla, w.carol, { subject: "C" });
		await act(w.provider.accountId, a.id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });

		const alices = await mine(w.customer.accountId, w.alice);
		expect(alices.items.map((r) => r.subject)).toEqual(["A", "B"]); // most recently changed first
		expect(alices.total).toBe(2);
		expect((await mine(w.customer.accountId, w.alice, "?status=open")).items.map((r) => r.id)).toEqual([b.id]);
		expect((await mine(w.customer.accountId, w.alice, "?status=completed")).items.map((r) => r.id)).toEqual([a.id]);
		const page1 = await mine(w.customer.accountId, w.adam, "?scope=account&limit=2");
		expect(page1.items.map((r) => r.id)).toEqual([a.id, c.id]);
		const page2 = await mine(w.customer.accountId, w.adam, `?scope=account&limit=2&cursor=${page1.nextCursor ?? ""}`);
		expect(page2).toMatchObject({ nextCursor: null, total: 3 });
		expect(page2.items.map((r) => r.id)).toEqual([b.id]);
		await callError(`${requestsPath(w.customer.accountId)}?cursor=not-a-cursor`, 400, "invalid_input", { as: w.alice });
		await callError(`${requestsPath(w.customer.accountId)}?scope=account`, 403, "forbidden", { as: w.alice });
		await callError(`${requestsPath(w.customer.accountId)}?limit=201`, 400, "invalid_input", { as: w.alice });
		// The provider registered none of them: its own list is empty, its Inbox has them.
		expect((await mine(w.provider.accountId, w.bob, "?scope=account")).total).toBe(0);
		expect((await inboxOf(w.provider.accountId, w.bob)).total).toBe(2);
	});

	it("a specialist of the provider who leaves the team loses the request at once", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		await view(w.provider.accountId, r.id, w.bob);
		await setTeam(w.provider, w.model.team.id, [w.sam.id]);
		await callError(requestsPath(w.provider.accountId, r.id), 404, "not_found", { as: w.bob });
		await callError(`${requestsPath(w.provider.accountId, r.id)}/actions`, 404, "not_found", { as: w.bob, body: { type: "note", body: "Still mine?" } });
		expect((await inboxOf(w.provider.accountId, w.bob)).total).toBe(0);
		expect((await view(w.provider.accountId, r.id, w.sam)).id).toBe(r.id);
	});
});

describe("the catalog the request comes from", () => {
	it("names the provider and SLA the request is registered with", async () => {
		const w = await makeWorld();
		const catalog = await callJson<Catalog>(`/accounts/${w.customer.accountId}/catalog`, 200, { as: w.alice });
		const entry = catalog.entries[0];
		expect(entry).toMatchObject({ provider: { id: w.provider.accountId }, sla: { id: w.sla.id } });
		const created = await register(w, { id: entry?.sla.id ?? "" }, w.alice);
		expect(created.provider?.id).toBe(entry?.provider.id);
	});
});

// Idempotency-Key on the AccountObject's other creates: teams, trusts and their handshake,
// services, SLAs and their status, retrying a parked message. Keys are per caller and per
// account; every route that declares the header checks it; and what a key costs a create.
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TTL_MS } from "../../worker/lib/idempotency";
import type { Service, ServiceInstance, ServiceOffering, Sla } from "../../worker/shared/service-api";
import type { Team } from "../../worker/shared/api";
import type { Trust } from "../../worker/shared/trust-api";
import { call, callError, callJson, createTeam, createToken, signUp, unique } from "./helpers";
import { accountKeys, answer, countIn, expectReplay, HOUR, keyed, newKey } from "./idempotency-helpers";
import { defineEmail, failDeliveries, inObject, OFFICE_HOURS, onboard, parkHead, setClock, settle, TARGETS, trustPath } from "./service-helpers";

const teamsPath = (accountId: string) => `/accounts/${accountId}/teams`;
const countTeams = (accountId: string, name: string) => countIn(accountId, "SELECT count(*) AS n FROM teams WHERE name = ?", name);

describe("teams", () => {
	it("a retried create answers the first answer and makes one team; a different team with the key is 422", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { name: unique("Night Shift"), description: "After-hours cover" };
		const first = await answer<Team>(keyed(teamsPath(admin.accountId), admin, key, body), 201);
		expectReplay(first, await answer<Team>(keyed(teamsPath(admin.accountId), admin, key, body), 201));
		expect(await countTeams(admin.accountId, body.name)).toBe(1);
		const other = { name: unique("Day Shift") };
		await callError(teamsPath(admin.accountId), 422, "idempotency_key_reused", { as: admin, body: other, headers: { "Idempotency-Key": key } });
		expect(await countTeams(admin.accountId, other.name)).toBe(0);
	});

	it("concurrent identical creates with one key make one team and all answer it", async () => {
		const admin = await signUp();
		const key = newKey();
		const body = { name: unique("Service Desk") };
		const answers = await Promise.all(Array.from({ length: 4 }, () => answer<Team>(keyed(teamsPath(admin.accountId), admin, key, body), 201)));
		expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
		expect(await countTeams(admin.accountId, body.name)).toBe(1);
	});

	it("keys are per account: the same person with the same key in another account of theirs creates there", async () => {
		const admin = await signUp();
		const second = unique("acct");
		await callJson(`/accounts`, 201, { as: admin, body: { accountId: second, accountName: "Second" } });
		const key = newKey();
		const body = { name: unique("Shared Name") };
		const here = await answer<Team>(keyed(teamsPath(admin.accountId), admin, key, body), 201);
		const there = await answer<Team>(keyed(teamsPath(second), admin, key, body), 201);
		expect(there.replayed).toBe(false);
		expect(there.body.id).not.toBe(here.body.id);
		expect(await countTeams(second, body.name)).toBe(1);
	});
});

describe("trusts", () => {
	it("a retried ask and a retried accept answer their first answers; the handshake happens once", async () => {
		const [provider, customer] = await Promise.all([signUp(), signUp()]);
		const askKey = newKey();
		const ask = { accountId: provider.accountId, ourRole: "customer" };
		const asked = await answer<Trust>(keyed(trustPath(customer.accountId), customer, askKey, ask), 201);
		expectReplay(asked, await answer<Trust>(keyed(trustPath(customer.accountId), customer, askKey, ask), 201));
		await settle(customer.accountId, provider.accountId);
		const acceptKey = newKey();
		const accepted = await answer<Trust>(keyed(`${trustPath(provider.accountId, customer.accountId)}/accept`, provider, acceptKey), 200);
		expectReplay(accepted, await answer<Trust>(keyed(`${trustPath(provider.accountId, customer.accountId)}/accept`, provider, acceptKey), 200));
		await settle(customer.accountId, provider.accountId);
		const mine = await callJson<Trust>(trustPath(customer.accountId, provider.accountId), 200, { as: customer });
		expect(mine.status).toBe("active");
		// One request, one acceptance, on both sides (and one message each way, applied once).
		expect(mine.history.map((h) => h.action)).toEqual(["requested", "accepted"]);
		expect(accepted.body.history.map((h) => h.action)).toEqual(["requested", "accepted"]);
		// The same key on another action of the handshake is a different request.
		await callError(`${trustPath(provider.accountId, customer.accountId)}/deactivate`, 422, "idempotency_key_reused", {
			as: provider,
			method: "POST",
			headers: { "Idempotency-Key": acceptKey },
		});
	});
});

describe("services and SLAs", () => {
	it("retried creates of a service, an instance and an offering each make one", async () => {
		const admin = await signUp();
		const base = `/accounts/${admin.accountId}`;
		const team = await createTeam(admin, admin.accountId);
		const serviceBody = { name: unique("Email"), description: "Mailboxes" };
		const k1 = newKey();
		const service = await answer<Service>(keyed(`${base}/services`, admin, k1, serviceBody), 201);
		expectReplay(service, await answer<Service>(keyed(`${base}/services`, admin, k1, serviceBody), 201));
		const instanceBody = { serviceId: service.body.id, name: "Email Production", firstLineTeamId: team.id };
		const k2 = newKey();
		const instance = await answer<ServiceInstance>(keyed(`${base}/service-instances`, admin, k2, instanceBody), 201);
		expectReplay(instance, await answer<ServiceInstance>(keyed(`${base}/service-instances`, admin, k2, instanceBody), 201));
		const offeringBody = { serviceId: service.body.id, name: "Email Gold", targets: TARGETS, supportHours: OFFICE_HOURS };
		const k3 = newKey();
		const offering = await answer<ServiceOffering>(keyed(`${base}/service-offerings`, admin, k3, offeringBody), 201);
		expectReplay(offering, await answer<ServiceOffering>(keyed(`${base}/service-offerings`, admin, k3, offeringBody), 201));
		expect(await countIn(admin.accountId, "SELECT count(*) AS n FROM services")).toBe(1);
		expect(await countIn(admin.accountId, "SELECT count(*) AS n FROM service_instances")).toBe(1);
		expect(await countIn(admin.accountId, "SELECT count(*) AS n FROM service_offerings")).toBe(1);
	});

	it("keys are per caller: the administrator's key is not the API token's", async () => {
		const admin = await signUp();
		const token = { token: (await createToken(admin, admin.accountId)).secret };
		const service = await callJson<Service>(`/accounts/${admin.accountId}/services`, 201, { as: admin, body: { name: "Email", description: "" } });
		const key = newKey();
		const body = { serviceId: service.id, name: "Email Production" };
		const byAdmin = await answer<ServiceInstance>(keyed(`/accounts/${admin.accountId}/service-instances`, admin, key, body), 201);
		const byToken = await answer<ServiceInstance>(keyed(`/accounts/${admin.accountId}/service-instances`, token, key, body), 201);
		expect(byToken.replayed).toBe(false);
		expect(byToken.body.id).not.toBe(byAdmin.body.id);
		expect(await countIn(admin.accountId, "SELECT count(*) AS n FROM service_instances")).toBe(2);
	});

	it("a retried SLA create makes one SLA, and a retried activation answers its first answer instead of 409", async () => {
		const [provider, customer] = await Promise.all([signUp(), signUp()]);
		await onboard(provider, customer);
		const model = await defineEmail(provider);
		const body = { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer.accountId, startDate: "2026-01-01", name: unique("SLA") };
		const key = newKey();
		const created = await answer<Sla>(keyed(`/accounts/${provider.accountId}/slas`, provider, key, body), 201);
		expectReplay(created, await answer<Sla>(keyed(`/accounts/${provider.accountId}/slas`, provider, key, body), 201));
		expect(await countIn(provider.accountId, "SELECT count(*) AS n FROM slas")).toBe(1);
		const statusPath = `/accounts/${provider.accountId}/slas/${created.body.id}/status`;
		const activateKey = newKey();
		const active = await answer<Sla>(keyed(statusPath, provider, activateKey, { action: "activate" }), 200);
		expectReplay(active, await answer<Sla>(keyed(statusPath, provider, activateKey, { action: "activate" }), 200));
		await callError(statusPath, 409, "invalid_transition", { as: provider, body: { action: "activate" } });
		await settle(provider.accountId, customer.accountId);
		expect(await countIn(customer.accountId, "SELECT count(*) AS n FROM received_slas")).toBe(1);
	});
});

describe("retrying a parked message", () => {
	it("a retried retry answers its first answer (without a key: 404, nothing parked any more)", async () => {
		const [provider, customer] = await Promise.all([signUp(), signUp()]);
		await failDeliveries(provider.accountId, 1000);
		await callJson(trustPath(customer.accountId), 201, { as: customer, body: { accountId: provider.accountId, ourRole: "customer" } });
		const parked = await parkHead(customer.accountId, provider.accountId);
		const path = `/accounts/${customer.accountId}/messages/${parked.id.replace("#", "/")}/retry`;
		const key = newKey();
		const first = await answer<{ id: string }>(keyed(path, customer, key), 200);
		expectReplay(first, await answer<{ id: string }>(keyed(path, customer, key), 200));
		await settle(customer.accountId, provider.accountId);
		await callError(path, 404, "not_found", { as: customer, method: "POST" });
	});
});

describe("every route that declares the Idempotency-Key", () => {
	it("refuses a malformed key with 400 naming the header, before anything else", async () => {
		const admin = await signUp();
		const doc = await callJson<{ paths: Record<string, Record<string, { parameters?: { $ref?: string }[] }>> }>("/openapi.json", 200);
		const declared = Object.entries(doc.paths).flatMap(([path, ops]) =>
			Object.entries(ops)
				.filter(([, op]) => op.parameters?.some((p) => p.$ref === "#/components/parameters/IdempotencyKey"))
				.map(([method]) => `${method.toUpperCase()} ${path}`),
		);
		expect(declared.length).toBeGreaterThanOrEqual(14);
		for (const op of declared) {
			const [method = "POST", template = ""] = op.split(" ");
			const path = template.replace("{accountId}", admin.accountId).replace(/\{[^}]+\}/g, (p) => (p === "{seq}" ? "1" : p === "{action}" ? "accept" : "x"));
			const res = await call(`http://trustdesk.test${path}`, { method, as: admin, body: {}, headers: { "Idempotency-Key": "not a key" } });
			const text = await res.text();
			expect(res.status, `${op}: ${text}`).toBe(400);
			expect(text, op).toContain('"path":"Idempotency-Key"');
		}
	});
});

describe("what a key costs", () => {
	/** Statements and rows a team create runs in the AccountObject, counted at the SQL API. */
	const measure = (accountId: string, key: string | undefined) =>
		inObject(accountId, async (instance, state) => {
			const sql = state.storage.sql;
			const exec = sql.exec;
			const cursors: { rowsRead: number; rowsWritten: number }[] = [];
			sql.exec = function (this: SqlStorage, query, ...bindings) {
				const cursor = exec.call(this, query, ...bindings);
				cursors.push(cursor);
				return cursor;
			} as typeof sql.exec;
			try {
				const idem = key === undefined ? undefined : { key, fingerprint: "f", principal: "person:p" };
				const result = await instance.createTeam({ name: unique("Team"), description: "", coordinatorId: null, memberIds: [] }, idem);
				expect(result.ok).toBe(true);
			} finally {
				Reflect.deleteProperty(sql, "exec");
			}
			return { statements: cursors.length, rowsWritten: cursors.reduce((n, c) => n + c.rowsWritten, 0) };
		});

	it("without a key, nothing; with one, a lookup, the record and a prune probe in the create's transaction", async () => {
		const admin = await signUp();
		await measure(admin.accountId, undefined); // warm: the first call reads the profile
		const without = await measure(admin.accountId, undefined);
		const withKey = await measure(admin.accountId, newKey());
		expect(without.statements).toBeGreaterThan(0);
		expect(withKey.statements - without.statements).toBe(3);
		// The record: one row and its two index entries (the key, the expiry).
		expect(withKey.rowsWritten - without.rowsWritten).toBeLessThanOrEqual(3);
		expect((await accountKeys(admin.accountId)).length).toBe(1);
		await setClock(admin.accountId, IDEMPOTENCY_TTL_MS + HOUR);
		await measure(admin.accountId, newKey());
		expect((await accountKeys(admin.accountId)).length).toBe(1);
		await setClock(admin.accountId, 0);
	});
});

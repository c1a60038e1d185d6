// Live trusts, SLAs and catalogs: each account's object tells its own sockets when its side of a
// trust, an SLA it provides or receives, or its catalog changed (an invalidation: topic and id,
// no data), numbered with the request events and replayed on resume. Who hears what follows the
// permission that reads it: trusts:read, slas:read, catalog:read; other accounts hear nothing.
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { mayReceive, type Viewer } from "../../worker/account/realtime";
import type { InvalidateFrame } from "../../worker/shared/live-topics";
import type { ServerFrame } from "../../worker/shared/request-api";
import { addMember, signUp, type AccountAdmin, type Member, callItems } from "./helpers";
import { openSocket, quiet, type Socket, until } from "./request-helpers";
import { actOnTrust, askTrust, createSla, daysFromToday, defineEmail, inObject, setClock, settle, slaAction, stubOf } from "./service-helpers";

const used: string[] = [];
afterEach(async () => {
	for (const id of used.splice(0)) {
		await setClock(id, 0);
		await inObject(id, (_instance, state) => state.storage.deleteAlarm());
	}
});

interface Pair {
	provider: AccountAdmin;
	customer: AccountAdmin;
	/** Provider's specialist (trusts:read, slas:read, catalog:read). */
	bob: Member;
	/** Provider's end user (catalog:read only). */
	pete: Member;
	/** Customer's end user. */
	alice: Member;
}

async function pair(): Promise<Pair> {
	const [provider, customer] = await Promise.all([signUp(), signUp()]);
	used.push(provider.accountId, customer.accountId);
	const [bob, pete, alice] = await Promise.all([
		addMember(provider, provider.accountId, ["specialist"], "Bob Baker"),
		addMember(provider, provider.accountId, ["end_user"], "Pete End"),
		addMember(customer, customer.accountId, ["end_user"], "Alice Archer"),
	]);
	return { provider, customer, bob, pete, alice };
}

const invalidations = (s: Socket) => s.frames.filter((f): f is InvalidateFrame => f.type === "invalidate");
const seen = (s: Socket) => invalidations(s).map((f) => `${f.topic}:${f.id ?? "-"}`);
const has = (topic: string, id: string | null) => (f: ServerFrame) => f.type === "invalidate" && f.topic === topic && f.id === id;

async function sockets(p: Pair, stranger?: AccountAdmin) {
	return {
		providerAdmin: await openSocket(p.provider.accountId, p.provider),
		bob: await openSocket(p.provider.accountId, p.bob),
		pete: await openSocket(p.provider.accountId, p.pete),
		customerAdmin: await openSocket(p.customer.accountId, p.customer),
		alice: await openSocket(p.customer.accountId, p.alice),
		...(stranger ? { stranger: await openSocket(stranger.accountId, stranger) } : {}),
	};
}

async function closeAll(s: Record<string, Socket>): Promise<void> {
	for (const socket of Object.values(s)) await socket.close();
}

describe("trusts, live on both sides", () => {
	it("asked, accepted and ended: both sides' trusts:read sockets hear it; the customer's people hear that their catalog changed", async () => {
		const p = await pair();
		const stranger = await signUp();
		const s = await sockets(p, stranger);

		await askTrust(p.customer, p.provider.accountId, "customer");
		await settle(p.customer.accountId, p.provider.accountId);
		// The asking side at once; the asked side when the message arrives.
		await s.customerAdmin.next(has("trusts", p.provider.accountId), "customer admin: asked");
		await s.providerAdmin.next(has("trusts", p.customer.accountId), "provider admin: the request arrived");
		await s.bob.next(has("trusts", p.customer.accountId), "provider specialist: the request arrived");
		await quiet();
		// A pending trust changes nobody's catalog.
		expect(seen(s.alice)).toEqual([]);

		await actOnTrust(p.provider, p.customer.accountId, "accept");
		await settle(p.customer.accountId, p.provider.accountId);
		await s.customerAdmin.next(has("catalog", null), "customer admin: catalog");
		await s.alice.next(has("catalog", null), "Alice: her catalog changed");
		await quiet();
		expect(seen(s.providerAdmin)).toEqual([`trusts:${p.customer.accountId}`, `trusts:${p.customer.accountId}`]);
		expect(seen(s.customerAdmin)).toEqual([`trusts:${p.provider.accountId}`, `trusts:${p.provider.accountId}`, "catalog:-"]);
		expect(seen(s.bob)).toEqual(seen(s.providerAdmin));
		// An end user learns only that their catalog changed: no trust, no account id, nothing else.
		expect(s.alice.frames.filter((f) => f.type !== "hello")).toEqual([{ type: "invalidate", seq: expect.any(Number), topic: "catalog", id: null }]);
		expect(invalidations(s.pete)).toEqual([]);
		expect(s.stranger?.frames.filter((f) => f.type !== "hello")).toEqual([]);

		await actOnTrust(p.customer, p.provider.accountId, "deactivate");
		await settle(p.customer.accountId, p.provider.accountId);
		await s.providerAdmin.next((f) => f.type === "invalidate" && invalidations(s.providerAdmin).length === 3, "provider admin: ended");
		await s.alice.next(() => invalidations(s.alice).length === 2, "Alice: catalog again");
		await quiet();
		expect(seen(s.alice)).toEqual(["catalog:-", "catalog:-"]);
		expect(invalidations(s.pete)).toEqual([]);
		await closeAll(s);
	});

	it("are numbered with the request events and replayed on resume, each only to those who may hear it", async () => {
		const p = await pair();
		const admin = await openSocket(p.provider.accountId, p.provider);
		const pete = await openSocket(p.provider.accountId, p.pete);
		const from = (admin.frames[0] as Extract<ServerFrame, { type: "hello" }>).seq;
		await admin.close();
		await pete.close();
		await askTrust(p.customer, p.provider.accountId, "customer");
		await settle(p.customer.accountId, p.provider.accountId);
		await actOnTrust(p.provider, p.customer.accountId, "reject");
		await settle(p.customer.accountId, p.provider.accountId);

		const back = await openSocket(p.provider.accountId, p.provider);
		back.send(JSON.stringify({ type: "resume", lastSeq: from }));
		await until(() => invalidations(back).length === 2, "the two missed invalidations");
		expect(invalidations(back).map((f) => f.seq)).toEqual([from + 1, from + 2]);
		expect(seen(back)).toEqual([`trusts:${p.customer.accountId}`, `trusts:${p.customer.accountId}`]);
		const peteBack = await openSocket(p.provider.accountId, p.pete);
		peteBack.send(JSON.stringify({ type: "resume", lastSeq: from }));
		peteBack.send('{ "type": "ping" }'); // answered after the replay
		await peteBack.next((f) => f.type === "pong", "Pete's replay done");
		expect(invalidations(peteBack)).toEqual([]);
		await back.close();
		await peteBack.close();
	});
});

describe("SLAs, live for the provider and the customer", () => {
	it("created, activated and expired by hand: the provider's slas:read sockets, the customer's received SLAs, and the customer's catalog", async () => {
		const p = await pair();
		await askTrust(p.customer, p.provider.accountId, "customer");
		await settle(p.customer.accountId, p.provider.accountId);
		await actOnTrust(p.provider, p.customer.accountId, "accept");
		await settle(p.customer.accountId, p.provider.accountId);
		const model = await defineEmail(p.provider);
		const s = await sockets(p);

		const sla = await createSla(p.provider, model, p.customer.accountId);
		await s.bob.next(has("slas", sla.id), "Bob: created");
		await settle(p.provider.accountId, p.customer.accountId);
		await quiet();
		// Being prepared: not the customer's business yet.
		expect(seen(s.customerAdmin)).toEqual([]);

		await slaAction(p.provider, sla.id, "activate");
		await settle(p.provider.accountId, p.customer.accountId);
		await s.customerAdmin.next(has("received_slas", sla.id), "customer admin: received SLA");
		await s.alice.next(has("catalog", null), "Alice: catalog");
		await slaAction(p.provider, sla.id, "expire");
		await settle(p.provider.accountId, p.customer.accountId);
		await s.alice.next(() => invalidations(s.alice).length === 2, "Alice: catalog after the expiry");
		await quiet();
		expect(seen(s.providerAdmin)).toEqual([`slas:${sla.id}`, `slas:${sla.id}`, `slas:${sla.id}`]);
		expect(seen(s.bob)).toEqual(seen(s.providerAdmin));
		expect(seen(s.customerAdmin)).toEqual([`received_slas:${sla.id}`, "catalog:-", `received_slas:${sla.id}`, "catalog:-"]);
		expect(seen(s.alice)).toEqual(["catalog:-", "catalog:-"]);
		expect(JSON.stringify(s.alice.frames)).not.toContain(sla.id);
		expect(invalidations(s.pete)).toEqual([]);
		await closeAll(s);
	});

	it("started by the alarm on its start date: pushed to the sockets that were open all along", async () => {
		const p = await pair();
		await askTrust(p.customer, p.provider.accountId, "customer");
		await settle(p.customer.accountId, p.provider.accountId);
		await actOnTrust(p.provider, p.customer.accountId, "accept");
		await settle(p.customer.accountId, p.provider.accountId);
		const model = await defineEmail(p.provider);
		const start = daysFromToday(2);
		const sla = await createSla(p.provider, model, p.customer.accountId, { startDate: start });
		await slaAction(p.provider, sla.id, "schedule");
		await settle(p.provider.accountId, p.customer.accountId);
		const s = await sockets(p);

		await setClock(p.provider.accountId, Date.parse(`${start}T00:01:00Z`) - Date.now());
		expect(await runDurableObjectAlarm(stubOf(p.provider.accountId))).toBe(true);
		await s.bob.next(has("slas", sla.id), "Bob: activated by the alarm");
		await settle(p.provider.accountId, p.customer.accountId);
		await s.alice.next(has("catalog", null), "Alice: her catalog has it");
		await s.customerAdmin.next(has("received_slas", sla.id), "customer admin: received SLA active");
		const received = await callItems<{ slaId: string; status: string }>(`/accounts/${p.customer.accountId}/received-slas`, { as: p.customer });
		expect(received.map((r) => [r.slaId, r.status])).toEqual([[sla.id, "active"]]);
		await closeAll(s);
	});
});

describe("the rule", () => {
	const viewer = (topics?: Viewer["topics"]): Viewer => ({ personId: "p", name: "P", staff: false, overseer: false, teamIds: [], ...(topics ? { topics } : {}) });
	it("an invalidation reaches a viewer who may read its topic, and nobody on a ticket without topics", () => {
		expect(mayReceive("acme", viewer(["catalog"]), { topic: "catalog" })).toBe(true);
		expect(mayReceive("acme", viewer(["catalog"]), { topic: "trusts" })).toBe(false);
		expect(mayReceive("acme", { ...viewer(), staff: true, overseer: true }, { topic: "slas" })).toBe(false);
	});
});

// API tokens reading requests: requests:read lists and reads the account's requests (and those its
// teams work on) like its overseers do, never acting on them, and never with internal notes unless
// the token also has notes:internal:read. A token never sees more than its scopes allow.
import { beforeAll, describe, expect, it } from "vitest";
import type { InboxPage, Request as RequestView } from "../../worker/shared/request-api";
import type { AffectedSla } from "../../worker/shared/sla-api";
import type { Scope } from "../../worker/shared/roles";
import { callError, callJson, type Caller, createToken, unique } from "./helpers";
import { act, makeWorld, register, requestsPath, type World } from "./request-helpers";
import { settle } from "./service-helpers";

let w: World;
let requestId: string;
/** Another request of the customer, from Carol: a token sees it as well (it is the account's). */
let carolsId: string;
const customerInternal = "Customer-side internal: VIP, handle with care";
const providerInternal = "Provider-side internal: root cause is our relay";

async function tokenOf(accountId: string, admin: Caller, scopes: Scope[]): Promise<Caller> {
	return { token: (await createToken(admin, accountId, scopes, unique("Reader"))).secret };
}

beforeAll(async () => {
	w = await makeWorld();
	const request = await register(w, w.sla, w.alice, { subject: "Mailbox full", note: "Please help" });
	requestId = request.id;
	carolsId = (await register(w, w.sla, w.carol, { subject: "Carol's mailbox" })).id;
	await act(w.customer.accountId, requestId, w.adam, { type: "note", body: customerInternal, internal: true });
	await act(w.provider.accountId, requestId, w.bob, { type: "note", body: providerInternal, internal: true });
	await act(w.provider.accountId, requestId, w.bob, { type: "note", body: "We are on it" });
	await settle(w.customer.accountId, w.provider.accountId);
}, 60_000);

const bodies = (r: RequestView) => r.notes.map((n) => n.body);

describe("a token with requests:read", () => {
	it("lists every request of the account (it is no person: always as scope=account), with the filters", async () => {
		const reader = await tokenOf(w.customer.accountId, w.customer, ["requests:read"]);
		const page = await callJson<InboxPage>(`${requestsPath(w.customer.accountId)}?scope=mine`, 200, { as: reader });
		expect(page.items.map((i) => i.id).sort()).toEqual([requestId, carolsId].sort());
		const filtered = await callJson<InboxPage>(`${requestsPath(w.customer.accountId)}?text=Carol`, 200, { as: reader });
		expect(filtered.items.map((i) => i.id)).toEqual([carolsId]);
		// "assigned to me" is nobody for a token.
		expect((await callJson<InboxPage>(`${requestsPath(w.customer.accountId)}?assignee=me`, 200, { as: reader })).total).toBe(0);
	});

	it("reads a request with its shared notes only, and may do nothing to it", async () => {
		const reader = await tokenOf(w.customer.accountId, w.customer, ["requests:read"]);
		const seen = await callJson<RequestView>(requestsPath(w.customer.accountId, requestId), 200, { as: reader });
		expect(bodies(seen)).toEqual(["Please help", "We are on it"]);
		expect(seen.notes.every((n) => n.visibility === "shared")).toBe(true);
		expect(seen.allowed).toEqual([]);
		expect(JSON.stringify(seen)).not.toContain("internal:");
		await callError(`${requestsPath(w.customer.accountId, requestId)}/actions`, 403, "forbidden", { as: reader, body: { type: "note", body: "From a token" } });
		await callError(requestsPath(w.customer.accountId), 403, "forbidden", { as: reader, body: { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "By token" } });
	});

	it("with notes:internal:read also reads this account's internal notes (never another account's)", async () => {
		const reader = await tokenOf(w.customer.accountId, w.customer, ["requests:read", "notes:internal:read"]);
		const seen = await callJson<RequestView>(requestsPath(w.customer.accountId, requestId), 200, { as: reader });
		expect(bodies(seen)).toEqual(["Please help", customerInternal, "We are on it"]);
		expect(bodies(seen)).not.toContain(providerInternal);
	});

	it("of the provider reads a customer's request its teams work on, with the provider's internal notes only with notes:internal:read", async () => {
		const reader = await tokenOf(w.provider.accountId, w.provider, ["requests:read"]);
		const plain = await callJson<RequestView>(requestsPath(w.provider.accountId, requestId), 200, { as: reader });
		expect(bodies(plain)).toEqual(["Please help", "We are on it"]);
		const full = await callJson<RequestView>(requestsPath(w.provider.accountId, requestId), 200, {
			as: await tokenOf(w.provider.accountId, w.provider, ["requests:read", "notes:internal:read"]),
		});
		expect(bodies(full)).toEqual(["Please help", providerInternal, "We are on it"]);
		expect(full.allowed).toEqual([]);
	});

	it("reads the request's SLA clocks", async () => {
		const reader = await tokenOf(w.provider.accountId, w.provider, ["requests:read"]);
		const clocks = await callJson<{ items: AffectedSla[] }>(`${requestsPath(w.provider.accountId, requestId)}/slas`, 200, { as: reader });
		expect(clocks.items.length).toBe(1);
	});
});

describe("a token without requests:read", () => {
	it("gets 403 on the request list, a request and its clocks, whatever else it may do", async () => {
		const others = await tokenOf(w.customer.accountId, w.customer, ["account:read", "catalog:read", "events:write", "notes:internal:read"]);
		for (const path of [requestsPath(w.customer.accountId), requestsPath(w.customer.accountId, requestId), `${requestsPath(w.customer.accountId, requestId)}/slas`]) {
			const refused = await callError(path, 403, "forbidden", { as: others });
			expect(refused.error.message).toContain("requests:read");
		}
	});

	it("an events:write token reads no request, and an event's answer holds no notes", async () => {
		const monitor = await tokenOf(w.customer.accountId, w.customer, ["events:write"]);
		const answer = await callJson<Record<string, unknown>>(`/accounts/${w.customer.accountId}/events`, 201, {
			as: monitor,
			body: { source: "probe", sourceId: unique("p"), service: "Email", subject: "Probe" },
		});
		expect(JSON.stringify(answer)).not.toContain("notes");
		await callError(requestsPath(w.customer.accountId, requestId), 403, "forbidden", { as: monitor });
	});
});

describe("a token of another account", () => {
	it("reads none of this account's requests (404), whatever its scopes", async () => {
		const stranger = await tokenOf(w.provider.accountId, w.provider, ["requests:read", "notes:internal:read"]);
		await callError(requestsPath(w.customer.accountId), 404, "not_found", { as: stranger });
		await callError(requestsPath(w.customer.accountId, requestId), 404, "not_found", { as: stranger });
		// Through its own account: only what its teams work on, and nothing else.
		expect((await callJson<RequestView>(requestsPath(w.provider.accountId, requestId), 200, { as: stranger })).id).toBe(requestId);
		expect((await callJson<InboxPage>(requestsPath(w.provider.accountId), 200, { as: stranger })).total).toBe(0);
		await callError(requestsPath(w.provider.accountId, "req_0000000000000000"), 404, "not_found", { as: stranger });
	});
});

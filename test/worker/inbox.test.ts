// The specialist's Inbox: "mine" and "teams" across two customers of one provider, sorted by
// next target (the provider's SLA clocks') then age, filtered by status, team, customer and
// member, paginated, and refreshed only by the owners' messages.
import { beforeAll, describe, expect, it } from "vitest";
import type { InboxPage, RequestSummary } from "../../worker/shared/request-api";
import type { AffectedSlaList } from "../../worker/shared/sla-api";
import { type AccountAdmin, addMember, call, callError, callJson, createTeam, type Member, signUp } from "./helpers";
import { act, activeSla, inboxOf, makeWorld, register, requestsPath, setTeam, summaryPart, view, type World } from "./request-helpers";
import { failDeliveries, inObject, onboard, setClock, settle } from "./service-helpers";

let w: World;
let globex: AccountAdmin;
let grace: Member;
let emma: Member;
let desk: { id: string; name: string };
/** r1 acme→Email, r2 globex→Desk, r3 acme→Desk, r4 globex→Desk, r5 acme→Email; in that order. */
let r: RequestSummary[] = [];

const ids = (page: { items: RequestSummary[] }) => page.items.map((i) => `r${r.findIndex((x) => x.id === i.id) + 1}`);

beforeAll(async () => {
	w = await makeWorld();
	globex = await signUp();
	grace = await addMember(globex, globex.accountId, ["end_user"], "Grace Gill");
	emma = await addMember(w.provider, w.provider.accountId, ["specialist"], "Emma Evans");
	await onboard(w.provider, globex);
	desk = await createTeam(w.provider, w.provider.accountId, { name: "Service Desk", memberIds: [w.sam.id, emma.id] });
	await setTeam(w.provider, w.model.team.id, [w.bob.id, emma.id]);
	const globexSla = await activeSla(w.provider, w.model, globex.accountId, { teamId: desk.id });
	const acmeDesk = await activeSla(w.provider, w.model, w.customer.accountId, { teamId: desk.id });
	const g = { provider: w.provider, customer: globex };
	r = [
		await register(w, w.sla, w.alice, { subject: "r1" }),
		await register(g, globexSla, grace, { subject: "r2" }),
		await register(w, acmeDesk, w.alice, { subject: "r3" }),
		await register(g, globexSla, grace, { subject: "r4" }),
		await register(w, w.sla, w.alice, { subject: "r5" }),
	];
	await act(w.provider.accountId, r[1]?.id ?? "", emma, { type: "accept" });
	await act(w.provider.accountId, r[3]?.id ?? "", emma, { type: "accept" });
	await act(w.provider.accountId, r[2]?.id ?? "", w.sam, { type: "set_status", status: "completed", completionReason: "solved" });
	await settle(w.customer.accountId, globex.accountId, w.provider.accountId);
}, 30_000);

describe("views", () => {
	it("teams: what is assigned to the person's teams, from every customer, by next target then age", async () => {
		expect(ids(await inboxOf(w.provider.accountId, w.bob))).toEqual(["r1", "r5"]);
		expect(ids(await inboxOf(w.provider.accountId, w.sam, "view=teams"))).toEqual(["r2", "r4"]);
		// r1 and r5 wait for a response (4 business hours from registration), r2 and r4 were accepted
		// and run to their resolution (2 business days): the response targets come first.
		expect(ids(await inboxOf(w.provider.accountId, emma))).toEqual(["r1", "r5", "r2", "r4"]);
		// The administrator oversees every team.
		expect(ids(await inboxOf(w.provider.accountId, w.provider))).toEqual(["r1", "r5", "r2", "r4"]);
		const page = await inboxOf(w.provider.accountId, emma);
		expect(page.items.map((i) => i.owner.id)).toEqual([w.customer.accountId, w.customer.accountId, globex.accountId, globex.accountId]);
		// Each row's next target is the earliest of the provider's clocks of the request (one per SLA
		// covering the requester: acme has two, globex one), of the kind its status says.
		for (const item of page.items) {
			const { items: clocks } = await callJson<AffectedSlaList>(`${requestsPath(w.provider.accountId, item.id)}/slas`, 200, { as: emma });
			expect(clocks).toHaveLength(item.owner.id === w.customer.accountId ? 2 : 1);
			for (const clock of clocks) expect(clock.nextTarget).toBe(item.status === "accepted" ? "resolution" : "response");
			expect(item.nextTargetAt).not.toBeNull();
			expect(item.nextTargetAt).toBe(clocks.map((c) => c.nextTargetAt ?? "").sort()[0]);
		}
	});

	it("mine: what is assigned to the person", async () => {
		expect(ids(await inboxOf(w.provider.accountId, emma, "view=mine"))).toEqual(["r2", "r4"]);
		expect(ids(await inboxOf(w.provider.accountId, w.bob, "view=mine"))).toEqual([]);
		expect(ids(await inboxOf(w.provider.accountId, emma, "view=mine&status=accepted"))).toEqual(["r2", "r4"]);
		expect(ids(await inboxOf(w.provider.accountId, emma, `view=mine&customer=${globex.accountId}&limit=1&cursor=${(await inboxOf(w.provider.accountId, emma, `view=mine&customer=${globex.accountId}&limit=1`)).nextCursor ?? ""}`))).toEqual(["r4"]);
	});

	it("is for the provider's staff: end users (403), tokens (403) and other accounts (404) get nothing", async () => {
		const providerEndUser = await addMember(w.provider, w.provider.accountId, ["end_user"]);
		await callError(`/accounts/${w.provider.accountId}/inbox`, 403, "forbidden", { as: providerEndUser });
		await callError(`/accounts/${w.customer.accountId}/inbox`, 403, "forbidden", { as: w.alice });
		await callError(`/accounts/${w.provider.accountId}/inbox`, 404, "not_found", { as: w.adam });
		await callError(`/accounts/${w.provider.accountId}/inbox`, 404, "not_found", { as: globex });
		// The customers' own Inbox holds none of what they sent to the provider.
		expect((await inboxOf(w.customer.accountId, w.adam)).total).toBe(0);
		expect((await inboxOf(globex.accountId, globex)).total).toBe(0);
	});
});

describe("filters and pages", () => {
	it("filters by status (open by default), team, customer and member", async () => {
		const P = w.provider.accountId;
		expect(ids(await inboxOf(P, w.sam, "status=completed"))).toEqual(["r3"]);
		expect(ids(await inboxOf(P, emma, "status=accepted"))).toEqual(["r2", "r4"]);
		expect(ids(await inboxOf(P, emma, "status=assigned"))).toEqual(["r1", "r5"]);
		expect(ids(await inboxOf(P, emma, `teamId=${desk.id}`))).toEqual(["r2", "r4"]);
		expect(ids(await inboxOf(P, emma, `teamId=${desk.id}&status=completed`))).toEqual(["r3"]);
		expect(ids(await inboxOf(P, emma, `customer=${globex.accountId}`))).toEqual(["r2", "r4"]);
		expect(ids(await inboxOf(P, emma, `customer=${w.customer.accountId}`))).toEqual(["r1", "r5"]);
		expect(ids(await inboxOf(P, emma, `memberId=${emma.id}`))).toEqual(["r2", "r4"]);
		expect(ids(await inboxOf(P, emma, `memberId=${w.bob.id}`))).toEqual([]);
		// A team the person is not in: nothing (an overseer may look at any team).
		expect(await inboxOf(P, w.bob, `teamId=${desk.id}`)).toMatchObject({ items: [], total: 0 });
		expect(ids(await inboxOf(P, w.provider, `teamId=${w.model.team.id}`))).toEqual(["r1", "r5"]);
		for (const bad of ["view=all", "status=closed", "limit=0", "limit=201", "cursor=%25%25", "cursor=eyJhIjoxfQ", "teamId=desk"]) {
			await callError(`/accounts/${P}/inbox?${bad}`, 400, "invalid_input", { as: emma });
		}
	});

	it("pages by cursor, the next page's absolute URL in the Link header", async () => {
		const P = w.provider.accountId;
		const first = await call(`/accounts/${P}/inbox?limit=2&view=teams`, { as: emma });
		const page1 = (await first.json()) as InboxPage;
		expect(page1).toMatchObject({ total: 4 });
		expect(ids(page1)).toEqual(["r1", "r5"]);
		const link = /^<(https?:\/\/[^>]+)>; rel="next"$/.exec(first.headers.get("Link") ?? "")?.[1];
		expect(link).toBeDefined();
		const url = new URL(link ?? "");
		expect([url.pathname, url.searchParams.get("limit"), url.searchParams.get("view"), url.searchParams.get("cursor")]).toEqual([`/api/v1/accounts/${P}/inbox`, "2", "teams", page1.nextCursor]);
		const second = await call(link ?? "", { as: emma });
		const page2 = (await second.json()) as InboxPage;
		expect(ids(page2)).toEqual(["r2", "r4"]);
		// The last page: no next cursor, no Link.
		expect(page2.nextCursor).toBeNull();
		expect(second.headers.get("Link")).toBeNull();
		// A request added in front of the cursor moves nothing on the next page (keyset, not offset).
		expect(ids(await inboxOf(P, emma, `limit=2&cursor=${page1.nextCursor ?? ""}`))).toEqual(["r2", "r4"]);
		expect((await inboxOf(P, emma)).items).toHaveLength(4);
	});

	it("sorts by next target first (none last), then by age", async () => {
		const P = w.provider.accountId;
		const soon = Date.now() + 60_000;
		const saved = await inObject(P, (_i, state) => state.storage.sql.exec<{ request_id: string; next_target_at: number | null }>("SELECT request_id, next_target_at FROM inbox").toArray());
		expect(saved.filter((row) => row.next_target_at !== null)).toHaveLength(4);
		await inObject(P, (_i, state) => {
			state.storage.sql.exec("UPDATE inbox SET next_target_at = ? WHERE request_id = ?", soon + 1000, r[4]?.id ?? "");
			state.storage.sql.exec("UPDATE inbox SET next_target_at = ? WHERE request_id = ?", soon, r[3]?.id ?? "");
			state.storage.sql.exec("UPDATE inbox SET next_target_at = NULL WHERE request_id = ?", r[0]?.id ?? "");
		});
		try {
			// r4 and r5 now come due first; r2 keeps its own target; r1 has none: last.
			expect(ids(await inboxOf(P, emma))).toEqual(["r4", "r5", "r2", "r1"]);
		} finally {
			await inObject(P, (_i, state) => {
				for (const row of saved) state.storage.sql.exec("UPDATE inbox SET next_target_at = ? WHERE request_id = ?", row.next_target_at, row.request_id);
			});
		}
		expect(ids(await inboxOf(P, emma))).toEqual(["r1", "r5", "r2", "r4"]);
	});
});

describe("live refresh", () => {
	it("changes only when the owner's message arrives: not at registration, not on the provider's own write", async () => {
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		await failDeliveries(P, 1000);
		let created: RequestSummary | undefined;
		try {
			created = await register(w, w.sla, w.alice, { subject: "r6" });
			expect(ids(await inboxOf(P, w.bob))).toEqual(["r1", "r5"]);
			// The request exists in the owner's account all the same, and the owner lets the team in.
			expect((await view(C, created.id, w.adam)).subject).toBe("r6");
		} finally {
			await failDeliveries(P, 0);
		}
		await setClock(C, 10 * 60_000); // past the backoff of the failed attempt
		await settle(C, P);
		await setClock(C, 0);
		const id = created?.id ?? "";
		const page = await inboxOf(P, w.bob);
		expect(page.items.map((i) => i.id)).toEqual([r[0]?.id, r[4]?.id, id]);

		// Bob accepts: the owner commits, but the index waits for the owner's message.
		await failDeliveries(P, 1000);
		try {
			const accepted = await act(P, id, w.bob, { type: "accept" });
			expect(accepted.status).toBe("accepted");
			expect((await inboxOf(P, w.bob)).items.find((i) => i.id === id)?.status).toBe("assigned");
			expect((await inboxOf(P, w.bob, "view=mine")).total).toBe(0);
		} finally {
			await failDeliveries(P, 0);
		}
		await setClock(C, 10 * 60_000);
		await settle(C, P);
		await setClock(C, 0);
		const row = (await inboxOf(P, w.bob, "view=mine")).items;
		expect(row.map((i) => i.id)).toEqual([id]);
		// The index row is the owner's summary, exactly.
		expect(row[0]).toEqual(summaryPart(await view(C, id, w.adam)));
		await act(P, id, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		await settle(C, P);
		expect(ids(await inboxOf(P, w.bob))).toEqual(["r1", "r5"]);
		await callError(requestsPath(P, "req_unknownunknown00"), 404, "not_found", { as: w.bob });
	});
});

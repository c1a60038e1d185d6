// The Inbox's and the request lists' filters (status lists, team, customer, service, impact,
// assignee, SLA state, text), alone and combined, with pages; bad values answer 400; and each
// person's saved filters: create, list, rename, change, delete, only ever their own.
import { beforeAll, describe, expect, it } from "vitest";
import { accountDb } from "../../worker/account/db";
import { inboxCondition, inboxPageQuery } from "../../worker/account/inbox";
import { InboxQuery, type InboxPage, type RequestSummary } from "../../worker/shared/request-api";
import type { SavedFilter } from "../../worker/shared/saved-filter-api";
import { type AccountAdmin, addMember, call, callError, callJson, createTeam, type Member, signUp } from "./helpers";
import { act, activeSla, inboxOf, makeWorld, register, requestsPath, setTeam, withClock, type World } from "./request-helpers";
import { defineEmail, type EmailModel, inObject, onboard, settle } from "./service-helpers";

let w: World;
let globex: AccountAdmin;
let grace: Member;
let emma: Member;
let chat: EmailModel;
/**
 * r1 acme→Email high, r2 globex→Desk low (Emma), r3 acme→Desk medium (completed), r4 globex→Desk
 * top (Emma), r5 acme→Chat medium. Subjects hold decoys for the LIKE wildcards.
 */
let r: RequestSummary[] = [];

const ids = (page: { items: RequestSummary[] }) => page.items.map((i) => `r${r.findIndex((x) => x.id === i.id) + 1}`);
const sorted = (page: { items: RequestSummary[] }) => ids(page).sort();
const P = () => w.provider.accountId;
const listOf = (accountId: string, as: Member | AccountAdmin, query: string) => callJson<InboxPage>(`${requestsPath(accountId)}?${query}`, 200, { as });

beforeAll(async () => {
	w = await makeWorld();
	globex = await signUp();
	grace = await addMember(globex, globex.accountId, ["end_user"], "Grace Gill");
	emma = await addMember(w.provider, w.provider.accountId, ["specialist"], "Emma Evans");
	await onboard(w.provider, globex);
	const desk = await createTeam(w.provider, w.provider.accountId, { name: "Service Desk", memberIds: [w.sam.id, emma.id] });
	await setTeam(w.provider, w.model.team.id, [w.bob.id, emma.id]);
	chat = await defineEmail(w.provider, " (Chat)");
	await setTeam(w.provider, chat.team.id, [w.bob.id, emma.id]);
	const globexSla = await activeSla(w.provider, w.model, globex.accountId, { teamId: desk.id });
	const acmeDesk = await activeSla(w.provider, w.model, w.customer.accountId, { teamId: desk.id });
	const acmeChat = await activeSla(w.provider, chat, w.customer.accountId);
	const g = { provider: w.provider, customer: globex };
	r = [
		await register(w, w.sla, w.alice, { subject: "Printer logXrotate on fire", impact: "high" }),
		await register(g, globexSla, grace, { subject: "VPN 100% down", impact: "low" }),
		await register(w, acmeDesk, w.alice, { subject: "log_rotate failing", impact: "medium" }),
		await register(g, globexSla, grace, { subject: "Password reset for 1000 users", impact: "top" }),
		await register(w, acmeChat, w.alice, { subject: "printer toner", impact: "medium" }),
	];
	await act(P(), r[1]?.id ?? "", emma, { type: "accept" });
	await act(P(), r[3]?.id ?? "", emma, { type: "accept" });
	await act(P(), r[2]?.id ?? "", w.sam, { type: "set_status", status: "completed", completionReason: "solved" });
	await settle(w.customer.accountId, globex.accountId, w.provider.accountId);
}, 60_000);

describe("Inbox filters", () => {
	it("status takes several values; open means any but completed", async () => {
		expect(sorted(await inboxOf(P(), emma, "status=assigned,accepted"))).toEqual(["r1", "r2", "r4", "r5"]);
		expect(sorted(await inboxOf(P(), emma, "status=open,completed"))).toEqual(["r1", "r2", "r3", "r4", "r5"]);
		expect(sorted(await inboxOf(P(), emma, "status=accepted,completed"))).toEqual(["r2", "r3", "r4"]);
		expect(sorted(await inboxOf(P(), emma, "status=completed"))).toEqual(["r3"]);
		expect(sorted(await inboxOf(P(), emma))).toEqual(["r1", "r2", "r4", "r5"]);
	});

	it("customer, service and impact", async () => {
		expect(sorted(await inboxOf(P(), emma, `customer=${globex.accountId}`))).toEqual(["r2", "r4"]);
		expect(sorted(await inboxOf(P(), emma, `service=${chat.instance.id}`))).toEqual(["r5"]);
		expect(sorted(await inboxOf(P(), emma, `service=${w.model.instance.id}&status=open,completed`))).toEqual(["r1", "r2", "r3", "r4"]);
		expect(sorted(await inboxOf(P(), emma, "impact=high,top"))).toEqual(["r1", "r4"]);
		expect(sorted(await inboxOf(P(), emma, "impact=medium&status=open,completed"))).toEqual(["r3", "r5"]);
	});

	it("assignee: me, unassigned, or a person", async () => {
		expect(sorted(await inboxOf(P(), emma, "assignee=me"))).toEqual(["r2", "r4"]);
		expect(sorted(await inboxOf(P(), w.bob, "assignee=me"))).toEqual([]);
		expect(sorted(await inboxOf(P(), w.bob, "assignee=unassigned"))).toEqual(["r1", "r5"]);
		expect(sorted(await inboxOf(P(), w.bob, `assignee=${emma.id}`))).toEqual([]); // Bob is not in Emma's Desk team
		expect(sorted(await inboxOf(P(), w.provider, `assignee=${emma.id}`))).toEqual(["r2", "r4"]);
	});

	it("text: a piece of the subject, any case, wildcards taken literally; or of the number", async () => {
		expect(sorted(await inboxOf(P(), emma, "text=PRINTER"))).toEqual(["r1", "r5"]);
		// "_" and "%" are no wildcards: "log_rotate" is not "logXrotate", "100%" not "1000".
		expect(sorted(await inboxOf(P(), emma, "text=log_rotate&status=open,completed"))).toEqual(["r3"]);
		expect(sorted(await inboxOf(P(), emma, `text=${encodeURIComponent("100%")}`))).toEqual(["r2"]);
		// Numbers are per owner account: acme's r1, r3, r5 are 1, 2, 3; globex's r2, r4 are 1, 2.
		expect(r.map((x) => x.number)).toEqual([1, 1, 2, 2, 3]);
		expect(sorted(await inboxOf(P(), emma, `text=${encodeURIComponent("#2")}&status=open,completed`))).toEqual(["r3", "r4"]);
		expect(sorted(await inboxOf(P(), emma, "text=nothing-like-this"))).toEqual([]);
	});

	it("SLA state, from the next target and the account's clock: breached, at risk, on track, none", async () => {
		const open = (await inboxOf(P(), emma)).items;
		const target = (id: string | undefined) => Date.parse(open.find((x) => x.id === id)?.nextTargetAt ?? "");
		// Half an hour before r2's resolution target: the response targets of r1 and r5 have passed.
		const at = target(r[1]?.id) - 30 * 60_000;
		const expected = (state: string) =>
			open
				.filter((x) => {
					const t = Date.parse(x.nextTargetAt ?? "");
					return state === "breached" ? t < at : state === "at_risk" ? t >= at && t < at + 3_600_000 : t >= at + 3_600_000;
				})
				.map((x) => `r${r.findIndex((y) => y.id === x.id) + 1}`)
				.sort();
		await withClock(P(), at - Date.now(), async () => {
			const breached = sorted(await inboxOf(P(), emma, "sla=breached"));
			const risk = sorted(await inboxOf(P(), emma, "sla=at_risk"));
			const track = sorted(await inboxOf(P(), emma, "sla=on_track"));
			expect(breached).toEqual(expected("breached"));
			expect(risk).toEqual(expected("at_risk"));
			expect(track).toEqual(expected("on_track"));
			expect(breached).toEqual(expect.arrayContaining(["r1", "r5"]));
			expect(risk).toContain("r2");
			expect(sorted(await inboxOf(P(), emma, "sla=breached,at_risk"))).toEqual([...breached, ...risk].sort());
		});
		// A completed request runs to no target.
		expect(sorted(await inboxOf(P(), emma, "sla=none&status=open,completed"))).toEqual(["r3"]);
		expect(sorted(await inboxOf(P(), emma, "sla=none"))).toEqual([]);
	});

	it("combines filters, and pages through what they leave", async () => {
		expect(sorted(await inboxOf(P(), emma, `customer=${w.customer.accountId}&text=printer&impact=medium`))).toEqual(["r5"]);
		expect(sorted(await inboxOf(P(), emma, `view=mine&customer=${globex.accountId}&impact=top`))).toEqual(["r4"]);
		const all = await inboxOf(P(), emma, "status=open,completed&impact=medium,high,top");
		expect(all.total).toBe(4);
		// Page by page, following each answer's Link rel="next": the filters stay in the URL.
		const pages: InboxPage[] = [];
		let next: string | null = `/accounts/${P()}/inbox?status=open,completed&impact=medium,high,top&limit=3`;
		while (next !== null) {
			const res = await call(next, { as: emma });
			pages.push((await res.json()) as InboxPage);
			next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get("Link") ?? "")?.[1] ?? null;
			if (next !== null) expect(new URL(next).searchParams.get("impact")).toBe("medium,high,top");
		}
		expect(pages.map((p) => [p.total, p.items.length, p.nextCursor === null])).toEqual([
			[4, 3, false],
			[4, 1, true],
		]);
		expect(pages.flatMap(ids)).toEqual(ids(all));
	});

	it.each([
		"status=bogus",
		"status=open,bogus",
		"status=,",
		"impact=huge",
		"sla=late",
		"assignee=someone",
		"service=not-an-instance",
		"text=",
		`text=${"x".repeat(101)}`,
		"teamId=nope",
		"limit=500",
		"limit=0",
		"cursor=bogus",
		"cursor=WyJ4Il0",
		"status=assigned&status=accepted",
	])("refuses %s with 400", async (query) => {
		const res = await call(`/accounts/${w.provider.accountId}/inbox?${query}`, { as: emma });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
	});

	it("the common filters read through an index (the plans of the queries drizzle builds)", async () => {
		const cases: Record<string, { viewer?: "overseer"; query: Record<string, string> }> = {
			teams: { query: {} },
			statuses: { query: { status: "accepted,completed" } },
			mine: { query: { view: "mine" } },
			unassigned: { query: { assignee: "unassigned" } },
			breached: { query: { sla: "breached" } },
			customer: { query: { customer: globex.accountId } },
			text: { query: { text: "printer", impact: "high" } },
			overseerCustomer: { viewer: "overseer", query: { customer: globex.accountId, status: "assigned" } },
		};
		const plans = await inObject(P(), (_i, state) => {
			const db = accountDb(state.storage);
			const out: Record<string, string> = {};
			for (const [name, c] of Object.entries(cases)) {
				const viewer = { personId: emma.id, teamIds: ["team_a", "team_b"], overseer: c.viewer === "overseer" };
				const condition = inboxCondition(viewer, InboxQuery.parse(c.query), Date.now());
				if (condition === null) throw new Error(`${name}: no query`);
				const { sql, params } = inboxPageQuery(db, condition, InboxQuery.parse(c.query)).toSQL();
				out[name] = state.storage.sql
					.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
					.toArray()
					.map((row) => row.detail)
					.join("; ");
			}
			return out;
		});
		for (const name of ["teams", "statuses", "breached", "text"]) expect(plans[name], name).toContain("inbox_team_idx");
		// One customer's requests: its index or the teams', whichever SQLite deems narrower.
		expect(plans.customer).toMatch(/inbox_(owner|team)_idx/);
		// (open, member_id IS NULL) is as narrow a start as the teams: either index will do.
		for (const name of ["mine", "unassigned"]) expect(plans[name], name).toMatch(/inbox_(member|team)_idx/);
		expect(plans.overseerCustomer).toMatch(/inbox_(owner|team|member)_idx/);
		for (const [name, plan] of Object.entries(plans)) expect(plan, name).not.toMatch(/SCAN inbox(?! USING)/);
		// A person's own Inbox is one index range in the page's order: read in order, no sort at all.
		expect(plans.mine).toMatch(/inbox_member_idx/);
		expect(plans.mine).not.toMatch(/TEMP B-TREE/);
	});
});

describe("request-list filters", () => {
	const A = () => w.customer.accountId;
	it("narrow the account's list and the person's own", async () => {
		expect(sorted(await listOf(A(), w.adam, "scope=account&status=open&impact=high"))).toEqual(["r1"]);
		expect(sorted(await listOf(A(), w.adam, "scope=account&text=printer"))).toEqual(["r1", "r5"]);
		expect(sorted(await listOf(A(), w.adam, `scope=account&service=${chat.instance.id}`))).toEqual(["r5"]);
		expect(sorted(await listOf(A(), w.adam, "scope=account&sla=none"))).toEqual(["r3"]);
		expect(sorted(await listOf(A(), w.adam, "scope=account&status=completed"))).toEqual(["r3"]);
		expect(sorted(await listOf(A(), w.adam, "scope=account&status=assigned,completed"))).toEqual(["r1", "r3", "r5"]);
		expect(sorted(await listOf(A(), w.alice, "text=printer&status=open"))).toEqual(["r1", "r5"]);
		// Carol asked for none of them.
		expect(sorted(await listOf(A(), w.carol, "text=printer"))).toEqual([]);
		const first = await listOf(A(), w.adam, "scope=account&text=printer&limit=1");
		const page = await listOf(A(), w.adam, `scope=account&text=printer&limit=1&cursor=${first.nextCursor ?? ""}`);
		expect(page.total).toBe(2);
		expect(page.items).toHaveLength(1);
		expect(page.items[0]?.id).not.toBe(first.items[0]?.id);
		expect(page.nextCursor).toBeNull();
	});

	it.each(["status=bogus", "impact=huge", "sla=late", "scope=everyone", "assignee=x"])("refuses %s with 400", async (query) => {
		await callError(`${requestsPath(w.customer.accountId)}?${query}`, 400, "invalid_input", { as: w.adam });
	});
});

describe("saved filters", () => {
	const path = (id?: string) => `/accounts/${w.provider.accountId}/saved-filters${id ? `/${id}` : ""}`;
	let mine: SavedFilter;

	it("are saved validated and normalized (no paging, sorted), listed by page and name, and apply as a query", async () => {
		mine = await callJson<SavedFilter>(path(), 201, {
			as: emma,
			body: { name: "Globex, waiting", view: "inbox", query: `?status=assigned,accepted&cursor=abc&customer=${globex.accountId}&limit=10` },
		});
		expect(mine).toMatchObject({ name: "Globex, waiting", view: "inbox", query: `customer=${globex.accountId}&status=assigned,accepted` });
		await callJson(path(), 201, { as: emma, body: { name: "Printers", view: "requests", query: "scope=account&text=printer" } });
		await callJson(path(), 201, { as: emma, body: { name: "A breach", view: "inbox", query: "sla=breached" } });
		const all = await callJson<{ items: SavedFilter[] }>(path(), 200, { as: emma });
		expect(all.items.map((f) => [f.view, f.name])).toEqual([
			["inbox", "A breach"],
			["inbox", "Globex, waiting"],
			["requests", "Printers"],
		]);
		expect((await callJson<{ items: SavedFilter[] }>(`${path()}?view=requests`, 200, { as: emma })).items.map((f) => f.name)).toEqual(["Printers"]);
		expect(sorted(await inboxOf(P(), emma, mine.query))).toEqual(["r2", "r4"]);
	});

	it.each([
		[{ name: "x", view: "inbox", query: "status=bogus" }, "a bad value"],
		[{ name: "x", view: "inbox", query: "colour=red" }, "an unknown parameter"],
		[{ name: "x", view: "inbox", query: "status=open&status=completed" }, "a repeated parameter"],
		[{ name: "x", view: "requests", query: "customer=acme" }, "another page's parameter"],
		[{ name: "", view: "inbox", query: "" }, "no name"],
		[{ name: "x", view: "reports", query: "" }, "an unknown page"],
		[{ name: "x", view: "inbox", query: "a".repeat(1001) }, "a long query"],
		[{ name: "x", view: "inbox", query: "", extra: 1 }, "an unknown field"],
	])("refuses %j (%s) with 400 and saves nothing", async (body, _why) => {
		const before = await callJson<{ items: SavedFilter[] }>(path(), 200, { as: emma });
		await callError(path(), 400, "invalid_input", { as: emma, body });
		expect(await callJson(path(), 200, { as: emma })).toEqual(before);
	});

	it("one name once per person and page (409); another person may use it", async () => {
		await callError(path(), 409, "conflict", { as: emma, body: { name: "Globex, waiting", view: "inbox", query: "" } });
		await callJson(path(), 201, { as: emma, body: { name: "Globex, waiting", view: "requests", query: "" } });
		await callJson(path(), 201, { as: w.bob, body: { name: "Globex, waiting", view: "inbox", query: "assignee=me" } });
	});

	it("are renamed and changed by their owner only", async () => {
		const renamed = await callJson<SavedFilter>(path(mine.id), 200, { as: emma, method: "PATCH", body: { name: "Globex accepted", query: `status=accepted&customer=${globex.accountId}` } });
		expect(renamed).toMatchObject({ id: mine.id, name: "Globex accepted", query: `customer=${globex.accountId}&status=accepted`, createdAt: mine.createdAt });
		await callError(path(mine.id), 400, "invalid_input", { as: emma, method: "PATCH", body: { query: "sla=late" } });
		await callError(path(mine.id), 400, "invalid_input", { as: emma, method: "PATCH", body: {} });
		await callError(path(mine.id), 409, "conflict", { as: emma, method: "PATCH", body: { name: "A breach" } });
		// Bob, and the account's administrator, reach none of Emma's.
		await callError(path(mine.id), 404, "not_found", { as: w.bob, method: "PATCH", body: { name: "Mine now" } });
		await callError(path(mine.id), 404, "not_found", { as: w.provider, method: "DELETE" });
		expect((await callJson<{ items: SavedFilter[] }>(path(), 200, { as: w.bob })).items.map((f) => f.name)).toEqual(["Globex, waiting"]);
		expect((await callJson<{ items: SavedFilter[] }>(path(), 200, { as: w.provider })).items).toEqual([]);
		expect((await callJson<{ items: SavedFilter[] }>(path(), 200, { as: emma })).items.find((f) => f.id === mine.id)?.name).toBe("Globex accepted");
	});

	it("are deleted by their owner (204, then 404)", async () => {
		const res = await call(path(mine.id), { as: emma, method: "DELETE" });
		expect(res.status).toBe(204);
		await callError(path(mine.id), 404, "not_found", { as: emma, method: "DELETE" });
		await callError(path("sf_nosuchfilter0"), 404, "not_found", { as: emma, method: "PATCH", body: { name: "y" } });
		await callError(path("not-an-id"), 400, "invalid_input", { as: emma, method: "DELETE" });
		expect((await callJson<{ items: SavedFilter[] }>(path(), 200, { as: emma })).items.map((f) => f.id)).not.toContain(mine.id);
	});

	it("are for the person in that account: another account's people get 404, tokens 403", async () => {
		await callError(`/accounts/${w.provider.accountId}/saved-filters`, 404, "not_found", { as: w.alice });
		expect((await callJson<{ items: SavedFilter[] }>(`/accounts/${w.customer.accountId}/saved-filters`, 200, { as: w.alice })).items).toEqual([]);
	});

	it(`stop at 50 per person (409)`, async () => {
		const have = (await callJson<{ items: SavedFilter[] }>(path(), 200, { as: w.bob })).items.length;
		for (let i = have; i < 50; i++) await callJson(path(), 201, { as: w.bob, body: { name: `Filter ${i}`, view: "inbox", query: "" } });
		await callError(path(), 409, "conflict", { as: w.bob, body: { name: "One too many", view: "inbox", query: "" } });
	});
});

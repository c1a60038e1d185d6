// The API's conventions, across resources: cursor pagination with Link headers
// (http/pagination.ts) and conditional requests with ETag / If-Match / If-None-Match
// (http/conditional.ts), and their description in the OpenAPI document.
import { describe, expect, it } from "vitest";
import type { Team } from "../../worker/shared/api";
import { call, callError, callItems, callJson, createTeam, createToken, expectError, ORIGIN, signUp } from "./helpers";

const teams = (accountId: string) => `/accounts/${accountId}/teams`;
const nextLink = (res: Response) => /^<([^>]+)>; rel="next"$/.exec(res.headers.get("Link") ?? "")?.[1] ?? null;

describe("cursor pagination", () => {
	it("walks a list page by page by its Link headers, each item once, in the list's order", async () => {
		const admin = await signUp();
		for (const name of ["echo", "Alpha", "delta", "Charlie", "bravo"]) await createTeam(admin, admin.accountId, { name });
		const seen: string[][] = [];
		let next: string | null = `${teams(admin.accountId)}?limit=2`;
		while (next !== null) {
			const res = await call(next, { as: admin });
			expect(res.status).toBe(200);
			const page = (await res.json()) as { items: Team[]; nextCursor: string | null };
			seen.push(page.items.map((t) => t.name));
			next = nextLink(res);
			// An absolute URL on the API's origin that keeps the other parameters.
			if (next !== null) expect([new URL(next).origin, new URL(next).searchParams.get("limit"), new URL(next).searchParams.get("cursor")]).toEqual([ORIGIN, "2", page.nextCursor]);
			else expect(page.nextCursor).toBeNull();
		}
		expect(seen).toEqual([["Alpha", "bravo"], ["Charlie", "delta"], ["echo"]]);
		// The whole list in one page by default, and the same walk through a token.
		const token = await createToken(admin, admin.accountId, ["teams:read"]);
		expect((await callItems<Team>(`${teams(admin.accountId)}?limit=1`, { as: { token: token.secret } })).map((t) => t.name)).toEqual(["Alpha", "bravo", "Charlie", "delta", "echo"]);
	});

	it("starts after the cursor's item even when items are added before it (keyset, not offset)", async () => {
		const admin = await signUp();
		for (const name of ["b", "c", "d"]) await createTeam(admin, admin.accountId, { name });
		const first = await callJson<{ items: Team[]; nextCursor: string }>(`${teams(admin.accountId)}?limit=1`, 200, { as: admin });
		expect(first.items.map((t) => t.name)).toEqual(["b"]);
		await createTeam(admin, admin.accountId, { name: "a" });
		const rest = await callItems<Team>(`${teams(admin.accountId)}?limit=1&cursor=${first.nextCursor}`, { as: admin });
		expect(rest.map((t) => t.name)).toEqual(["c", "d"]);
	});

	it.each([
		["/teams", "cursor=nonsense!"],
		["/teams", "cursor=eyJub3QiOiJhIGtleSJ9"],
		["/teams", "limit=0"],
		["/teams", "limit=201"],
		["/people", "cursor=%E2%9C%93"],
		["/requests", "cursor=WyJ4Il0"],
		["/inbox", "cursor=WzEsMiwzXQ"],
		["/notifications", "cursor=WyJ4Il0"],
		["/notifications", "cursor=Ing5OSI"],
		["/mail-deliveries", "cursor=WzEsMl0"],
		["/mail-deliveries", "limit=abc"],
		["/api-tokens", "cursor=W10"],
	])("answers 400 to GET %s?%s", async (path, query) => {
		const admin = await signUp();
		const body = await callError(`/accounts/${admin.accountId}${path}?${query}`, 400, "invalid_input", { as: admin });
		expect(JSON.stringify(body)).toContain(query.startsWith("cursor") ? "cursor" : "limit");
	});
});

describe("conditional requests", () => {
	it("gives single resources an ETag and answers 304 to If-None-Match while it is current", async () => {
		const admin = await signUp();
		const team = await createTeam(admin, admin.accountId, { name: "Desk" });
		const read = await call(`${teams(admin.accountId)}/${team.id}`, { as: admin });
		const etag = read.headers.get("ETag");
		expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
		const again = await call(`${teams(admin.accountId)}/${team.id}`, { as: admin, headers: { "If-None-Match": etag ?? "" } });
		expect([again.status, await again.text(), again.headers.get("ETag")]).toEqual([304, "", etag]);
		// A proxy's W/ does not stand in the way.
		expect((await call(`${teams(admin.accountId)}/${team.id}`, { as: admin, headers: { "If-None-Match": `W/${etag ?? ""}` } })).status).toBe(304);
		expect((await call(`${teams(admin.accountId)}/${team.id}`, { as: admin, headers: { "If-None-Match": '"other"' } })).status).toBe(200);
	});

	it("applies an update whose If-Match is current, refuses a stale one with 412, and without If-Match behaves as before", async () => {
		const admin = await signUp();
		const team = await createTeam(admin, admin.accountId, { name: "Desk" });
		const path = `${teams(admin.accountId)}/${team.id}`;
		const etag = (await call(path, { as: admin })).headers.get("ETag") ?? "";

		// Someone else renames it meanwhile (no If-Match: as always).
		const other = await call(path, { as: admin, method: "PATCH", body: { name: "Service Desk" } });
		expect(other.status).toBe(200);
		const current = other.headers.get("ETag");
		expect(current).not.toBe(etag);

		// The first client's change, made on what it read, is refused and changes nothing.
		const stale = await call(path, { as: admin, method: "PATCH", body: { description: "Mine" }, headers: { "If-Match": etag } });
		const body = await expectError(stale, 412, "precondition_failed");
		expect(body.error.message).toMatch(/changed/);
		expect(stale.headers.get("ETag")).toBe(current);
		const unchanged = await call(path, { as: admin });
		expect([(await unchanged.json()) as Team, unchanged.headers.get("ETag")]).toEqual([expect.objectContaining({ name: "Service Desk", description: "" }), current]);

		// With the current ETag it applies, and the answer's ETag is that of the resource as read next.
		const ok = await call(path, { as: admin, method: "PATCH", body: { description: "Mine" }, headers: { "If-Match": current ?? "" } });
		expect(ok.status).toBe(200);
		expect(ok.headers.get("ETag")).toBe((await call(path, { as: admin })).headers.get("ETag"));

		// DELETE too; "*" matches any current version.
		await expectError(await call(path, { as: admin, method: "DELETE", headers: { "If-Match": etag } }), 412, "precondition_failed");
		expect((await call(path, { as: admin, method: "DELETE", headers: { "If-Match": "*" } })).status).toBe(204);
		// Gone: nothing to compare with, the update answers 404 as it would.
		await expectError(await call(path, { as: admin, method: "PATCH", body: { description: "x" }, headers: { "If-Match": "*" } }), 404, "not_found");
	});

	it("reads the current version as the caller may see it: a caller who may not read it gets the update's own answer", async () => {
		const admin = await signUp();
		const team = await createTeam(admin, admin.accountId, { name: "Desk" });
		const stranger = await signUp();
		await expectError(await call(`${teams(admin.accountId)}/${team.id}`, { as: stranger, method: "PATCH", body: { name: "Mine" }, headers: { "If-Match": '"x"' } }), 404, "not_found");
	});
});

describe("the OpenAPI document", () => {
	type Op = { parameters?: { $ref?: string }[]; responses: Record<string, { headers?: Record<string, unknown> }> };
	it("describes Link on every list, ETag on reads and updates, If-Match and 412 on updates, and the rate-limit headers", async () => {
		const doc = await callJson<{ paths: Record<string, Record<string, Op>> }>("/openapi.json", 200);
		// Every list: keyset pages take a cursor, the SLA drill-down (ranked) a page number.
		const lists = Object.entries(doc.paths).filter(([, item]) => item.get?.parameters?.some((p) => /"name":"(cursor|page)"/.test(JSON.stringify(p))) ?? false);
		// At least these (lists added later join them); each of them, and any other, with its Link.
		expect(lists.map(([path]) => path)).toEqual(
			expect.arrayContaining([
				"accounts/{accountId}/api-tokens",
				"accounts/{accountId}/inbox",
				"accounts/{accountId}/invitations",
				"accounts/{accountId}/mail-deliveries",
				"accounts/{accountId}/messages",
				"accounts/{accountId}/notifications",
				"accounts/{accountId}/people",
				"accounts/{accountId}/received-slas",
				"accounts/{accountId}/requests",
				"accounts/{accountId}/saved-filters",
				"accounts/{accountId}/sla-reports/requests",
				"accounts/{accountId}/slas",
				"accounts/{accountId}/teams",
				"accounts/{accountId}/trusts",
				"accounts/{accountId}/trusts/{otherAccountId}/people",
				"invitations",
			].map((p) => `/api/v1/${p}`)),
		);
		for (const [, item] of lists) expect(Object.keys(item.get?.responses["200"]?.headers ?? {})).toEqual(expect.arrayContaining(["Link", "ETag", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"]));
		const team = doc.paths["/api/v1/accounts/{accountId}/teams/{teamId}"];
		expect(team?.get?.parameters).toContainEqual({ $ref: "#/components/parameters/IfNoneMatch" });
		expect(Object.keys(team?.get?.responses ?? {})).toContain("304");
		for (const method of ["patch", "delete"]) {
			expect(team?.[method]?.parameters).toContainEqual({ $ref: "#/components/parameters/IfMatch" });
			expect(Object.keys(team?.[method]?.responses ?? {})).toContain("412");
		}
	});
});

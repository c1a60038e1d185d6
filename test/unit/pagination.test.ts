// The pagination helper's own rules: opaque cursors that read back only as what they were, and
// keyset pages over a loaded list that neither skip nor repeat an item.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { encodeCursor, paginate, readCursor } from "../../worker/http/pagination";

describe("cursors", () => {
	it("read back as the position they were made from, and are base64url", () => {
		const position = [1_796_619_347_103, "req_ÄbcDef12345"];
		const cursor = encodeCursor(position);
		expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(readCursor(z.tuple([z.number(), z.string()]), cursor)).toEqual({ ok: true, value: position });
		expect(readCursor(z.tuple([z.number(), z.string()]), undefined)).toEqual({ ok: true, value: undefined });
	});

	it.each(["", "!!!", "e30=", encodeCursor({ a: 1 }), encodeCursor(["x", 1]), "bm90IGpzb24"])("refuses %j as invalid input naming the cursor", (cursor) => {
		const result = readCursor(z.tuple([z.number(), z.string()]), cursor);
		expect(result).toMatchObject({ ok: false, error: { code: "invalid_input", details: [{ path: "cursor" }] } });
	});
});

describe("paginate", () => {
	const names = ["delta", "Alpha", "charlie", "Bravo", "echo", "alpha"].map((name, i) => ({ id: `id${i}`, name }));
	const key = (x: { id: string; name: string }) => [x.name.toLowerCase(), x.id];

	it("walks the whole list in key order, each item once, whatever the page size", () => {
		for (const limit of [1, 2, 4, 6, 50]) {
			const seen: string[] = [];
			let cursor: string | undefined;
			do {
				const page = paginate(names, key, { limit, cursor });
				expect(page.items.length).toBeLessThanOrEqual(limit);
				seen.push(...page.items.map((x) => x.name));
				cursor = page.nextCursor ?? undefined;
			} while (cursor !== undefined);
			expect(seen).toEqual(["Alpha", "alpha", "Bravo", "charlie", "delta", "echo"]);
		}
	});

	it("starts after the cursor's key when items before it come and go", () => {
		const first = paginate(names, key, { limit: 3 });
		expect(first.items.map((x) => x.name)).toEqual(["Alpha", "alpha", "Bravo"]);
		const changed = [...names.filter((x) => x.name !== "Alpha"), { id: "new", name: "aardvark" }];
		expect(paginate(changed, key, { limit: 3, cursor: first.nextCursor ?? undefined }).items.map((x) => x.name)).toEqual(["charlie", "delta", "echo"]);
	});

	it("gives no next cursor on the last page, also when it is exactly full", () => {
		expect(paginate(names, key, { limit: 6 }).nextCursor).toBeNull();
		expect(paginate([], key, { limit: 6 })).toEqual({ items: [], nextCursor: null });
	});
});

import { describe, expect, it } from "vitest";
import { parseLocalPart, threadLocalPart, threadTag } from "../../worker/mail/thread";

describe("mail thread addresses", () => {
	it("tags are lowercase base32, stable per key and request, different across keys and requests", async () => {
		const a = await threadTag("key-one", "req_A");
		expect(a).toMatch(/^[a-z2-7]{20}$/);
		expect(await threadTag("key-one", "req_A")).toBe(a);
		expect(await threadTag("key-two", "req_A")).not.toBe(a);
		expect(await threadTag("key-one", "req_B")).not.toBe(a);
	});

	it("reads the account address and a thread address, case-insensitively", async () => {
		const tag = await threadTag("k", "req_1");
		expect(parseLocalPart("widget-dc")).toEqual({ kind: "account", accountId: "widget-dc" });
		expect(parseLocalPart(threadLocalPart("widget-dc", 42, tag).toUpperCase())).toEqual({
			kind: "thread",
			accountId: "widget-dc",
			requestNumber: 42,
			tag,
		});
	});

	it("refuses anything else", () => {
		for (const local of ["", "-x", "a", "widget-dc+", "widget-dc+r0-aaaaaaaaaaaaaaaaaaaa", "widget-dc+r1-short", "widget dc", "widget-dc+r1-aaaaaaaaaaaaaaaaaaaa1", "x+y+z"]) {
			expect(parseLocalPart(local), local).toBeNull();
		}
	});
});

// Text hygiene (worker/shared/text.ts): what names, subjects and notes may hold, and what the
// schemas built on it do with the text they accept.
import { describe, expect, it } from "vitest";
import { Name } from "../../worker/shared/api";
import { CreateRequestInput, NoteBody } from "../../worker/shared/request-api";
import { lineProblem, normalizeText, textProblem } from "../../worker/shared/text";

const LONE_HIGH = String.fromCharCode(0xd800);
const LONE_LOW = String.fromCharCode(0xdc00);

describe("one-line text (names, titles, subjects)", () => {
	it.each([
		["NUL", "Acme\u0000Corp"],
		["escape", "Acme\u001b[31m"],
		["DEL", "Acme\u007f"],
		["C1 control", "Acme\u0085"],
		["line break", "Acme\nCorp"],
		["tab", "Acme\tCorp"],
		["lone high surrogate", `Acme${LONE_HIGH}`],
		["lone low surrogate", `${LONE_LOW}Acme`],
		["right-to-left override", "invoice\u202Efdp.exe"],
		["left-to-right override", "\u202DAcme"],
		["right-to-left embedding", "\u202BAcme\u202C"],
		["isolate", "\u2067Acme\u2069"],
		["zero width space", "Ac\u200Bme"],
		["word joiner", "Ac\u2060me"],
		["byte order mark", "\uFEFFAcme"],
		["zero width joiner between ASCII letters", "ad\u200Dmin"],
		["zero width non-joiner at the end", "Acme\u200C"],
		["line separator", "Acme\u2028Corp"],
		["noncharacter", "Acme\uFFFF"],
	])("refuses a %s", (_what, text) => {
		const problem = lineProblem(text);
		expect(problem).not.toBeNull();
		expect(problem?.message).toMatch(/U\+[0-9A-F]{4}/);
	});

	it.each([
		["accents", "Zoë Ångström"],
		["CJK", "株式会社テスト"],
		["Arabic with a right-to-left mark", "شركة\u200F Acme"],
		["an emoji family (joined by ZWJ)", "Team 👨\u200D👩\u200D👧"],
		["Persian with a zero width non-joiner", "می\u200Cخواهم"],
		["Hebrew", "חברת אקמה"],
	])("accepts %s", (_what, text) => {
		expect(lineProblem(text)).toBeNull();
	});

	it("names the offending character and where it is", () => {
		expect(lineProblem("ab\u202Ecd")).toEqual({ index: 2, codePoint: 0x202e, message: expect.stringContaining("U+202E (right-to-left override) at position 3") });
		// Positions count characters, not UTF-16 units: the emoji before it is one.
		expect(lineProblem("😀\u0000")?.index).toBe(1);
	});
});

describe("multi-line text (notes, descriptions)", () => {
	it("keeps line breaks and tabs, joiners and embeddings", () => {
		expect(textProblem("Line one\n\tindented\nשלום \u202Bembedded\u202C")).toBeNull();
		expect(textProblem("ad\u200Bmin")).toBeNull();
	});

	it.each([
		["NUL", "hello\u0000"],
		["escape", "\u001b[2J"],
		["lone surrogate", `x${LONE_HIGH}y`],
		["right-to-left override", "see \u202Etxt.exe"],
		["noncharacter", "\uFDD0"],
	])("refuses a %s", (_what, text) => {
		expect(textProblem(text)).not.toBeNull();
	});
});

describe("normalization", () => {
	it("composes to NFC, unifies line breaks and trims", () => {
		expect(normalizeText("  Cafe\u0301\r\nbar\rbaz  ")).toBe("Caf\u00e9\nbar\nbaz");
	});

	it("is what the schemas store", () => {
		expect(Name.parse("  Re\u0301sume\u0301 ")).toBe("R\u00e9sum\u00e9");
		expect(NoteBody.parse("a\r\nb")).toBe("a\nb");
	});

	it("makes the schemas refuse with the reason", () => {
		const result = CreateRequestInput.safeParse({ providerAccountId: "widget-dc", slaId: "sla_0123456789", subject: "Pay \u202Eusd.exe" });
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]?.path).toEqual(["subject"]);
		expect(result.error?.issues[0]?.message).toContain("U+202E");
		expect(NoteBody.safeParse(`note${LONE_LOW}`).success).toBe(false);
		expect(Name.safeParse("\u200B").success).toBe(false);
		expect(Name.safeParse("   ").success).toBe(false);
	});
});

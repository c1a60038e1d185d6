// The password rule itself: what it refuses and what it lets through.
import { describe, expect, it } from "vitest";
import { assertAcceptablePassword, passwordProblem } from "../../worker/identity/password-policy";

const owner = { email: "wendy.walker@widget-dc.example", name: "Wendy Walker" };

describe("passwordProblem", () => {
	it.each([
		"aaaaaaaaaa",
		"1234567890",
		"password123",
		"qwertyuiop",
		"Password1234",
		"P@ssw0rd!!",
		"iloveyou12",
		"abcdefghij",
		"0987654321",
	])("refuses the common or patterned %j", (password) => {
		expect(passwordProblem(password, owner)).toMatch(/harder to guess/);
	});

	it.each([
		"wendy.walker@widget-dc.example",
		"WENDY.WALKER@WIDGET-DC.EXAMPLE",
		"my wendy.walker@widget-dc.example!",
		"Wendy.Walker-rocks-2024",
		"xx-WENDY.WALKER-xx",
	])("refuses %j: the e-mail address or its local part, in any case", (password) => {
		expect(passwordProblem(password, owner)).toMatch(/e-mail address/);
	});

	it("judges the owner's name as guessable", () => {
		expect(passwordProblem("wendywalker", owner)).toMatch(/harder to guess/);
	});

	it("does not refuse a word only because a short local part occurs in it", () => {
		expect(passwordProblem("Brian's garden party", { email: "an@example.test" })).toBeNull();
	});

	it.each(["correct horse battery staple", "trustdesk-demo", "a fresh new passphrase", "Tr0ub4dor&3 maple"])("accepts %j", (password) => {
		expect(passwordProblem(password, owner)).toBeNull();
	});

	it("stays quick for long look-alike passwords", () => {
		const started = performance.now();
		passwordProblem("p@ssw0rd".repeat(25), owner);
		expect(performance.now() - started).toBeLessThan(1000);
	});
});

describe("assertAcceptablePassword", () => {
	it("throws the API's invalid_input with details on the given path", () => {
		expect(() => assertAcceptablePassword("1234567890", owner)).toThrow(expect.objectContaining({ code: "invalid_input", details: [expect.objectContaining({ path: "password" })] }));
		expect(() => assertAcceptablePassword("correct horse battery staple", owner)).not.toThrow();
	});
});

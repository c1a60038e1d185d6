// The time zone asked at sign-up (the portal proposes the browser's): validated as an IANA zone
// at the edge and stored as the new account's time zone, which its SLA dates and support hours
// default to. Creating another account while signed in takes one too.
import { describe, expect, it } from "vitest";
import type { Account, Membership } from "../../worker/shared/api";
import { call, callJson, expectError, PASSWORD, signUp, unique, uniqueEmail } from "./helpers";

function signUpBody(extra: Record<string, unknown>) {
	const accountId = unique("tz");
	return { accountId, body: { accountId, accountName: `Zone ${accountId}`, name: "Zoe Zone", email: uniqueEmail("zoe"), password: PASSWORD, ...extra } };
}

describe("sign-up asks the time zone", () => {
	it("stores the zone given as the new account's time zone", async () => {
		const { accountId, body } = signUpBody({ timeZone: "America/New_York" });
		const res = await call("/signup", { body });
		expect(res.status).toBe(201);
		const cookie = res.headers.get("Set-Cookie")?.split(";")[0] ?? "";
		const account = await callJson<Account>(`/accounts/${accountId}`, 200, { as: { cookie } });
		expect(account.timeZone).toBe("America/New_York");
	});

	it("keeps UTC when no zone is given (API clients of before)", async () => {
		const admin = await signUp();
		expect((await callJson<Account>(`/accounts/${admin.accountId}`, 200, { as: admin })).timeZone).toBe("UTC");
	});

	it.each(["Mars/Olympus_Mons", "+01:00", "CET+1", "", "Europe/Amsterdam ".repeat(5)])("refuses %j with 400, naming the field, and creates nothing", async (timeZone) => {
		const { accountId, body } = signUpBody({ timeZone });
		const res = await call("/signup", { body });
		const err = await expectError(res, 400, "invalid_input");
		expect(JSON.stringify(err.error.details)).toContain("timeZone");
		await expectError(await call(`/portals/${accountId}`), 404, "not_found");
	});

	it("takes a zone when a signed-in person creates another account, and refuses a bad one", async () => {
		const admin = await signUp();
		const accountId = unique("tz2");
		await callJson<Membership>("/accounts", 201, { as: admin, body: { accountId, accountName: "Second", timeZone: "Asia/Kolkata" } });
		expect((await callJson<Account>(`/accounts/${accountId}`, 200, { as: admin })).timeZone).toBe("Asia/Kolkata");
		await expectError(await call("/accounts", { as: admin, body: { accountId: unique("tz3"), accountName: "Third", timeZone: "Nowhere/Land" } }), 400, "invalid_input");
	});
});

import { describe, expect, it } from "vitest";
import { call, callJson, signUp } from "./helpers";

describe("smoke", () => {
	it("answers the health route", async () => {
		const body = await callJson<{ status: string }>("/health", 200);
		expect(body.status).toBe("ok");
	});

	it("signs up and reads the account", async () => {
		const admin = await signUp();
		const account = await callJson<{ id: string; design: { title: string } }>(`/accounts/${admin.accountId}`, 200, { as: admin });
		expect(account.id).toBe(admin.accountId);
		expect(account.design.title).toBe(`Account ${admin.accountId}`);
		const res = await call(`/accounts/${admin.accountId}`);
		expect(res.status).toBe(401);
	});
});

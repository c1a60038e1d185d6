// The request schemas of the HTTP API (worker/shared/api.ts): what the edge accepts and refuses.
import { describe, expect, it } from "vitest";
import {
	AccountId,
	AddHostnameInput,
	CreateApiTokenInput,
	CreateTeamInput,
	Email,
	ErrorBody,
	Hostname,
	Password,
	RESERVED_ACCOUNT_IDS,
	RoleList,
	SignUpInput,
	TimeZone,
	UpdatePortalDesignInput,
	UpdateTeamInput,
} from "../../worker/shared/api";
import { ChangePasswordInput, InvitationSignUpInput, InvitePersonInput } from "../../worker/shared/invitation-api";

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe("AccountId", () => {
	it.each(["ab", "acme", "widget-dc", "a1-b2-c3", "x".repeat(32)])("accepts %s", (id) => {
		expect(ok(AccountId, id)).toBe(true);
	});

	it.each(["a", "x".repeat(33), "Acme", "-acme", "acme-", "ac me", "acme_dc", "acmé", "../x", ""])("refuses %j", (id) => {
		expect(ok(AccountId, id)).toBe(false);
	});

	it("refuses every reserved id", () => {
		expect(RESERVED_ACCOUNT_IDS.size).toBeGreaterThan(10);
		const shaped = [...RESERVED_ACCOUNT_IDS].filter((id) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(id));
		expect(shaped).toContain("api");
		for (const id of shaped) expect(ok(AccountId, id), id).toBe(false);
	});
});

describe("Email and Password", () => {
	it("trims and lowercases an address", () => {
		expect(Email.parse("  Alice@ACME.Example ")).toBe("alice@acme.example");
	});

	it.each(["alice", "alice@", "@acme.example", "a b@acme.example", `${"a".repeat(250)}@x.io`])("refuses the address %j", (email) => {
		expect(ok(Email, email)).toBe(false);
	});

	it("wants 10 to 200 characters of password", () => {
		expect(ok(Password, "123456789")).toBe(false);
		expect(ok(Password, "1234567890")).toBe(true);
		expect(ok(Password, "x".repeat(200))).toBe(true);
		expect(ok(Password, "x".repeat(201))).toBe(false);
	});
});

describe("RoleList", () => {
	it("drops duplicates", () => {
		expect(RoleList.parse(["specialist", "specialist", "auditor"])).toEqual(["specialist", "auditor"]);
	});

	it("refuses no roles, unknown roles, and service level manager without specialist", () => {
		expect(ok(RoleList, [])).toBe(false);
		expect(ok(RoleList, ["root"])).toBe(false);
		expect(ok(RoleList, ["service_level_manager", "end_user"])).toBe(false);
		expect(ok(RoleList, ["service_level_manager", "specialist"])).toBe(true);
	});
});

describe("TimeZone", () => {
	it.each(["UTC", "Europe/Amsterdam", "America/Argentina/Buenos_Aires", "Asia/Kolkata"])("accepts %s", (tz) => {
		expect(ok(TimeZone, tz)).toBe(true);
	});

	it.each(["Mars/Olympus", "Europe/Atlantis", "", "x".repeat(65)])("refuses %j", (tz) => {
		expect(ok(TimeZone, tz)).toBe(false);
	});
});

describe("Hostname", () => {
	it("trims and lowercases", () => {
		expect(Hostname.parse(" Support.ACME.example ")).toBe("support.acme.example");
	});

	it.each(["localhost", "10.0.0.1", "acme.example:8080", "https://acme.example", "-acme.example", "acme..example", "acme.example/path", `${"a".repeat(64)}.example`])(
		"refuses %j",
		(host) => {
			expect(ok(Hostname, host)).toBe(false);
		},
	);

	it("is the only field of AddHostnameInput", () => {
		expect(ok(AddHostnameInput, { hostname: "a.example", accountId: "x" })).toBe(false);
	});
});

describe("UpdatePortalDesignInput", () => {
	it("accepts http(s) logos and null, refuses other schemes", () => {
		expect(ok(UpdatePortalDesignInput, { logoUrl: "https://cdn.example/logo.png" })).toBe(true);
		expect(ok(UpdatePortalDesignInput, { logoUrl: "http://cdn.example/logo.png" })).toBe(true);
		expect(ok(UpdatePortalDesignInput, { logoUrl: null })).toBe(true);
		for (const url of ["javascript:alert(1)", "data:image/png;base64,AA", "ftp://x.example/a", "//x.example/a", "logo.png"]) {
			expect(ok(UpdatePortalDesignInput, { logoUrl: url }), url).toBe(false);
		}
	});

	it("wants colours as #rrggbb", () => {
		expect(ok(UpdatePortalDesignInput, { primaryColor: "#A1b2C3" })).toBe(true);
		for (const c of ["#abc", "red", "#abcdefa", "abcdef", "#ggggggg"]) expect(ok(UpdatePortalDesignInput, { primaryColor: c }), c).toBe(false);
	});

	it("refuses unknown fields", () => {
		expect(ok(UpdatePortalDesignInput, { css: "body{}" })).toBe(false);
	});
});

describe("strict input objects", () => {
	it.each([
		["SignUpInput", SignUpInput, { accountId: "acme", accountName: "Acme", name: "A", email: "a@acme.example", password: "1234567890" }],
		["InvitePersonInput", InvitePersonInput, { name: "A", email: "a@acme.example", roles: ["end_user"] }],
		["InvitationSignUpInput", InvitationSignUpInput, { name: "A", password: "1234567890" }],
		["ChangePasswordInput", ChangePasswordInput, { currentPassword: "x", password: "1234567890" }],
		["CreateTeamInput", CreateTeamInput, { name: "Desk" }],
		["UpdateTeamInput", UpdateTeamInput, {}],
		["CreateApiTokenInput", CreateApiTokenInput, { name: "T", scopes: ["account:read"] }],
	] as const)("%s accepts a valid body and refuses it with one extra field", (_name, schema, body) => {
		expect(ok(schema, body)).toBe(true);
		expect(ok(schema, { ...body, isAdmin: true })).toBe(false);
	});
});

describe("defaults", () => {
	it("a team starts with no description, coordinator or members, and member ids are deduplicated", () => {
		expect(CreateTeamInput.parse({ name: " Desk " })).toEqual({ name: "Desk", description: "", coordinatorId: null, memberIds: [] });
		expect(CreateTeamInput.parse({ name: "Desk", memberIds: ["psn_aaaaaaaaaa", "psn_aaaaaaaaaa"] }).memberIds).toEqual(["psn_aaaaaaaaaa"]);
	});

	it("a token expires in 90 days unless told otherwise, and takes 1 to 366 whole days or null", () => {
		const base = { name: "T", scopes: ["account:read", "account:read"] };
		expect(CreateApiTokenInput.parse(base)).toEqual({ name: "T", scopes: ["account:read"], expiresInDays: 90 });
		expect(CreateApiTokenInput.parse({ ...base, expiresInDays: null }).expiresInDays).toBeNull();
		for (const days of [0, 367, 2.5, -1]) expect(ok(CreateApiTokenInput, { ...base, expiresInDays: days }), String(days)).toBe(false);
		expect(ok(CreateApiTokenInput, { ...base, scopes: ["tokens:manage"] })).toBe(false);
	});
});

describe("ErrorBody", () => {
	it("accepts the shared error shape and refuses unknown codes", () => {
		expect(ok(ErrorBody, { error: { code: "not_found", message: "No such team." } })).toBe(true);
		expect(ok(ErrorBody, { error: { code: "teapot", message: "x" } })).toBe(false);
	});
});

describe("names", () => {
	it.each(["Night\u0000Shift", "Line\nbreak", "Esc\u001b[31m"])("refuses control characters in %j", (name) => {
		expect(CreateTeamInput.safeParse({ name }).success).toBe(false);
		expect(InvitePersonInput.safeParse({ name, email: "a@b.example", roles: ["end_user"] }).success).toBe(false);
	});

	it("accepts letters from every script, punctuation and emoji", () => {
		expect(CreateTeamInput.safeParse({ name: "Équipe d'assistance — 東京 🚀" }).success).toBe(true);
	});
});

// Roles, permissions and token scopes (worker/shared/roles.ts).
import { describe, expect, it } from "vitest";
import { checkRoleCombination, PERMISSIONS, permissionsOfRoles, ROLE_LABELS, ROLES, SCOPE_LABELS, SCOPES, type Permission, type Role } from "../../worker/shared/roles";

const sorted = (set: Set<Permission>) => [...set].sort();

describe("permissionsOfRoles", () => {
	it("gives an end user only account:read", () => {
		expect(sorted(permissionsOfRoles(["end_user"]))).toEqual(["account:read"]);
	});

	it.each(["specialist", "auditor", "service_level_manager"] as const)("gives a %s read access to account, people and teams, and no writes", (role) => {
		expect(sorted(permissionsOfRoles([role]))).toEqual(["account:read", "people:read", "teams:read"]);
	});

	it("gives an account administrator every permission, including tokens:manage", () => {
		expect(sorted(permissionsOfRoles(["account_administrator"]))).toEqual([...PERMISSIONS].sort());
	});

	it("gives no permission for no roles", () => {
		expect(permissionsOfRoles([]).size).toBe(0);
	});

	it("unites the permissions of several roles", () => {
		expect(sorted(permissionsOfRoles(["end_user", "specialist"]))).toEqual(["account:read", "people:read", "teams:read"]);
	});

	it("lets only the account administrator write or manage tokens", () => {
		const writers = ROLES.filter((role) => [...permissionsOfRoles([role])].some((p) => p.endsWith(":write") || p === "tokens:manage"));
		expect(writers).toEqual(["account_administrator"]);
	});
});

describe("scopes", () => {
	it("are every permission except tokens:manage, so a token can never manage tokens", () => {
		expect([...SCOPES].sort()).toEqual(PERMISSIONS.filter((p) => p !== "tokens:manage").sort());
	});

	it("all have labels, as do all roles", () => {
		expect(Object.keys(SCOPE_LABELS).sort()).toEqual([...SCOPES].sort());
		expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
	});
});

describe("checkRoleCombination", () => {
	it("refuses service level manager without specialist", () => {
		expect(checkRoleCombination(["service_level_manager"])).toMatch(/specialist/);
		expect(checkRoleCombination(["service_level_manager", "end_user", "auditor"])).toMatch(/specialist/);
	});

	it.each<Role[]>([
		["service_level_manager", "specialist"],
		["auditor"],
		["account_administrator"],
		["end_user"],
		["specialist"],
	])("accepts %j", (...roles) => {
		expect(checkRoleCombination(roles)).toBeNull();
	});
});

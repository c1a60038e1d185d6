// Roles, permissions and token scopes (worker/shared/roles.ts).
import { describe, expect, it } from "vitest";
import { checkRoleCombination, PERMISSIONS, permissionsOfRoles, ROLE_LABELS, ROLES, SCOPE_LABELS, SCOPES, type Permission, type Role } from "../../worker/shared/roles";

const sorted = (set: Set<Permission>) => [...set].sort();

/** What every member of staff may read: the account, its people and teams, trusts, services, SLAs, the catalog, requests, the Inbox. */
const STAFF_READ = ["account:read", "catalog:read", "inbox:read", "people:read", "requests:read", "services:read", "slas:read", "teams:read", "trusts:read"];
/** What a signed-in person may do that no token can: manage tokens, trusts and parked messages, work on requests. */
const PERSON_ONLY = ["tokens:manage", "trusts:write", "messages:manage", "inbox:read", "apps:manage"];

describe("permissionsOfRoles", () => {
	it("gives an end user only account:read, catalog:read and requests:read (their own requests), not the Inbox", () => {
		expect(sorted(permissionsOfRoles(["end_user"]))).toEqual(["account:read", "catalog:read", "requests:read"]);
	});

	it("gives a specialist read access to account, people, teams, trusts, services, SLAs, the catalog, requests and the Inbox, and no writes (no SLA reports)", () => {
		expect(sorted(permissionsOfRoles(["specialist"]))).toEqual(STAFF_READ);
	});

	it("gives an auditor the staff reads plus reports:read, and no writes", () => {
		expect(sorted(permissionsOfRoles(["auditor"]))).toEqual([...STAFF_READ, "reports:read"].sort());
	});

	it("gives a service level manager the staff reads plus services:write, slas:write and reports:read, nothing else", () => {
		expect(sorted(permissionsOfRoles(["service_level_manager"]))).toEqual([...STAFF_READ, "reports:read", "services:write", "slas:write"].sort());
	});

	it("gives an account administrator every permission, including tokens:manage, trusts:write and messages:manage", () => {
		const admin = sorted(permissionsOfRoles(["account_administrator"]));
		expect(admin).toEqual([...PERMISSIONS].sort());
		expect(admin).toEqual(expect.arrayContaining(["tokens:manage", "trusts:write", "messages:manage"]));
	});

	it("gives no permission for no roles", () => {
		expect(permissionsOfRoles([]).size).toBe(0);
	});

	it("unites the permissions of several roles", () => {
		expect(sorted(permissionsOfRoles(["end_user", "specialist"]))).toEqual(STAFF_READ);
		expect(sorted(permissionsOfRoles(["specialist", "service_level_manager"]))).toEqual([...STAFF_READ, "reports:read", "services:write", "slas:write"].sort());
		expect(sorted(permissionsOfRoles(["end_user", "auditor"]))).toEqual([...STAFF_READ, "reports:read"].sort());
	});

	it("lets only the account administrator change the account, people, teams or trusts, or manage tokens and messages", () => {
		const adminOnly: Permission[] = ["account:write", "people:write", "teams:write", "trusts:write", "tokens:manage", "messages:manage"];
		const holders = ROLES.filter((role) => adminOnly.some((p) => permissionsOfRoles([role]).has(p)));
		expect(holders).toEqual(["account_administrator"]);
	});

	it("gives requests:read to every role and inbox:read to staff only", () => {
		expect(ROLES.filter((role) => permissionsOfRoles([role]).has("requests:read"))).toEqual([...ROLES]);
		expect(ROLES.filter((role) => permissionsOfRoles([role]).has("inbox:read"))).toEqual(ROLES.filter((r) => r !== "end_user"));
	});

	it("gives SLA reports (reports:read) to administrators, service level managers and auditors only: not to specialists or end users", () => {
		expect(ROLES.filter((role) => permissionsOfRoles([role]).has("reports:read")).sort()).toEqual(["account_administrator", "auditor", "service_level_manager"]);
	});

	it("lets only service level managers and administrators define services and SLAs", () => {
		const writers = ROLES.filter((role) => permissionsOfRoles([role]).has("services:write") || permissionsOfRoles([role]).has("slas:write"));
		expect(writers.sort()).toEqual(["account_administrator", "service_level_manager"]);
	});
});

describe("scopes", () => {
	it("are every permission except tokens:manage, trusts:write, messages:manage, inbox:read and apps:manage: a token never manages tokens, trusts, parked messages or apps (installing one lets another account in), nor has an Inbox", () => {
		expect([...SCOPES].sort()).toEqual(PERMISSIONS.filter((p) => !PERSON_ONLY.includes(p)).sort());
		for (const p of PERSON_ONLY) expect(SCOPES as readonly string[]).not.toContain(p);
	});

	it("include the new reads and writes a token may carry", () => {
		expect(SCOPES).toEqual(expect.arrayContaining(["catalog:read", "trusts:read", "services:read", "services:write", "slas:read", "slas:write", "reports:read"]));
		// Issue 11: monitoring tools and apps read requests and post events.
		expect(SCOPES).toEqual(expect.arrayContaining(["requests:read", "notes:internal:read", "events:write"]));
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

// Roles a person holds in an account (4me's set, trimmed to what Trustdesk uses), the
// permissions they grant, and the scopes an API token may carry. One place for all three:
// a token's scopes are permissions too, so every route checks a single permission.

export const ROLES = [
	"end_user",
	"specialist",
	"account_administrator",
	"service_level_manager",
	"auditor",
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	end_user: "End user",
	specialist: "Specialist",
	account_administrator: "Account administrator",
	service_level_manager: "Service level manager",
	auditor: "Auditor",
};

/** Scopes an API token can be given: every permission except the ones that change who may act. */
export const SCOPES = [
	"account:read",
	"account:write",
	"people:read",
	"people:write",
	"teams:read",
	"teams:write",
	"trusts:read",
	"services:read",
	"services:write",
	"slas:read",
	"slas:write",
	"catalog:read",
	"reports:read",
	"mail:read",
	"requests:read",
	"events:write",
	"notes:internal:read",
	"webhooks:read",
	"webhooks:write",
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A token's scopes are permissions too, so routes check one thing whoever calls. Managing
 * tokens, trusts (which let another account in) and parked messages takes a signed-in person.
 * Requests are worked on by people; a token reads them (requests:read, without internal notes
 * unless notes:internal:read) and opens them through the events API (events:write).
 */
export const PERMISSIONS = [...SCOPES, "tokens:manage", "trusts:write", "messages:manage", "inbox:read", "apps:manage"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const SCOPE_LABELS: Record<Scope, string> = {
	"account:read": "Read the account profile and portal design",
	"account:write": "Change the account profile and portal design",
	"people:read": "Read people and their roles",
	"people:write": "Invite people, change their roles, remove them",
	"teams:read": "Read teams",
	"teams:write": "Create, change and delete teams",
	"trusts:read": "Read trusts with other accounts",
	"services:read": "Read services, service instances and service offerings",
	"services:write": "Define services, service instances and service offerings",
	"slas:read": "Read service level agreements",
	"slas:write": "Create SLAs and change their dates and status",
	"catalog:read": "Read the self-service catalog",
	"reports:read": "Read SLA reports (this account's, and its providers' reports of its SLAs)",
	"mail:read": "Read the e-mail delivery log",
	"requests:read": "Read the account's requests and their public notes",
	"events:write": "Post events from monitoring tools (they open or update requests)",
	"notes:internal:read": "Read internal notes of requests too",
	"webhooks:read": "Read webhook endpoints and their delivery log",
	"webhooks:write": "Create, change, rotate and delete webhook endpoints; redeliver; send test events",
};

const STAFF_READ: Permission[] = [
	"account:read",
	"catalog:read",
	"requests:read",
	"inbox:read",
	"people:read",
	"teams:read",
	"trusts:read",
	"services:read",
	"slas:read",
];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
	end_user: ["account:read", "catalog:read", "requests:read"],
	specialist: STAFF_READ,
	auditor: [...STAFF_READ, "reports:read"],
	service_level_manager: [...STAFF_READ, "services:write", "slas:write", "reports:read"],
	account_administrator: PERMISSIONS,
};

export function permissionsOfRoles(roles: readonly Role[]): Set<Permission> {
	const granted = new Set<Permission>();
	for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) granted.add(p);
	return granted;
}

/** Staff of an account: any role besides end user (specialist, administrator, auditor, service level manager). */
export function isStaff(roles: readonly Role[]): boolean {
	return roles.some((r) => r !== "end_user");
}

/**
 * Those who answer for the service delivery (administrator, auditor, service level manager): they
 * see every team's work, in the Inbox and the search, and the SLA reports.
 */
export function isOverseer(roles: readonly Role[]): boolean {
	return roles.includes("account_administrator") || roles.includes("auditor") || roles.includes("service_level_manager");
}

/**
 * 4me: "The Specialist role is a prerequisite for each of the other roles, with the exception of
 * the Auditor, Account Designer and the Account Administrator roles." Returns a problem or null.
 */
export function checkRoleCombination(roles: readonly Role[]): string | null {
	if (roles.includes("service_level_manager") && !roles.includes("specialist")) {
		return "The service level manager role requires the specialist role.";
	}
	return null;
}

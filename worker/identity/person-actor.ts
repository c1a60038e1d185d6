// A person of an account as the AccountObject needs them: staff or not, overseer or not, from
// their roles in that account. One place, for the portal's calls and for mail alike.
import type { PersonActor } from "../account/context";
import type { Role } from "../shared/roles";

export function personActorOf(person: { id: string; name: string }, roles: readonly Role[]): PersonActor {
	return {
		personId: person.id,
		name: person.name,
		staff: roles.some((r) => r !== "end_user"),
		// Those who answer for the service delivery: they see every team's work, and its SLA reports.
		overseer: roles.includes("account_administrator") || roles.includes("auditor") || roles.includes("service_level_manager"),
	};
}

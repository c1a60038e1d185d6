// A person of an account as the AccountObject needs them: staff or not, overseer or not, from
// their roles in that account (the rules are shared/roles.ts, the portal's too). One place, for
// the portal's calls and for mail alike.
import type { PersonActor } from "../account/context";
import { isOverseer, isStaff, type Role } from "../shared/roles";

export function personActorOf(person: { id: string; name: string }, roles: readonly Role[]): PersonActor {
	return {
		personId: person.id,
		name: person.name,
		staff: isStaff(roles),
		overseer: isOverseer(roles),
	};
}

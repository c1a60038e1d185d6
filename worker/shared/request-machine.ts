// Which request status may follow which, and who may do what to a request. Pure rules, so that
// the owner's AccountObject can enforce them the same way for every caller.
import type { CompletionReason, RequestStatus } from "./request-api";

const OPEN_STATUSES: RequestStatus[] = ["assigned", "accepted", "in_progress", "waiting_for", "waiting_for_customer", "on_backlog", "declined"];

/** Status changes a specialist of the assigned team may make. Completed → assigned is "reopen". */
const NEXT: Record<RequestStatus, readonly RequestStatus[]> = {
	assigned: ["accepted", "in_progress", "waiting_for", "waiting_for_customer", "on_backlog", "declined", "completed"],
	accepted: ["assigned", "in_progress", "waiting_for", "waiting_for_customer", "on_backlog", "completed"],
	in_progress: ["assigned", "accepted", "waiting_for", "waiting_for_customer", "on_backlog", "completed"],
	waiting_for: ["assigned", "in_progress", "waiting_for_customer", "on_backlog", "completed"],
	waiting_for_customer: ["assigned", "in_progress", "waiting_for", "on_backlog", "completed"],
	on_backlog: ["assigned", "in_progress", "waiting_for", "waiting_for_customer", "completed"],
	declined: ["assigned", "completed"],
	completed: [],
};

export const isOpen = (status: RequestStatus) => status !== "completed";
export const openStatuses = () => OPEN_STATUSES;

export type TransitionProblem = { code: "invalid_transition" | "invalid_input"; message: string } | null;

export function checkTransition(from: RequestStatus, to: RequestStatus, completionReason: CompletionReason | undefined): TransitionProblem {
	if (from === to) return { code: "invalid_transition", message: `The request is already ${label(to)}.` };
	if (!NEXT[from].includes(to)) {
		return { code: "invalid_transition", message: from === "completed" ? "A completed request is reopened, not changed." : `A request cannot go from ${label(from)} to ${label(to)}.` };
	}
	if (to === "completed" && !completionReason) return { code: "invalid_input", message: "Completing a request needs a completion reason." };
	if (to !== "completed" && completionReason) return { code: "invalid_input", message: "A completion reason goes with completing the request only." };
	return null;
}

export function label(status: RequestStatus): string {
	return status.replaceAll("_", " ");
}

/** Who is asking, relative to one request. */
export interface RequestRole {
	/** The person the request is from or for, in the owner's account. */
	requester: boolean;
	/** A specialist (or administrator, auditor) of the owner account. */
	ownerStaff: boolean;
	/** A member of the team the request is assigned to (in the owner's or a provider's account). */
	teamMember: boolean;
}

export type RequestAction = "note" | "internal_note" | "accept" | "set_status" | "set_impact" | "assign" | "reopen" | "withdraw";

/** The actions a person in `role` may take on a request that is `status` now. */
export function allowedActions(role: RequestRole, status: RequestStatus): RequestAction[] {
	const actions: RequestAction[] = [];
	if (role.requester || role.ownerStaff || role.teamMember) actions.push("note");
	if (role.ownerStaff || role.teamMember) actions.push("internal_note");
	if (role.teamMember && isOpen(status)) {
		if (status === "assigned" || status === "declined") actions.push("accept");
		actions.push("set_status", "set_impact", "assign");
	}
	if ((role.requester || role.teamMember || role.ownerStaff) && status === "completed") actions.push("reopen");
	if (role.requester && isOpen(status)) actions.push("withdraw");
	return actions;
}

/**
 * When the requester answers a request that is waiting for them, it goes back to the team: to
 * the member working on it, or to the whole team when nobody is.
 */
export function statusAfterCustomerAnswer(status: RequestStatus, hasMember: boolean): RequestStatus | null {
	if (status !== "waiting_for_customer") return null;
	return hasMember ? "in_progress" : "assigned";
}

// The request status changes a specialist of the assigned team may make (4me's set), written out
// independently of worker/shared/request-machine.ts so that tests can hold the machine to it:
// the unit test checks the machine, the worker test checks the API. Completed → * is "reopen",
// not a status change.
import type { RequestStatus } from "../worker/shared/request-api";

export const ALLOWED_TRANSITIONS: Record<RequestStatus, RequestStatus[]> = {
	assigned: ["accepted", "in_progress", "waiting_for", "waiting_for_customer", "on_backlog", "declined", "completed"],
	accepted: ["assigned", "in_progress", "waiting_for", "waiting_for_customer", "on_backlog", "completed"],
	in_progress: ["assigned", "accepted", "waiting_for", "waiting_for_customer", "on_backlog", "completed"],
	waiting_for: ["assigned", "in_progress", "waiting_for_customer", "on_backlog", "completed"],
	waiting_for_customer: ["assigned", "in_progress", "waiting_for", "on_backlog", "completed"],
	on_backlog: ["assigned", "in_progress", "waiting_for", "waiting_for_customer", "completed"],
	declined: ["assigned", "completed"],
	completed: [],
};

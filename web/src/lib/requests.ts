// Words for requests, as people read them in the portal: statuses, categories, impacts,
// completion reasons and the audit trail. Types come from the Worker's shared schemas
// (type-only imports: no zod in the portal bundle); the lists are checked against those types.
import { checkTransition } from "../../../worker/shared/request-machine";
import type { AuditEntry, CompletionReason, RequestCategory, RequestImpact, RequestStatus, RequestSummary } from "../../../worker/shared/request-api";
import type { Tone } from "./services";

export const STATUS: Record<RequestStatus, { label: string; tone: Tone }> = {
	assigned: { label: "Assigned", tone: "info" },
	accepted: { label: "Accepted", tone: "info" },
	in_progress: { label: "In progress", tone: "info" },
	waiting_for: { label: "Waiting for others", tone: "warning" },
	waiting_for_customer: { label: "Waiting for customer", tone: "warning" },
	on_backlog: { label: "On backlog", tone: "neutral" },
	declined: { label: "Declined", tone: "danger" },
	completed: { label: "Completed", tone: "success" },
};

export const STATUSES = Object.keys(STATUS) as RequestStatus[];

/** The requester reads "waiting for customer" as what it means for them. */
export function statusLabel(status: RequestStatus, forRequester = false): string {
	if (forRequester && status === "waiting_for_customer") return "Waiting for your answer";
	return STATUS[status].label;
}

export const CATEGORY: Record<RequestCategory, { label: string; short: string }> = {
	incident: { label: "Something is broken", short: "Incident" },
	rfi: { label: "A question", short: "Question" },
	rfc: { label: "A change", short: "Change" },
	complaint: { label: "A complaint", short: "Complaint" },
	compliment: { label: "A compliment", short: "Compliment" },
	other: { label: "Something else", short: "Other" },
};

export const CATEGORIES = ["incident", "rfi", "rfc", "complaint", "compliment", "other"] as const satisfies readonly RequestCategory[];

/** 4me's impact levels, in the words 4me uses to explain them. Most urgent first. */
export const IMPACT: Record<RequestImpact, { label: string; description: string }> = {
	top: { label: "Top", description: "Service down for several people" },
	high: { label: "High", description: "Service degraded for several people" },
	medium: { label: "Medium", description: "Service down for one person" },
	low: { label: "Low", description: "Service degraded for one person" },
};

export const IMPACTS = ["top", "high", "medium", "low"] as const satisfies readonly RequestImpact[];

/** 4me's completion reasons. */
export const COMPLETION_REASON: Record<CompletionReason, { label: string; description: string }> = {
	solved: { label: "Solved", description: "Root cause analysis not required" },
	workaround: { label: "Workaround", description: "Root cause not removed" },
	gone: { label: "Gone", description: "Unable to reproduce" },
	duplicate: { label: "Duplicate", description: "Same as another request of the customer" },
	withdrawn: { label: "Withdrawn", description: "Withdrawn by the requester" },
	no_reply: { label: "No reply", description: "No reply received from the customer" },
	rejected: { label: "Rejected", description: "Rejected by the approver" },
	conflict: { label: "Conflict", description: "In conflict with an internal standard or policy" },
	declined: { label: "Declined", description: "Declined by the service provider" },
	unsolvable: { label: "Unsolvable", description: "Unable to solve" },
};

export const COMPLETION_REASONS = Object.keys(COMPLETION_REASON) as CompletionReason[];

/** The statuses a request may be set to from `from`, by the rules the server enforces. */
export function nextStatuses(from: RequestStatus): RequestStatus[] {
	return STATUSES.filter((to) => checkTransition(from, to, to === "completed" ? "solved" : undefined) === null);
}

const isStatus = (v: string | null): v is RequestStatus => v !== null && v in STATUS;
const isReason = (v: string | null): v is CompletionReason => v !== null && v in COMPLETION_REASON;

/**
 * One audit entry as a phrase: "changed the status from Assigned to Accepted". `accountName`
 * turns the account id the trail keeps with a team ("Email Support (widget-dc)") into its name.
 */
export function auditPhrase(a: AuditEntry, accountName: (id: string) => string = (id) => id): string {
	const named = (v: string | null) => v?.replace(/ \(([a-z0-9-]+)\)$/, (_, id: string) => ` (${accountName(id)})`) ?? null;
	const word = (v: string | null) => (isStatus(v) ? STATUS[v].label : isReason(v) ? COMPLETION_REASON[v].label : (named(v) ?? ""));
	switch (a.field) {
		case "status":
			if (a.from === null) return `registered the request (${word(a.to)})`;
			return `changed the status from ${word(a.from)} to ${word(a.to)}`;
		case "team":
			if (a.to === null) return `took it away from ${a.from ?? "the team"}`;
			return a.from === null ? `assigned it to ${word(a.to)}` : `reassigned it from ${word(a.from)} to ${word(a.to)}`;
		case "member":
			if (a.to === null) return `removed ${a.from ?? "the member"} as the member working on it`;
			return a.from === null ? `made ${a.to} the member working on it` : `handed it from ${a.from} to ${a.to}`;
		case "impact": {
			const impact = (v: string | null) => (v !== null && v in IMPACT ? IMPACT[v as RequestImpact].label : (v ?? "nothing"));
			return `changed the impact from ${impact(a.from)} to ${impact(a.to)}`;
		}
		case "completion reason":
			return a.to === null ? "cleared the completion reason" : `set the completion reason to ${word(a.to)}`;
		case "returned":
			// Set when a provider's trust ended with the request open; cleared once it has a team here.
			return a.to === null ? "took it off the returned requests" : `took it back: ${a.to}`;
		default:
			return `changed ${a.field} from ${word(a.from) || "nothing"} to ${word(a.to) || "nothing"}`;
	}
}

/** "Email · Email Production" */
export function serviceLine(r: Pick<RequestSummary, "service">): string {
	return r.service.instance.name && r.service.instance.name !== r.service.name ? `${r.service.name} · ${r.service.instance.name}` : r.service.name;
}

/** Who works on it: "Email Support (Widget Data Center)", with the member when there is one. */
export function teamLine(r: Pick<RequestSummary, "team" | "provider" | "owner" | "member" | "returned">): string {
	if (!r.team) return r.returned ? `Back with ${r.owner.name}, not yet assigned` : "Not assigned to a team";
	const accountName = r.team.accountId === r.provider?.id ? r.provider.name : r.team.accountId === r.owner.id ? r.owner.name : r.team.accountId;
	return `${r.team.name} (${accountName})`;
}

// The kinds of in-app notification, one list for the worker, the API and the portal. Each kind
// is addressed to people in one role (the one the event concerns), so the role's defaults are the
// kind's defaults: whoever receives it receives it in that role, whatever other roles they hold.
import { isStaff, type Role } from "./roles";

export const NOTIFICATION_KINDS = [
	"request_assigned",
	"request_updated",
	"my_request_updated",
	"waiting_for_me",
	"sla_warning",
	"sla_breach",
	"trust_asked",
	"trust_accepted",
	"trust_ended",
	"webhook_disabled",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who a kind is for: end users (requesters), specialists (team members), administrators. */
export type NotificationAudience = "end_user" | "specialist" | "administrator";

export interface NotificationKindInfo {
	audience: NotificationAudience;
	label: string;
	/** The defaults: end users get e-mail on every change to their requests; specialists only for assignments; administrators for trust events. */
	inApp: boolean;
	email: boolean;
}

export const NOTIFICATION_KIND_INFO: Record<NotificationKind, NotificationKindInfo> = {
	request_assigned: { audience: "specialist", label: "A request is assigned to me or my team", inApp: true, email: true },
	request_updated: { audience: "specialist", label: "A note or status change on a request assigned to me", inApp: true, email: false },
	sla_warning: { audience: "specialist", label: "An SLA target of a request I work on is approaching", inApp: true, email: false },
	sla_breach: { audience: "specialist", label: "An SLA target of a request I work on is breached", inApp: true, email: false },
	my_request_updated: { audience: "end_user", label: "A note or status change on my request", inApp: true, email: true },
	waiting_for_me: { audience: "end_user", label: "My request waits for my answer", inApp: true, email: true },
	trust_asked: { audience: "administrator", label: "Another account asks for a trust", inApp: true, email: true },
	trust_accepted: { audience: "administrator", label: "A trust with another account becomes active", inApp: true, email: true },
	trust_ended: { audience: "administrator", label: "A trust with another account ends", inApp: true, email: true },
	webhook_disabled: { audience: "administrator", label: "A webhook endpoint is disabled after failed deliveries", inApp: true, email: true },
};

/**
 * The kinds a person with these roles can receive, for their preferences page: everyone is a
 * requester; staff work on requests; account administrators hear of trusts.
 */
export function kindsForRoles(roles: readonly Role[]): NotificationKind[] {
	const staff = isStaff(roles);
	const admin = roles.includes("account_administrator");
	return NOTIFICATION_KINDS.filter((k) => {
		const a = NOTIFICATION_KIND_INFO[k].audience;
		return a === "end_user" || (a === "specialist" && staff) || (a === "administrator" && admin);
	});
}

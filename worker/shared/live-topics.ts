// Invalidations on an account's socket: "what you see of these changed, fetch it again". Unlike
// request events they carry no data, only the topic and which item, so they may go to everyone
// allowed to read the topic without leaking anything: the refetch goes through the normal API,
// which checks again what this person may see (an end user's catalog, for instance).
import type { Permission } from "./roles";

export const LIVE_TOPICS = ["trusts", "slas", "received_slas", "catalog"] as const;
/**
 * trusts: this account's trusts (id: the other account). slas: SLAs this account provides (id:
 * the SLA). received_slas: SLAs other accounts provide to it (id: the SLA). catalog: what its
 * people may request (no id: whose catalog changed is for the API to say).
 */
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** The permission a socket's person needs to hear of a topic. */
export const TOPIC_PERMISSION: Record<LiveTopic, Permission> = {
	trusts: "trusts:read",
	slas: "slas:read",
	received_slas: "slas:read",
	catalog: "catalog:read",
};

/** The topics a person with these permissions hears of (fixed when their socket's ticket is issued). */
export function topicsFor(permissions: ReadonlySet<Permission> | readonly Permission[]): LiveTopic[] {
	const has = (p: Permission) => (Array.isArray(permissions) ? permissions.includes(p) : (permissions as ReadonlySet<Permission>).has(p));
	return LIVE_TOPICS.filter((t) => has(TOPIC_PERMISSION[t]));
}

/** The frame a socket receives; numbered in the same sequence as request events (resume covers both). */
export interface InvalidateFrame {
	type: "invalidate";
	seq: number;
	topic: LiveTopic;
	id: string | null;
}

// The Inbox's and the request lists' filters as SQL conditions, in one place for both tables: the
// Inbox index keeps status, team, member and next target in (indexed) columns and the rest in its
// summary JSON; the requests table has them all as columns. The text filter is a plain substring
// match for now (LIKE, wildcards escaped) over what the other conditions already narrowed.
import { and, eq, gte, inArray, isNull, lt, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { AT_RISK_MS, type RequestImpact, type SlaState } from "../shared/request-api";

/** Where each filtered field lives in the table being queried. */
export interface FilterColumns {
	status: SQLWrapper;
	/** True for a request that is not completed (a column, or a condition). */
	open: SQL;
	/** Narrows by openness in a way an index on the open flag can use (the Inbox); null where there is none. */
	openIn: ((values: boolean[]) => SQL) | null;
	teamId: SQLWrapper;
	memberId: SQLWrapper;
	nextTargetAt: SQLWrapper;
	impact: SQLWrapper;
	serviceInstanceId: SQLWrapper;
	subject: SQLWrapper;
	number: SQLWrapper;
}

export interface RequestFilters {
	/** Request statuses, plus "open" (any but completed) and "all". */
	status: readonly string[];
	teamId?: string | undefined;
	service?: string | undefined;
	impact?: readonly RequestImpact[] | undefined;
	assignee?: string | undefined;
	sla?: readonly SlaState[] | undefined;
	text?: string | undefined;
}

/** `%`, `_` and the escape itself match literally: people search for "100%" or "log_rotate". */
export function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function statusCondition(cols: FilterColumns, statuses: readonly string[]): SQL[] {
	if (statuses.includes("all")) return [];
	const named = statuses.filter((s) => s !== "open");
	const anyOpen = statuses.includes("open");
	const parts: SQL[] = [];
	if (anyOpen) parts.push(cols.open);
	if (named.length > 0) parts.push(inArray(cols.status, named));
	const condition = parts.length === 1 ? parts[0] : or(...parts);
	if (!condition) return [];
	// Which open flags the statuses imply, so that the Inbox's (open, team, …) index still leads.
	const flags = new Set<boolean>(anyOpen ? [true] : []);
	for (const s of named) flags.add(s !== "completed");
	return cols.openIn ? [cols.openIn([...flags]), condition] : [condition];
}

function slaCondition(cols: FilterColumns, states: readonly SlaState[], now: number): SQL | undefined {
	const risk = now + AT_RISK_MS;
	const parts = states.map((s) => {
		switch (s) {
			case "breached":
				return lt(cols.nextTargetAt, new Date(now));
			case "at_risk":
				return and(gte(cols.nextTargetAt, new Date(now)), lt(cols.nextTargetAt, new Date(risk))) as SQL;
			case "on_track":
				return gte(cols.nextTargetAt, new Date(risk));
			case "none":
				return isNull(cols.nextTargetAt);
		}
	});
	return parts.length === 1 ? parts[0] : or(...parts);
}

function textCondition(cols: FilterColumns, text: string): SQL | undefined {
	const subject = sql`${cols.subject} LIKE ${likePattern(text)} ESCAPE '\\'`;
	const digits = /^#?(\d{1,12})$/.exec(text)?.[1];
	return digits ? or(subject, sql`CAST(${cols.number} AS TEXT) LIKE ${likePattern(digits)}`) : subject;
}

/** The conditions for `f`, to AND with the list's own (who may see what). `viewerId` is whom "me" means. */
export function filterConditions(cols: FilterColumns, f: RequestFilters, viewerId: string, now: number): SQL[] {
	const where: SQL[] = statusCondition(cols, f.status);
	if (f.teamId) where.push(eq(cols.teamId, f.teamId));
	if (f.service) where.push(eq(cols.serviceInstanceId, f.service));
	if (f.impact && f.impact.length > 0) where.push(inArray(cols.impact, [...f.impact]));
	if (f.assignee === "unassigned") where.push(isNull(cols.memberId));
	else if (f.assignee) where.push(eq(cols.memberId, f.assignee === "me" ? viewerId : f.assignee));
	const sla = f.sla && f.sla.length > 0 ? slaCondition(cols, f.sla, now) : undefined;
	if (sla) where.push(sla);
	const text = f.text ? textCondition(cols, f.text) : undefined;
	if (text) where.push(text);
	return where;
}

// Requests: what people ask for, registered once in the account of the person asking, worked on
// by the team an SLA routes it to (often in a provider's account), seen live by both.
import { z } from "zod";
import { PageQuery, pageWith } from "./page-api";
import { AttachmentId, AttachmentRef } from "./attachment-api";
import type { NotificationFrame } from "./notification-api";
import { AccountId, PersonId, TeamId } from "./api";
import type { InvalidateFrame } from "./live-topics";
import { ServiceInstanceId, SlaId } from "./service-api";
import { lineText, multilineText } from "./text";

export const REQUEST_CATEGORIES = ["incident", "rfc", "rfi", "complaint", "compliment", "other"] as const;
export const REQUEST_IMPACTS = ["low", "medium", "high", "top"] as const;
export const REQUEST_STATUSES = [
	"assigned",
	"accepted",
	"in_progress",
	"waiting_for",
	"waiting_for_customer",
	"on_backlog",
	"declined",
	"completed",
] as const;
export const COMPLETION_REASONS = ["solved", "workaround", "gone", "duplicate", "withdrawn", "no_reply", "rejected", "conflict", "declined", "unsolvable"] as const;

export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];
export type RequestImpact = (typeof REQUEST_IMPACTS)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type CompletionReason = (typeof COMPLETION_REASONS)[number];

/** Notes are plain text (shown as text everywhere, never as HTML), at most 64 KB. */
export const MAX_NOTE_BYTES = 64 * 1024;
export const NoteBody = multilineText({ max: MAX_NOTE_BYTES, min: 1, minMessage: "Write something." })
	.refine((s) => new TextEncoder().encode(s).length <= MAX_NOTE_BYTES, "A note can hold at most 64 KB.");

export const RequestId = z.string().regex(/^req_[A-Za-z0-9]{10,40}$/, "Not a request id.");

const Ref = z.object({ id: z.string(), name: z.string() });
const AccountRef = z.object({ id: z.string(), name: z.string() });

/** The monitoring tool and its key for one alert (the events API): what opened a request or wrote a note. */
export const EventMark = z
	.object({
		source: z.string().meta({ description: "The tool that sent the event, e.g. \"zabbix\"." }),
		sourceId: z.string().meta({ description: "The tool's key for the alert." }),
	})
	.meta({ id: "EventMark" });
export type EventMark = z.infer<typeof EventMark>;

export const RequestNote = z
	.object({
		id: z.string(),
		author: z.object({ id: z.string(), name: z.string(), accountId: z.string() }),
		body: z.string(),
		/** shared: the requester and every account working on the request see it; internal: only `account`. */
		visibility: z.enum(["shared", "internal"]),
		account: z.string().meta({ description: "For internal notes: the one account that sees it." }),
		createdAt: z.iso.datetime(),
		attachments: z.array(AttachmentRef).optional().meta({ description: "The note's files (absent: none)." }),
		event: EventMark.optional().meta({ description: "Written by an event of this source and key (POST …/events), not typed by its author (absent: typed)." }),
	})
	.meta({ id: "RequestNote" });
export type RequestNote = z.infer<typeof RequestNote>;

export const AuditEntry = z
	.object({
		at: z.iso.datetime(),
		actor: z.object({ name: z.string(), accountId: z.string() }),
		field: z.string(),
		from: z.string().nullable(),
		to: z.string().nullable(),
	})
	.meta({ id: "RequestAuditEntry" });
export type AuditEntry = z.infer<typeof AuditEntry>;

/**
 * A request taken back from a provider whose trust ended: it waits for a team of its own account.
 * Cleared when it is assigned to a team (or completed).
 */
export const ReturnedMark = z
	.object({
		from: AccountRef.meta({ description: "The provider whose teams had it." }),
		reason: z.string().meta({ description: "Why it came back, in a sentence." }),
		at: z.iso.datetime(),
	})
	.meta({ id: "ReturnedMark" });
export type ReturnedMark = z.infer<typeof ReturnedMark>;

export const RequestSummary = z
	.object({
		id: RequestId,
		number: z.number().int(),
		owner: AccountRef.meta({ description: "The account the request was registered in (and lives in)." }),
		subject: z.string(),
		category: z.enum(REQUEST_CATEGORIES),
		impact: z.enum(REQUEST_IMPACTS),
		status: z.enum(REQUEST_STATUSES),
		completionReason: z.enum(COMPLETION_REASONS).nullable(),
		requestedBy: Ref,
		requestedFor: Ref,
		provider: AccountRef.nullable(),
		service: z.object({ name: z.string(), instance: Ref }),
		team: z.object({ accountId: z.string(), id: z.string(), name: z.string() }).nullable(),
		member: Ref.nullable(),
		reopenCount: z.number().int(),
		assignmentCount: z.number().int(),
		nextTargetAt: z.iso.datetime().nullable().meta({ description: "The next SLA target the provider's clock is running to (response, resolution or desired completion)." }),
		desiredCompletionAt: z.iso.datetime().nullable(),
		createdAt: z.iso.datetime(),
		updatedAt: z.iso.datetime(),
		completedAt: z.iso.datetime().nullable(),
		// Defaults to null so that a summary written before the mark existed (an Inbox index row, a
		// message still queued) still reads as one.
		returned: ReturnedMark.nullable()
			.default(null)
			.meta({ description: "Set while the request, taken back from a provider whose trust ended, waits for a team of this account (Inbox view=returned)." }),
		// Defaults to null for the same reason as `returned`.
		event: EventMark.extend({ ci: z.string().nullable().meta({ description: "The configuration item the event named, as text." }) })
			.nullable()
			.default(null)
			.meta({ description: "Set when an event (POST …/events) opened the request: its source and key. Null: registered by a person." }),
	})
	.meta({ id: "RequestSummary" });
export type RequestSummary = z.infer<typeof RequestSummary>;

export const Request = RequestSummary.extend({
	notes: z.array(RequestNote),
	audit: z.array(AuditEntry),
	allowed: z.array(z.string()).meta({ description: "What the caller may do to it now: note, internal_note, accept, set_status, assign, reopen, withdraw." }),
}).meta({ id: "Request" });
export type Request = z.infer<typeof Request>;

export const CreateRequestInput = z
	.strictObject({
		providerAccountId: AccountId.meta({ description: "The catalog entry's provider." }),
		slaId: SlaId.meta({ description: "The catalog entry's SLA: the provider routes the request by it." }),
		subject: lineText({ max: 200 }),
		category: z.enum(REQUEST_CATEGORIES).default("incident"),
		impact: z.enum(REQUEST_IMPACTS).default("low"),
		note: NoteBody.optional().meta({ description: "The first note: what is going on." }),
		requestedForId: PersonId.optional().meta({ description: "On behalf of someone else of this account (specialists only)." }),
		desiredCompletionAt: z.iso.datetime().optional().meta({ description: "When it is needed; later than the SLA's resolution target, it becomes the target." }),
	})
	.meta({
		id: "CreateRequestInput",
		example: { providerAccountId: "widget-dc", slaId: "sla_4kQ9xTz2mB7P", subject: "Printer on floor 3 jams", category: "incident", impact: "medium", note: "Since this morning every print job jams." },
	});
export type CreateRequestInput = z.infer<typeof CreateRequestInput>;

export const RequestCommand = z
	.discriminatedUnion("type", [
		z.strictObject({
			type: z.literal("note"),
			body: NoteBody,
			internal: z.boolean().default(false).meta({ description: "Internal: only this account's specialists see it." }),
			attachmentIds: z
				.array(AttachmentId)
				.max(10)
				.optional()
				.meta({ description: "Your finished uploads on this request (POST …/attachments) that this note carries; they take its visibility." }),
		}),
		z.strictObject({ type: z.literal("accept") }),
		z.strictObject({ type: z.literal("set_impact"), impact: z.enum(REQUEST_IMPACTS) }),
		z.strictObject({
			type: z.literal("set_status"),
			status: z.enum(REQUEST_STATUSES),
			completionReason: z.enum(COMPLETION_REASONS).optional(),
			note: NoteBody.optional(),
		}),
		z.strictObject({ type: z.literal("assign"), teamId: TeamId.optional(), memberId: PersonId.nullable().optional() }),
		z.strictObject({ type: z.literal("reopen"), note: NoteBody.optional() }),
		z.strictObject({ type: z.literal("withdraw"), note: NoteBody.optional() }),
	])
	.meta({ id: "RequestCommand", example: { type: "note", body: "Replaced the fuser unit; please try printing again.", internal: false } });
export type RequestCommand = z.infer<typeof RequestCommand>;

// ── Filters of the Inbox and the request lists ───────────────────────────────

/**
 * How a request stands against its next SLA target (RequestSummary.nextTargetAt, the provider's
 * clock): breached (the target has passed), at_risk (it falls within AT_RISK_MS), on_track
 * (later than that), none (no clock is running to a target: none applies, stopped, or done).
 */
export const SLA_STATES = ["breached", "at_risk", "on_track", "none"] as const;
export type SlaState = (typeof SLA_STATES)[number];
/** "At risk": the next target is due within this long (wall-clock, like the portal's "in 45 min"). */
export const AT_RISK_MS = 60 * 60 * 1000;

/**
 * A comma-separated list in a query string ("status=assigned,accepted"): one parameter per filter
 * keeps a URL short and readable, and the same string works in a saved filter.
 */
function csvOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
	return z
		.string()
		.max(300)
		.transform((s) => [...new Set(s.split(",").map((v) => v.trim()).filter((v) => v !== ""))])
		.pipe(z.array(z.enum(values, { error: (i) => `Unknown ${what}: ${String(i.input)}. One of: ${values.join(", ")}.` })).min(1, `Name at least one ${what}.`))
		.meta({ description: `Comma-separated, any of: ${values.join(", ")}.` });
}

/** The filters the Inbox and the request lists share. */
const RequestFilters = {
	teamId: TeamId.optional().meta({ description: "Assigned to this team." }),
	service: ServiceInstanceId.optional().meta({ description: "For this service instance." }),
	impact: csvOf(REQUEST_IMPACTS, "impact").optional(),
	assignee: z
		.union([z.enum(["me", "unassigned"]), PersonId])
		.optional()
		.meta({ description: "me: assigned to you; unassigned: to a team but no member yet; or a person's id." }),
	sla: csvOf(SLA_STATES, "SLA state")
		.optional()
		.meta({ description: `breached: the next SLA target has passed; at_risk: it is due within ${AT_RISK_MS / 60_000} min; on_track: later; none: no target running. Comma-separated.` }),
	text: z
		.string()
		.trim()
		.min(1, "Type something to look for.")
		.max(100)
		.optional()
		.meta({ description: "A piece of the subject, or of the number (\"#12\" or \"12\"), case-insensitive." }),
};

export const INBOX_VIEWS = ["mine", "teams", "returned"] as const;
export const INBOX_STATUSES = [...REQUEST_STATUSES, "open"] as const;
export const InboxQuery = z.object({
	view: z.enum(INBOX_VIEWS).default("teams").meta({
		description:
			"mine: assigned to you; teams: assigned to your teams; returned: this account's requests taken back from a provider whose trust ended, still without a team (oldest first).",
	}),
	status: csvOf(INBOX_STATUSES, "status")
		.default(["open"])
		.meta({ description: `Comma-separated, any of: ${INBOX_STATUSES.join(", ")} (open: any status but completed).` }),
	customer: z.string().max(32).optional().meta({ description: "Requests of this account (a customer, or this account itself)." }),
	memberId: PersonId.optional().meta({ description: "Assigned to this person; the same as assignee=<id>." }),
	...RequestFilters,
	...PageQuery.shape,
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export const InboxPage = pageWith(
	RequestSummary,
	{ total: z.number().int().meta({ description: "How many match the query, on every page." }) },
	"InboxPage",
);
export type InboxPage = z.infer<typeof InboxPage>;

export const REQUEST_LIST_STATUSES = [...REQUEST_STATUSES, "open", "all"] as const;
export const MyRequestsQuery = z.object({
	scope: z.enum(["mine", "account"]).default("mine").meta({ description: "mine: from or for you; account: every request of this account (its specialists)." }),
	status: csvOf(REQUEST_LIST_STATUSES, "status")
		.default(["all"])
		.meta({ description: `Comma-separated, any of: ${REQUEST_LIST_STATUSES.join(", ")} (open: any status but completed).` }),
	...RequestFilters,
	...PageQuery.shape,
});
export type MyRequestsQuery = z.infer<typeof MyRequestsQuery>;

// ── Realtime protocol ────────────────────────────────────────────────────────

/** Bumped when the socket messages change incompatibly; old clients are told to reload. */
export const PROTOCOL_VERSION = 1;

export const ClientFrame = z.discriminatedUnion("type", [
	z.strictObject({ type: z.literal("resume"), lastSeq: z.number().int().min(0) }),
	z.strictObject({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/**
 * What a socket receives. Events carry the request as the receiving account may see it;
 * invalidations (added in protocol 1 without a bump: clients ignore frame types they do not know)
 * only say which trusts, SLAs or catalog changed.
 */
export type ServerFrame =
	| { type: "hello"; seq: number; protocol: number }
	| { type: "event"; seq: number; kind: "request.created" | "request.updated" | "note.added" | "request.removed"; requestId: string; request: RequestSummary | null; note: RequestNote | null }
	| InvalidateFrame
	| { type: "reset"; seq: number }
	| { type: "error"; code: string; message: string }
	| { type: "pong" }
	| NotificationFrame;

// The events API: a monitoring tool posts what it sees; Trustdesk turns it into a request, or a note
// on the request an earlier event with the same key opened, or completes that request.
import { z } from "zod";
import { Email } from "./api";
import { NoteBody, REQUEST_CATEGORIES, REQUEST_IMPACTS, RequestSummary } from "./request-api";
import { lineText } from "./text";

export const EVENT_STATUSES = ["open", "resolved"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EventInput = z
	.strictObject({
		source: lineText({ max: 100 }).meta({ description: "The tool that sends the event, e.g. \"zabbix\". With sourceId, the alert's key in this account.", example: "zabbix" }),
		sourceId: lineText({ max: 200 }).meta({ description: "The tool's key for the alert (a trigger or problem id).", example: "trigger-4711" }),
		service: lineText({ max: 200 })
			.optional()
			.meta({
				description:
					"The service's name (or its service instance's name), as in the catalog of the requester: one of the services offered to this account by SLA. Case does not matter. No match, or several, answers 400.",
				example: "Email",
			}),
		ci: lineText({ max: 200 })
			.optional()
			.meta({ description: "The configuration item the alert is about. Trustdesk has no CIs yet: it is kept as text on the request, and the service is matched by `service` alone." }),
		subject: lineText({ max: 200 }),
		category: z.enum(REQUEST_CATEGORIES).default("incident"),
		impact: z.enum(REQUEST_IMPACTS).default("low"),
		note: NoteBody.optional().meta({ description: "What the tool says about it: the first note of a new request, or the note a repeat adds (the subject when absent)." }),
		status: z
			.enum(EVENT_STATUSES)
			.default("open")
			.meta({ description: "open: the alert is on (opens a request, or adds a note to the open one). resolved: it cleared; the open request of this key is completed (reason solved)." }),
		requestedBy: Email.optional().meta({ description: "The e-mail address of a person of this account to register it for. Default: the person who created the API token (an app's token: who installed the app; or the signed-in person)." }),
	})
	.meta({ id: "EventInput" });
export type EventInput = z.infer<typeof EventInput>;

export const EVENT_OUTCOMES = ["created", "noted", "completed"] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

export const EventResult = z
	.object({
		outcome: z.enum(EVENT_OUTCOMES).meta({ description: "created: a new request (201); noted: a note on the open request of this key (200); completed: that request was completed (200)." }),
		request: RequestSummary,
	})
	.meta({ id: "EventResult" });
export type EventResult = z.infer<typeof EventResult>;

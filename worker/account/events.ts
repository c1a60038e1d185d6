// The events API's rules, for the AccountObject to apply (POST …/events). An event is keyed by
// (source, sourceId) in its account: while the request that key opened is open, a repeat lands on
// it (a note, or its completion when the alert cleared); once it is completed, the key opens a new
// request. A new request is an ordinary one: registered for the requester under the SLA whose
// service the event names, from the same catalog the portal's request form offers that person.
import { fail, ok, type Result } from "../lib/result";
import type { EventInput } from "../shared/event-api";
import type { EventMark, RequestSummary } from "../shared/request-api";
import type { CustomerCatalog } from "./catalog";
import type { OwnerCommand } from "./requests";

type Entry = CustomerCatalog["entries"][number];

/** Names compare as people type them: case, accents' composition and surrounding spaces do not matter. */
const fold = (name: string) => name.normalize("NFKC").trim().toLocaleLowerCase("en");

/** At most this many names in an error message: enough to spot a typo, not a dump of the catalog. */
const LISTED = 10;

/**
 * The catalog entry an event's `service` names: a service instance's name first (it is the more
 * precise), else a service's name. Several SLAs for the same name are ambiguous: the event must
 * name the instance. Errors say what would have matched.
 */
export function matchService(catalog: CustomerCatalog, service: string | undefined, ci: string | undefined): Result<Entry> {
	if (service === undefined) {
		return fail("invalid_input", ci === undefined ? "Name the service the event is about." : "Name the service the event is about: Trustdesk has no configuration items to find it by, so `ci` is only kept as text.", [
			{ path: "service", message: "Required." },
		]);
	}
	const wanted = fold(service);
	const byInstance = catalog.entries.filter((e) => fold(e.instance.name) === wanted);
	const found = byInstance.length > 0 ? byInstance : catalog.entries.filter((e) => fold(e.service.name) === wanted);
	const distinct = [...new Map(found.map((e) => [`${e.providerAccountId}/${e.sla.id}`, e])).values()];
	const [only] = distinct;
	if (only && distinct.length === 1) return ok(only);
	if (distinct.length > 1) {
		const names = distinct.slice(0, LISTED).map((e) => `"${e.instance.name}" (${e.service.name}, ${e.providerAccountId})`);
		return fail("invalid_input", `"${service}" names more than one service offered to this account: name one of its service instances instead: ${names.join(", ")}.`, [
			{ path: "service", message: "Ambiguous." },
		]);
	}
	const offered = [...new Set(catalog.entries.map((e) => e.service.name))].sort();
	const listing = offered.length === 0 ? "No service is offered to the requester." : `Offered: ${offered.slice(0, LISTED).join(", ")}${offered.length > LISTED ? ", …" : ""}.`;
	return fail("invalid_input", `No service named "${service}" is offered to the requester of this event. ${listing}`, [{ path: "service", message: "No such service in the requester's catalog." }]);
}

export const keyOf = (input: Pick<EventInput, "source" | "sourceId">): EventMark => ({ source: input.source, sourceId: input.sourceId });

/** The change a repeat of the key makes to its open request. */
export function repeatCommand(input: EventInput): Extract<OwnerCommand, { type: "event" }> {
	return { type: "event", event: keyOf(input), status: input.status, body: input.note ?? input.subject };
}

/** A "resolved" event with no open request of its key: nothing to complete, said plainly (409). */
export function nothingToResolve(key: EventMark, last: RequestSummary | undefined): Result<never> {
	const what = `${key.source} · ${key.sourceId}`;
	return fail(
		"invalid_transition",
		last
			? `The request #${last.number} of ${what} is completed already: a resolved event has nothing to complete (an event that is not resolved opens a new request).`
			: `No request of ${what} is open: a resolved event has nothing to complete.`,
	);
}

// The request flow of an account, over its context (context.ts): registering requests (from the
// portal, from mail, from monitoring events), reading and changing them here or, for another
// account's request, at its owner (DO RPC, checked there against the trust), their attachments,
// and the owner side of each of those calls. The Worker has authenticated the caller and checked
// their permission; these functions enforce the account's own rules.
import { accountNames } from "../db/accounts";
import { directory } from "../db/client";
import { newId } from "../identity/crypto";
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import { fail, ok, type Result } from "../lib/result";
import * as inboundMail from "../mail/inbound-mail";
import { EMPTY_REPLY, noteOf } from "../mail/inbound-text";
import { chooseService, type ServiceChoice } from "../mail/service-match";
import { requestForThread } from "../mail/thread";
import type { AttachmentRef } from "../shared/attachment-api";
import type { EventInput, EventResult } from "../shared/event-api";
import type { CreateRequestInput, InboxPage, InboxQuery, Request as RequestView, RequestCommand, RequestSummary } from "../shared/request-api";
import type { SearchKind } from "../shared/search-api";
import type { AffectedSla } from "../shared/sla-api";
import * as affected from "./affected-slas";
import * as attachments from "./attachments";
import * as catalog from "./catalog";
import { assembleCatalog, type CustomerCatalog, type ProviderAnswer } from "./catalog";
import type { AccountContext, PersonActor, TokenReader } from "./context";
import { transaction } from "./db";
import * as events from "./events";
import * as idempotency from "./idempotency";
import * as inbox from "./inbox";
import * as requests from "./requests";
import * as search from "./search";
import * as teams from "./teams";
import * as trusts from "./trusts";

/**
 * What the Worker adds to a new request: the checked requester. The names come from the profiles:
 * this account's own, and the provider's with its route.
 */
export interface RequestRegistration extends Omit<CreateRequestInput, "requestedForId"> {
	requestedFor: { id: string; name: string };
	providerAccountId: string;
}

/** Provider side, called by a customer's object at registration: the route, and who routes it. */
export async function routeFor(ctx: AccountContext, customer: string, personId: string, slaId: string): Promise<Result<ProviderAnswer>> {
	const route = catalog.routeFor(ctx.db, customer, personId, slaId);
	return route.ok ? ok({ ...route.value, providerName: await ctx.name() }) : route;
}

/** Asked of a provider this account trusts; any other id is refused here, without waking an object for it. */
async function askRoute(ctx: AccountContext, provider: string, personId: string, slaId: string): Promise<Result<ProviderAnswer>> {
	const refused = () => fail<ProviderAnswer>("conflict", "That provider does not serve this account (any more).");
	if (!trusts.isActiveTrust(ctx.db, provider, "customer")) {
		// Off the hot path: an id this account has no trust with may name no account at all.
		if (trusts.trustStatus(ctx.db, provider) === undefined && !(await accountNames(directory(ctx.env.DB), [provider])).has(provider)) {
			return fail("invalid_input", "No such provider.", [{ path: "providerAccountId", message: "No such account." }]);
		}
		return refused();
	}
	const route: Result<ProviderAnswer> = await ctx.peer(provider).routeFor(ctx.self(), personId, slaId);
	return route.ok || route.error.code !== "not_found" ? route : refused();
}

// ── Actors ──────────────────────────────────────────────────────────────

export function actorOf(ctx: AccountContext, p: PersonActor): requests.RequestActor {
	return { personId: p.personId, name: p.name, accountId: ctx.self(), staff: p.staff, teamIds: teams.teamIdsOf(ctx.db, p.personId), overseer: p.overseer };
}

/** A token reads like an overseer of this account who is in no team, and is no person (its id is a token's). */
export function tokenActor(ctx: AccountContext, t: TokenReader): requests.RequestActor {
	return { personId: t.tokenId, name: t.name, accountId: ctx.self(), staff: true, teamIds: [], overseer: true };
}

// ── Catalog and new requests ────────────────────────────────────────────

/** Customer side: the services `personId` may request, asked of each trusted provider. */
export async function getCatalog(ctx: AccountContext, personId: string): Promise<CustomerCatalog> {
	const self = ctx.self();
	return assembleCatalog(ctx.db, (provider) => ctx.peer(provider).catalogFor(self, personId));
}

/** Registers a request of this account for a provider's service (the provider routes it). */
export async function createRequest(ctx: AccountContext, actor: PersonActor, input: RequestRegistration, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> {
	const self = ctx.self();
	if (input.providerAccountId === self) return fail("invalid_input", "Pick a service from the catalog.");
	// A retry need not ask the provider again; a twin arriving while this one awaits the
	// provider is caught by the commit's second look.
	const earlier = idempotency.lookup<RequestSummary>(ctx.db, idem, ctx.now());
	if (earlier) return earlier;
	const route = await askRoute(ctx, input.providerAccountId, input.requestedFor.id, input.slaId);
	if (!route.ok) return route;
	const desired = input.desiredCompletionAt === undefined ? undefined : Date.parse(input.desiredCompletionAt);
	if (desired !== undefined && desired <= ctx.now()) {
		return fail("invalid_input", "The desired completion is in the past.", [{ path: "desiredCompletionAt", message: "Pick a moment in the future." }]);
	}
	const routed = route.value;
	const ownerName = await ctx.name();
	const result = idempotency.commit(ctx.db, idem, ctx.now(), () =>
		ok(
			requests.createRequest(
				ctx.db,
				self,
				actorOf(ctx, actor),
				{ subject: input.subject, category: input.category, impact: input.impact, note: input.note, requestedFor: input.requestedFor, ownerName, desiredCompletionAt: desired },
				{ ...routed, providerAccountId: input.providerAccountId, team: { ...routed.team, accountId: input.providerAccountId } },
				ctx.now(),
			),
		),
	);
	await ctx.afterWrite();
	return result;
}

// ── Reading requests ────────────────────────────────────────────────────

/** A request of this account, or one of another account that this account's team works on. */
export async function getRequest(ctx: AccountContext, person: PersonActor, id: string): Promise<Result<RequestView>> {
	return viewRequest(ctx, actorOf(ctx, person), id, true);
}

/**
 * An API token reads a request as an overseer of this account does (its own requests, and those
 * its teams work on), acting on none; internal notes only when `internalNotes` says so.
 */
export async function readRequest(ctx: AccountContext, token: TokenReader, id: string): Promise<Result<RequestView>> {
	const view = await viewRequest(ctx, tokenActor(ctx, token), id, token.internalNotes);
	return view.ok ? ok({ ...view.value, allowed: [] }) : view;
}

/** The SLA clocks of a request, for a token that may read it. */
export async function readRequestClocks(ctx: AccountContext, token: TokenReader, id: string): Promise<Result<AffectedSla[]>> {
	const visible = await readRequest(ctx, token, id);
	if (!visible.ok) return visible;
	return ok(requests.isOwnRequest(ctx.db, id) ? affected.reportedClocks(ctx.db, id) : affected.clocksOfRequest(ctx.db, ctx.self(), id));
}

/**
 * The SLA clocks of a request, for whoever may see the request: as reported by its providers
 * (this account's own request), or as this account keeps them (a customer's request it provides).
 */
export async function requestClocks(ctx: AccountContext, person: PersonActor, id: string): Promise<Result<AffectedSla[]>> {
	const visible = await getRequest(ctx, person, id);
	if (!visible.ok) return visible;
	return ok(requests.isOwnRequest(ctx.db, id) ? affected.reportedClocks(ctx.db, id) : affected.clocksOfRequest(ctx.db, ctx.self(), id));
}

/** `internalNotes` false: every internal note is left out, whatever the actor's role would show. */
async function viewRequest(ctx: AccountContext, actor: requests.RequestActor, id: string, internalNotes: boolean): Promise<Result<RequestView>> {
	const shown = (view: Result<RequestView>): Result<RequestView> =>
		internalNotes || !view.ok ? view : ok({ ...view.value, notes: view.value.notes.filter((n) => n.visibility !== "internal") });
	if (requests.isOwnRequest(ctx.db, id)) return shown(requests.viewRequest(ctx.db, ctx.self(), id, actor));
	const entry = inbox.inboxEntry(ctx.db, id);
	if (!entry) return fail("not_found", "No such request.");
	const remote: Result<RequestView> = await ctx.peer(entry.ownerAccountId).viewRequestAs(ctx.self(), actor, id);
	if (!remote.ok) return shown(remote);
	let internal = internalNotes ? inbox.internalNotesOf(ctx.db, ctx.self(), id) : [];
	if (internal.length > 0) {
		// Their files are kept with the request, at its owner.
		const files = await ctx.peer(entry.ownerAccountId).internalFilesFor(ctx.self(), actor, id);
		if (files.ok) internal = internal.map((n) => (files.value[n.id] ? { ...n, attachments: files.value[n.id] } : n));
	}
	const notes = [...remote.value.notes, ...internal].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
	return shown(ok({ ...remote.value, notes }));
}

/** Owner side: a person of `from` (the account whose team works on it) reads the request. */
export async function viewRequestAs(ctx: AccountContext, from: string, actor: requests.RequestActor, id: string): Promise<Result<RequestView>> {
	if (!trusts.isActiveTrust(ctx.db, from, "customer") || actor.accountId !== from) return fail("not_found", "No such request.");
	return requests.viewRequest(ctx.db, ctx.self(), id, actor);
}

export async function queryInbox(ctx: AccountContext, person: PersonActor, query: InboxQuery): Promise<InboxPage> {
	if (query.view === "returned") return requests.listReturned(ctx.db, ctx.self(), person.personId, query, ctx.now());
	return inbox.queryInbox(ctx.db, { personId: person.personId, teamIds: teams.teamIdsOf(ctx.db, person.personId), overseer: person.overseer }, query, ctx.now());
}

/**
 * Full-text search of what this account holds, as `person` may read it (search.ts). `kinds`: the
 * kinds asked for that their permissions read. A query FTS refuses is invalid_input, never a crash.
 */
export async function searchAccount(ctx: AccountContext, person: PersonActor, kinds: SearchKind[], q: string, limit: number): Promise<Result<search.LocalResults>> {
	const who = { personId: person.personId, staff: person.staff, overseer: person.overseer, teamIds: teams.teamIdsOf(ctx.db, person.personId), kinds };
	try {
		return ok(search.search(ctx.db, ctx.self(), who, q, limit));
	} catch (e) {
		if (e instanceof search.SearchSyntaxError) return fail("invalid_input", "The search could not be understood; try other words.");
		throw e;
	}
}

// ── Events API (events.ts) ──────────────────────────────────────────────

/**
 * A monitoring tool's event, registered for `person` (the requester the Worker checked): a note on
 * (or the completion of) the open request of its key, else a new request for the service it names.
 */
export async function postEvent(ctx: AccountContext, person: PersonActor, input: EventInput, idem?: IdempotencyContext): Promise<Replayable<EventResult>> {
	const self = ctx.self();
	// A retry need not ask the catalog and the provider again.
	const earlier = idempotency.lookup<EventResult>(ctx.db, idem, ctx.now());
	if (earlier) return earlier;
	const actor = actorOf(ctx, person);
	const key = events.keyOf(input);
	if (requests.openEventRequest(ctx.db, key)) {
		const result = idempotency.commit(ctx.db, idem, ctx.now(), () => eventRepeat(ctx, actor, input));
		await ctx.afterWrite();
		return result;
	}
	if (input.status === "resolved") return events.nothingToResolve(key, requests.lastEventRequest(ctx.db, key));
	const entry = events.matchService(await getCatalog(ctx, person.personId), input.service, input.ci);
	if (!entry.ok) return entry;
	const provider = entry.value.providerAccountId;
	const route = await askRoute(ctx, provider, person.personId, entry.value.sla.id);
	if (!route.ok) return route;
	const ownerName = await ctx.name();
	const result = idempotency.commit(ctx.db, idem, ctx.now(), (): Result<EventResult> => {
		// A twin of this event may have opened the request while this one asked the provider: it lands there.
		if (requests.openEventRequest(ctx.db, key)) return eventRepeat(ctx, actor, input);
		const request = requests.createRequest(
			ctx.db,
			self,
			actor,
			{
				subject: input.subject,
				category: input.category,
				impact: input.impact,
				note: input.note,
				requestedFor: { id: person.personId, name: person.name },
				ownerName,
				event: { ...key, ci: input.ci ?? null },
			},
			{ ...route.value, providerAccountId: provider, team: { ...route.value.team, accountId: provider } },
			ctx.now(),
		);
		return ok({ outcome: "created", request });
	});
	await ctx.afterWrite();
	return result;
}

/** Inside the commit: the key's open request takes the repeat. */
function eventRepeat(ctx: AccountContext, actor: requests.RequestActor, input: EventInput): Result<EventResult> {
	const id = requests.openEventRequest(ctx.db, events.keyOf(input));
	if (!id) return fail("conflict", "The request of this event was completed just now: send the event again.");
	const changed = requests.commandRequest(ctx.db, ctx.self(), id, actor, events.repeatCommand(input), ctx.now());
	return changed.ok ? ok({ outcome: input.status === "resolved" ? "completed" : "noted", request: changed.value }) : changed;
}

// ── Changing requests ───────────────────────────────────────────────────

/**
 * A person of this account acts on a request; another account's request goes to its owner.
 * `memberName` is the directory's name of the member an assign command names.
 */
export async function commandRequest(ctx: AccountContext, person: PersonActor, id: string, cmd: RequestCommand, memberName?: string, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> {
	const self = ctx.self();
	const actor = actorOf(ctx, person);
	const own = requests.isOwnRequest(ctx.db, id);
	const entry = own ? undefined : inbox.inboxEntry(ctx.db, id);
	if (!own && !entry) return fail("not_found", "No such request.");
	const current = own ? requests.viewRequest(ctx.db, self, id, actor) : undefined;
	// Before anything about the command: a request this person cannot see answers 404 whatever
	// they send, or the answers to bad commands would tell which ids exist.
	if (current && !current.ok) return current;
	const teamAccount = own ? (current?.ok ? current.value.team?.accountId : undefined) : self;
	const ownerCommand = toOwnerCommand(ctx, cmd, teamAccount === self ? (own ? (current?.ok ? current.value.team?.id : undefined) : entry?.summary.team?.id) : undefined, memberName);
	if (!ownerCommand.ok) return ownerCommand;
	let result: Replayable<RequestSummary>;
	if (own) {
		result = idempotency.commit(ctx.db, idem, ctx.now(), () => requests.commandRequest(ctx.db, self, id, actor, ownerCommand.value, ctx.now()));
	} else if (cmd.type === "note" && cmd.internal && entry) {
		// Internal notes on another account's request stay in this account.
		const teamId = entry.summary.team?.id;
		if (!actor.staff || !teamId || (!actor.teamIds.includes(teamId) && !person.overseer)) return fail("not_found", "No such request.");
		// A retry after a lost answer gets that answer: the files were attached already.
		const earlier = idempotency.earlierAnswer<RequestSummary>(ctx.db, idem, ctx.now());
		if (earlier) return earlier;
		// The note stays here; its files stay with the request at its owner (their R2 prefix, their
		// rows), marked as this account's internal files, attached first under the note's id.
		const noteId = newId("note");
		let files: AttachmentRef[] = [];
		if (cmd.attachmentIds?.length) {
			const attached = await ctx.peer(entry.ownerAccountId).attachInternalFiles(self, actor, id, noteId, cmd.attachmentIds);
			if (!attached.ok) return attached;
			files = attached.value;
		}
		result = idempotency.commit(ctx.db, idem, ctx.now(), () => {
			inbox.addInternalNote(ctx.db, self, id, entry.ownerAccountId, actor, cmd.body, entry.summary, ctx.now(), { id: noteId, files });
			return ok(entry.summary);
		});
	} else {
		// The owner commits the change, so the key is recorded there, in the same transaction.
		const remote: Replayable<RequestSummary> = await ctx.peer(entry?.ownerAccountId ?? "").commandRequestAs(self, actor, id, ownerCommand.value, idem);
		result = remote;
	}
	await ctx.afterWrite();
	return result;
}

/** Owner side: a person of `from` (the account whose team works on it) changes the request. */
export async function commandRequestAs(ctx: AccountContext, from: string, actor: requests.RequestActor, id: string, cmd: requests.OwnerCommand, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> {
	if (!trusts.isActiveTrust(ctx.db, from, "customer") || actor.accountId !== from) return fail("not_found", "No such request.");
	if (cmd.type === "note" && cmd.internal) return fail("invalid_input", "Internal notes of another account are kept in that account.");
	const result = idempotency.commit(ctx.db, idempotency.onBehalfOf(idem, from), ctx.now(), () => requests.commandRequest(ctx.db, ctx.self(), id, actor, cmd, ctx.now()));
	await ctx.afterWrite();
	return result;
}

/**
 * The portal's command in the owner's terms: team and member names resolved here, in the
 * account whose teams they are (`teamOfRequest` is the request's team when it is one of ours).
 */
function toOwnerCommand(ctx: AccountContext, cmd: RequestCommand, teamOfRequest: string | undefined, memberName: string | undefined): Result<requests.OwnerCommand> {
	if (cmd.type !== "assign") return ok(cmd);
	const teamId = cmd.teamId ?? teamOfRequest;
	if (!teamId) return fail("invalid_input", "Requests can be assigned only to teams of the account working on them.");
	const team = teams.teamWithMember(ctx.db, teamId, cmd.memberId ?? undefined);
	if (!team) return fail("invalid_input", "No such team in this account.", [{ path: "teamId", message: "No such team." }]);
	if (!team.hasMember) return fail("invalid_input", "That person is not a member of the team.", [{ path: "memberId", message: "Not a member of the team." }]);
	let member: { id: string; name: string } | null | undefined;
	if (cmd.memberId === null) member = null;
	else if (cmd.memberId) member = { id: cmd.memberId, name: memberName ?? cmd.memberId };
	return ok({ type: "assign", team: cmd.teamId ? { id: teamId, name: team.name } : undefined, member });
}

// ── Attachments (attachments.ts; the bytes are the Worker's to move) ────

/** One upload or download step by a person of this account; another account's request asks its owner. */
export async function attachment(ctx: AccountContext, person: PersonActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> {
	const actor = actorOf(ctx, person);
	if (requests.isOwnRequest(ctx.db, requestId)) return attachmentStep(ctx, actor, requestId, op);
	const entry = inbox.inboxEntry(ctx.db, requestId);
	if (!entry) return fail("not_found", "No such request.");
	return ctx.peer(entry.ownerAccountId).attachmentAs(ctx.self(), actor, requestId, op);
}

/** Owner side: a person of `from` (the account whose team works on it), only while the trust lasts. */
export async function attachmentAs(ctx: AccountContext, from: string, actor: requests.RequestActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> {
	if (!trusts.isActiveTrust(ctx.db, from, "customer") || actor.accountId !== from) return fail("not_found", "No such request.");
	return attachmentStep(ctx, actor, requestId, op);
}

/** Owner side: files of an internal note that `from` keeps on this account's request, attached under that note's id. */
export async function attachInternalFiles(ctx: AccountContext, from: string, actor: requests.RequestActor, requestId: string, noteId: string, ids: string[]): Promise<Result<AttachmentRef[]>> {
	if (!trusts.isActiveTrust(ctx.db, from, "customer") || actor.accountId !== from || !actor.staff) return fail("not_found", "No such request.");
	const access = requests.requestAccess(ctx.db, ctx.self(), requestId, actor);
	if (!access.ok) return access;
	const rows = attachments.checkAttachable(ctx.db, requestId, ids, actor, ctx.now());
	if (!rows.ok) return rows;
	return ok(transaction(ctx.db, () => attachments.attachToNote(ctx.db, ctx.self(), rows.value, noteId, from)));
}

/** Owner side: the files of `from`'s internal notes on this account's request, for its staff. */
export async function internalFilesFor(ctx: AccountContext, from: string, actor: requests.RequestActor, requestId: string): Promise<Result<Record<string, AttachmentRef[]>>> {
	if (!trusts.isActiveTrust(ctx.db, from, "customer") || actor.accountId !== from || !actor.staff) return fail("not_found", "No such request.");
	const access = requests.requestAccess(ctx.db, ctx.self(), requestId, actor);
	if (!access.ok) return access;
	return ok(attachments.filesOfInternalNotes(ctx.db, ctx.self(), requestId, from));
}

async function attachmentStep(ctx: AccountContext, actor: requests.RequestActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> {
	const result = attachments.attachmentStep(ctx.db, ctx.self(), requestId, actor, op, ctx.now());
	if (op.op === "begin" && result.ok) await ctx.jobs.schedule(); // the orphan cleanup's date
	return result;
}

// ── E-mail in (worker/mail/inbound.ts has checked the mail and its sender) ──

/** Which service a mail of this person to the account's address is for; null: triage here. */
export async function mailServiceFor(ctx: AccountContext, personId: string, subject: string): Promise<ServiceChoice | null> {
	return chooseService(await getCatalog(ctx, personId), ctx.profile()?.mailIntake ?? null, subject);
}

/**
 * A person of this account registers a request by mail: through the portal's path for the
 * chosen service; without one (or when the provider no longer takes it), unassigned here.
 */
export async function receiveMailRequest(ctx: AccountContext, person: PersonActor, message: inboundMail.InboundMail, registration: inboundMail.MailRegistration): Promise<Replayable<RequestSummary>> {
	const note = noteOf(message.body, message.attachments) ?? undefined;
	const idem = inboundMail.mailIdempotency(message);
	const requestedFor = { id: person.personId, name: person.name };
	const base = { subject: message.subject, category: "other" as const, impact: "low" as const, note, requestedFor };
	if (registration.service) {
		const { providerAccountId, slaId } = registration.service;
		const created = await createRequest(ctx, person, { ...base, providerAccountId, slaId }, idem);
		// conflict: the SLA ended or stopped covering the person since it was chosen.
		if (created.ok || created.error.code !== "conflict") return created;
	}
	const ownerName = await ctx.name();
	const now = ctx.now();
	const result = idempotency.commit(ctx.db, idem, now, () => ok(requests.createRequest(ctx.db, ctx.self(), actorOf(ctx, person), { ...base, ownerName }, null, now)));
	await ctx.afterWrite();
	return result;
}

/**
 * A reply to one of this account's mails about a request: a note, if the address's tag is
 * right and the person may add notes to the request (the portal's rules, commandRequest).
 */
export async function receiveMailReply(ctx: AccountContext, person: PersonActor, thread: inboundMail.MailThread, message: inboundMail.InboundMail): Promise<Replayable<RequestSummary>> {
	const id = await requestForThread(ctx.db, thread.requestNumber, thread.tag);
	if (!id) return fail("not_found", "No such conversation.");
	const note = noteOf(message.body, message.attachments);
	if (!note) return fail("invalid_input", EMPTY_REPLY);
	return commandRequest(ctx, person, id, { type: "note", body: note, internal: false }, undefined, inboundMail.mailIdempotency(message));
}

/**
 * The request a reply address names, if its tag is right, with the account whose team works
 * on it: a specialist of a provider answers a mail about a customer's request through their
 * own account (the portal's path for them), not as a person of this one.
 */
export async function resolveMailThread(ctx: AccountContext, thread: inboundMail.MailThread): Promise<{ requestId: string; teamAccountId: string | null } | null> {
	const id = await requestForThread(ctx.db, thread.requestNumber, thread.tag);
	const request = id ? requests.summaryById(ctx.db, ctx.self(), id) : undefined;
	return request ? { requestId: request.id, teamAccountId: request.team?.accountId ?? null } : null;
}

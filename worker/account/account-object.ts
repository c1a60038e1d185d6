// AccountObject: one Durable Object per account. A thin shell: it owns the account's SQLite
// database (migrated once per start), exposes the account's operations as RPC methods that call
// plain domain modules, talks to other accounts through the outbox (messaging.ts), and runs the
// alarm that delivers messages and moves SLAs along at their dates. The Worker has already
// authenticated the caller and checked their permission; methods here enforce the account's
// own invariants and, for other accounts, the trust.
import { DurableObject } from "cloudflare:workers";
import migrations from "../../migrations/account/migrations.js";
import type { UpdatePortalDesignInput } from "../shared/api";
import type {
	CreateServiceInput,
	CreateServiceInstanceInput,
	CreateServiceOfferingInput,
	CreateSlaInput,
	OutboxMessage,
	Service,
	ServiceInstance,
	ServiceOffering,
	SlaAction,
	UpdateServiceInput,
	UpdateServiceInstanceInput,
	UpdateServiceOfferingInput,
	UpdateSlaInput,
} from "../shared/service-api";
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import { fail, ok, type Result } from "../lib/result";
import type { CreateRequestInput, InboxPage, InboxQuery, MyRequestsQuery, Request as RequestView, RequestCommand, RequestSummary } from "../shared/request-api";
import type { LiveTopic } from "../shared/live-topics";
import type { SearchKind } from "../shared/search-api";
import type { Notification, NotificationPage, NotificationPreference, NotificationQuery } from "../shared/notification-api";
import type { NotificationKind } from "../shared/notification-kinds";
import { directory } from "../db/client";
import { accountNames } from "../db/accounts";
import type { EventInput, EventResult } from "../shared/event-api";
import { administratorIds } from "../db/people";
import type { AffectedSla, SlaDrillPage, SlaReport, SlaReportTrust } from "../shared/sla-api";
import * as affected from "./affected-slas";
import * as apps from "./apps";
import type { AppAudience, AppListing, AppOffering, CreateAppOfferingInput, InstallAppInput, UpdateAppOfferingInput } from "../shared/app-api";
import { insertToken, revokeToken, setTokenScopes } from "../db/tokens";
import { randomSecret, sha256Hex } from "../identity/crypto";
import * as attachments from "./attachments";
import type { AttachmentRef } from "../shared/attachment-api";
import { newId } from "../identity/crypto";
import type * as demo from "./demo-history";
import * as access from "./report-access";
import * as reports from "./sla-reports";
import { assembleCatalog, catalogFor, routeFor, type CustomerCatalog, type ProviderCatalogEntry, type ProviderRoute } from "./catalog";
import { accountDb, type AccountDb } from "./db";
import * as events from "./events";
import * as idempotency from "./idempotency";
import * as inbox from "./inbox";
import { messageHandler, onTrustEnded } from "./message-handler";
import * as messaging from "./messaging";
import * as notifications from "./notifications";
import * as savedFilters from "./saved-filters";
import type { CreateSavedFilter, SavedFilter, SavedFilterView, UpdateSavedFilter } from "../shared/saved-filter-api";
import { migrate } from "./migrate";
import * as profile from "./profile";
import * as realtime from "./realtime";
import * as received from "./received";
import * as requests from "./requests";
import * as search from "./search";
import * as services from "./services";
import * as slas from "./slas";
import * as teams from "./teams";
import type { TrustCommand } from "./trust-machine";
import * as inboundMail from "../mail/inbound-mail";
import { EMPTY_REPLY, noteOf } from "../mail/inbound-text";
import { chooseService, type ServiceChoice } from "../mail/service-match";
import { requestForThread } from "../mail/thread";
import { claimAnswer } from "../mail/unknown-senders";
import * as trusts from "./trusts";
import * as mail from "../mail/queue";
import { mailTransport } from "../mail/transport";
import type { MailToSend } from "../mail/types";
import * as hookDelivery from "../webhooks/delivery";
import * as hookEndpoints from "../webhooks/endpoints";
import { secretKey, unseal, type SecretKey } from "../webhooks/secrets";
import { policyOf } from "../webhooks/ssrf";
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointList, WebhookEndpointWithSecret } from "../shared/webhook-api";

export type { AccountProfile } from "./profile";

/** Whether a webhook delivery is due (a run with nothing due is skipped without a key). */
function nextDue(db: AccountDb, now: number): boolean {
	const at = hookDelivery.nextWebhookAt(db);
	return at !== null && at <= now;
}
export type { TeamRecord, TeamChanges, NewTeam } from "./teams";
export type { TrustRecord, TrustActor } from "./trusts";
export type { SlaRecord } from "./slas";
export type { ReceivedSlaRecord } from "./received";
export type { CustomerCatalog } from "./catalog";

/** A signed-in person as the Worker vouches for them (their teams are looked up here). */
export interface PersonActor {
	personId: string;
	name: string;
	/** Specialist, administrator, auditor or service level manager of this account. */
	staff: boolean;
	/** Administrator, auditor or service level manager: sees all work assigned to this account's teams. */
	overseer: boolean;
}

/** An API token reading requests (requests:read): internal notes only with notes:internal:read. */
export interface TokenReader {
	tokenId: string;
	name: string;
	internalNotes: boolean;
}

/**
 * What the Worker adds to a new request: the provider's name from the directory (no record here
 * holds another account's name), the checked requester. This account's own name is its profile's.
 */
export interface RequestRegistration extends Omit<CreateRequestInput, "requestedForId"> {
	requestedFor: { id: string; name: string };
	providerAccountId: string;
	providerName: string;
}

/** A trust as this account sees it, with the SLAs that stand in the way of ending it. */
export type TrustView = trusts.TrustRecord & { activeSlaCount: number };

/**
 * Test seams, in memory only (a reset clears them): a settable clock for date-driven behaviour,
 * and faults for the messaging tests. Production code never sets them.
 */
export class TestHooks {
	offsetMs = 0;
	failDeliveries = 0;
	/** Mail sends to refuse, as the Email Service does when it rejects a message. */
	failMailSends = 0;
	/** Random source of the webhook retries' jitter (tests pin it to see the schedule exactly). */
	webhookJitter: (() => number) | null = null;
	abortAfterApply = false;
	now(): number {
		return Date.now() + this.offsetMs;
	}
}

export class AccountObject extends DurableObject<Env> {
	readonly #db: AccountDb;
	readonly hooks = new TestHooks();
	readonly #hub: realtime.SocketHub;
	#delivering: Promise<void> | null = null;
	#deliverAgain = false;
	/** Mail runs one after the other, so no mail is handed to the binding twice. */
	#mailRun: Promise<unknown> = Promise.resolve();
	/** Webhook runs one after the other, so no delivery is attempted twice at once. */
	#webhookRun: Promise<unknown> = Promise.resolve();
	#webhookKey: Promise<SecretKey> | undefined;
	/**
	 * The profile row, read once: nearly every call needs the account's id or time zone, and this
	 * object is the only writer of that row (the setters below refresh it).
	 */
	#profile: profile.AccountProfile | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#db = accountDb(ctx.storage);
		this.#hub = new realtime.SocketHub(ctx, this.#db, () => this.#self());
		// Answered by the runtime without waking the object: idle sockets stay hibernated.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
		// Runs before any call is delivered. A diverging migration history throws here, which
		// resets the object: it refuses to serve rather than run on an unknown schema.
		void ctx.blockConcurrencyWhile(async () => {
			migrate(ctx.storage, migrations);
			this.#hub.start();
		});
	}

	// ── Profile and portal design ─────────────────────────────────────────

	/** Creates the account's profile on first call; idempotent. */
	async initialize(input: { accountId: string; name: string; portalTitle: string; timeZone?: string }): Promise<profile.AccountProfile> {
		this.#profile = profile.initializeProfile(this.#db, input, new Date(this.#now()));
		return this.#profile;
	}

	/** The profile, or null when the account was never initialized. */
	async getProfile(): Promise<profile.AccountProfile | null> {
		return this.#readProfile() ?? null;
	}

	async updateDesign(input: UpdatePortalDesignInput): Promise<Result<profile.AccountProfile>> {
		const current = this.#readProfile();
		const updated = current && profile.updateDesign(this.#db, current.id, input, new Date(this.#now()));
		if (updated) this.#profile = updated;
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	async updateTimeZone(timeZone: string): Promise<Result<profile.AccountProfile>> {
		const current = this.#readProfile();
		const updated = current && profile.updateTimeZone(this.#db, current.id, timeZone, new Date(this.#now()));
		if (updated) this.#profile = updated;
		if (updated) await this.#schedule(); // SLA dates fall on other instants now
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	/** The account was renamed in the directory: the profile's copy follows. */
	async updateName(name: string): Promise<Result<profile.AccountProfile>> {
		const current = this.#readProfile();
		const updated = current && profile.updateName(this.#db, current.id, name, new Date(this.#now()));
		if (updated) this.#profile = updated;
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	/** The service mails to this account's address are registered for; null clears it. */
	async updateMailIntake(intake: { providerAccountId: string; slaId: string } | null): Promise<Result<profile.AccountProfile>> {
		const current = this.#readProfile();
		if (!current) return fail("not_found", "No such account.");
		if (intake && !inboundMail.isOfferedSla(this.#db, intake.providerAccountId, intake.slaId)) {
			return fail("invalid_input", "That provider offers this account no such active SLA.", [{ path: "mailIntake.slaId", message: "Not an active SLA offered to this account." }]);
		}
		const updated = profile.updateMailIntake(this.#db, current.id, intake, new Date(this.#now()));
		if (updated) this.#profile = updated;
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	// ── E-mail in (worker/mail/inbound.ts has checked the mail and its sender) ──

	/** Which service a mail of this person to the account's address is for; null: triage here. */
	async mailServiceFor(personId: string, subject: string): Promise<ServiceChoice | null> {
		return chooseService(await this.getCatalog(personId), this.#readProfile()?.mailIntake ?? null, subject);
	}

	/**
	 * A person of this account registers a request by mail: through the portal's path for the
	 * chosen service; without one (or when the provider no longer takes it), unassigned here.
	 */
	async receiveMailRequest(person: PersonActor, message: inboundMail.InboundMail, registration: inboundMail.MailRegistration): Promise<Replayable<RequestSummary>> {
		const note = noteOf(message.body, message.attachments) ?? undefined;
		const idem = inboundMail.mailIdempotency(message);
		const requestedFor = { id: person.personId, name: person.name };
		const base = { subject: message.subject, category: "other" as const, impact: "low" as const, note, requestedFor };
		if (registration.service) {
			const { providerAccountId, providerName, slaId } = registration.service;
			const created = await this.createRequest(person, { ...base, providerAccountId, providerName, slaId }, idem);
			// conflict: the SLA ended or stopped covering the person since it was chosen.
			if (created.ok || created.error.code !== "conflict") return created;
		}
		const ownerName = await this.#name();
		const now = this.#now();
		const result = idempotency.commit(this.#db, idem, now, () => ok(requests.createRequest(this.#db, this.#self(), this.#actor(person), { ...base, ownerName }, null, now)));
		await this.#afterWrite();
		return result;
	}

	/**
	 * A reply to one of this account's mails about a request: a note, if the address's tag is
	 * right and the person may add notes to the request (the portal's rules, commandRequest).
	 */
	async receiveMailReply(person: PersonActor, thread: inboundMail.MailThread, message: inboundMail.InboundMail): Promise<Replayable<RequestSummary>> {
		const id = await requestForThread(this.#db, thread.requestNumber, thread.tag);
		if (!id) return fail("not_found", "No such conversation.");
		const note = noteOf(message.body, message.attachments);
		if (!note) return fail("invalid_input", EMPTY_REPLY);
		return this.commandRequest(person, id, { type: "note", body: note, internal: false }, undefined, inboundMail.mailIdempotency(message));
	}

	/**
	 * The request a reply address names, if its tag is right, with the account whose team works
	 * on it: a specialist of a provider answers a mail about a customer's request through their
	 * own account (the portal's path for them), not as a person of this one.
	 */
	async resolveMailThread(thread: inboundMail.MailThread): Promise<{ requestId: string; teamAccountId: string | null } | null> {
		const id = await requestForThread(this.#db, thread.requestNumber, thread.tag);
		const request = id ? requests.summaryById(this.#db, this.#self(), id) : undefined;
		return request ? { requestId: request.id, teamAccountId: request.team?.accountId ?? null } : null;
	}

	/** A stranger wrote to the account's address: true when they may be answered now (once a day). */
	async claimUnknownSenderAnswer(address: string): Promise<boolean> {
		return claimAnswer(this.#db, address, this.#now());
	}

	// ── Teams ─────────────────────────────────────────────────────────────

	async listTeams(): Promise<teams.TeamRecord[]> {
		return teams.listTeams(this.#db);
	}

	async getTeam(id: string): Promise<Result<teams.TeamRecord>> {
		const team = teams.getTeam(this.#db, id);
		return team ? ok(team) : fail("not_found", "No such team.");
	}

	// Whoever joins or leaves a team sees other requests now: their open sockets are closed, to
	// come back with a ticket for what they may see now (see SocketHub.closeFor).

	async createTeam(input: teams.NewTeam, idem?: IdempotencyContext): Promise<Replayable<teams.TeamRecord>> {
		const now = this.#now();
		const result = idempotency.commit(this.#db, idem, now, () => teams.createTeam(this.#db, input, new Date(now)));
		if (result.ok && !result.replayed) this.#hub.closeFor(result.value.memberIds);
		return result;
	}

	async updateTeam(id: string, changes: teams.TeamChanges): Promise<Result<teams.TeamRecord>> {
		const before = teams.getTeam(this.#db, id)?.memberIds ?? [];
		const result = teams.updateTeam(this.#db, id, changes, new Date(this.#now()));
		if (result.ok) {
			const after = result.value.memberIds;
			this.#hub.closeFor([...before.filter((p) => !after.includes(p)), ...after.filter((p) => !before.includes(p))]);
		}
		return result;
	}

	async deleteTeam(id: string): Promise<Result<{ id: string }>> {
		const members = teams.getTeam(this.#db, id)?.memberIds ?? [];
		const result = teams.deleteTeam(this.#db, id);
		if (result.ok) this.#hub.closeFor(members);
		return result;
	}

	/** Called when a person leaves the account. Returns the number of teams they left. */
	async removePersonFromTeams(personId: string): Promise<number> {
		this.#hub.closeFor([personId]);
		return teams.removePersonFromTeams(this.#db, personId, new Date(this.#now()));
	}

	/** Called when a person's roles in the account change: their sockets were opened for the old ones. */
	async closeSocketsOf(personId: string): Promise<void> {
		this.#hub.closeFor([personId]);
	}

	// ── Trusts ────────────────────────────────────────────────────────────

	async listTrusts(): Promise<TrustView[]> {
		return trusts.listTrusts(this.#db).map((t) => this.#trustView(t));
	}

	async getTrust(other: string): Promise<Result<TrustView>> {
		const t = trusts.getTrust(this.#db, other);
		return t ? ok(this.#trustView(t)) : fail("not_found", `No trust with ${other}.`);
	}

	/**
	 * A person of this account acts in the handshake with `other`. `personId` is theirs: the
	 * account's other administrators hear of a trust becoming active or ending; they do not.
	 */
	async commandTrust(
		other: string,
		command: TrustCommand,
		{ personId, ...actor }: trusts.TrustActor & { personId?: string | undefined },
		idem?: IdempotencyContext,
	): Promise<Replayable<TrustView>> {
		const self = this.#self();
		// Asked before the (synchronous) commit; trust commands are rare, so always.
		const administrators = await administratorIds(directory(this.env.DB), self);
		if (command.type === "deactivate") {
			const current = trusts.getTrust(this.#db, other);
			const live = current ? this.#trustView(current).activeSlaCount : 0;
			if (current?.status === "active" && live > 0) {
				return fail(
					"conflict",
					current.ourRole === "provider"
						? `${live} SLA${live === 1 ? " is" : "s are"} still active or scheduled for ${other}. Expire ${live === 1 ? "it" : "them"} first.`
						: `${other} still provides ${live} active or scheduled SLA${live === 1 ? "" : "s"} to this account. Ask ${other} to expire ${live === 1 ? "it" : "them"} first.`,
				);
			}
		}
		const result = idempotency.commit(this.#db, idem, this.#now(), () => {
			const before = trusts.trustStatus(this.#db, other);
			const changed = trusts.commandTrust(this.#db, self, other, command, actor, this.#now());
			if (changed.ok && before?.status === "active" && changed.value.status !== "active") {
				this.#db.transaction(() => onTrustEnded(this.#db, self, other, changed.value.ourRole, "us", this.#now(), this.#timeZone(), this.#appContext()));
			}
			if (changed.ok) {
				const change = { before: before?.status, after: changed.value.status, asked: false };
				notifications.notifyTrustChange(this.#db, self, other, change, { personId: personId ?? null, name: actor.name }, administrators, this.#now());
			}
			return changed.ok ? ok(this.#trustView(changed.value)) : changed;
		});
		await this.#afterWrite();
		return result;
	}

	// ── Services, instances, offerings ────────────────────────────────────

	async listServiceModel(): Promise<{ services: Service[]; instances: ServiceInstance[]; offerings: ServiceOffering[] }> {
		return { services: services.listServices(this.#db), instances: services.listInstances(this.#db), offerings: services.listOfferings(this.#db) };
	}

	async createService(input: CreateServiceInput, idem?: IdempotencyContext): Promise<Replayable<Service>> {
		const now = this.#now();
		return idempotency.commit(this.#db, idem, now, () => services.createService(this.#db, input, new Date(now)));
	}

	async updateService(id: string, input: UpdateServiceInput): Promise<Result<Service>> {
		return services.updateService(this.#db, id, input, new Date(this.#now()));
	}

	async deleteService(id: string): Promise<Result<{ id: string }>> {
		return services.deleteService(this.#db, id);
	}

	async createServiceInstance(input: CreateServiceInstanceInput, idem?: IdempotencyContext): Promise<Replayable<ServiceInstance>> {
		const now = this.#now();
		return idempotency.commit(this.#db, idem, now, () => services.createInstance(this.#db, input, new Date(now)));
	}

	async updateServiceInstance(id: string, input: UpdateServiceInstanceInput): Promise<Result<ServiceInstance>> {
		return services.updateInstance(this.#db, id, input, new Date(this.#now()));
	}

	async deleteServiceInstance(id: string): Promise<Result<{ id: string }>> {
		return services.deleteInstance(this.#db, id);
	}

	async createServiceOffering(input: CreateServiceOfferingInput, idem?: IdempotencyContext): Promise<Replayable<ServiceOffering>> {
		const now = this.#now();
		return idempotency.commit(this.#db, idem, now, () => services.createOffering(this.#db, input, new Date(now)));
	}

	async updateServiceOffering(id: string, input: UpdateServiceOfferingInput): Promise<Result<ServiceOffering>> {
		const result = services.updateOffering(this.#db, id, input, new Date(this.#now()));
		if (result.ok) await this.#afterWrite(); // new support hours: the open clocks are due (the alarm takes them in)
		return result;
	}

	async deleteServiceOffering(id: string): Promise<Result<{ id: string }>> {
		return services.deleteOffering(this.#db, id);
	}

	// ── SLAs ──────────────────────────────────────────────────────────────

	async listSlas(): Promise<slas.SlaRecord[]> {
		return slas.listSlas(this.#db);
	}

	async getSla(id: string): Promise<Result<slas.SlaRecord>> {
		const sla = slas.getSla(this.#db, id);
		return sla ? ok(sla) : fail("not_found", "No such SLA.");
	}

	async createSla(input: CreateSlaInput, customerName: string, actor: string, idem?: IdempotencyContext): Promise<Replayable<slas.SlaRecord>> {
		const ctx = this.#slaContext(actor);
		const result = idempotency.commit(this.#db, idem, ctx.now, () => slas.createSla(this.#db, input, customerName, ctx));
		this.#hub.push();
		return result;
	}

	async updateSla(id: string, input: UpdateSlaInput, actor: string): Promise<Result<slas.SlaRecord>> {
		const result = slas.updateSla(this.#db, id, input, this.#slaContext(actor));
		await this.#afterWrite();
		return result;
	}

	async actOnSla(id: string, action: SlaAction, actor: string, idem?: IdempotencyContext): Promise<Replayable<slas.SlaRecord>> {
		const ctx = this.#slaContext(actor);
		const result = idempotency.commit(this.#db, idem, ctx.now, () => slas.actOnSla(this.#db, id, action, ctx));
		await this.#afterWrite();
		return result;
	}

	/** SLAs other accounts provide to this one, as they last reported them. */
	async listReceivedSlas(): Promise<received.ReceivedSlaRecord[]> {
		return received.listReceivedSlas(this.#db);
	}

	// ── Catalog ───────────────────────────────────────────────────────────

	/** Provider side, called by a customer's AccountObject: checked against the trust every time. */
	async catalogFor(customer: string, personId: string): Promise<Result<ProviderCatalogEntry[]>> {
		return catalogFor(this.#db, customer, personId);
	}

	/** Customer side: the services `personId` may request, asked of each trusted provider. */
	async getCatalog(personId: string): Promise<CustomerCatalog> {
		const self = this.#self();
		return assembleCatalog(this.#db, (provider) => this.env.ACCOUNT.getByName(provider).catalogFor(self, personId));
	}

	// ── Requests ──────────────────────────────────────────────────────────

	/** Registers a request of this account for a provider's service (the provider routes it). */
	async createRequest(actor: PersonActor, input: RequestRegistration, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> {
		const self = this.#self();
		if (input.providerAccountId === self) return fail("invalid_input", "Pick a service from the catalog.");
		// A retry need not ask the provider again; a twin arriving while this one awaits the
		// provider is caught by the commit's second look.
		const earlier = idempotency.lookup<RequestSummary>(this.#db, idem, this.#now());
		if (earlier) return earlier;
		const route: Result<ProviderRoute> = await this.env.ACCOUNT.getByName(input.providerAccountId).routeFor(self, input.requestedFor.id, input.slaId);
		if (!route.ok) return route.error.code === "not_found" ? fail("conflict", "That provider does not serve this account (any more).") : route;
		const desired = input.desiredCompletionAt === undefined ? undefined : Date.parse(input.desiredCompletionAt);
		if (desired !== undefined && desired <= this.#now()) {
			return fail("invalid_input", "The desired completion is in the past.", [{ path: "desiredCompletionAt", message: "Pick a moment in the future." }]);
		}
		const routed = route.value;
		const ownerName = await this.#name();
		const result = idempotency.commit(this.#db, idem, this.#now(), () =>
			ok(
				requests.createRequest(
					this.#db,
					self,
					this.#actor(actor),
					{ subject: input.subject, category: input.category, impact: input.impact, note: input.note, requestedFor: input.requestedFor, ownerName, desiredCompletionAt: desired },
					{ ...routed, providerAccountId: input.providerAccountId, providerName: input.providerName, team: { ...routed.team, accountId: input.providerAccountId } },
					this.#now(),
				),
			),
		);
		await this.#afterWrite();
		return result;
	}

	/** Provider side, called by a customer's AccountObject when one of its people registers a request. */
	async routeFor(customer: string, personId: string, slaId: string): Promise<Result<ProviderRoute>> {
		return routeFor(this.#db, customer, personId, slaId);
	}

	/** A request of this account, or one of another account that this account's team works on. */
	async getRequest(person: PersonActor, id: string): Promise<Result<RequestView>> {
		return this.#viewRequest(this.#actor(person), id, true);
	}

	/**
	 * An API token reads a request as an overseer of this account does (its own requests, and those
	 * its teams work on), acting on none; internal notes only when `internalNotes` says so.
	 */
	async readRequest(token: TokenReader, id: string): Promise<Result<RequestView>> {
		const view = await this.#viewRequest(this.#tokenActor(token), id, token.internalNotes);
		return view.ok ? ok({ ...view.value, allowed: [] }) : view;
	}

	/** The SLA clocks of a request, for a token that may read it. */
	async readRequestClocks(token: TokenReader, id: string): Promise<Result<AffectedSla[]>> {
		const visible = await this.readRequest(token, id);
		if (!visible.ok) return visible;
		return ok(requests.isOwnRequest(this.#db, id) ? affected.reportedClocks(this.#db, id) : affected.clocksOfRequest(this.#db, this.#self(), id));
	}

	/** `internalNotes` false: every internal note is left out, whatever the actor's role would show. */
	async #viewRequest(actor: requests.RequestActor, id: string, internalNotes: boolean): Promise<Result<RequestView>> {
		const shown = (view: Result<RequestView>): Result<RequestView> =>
			internalNotes || !view.ok ? view : ok({ ...view.value, notes: view.value.notes.filter((n) => n.visibility !== "internal") });
		if (requests.isOwnRequest(this.#db, id)) return shown(requests.viewRequest(this.#db, this.#self(), id, actor));
		const entry = inbox.inboxEntry(this.#db, id);
		if (!entry) return fail("not_found", "No such request.");
		const remote: Result<RequestView> = await this.env.ACCOUNT.getByName(entry.ownerAccountId).viewRequestAs(this.#self(), actor, id);
		if (!remote.ok) return shown(remote);
		let internal = internalNotes ? inbox.internalNotesOf(this.#db, this.#self(), id) : [];
		if (internal.length > 0) {
			// Their files are kept with the request, at its owner.
			const files = await this.env.ACCOUNT.getByName(entry.ownerAccountId).internalFilesFor(this.#self(), actor, id);
			if (files.ok) internal = internal.map((n) => (files.value[n.id] ? { ...n, attachments: files.value[n.id] } : n));
		}
		const notes = [...remote.value.notes, ...internal].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
		return shown(ok({ ...remote.value, notes }));
	}

	// ── Events API (events.ts) ────────────────────────────────────────────

	/**
	 * A monitoring tool's event, registered for `person` (the requester the Worker checked): a note on
	 * (or the completion of) the open request of its key, else a new request for the service it names.
	 */
	async postEvent(person: PersonActor, input: EventInput, idem?: IdempotencyContext): Promise<Replayable<EventResult>> {
		const self = this.#self();
		// A retry need not ask the catalog and the provider again.
		const earlier = idempotency.lookup<EventResult>(this.#db, idem, this.#now());
		if (earlier) return earlier;
		const actor = this.#actor(person);
		const key = events.keyOf(input);
		if (requests.openEventRequest(this.#db, key)) {
			const result = idempotency.commit(this.#db, idem, this.#now(), () => this.#eventRepeat(actor, input));
			await this.#afterWrite();
			return result;
		}
		if (input.status === "resolved") return events.nothingToResolve(key, requests.lastEventRequest(this.#db, key));
		const entry = events.matchService(await this.getCatalog(person.personId), input.service, input.ci);
		if (!entry.ok) return entry;
		const provider = entry.value.providerAccountId;
		const [providerName, route] = await Promise.all([
			accountNames(directory(this.env.DB), [provider]).then((names) => names.get(provider) ?? provider),
			this.env.ACCOUNT.getByName(provider).routeFor(self, person.personId, entry.value.sla.id) as Promise<Result<ProviderRoute>>,
		]);
		if (!route.ok) return route.error.code === "not_found" ? fail("conflict", "That provider does not serve this account (any more).") : route;
		const ownerName = await this.#name();
		const result = idempotency.commit(this.#db, idem, this.#now(), (): Result<EventResult> => {
			// A twin of this event may have opened the request while this one asked the provider: it lands there.
			if (requests.openEventRequest(this.#db, key)) return this.#eventRepeat(actor, input);
			const request = requests.createRequest(
				this.#db,
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
				{ ...route.value, providerAccountId: provider, providerName, team: { ...route.value.team, accountId: provider } },
				this.#now(),
			);
			return ok({ outcome: "created", request });
		});
		await this.#afterWrite();
		return result;
	}

	/** Inside the commit: the key's open request takes the repeat. */
	#eventRepeat(actor: requests.RequestActor, input: EventInput): Result<EventResult> {
		const id = requests.openEventRequest(this.#db, events.keyOf(input));
		if (!id) return fail("conflict", "The request of this event was completed just now: send the event again.");
		const changed = requests.commandRequest(this.#db, this.#self(), id, actor, events.repeatCommand(input), this.#now());
		return changed.ok ? ok({ outcome: input.status === "resolved" ? "completed" : "noted", request: changed.value }) : changed;
	}

	/** Owner side: a person of `from` (the account whose team works on it) reads the request. */
	async viewRequestAs(from: string, actor: requests.RequestActor, id: string): Promise<Result<RequestView>> {
		if (!trusts.isActiveTrust(this.#db, from, "customer") || actor.accountId !== from) return fail("not_found", "No such request.");
		return requests.viewRequest(this.#db, this.#self(), id, actor);
	}

	/**
	 * A person of this account acts on a request; another account's request goes to its owner.
	 * `memberName` is the directory's name of the member an assign command names.
	 */
	async commandRequest(person: PersonActor, id: string, cmd: RequestCommand, memberName?: string, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> {
		const self = this.#self();
		const actor = this.#actor(person);
		const own = requests.isOwnRequest(this.#db, id);
		const entry = own ? undefined : inbox.inboxEntry(this.#db, id);
		if (!own && !entry) return fail("not_found", "No such request.");
		const current = own ? requests.viewRequest(this.#db, self, id, actor) : undefined;
		// Before anything about the command: a request this person cannot see answers 404 whatever
		// they send, or the answers to bad commands would tell which ids exist.
		if (current && !current.ok) return current;
		const teamAccount = own ? (current?.ok ? current.value.team?.accountId : undefined) : self;
		const ownerCommand = this.#ownerCommand(cmd, teamAccount === self ? (own ? (current?.ok ? current.value.team?.id : undefined) : entry?.summary.team?.id) : undefined, memberName);
		if (!ownerCommand.ok) return ownerCommand;
		let result: Replayable<RequestSummary>;
		if (own) {
			result = idempotency.commit(this.#db, idem, this.#now(), () => requests.commandRequest(this.#db, self, id, actor, ownerCommand.value, this.#now()));
		} else if (cmd.type === "note" && cmd.internal && entry) {
			// Internal notes on another account's request stay in this account.
			const teamId = entry.summary.team?.id;
			if (!actor.staff || !teamId || (!actor.teamIds.includes(teamId) && !person.overseer)) return fail("not_found", "No such request.");
			// A retry after a lost answer gets that answer: the files were attached already.
			const earlier = idempotency.earlierAnswer<RequestSummary>(this.#db, idem, this.#now());
			if (earlier) return earlier;
			// The note stays here; its files stay with the request at its owner (their R2 prefix, their
			// rows), marked as this account's internal files, attached first under the note's id.
			const noteId = newId("note");
			let files: AttachmentRef[] = [];
			if (cmd.attachmentIds?.length) {
				const attached = await this.env.ACCOUNT.getByName(entry.ownerAccountId).attachInternalFiles(self, actor, id, noteId, cmd.attachmentIds);
				if (!attached.ok) return attached;
				files = attached.value;
			}
			result = idempotency.commit(this.#db, idem, this.#now(), () => {
				inbox.addInternalNote(this.#db, self, id, entry.ownerAccountId, actor, cmd.body, entry.summary, this.#now(), { id: noteId, files });
				return ok(entry.summary);
			});
		} else {
			// The owner commits the change, so the key is recorded there, in the same transaction.
			const remote: Replayable<RequestSummary> = await this.env.ACCOUNT.getByName(entry?.ownerAccountId ?? "").commandRequestAs(self, actor, id, ownerCommand.value, idem);
			result = remote;
		}
		await this.#afterWrite();
		return result;
	}

	/** Owner side: a person of `from` (the account whose team works on it) changes the request. */
	async commandRequestAs(from: string, actor: requests.RequestActor, id: string, cmd: requests.OwnerCommand, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> {
		if (!trusts.isActiveTrust(this.#db, from, "customer") || actor.accountId !== from) return fail("not_found", "No such request.");
		if (cmd.type === "note" && cmd.internal) return fail("invalid_input", "Internal notes of another account are kept in that account.");
		const result = idempotency.commit(this.#db, idempotency.onBehalfOf(idem, from), this.#now(), () => requests.commandRequest(this.#db, this.#self(), id, actor, cmd, this.#now()));
		await this.#afterWrite();
		return result;
	}

	/** A page of this account's requests: from or for the person, or (its specialists) all of them. */
	async listRequests(personId: string, query: MyRequestsQuery): Promise<InboxPage> {
		return requests.listRequests(this.#db, this.#self(), personId, query, this.#now());
	}

	// ── Attachments (worker/account/attachments.ts; the bytes are the Worker's to move) ──

	/** One upload or download step by a person of this account; another account's request asks its owner. */
	async attachment(person: PersonActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> {
		const actor = this.#actor(person);
		if (requests.isOwnRequest(this.#db, requestId)) return this.#attachmentStep(actor, requestId, op);
		const entry = inbox.inboxEntry(this.#db, requestId);
		if (!entry) return fail("not_found", "No such request.");
		return this.env.ACCOUNT.getByName(entry.ownerAccountId).attachmentAs(this.#self(), actor, requestId, op);
	}

	/** Owner side: a person of `from` (the account whose team works on it), only while the trust lasts. */
	async attachmentAs(from: string, actor: requests.RequestActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> {
		if (!trusts.isActiveTrust(this.#db, from, "customer") || actor.accountId !== from) return fail("not_found", "No such request.");
		return this.#attachmentStep(actor, requestId, op);
	}

	/** Owner side: files of an internal note that `from` keeps on this account's request, attached under that note's id. */
	async attachInternalFiles(from: string, actor: requests.RequestActor, requestId: string, noteId: string, ids: string[]): Promise<Result<AttachmentRef[]>> {
		if (!trusts.isActiveTrust(this.#db, from, "customer") || actor.accountId !== from || !actor.staff) return fail("not_found", "No such request.");
		const access = requests.requestAccess(this.#db, this.#self(), requestId, actor);
		if (!access.ok) return access;
		const rows = attachments.checkAttachable(this.#db, requestId, ids, actor, this.#now());
		if (!rows.ok) return rows;
		return ok(this.#db.transaction(() => attachments.attachToNote(this.#db, this.#self(), rows.value, noteId, from)));
	}

	/** Owner side: the files of `from`'s internal notes on this account's request, for its staff. */
	async internalFilesFor(from: string, actor: requests.RequestActor, requestId: string): Promise<Result<Record<string, AttachmentRef[]>>> {
		if (!trusts.isActiveTrust(this.#db, from, "customer") || actor.accountId !== from || !actor.staff) return fail("not_found", "No such request.");
		const access = requests.requestAccess(this.#db, this.#self(), requestId, actor);
		if (!access.ok) return access;
		return ok(attachments.filesOfInternalNotes(this.#db, this.#self(), requestId, from));
	}

	async #attachmentStep(actor: requests.RequestActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> {
		const result = attachments.attachmentStep(this.#db, this.#self(), requestId, actor, op, this.#now());
		if (op.op === "begin" && result.ok) await this.#schedule(); // the orphan cleanup's date
		return result;
	}

	async queryInbox(person: PersonActor, query: InboxQuery): Promise<InboxPage> {
		if (query.view === "returned") return requests.listReturned(this.#db, this.#self(), person.personId, query, this.#now());
		return inbox.queryInbox(this.#db, { personId: person.personId, teamIds: teams.teamIdsOf(this.#db, person.personId), overseer: person.overseer }, query, this.#now());
	}

	/**
	 * Full-text search of what this account holds, as `person` may read it (search.ts). `kinds`: the
	 * kinds asked for that their permissions read. A query FTS refuses is invalid_input, never a crash.
	 */
	async search(person: PersonActor, kinds: SearchKind[], q: string, limit: number): Promise<Result<search.LocalResults>> {
		const who = { personId: person.personId, staff: person.staff, overseer: person.overseer, teamIds: teams.teamIdsOf(this.#db, person.personId), kinds };
		try {
			return ok(search.search(this.#db, this.#self(), who, q, limit));
		} catch (e) {
			if (e instanceof search.SearchSyntaxError) return fail("invalid_input", "The search could not be understood; try other words.");
			throw e;
		}
	}

	// ── SLA clocks and reports ────────────────────────────────────────────

	/**
	 * The SLA clocks of a request, for whoever may see the request: as reported by its providers
	 * (this account's own request), or as this account keeps them (a customer's request it provides).
	 */
	async requestClocks(person: PersonActor, id: string): Promise<Result<AffectedSla[]>> {
		const visible = await this.getRequest(person, id);
		if (!visible.ok) return visible;
		return ok(requests.isOwnRequest(this.#db, id) ? affected.reportedClocks(this.#db, id) : affected.clocksOfRequest(this.#db, this.#self(), id));
	}

	/** This account's report as a provider (all customers, or the one filtered). */
	async slaReport(filter: reports.ReportFilter, customerName?: string): Promise<SlaReport> {
		const customer = filter.customer ? { id: filter.customer, name: customerName ?? filter.customer } : null;
		return reports.slaReport(this.#reportContext(await this.#name(), customer, customer && access.customerStanding(this.#db, customer.id)), filter);
	}

	async slaDrill(query: reports.DrillQuery): Promise<SlaDrillPage> {
		return reports.slaDrill(this.#reportContext(await this.#name(), null), query);
	}

	/**
	 * Provider side, called by a customer's AccountObject: the same report, filtered to that
	 * customer, for a customer of this account now or one with SLA history here (report-access.ts).
	 */
	async slaReportFor(customer: { id: string; name: string }, filter: reports.ReportFilter): Promise<Result<SlaReport>> {
		const standing = access.customerStanding(this.#db, customer.id);
		if (!standing) return fail("not_found", "No trust with that account.");
		return ok(reports.slaReport(this.#reportContext(await this.#name(), customer, standing), { ...filter, customer: customer.id }));
	}

	async slaDrillFor(customer: string, query: reports.DrillQuery): Promise<Result<SlaDrillPage>> {
		if (!access.customerStanding(this.#db, customer)) return fail("not_found", "No trust with that account.");
		return ok(reports.slaDrill(this.#reportContext(await this.#name(), null), { ...query, customer }));
	}

	/** Customer side: a provider's report of this account's SLAs, computed by the provider (after offboarding too). */
	async providerSlaReport(provider: string, filter: reports.ReportFilter): Promise<Result<SlaReport>> {
		if (!access.mayAskProvider(this.#db, provider)) return fail("not_found", "No trust with that provider.");
		return this.env.ACCOUNT.getByName(provider).slaReportFor({ id: this.#self(), name: await this.#name() }, filter);
	}

	async providerSlaDrill(provider: string, query: reports.DrillQuery): Promise<Result<SlaDrillPage>> {
		if (!access.mayAskProvider(this.#db, provider)) return fail("not_found", "No trust with that provider.");
		return this.env.ACCOUNT.getByName(provider).slaDrillFor(this.#self(), query);
	}

	#reportContext(selfName: string, customer: { id: string; name: string } | null, trust: SlaReportTrust | null = null): reports.ReportContext {
		return { sql: this.ctx.storage.sql, timeZone: this.#timeZone(), now: this.#now(), provider: { id: this.#self(), name: selfName }, customer, trust };
	}

	// ── Demo history (local demo only; the route checks DEMO_TOOLS) ───────

	/**
	 * Replays a planned history of this account's requests at its past instants, through the same
	 * request code as live use; the providers compute their SLA clocks from the resulting messages.
	 */
	async replayHistory(input: demo.HistoryReplay): Promise<{ requests: number; steps: number; skipped: number }> {
		const self = this.#self();
		const ownerName = await this.#name();
		const ids: string[] = [];
		let steps = 0;
		let skipped = 0;
		for (const step of input.plan.steps) {
			const planned = input.plan.requests[step.request];
			const entry = planned && input.entries[planned.entry];
			const requester = planned && input.requesters[planned.requester];
			if (!planned || !entry || !requester) {
				skipped += 1;
				continue;
			}
			if (step.kind === "create") {
				const summary = requests.createRequest(
					this.#db,
					self,
					{ personId: requester.id, name: requester.name, accountId: self, staff: false, teamIds: [] },
					{ subject: planned.subject, category: planned.category, impact: planned.impact, note: planned.note, requestedFor: requester, ownerName },
					entry.route,
					step.at,
				);
				ids[step.request] = summary.id;
				steps += 1;
				continue;
			}
			const id = ids[step.request];
			const specialist = step.by === "requester" ? undefined : entry.specialists[step.by.specialist % Math.max(1, entry.specialists.length)];
			const actor: requests.RequestActor | undefined =
				step.by === "requester"
					? { personId: requester.id, name: requester.name, accountId: self, staff: false, teamIds: [] }
					: specialist && { personId: specialist.id, name: specialist.name, accountId: entry.route.team.accountId, staff: true, teamIds: [entry.route.team.id] };
			const result = id && actor ? requests.commandRequest(this.#db, self, id, actor, step.command, step.at) : undefined;
			if (result?.ok) steps += 1;
			else skipped += 1;
		}
		await this.#afterWrite();
		return { requests: ids.filter(Boolean).length, steps, skipped };
	}

	// ── Apps: provider side (offerings) ───────────────────────────────────

	/** The signing secret is in the answer once; a replay by Idempotency-Key answers it as null (as webhook endpoints do). */
	async createAppOffering(input: CreateAppOfferingInput, idem?: IdempotencyContext): Promise<Replayable<{ offering: AppOffering; signingSecret: string | null }>> {
		const key = await this.#secretKeyResult();
		if (!key.ok) return key;
		const prepared = await hookEndpoints.prepareSecret(key.value);
		const now = this.#now();
		let secret: string | null = null;
		const result = idempotency.commit(this.#db, idem, now, () => {
			const created = apps.createOffering(this.#db, input, prepared, this.#urlPolicy(), now);
			if (!created.ok) return created;
			secret = created.value.signingSecret;
			return ok(created.value.offering);
		});
		if (!result.ok) return result;
		return { ok: true, value: { offering: result.value, signingSecret: result.replayed ? null : secret }, ...(result.replayed ? { replayed: true as const } : {}) };
	}

	async listAppOfferings(cursor: string | undefined, limit: number): Promise<Result<{ items: AppOffering[]; nextCursor: string | null }>> {
		return apps.listOfferings(this.#db, cursor, limit);
	}

	async getAppOffering(id: string): Promise<Result<AppOffering>> {
		const offering = apps.getOffering(this.#db, id);
		return offering ? ok(offering) : fail("not_found", "No such app offering.");
	}

	async updateAppOffering(id: string, input: UpdateAppOfferingInput): Promise<Result<AppOffering>> {
		const result = apps.updateOffering(this.#db, id, input, this.#urlPolicy(), this.#now());
		await this.#afterCommit(); // customers with it installed hear of the new version
		return result;
	}

	async deleteAppOffering(id: string): Promise<Result<{ id: string }>> {
		return apps.deleteOffering(this.#db, id);
	}

	async publishAppOffering(id: string, to: AppAudience): Promise<Result<AppOffering>> {
		return apps.publishOffering(this.#db, id, to, this.#now());
	}

	async listAppSubscribers(offeringId: string, cursor: string | undefined, limit: number): Promise<Result<{ items: apps.SubscriberRecord[]; nextCursor: string | null }>> {
		return apps.listSubscribers(this.#db, offeringId, cursor, limit);
	}

	/** Called by a customer's AccountObject: what it may install, checked against the trust every time. */
	async appListingsFor(customer: string): Promise<Result<AppListing[]>> {
		return apps.listingsFor(this.#db, customer);
	}

	// ── Apps: customer side (installations) ───────────────────────────────

	/** The apps each trusted provider publishes to this account, as they answer now. */
	async availableApps(): Promise<{ providerAccountId: string; listing: AppListing; installationId: string | null }[]> {
		const self = this.#self();
		const providers = trusts.listTrusts(this.#db).filter((t) => t.status === "active" && t.ourRole === "customer").map((t) => t.otherAccountId);
		const answers = await Promise.all(
			providers.map(async (provider) => {
				try {
					const answer: Result<AppListing[]> = await this.env.ACCOUNT.getByName(provider).appListingsFor(self);
					return { provider, listings: answer.ok ? answer.value.flatMap((l) => apps.ListingSchema.safeParse(l).data ?? []) : [] };
				} catch {
					return { provider, listings: [] }; // one provider down hides only its apps
				}
			}),
		);
		const installed = apps.liveInstallationIds(this.#db);
		return answers.flatMap(({ provider, listings }) =>
			listings.map((listing) => ({ providerAccountId: provider, listing, installationId: installed.get(`${provider}/${listing.offeringId}`) ?? null })),
		);
	}

	/**
	 * An administrator installs a provider's app: the provider answers what it offers (trust
	 * checked there), the configuration is checked against its form, a token with exactly its
	 * scopes is made in D1, and the installation and the message carrying the token to the
	 * provider are committed together. If the commit fails, the token is revoked again.
	 */
	async installApp(installer: { personId: string; name: string }, input: InstallAppInput, apiUrl: string, idem?: IdempotencyContext): Promise<Replayable<apps.InstallationRecord>> {
		const self = this.#self();
		const provider = input.providerAccountId;
		const earlier = idempotency.lookup<apps.InstallationRecord>(this.#db, idem, this.#now());
		if (earlier) return earlier;
		if (provider === self || !trusts.isActiveTrust(this.#db, provider, "customer")) return fail("not_found", "No such app offering.");
		if (apps.liveInstallationOf(this.#db, provider, input.offeringId)) return fail("conflict", "This app is installed already.");
		const answer: Result<AppListing[]> = await this.env.ACCOUNT.getByName(provider).appListingsFor(self);
		const listing = answer.ok ? answer.value.map((l) => apps.ListingSchema.safeParse(l).data).find((l) => l?.offeringId === input.offeringId) : undefined;
		if (!listing) return fail("not_found", "No such app offering.");
		const config = apps.checkConfig(listing.configFields, input.config);
		if (!config.ok) return config;
		const key = await this.#secretKeyResult();
		if (!key.ok) return key;
		const id = newId("ains");
		const prepared = await hookEndpoints.prepareSecret(key.value);
		const db = directory(this.env.DB);
		const tokenId = newId("tok");
		const token = randomSecret("td_");
		const now = this.#now();
		await insertToken(db, {
			id: tokenId,
			accountId: self,
			name: `App: ${listing.name} (${provider})`.slice(0, 100),
			tokenHash: await sha256Hex(token),
			scopes: listing.scopes,
			// The account's, not the installer's: it must not be revoked when they leave (their
			// tokens are), only by uninstalling. The installation records who installed it.
			createdBy: null,
			createdAt: new Date(now),
			expiresAt: null,
		});
		let result: Replayable<apps.InstallationRecord>;
		try {
			result = idempotency.commit(this.#db, idem, now, () => {
				// Checked again after the awaits: a twin install may have committed meanwhile.
				if (apps.liveInstallationOf(this.#db, provider, input.offeringId)) return fail("conflict", "This app is installed already.");
				if (!trusts.isActiveTrust(this.#db, provider, "customer")) return fail("not_found", "No such app offering.");
				const handover = (webhook: { endpointId: string; secret: string; events: string[] } | null) => ({
					type: "installed" as const,
					installationId: id,
					offeringId: listing.offeringId,
					version: listing.version,
					scopes: listing.scopes,
					apiUrl,
					token,
					config: config.value.delivered,
					webhook,
				});
				const installedBy = { id: installer.personId, name: installer.name };
				const recorded = apps.recordInstallation(this.#db, { id, provider, listing, config: config.value.stored, tokenId, installedBy }, handover, prepared, this.#urlPolicy(), now);
				if (!recorded.ok) return recorded;
				const record = apps.getInstallation(this.#db, id);
				return record ? ok(record) : fail("internal", "The installation vanished.");
			});
		} catch (err) {
			await revokeToken(db, self, tokenId, new Date(now));
			throw err;
		}
		// A replay or a refusal: the token made for this attempt is not needed.
		if (!result.ok || result.replayed) await revokeToken(db, self, tokenId, new Date(now));
		await this.#afterWrite();
		return result;
	}

	async listAppInstallations(cursor: string | undefined, limit: number, status?: "active" | "uninstalled"): Promise<Result<{ items: apps.InstallationRecord[]; nextCursor: string | null }>> {
		return apps.listInstallations(this.#db, cursor, limit, status);
	}

	async getAppInstallation(id: string): Promise<Result<apps.InstallationRecord>> {
		const found = apps.getInstallation(this.#db, id);
		return found ? ok(found) : fail("not_found", "No such installation.");
	}

	/** Who installed the live app holding this token (undefined: not an app's token). */
	async appInstallerOfToken(tokenId: string): Promise<string | undefined> {
		return apps.installerOfToken(this.#db, tokenId);
	}

	/** Revokes the app's token before answering: its next call is refused. */
	async uninstallApp(id: string): Promise<Result<apps.InstallationRecord>> {
		const result = apps.uninstall(this.#db, id, this.#now());
		if (result.ok) await this.#syncAppTokens(); // not swallowed: the caller must not hear "done" before the revocation
		await this.#afterWrite();
		return result;
	}

	/** The waiting version's scopes become the token's before answering. */
	async approveAppUpdate(id: string): Promise<Result<apps.InstallationRecord>> {
		const result = apps.approveUpdate(this.#db, id, this.#urlPolicy(), this.#now());
		if (result.ok) await this.#syncAppTokens();
		await this.#afterWrite();
		return result;
	}

	// ── Realtime ──────────────────────────────────────────────────────────

	/** A one-time ticket (30 s) that opens one socket for this person, hearing of `topics` too. */
	async issueSocketTicket(person: PersonActor, topics: LiveTopic[] = []): Promise<string> {
		const viewer: realtime.Viewer = { ...person, teamIds: teams.teamIdsOf(this.#db, person.personId), topics };
		return realtime.issueTicket(this.#db, viewer, this.#now());
	}

	/** Only the WebSocket upgrade comes here; the Worker has checked the origin. */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade.", { status: 426 });
		const ticket = new URL(request.url).searchParams.get("ticket") ?? "";
		const viewer = ticket ? await realtime.redeemTicket(this.#db, ticket, this.#now()) : null;
		const pair = new WebSocketPair();
		const [client, server] = [pair[0], pair[1]];
		if (!viewer) {
			// Browsers hide an upgrade's HTTP error body: say it on the socket, then close.
			server.accept();
			server.send(JSON.stringify({ type: "error", code: "unauthenticated", message: "Unknown or expired ticket: ask for a new one." }));
			server.close(4001, "unauthenticated");
			return new Response(null, { status: 101, webSocket: client });
		}
		this.#hub.accept(server, viewer);
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
		this.#hub.receive(ws, message);
	}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		// Reciprocate, or clients see 1006 instead of a clean close.
		try {
			ws.close(code === 1005 ? 1000 : code, reason);
		} catch {
			// already closed
		}
	}

	// ── Notifications (the Worker passes the signed-in person: nobody reads another's) ──

	async listNotifications(personId: string, query: NotificationQuery): Promise<NotificationPage> {
		return notifications.listNotifications(this.#db, personId, query);
	}

	async unreadNotifications(personId: string): Promise<number> {
		return notifications.unreadCount(this.#db, personId);
	}

	async markNotificationRead(personId: string, id: string): Promise<Result<{ notification: Notification; unread: number }>> {
		return notifications.markRead(this.#db, personId, id, this.#now());
	}

	async markAllNotificationsRead(personId: string): Promise<{ marked: number; unread: number }> {
		const marked = notifications.markAllRead(this.#db, personId, this.#now());
		return { marked, unread: notifications.unreadCount(this.#db, personId) };
	}

	/** The person's preferences for the kinds their roles can receive. */
	async notificationPreferences(personId: string, kinds: NotificationKind[]): Promise<NotificationPreference[]> {
		return notifications.preferencesOf(this.#db, personId, kinds);
	}

	async setNotificationPreferences(personId: string, items: { kind: NotificationKind; inApp: boolean; email: boolean }[], kinds: NotificationKind[]): Promise<NotificationPreference[]> {
		notifications.setPreferences(this.#db, personId, items);
		return notifications.preferencesOf(this.#db, personId, kinds);
	}

	// ── Saved filters (the Worker passes the signed-in person: each reaches only their own) ──

	async listSavedFilters(personId: string, view?: SavedFilterView): Promise<SavedFilter[]> {
		return savedFilters.listSavedFilters(this.#db, personId, view);
	}

	async createSavedFilter(personId: string, input: CreateSavedFilter, idem?: IdempotencyContext): Promise<Replayable<SavedFilter>> {
		const now = this.#now();
		return idempotency.commit(this.#db, idem, now, () => savedFilters.createSavedFilter(this.#db, personId, input, now));
	}

	async updateSavedFilter(personId: string, id: string, input: UpdateSavedFilter): Promise<Result<SavedFilter>> {
		return savedFilters.updateSavedFilter(this.#db, personId, id, input, this.#now());
	}

	async deleteSavedFilter(personId: string, id: string): Promise<Result<null>> {
		return savedFilters.deleteSavedFilter(this.#db, personId, id);
	}

	// ── Messaging ─────────────────────────────────────────────────────────

	/** Called by another AccountObject's outbox. Applies what is new, in order, each once. */
	async receiveMessages(envelope: messaging.Envelope): Promise<messaging.Receipt> {
		if (this.hooks.failDeliveries > 0) {
			this.hooks.failDeliveries -= 1;
			throw new Error("Injected delivery failure.");
		}
		const now = this.#now();
		// Trust messages tell this account's administrators; the directory knows who they are, and
		// is asked before the (synchronous) apply. Only then: most envelopes carry none.
		const administrators = envelope.messages.some((m) => m.kind === trusts.TRUST_MESSAGE) ? await administratorIds(directory(this.env.DB), this.#self()) : [];
		const receipt = messaging.receive(this.#db, envelope, messageHandler(this.#db, this.#self(), now, this.#timeZone(), this.#appContext(), administrators), now);
		if (this.hooks.abortAfterApply) {
			this.hooks.abortAfterApply = false;
			// Writes become durable when the output gate opens, not when transactionSync returns: wait
			// for them, or the reset would discard the effect too and simulate an earlier crash.
			await this.ctx.storage.sync();
			this.ctx.abort("Injected reset after applying, before answering.");
		}
		await this.#afterWrite(); // applying may have queued answers or changed what sockets see
		return receipt;
	}

	async listOutbox(): Promise<OutboxMessage[]> {
		return messaging.listOutbox(this.#db);
	}

	async retryMessage(to: string, seq: number, idem?: IdempotencyContext): Promise<Replayable<{ id: string }>> {
		const now = this.#now();
		const result = idempotency.commit(this.#db, idem, now, () =>
			messaging.retryParked(this.#db, to, seq, now) ? ok({ id: `${to}#${seq}` }) : fail<{ id: string }>("not_found", "No such parked message."),
		);
		await this.#afterCommit();
		return result;
	}

	/** Delivers what is due now and waits for it (the alarm does the same). */
	async deliverNow(): Promise<messaging.DeliveryReport> {
		return this.#deliver();
	}

	// ── E-mail ────────────────────────────────────────────────────────────

	/** Queues a mail the Worker composed a reason for (invitation, reset, verification); sent at once. */
	async queueMail(message: MailToSend): Promise<Result<{ id: string }>> {
		const result = mail.queueMail(this.#db, message, this.#now());
		if (result.ok) await this.#afterCommit();
		return result;
	}

	/** The delivery log, newest first. */
	async listMailDeliveries(cursor?: string, limit?: number): Promise<Result<mail.MailDeliveryPage>> {
		return mail.listMailDeliveries(this.#db, cursor, limit);
	}

	/** A bounce for a mail this account sent (by the Message-ID the Email Service gave it). */
	async recordMailBounce(messageId: string, reason: string): Promise<boolean> {
		return mail.recordBounce(this.#db, messageId, reason, this.#now());
	}

	/** Sends what is due now and waits for it (the alarm does the same). */
	async sendMailNow(): Promise<mail.MailRunReport> {
		return this.#sendMail();
	}

	// ── Webhooks ──────────────────────────────────────────────────────────

	async listWebhookEndpoints(cursor: string | undefined, limit: number): Promise<Result<WebhookEndpointList>> {
		return hookEndpoints.listEndpoints(this.#db, cursor, limit, this.#now());
	}

	async getWebhookEndpoint(id: string): Promise<Result<WebhookEndpoint>> {
		return hookEndpoints.getEndpoint(this.#db, id, this.#now());
	}

	/**
	 * Creates an endpoint people own. The secret is in the answer once; a replay by Idempotency-Key
	 * answers the endpoint with `secret: null` (the secret is never stored in the clear, not even there).
	 */
	async createWebhookEndpoint(input: hookEndpoints.NewEndpoint, idem?: IdempotencyContext): Promise<Replayable<WebhookEndpointWithSecret>> {
		const key = await this.#secretKeyResult();
		if (!key.ok) return key;
		const prepared = await hookEndpoints.prepareSecret(key.value);
		const now = this.#now();
		let secret: string | null = null;
		const result = idempotency.commit(this.#db, idem, now, () => {
			const created = hookEndpoints.createEndpoint(this.#db, { ...input, managedBy: undefined }, prepared, this.#urlPolicy(), now);
			if (!created.ok) return created;
			secret = created.value.secret;
			return hookEndpoints.getEndpoint(this.#db, created.value.id, now);
		});
		if (!result.ok) return result;
		return { ok: true, value: { endpoint: result.value, secret: result.replayed ? null : secret }, ...(result.replayed ? { replayed: true as const } : {}) };
	}

	async updateWebhookEndpoint(id: string, changes: hookEndpoints.EndpointChanges): Promise<Result<WebhookEndpoint>> {
		return this.#db.transaction(() => hookEndpoints.updateEndpoint(this.#db, id, changes, this.#urlPolicy(), this.#now()));
	}

	async rotateWebhookSecret(id: string): Promise<Result<WebhookEndpointWithSecret>> {
		const key = await this.#secretKeyResult();
		if (!key.ok) return key;
		const prepared = await hookEndpoints.prepareSecret(key.value, id);
		return this.#db.transaction(() => hookEndpoints.rotateSecret(this.#db, id, prepared, this.#now()));
	}

	async deleteWebhookEndpoint(id: string): Promise<Result<{ id: string }>> {
		return this.#db.transaction(() => hookEndpoints.deleteEndpoint(this.#db, id));
	}

	async listWebhookDeliveries(endpointId: string, cursor: string | undefined, limit: number): Promise<Result<WebhookDeliveryPage>> {
		return hookDelivery.listDeliveries(this.#db, endpointId, cursor, limit);
	}

	async redeliverWebhook(endpointId: string, deliveryId: string): Promise<Result<WebhookDelivery>> {
		const result = this.#db.transaction(() => hookDelivery.redeliver(this.#db, endpointId, deliveryId, this.#now()));
		if (result.ok) await this.#afterCommit();
		return result;
	}

	async sendWebhookTest(endpointId: string, idem?: IdempotencyContext): Promise<Replayable<WebhookDelivery>> {
		const now = this.#now();
		const result = idempotency.commit(this.#db, idem, now, () => this.#db.transaction(() => hookDelivery.sendTestEvent(this.#db, this.#self(), endpointId, now)));
		if (result.ok) await this.#afterCommit();
		return result;
	}

	/** Sends what is due now and waits for it (the alarm does the same). */
	async sendWebhooksNow(): Promise<hookDelivery.WebhookRunReport> {
		return this.#sendWebhooks();
	}

	// ── Alarm ─────────────────────────────────────────────────────────────

	/** Idempotent: SLAs whose dates have come move on; due messages and mails go out; the next alarm is set. */
	override async alarm(): Promise<void> {
		if (this.#readProfile()) {
			slas.advanceSlas(this.#db, { now: this.#now(), timeZone: this.#timeZone() });
			// Warnings and breaches that fell due: recorded, told to the owners. Both these and SLAs
			// started or ended by date are pushed to this account's sockets.
			this.#db.transaction(() => affected.checkClocks(this.#db, this.#self(), this.#now(), this.#timeZone()));
			this.#hub.push();
			await this.#syncAppTokens().catch(() => undefined);
			await this.#deliver();
			await this.#sendMail();
			await this.#sendWebhooks();
			mail.pruneMailLog(this.#db, this.#now());
			hookDelivery.pruneWebhookLog(this.#db, this.#now());
			await this.#cleanUploads();
		}
		await this.#schedule();
	}

	// ── internals ─────────────────────────────────────────────────────────

	/** Uploads no note took within ATTACHMENT_PENDING_MS: the objects first, so a failure leaves the rows to retry. */
	async #cleanUploads(): Promise<void> {
		const expired = attachments.expiredUploads(this.#db, this.#self(), this.#now());
		if (expired.length === 0) return;
		await this.env.ATTACHMENTS.delete(expired.map((f) => f.key));
		attachments.forgetFiles(this.#db, expired.map((f) => f.id));
	}

	#now(): number {
		return this.hooks.now();
	}

	#readProfile(): profile.AccountProfile | undefined {
		this.#profile ??= profile.readProfile(this.#db);
		return this.#profile;
	}

	#self(): string {
		const p = this.#readProfile();
		if (!p) throw new Error("This account was never initialized.");
		return p.id;
	}

	/**
	 * This account's display name, from its profile. An account made before the profile kept it
	 * asks the directory once and keeps the answer (the Worker updates it on a rename from then on).
	 */
	async #name(): Promise<string> {
		const p = this.#readProfile();
		if (!p) throw new Error("This account was never initialized.");
		if (p.name !== null) return p.name;
		const name = (await accountNames(directory(this.env.DB), [p.id])).get(p.id);
		if (name === undefined) return p.id;
		this.#profile = profile.fillName(this.#db, p.id, name) ?? p;
		return this.#profile.name ?? name;
	}

	#timeZone(): string {
		return this.#readProfile()?.timeZone ?? profile.DEFAULT_TIME_ZONE;
	}

	#slaContext(actor: string): slas.SlaContext {
		return { self: this.#self(), now: this.#now(), timeZone: this.#timeZone(), actor };
	}

	/** A token reads like an overseer of this account who is in no team, and is no person (its id is a token's). */
	#tokenActor(t: TokenReader): requests.RequestActor {
		return { personId: t.tokenId, name: t.name, accountId: this.#self(), staff: true, teamIds: [], overseer: true };
	}

	#actor(p: PersonActor): requests.RequestActor {
		return { personId: p.personId, name: p.name, accountId: this.#self(), staff: p.staff, teamIds: teams.teamIdsOf(this.#db, p.personId), overseer: p.overseer };
	}

	/**
	 * The portal's command in the owner's terms: team and member names resolved here, in the
	 * account whose teams they are (`teamOfRequest` is the request's team when it is one of ours).
	 */
	#ownerCommand(cmd: RequestCommand, teamOfRequest: string | undefined, memberName: string | undefined): Result<requests.OwnerCommand> {
		if (cmd.type !== "assign") return ok(cmd);
		const teamId = cmd.teamId ?? teamOfRequest;
		if (!teamId) return fail("invalid_input", "Requests can be assigned only to teams of the account working on them.");
		const team = teams.teamWithMember(this.#db, teamId, cmd.memberId ?? undefined);
		if (!team) return fail("invalid_input", "No such team in this account.", [{ path: "teamId", message: "No such team." }]);
		if (!team.hasMember) return fail("invalid_input", "That person is not a member of the team.", [{ path: "memberId", message: "Not a member of the team." }]);
		let member: { id: string; name: string } | null | undefined;
		if (cmd.memberId === null) member = null;
		else if (cmd.memberId) member = { id: cmd.memberId, name: memberName ?? cmd.memberId };
		return ok({ type: "assign", team: cmd.teamId ? { id: teamId, name: team.name } : undefined, member });
	}

	/** After a write: deliver queued messages, keep the alarm as a net, tell the sockets. */
	async #afterWrite(): Promise<void> {
		this.#hub.push();
		// Keep the event log bounded (resume reaches back EVENT_LOG_SIZE events), pruning in
		// batches: once it has grown a tenth past its size, not on every write.
		if (realtime.lastSeq(this.#db) - realtime.firstSeq(this.#db) >= realtime.EVENT_LOG_SIZE * 1.1) realtime.pruneEvents(this.#db);
		await this.#afterCommit();
	}

	#trustView(t: trusts.TrustRecord): TrustView {
		const activeSlaCount =
			t.ourRole === "provider" ? slas.liveSlaCount(this.#db, t.otherAccountId) : received.liveReceivedCount(this.#db, t.otherAccountId);
		return { ...t, activeSlaCount };
	}

	/** After a write that may have queued messages: try them at once, keep the alarm as a net. */
	async #afterCommit(): Promise<void> {
		// App tokens first (a revocation must not wait for anything), awaited: callers answer after it.
		if (apps.hasUnsyncedTokens(this.#db)) await this.#syncAppTokens().catch(() => undefined);
		await this.#schedule();
		const due = messaging.nextDeliveryAt(this.#db);
		if (due !== null && due <= this.#now()) this.ctx.waitUntil(this.#deliver().catch(() => undefined));
		const mailDue = mail.nextMailAt(this.#db);
		if (mailDue !== null && mailDue <= this.#now()) this.ctx.waitUntil(this.#sendMail().catch(() => undefined));
		const hookDue = hookDelivery.nextWebhookAt(this.#db);
		if (hookDue !== null && hookDue <= this.#now()) this.ctx.waitUntil(this.#sendWebhooks().catch(() => undefined));
	}

	/** The key webhook secrets are sealed with (WEBHOOK_SECRETS_KEY), derived once per start. */
	#secretKey(): Promise<SecretKey> {
		const env = this.env as Env & { WEBHOOK_SECRETS_KEY?: string };
		this.#webhookKey ??= secretKey(env.WEBHOOK_SECRETS_KEY);
		// A missing key is reported on every call, not remembered: it may be set by the next deploy.
		this.#webhookKey.catch(() => (this.#webhookKey = undefined));
		return this.#webhookKey;
	}

	/** The key, or `unavailable` when the deployment has none (the operator must set the secret). */
	async #secretKeyResult(): Promise<Result<SecretKey>> {
		try {
			return ok(await this.#secretKey());
		} catch (err) {
			return fail("unavailable", err instanceof Error ? err.message : String(err));
		}
	}

	#urlPolicy() {
		return policyOf(this.env);
	}

	/** One webhook run after the other; the alarm is set for the next retry after each. */
	async #sendWebhooks(): Promise<hookDelivery.WebhookRunReport> {
		const empty: hookDelivery.WebhookRunReport = { succeeded: 0, retrying: 0, failed: 0, disabled: [] };
		if (!this.#readProfile()) return empty;
		const transport: hookDelivery.WebhookTransport = {
			self: this.#self(),
			policy: this.#urlPolicy(),
			secretsOf: async (endpointId, sealed) => {
				const key = await this.#secretKey();
				const opened = await Promise.all(sealed.map((s) => unseal(key, endpointId, s).catch(() => null)));
				return opened.filter((s): s is string => s !== null);
			},
			fetch: (url, init) => fetch(url, init),
			administrators: () => administratorIds(directory(this.env.DB), this.#self()),
			...(this.hooks.webhookJitter ? { random: this.hooks.webhookJitter } : {}),
		};
		const run = this.#webhookRun.then(() => (nextDue(this.#db, this.#now()) ? hookDelivery.sendDueWebhooks(this.#db, transport, () => this.#now()) : empty));
		this.#webhookRun = run.catch(() => undefined);
		const report = await run;
		if (report.disabled.length > 0) this.#hub.push(); // the administrators' new notifications
		await this.#schedule();
		return report;
	}

	/** Makes the D1 tokens of app installations match them: revoked when uninstalled, else their scopes. */
	async #syncAppTokens(): Promise<void> {
		const self = this.#self();
		const db = directory(this.env.DB);
		for (const t of apps.unsyncedTokens(this.#db)) {
			if (t.revoke) await revokeToken(db, self, t.tokenId, new Date(this.#now()));
			else await setTokenScopes(db, self, t.tokenId, t.scopes);
			apps.markTokenSynced(this.#db, t);
		}
	}

	/**
	 * Deliveries to an app offering's endpoint go out as webhooks of this (the provider's) account:
	 * signed with the offering's secret, retried, logged; a sensitive one (the token) is dropped
	 * once delivered. Queued inside the caller's transaction; sent after the commit.
	 */
	#appContext(): apps.AppContext {
		return {
			policy: this.#urlPolicy(),
			deliver: (d) => hookDelivery.queueDelivery(this.#db, d.endpointId, { type: d.type, data: d.data }, this.#now(), { sensitive: d.sensitive }).ok,
		};
	}

	/** One mail run after the other; the alarm is set for the next retry after each. */
	async #sendMail(): Promise<mail.MailRunReport> {
		const profile = this.#readProfile();
		if (!profile) return { sent: 0, retrying: 0, failed: 0 };
		const transport = mailTransport(this.env, this.#db, profile);
		const send = transport.send;
		transport.send = (m) => {
			if (this.hooks.failMailSends <= 0) return send(m);
			this.hooks.failMailSends -= 1;
			return Promise.reject(new Error("Injected: the Email Service refused the mail."));
		};
		const run = this.#mailRun.then(() => mail.sendDueMail(this.#db, transport, () => this.#now()));
		this.#mailRun = run.catch(() => undefined);
		const report = await run;
		await this.#schedule();
		return report;
	}

	/** One delivery run at a time; a request during a run makes it go round once more. */
	async #deliver(): Promise<messaging.DeliveryReport> {
		if (this.#delivering) {
			this.#deliverAgain = true;
			await this.#delivering;
			return { delivered: 0, failed: [], parked: [] };
		}
		let report: messaging.DeliveryReport = { delivered: 0, failed: [], parked: [] };
		const run = async () => {
			do {
				this.#deliverAgain = false;
				const r = await messaging.deliverDue(this.#db, this.#self(), (to, envelope) => this.env.ACCOUNT.getByName(to).receiveMessages(envelope), () => this.#now());
				report = { delivered: report.delivered + r.delivered, failed: [...report.failed, ...r.failed], parked: [...report.parked, ...r.parked] };
			} while (this.#deliverAgain);
		};
		this.#delivering = run().finally(() => {
			this.#delivering = null;
		});
		await this.#delivering;
		await this.#schedule();
		return report;
	}

	/** Sets the alarm to the earliest job: the next delivery attempt or the next SLA date. */
	async #schedule(): Promise<void> {
		if (!this.#readProfile()) return;
		const tokensDue = apps.hasUnsyncedTokens(this.#db) ? this.#now() + 30_000 : null;
		const candidates = [tokensDue, messaging.nextDeliveryAt(this.#db), mail.nextMailAt(this.#db), slas.nextSlaChangeAt(this.#db, this.#timeZone()), affected.nextClockCheckAt(this.#db), attachments.nextExpiryAt(this.#db), hookDelivery.nextWebhookAt(this.#db)].filter(
			(t): t is number => t !== null,
		);
		if (candidates.length === 0) {
			await this.ctx.storage.deleteAlarm();
			return;
		}
		// An alarm in the past fires at once; in tests the clock may be ahead of the real one.
		const at = Math.min(...candidates) - this.hooks.offsetMs;
		const current = await this.ctx.storage.getAlarm();
		if (current === null || current !== at) await this.ctx.storage.setAlarm(Math.max(at, Date.now()));
	}
}

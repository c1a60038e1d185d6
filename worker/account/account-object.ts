// AccountObject: one Durable Object per account. A thin shell: it owns the account's SQLite
// database (migrated once per start) and its context (context.ts), and exposes the account's
// operations as RPC methods that call plain modules: the domain modules over the database, and
// the flows over the context (request-flow.ts, trust-flow.ts, apps-flow.ts, …). Other accounts
// are reached through the outbox (messaging.ts); background work and the alarm are the
// scheduler's (scheduler.ts). The Worker has already authenticated the caller and checked their
// permission; the modules enforce the account's own invariants and, for other accounts, the trust.
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
import type { InboxPage, InboxQuery, MyRequestsQuery, Request as RequestView, RequestCommand, RequestSummary } from "../shared/request-api";
import type { LiveTopic } from "../shared/live-topics";
import type { SearchKind } from "../shared/search-api";
import type { Notification, NotificationPage, NotificationPreference, NotificationQuery } from "../shared/notification-api";
import type { NotificationKind } from "../shared/notification-kinds";
import type { EventInput, EventResult } from "../shared/event-api";
import type { AffectedSla, SlaDrillPage, SlaReport } from "../shared/sla-api";
import type { AppAudience, AppListing, AppOffering, CreateAppOfferingInput, InstallAppInput, UpdateAppOfferingInput } from "../shared/app-api";
import type { AttachmentRef } from "../shared/attachment-api";
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointList, WebhookEndpointWithSecret } from "../shared/webhook-api";
import type { ServiceChoice } from "../mail/service-match";
import { claimAnswer } from "../mail/unknown-senders";
import type * as inboundMail from "../mail/inbound-mail";
import * as mail from "../mail/queue";
import type { MailToSend } from "../mail/types";
import * as hookDelivery from "../webhooks/delivery";
import * as hookEndpoints from "../webhooks/endpoints";
import * as endpointFlow from "../webhooks/endpoint-flow";
import * as apps from "./apps";
import * as appsFlow from "./apps-flow";
import type * as attachments from "./attachments";
import { catalogFor, type CustomerCatalog, type ProviderAnswer, type ProviderCatalogEntry } from "./catalog";
import { AccountContext, type PersonActor, type TestHooks, type TokenReader } from "./context";
import type { AccountDb } from "./db";
import * as demo from "./demo-history";
import { migrate } from "./migrate";
import * as messaging from "./messaging";
import * as notifications from "./notifications";
import type * as profile from "./profile";
import * as realtime from "./realtime";
import * as received from "./received";
import * as reportFlow from "./report-flow";
import type * as reports from "./sla-reports";
import * as flow from "./request-flow";
import * as requests from "./requests";
import * as savedFilters from "./saved-filters";
import type { CreateSavedFilter, SavedFilter, SavedFilterView, UpdateSavedFilter } from "../shared/saved-filter-api";
import type * as search from "./search";
import * as services from "./services";
import * as slaFlow from "./sla-flow";
import * as slas from "./slas";
import * as teamFlow from "./team-flow";
import * as teams from "./teams";
import type { TrustCommand } from "./trust-machine";
import * as trustFlow from "./trust-flow";
import type * as trusts from "./trusts";

/** A record by id, or not_found with `message`. */
function found<T>(value: T | undefined, message: string): Result<T> {
	return value ? ok(value) : fail("not_found", message);
}

export class AccountObject extends DurableObject<Env> {
	readonly #account: AccountContext;
	readonly #db: AccountDb;
	/** Test seams (context.ts): tests set them through runInDurableObject. */
	readonly hooks: TestHooks;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#account = new AccountContext(ctx, env);
		this.#db = this.#account.db;
		this.hooks = this.#account.hooks;
		// Answered by the runtime without waking the object: idle sockets stay hibernated.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
		// Runs before any call is delivered. A diverging migration history throws here, which
		// resets the object: it refuses to serve rather than run on an unknown schema.
		void ctx.blockConcurrencyWhile(async () => {
			migrate(ctx.storage, migrations);
			this.#account.hub.start();
		});
	}

	#now(): number {
		return this.#account.now();
	}

	#self(): string {
		return this.#account.self();
	}

	// ── Profile and portal design (the profile's cache and writers: context.ts) ──

	/** Creates the account's profile on first call; idempotent. */
	async initialize(input: { accountId: string; name: string; portalTitle: string; timeZone?: string }): Promise<profile.AccountProfile> { return this.#account.initialize(input); }
	/** The profile, or null when the account was never initialized. */
	async getProfile(): Promise<profile.AccountProfile | null> { return this.#account.profile() ?? null; }
	async updateDesign(input: UpdatePortalDesignInput): Promise<Result<profile.AccountProfile>> { return this.#account.updateDesign(input); }
	async updateTimeZone(timeZone: string): Promise<Result<profile.AccountProfile>> { return this.#account.updateTimeZone(timeZone); }
	async updateName(name: string): Promise<Result<profile.AccountProfile>> { return this.#account.updateName(name); }
	/** The service mails to this account's address are registered for; null clears it. */
	async updateMailIntake(intake: { providerAccountId: string; slaId: string } | null): Promise<Result<profile.AccountProfile>> { return this.#account.updateMailIntake(intake); }

	// ── E-mail in (worker/mail/inbound.ts has checked the mail and its sender; request-flow.ts) ──

	async mailServiceFor(personId: string, subject: string): Promise<ServiceChoice | null> { return flow.mailServiceFor(this.#account, personId, subject); }
	async receiveMailRequest(person: PersonActor, message: inboundMail.InboundMail, registration: inboundMail.MailRegistration): Promise<Replayable<RequestSummary>> { return flow.receiveMailRequest(this.#account, person, message, registration); }
	async receiveMailReply(person: PersonActor, thread: inboundMail.MailThread, message: inboundMail.InboundMail): Promise<Replayable<RequestSummary>> { return flow.receiveMailReply(this.#account, person, thread, message); }
	async resolveMailThread(thread: inboundMail.MailThread): Promise<{ requestId: string; teamAccountId: string | null } | null> { return flow.resolveMailThread(this.#account, thread); }
	/** A stranger wrote to the account's address: true when they may be answered now (once a day). */
	async claimUnknownSenderAnswer(address: string): Promise<boolean> { return claimAnswer(this.#db, address, this.#now()); }

	// ── Teams (changes of membership close the members' sockets: team-flow.ts) ──

	async listTeams(): Promise<teams.TeamRecord[]> { return teams.listTeams(this.#db); }
	async getTeam(id: string): Promise<Result<teams.TeamRecord>> { return found(teams.getTeam(this.#db, id), "No such team."); }
	async createTeam(input: teams.NewTeam, idem?: IdempotencyContext): Promise<Replayable<teams.TeamRecord>> { return teamFlow.createTeam(this.#account, input, idem); }
	async updateTeam(id: string, changes: teams.TeamChanges): Promise<Result<teams.TeamRecord>> { return teamFlow.updateTeam(this.#account, id, changes); }
	async deleteTeam(id: string): Promise<Result<{ id: string }>> { return teamFlow.deleteTeam(this.#account, id); }
	/** Called when a person leaves the account. Returns the number of teams they left. */
	async removePersonFromTeams(personId: string): Promise<number> { return teamFlow.removePersonFromTeams(this.#account, personId); }
	/** Called when a person's roles in the account change: their sockets were opened for the old ones. */
	async closeSocketsOf(personId: string): Promise<void> { this.#account.hub.closeFor([personId]); }

	// ── Trusts (trust-flow.ts) ────────────────────────────────────────────

	async listTrusts(): Promise<trustFlow.TrustView[]> { return trustFlow.listTrusts(this.#account); }
	async getTrust(other: string): Promise<Result<trustFlow.TrustView>> { return trustFlow.getTrust(this.#account, other); }
	async commandTrust(other: string, command: TrustCommand, actor: trusts.TrustActor & { personId?: string | undefined }, idem?: IdempotencyContext): Promise<Replayable<trustFlow.TrustView>> { return trustFlow.commandTrust(this.#account, other, command, actor, idem); }

	// ── Services, instances, offerings ────────────────────────────────────

	async listServiceModel(): Promise<{ services: Service[]; instances: ServiceInstance[]; offerings: ServiceOffering[] }> {
		return { services: services.listServices(this.#db), instances: services.listInstances(this.#db), offerings: services.listOfferings(this.#db) };
	}
	async createService(input: CreateServiceInput, idem?: IdempotencyContext): Promise<Replayable<Service>> { return this.#account.commit(idem, (now) => services.createService(this.#db, input, new Date(now))); }
	async updateService(id: string, input: UpdateServiceInput): Promise<Result<Service>> { return services.updateService(this.#db, id, input, new Date(this.#now())); }
	async deleteService(id: string): Promise<Result<{ id: string }>> { return services.deleteService(this.#db, id); }
	async createServiceInstance(input: CreateServiceInstanceInput, idem?: IdempotencyContext): Promise<Replayable<ServiceInstance>> { return this.#account.commit(idem, (now) => services.createInstance(this.#db, input, new Date(now))); }
	async updateServiceInstance(id: string, input: UpdateServiceInstanceInput): Promise<Result<ServiceInstance>> { return services.updateInstance(this.#db, id, input, new Date(this.#now())); }
	async deleteServiceInstance(id: string): Promise<Result<{ id: string }>> { return services.deleteInstance(this.#db, id); }
	async createServiceOffering(input: CreateServiceOfferingInput, idem?: IdempotencyContext): Promise<Replayable<ServiceOffering>> { return this.#account.commit(idem, (now) => services.createOffering(this.#db, input, new Date(now))); }
	async updateServiceOffering(id: string, input: UpdateServiceOfferingInput): Promise<Result<ServiceOffering>> {
		const result = services.updateOffering(this.#db, id, input, new Date(this.#now()));
		if (result.ok) await this.#account.afterWrite(); // new support hours: the open clocks are due (the alarm takes them in)
		return result;
	}
	async deleteServiceOffering(id: string): Promise<Result<{ id: string }>> { return services.deleteOffering(this.#db, id); }

	// ── SLAs (sla-flow.ts) ────────────────────────────────────────────────

	async listSlas(): Promise<slas.SlaRecord[]> { return slas.listSlas(this.#db); }
	async getSla(id: string): Promise<Result<slas.SlaRecord>> { return found(slas.getSla(this.#db, id), "No such SLA."); }
	async createSla(input: CreateSlaInput, customerName: string, actor: string, idem?: IdempotencyContext): Promise<Replayable<slas.SlaRecord>> { return slaFlow.createSla(this.#account, input, customerName, actor, idem); }
	async updateSla(id: string, input: UpdateSlaInput, actor: string): Promise<Result<slas.SlaRecord>> { return slaFlow.updateSla(this.#account, id, input, actor); }
	async actOnSla(id: string, action: SlaAction, actor: string, idem?: IdempotencyContext): Promise<Replayable<slas.SlaRecord>> { return slaFlow.actOnSla(this.#account, id, action, actor, idem); }
	/** SLAs other accounts provide to this one, as they last reported them. */
	async listReceivedSlas(): Promise<received.ReceivedSlaRecord[]> { return received.listReceivedSlas(this.#db); }

	// ── Catalog ───────────────────────────────────────────────────────────

	/** Provider side, called by a customer's AccountObject: checked against the trust every time. */
	async catalogFor(customer: string, personId: string): Promise<Result<ProviderCatalogEntry[]>> { return catalogFor(this.#db, customer, personId); }
	/** Customer side: the services `personId` may request, asked of each trusted provider. */
	async getCatalog(personId: string): Promise<CustomerCatalog> { return flow.getCatalog(this.#account, personId); }

	// ── Requests (request-flow.ts; the owner's side of another account's call ends in "As"/"For") ──

	async createRequest(actor: PersonActor, input: flow.RequestRegistration, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> { return flow.createRequest(this.#account, actor, input, idem); }
	/** Provider side, called by a customer's AccountObject when one of its people registers a request. */
	async routeFor(customer: string, personId: string, slaId: string): Promise<Result<ProviderAnswer>> { return flow.routeFor(this.#account, customer, personId, slaId); }
	async getRequest(person: PersonActor, id: string): Promise<Result<RequestView>> { return flow.getRequest(this.#account, person, id); }
	async readRequest(token: TokenReader, id: string): Promise<Result<RequestView>> { return flow.readRequest(this.#account, token, id); }
	async readRequestClocks(token: TokenReader, id: string): Promise<Result<AffectedSla[]>> { return flow.readRequestClocks(this.#account, token, id); }
	async postEvent(person: PersonActor, input: EventInput, idem?: IdempotencyContext): Promise<Replayable<EventResult>> { return flow.postEvent(this.#account, person, input, idem); }
	async viewRequestAs(from: string, actor: requests.RequestActor, id: string): Promise<Result<RequestView>> { return flow.viewRequestAs(this.#account, from, actor, id); }
	async commandRequest(person: PersonActor, id: string, cmd: RequestCommand, memberName?: string, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> { return flow.commandRequest(this.#account, person, id, cmd, memberName, idem); }
	async commandRequestAs(from: string, actor: requests.RequestActor, id: string, cmd: requests.OwnerCommand, idem?: IdempotencyContext): Promise<Replayable<RequestSummary>> { return flow.commandRequestAs(this.#account, from, actor, id, cmd, idem); }
	/** A page of this account's requests: from or for the person, or (its specialists) all of them. */
	async listRequests(personId: string, query: MyRequestsQuery): Promise<InboxPage> { return requests.listRequests(this.#db, this.#self(), personId, query, this.#now()); }
	async attachment(person: PersonActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> { return flow.attachment(this.#account, person, requestId, op); }
	async attachmentAs(from: string, actor: requests.RequestActor, requestId: string, op: attachments.AttachmentOp): Promise<Result<attachments.StoredFile>> { return flow.attachmentAs(this.#account, from, actor, requestId, op); }
	async attachInternalFiles(from: string, actor: requests.RequestActor, requestId: string, noteId: string, ids: string[]): Promise<Result<AttachmentRef[]>> { return flow.attachInternalFiles(this.#account, from, actor, requestId, noteId, ids); }
	async internalFilesFor(from: string, actor: requests.RequestActor, requestId: string): Promise<Result<Record<string, AttachmentRef[]>>> { return flow.internalFilesFor(this.#account, from, actor, requestId); }
	async queryInbox(person: PersonActor, query: InboxQuery): Promise<InboxPage> { return flow.queryInbox(this.#account, person, query); }
	async search(person: PersonActor, kinds: SearchKind[], q: string, limit: number): Promise<Result<search.LocalResults>> { return flow.searchAccount(this.#account, person, kinds, q, limit); }

	// ── SLA clocks and reports (report-flow.ts) ───────────────────────────

	async requestClocks(person: PersonActor, id: string): Promise<Result<AffectedSla[]>> { return flow.requestClocks(this.#account, person, id); }
	async slaReport(filter: reports.ReportFilter, customerName?: string): Promise<SlaReport> { return reportFlow.slaReport(this.#account, filter, customerName); }
	async slaDrill(query: reports.DrillQuery): Promise<SlaDrillPage> { return reportFlow.slaDrill(this.#account, query); }
	async slaReportFor(customer: { id: string; name: string }, filter: reports.ReportFilter): Promise<Result<SlaReport>> { return reportFlow.slaReportFor(this.#account, customer, filter); }
	async slaDrillFor(customer: string, query: reports.DrillQuery): Promise<Result<SlaDrillPage>> { return reportFlow.slaDrillFor(this.#account, customer, query); }
	async providerSlaReport(provider: string, filter: reports.ReportFilter): Promise<Result<SlaReport>> { return reportFlow.providerSlaReport(this.#account, provider, filter); }
	async providerSlaDrill(provider: string, query: reports.DrillQuery): Promise<Result<SlaDrillPage>> { return reportFlow.providerSlaDrill(this.#account, provider, query); }

	// ── Demo history (local demo only; the route checks DEMO_TOOLS; demo-history.ts) ──

	async replayHistory(input: demo.HistoryReplay): Promise<{ requests: number; steps: number; skipped: number }> { return demo.replayHistory(this.#account, input); }

	// ── Apps: provider side (offerings; apps-flow.ts) ─────────────────────

	async createAppOffering(input: CreateAppOfferingInput, idem?: IdempotencyContext): Promise<Replayable<{ offering: AppOffering; signingSecret: string | null }>> { return appsFlow.createAppOffering(this.#account, input, idem); }
	async listAppOfferings(cursor: string | undefined, limit: number): Promise<Result<{ items: AppOffering[]; nextCursor: string | null }>> { return apps.listOfferings(this.#db, cursor, limit); }
	async getAppOffering(id: string): Promise<Result<AppOffering>> { return found(apps.getOffering(this.#db, id), "No such app offering."); }
	async updateAppOffering(id: string, input: UpdateAppOfferingInput): Promise<Result<AppOffering>> { return appsFlow.updateAppOffering(this.#account, id, input); }
	async deleteAppOffering(id: string): Promise<Result<{ id: string }>> { return apps.deleteOffering(this.#db, id); }
	async publishAppOffering(id: string, to: AppAudience): Promise<Result<AppOffering>> { return apps.publishOffering(this.#db, id, to, this.#now()); }
	async listAppSubscribers(offeringId: string, cursor: string | undefined, limit: number): Promise<Result<{ items: apps.SubscriberRecord[]; nextCursor: string | null }>> { return apps.listSubscribers(this.#db, offeringId, cursor, limit); }
	/** Called by a customer's AccountObject: what it may install, checked against the trust every time. */
	async appListingsFor(customer: string): Promise<Result<AppListing[]>> { return apps.listingsFor(this.#db, customer); }

	// ── Apps: customer side (installations; apps-flow.ts) ─────────────────

	async availableApps(): Promise<{ providerAccountId: string; listing: AppListing; installationId: string | null }[]> { return appsFlow.availableApps(this.#account); }
	async installApp(installer: { personId: string; name: string }, input: InstallAppInput, apiUrl: string, idem?: IdempotencyContext): Promise<Replayable<apps.InstallationRecord>> { return appsFlow.installApp(this.#account, installer, input, apiUrl, idem); }
	async listAppInstallations(cursor: string | undefined, limit: number, status?: "active" | "uninstalled"): Promise<Result<{ items: apps.InstallationRecord[]; nextCursor: string | null }>> { return apps.listInstallations(this.#db, cursor, limit, status); }
	async getAppInstallation(id: string): Promise<Result<apps.InstallationRecord>> { return found(apps.getInstallation(this.#db, id), "No such installation."); }
	/** Who installed the live app holding this token (undefined: not an app's token). */
	async appInstallerOfToken(tokenId: string): Promise<string | undefined> { return apps.installerOfToken(this.#db, tokenId); }
	async uninstallApp(id: string): Promise<Result<apps.InstallationRecord>> { return appsFlow.uninstallApp(this.#account, id); }
	async approveAppUpdate(id: string): Promise<Result<apps.InstallationRecord>> { return appsFlow.approveAppUpdate(this.#account, id); }

	// ── Realtime (realtime.ts) ────────────────────────────────────────────

	async issueSocketTicket(person: PersonActor, topics: LiveTopic[] = []): Promise<string> { return realtime.issueSocketTicket(this.#account, person, topics); }
	override async fetch(request: Request): Promise<Response> { return realtime.upgrade(this.#account, request); }
	override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> { this.#account.hub.receive(ws, message); }
	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> { realtime.closeSocket(ws, code, reason); }

	// ── Notifications (the Worker passes the signed-in person: nobody reads another's) ──

	async listNotifications(personId: string, query: NotificationQuery): Promise<NotificationPage> { return notifications.listNotifications(this.#db, personId, query); }
	async unreadNotifications(personId: string): Promise<number> { return notifications.unreadCount(this.#db, personId); }
	async markNotificationRead(personId: string, id: string): Promise<Result<{ notification: Notification; unread: number }>> { return notifications.markRead(this.#db, personId, id, this.#now()); }
	async markAllNotificationsRead(personId: string): Promise<{ marked: number; unread: number }> {
		const marked = notifications.markAllRead(this.#db, personId, this.#now());
		return { marked, unread: notifications.unreadCount(this.#db, personId) };
	}
	/** The person's preferences for the kinds their roles can receive. */
	async notificationPreferences(personId: string, kinds: NotificationKind[]): Promise<NotificationPreference[]> { return notifications.preferencesOf(this.#db, personId, kinds); }
	async setNotificationPreferences(personId: string, items: { kind: NotificationKind; inApp: boolean; email: boolean }[], kinds: NotificationKind[]): Promise<NotificationPreference[]> {
		notifications.setPreferences(this.#db, personId, items);
		return notifications.preferencesOf(this.#db, personId, kinds);
	}

	// ── Saved filters (the Worker passes the signed-in person: each reaches only their own) ──

	async listSavedFilters(personId: string, view?: SavedFilterView): Promise<SavedFilter[]> { return savedFilters.listSavedFilters(this.#db, personId, view); }
	async createSavedFilter(personId: string, input: CreateSavedFilter, idem?: IdempotencyContext): Promise<Replayable<SavedFilter>> { return this.#account.commit(idem, (now) => savedFilters.createSavedFilter(this.#db, personId, input, now)); }
	async updateSavedFilter(personId: string, id: string, input: UpdateSavedFilter): Promise<Result<SavedFilter>> { return savedFilters.updateSavedFilter(this.#db, personId, id, input, this.#now()); }
	async deleteSavedFilter(personId: string, id: string): Promise<Result<null>> { return savedFilters.deleteSavedFilter(this.#db, personId, id); }

	// ── Messaging (delivery and receipt: scheduler.ts) ────────────────────

	/** Called by another AccountObject's outbox. Applies what is new, in order, each once. */
	async receiveMessages(envelope: messaging.Envelope): Promise<messaging.Receipt> { return this.#account.jobs.receiveMessages(envelope); }
	async listOutbox(): Promise<OutboxMessage[]> { return messaging.listOutbox(this.#db); }
	async retryMessage(to: string, seq: number, idem?: IdempotencyContext): Promise<Replayable<{ id: string }>> {
		const result = this.#account.commit(idem, (now) => (messaging.retryParked(this.#db, to, seq, now) ? ok({ id: `${to}#${seq}` }) : fail<{ id: string }>("not_found", "No such parked message.")));
		await this.#account.afterCommit();
		return result;
	}
	/** Delivers what is due now and waits for it (the alarm does the same). */
	async deliverNow(): Promise<messaging.DeliveryReport> { return this.#account.jobs.deliver(); }

	// ── E-mail ────────────────────────────────────────────────────────────

	/** Queues a mail the Worker composed a reason for (invitation, reset, verification); sent at once. */
	async queueMail(message: MailToSend): Promise<Result<{ id: string }>> {
		const result = mail.queueMail(this.#db, message, this.#now());
		if (result.ok) await this.#account.afterCommit();
		return result;
	}
	/** The delivery log, newest first. */
	async listMailDeliveries(cursor?: string, limit?: number): Promise<Result<mail.MailDeliveryPage>> { return mail.listMailDeliveries(this.#db, cursor, limit); }
	/** A bounce for a mail this account sent (by the Message-ID the Email Service gave it). */
	async recordMailBounce(messageId: string, reason: string): Promise<boolean> { return mail.recordBounce(this.#db, messageId, reason, this.#now()); }
	/** Sends what is due now and waits for it (the alarm does the same). */
	async sendMailNow(): Promise<mail.MailRunReport> { return this.#account.jobs.sendMail(); }

	// ── Webhooks (worker/webhooks/endpoint-flow.ts) ───────────────────────

	async listWebhookEndpoints(cursor: string | undefined, limit: number): Promise<Result<WebhookEndpointList>> { return hookEndpoints.listEndpoints(this.#db, cursor, limit, this.#now()); }
	async getWebhookEndpoint(id: string): Promise<Result<WebhookEndpoint>> { return hookEndpoints.getEndpoint(this.#db, id, this.#now()); }
	async createWebhookEndpoint(input: hookEndpoints.NewEndpoint, idem?: IdempotencyContext): Promise<Replayable<WebhookEndpointWithSecret>> { return endpointFlow.createWebhookEndpoint(this.#account, input, idem); }
	async updateWebhookEndpoint(id: string, changes: hookEndpoints.EndpointChanges): Promise<Result<WebhookEndpoint>> { return endpointFlow.updateWebhookEndpoint(this.#account, id, changes); }
	async rotateWebhookSecret(id: string): Promise<Result<WebhookEndpointWithSecret>> { return endpointFlow.rotateWebhookSecret(this.#account, id); }
	async deleteWebhookEndpoint(id: string): Promise<Result<{ id: string }>> { return endpointFlow.deleteWebhookEndpoint(this.#account, id); }
	async listWebhookDeliveries(endpointId: string, cursor: string | undefined, limit: number): Promise<Result<WebhookDeliveryPage>> { return hookDelivery.listDeliveries(this.#db, endpointId, cursor, limit); }
	async redeliverWebhook(endpointId: string, deliveryId: string): Promise<Result<WebhookDelivery>> { return endpointFlow.redeliverWebhook(this.#account, endpointId, deliveryId); }
	async sendWebhookTest(endpointId: string, idem?: IdempotencyContext): Promise<Replayable<WebhookDelivery>> { return endpointFlow.sendWebhookTest(this.#account, endpointId, idem); }
	/** Sends what is due now and waits for it (the alarm does the same). */
	async sendWebhooksNow(): Promise<hookDelivery.WebhookRunReport> { return this.#account.jobs.sendWebhooks(); }

	// ── Alarm (scheduler.ts) ──────────────────────────────────────────────

	override async alarm(): Promise<void> { return this.#account.jobs.alarm(); }
}

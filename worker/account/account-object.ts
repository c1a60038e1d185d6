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
import { fail, ok, type Result } from "../lib/result";
import { assembleCatalog, catalogFor, type CustomerCatalog, type ProviderCatalogEntry } from "./catalog";
import { accountDb, type AccountDb } from "./db";
import { messageHandler } from "./inbox";
import * as messaging from "./messaging";
import { migrate } from "./migrate";
import * as profile from "./profile";
import * as received from "./received";
import * as services from "./services";
import * as slas from "./slas";
import * as teams from "./teams";
import type { TrustCommand } from "./trust-machine";
import * as trusts from "./trusts";

export type { AccountProfile } from "./profile";
export type { TeamRecord, TeamChanges, NewTeam } from "./teams";
export type { TrustRecord, TrustActor } from "./trusts";
export type { SlaRecord } from "./slas";
export type { ReceivedSlaRecord } from "./received";
export type { CustomerCatalog } from "./catalog";

/** A trust as this account sees it, with the SLAs that stand in the way of ending it. */
export type TrustView = trusts.TrustRecord & { activeSlaCount: number };

/**
 * Test seams, in memory only (a reset clears them): a settable clock for date-driven behaviour,
 * and faults for the messaging tests. Production code never sets them.
 */
export class TestHooks {
	offsetMs = 0;
	failDeliveries = 0;
	abortAfterApply = false;
	now(): number {
		return Date.now() + this.offsetMs;
	}
}

export class AccountObject extends DurableObject<Env> {
	readonly #db: AccountDb;
	readonly hooks = new TestHooks();
	#delivering: Promise<void> | null = null;
	#deliverAgain = false;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.#db = accountDb(ctx.storage);
		// Runs before any call is delivered. A diverging migration history throws here, which
		// resets the object: it refuses to serve rather than run on an unknown schema.
		void ctx.blockConcurrencyWhile(async () => {
			migrate(ctx.storage, migrations);
		});
	}

	// ── Profile and portal design ─────────────────────────────────────────

	/** Creates the account's profile on first call; idempotent. */
	async initialize(input: { accountId: string; portalTitle: string; timeZone?: string }): Promise<profile.AccountProfile> {
		return profile.initializeProfile(this.#db, input, new Date(this.#now()));
	}

	/** The profile, or null when the account was never initialized. */
	async getProfile(): Promise<profile.AccountProfile | null> {
		return profile.readProfile(this.#db) ?? null;
	}

	async updateDesign(input: UpdatePortalDesignInput): Promise<Result<profile.AccountProfile>> {
		const current = profile.readProfile(this.#db);
		const updated = current && profile.updateDesign(this.#db, current.id, input, new Date(this.#now()));
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	async updateTimeZone(timeZone: string): Promise<Result<profile.AccountProfile>> {
		const current = profile.readProfile(this.#db);
		const updated = current && profile.updateTimeZone(this.#db, current.id, timeZone, new Date(this.#now()));
		if (updated) await this.#schedule(); // SLA dates fall on other instants now
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	// ── Teams ─────────────────────────────────────────────────────────────

	async listTeams(): Promise<teams.TeamRecord[]> {
		return teams.listTeams(this.#db);
	}

	async getTeam(id: string): Promise<Result<teams.TeamRecord>> {
		const team = teams.getTeam(this.#db, id);
		return team ? ok(team) : fail("not_found", "No such team.");
	}

	async createTeam(input: teams.NewTeam): Promise<Result<teams.TeamRecord>> {
		return teams.createTeam(this.#db, input, new Date(this.#now()));
	}

	async updateTeam(id: string, changes: teams.TeamChanges): Promise<Result<teams.TeamRecord>> {
		return teams.updateTeam(this.#db, id, changes, new Date(this.#now()));
	}

	async deleteTeam(id: string): Promise<Result<{ id: string }>> {
		return teams.deleteTeam(this.#db, id);
	}

	/** Called when a person leaves the account. Returns the number of teams they left. */
	async removePersonFromTeams(personId: string): Promise<number> {
		return teams.removePersonFromTeams(this.#db, personId, new Date(this.#now()));
	}

	// ── Trusts ────────────────────────────────────────────────────────────

	async listTrusts(): Promise<TrustView[]> {
		return trusts.listTrusts(this.#db).map((t) => this.#trustView(t));
	}

	async getTrust(other: string): Promise<Result<TrustView>> {
		const t = trusts.getTrust(this.#db, other);
		return t ? ok(this.#trustView(t)) : fail("not_found", `No trust with ${other}.`);
	}

	/** A person of this account acts in the handshake with `other`. */
	async commandTrust(other: string, command: TrustCommand, actor: trusts.TrustActor): Promise<Result<TrustView>> {
		const self = this.#self();
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
		const result = trusts.commandTrust(this.#db, self, other, command, actor, this.#now());
		await this.#afterCommit();
		return result.ok ? ok(this.#trustView(result.value)) : result;
	}

	// ── Services, instances, offerings ────────────────────────────────────

	async listServiceModel(): Promise<{ services: Service[]; instances: ServiceInstance[]; offerings: ServiceOffering[] }> {
		return { services: services.listServices(this.#db), instances: services.listInstances(this.#db), offerings: services.listOfferings(this.#db) };
	}

	async createService(input: CreateServiceInput): Promise<Result<Service>> {
		return services.createService(this.#db, input, new Date(this.#now()));
	}

	async updateService(id: string, input: UpdateServiceInput): Promise<Result<Service>> {
		return services.updateService(this.#db, id, input, new Date(this.#now()));
	}

	async deleteService(id: string): Promise<Result<{ id: string }>> {
		return services.deleteService(this.#db, id);
	}

	async createServiceInstance(input: CreateServiceInstanceInput): Promise<Result<ServiceInstance>> {
		return services.createInstance(this.#db, input, new Date(this.#now()));
	}

	async updateServiceInstance(id: string, input: UpdateServiceInstanceInput): Promise<Result<ServiceInstance>> {
		return services.updateInstance(this.#db, id, input, new Date(this.#now()));
	}

	async deleteServiceInstance(id: string): Promise<Result<{ id: string }>> {
		return services.deleteInstance(this.#db, id);
	}

	async createServiceOffering(input: CreateServiceOfferingInput): Promise<Result<ServiceOffering>> {
		return services.createOffering(this.#db, input, new Date(this.#now()));
	}

	async updateServiceOffering(id: string, input: UpdateServiceOfferingInput): Promise<Result<ServiceOffering>> {
		return services.updateOffering(this.#db, id, input, new Date(this.#now()));
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

	async createSla(input: CreateSlaInput, customerName: string, actor: string): Promise<Result<slas.SlaRecord>> {
		return slas.createSla(this.#db, input, customerName, this.#slaContext(actor));
	}

	async updateSla(id: string, input: UpdateSlaInput, actor: string): Promise<Result<slas.SlaRecord>> {
		const result = slas.updateSla(this.#db, id, input, this.#slaContext(actor));
		await this.#afterCommit();
		return result;
	}

	async actOnSla(id: string, action: SlaAction, actor: string): Promise<Result<slas.SlaRecord>> {
		const result = slas.actOnSla(this.#db, id, action, this.#slaContext(actor));
		await this.#afterCommit();
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

	// ── Messaging ─────────────────────────────────────────────────────────

	/** Called by another AccountObject's outbox. Applies what is new, in order, each once. */
	async receiveMessages(envelope: messaging.Envelope): Promise<messaging.Receipt> {
		if (this.hooks.failDeliveries > 0) {
			this.hooks.failDeliveries -= 1;
			throw new Error("Injected delivery failure.");
		}
		const now = this.#now();
		const receipt = messaging.receive(this.#db, envelope, messageHandler(this.#db, this.#self(), now, this.#timeZone()), now);
		if (this.hooks.abortAfterApply) {
			this.hooks.abortAfterApply = false;
			// Writes become durable when the output gate opens, not when transactionSync returns: wait
			// for them, or the reset would discard the effect too and simulate an earlier crash.
			await this.ctx.storage.sync();
			this.ctx.abort("Injected reset after applying, before answering.");
		}
		await this.#afterCommit(); // applying may have queued answers or SLA changes
		return receipt;
	}

	async listOutbox(): Promise<OutboxMessage[]> {
		return messaging.listOutbox(this.#db);
	}

	async retryMessage(to: string, seq: number): Promise<Result<{ id: string }>> {
		if (!messaging.retryParked(this.#db, to, seq, this.#now())) return fail("not_found", "No such parked message.");
		await this.#afterCommit();
		return ok({ id: `${to}#${seq}` });
	}

	/** Delivers what is due now and waits for it (the alarm does the same). */
	async deliverNow(): Promise<messaging.DeliveryReport> {
		return this.#deliver();
	}

	// ── Alarm ─────────────────────────────────────────────────────────────

	/** Idempotent: SLAs whose dates have come move on; due messages go out; the next alarm is set. */
	override async alarm(): Promise<void> {
		if (profile.readProfile(this.#db)) {
			slas.advanceSlas(this.#db, { now: this.#now(), timeZone: this.#timeZone() });
			await this.#deliver();
		}
		await this.#schedule();
	}

	// ── internals ─────────────────────────────────────────────────────────

	#now(): number {
		return this.hooks.now();
	}

	#self(): string {
		const p = profile.readProfile(this.#db);
		if (!p) throw new Error("This account was never initialized.");
		return p.id;
	}

	#timeZone(): string {
		return profile.readProfile(this.#db)?.timeZone ?? profile.DEFAULT_TIME_ZONE;
	}

	#slaContext(actor: string): slas.SlaContext {
		return { self: this.#self(), now: this.#now(), timeZone: this.#timeZone(), actor };
	}

	#trustView(t: trusts.TrustRecord): TrustView {
		const activeSlaCount =
			t.ourRole === "provider" ? slas.liveSlaCount(this.#db, t.otherAccountId) : received.liveReceivedCount(this.#db, t.otherAccountId);
		return { ...t, activeSlaCount };
	}

	/** After a write that may have queued messages: try them at once, keep the alarm as a net. */
	async #afterCommit(): Promise<void> {
		await this.#schedule();
		const due = messaging.nextDeliveryAt(this.#db);
		if (due !== null && due <= this.#now()) this.ctx.waitUntil(this.#deliver().catch(() => undefined));
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
		if (!profile.readProfile(this.#db)) return;
		const candidates = [messaging.nextDeliveryAt(this.#db), slas.nextSlaChangeAt(this.#db, this.#timeZone())].filter((t): t is number => t !== null);
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

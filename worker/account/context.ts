// The account's context: what the AccountObject hands the modules that do its work. Built once in
// the object's constructor, it holds the account's database, the environment, the test seams, the
// socket hub and the background jobs (scheduler.ts), and the profile row, which this object alone
// writes (the writers are here, beside the cache).
import type { UpdatePortalDesignInput } from "../shared/api";
import { fail, ok, type Result } from "../lib/result";
import * as idempotency from "./idempotency";
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import * as inboundMail from "../mail/inbound-mail";
import { policyOf } from "../webhooks/ssrf";
import { accountDb, type AccountDb } from "./db";
import * as profile from "./profile";
import * as realtime from "./realtime";
import { Scheduler } from "./scheduler";
import { accountNames } from "../db/accounts";
import { directory } from "../db/client";

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

export class AccountContext {
	readonly db: AccountDb;
	readonly hooks = new TestHooks();
	readonly hub: realtime.SocketHub;
	/** Delivery, mail, webhook and token runs, and the alarm that takes them up. */
	readonly jobs: Scheduler;
	/**
	 * The profile row, read once: nearly every call needs the account's id or time zone, and this
	 * object is the only writer of that row (the setters below refresh it).
	 */
	#profile: profile.AccountProfile | undefined;

	constructor(
		/** The Durable Object's state (its storage, waitUntil, abort). */
		readonly state: DurableObjectState,
		readonly env: Env,
	) {
		this.db = accountDb(state.storage);
		this.hub = new realtime.SocketHub(state, this.db, () => this.self());
		this.jobs = new Scheduler(this);
	}

	get storage(): DurableObjectStorage {
		return this.state.storage;
	}

	now(): number {
		return this.hooks.now();
	}

	profile(): profile.AccountProfile | undefined {
		this.#profile ??= profile.readProfile(this.db);
		return this.#profile;
	}

	self(): string {
		const p = this.profile();
		if (!p) throw new Error("This account was never initialized.");
		return p.id;
	}

	/**
	 * The account's display name, from its profile. A profile made before it kept the name asks the
	 * directory once and keeps the answer (a rename meanwhile wins: fillName writes only a null).
	 */
	async name(): Promise<string> {
		const p = this.profile();
		if (!p) throw new Error("This account was never initialized.");
		if (p.name !== null) return p.name;
		const name = (await accountNames(directory(this.env.DB), [p.id])).get(p.id);
		if (name === undefined) return p.id;
		this.#profile = profile.fillName(this.db, p.id, name) ?? p;
		return this.#profile.name ?? name;
	}

	timeZone(): string {
		return this.profile()?.timeZone ?? profile.DEFAULT_TIME_ZONE;
	}

	/** Another account's object (DO RPC). */
	peer(accountId: string) {
		return this.env.ACCOUNT.getByName(accountId);
	}

	waitUntil(promise: Promise<unknown>): void {
		this.state.waitUntil(promise);
	}

	urlPolicy() {
		return policyOf(this.env);
	}

	/** After a write: deliver queued messages, keep the alarm as a net, tell the sockets. */
	afterWrite(): Promise<void> {
		return this.jobs.afterWrite();
	}

	/** After a write that may have queued messages: try them at once, keep the alarm as a net. */
	afterCommit(): Promise<void> {
		return this.jobs.afterCommit();
	}

	/** Commits `write` once per idempotency key, at one instant read now. */
	commit<T>(idem: IdempotencyContext | undefined, write: (now: number) => Result<T>): Replayable<T> {
		const now = this.now();
		return idempotency.commit(this.db, idem, now, () => write(now));
	}

	// ── The profile's writers ─────────────────────────────────────────────

	/** Creates the account's profile on first call; idempotent. */
	initialize(input: { accountId: string; name: string; portalTitle: string; timeZone?: string }): profile.AccountProfile {
		this.#profile = profile.initializeProfile(this.db, input, new Date(this.now()));
		return this.#profile;
	}

	updateDesign(input: UpdatePortalDesignInput): Result<profile.AccountProfile> {
		const current = this.profile();
		const updated = current && profile.updateDesign(this.db, current.id, input, new Date(this.now()));
		if (updated) this.#profile = updated;
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	/** The account was renamed (the directory's name is the source; this is the object's copy). */
	updateName(name: string): Result<profile.AccountProfile> {
		const current = this.profile();
		const updated = current && profile.updateName(this.db, current.id, name, new Date(this.now()));
		if (updated) this.#profile = updated;
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	async updateTimeZone(timeZone: string): Promise<Result<profile.AccountProfile>> {
		const current = this.profile();
		const updated = current && profile.updateTimeZone(this.db, current.id, timeZone, new Date(this.now()));
		if (updated) this.#profile = updated;
		if (updated) await this.jobs.schedule(); // SLA dates fall on other instants now
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}

	/** The service mails to this account's address are registered for; null clears it. */
	updateMailIntake(intake: { providerAccountId: string; slaId: string } | null): Result<profile.AccountProfile> {
		const current = this.profile();
		if (!current) return fail("not_found", "No such account.");
		if (intake && !inboundMail.isOfferedSla(this.db, intake.providerAccountId, intake.slaId)) {
			return fail("invalid_input", "That provider offers this account no such active SLA.", [{ path: "mailIntake.slaId", message: "Not an active SLA offered to this account." }]);
		}
		const updated = profile.updateMailIntake(this.db, current.id, intake, new Date(this.now()));
		if (updated) this.#profile = updated;
		return updated ? ok(updated) : fail("not_found", "No such account.");
	}
}

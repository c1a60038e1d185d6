// The account's background work: the outbox's delivery runs, mail runs, webhook runs (with the
// key their secrets are sealed with), the app tokens' sync with D1, the cleanup of abandoned
// uploads, and the alarm that takes all of them up at their dates. Runs of one kind go one after
// the other through in-memory chains (a reset clears them; the alarm is the net). Also the other
// end of delivery: an envelope of messages from another account, applied here.
import { directory } from "../db/client";
import { administratorIds } from "../db/people";
import { revokeToken, setTokenScopes } from "../db/tokens";
import { fail, ok, type Result } from "../lib/result";
import * as mail from "../mail/queue";
import { mailTransport } from "../mail/transport";
import * as hookDelivery from "../webhooks/delivery";
import { secretKey, unseal, type SecretKey } from "../webhooks/secrets";
import * as affected from "./affected-slas";
import * as apps from "./apps";
import * as attachments from "./attachments";
import type { AccountContext } from "./context";
import { transaction, type AccountDb } from "./db";
import { messageHandler } from "./message-handler";
import * as messaging from "./messaging";
import * as realtime from "./realtime";
import * as slas from "./slas";
import * as trusts from "./trusts";

/** Whether a webhook delivery is due (a run with nothing due is skipped without a key). */
function nextDue(db: AccountDb, now: number): boolean {
	const at = hookDelivery.nextWebhookAt(db);
	return at !== null && at <= now;
}

/**
 * A job tried right after the commit that made it due gets the alarm this much later, as the net
 * under that attempt: setting it to "now" made the alarm fire during the attempt and run every
 * job again (issue 12's profile: an alarm invocation per create, on both sides).
 */
export const NET_DELAY_MS = 15_000;

/** When each kind of job is next due (epoch ms), null when none is waiting. */
interface DueDates {
	delivery: number | null;
	mail: number | null;
	webhooks: number | null;
	/** Whether an app installation's D1 token waits to be made to match it. */
	tokensUnsynced: boolean;
	/** The rest: app tokens to sync, SLA dates, clock checks, abandoned uploads. */
	other: number[];
}

/**
 * Every kind of job's due date in one statement, each module's own scalar query as a column. It
 * is read after every commit and every run: as seven statements, they were half of all the
 * statements a create costs the two objects (issue 12). Each stays its own subquery with one
 * aggregate, which SQLite answers from an index; several aggregates in one select would scan.
 */
const DUE_DATES_SQL = `SELECT (${messaging.NEXT_DELIVERY_SQL}) AS delivery, (${mail.NEXT_MAIL_SQL}) AS mail, (${hookDelivery.NEXT_WEBHOOK_SQL}) AS webhooks, (${apps.UNSYNCED_TOKENS_SQL}) AS tokens, (${slas.NEXT_SLA_DATE_SQL}) AS slaDate, (${affected.NEXT_CLOCK_CHECK_SQL}) AS clockCheck, (${attachments.OLDEST_PENDING_UPLOAD_SQL}) AS oldestUpload`;

type DueRow = { delivery: number | null; mail: number | null; webhooks: number | null; tokens: number; slaDate: string | null; clockCheck: number | null; oldestUpload: number | null };

export class Scheduler {
	/** The alarm as this object last set it; undefined until read (a reset forgets it). */
	#alarmAt: number | null | undefined;
	#delivering: Promise<void> | null = null;
	#deliverAgain = false;
	/** Mail runs one after the other, so no mail is handed to the binding twice. */
	#mailRun: Promise<unknown> = Promise.resolve();
	/** Webhook runs one after the other, so no delivery is attempted twice at once. */
	#webhookRun: Promise<unknown> = Promise.resolve();
	#webhookKey: Promise<SecretKey> | undefined;
	/** Mail and webhook runs started and not yet ended (queued behind another one included). */
	#running = { mail: 0, webhooks: 0 };

	constructor(private readonly ctx: AccountContext) {}

	/** Idempotent: SLAs whose dates have come move on; due messages and mails go out; the next alarm is set. */
	async alarm(): Promise<void> {
		this.#alarmAt = undefined; // the runtime cleared the alarm that called this
		if (this.ctx.profile()) {
			slas.advanceSlas(this.ctx.db, { now: this.ctx.now(), timeZone: this.ctx.timeZone() });
			// Warnings and breaches that fell due: recorded, told to the owners. Both these and SLAs
			// started or ended by date are pushed to this account's sockets.
			transaction(this.ctx.db, () => affected.checkClocks(this.ctx.db, this.ctx.self(), this.ctx.now(), this.ctx.timeZone()));
			this.ctx.hub.push();
			await this.syncAppTokens().catch(() => undefined);
			await this.deliver();
			await this.sendMail();
			await this.sendWebhooks();
			mail.pruneMailLog(this.ctx.db, this.ctx.now());
			hookDelivery.pruneWebhookLog(this.ctx.db, this.ctx.now());
			await this.#cleanUploads();
		}
		await this.schedule();
	}

	/** Uploads no note took within ATTACHMENT_PENDING_MS: the objects first, so a failure leaves the rows to retry. */
	async #cleanUploads(): Promise<void> {
		const expired = attachments.expiredUploads(this.ctx.db, this.ctx.self(), this.ctx.now());
		if (expired.length === 0) return;
		await this.ctx.env.ATTACHMENTS.delete(expired.map((f) => f.key));
		attachments.forgetFiles(this.ctx.db, expired.map((f) => f.id));
	}

	/** After a write: deliver queued messages, keep the alarm as a net, tell the sockets. */
	async afterWrite(): Promise<void> {
		this.ctx.hub.push();
		// Keep the event log bounded (resume reaches back EVENT_LOG_SIZE events), pruning in
		// batches: once it has grown a tenth past its size, not on every write.
		const log = realtime.logSpan(this.ctx.db);
		if (log.last - log.first >= realtime.EVENT_LOG_SIZE * 1.1) realtime.pruneEvents(this.ctx.db);
		await this.afterCommit();
	}

	/**
	 * After a write that may have queued messages: try them at once, keep the alarm as a net. The
	 * due dates are read once, and the alarm is written only when it must move (#setAlarm).
	 */
	async afterCommit(): Promise<void> {
		// App tokens first (a revocation must not wait for anything), awaited: callers answer after it.
		let due = this.#dueDates();
		if (due.tokensUnsynced) {
			await this.syncAppTokens().catch(() => undefined);
			due = this.#dueDates();
		}
		if (!this.ctx.profile()) return;
		const now = this.ctx.now();
		const isDue = (at: number | null) => at !== null && at <= now;
		// Started before the alarm is written, so that #setAlarm counts them as running: each sets
		// the exact alarm when it ends. Their calls leave once the output gate opens, that is once
		// the change (and an alarm written in this turn) is stored.
		if (isDue(due.delivery)) this.ctx.waitUntil(this.deliver().catch(() => undefined));
		if (isDue(due.mail)) this.ctx.waitUntil(this.sendMail().catch(() => undefined));
		if (isDue(due.webhooks)) this.ctx.waitUntil(this.sendWebhooks().catch(() => undefined));
		await this.#setAlarm(due);
	}

	/** The key webhook secrets are sealed with (WEBHOOK_SECRETS_KEY), derived once per start. */
	secretKey(): Promise<SecretKey> {
		const env = this.ctx.env as Env & { WEBHOOK_SECRETS_KEY?: string };
		this.#webhookKey ??= secretKey(env.WEBHOOK_SECRETS_KEY);
		// A missing key is reported on every call, not remembered: it may be set by the next deploy.
		this.#webhookKey.catch(() => (this.#webhookKey = undefined));
		return this.#webhookKey;
	}

	/** The key, or `unavailable` when the deployment has none (the operator must set the secret). */
	async secretKeyResult(): Promise<Result<SecretKey>> {
		try {
			return ok(await this.secretKey());
		} catch (err) {
			return fail("unavailable", err instanceof Error ? err.message : String(err));
		}
	}

	/** One webhook run after the other; the alarm is set for the next retry after each. */
	async sendWebhooks(): Promise<hookDelivery.WebhookRunReport> {
		const empty: hookDelivery.WebhookRunReport = { succeeded: 0, retrying: 0, failed: 0, disabled: [] };
		if (!this.ctx.profile()) return empty;
		const transport: hookDelivery.WebhookTransport = {
			self: this.ctx.self(),
			policy: this.ctx.urlPolicy(),
			secretsOf: async (endpointId, sealed) => {
				const key = await this.secretKey();
				const opened = await Promise.all(sealed.map((s) => unseal(key, endpointId, s).catch(() => null)));
				return opened.filter((s): s is string => s !== null);
			},
			fetch: (url, init) => fetch(url, init),
			administrators: () => administratorIds(directory(this.ctx.env.DB), this.ctx.self()),
			...(this.ctx.hooks.webhookJitter ? { random: this.ctx.hooks.webhookJitter } : {}),
		};
		const run = this.#webhookRun.then(() => (nextDue(this.ctx.db, this.ctx.now()) ? hookDelivery.sendDueWebhooks(this.ctx.db, transport, () => this.ctx.now()) : empty));
		this.#webhookRun = run.catch(() => undefined);
		const report = await this.#counted("webhooks", run);
		if (report.disabled.length > 0) this.ctx.hub.push(); // the administrators' new notifications
		await this.schedule();
		return report;
	}

	/** Makes the D1 tokens of app installations match them: revoked when uninstalled, else their scopes. */
	async syncAppTokens(): Promise<void> {
		const self = this.ctx.self();
		const db = directory(this.ctx.env.DB);
		for (const t of apps.unsyncedTokens(this.ctx.db)) {
			if (t.revoke) await revokeToken(db, self, t.tokenId, new Date(this.ctx.now()));
			else await setTokenScopes(db, self, t.tokenId, t.scopes);
			apps.markTokenSynced(this.ctx.db, t);
		}
	}

	/**
	 * Deliveries to an app offering's endpoint go out as webhooks of this (the provider's) account:
	 * signed with the offering's secret, retried, logged; a sensitive one (the token) is dropped
	 * once delivered. Queued inside the caller's transaction; sent after the commit.
	 */
	appContext(): apps.AppContext {
		return {
			policy: this.ctx.urlPolicy(),
			deliver: (d) => hookDelivery.queueDelivery(this.ctx.db, d.endpointId, { type: d.type, data: d.data }, this.ctx.now(), { sensitive: d.sensitive }).ok,
		};
	}

	/** One mail run after the other; the alarm is set for the next retry after each. */
	async sendMail(): Promise<mail.MailRunReport> {
		const profile = this.ctx.profile();
		if (!profile) return { sent: 0, retrying: 0, failed: 0 };
		const transport = mailTransport(this.ctx.env, this.ctx.db, profile);
		const send = transport.send;
		transport.send = (m) => {
			if (this.ctx.hooks.failMailSends <= 0) return send(m);
			this.ctx.hooks.failMailSends -= 1;
			return Promise.reject(new Error("Injected: the Email Service refused the mail."));
		};
		const run = this.#mailRun.then(() => mail.sendDueMail(this.ctx.db, transport, () => this.ctx.now()));
		this.#mailRun = run.catch(() => undefined);
		const report = await this.#counted("mail", run);
		await this.schedule();
		return report;
	}

	/** Waits for a run, counting it as running meanwhile (see #setAlarm). */
	async #counted<T>(kind: "mail" | "webhooks", run: Promise<T>): Promise<T> {
		this.#running[kind] += 1;
		try {
			return await run;
		} finally {
			this.#running[kind] -= 1;
		}
	}

	/** One delivery run at a time; a request during a run makes it go round once more. */
	async deliver(): Promise<messaging.DeliveryReport> {
		if (this.#delivering) {
			this.#deliverAgain = true;
			await this.#delivering;
			return { delivered: 0, failed: [], parked: [] };
		}
		let report: messaging.DeliveryReport = { delivered: 0, failed: [], parked: [] };
		const run = async () => {
			do {
				this.#deliverAgain = false;
				const r = await messaging.deliverDue(this.ctx.db, this.ctx.self(), (to, envelope) => this.ctx.peer(to).receiveMessages(envelope), () => this.ctx.now());
				report = { delivered: report.delivered + r.delivered, failed: [...report.failed, ...r.failed], parked: [...report.parked, ...r.parked] };
			} while (this.#deliverAgain);
		};
		this.#delivering = run().finally(() => {
			this.#delivering = null;
		});
		await this.#delivering;
		await this.schedule();
		return report;
	}

	/** Called by another AccountObject's outbox. Applies what is new, in order, each once. */
	async receiveMessages(envelope: messaging.Envelope): Promise<messaging.Receipt> {
		if (this.ctx.hooks.failDeliveries > 0) {
			this.ctx.hooks.failDeliveries -= 1;
			throw new Error("Injected delivery failure.");
		}
		const now = this.ctx.now();
		// Trust messages tell this account's administrators; the directory knows who they are, and
		// is asked before the (synchronous) apply. Only then: most envelopes carry none.
		const administrators = envelope.messages.some((m) => m.kind === trusts.TRUST_MESSAGE) ? await administratorIds(directory(this.ctx.env.DB), this.ctx.self()) : [];
		const receipt = messaging.receive(this.ctx.db, envelope, messageHandler(this.ctx.db, this.ctx.self(), now, this.ctx.timeZone(), this.appContext(), administrators), now);
		if (this.ctx.hooks.abortAfterApply) {
			this.ctx.hooks.abortAfterApply = false;
			// Writes become durable when the output gate opens, not when transactionSync returns: wait
			// for them, or the reset would discard the effect too and simulate an earlier crash.
			await this.ctx.storage.sync();
			this.ctx.state.abort("Injected reset after applying, before answering.");
		}
		await this.afterWrite(); // applying may have queued answers or changed what sockets see
		return receipt;
	}

	/** Sets the alarm to the earliest job: the next delivery attempt or the next SLA date. */
	async schedule(): Promise<void> {
		if (!this.ctx.profile()) return;
		await this.#setAlarm(this.#dueDates());
	}

	/** Every due date in one statement: read after every commit and every run (see DUE_DATES_SQL). */
	#dueDates(): DueDates {
		const row = this.ctx.storage.sql.exec<DueRow>(DUE_DATES_SQL).one();
		const tokensUnsynced = row.tokens === 1;
		const tokensDue = tokensUnsynced ? this.ctx.now() + 30_000 : null;
		return {
			delivery: row.delivery,
			mail: row.mail,
			webhooks: row.webhooks,
			tokensUnsynced,
			other: [tokensDue, slas.slaChangeAt(row.slaDate, this.ctx.timeZone()), row.clockCheck, attachments.uploadsExpireAt(row.oldestUpload)].filter((t): t is number => t !== null),
		};
	}

	/**
	 * The alarm at the earliest job, none when nothing waits. A job whose run is going on counts
	 * NET_DELAY_MS from now, not as due: its run sets the exact alarm when it ends, and this
	 * alarm is only the net under it. While such a net is wanted, an alarm already set earlier
	 * than every date (typically the net of an earlier commit) stays as it is: moving it to a net
	 * a few milliseconds later would cost an alarm write per commit (locally each is an fsync on
	 * the object's thread; issue 12 counted 2.3 per create at saturation, now 0.5), and the last
	 * run to end writes the exact one. Otherwise the alarm is written only when it moves.
	 */
	async #setAlarm(due: DueDates): Promise<void> {
		const now = this.ctx.now();
		const net = now + NET_DELAY_MS;
		let netWanted = false;
		const asNet = (at: number | null, running: boolean): number | null => {
			if (at === null || !running || at > now) return at;
			netWanted = true;
			return net;
		};
		const candidates = [
			asNet(due.delivery, this.#delivering !== null),
			asNet(due.mail, this.#running.mail > 0),
			asNet(due.webhooks, this.#running.webhooks > 0),
			...due.other,
		].filter((t): t is number => t !== null);
		// An alarm in the past fires at once; in tests the clock may be ahead of the real one.
		const realNow = Date.now();
		const at = candidates.length === 0 ? null : Math.max(Math.min(...candidates) - this.ctx.hooks.offsetMs, realNow);
		this.#alarmAt ??= await this.ctx.storage.getAlarm();
		const current = this.#alarmAt;
		if (at === current) return;
		if (netWanted && at !== null && current !== null && current >= realNow && current <= at) return;
		this.#alarmAt = at;
		if (at === null) await this.ctx.storage.deleteAlarm();
		else await this.ctx.storage.setAlarm(at);
	}
}

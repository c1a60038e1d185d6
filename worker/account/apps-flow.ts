// The app calls of an account, over its context (context.ts). Provider side: offerings whose
// signing secret is sealed like a webhook endpoint's, and whose new versions reach the customers
// that installed them. Customer side: the listings each trusted provider answers (DO RPC), and
// installations, which hold a D1 token with exactly the app's scopes (kept in step by the
// scheduler's token sync). The records and their rules are in apps.ts.
import { directory } from "../db/client";
import { insertToken, revokeToken } from "../db/tokens";
import { newId, randomSecret, sha256Hex } from "../identity/crypto";
import type { IdempotencyContext, Replayable } from "../lib/idempotency";
import { fail, ok, type Result } from "../lib/result";
import type { AppListing, AppOffering, CreateAppOfferingInput, InstallAppInput, UpdateAppOfferingInput } from "../shared/app-api";
import { createWithSecret } from "../webhooks/endpoint-flow";
import * as hookEndpoints from "../webhooks/endpoints";
import * as apps from "./apps";
import type { AccountContext } from "./context";
import * as idempotency from "./idempotency";
import * as trusts from "./trusts";

// ── Provider side (offerings) ───────────────────────────────────────────

/** The signing secret is in the answer once; a replay by Idempotency-Key answers it as null (as webhook endpoints do). */
export async function createAppOffering(ctx: AccountContext, input: CreateAppOfferingInput, idem?: IdempotencyContext): Promise<Replayable<{ offering: AppOffering; signingSecret: string | null }>> {
	const result = await createWithSecret(ctx, idem, (prepared, now) => {
		const created = apps.createOffering(ctx.db, input, prepared, ctx.urlPolicy(), now);
		return created.ok ? ok({ value: created.value.offering, secret: created.value.signingSecret }) : created;
	});
	return result.ok ? { ...result, value: { offering: result.value.value, signingSecret: result.value.secret } } : result;
}

export async function updateAppOffering(ctx: AccountContext, id: string, input: UpdateAppOfferingInput): Promise<Result<AppOffering>> {
	const result = apps.updateOffering(ctx.db, id, input, ctx.urlPolicy(), ctx.now());
	await ctx.afterCommit(); // customers with it installed hear of the new version
	return result;
}

// ── Customer side (installations) ───────────────────────────────────────

/** The apps each trusted provider publishes to this account, as they answer now. */
export async function availableApps(ctx: AccountContext): Promise<{ providerAccountId: string; listing: AppListing; installationId: string | null }[]> {
	const self = ctx.self();
	const providers = trusts.listTrusts(ctx.db).filter((t) => t.status === "active" && t.ourRole === "customer").map((t) => t.otherAccountId);
	const answers = await Promise.all(
		providers.map(async (provider) => {
			try {
				const answer: Result<AppListing[]> = await ctx.peer(provider).appListingsFor(self);
				return { provider, listings: answer.ok ? answer.value.flatMap((l) => apps.ListingSchema.safeParse(l).data ?? []) : [] };
			} catch {
				return { provider, listings: [] }; // one provider down hides only its apps
			}
		}),
	);
	const installed = apps.liveInstallationIds(ctx.db);
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
export async function installApp(ctx: AccountContext, installer: { personId: string; name: string }, input: InstallAppInput, apiUrl: string, idem?: IdempotencyContext): Promise<Replayable<apps.InstallationRecord>> {
	const self = ctx.self();
	const provider = input.providerAccountId;
	const earlier = idempotency.lookup<apps.InstallationRecord>(ctx.db, idem, ctx.now());
	if (earlier) return earlier;
	if (provider === self || !trusts.isActiveTrust(ctx.db, provider, "customer")) return fail("not_found", "No such app offering.");
	if (apps.liveInstallationOf(ctx.db, provider, input.offeringId)) return fail("conflict", "This app is installed already.");
	const answer: Result<AppListing[]> = await ctx.peer(provider).appListingsFor(self);
	const listing = answer.ok ? answer.value.map((l) => apps.ListingSchema.safeParse(l).data).find((l) => l?.offeringId === input.offeringId) : undefined;
	if (!listing) return fail("not_found", "No such app offering.");
	const config = apps.checkConfig(listing.configFields, input.config);
	if (!config.ok) return config;
	const key = await ctx.jobs.secretKeyResult();
	if (!key.ok) return key;
	const id = newId("ains");
	const prepared = await hookEndpoints.prepareSecret(key.value);
	const db = directory(ctx.env.DB);
	const tokenId = newId("tok");
	const token = randomSecret("td_");
	const now = ctx.now();
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
		result = idempotency.commit(ctx.db, idem, now, () => {
			// Checked again after the awaits: a twin install may have committed meanwhile.
			if (apps.liveInstallationOf(ctx.db, provider, input.offeringId)) return fail("conflict", "This app is installed already.");
			if (!trusts.isActiveTrust(ctx.db, provider, "customer")) return fail("not_found", "No such app offering.");
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
			const recorded = apps.recordInstallation(ctx.db, { id, provider, listing, config: config.value.stored, tokenId, installedBy }, handover, prepared, ctx.urlPolicy(), now);
			if (!recorded.ok) return recorded;
			const record = apps.getInstallation(ctx.db, id);
			return record ? ok(record) : fail("internal", "The installation vanished.");
		});
	} catch (err) {
		await revokeToken(db, self, tokenId, new Date(now));
		throw err;
	}
	// A replay or a refusal: the token made for this attempt is not needed.
	if (!result.ok || result.replayed) await revokeToken(db, self, tokenId, new Date(now));
	await ctx.afterWrite();
	return result;
}

/** Revokes the app's token before answering: its next call is refused. */
export async function uninstallApp(ctx: AccountContext, id: string): Promise<Result<apps.InstallationRecord>> {
	const result = apps.uninstall(ctx.db, id, ctx.now());
	if (result.ok) await ctx.jobs.syncAppTokens(); // not swallowed: the caller must not hear "done" before the revocation
	await ctx.afterWrite();
	return result;
}

/** The waiting version's scopes become the token's before answering. */
export async function approveAppUpdate(ctx: AccountContext, id: string): Promise<Result<apps.InstallationRecord>> {
	const result = apps.approveUpdate(ctx.db, id, ctx.urlPolicy(), ctx.now());
	if (result.ok) await ctx.jobs.syncAppTokens();
	await ctx.afterWrite();
	return result;
}

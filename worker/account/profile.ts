// The account's profile and portal design: one row in the account's own database.
import { and, eq, isNull } from "drizzle-orm";
import type { PortalDesign, UpdatePortalDesignInput } from "../shared/api";
import type { AccountDb } from "./db";
import { account } from "./schema";

export interface AccountProfile {
	id: string;
	/** The account's display name (a copy of the directory's); null until filled in an account made before it was kept. */
	name: string | null;
	timeZone: string;
	createdAt: string;
	design: PortalDesign;
	/** The service mails to the account's address are registered for (worker/mail/service-match.ts). */
	mailIntake: { providerAccountId: string; slaId: string } | null;
}

export const DEFAULT_DESIGN = {
	primaryColor: "#1d4ed8",
	accentColor: "#0f766e",
	welcomeText: "How can we help you today?",
} as const;

export const DEFAULT_TIME_ZONE = "UTC";

function toProfile(row: typeof account.$inferSelect): AccountProfile {
	return {
		id: row.id,
		name: row.name,
		timeZone: row.timeZone,
		createdAt: row.createdAt.toISOString(),
		design: {
			title: row.portalTitle,
			logoUrl: row.logoUrl,
			primaryColor: row.primaryColor,
			accentColor: row.accentColor,
			welcomeText: row.welcomeText,
		},
		mailIntake: row.mailIntakeProvider && row.mailIntakeSla ? { providerAccountId: row.mailIntakeProvider, slaId: row.mailIntakeSla } : null,
	};
}

export function readProfile(db: AccountDb): AccountProfile | undefined {
	const row = db.select().from(account).get();
	return row && toProfile(row);
}

/**
 * Creates the profile on first call; later calls change nothing and return what is stored, so
 * the Worker may call it again after a failure without overwriting an administrator's design.
 */
export function initializeProfile(
	db: AccountDb,
	input: { accountId: string; name: string; portalTitle: string; timeZone?: string },
	now: Date,
): AccountProfile {
	db.insert(account)
		.values({
			id: input.accountId,
			name: input.name,
			timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
			createdAt: now,
			portalTitle: input.portalTitle,
			logoUrl: null,
			primaryColor: DEFAULT_DESIGN.primaryColor,
			accentColor: DEFAULT_DESIGN.accentColor,
			welcomeText: DEFAULT_DESIGN.welcomeText,
			updatedAt: now,
		})
		.onConflictDoNothing()
		.run();
	const profile = readProfile(db);
	if (!profile) throw new Error("account profile missing right after it was written");
	return profile;
}

export function updateDesign(db: AccountDb, id: string, input: UpdatePortalDesignInput, now: Date): AccountProfile | undefined {
	db.update(account)
		.set({
			portalTitle: input.title,
			logoUrl: input.logoUrl,
			primaryColor: input.primaryColor,
			accentColor: input.accentColor,
			welcomeText: input.welcomeText,
			updatedAt: now,
		})
		.where(eq(account.id, id))
		.run();
	return readProfile(db);
}

/** The account was renamed (the directory holds the name; this is the object's copy). */
export function updateName(db: AccountDb, id: string, name: string, now: Date): AccountProfile | undefined {
	db.update(account).set({ name, updatedAt: now }).where(eq(account.id, id)).run();
	return readProfile(db);
}

/**
 * Fills the name of an account made before the profile kept it, from the directory; only while
 * it is still empty, so a rename that landed meanwhile stands.
 */
export function fillName(db: AccountDb, id: string, name: string): AccountProfile | undefined {
	db.update(account).set({ name }).where(and(eq(account.id, id), isNull(account.name))).run();
	return readProfile(db);
}

export function updateTimeZone(db: AccountDb, id: string, timeZone: string, now: Date): AccountProfile | undefined {
	db.update(account).set({ timeZone, updatedAt: now }).where(eq(account.id, id)).run();
	return readProfile(db);
}

/** Sets (or clears) the mail intake service; the caller has checked it is an SLA offered to this account. */
export function updateMailIntake(db: AccountDb, id: string, intake: { providerAccountId: string; slaId: string } | null, now: Date): AccountProfile | undefined {
	db.update(account)
		.set({ mailIntakeProvider: intake?.providerAccountId ?? null, mailIntakeSla: intake?.slaId ?? null, updatedAt: now })
		.where(eq(account.id, id))
		.run();
	return readProfile(db);
}

// The global directory in D1: only what must be looked up across accounts (who can sign in,
// which accounts exist, who belongs where). Everything an account owns lives in its AccountObject.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Role, Scope } from "../shared/roles";

const createdAt = () =>
	integer("created_at", { mode: "timestamp_ms" })
		.notNull()
		.default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`);

export const accounts = sqliteTable("accounts", {
	id: text("id").primaryKey(),
	name: text("name").notNull(),
	createdAt: createdAt(),
});

/** Hostnames that open an account's portal (custom domains in production). */
export const accountHostnames = sqliteTable(
	"account_hostnames",
	{
		hostname: text("hostname").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		createdAt: createdAt(),
	},
	(t) => [index("account_hostnames_account_idx").on(t.accountId)],
);

export const people = sqliteTable("people", {
	id: text("id").primaryKey(),
	/** Stored lowercased; unique across Trustdesk because it is the sign-in name. */
	email: text("email").notNull().unique(),
	name: text("name").notNull(),
	/** PBKDF2-SHA256; salt and iteration count are stored so the cost can be raised later. */
	passwordHash: text("password_hash").notNull(),
	passwordSalt: text("password_salt").notNull(),
	passwordIterations: integer("password_iterations").notNull(),
	createdAt: createdAt(),
	/**
	 * When the person proved they read mail at `email` (a verification link, or a sign-in made from
	 * an invitation mailed there). Null: unverified (worker/identity/email-verification.ts says what
	 * that holds back).
	 */
	emailVerifiedAt: integer("email_verified_at", { mode: "timestamp_ms" }),
});

export const memberships = sqliteTable(
	"memberships",
	{
		personId: text("person_id")
			.notNull()
			.references(() => people.id, { onDelete: "cascade" }),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		roles: text("roles", { mode: "json" }).$type<Role[]>().notNull(),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.personId, t.accountId] }), index("memberships_account_idx").on(t.accountId)],
);

export const sessions = sqliteTable(
	"sessions",
	{
		/** SHA-256 of the cookie value: a database leak does not hand out live sessions. */
		tokenHash: text("token_hash").primaryKey(),
		personId: text("person_id")
			.notNull()
			.references(() => people.id, { onDelete: "cascade" }),
		csrfToken: text("csrf_token").notNull(),
		createdAt: createdAt(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("sessions_person_idx").on(t.personId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const apiTokens = sqliteTable(
	"api_tokens",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		name: text("name").notNull(),
		tokenHash: text("token_hash").notNull().unique(),
		scopes: text("scopes", { mode: "json" }).$type<Scope[]>().notNull(),
		createdBy: text("created_by").references(() => people.id, { onDelete: "set null" }),
		createdAt: createdAt(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
		lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
		revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
	},
	(t) => [index("api_tokens_account_idx").on(t.accountId)],
);

/**
 * Sign-in failures per throttle key ("address <e-mail> from <client>", "client <client>"): how
 * many, and when the last one was. Requests for mailed links are counted here too, under keys of
 * their own ("reset <e-mail>", "reset from <client>", "verify <person id>"). An attempt is counted here before its password is checked
 * (worker/db/throttle.ts); the wait before the next one grows with the count.
 */
export const signInFailures = sqliteTable(
	"sign_in_failures",
	{
		key: text("key").primaryKey(),
		failures: integer("failures").notNull(),
		lastFailureAt: integer("last_failure_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("sign_in_failures_last_failure_idx").on(t.lastFailureAt)],
);

/**
 * Idempotency keys of creates whose data lives here (API tokens, hostnames, new accounts; see
 * idempotency.ts), written in the same batch as the create. Neither the key nor the answer is
 * readable from the table alone: the key is hashed, the answer (an API token's answer holds its
 * secret) sealed with a key derived from the idempotency key. Kept 24 hours.
 */
export const idempotencyKeys = sqliteTable(
	"idempotency_keys",
	{
		/** The account the create was made in, or "" for a create outside any (a new account). */
		scope: text("scope").notNull(),
		/** `person:<id>` or `token:<id>`. */
		principal: text("principal").notNull(),
		/** SHA-256 of the key. */
		keyHash: text("key_hash").notNull(),
		fingerprint: text("fingerprint").notNull(),
		/** AES-GCM: `iv.ciphertext`, base64url. */
		answer: text("answer").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.scope, t.principal, t.keyHash] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);

/**
 * Invitations to join an account. They live in the directory because the invitee finds them by
 * e-mail address across accounts, before being a member of anything. An invitation is *open*
 * until it is accepted, declined or revoked, and *pending* while it is open and not expired; one
 * account has at most one open invitation per address (re-inviting refreshes it).
 */
export const invitations = sqliteTable(
	"invitations",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		/** Lowercased, like people.email: the invitee is whoever signs in with this address. */
		email: text("email").notNull(),
		/** The name the inviter gave; a new sign-in made from the link starts with it. */
		name: text("name").notNull(),
		roles: text("roles", { mode: "json" }).$type<Role[]>().notNull(),
		/** Who invited, as recorded then (a person or an API token; kept if they leave). */
		invitedByType: text("invited_by_type").$type<"person" | "token">().notNull(),
		invitedById: text("invited_by_id").notNull(),
		invitedByName: text("invited_by_name").notNull(),
		/** SHA-256 of the secret in the accept link: a database leak does not hand out invitations. */
		tokenHash: text("token_hash").notNull().unique(),
		createdAt: createdAt(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
		acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
		/** The person who accepted (the address's sign-in, possibly made from the link). */
		acceptedBy: text("accepted_by").references(() => people.id, { onDelete: "set null" }),
		declinedAt: integer("declined_at", { mode: "timestamp_ms" }),
		revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
		/** When the invitation e-mail (with the current link) was last queued; null while held or never sent. */
		mailedAt: integer("mailed_at", { mode: "timestamp_ms" }),
	},
	(t) => [
		uniqueIndex("invitations_open_idx")
			.on(t.accountId, t.email)
			.where(sql`accepted_at is null and declined_at is null and revoked_at is null`),
		index("invitations_email_idx").on(t.email),
		index("invitations_account_idx").on(t.accountId, t.createdAt),
	],
);

export const EMAIL_TOKEN_PURPOSES = ["password_reset", "email_verification"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/**
 * The secrets of links mailed to a person (password reset, e-mail verification): single use,
 * expiring, and only their SHA-256 stored, so a database leak hands out no link. At most one live
 * token per person and purpose: a new one replaces the last (worker/db/email-tokens.ts).
 */
export const emailTokens = sqliteTable(
	"email_tokens",
	{
		tokenHash: text("token_hash").primaryKey(),
		purpose: text("purpose").$type<EmailTokenPurpose>().notNull(),
		personId: text("person_id")
			.notNull()
			.references(() => people.id, { onDelete: "cascade" }),
		/** The address the link was mailed to: a token proves only that address. */
		email: text("email").notNull(),
		createdAt: createdAt(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("email_tokens_person_idx").on(t.personId, t.purpose), index("email_tokens_expires_idx").on(t.expiresAt)],
);

/**
 * The local demo's mailbox: a copy of every mail handed to the send_email binding while
 * DEMO_TOOLS is "1" (`npm start`, the tests), readable at /api/dev/mailbox with its links
 * clickable. Never written in production (DEMO_TOOLS is empty there).
 */
export const devMailbox = sqliteTable(
	"dev_mailbox",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id").notNull(),
		messageId: text("message_id"),
		fromAddress: text("from_address").notNull(),
		toAddress: text("to_address").notNull(),
		replyTo: text("reply_to"),
		subject: text("subject").notNull(),
		text: text("text").notNull(),
		html: text("html").notNull(),
		headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
		sentAt: createdAt(),
	},
	(t) => [index("dev_mailbox_sent_idx").on(t.sentAt), index("dev_mailbox_to_idx").on(t.toAddress, t.sentAt)],
);

// Request and response schemas of the HTTP API. They validate input at the edge, describe the
// OpenAPI document, and give the portal its types (through the Hono client): one declaration per
// DTO. Plain zod with `.meta()` so the portal can import this file without OpenAPI tooling.
import { z } from "zod";
import { ERROR_CODES } from "./errors";
import { ROLES, SCOPES, checkRoleCombination } from "./roles";
import { multilineText, lineText } from "./text";

// ── Building blocks ──────────────────────────────────────────────────────────

/** Path segments and names the portal or API use themselves, so no account may take them. */
export const RESERVED_ACCOUNT_IDS = new Set([
	"api", "assets", "static", "signin", "signup", "signout", "login", "logout", "docs", "help",
	"admin", "app", "www", "new", "account", "accounts", "settings", "health", "trustdesk", "invitations",
	"forgot-password", "reset-password", "verify-email",
	"favicon.ico", "robots.txt",
]);

export const AccountId = z
	.string()
	.min(2)
	.max(32)
	.regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes; start and end with a letter or digit.")
	.refine((id) => !RESERVED_ACCOUNT_IDS.has(id), "This account id is reserved.")
	.meta({ description: "Account id: a slug that is also the account's URL path.", example: "widget-dc" });

export const Email = z
	.string()
	.trim()
	.toLowerCase()
	.max(254)
	.pipe(z.email("Enter a valid email address."))
	.meta({ example: "alice@acme.example" });

export const Password = z
	.string()
	.min(10, "Use at least 10 characters.")
	.max(200)
	.meta({
		description:
			"At least 10 characters. The server also refuses common, easily guessed passwords and ones containing the e-mail address (400 with details path `password`).",
		example: "correct horse battery",
	});

/** A name or title: one line of visible text (see text.ts for what that excludes). */
export const Name = lineText({ max: 120 });
const Timestamp = z.iso.datetime().meta({ description: "ISO 8601 date-time (UTC)." });

export const PersonId = z.string().regex(/^psn_[A-Za-z0-9]{10,40}$/, "Not a person id.").meta({ example: "psn_3JmX9kq2Vb7T" });
export const TeamId = z.string().regex(/^team_[A-Za-z0-9]{10,40}$/, "Not a team id.").meta({ example: "team_8sKq2LmZpR4W" });
export const TokenId = z.string().regex(/^tok_[A-Za-z0-9]{10,40}$/, "Not a token id.").meta({ example: "tok_Xc81mQzP02Lt" });

export const Role = z.enum(ROLES).meta({ id: "Role" });
export const Scope = z.enum(SCOPES).meta({ id: "Scope" });

export const RoleList = z
	.array(Role)
	.min(1, "Give at least one role.")
	.max(ROLES.length)
	.transform((roles) => [...new Set(roles)])
	.superRefine((roles, ctx) => {
		const problem = checkRoleCombination(roles);
		if (problem) ctx.addIssue({ code: "custom", message: problem });
	});

export const TimeZone = z
	.string()
	.max(64)
	.refine((tz) => {
		// Newer runtimes also take UTC offsets ("+01:00") as time zones: not IANA zones, and without
		// daylight saving rules, so support hours would drift twice a year.
		if (/^[+-]/.test(tz)) return false;
		try {
			new Intl.DateTimeFormat("en", { timeZone: tz });
			return true;
		} catch {
			return false;
		}
	}, "Unknown IANA time zone.")
	.meta({ example: "Europe/Amsterdam" });

const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #1d4ed8.");

// ── Errors ───────────────────────────────────────────────────────────────────

export const ErrorBody = z
	.object({
		error: z.object({
			code: z.enum(ERROR_CODES),
			message: z.string(),
			details: z.unknown().optional(),
		}),
	})
	.meta({ id: "Error" });

// ── People, sessions, memberships ────────────────────────────────────────────

export const Person = z
	.object({ id: PersonId, name: z.string(), email: z.string() })
	.meta({ id: "Person" });

export const Membership = z
	.object({
		account: z.object({ id: z.string(), name: z.string() }),
		roles: z.array(Role),
	})
	.meta({ id: "Membership" });

export const Session = z
	.object({
		person: Person,
		memberships: z.array(Membership),
		csrfToken: z.string().meta({ description: "Send back as X-CSRF-Token on every cookie-authenticated write." }),
		expiresAt: Timestamp,
		emailVerified: z.boolean().meta({
			description: "Whether the person confirmed their e-mail address. Until then no notification e-mails are sent to them and their invitations are not e-mailed.",
		}),
	})
	.meta({ id: "Session" });

export const SignUpInput = z
	.strictObject({
		accountId: AccountId,
		accountName: Name,
		name: Name,
		email: Email,
		password: Password,
		timeZone: TimeZone.optional().meta({
			description: "The account's time zone (IANA), for SLA dates and new support hours; UTC when left out. The portal proposes the browser's.",
		}),
	})
	.meta({ id: "SignUpInput" });

export const SignInInput = z
	.strictObject({ email: Email, password: z.string().min(1).max(200) })
	.meta({ id: "SignInInput" });

export const CreateAccountInput = z
	.strictObject({ accountId: AccountId, accountName: Name, timeZone: TimeZone.optional().meta({ description: "The new account's time zone (IANA); UTC when left out." }) })
	.meta({ id: "CreateAccountInput" });

// ── Accounts and portal design ───────────────────────────────────────────────

export const PortalDesign = z
	.object({
		title: z.string(),
		logoUrl: z.string().nullable(),
		primaryColor: z.string(),
		accentColor: z.string(),
		welcomeText: z.string(),
	})
	.meta({ id: "PortalDesign" });

export const UpdatePortalDesignInput = z
	.strictObject({
		title: Name.optional(),
		logoUrl: z
			.url({ protocol: /^https?$/, error: "Use an http(s) URL." })
			.max(2048)
			.nullable()
			.optional(),
		primaryColor: Color.optional(),
		accentColor: Color.optional(),
		welcomeText: multilineText({ max: 2000 }).optional(),
	})
	.meta({ id: "UpdatePortalDesignInput" });

export const MailIntake = z
	.strictObject({
		providerAccountId: AccountId.meta({ description: "The provider offering the SLA." }),
		slaId: z.string().regex(/^sla_[A-Za-z0-9]{10,40}$/, "Not an SLA id."),
	})
	.meta({ id: "MailIntake" });

export const Account = z
	.object({
		id: z.string(),
		name: z.string(),
		url: z.string().meta({ description: "The account's own portal URL." }),
		hostnames: z.array(z.string()),
		timeZone: z.string(),
		createdAt: Timestamp,
		design: PortalDesign,
		mail: z
			.object({
				address: z.string().meta({ description: "Mail to this address from a person of the account registers a request." }),
				intake: MailIntake.nullable().meta({
					description: "The service such mail is registered for when it covers the sender; null: the sender's catalog entry whose words the subject shares most, else left for this account's specialists to triage.",
				}),
			})
			.meta({ description: "E-mail in." }),
		viewer: z.object({
			roles: z.array(Role),
			permissions: z.array(z.string()),
		}),
	})
	.meta({ id: "Account" });

export const UpdateAccountInput = z
	.strictObject({
		name: Name.optional(),
		timeZone: TimeZone.optional(),
		mailIntake: MailIntake.nullable().optional().meta({ description: "An active SLA a provider offers this account; null clears it." }),
	})
	.meta({ id: "UpdateAccountInput" });

export const PublicPortal = z
	.object({ id: z.string(), name: z.string(), design: PortalDesign })
	.meta({ id: "PublicPortal" });

export const Hostname = z
	.string()
	.trim()
	.toLowerCase()
	.max(253)
	.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Not a hostname.")
	.meta({ example: "support.acme.example" });

export const AddHostnameInput = z.strictObject({ hostname: Hostname }).meta({ id: "AddHostnameInput" });

// ── People of an account ─────────────────────────────────────────────────────

export const AccountPerson = z
	.object({
		id: PersonId,
		name: z.string(),
		email: z.string(),
		roles: z.array(Role),
		addedAt: Timestamp,
	})
	.meta({ id: "AccountPerson" });

// Adding a person is an invitation they accept: see invitation-api.ts.

export const UpdatePersonInput = z.strictObject({ roles: RoleList }).meta({ id: "UpdatePersonInput" });

// ── Teams ────────────────────────────────────────────────────────────────────

export const TeamMember = z.object({ id: PersonId, name: z.string() }).meta({ id: "TeamMember" });

export const Team = z
	.object({
		id: TeamId,
		name: z.string(),
		description: z.string(),
		coordinator: TeamMember.nullable(),
		members: z.array(TeamMember),
		createdAt: Timestamp,
		updatedAt: Timestamp,
	})
	.meta({ id: "Team", example: { id: "team_8sKq2LmZpR4W", name: "Service Desk", description: "First line support", coordinator: { id: "psn_3JmX9kq2Vb7T", name: "Alice Anders" }, members: [{ id: "psn_3JmX9kq2Vb7T", name: "Alice Anders" }, { id: "psn_9bQw2Rt5Yk1Z", name: "Bob Berg" }], createdAt: "2026-12-01T09:00:00.000Z", updatedAt: "2026-12-03T14:30:00.000Z" } });

const MemberIds = z
	.array(PersonId)
	.max(500)
	.transform((ids) => [...new Set(ids)]);

export const CreateTeamInput = z
	.strictObject({
		name: Name,
		description: multilineText({ max: 2000 }).default(""),
		coordinatorId: PersonId.nullable().default(null),
		memberIds: MemberIds.default([]),
	})
	.meta({ id: "CreateTeamInput", example: { name: "Service Desk", description: "First line support", coordinatorId: "psn_3JmX9kq2Vb7T", memberIds: ["psn_3JmX9kq2Vb7T", "psn_9bQw2Rt5Yk1Z"] } });

export const UpdateTeamInput = z
	.strictObject({
		name: Name.optional(),
		description: multilineText({ max: 2000 }).optional(),
		coordinatorId: PersonId.nullable().optional(),
		memberIds: MemberIds.optional(),
	})
	.meta({ id: "UpdateTeamInput", example: { description: "First and second line support" } });

// ── API tokens ───────────────────────────────────────────────────────────────

export const ApiToken = z
	.object({
		id: TokenId,
		name: z.string(),
		scopes: z.array(Scope),
		createdAt: Timestamp,
		createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
		expiresAt: Timestamp.nullable(),
		lastUsedAt: Timestamp.nullable(),
	})
	.meta({ id: "ApiToken", example: { id: "tok_Xc81mQzP02Lt", name: "Monitoring", scopes: ["teams:read", "reports:read"], createdAt: "2026-12-01T09:00:00.000Z", createdBy: { id: "psn_3JmX9kq2Vb7T", name: "Ada Admin" }, expiresAt: "2027-03-01T09:00:00.000Z", lastUsedAt: null } });

export const CreateApiTokenInput = z
	.strictObject({
		name: Name,
		scopes: z
			.array(Scope)
			.min(1, "Choose at least one scope.")
			.transform((s) => [...new Set(s)]),
		expiresInDays: z.number().int().min(1).max(366).nullable().default(90).meta({
			description: "Days until the token stops working; null for a token that does not expire.",
		}),
	})
	.meta({ id: "CreateApiTokenInput", example: { name: "Monitoring", scopes: ["teams:read", "reports:read"], expiresInDays: 90 } });

export const CreatedApiToken = z
	.object({
		token: ApiToken,
		secret: z.string().meta({ description: "The bearer token. Shown once; Trustdesk keeps only its hash." }),
	})
	.meta({ id: "CreatedApiToken" });

// ── Inferred types (the DTOs, declared once) ─────────────────────────────────

export type Person = z.infer<typeof Person>;
export type Membership = z.infer<typeof Membership>;
export type Session = z.infer<typeof Session>;
export type SignUpInput = z.infer<typeof SignUpInput>;
export type SignInInput = z.infer<typeof SignInInput>;
export type CreateAccountInput = z.infer<typeof CreateAccountInput>;
export type PortalDesign = z.infer<typeof PortalDesign>;
export type UpdatePortalDesignInput = z.infer<typeof UpdatePortalDesignInput>;
export type Account = z.infer<typeof Account>;
export type UpdateAccountInput = z.infer<typeof UpdateAccountInput>;
export type PublicPortal = z.infer<typeof PublicPortal>;
export type AccountPerson = z.infer<typeof AccountPerson>;
export type UpdatePersonInput = z.infer<typeof UpdatePersonInput>;
export type TeamMember = z.infer<typeof TeamMember>;
export type Team = z.infer<typeof Team>;
export type CreateTeamInput = z.infer<typeof CreateTeamInput>;
export type UpdateTeamInput = z.infer<typeof UpdateTeamInput>;
export type ApiToken = z.infer<typeof ApiToken>;
export type CreateApiTokenInput = z.infer<typeof CreateApiTokenInput>;
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

// The demo data: a service provider (widget-dc), two of its customers (acme, globex) and an
// unrelated account (initech). Seeded only through the public HTTP API, like any integration.
//
//   node scripts/seed.mjs http://127.0.0.1:8787     seeds a running, empty Trustdesk
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEMO_PASSWORD = "trustdesk-demo";
export const DEMO_ACCOUNT_ID = "widget-dc";

/** @typedef {"end_user" | "specialist" | "account_administrator" | "service_level_manager" | "auditor"} Role */
/** @typedef {{ key: string, name: string, email: string, roles: Role[] }} DemoPerson */
/** @typedef {{ name: string, description: string, coordinator: string, members: string[] }} DemoTeam */
/**
 * @typedef {object} DemoAccount
 * @property {string} id
 * @property {string} name
 * @property {DemoPerson} admin Signs the account up (and so becomes its account administrator).
 * @property {DemoPerson[]} people Added by the admin; an e-mail that already exists only gets a membership.
 * @property {DemoTeam[]} teams Members and coordinator by person key.
 * @property {{ title?: string, primaryColor?: string, accentColor?: string, welcomeText?: string }} design
 */

const ADMIN = /** @type {Role[]} */ (["account_administrator", "specialist", "end_user"]);
const SPECIALIST = /** @type {Role[]} */ (["specialist", "end_user"]);
const END_USER = /** @type {Role[]} */ (["end_user"]);

/** @type {DemoAccount[]} In order: Carl must exist (widget-dc) before acme adds him. */
export const DEMO_ACCOUNTS = [
	{
		id: "widget-dc",
		name: "Widget Data Center",
		admin: {
			key: "wendy",
			name: "Wendy Walker",
			email: "wendy@widget-dc.example",
			roles: ["account_administrator", "service_level_manager", "specialist", "end_user"],
		},
		people: [
			{ key: "bob", name: "Bob Baker", email: "bob@widget-dc.example", roles: SPECIALIST },
			{ key: "emma", name: "Emma Evans", email: "emma@widget-dc.example", roles: SPECIALIST },
			{ key: "sam", name: "Sam Smith", email: "sam@widget-dc.example", roles: SPECIALIST },
			{ key: "will", name: "Will Wright", email: "will@widget-dc.example", roles: SPECIALIST },
			{ key: "carl", name: "Carl Carter", email: "carl@widget-dc.example", roles: SPECIALIST },
		],
		teams: [
			{
				name: "Service Desk",
				description: "First line: takes every request, solves what it can and routes the rest.",
				coordinator: "sam",
				members: ["sam", "carl"],
			},
			{
				name: "Email Support",
				description: "Mailboxes, distribution lists, spam filtering and e-mail delivery.",
				coordinator: "emma",
				members: ["emma", "bob"],
			},
			{
				name: "Workplace Support",
				description: "Laptops, phones, printers and on-site help.",
				coordinator: "will",
				members: ["will"],
			},
		],
		design: {
			title: "Widget Data Center Service Desk",
			primaryColor: "#0b5cad",
			accentColor: "#f59e0b",
			welcomeText: "Welcome to the Widget Data Center service desk. Ask for help, report an incident or follow up on your requests here.",
		},
	},
	{
		id: "acme",
		name: "Acme Corporation",
		admin: { key: "anna", name: "Anna Adams", email: "anna@acme.example", roles: ADMIN },
		people: [
			{ key: "alice", name: "Alice Archer", email: "alice@acme.example", roles: END_USER },
			{ key: "adam", name: "Adam Price", email: "adam@acme.example", roles: SPECIALIST },
			{ key: "carl", name: "Carl Carter", email: "carl@widget-dc.example", roles: ADMIN },
		],
		teams: [],
		design: {
			title: "Acme IT Help",
			primaryColor: "#b91c1c",
			accentColor: "#1f2937",
			welcomeText: "Acme employees: get IT help here.",
		},
	},
	{
		id: "globex",
		name: "Globex",
		admin: { key: "gary", name: "Gary Green", email: "gary@globex.example", roles: ADMIN },
		people: [{ key: "grace", name: "Grace Gill", email: "grace@globex.example", roles: END_USER }],
		teams: [],
		design: {
			title: "Globex Support",
			primaryColor: "#047857",
			accentColor: "#111827",
			welcomeText: "Welcome to Globex Support.",
		},
	},
	{
		id: "initech",
		name: "Initech",
		admin: { key: "ian", name: "Ian Irwin", email: "ian@initech.example", roles: ADMIN },
		people: [{ key: "peter", name: "Peter Gibbons", email: "peter@initech.example", roles: END_USER }],
		teams: [],
		design: {},
	},
];

/** One line per demo person: who to sign in as, and with what. */
export const DEMO_SIGN_INS = (() => {
	/** @type {Map<string, { name: string, email: string, accounts: string[] }>} */
	const byEmail = new Map();
	for (const account of DEMO_ACCOUNTS) {
		for (const p of [account.admin, ...account.people]) {
			const entry = byEmail.get(p.email) ?? { name: p.name, email: p.email, accounts: [] };
			entry.accounts.push(`${account.id} (${p.roles.join(", ")})`);
			byEmail.set(p.email, entry);
		}
	}
	return [...byEmail.values()].map((e) => ({ ...e, password: DEMO_PASSWORD }));
})();

/** The sign-ins as an aligned text table. */
export function formatSignIns() {
	const rows = DEMO_SIGN_INS.map((s) => [s.email, s.name, s.accounts.join("; ")]);
	const head = ["E-mail", "Name", "Account (roles)"];
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
	const line = (/** @type {string[]} */ cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
	return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), "", `Password for everyone: ${DEMO_PASSWORD}`].join("\n");
}

/**
 * A signed-in person's HTTP client.
 * @typedef {{ cookie: string, csrf: string }} Caller
 */

/**
 * Calls the API and returns the parsed JSON; throws with the response body when the status is
 * not the expected one.
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} apiPath Path under /api/v1.
 * @param {{ body?: unknown, as?: Caller, expect: number }} opts
 * @returns {Promise<{ json: any, res: Response }>}
 */
async function api(baseUrl, method, apiPath, opts) {
	/** @type {Record<string, string>} */
	const headers = { Accept: "application/json" };
	if (opts.body !== undefined) headers["Content-Type"] = "application/json";
	if (opts.as) {
		headers.Cookie = opts.as.cookie;
		headers["X-CSRF-Token"] = opts.as.csrf;
	}
	const res = await fetch(`${baseUrl}/api/v1${apiPath}`, {
		method,
		headers,
		body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
	});
	const text = await res.text();
	if (res.status !== opts.expect) {
		throw new Error(`seed: ${method} /api/v1${apiPath} answered ${res.status}, expected ${opts.expect}:\n${text}`);
	}
	return { json: text ? JSON.parse(text) : undefined, res };
}

/** @param {Response} res */
function sessionCookie(res) {
	for (const header of res.headers.getSetCookie()) {
		const match = /^((?:__Host-)?td_session=[^;]+)/.exec(header);
		if (match?.[1]) return match[1];
	}
	throw new Error(`seed: no session cookie in the sign-up response (Set-Cookie: ${res.headers.getSetCookie().join(" | ") || "none"})`);
}

/** @param {Role[]} a @param {Role[]} b */
const sameRoles = (a, b) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * Seeds the demo into an empty Trustdesk at baseUrl (e.g. http://127.0.0.1:8787).
 * @param {string} baseUrl
 * @param {{ quiet?: boolean }} [opts]
 * @returns {Promise<void>}
 */
export async function seedDemo(baseUrl, opts = {}) {
	const base = baseUrl.replace(/\/$/, "");
	const log = opts.quiet ? () => {} : (/** @type {string} */ msg) => console.log(`[seed] ${msg}`);
	const started = Date.now();

	for (const account of DEMO_ACCOUNTS) {
		const { admin } = account;
		const signUp = await api(base, "POST", "/signup", {
			body: { accountId: account.id, accountName: account.name, name: admin.name, email: admin.email, password: DEMO_PASSWORD },
			expect: 201,
		});
		/** @type {Caller} */
		const as = { cookie: sessionCookie(signUp.res), csrf: signUp.json.csrfToken };
		/** @type {Map<string, string>} person key → person id */
		const ids = new Map([[admin.key, signUp.json.person.id]]);
		log(`${account.id}: signed up "${account.name}" as ${admin.name} <${admin.email}>`);

		if (!sameRoles(admin.roles, ADMIN)) {
			await api(base, "PATCH", `/accounts/${account.id}/people/${ids.get(admin.key)}`, { body: { roles: admin.roles }, as, expect: 200 });
			log(`${account.id}: ${admin.name} now has ${admin.roles.join(", ")}`);
		}

		for (const person of account.people) {
			const added = await api(base, "POST", `/accounts/${account.id}/people`, {
				body: { name: person.name, email: person.email, roles: person.roles, password: DEMO_PASSWORD },
				as,
				expect: 201,
			});
			ids.set(person.key, added.json.person.id);
			log(`${account.id}: added ${person.name} <${person.email}> as ${person.roles.join(", ")}${added.json.existing ? " (existing person)" : ""}`);
		}

		for (const team of account.teams) {
			const id = (/** @type {string} */ key) => {
				const found = ids.get(key);
				if (!found) throw new Error(`seed: team ${team.name} names unknown person ${key}`);
				return found;
			};
			await api(base, "POST", `/accounts/${account.id}/teams`, {
				body: { name: team.name, description: team.description, coordinatorId: id(team.coordinator), memberIds: team.members.map(id) },
				as,
				expect: 201,
			});
			log(`${account.id}: team ${team.name} (coordinator ${team.coordinator}, ${team.members.length} members)`);
		}

		if (Object.keys(account.design).length > 0) {
			await api(base, "PATCH", `/accounts/${account.id}/design`, { body: account.design, as, expect: 200 });
			log(`${account.id}: portal design set`);
		}
	}
	log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// CLI: node scripts/seed.mjs <baseUrl>
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const baseUrl = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
	seedDemo(baseUrl).then(
		() => console.log(`\n${formatSignIns()}`),
		(err) => {
			console.error(err instanceof Error ? err.message : err);
			process.exit(1);
		},
	);
}

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
 * @property {DemoPerson[]} people Invited by the admin. A new address creates its sign-in from the accept link; a person
 *   who already exists (Carl, in acme) signs in and accepts, as people do in the portal.
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
				// Bob, the demo's specialist, coordinates it: he hears of every new e-mail request.
				coordinator: "bob",
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

/**
 * Confirms a new sign-up's e-mail address the way its owner would: the verification mail from the
 * local mailbox (GET /api/dev/mailbox, there while DEMO_TOOLS is "1"), then its link. Mail goes out
 * right after the sign-up commits, so the mailbox is asked for a few seconds.
 * @param {string} base @param {string} email
 */
async function confirmAddress(base, email) {
	for (let waited = 0; waited < 15_000; waited += 100) {
		const res = await fetch(`${base}/api/dev/mailbox?format=json&to=${encodeURIComponent(email)}`);
		if (res.status === 404) throw new Error("seed: the local mailbox (/api/dev/mailbox) is off: start wrangler dev with DEMO_TOOLS=1");
		/** @type {{ messages: { links: string[] }[] }} */
		const { messages } = await res.json();
		const token = messages
			.flatMap((m) => m.links)
			.map((link) => /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(link)?.[1])
			.find(Boolean);
		if (token) {
			await api(base, "POST", `/email-verification/${token}`, { expect: 200 });
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`seed: no verification mail for ${email} in the local mailbox`);
}

/** @param {Role[]} a @param {Role[]} b */
const sameRoles = (a, b) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * Seeds the demo into an empty Trustdesk at baseUrl (e.g. http://127.0.0.1:8787).
 * @param {string} baseUrl
 * @param {{ quiet?: boolean, webhookReceiver?: string | undefined, appReceiver?: string | undefined }} [opts] webhookReceiver: the demo's receiver
 *   (scripts/webhook-receiver.mjs), subscribed in widget-dc. appReceiver: where widget-dc's demo app "Widget Monitoring" is
 *   reached (default: webhookReceiver); without either, the app points at http://127.0.0.1:8790.
 * @returns {Promise<{ webhookSecret: string | null, appSecret: string }>}
 */
export async function seedDemo(baseUrl, opts = {}) {
	const base = baseUrl.replace(/\/$/, "");
	const log = opts.quiet ? () => {} : (/** @type {string} */ msg) => console.log(`[seed] ${msg}`);
	const started = Date.now();
	/** @type {Map<string, { as: Caller, teams: Map<string, string> }>} account id → admin session, team ids by name */
	const seeded = new Map();
	/** @type {Map<string, { id: string, as: Caller }>} e-mail → the person and their session, once they sign in */
	const signedIn = new Map();

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
		signedIn.set(admin.email, { id: signUp.json.person.id, as });
		/** @type {Map<string, string>} team name → team id */
		const teamIds = new Map();
		seeded.set(account.id, { as, teams: teamIds });
		log(`${account.id}: signed up "${account.name}" as ${admin.name} <${admin.email}>`);
		await confirmAddress(base, admin.email);
		log(`${account.id}: ${admin.name} confirmed ${admin.email} with the link from the local mailbox`);

		if (!sameRoles(admin.roles, ADMIN)) {
			await api(base, "PATCH", `/accounts/${account.id}/people/${ids.get(admin.key)}`, { body: { roles: admin.roles }, as, expect: 200 });
			log(`${account.id}: ${admin.name} now has ${admin.roles.join(", ")}`);
		}

		for (const person of account.people) {
			const invited = await api(base, "POST", `/accounts/${account.id}/people`, {
				body: { name: person.name, email: person.email, roles: person.roles },
				as,
				expect: 201,
			});
			const known = signedIn.get(person.email);
			if (known) {
				await api(base, "POST", `/invitations/${invited.json.invitation.id}/accept`, { as: known.as, expect: 200 });
				ids.set(person.key, known.id);
				log(`${account.id}: ${person.name} <${person.email}> accepted the invitation as ${person.roles.join(", ")}`);
			} else {
				const token = new URL(invited.json.acceptUrl).pathname.split("/").pop();
				const joined = await api(base, "POST", `/invitation-links/${token}/sign-up`, {
					body: { name: person.name, password: DEMO_PASSWORD },
					expect: 201,
				});
				signedIn.set(person.email, { id: joined.json.person.id, as: { cookie: sessionCookie(joined.res), csrf: joined.json.csrfToken } });
				ids.set(person.key, joined.json.person.id);
				log(`${account.id}: ${person.name} <${person.email}> joined from the invitation as ${person.roles.join(", ")}`);
			}
		}

		for (const team of account.teams) {
			const id = (/** @type {string} */ key) => {
				const found = ids.get(key);
				if (!found) throw new Error(`seed: team ${team.name} names unknown person ${key}`);
				return found;
			};
			const created = await api(base, "POST", `/accounts/${account.id}/teams`, {
				body: { name: team.name, description: team.description, coordinatorId: id(team.coordinator), memberIds: team.members.map(id) },
				as,
				expect: 201,
			});
			teamIds.set(team.name, created.json.id);
			log(`${account.id}: team ${team.name} (coordinator ${team.coordinator}, ${team.members.length} members)`);
		}

		if (Object.keys(account.design).length > 0) {
			await api(base, "PATCH", `/accounts/${account.id}/design`, { body: account.design, as, expect: 200 });
			log(`${account.id}: portal design set`);
		}
	}
	await seedServiceCatalog(base, seeded, log);
	const webhookSecret = opts.webhookReceiver ? await seedWebhook(base, seeded, opts.webhookReceiver, log) : null;
	const appSecret = await seedApp(base, seeded, opts.appReceiver ?? opts.webhookReceiver ?? "http://127.0.0.1:8790", log);
	log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return { webhookSecret, appSecret };
}

/** The demo app's path on the receiver: app.installed (with the customer's token) arrives there. */
export const DEMO_APP_PATH = "widget-monitoring";

/**
 * widget-dc offers the app "Widget Monitoring" to acme and globex: it posts monitoring events
 * (events:write) and follows their requests (requests:read, request.*). Its endpoint is the demo's
 * receiver, which plays the app: it prints the token an installation hands over.
 * @param {string} base @param {Map<string, { as: Caller }>} seeded @param {string} receiver @param {(msg: string) => void} log
 * @returns {Promise<string>} the offering's signing secret
 */
async function seedApp(base, seeded, receiver, log) {
	const as = seeded.get(DEMO_ACCOUNT_ID)?.as;
	if (!as) throw new Error(`seed: ${DEMO_ACCOUNT_ID} was not seeded`);
	const created = await api(base, "POST", `/accounts/${DEMO_ACCOUNT_ID}/app-offerings`, {
		body: {
			name: "Widget Monitoring",
			description: "Widget Data Center's monitoring: alerts about your services open requests in your account, and it follows them to resolution.",
			scopes: ["events:write", "requests:read"],
			events: ["request.*"],
			configFields: [
				{ key: "site", label: "Site name", type: "text", required: true },
				{ key: "alert_key", label: "Alerting API key", type: "secret", required: false },
			],
			endpointUrl: `${receiver.replace(/\/$/, "")}/${DEMO_APP_PATH}`,
		},
		as,
		expect: 201,
	});
	const id = created.json.offering.id;
	await api(base, "PUT", `/accounts/${DEMO_ACCOUNT_ID}/app-offerings/${id}/publication`, { body: { to: ["acme", "globex"] }, as, expect: 200 });
	log(`${DEMO_ACCOUNT_ID}: app "Widget Monitoring" published to acme and globex (endpoint ${created.json.offering.endpointUrl})`);
	return /** @type {string} */ (created.json.signingSecret);
}

/**
 * One webhook subscription in widget-dc to the demo's receiver, and a test event, so the demo
 * shows deliveries (Webhooks page, and the receiver's output) from the start.
 * @param {string} base @param {Map<string, { as: Caller }>} seeded @param {string} receiver @param {(msg: string) => void} log
 */
async function seedWebhook(base, seeded, receiver, log) {
	const as = seeded.get(DEMO_ACCOUNT_ID)?.as;
	if (!as) throw new Error(`seed: ${DEMO_ACCOUNT_ID} was not seeded`);
	const created = await api(base, "POST", `/accounts/${DEMO_ACCOUNT_ID}/webhooks`, {
		body: { url: `${receiver.replace(/\/$/, "")}/${DEMO_ACCOUNT_ID}`, description: "Demo receiver (npm start)", eventTypes: ["request.*", "sla.*", "trust.*"] },
		as,
		expect: 201,
	});
	await api(base, "POST", `/accounts/${DEMO_ACCOUNT_ID}/webhooks/${created.json.endpoint.id}/test`, { as, expect: 202 });
	log(`${DEMO_ACCOUNT_ID}: webhook to ${created.json.endpoint.url} (request.*, sla.*, trust.*), test event sent`);
	return /** @type {string} */ (created.json.secret);
}

const OFFICE_HOURS = (/** @type {string} */ from, /** @type {string} */ until) => ({
	timeZone: "Europe/Amsterdam",
	hours: ["mon", "tue", "wed", "thu", "fri"].map((weekday) => ({ weekday, from, until })),
	holidays: [
		{ name: "Christmas Day", date: "2026-12-25" },
		{ name: "Boxing Day", date: "2026-12-26" },
		{ name: "New Year's Eve (afternoon)", date: "2026-12-31", from: "13:00", until: "18:00" },
		{ name: "New Year's Day", date: "2027-01-01" },
		{ name: "King's Day", date: "2027-04-27" },
	],
});
const minutes = (/** @type {number} */ n) => ({ minutes: n });
const days = (/** @type {number} */ n) => ({ businessDays: n });

/** Services widget-dc provides, and the SLAs through which acme and globex receive them. */
const CATALOG = {
	provider: "widget-dc",
	customers: ["acme", "globex"],
	services: [
		{
			name: "Email",
			description: "Mailboxes, calendars, distribution lists, spam filtering and delivery.",
			instance: { name: "Email Production", firstLineTeam: "Service Desk", supportTeam: "Email Support" },
			offerings: [
				{
					name: "Email Gold",
					summary: "The fastest response and resolution for mail, 08:00–18:00 on working days.",
					targets: {
						top: { response: minutes(15), resolution: minutes(120) },
						high: { response: minutes(30), resolution: minutes(240) },
						medium: { response: minutes(60), resolution: days(1) },
						low: { response: minutes(240), resolution: days(3) },
					},
					supportHours: OFFICE_HOURS("08:00", "18:00"),
				},
				{
					name: "Email Silver",
					summary: "Business-hours support with next-day resolution for most issues.",
					targets: {
						top: { response: minutes(30), resolution: minutes(240) },
						high: { response: minutes(60), resolution: minutes(480) },
						medium: { response: minutes(240), resolution: days(2) },
						low: { response: days(1), resolution: days(5) },
					},
					supportHours: OFFICE_HOURS("09:00", "17:00"),
				},
			],
		},
		{
			name: "Workplace",
			description: "Laptops, phones, printers, software installs and on-site help.",
			instance: { name: "Workplace Services", firstLineTeam: "Service Desk", supportTeam: "Workplace Support" },
			offerings: [
				{
					name: "Workplace Standard",
					summary: "Help with devices and software during office hours.",
					targets: {
						top: { response: minutes(30), resolution: minutes(480) },
						high: { response: minutes(60), resolution: days(1) },
						medium: { response: minutes(240), resolution: days(3) },
						low: { response: days(1), resolution: null },
					},
					supportHours: OFFICE_HOURS("08:30", "17:30"),
				},
			],
		},
	],
	// The same service through different teams per customer: Acme's email goes straight to Email
	// Support, Globex's to the Service Desk first.
	slas: [
		{ offering: "Email Gold", customer: "acme", team: "Email Support" },
		{ offering: "Workplace Standard", customer: "acme", team: "Workplace Support" },
		{ offering: "Email Silver", customer: "globex", team: "Service Desk" },
	],
};

/**
 * Polls until `check` is true: trust messages between accounts are delivered in the background.
 * @param {() => Promise<boolean>} check
 * @param {string} what
 * @param {number} [tries] polls 50 ms apart
 */
async function waitFor(check, what, tries = 100) {
	for (let i = 0; i < tries; i++) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`seed: timed out waiting until ${what}`);
}

/**
 * Trusts between widget-dc and its customers, widget-dc's services, and active SLAs.
 * @param {string} base
 * @param {Map<string, { as: Caller, teams: Map<string, string> }>} seeded
 * @param {(msg: string) => void} log
 */
async function seedServiceCatalog(base, seeded, log) {
	const provider = seeded.get(CATALOG.provider);
	if (!provider) throw new Error("seed: the provider account was not seeded");
	const p = CATALOG.provider;
	const trustStatus = async (/** @type {string} */ account, /** @type {string} */ other, /** @type {Caller} */ as) => {
		const res = await fetch(`${base}/api/v1/accounts/${account}/trusts/${other}`, { headers: { Cookie: as.cookie } });
		return res.ok ? (await res.json()).status : null;
	};

	await api(base, "PATCH", `/accounts/${p}`, { body: { timeZone: "Europe/Amsterdam" }, as: provider.as, expect: 200 });
	for (const c of CATALOG.customers) {
		const customer = seeded.get(c);
		if (!customer) throw new Error(`seed: customer ${c} was not seeded`);
		await api(base, "POST", `/accounts/${c}/trusts`, { body: { accountId: p, ourRole: "customer" }, as: customer.as, expect: 201 });
		await waitFor(async () => (await trustStatus(p, c, provider.as)) === "pending", `${p} sees ${c}'s trust request`);
		await api(base, "POST", `/accounts/${p}/trusts/${c}/accept`, { as: provider.as, expect: 200 });
		await waitFor(async () => (await trustStatus(c, p, customer.as)) === "active", `${c} sees the trust active`);
		log(`${c} trusts ${p} (asked by ${c}, accepted by ${p})`);
	}

	/** @type {Map<string, { offeringId: string, instanceId: string }>} offering name → ids */
	const offerings = new Map();
	const team = (/** @type {string} */ name) => {
		const id = provider.teams.get(name);
		if (!id) throw new Error(`seed: no team ${name} in ${p}`);
		return id;
	};
	for (const svc of CATALOG.services) {
		const service = await api(base, "POST", `/accounts/${p}/services`, { body: { name: svc.name, description: svc.description }, as: provider.as, expect: 201 });
		const instance = await api(base, "POST", `/accounts/${p}/service-instances`, {
			body: { serviceId: service.json.id, name: svc.instance.name, firstLineTeamId: team(svc.instance.firstLineTeam), supportTeamId: team(svc.instance.supportTeam) },
			as: provider.as,
			expect: 201,
		});
		for (const o of svc.offerings) {
			const offering = await api(base, "POST", `/accounts/${p}/service-offerings`, {
				body: { serviceId: service.json.id, name: o.name, summary: o.summary, targets: o.targets, supportHours: o.supportHours },
				as: provider.as,
				expect: 201,
			});
			offerings.set(o.name, { offeringId: offering.json.id, instanceId: instance.json.id });
		}
		log(`${p}: service ${svc.name} with instance ${svc.instance.name} and ${svc.offerings.map((o) => o.name).join(", ")}`);
	}

	// The agreements started when the request history begins (see seedHistory).
	const now = new Date();
	const startDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - HISTORY_MONTHS, 1)).toISOString().slice(0, 10);
	for (const s of CATALOG.slas) {
		const ids = offerings.get(s.offering);
		if (!ids) throw new Error(`seed: no offering ${s.offering}`);
		const sla = await api(base, "POST", `/accounts/${p}/slas`, {
			body: { offeringId: ids.offeringId, serviceInstanceId: ids.instanceId, customerAccountId: s.customer, startDate, teamId: team(s.team) },
			as: provider.as,
			expect: 201,
		});
		await api(base, "POST", `/accounts/${p}/slas/${sla.json.id}/status`, { body: { action: "schedule" }, as: provider.as, expect: 200 });
		log(`${p}: SLA "${sla.json.name}" active since ${startDate}, requests to ${s.team}`);
	}
	await seedHistory(base, seeded, log);
	await seedRequests(base, log);
}

/** Months of generated request history before the current one (the SLA reports' data). */
const HISTORY_MONTHS = 4;

/**
 * A few months of requests for each customer, generated from a fixed seed and replayed at their
 * past instants by the demo tool (worker/routes/demo.ts); the provider's SLA clocks follow.
 * @param {string} base
 * @param {Map<string, { as: Caller }>} seeded
 * @param {(msg: string) => void} log
 */
async function seedHistory(base, seeded, log) {
	// The provider computes its SLA clocks from the customers' messages, and reports them back.
	const outboxEmpty = async (/** @type {string} */ account) => {
		const as = seeded.get(account)?.as;
		if (!as) throw new Error(`seed: ${account} was not seeded`);
		const res = await fetch(`${base}/api/v1/accounts/${account}/messages`, { headers: { Cookie: as.cookie } });
		// A page of the outbox (worker/http/pagination.ts): empty when its first page is.
		const body = res.ok ? await res.json() : null;
		return Array.isArray(body?.items) && body.items.length === 0;
	};
	for (const [i, c] of CATALOG.customers.entries()) {
		const customer = seeded.get(c);
		if (!customer) throw new Error(`seed: customer ${c} was not seeded`);
		const res = await api(base, "POST", `/accounts/${c}/demo/history`, { body: { months: HISTORY_MONTHS, seed: 2026 + i, perMonth: 12 }, as: customer.as, expect: 201 });
		log(`${c}: ${res.json.requests} requests of the last ${HISTORY_MONTHS} months replayed (${res.json.steps} steps)`);
		// One customer's history at a time: on a loaded machine, replaying the next while the
		// provider still works through this one's messages has made local workerd drop the
		// connection ("Network connection lost") of the next replay.
		await waitFor(async () => (await Promise.all([CATALOG.provider, c].map(outboxEmpty))).every(Boolean), `${c}'s history is delivered`, 1200);
	}
}

/**
 * A few requests, so the Inbox and self-service pages are not empty at first start.
 * @type {{ by: string, service: string, subject: string, impact: string, category: string, note: string, handledBy?: string, reply?: string }[]}
 */
const REQUESTS = [
	{
		by: "alice@acme.example",
		service: "Email",
		subject: "Outlook keeps asking for my password",
		impact: "low",
		category: "incident",
		note: "Since this morning Outlook asks for my password every few minutes, on the laptop and on my phone.",
		handledBy: "bob@widget-dc.example",
		reply: "We reset your session tokens. Could you restart Outlook and tell us whether it still asks?",
	},
	{ by: "alice@acme.example", service: "Workplace", subject: "Docking station does not charge the laptop", impact: "medium", category: "incident", note: "The screens work, but the battery drains." },
	{ by: "grace@globex.example", service: "Email", subject: "Shared mailbox for the sales team", impact: "low", category: "rfc", note: "We would like sales@globex.example as a shared mailbox for five people." },
];

/**
 * @param {string} base
 * @param {string} email
 * @returns {Promise<Caller>}
 */
async function signIn(base, email) {
	const res = await api(base, "POST", "/session", { body: { email, password: DEMO_PASSWORD }, expect: 200 });
	return { cookie: sessionCookie(res.res), csrf: res.json.csrfToken };
}

/**
 * @param {string} base
 * @param {(msg: string) => void} log
 */
async function seedRequests(base, log) {
	for (const r of REQUESTS) {
		const account = r.by.endsWith("@acme.example") ? "acme" : "globex";
		const as = await signIn(base, r.by);
		const catalog = await api(base, "GET", `/accounts/${account}/catalog`, { as, expect: 200 });
		/** @type {{ service: { name: string }, provider: { id: string }, sla: { id: string } } | undefined} */
		const entry = catalog.json.entries.find((/** @type {{ service: { name: string } }} */ e) => e.service.name === r.service);
		if (!entry) throw new Error(`seed: ${r.by} cannot request ${r.service}`);
		const created = await api(base, "POST", `/accounts/${account}/requests`, {
			body: { providerAccountId: entry.provider.id, slaId: entry.sla.id, subject: r.subject, impact: r.impact, category: r.category, note: r.note },
			as,
			expect: 201,
		});
		log(`${account}: ${r.by} registered "${r.subject}" (#${created.json.number}, to ${created.json.team?.name})`);
		if (r.handledBy && r.reply) {
			const specialist = await signIn(base, r.handledBy);
			const provider = entry.provider.id;
			// The request reaches the provider's Inbox through a message: wait until it is there.
			await waitFor(async () => {
				const res = await fetch(`${base}/api/v1/accounts/${provider}/requests/${created.json.id}`, { headers: { Cookie: specialist.cookie } });
				await res.body?.cancel();
				return res.ok;
			}, `${provider} sees the request`);
			const act = (/** @type {unknown} */ body) => api(base, "POST", `/accounts/${provider}/requests/${created.json.id}/actions`, { body, as: specialist, expect: 200 });
			await act({ type: "accept" });
			await act({ type: "note", body: r.reply });
			await act({ type: "set_status", status: "waiting_for_customer" });
			log(`${provider}: ${r.handledBy} accepted #${created.json.number}, answered and waits for the customer`);
		}
	}
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

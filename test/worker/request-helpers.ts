// Helpers for the request, Inbox, realtime and fault tests: a provider and its customer with an
// active SLA, registering and acting on requests, realtime sockets, and looking inside the
// AccountObjects' own SQLite databases.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { InboxPage, Request as RequestView, RequestSummary, ServerFrame } from "../../worker/shared/request-api";
import type { Sla } from "../../worker/shared/service-api";
import { type AccountAdmin, addMember, type Caller, callJson, type Member, ORIGIN, signUp } from "./helpers";
import { type AccountCaller, createSla, defineEmail, type EmailModel, inObject, onboard, setClock, settle, slaAction } from "./service-helpers";

/** A provider (widget-dc) and a customer (acme) with an active SLA, as in the issue's story. */
export interface World {
	provider: AccountAdmin;
	customer: AccountAdmin;
	/** End user of the customer: the requester. */
	alice: Member;
	/** Another end user of the customer, never the requester. */
	carol: Member;
	/** Specialist of the customer (Acme's own staff). */
	adam: Member;
	/** Specialist of the provider, member of Email Support. */
	bob: Member;
	/** Specialist of the provider, in no team. */
	sam: Member;
	model: EmailModel;
	sla: Sla;
}

export async function setTeam(provider: AccountCaller, teamId: string, memberIds: string[]): Promise<void> {
	await callJson(`/accounts/${provider.accountId}/teams/${teamId}`, 200, { as: provider, method: "PATCH", body: { memberIds } });
}

/** An active SLA of the provider's Email model for `customer` (`body` overrides the defaults). */
export async function activeSla(provider: AccountCaller, model: EmailModel, customer: string, body: Record<string, unknown> = {}): Promise<Sla> {
	const sla = await createSla(provider, model, customer, body);
	const active = await slaAction(provider, sla.id, "activate");
	expect(active.status).toBe("active");
	await settle(provider.accountId, customer);
	return active;
}

export async function makeWorld(): Promise<World> {
	const [provider, customer] = await Promise.all([signUp(), signUp()]);
	const [alice, carol, adam, bob, sam] = await Promise.all([
		addMember(customer, customer.accountId, ["end_user"], "Alice Archer"),
		addMember(customer, customer.accountId, ["end_user"], "Carol Cole"),
		addMember(customer, customer.accountId, ["specialist"], "Adam Price"),
		addMember(provider, provider.accountId, ["specialist"], "Bob Baker"),
		addMember(provider, provider.accountId, ["specialist"], "Sam Smith"),
	]);
	await onboard(provider, customer);
	const model = await defineEmail(provider);
	await setTeam(provider, model.team.id, [bob.id]);
	const sla = await activeSla(provider, model, customer.accountId);
	return { provider, customer, alice, carol, adam, bob, sam, model, sla };
}

export const requestsPath = (accountId: string, id?: string) => `/accounts/${accountId}/requests${id ? `/${id}` : ""}`;

/** Registers a request in `accountId` (from the catalog entry of `sla`) and waits until the provider has it. */
export async function register(
	w: { provider: AccountCaller; customer: AccountCaller },
	sla: { id: string },
	as: Caller,
	body: Record<string, unknown> = {},
): Promise<RequestSummary> {
	const created = await callJson<RequestSummary>(requestsPath(w.customer.accountId), 201, {
		as,
		body: { providerAccountId: w.provider.accountId, slaId: sla.id, subject: "Mailbox full", impact: "medium", ...body },
	});
	await settle(w.customer.accountId, w.provider.accountId);
	return created;
}

/** Acts on a request through `accountId`'s API and expects 200. */
export async function act(accountId: string, id: string, as: Caller, body: unknown): Promise<RequestSummary> {
	return callJson<RequestSummary>(`${requestsPath(accountId, id)}/actions`, 200, { as, body });
}

/** The request as `as` sees it through `accountId`. */
export async function view(accountId: string, id: string, as: Caller): Promise<RequestView> {
	return callJson<RequestView>(requestsPath(accountId, id), 200, { as });
}

export async function inboxOf(accountId: string, as: Caller, query = ""): Promise<InboxPage> {
	return callJson<InboxPage>(`/accounts/${accountId}/inbox${query ? `?${query}` : ""}`, 200, { as });
}

/** The summary part of a full request (what the Inbox index holds). */
export function summaryPart(r: RequestView): RequestSummary {
	const { notes: _notes, audit: _audit, allowed: _allowed, ...summary } = r;
	return summary;
}

// ── Realtime ──────────────────────────────────────────────────────────────────

export interface Socket {
	ws: WebSocket;
	frames: ServerFrame[];
	closed: { code: number; reason: string } | null;
	/** Waits until a frame matching `check` arrives (10 ms polls, 5 s at most) and returns it. */
	next: (check: (f: ServerFrame) => boolean, what: string) => Promise<ServerFrame>;
	events: () => Extract<ServerFrame, { type: "event" }>[];
	send: (data: string | ArrayBuffer) => void;
	/** Closes and waits for the object's answering close (so no handler still runs when the file ends). */
	close: () => Promise<void>;
}

export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
	for (let waited = 0; waited < ms && !check(); waited += 10) await new Promise((r) => setTimeout(r, 10));
	if (!check()) throw new Error(`timed out: ${what}`);
}

/** Lets in-flight frames arrive: a quiet period, for asserting that something did NOT come. */
export const quiet = (ms = 100) => new Promise((r) => setTimeout(r, ms));

export async function ticketFor(accountId: string, as: Caller): Promise<string> {
	return (await callJson<{ ticket: string }>(`/accounts/${accountId}/realtime/tickets`, 201, { as, method: "POST" })).ticket;
}

/** Upgrades to the account's socket with `ticket` (as is); the answer must be 101. */
export async function connect(accountId: string, ticket: string | null, headers: Record<string, string> = {}): Promise<Socket> {
	const url = `${ORIGIN}/api/v1/accounts/${accountId}/realtime${ticket === null ? "" : `?ticket=${encodeURIComponent(ticket)}`}`;
	const res = await exports.default.fetch(new Request(url, { headers: { Upgrade: "websocket", ...headers } }));
	if (res.status !== 101) throw new Error(`expected 101, got ${res.status}: ${await res.text()}`);
	const ws = res.webSocket;
	if (!ws) throw new Error("no socket");
	const socket: Socket = {
		ws,
		frames: [],
		closed: null,
		next: async (check, what) => {
			await until(() => socket.frames.some(check), what);
			return socket.frames.find(check) as ServerFrame;
		},
		events: () => socket.frames.filter((f): f is Extract<ServerFrame, { type: "event" }> => f.type === "event"),
		send: (data) => ws.send(data),
		close: async () => {
			if (socket.closed) return;
			ws.close(1000, "done");
			await until(() => socket.closed !== null, "the close answered");
		},
	};
	ws.addEventListener("message", (e) => {
		socket.frames.push(JSON.parse(String(e.data)) as ServerFrame);
	});
	ws.addEventListener("close", (e) => {
		socket.closed = { code: e.code, reason: e.reason };
	});
	ws.accept();
	return socket;
}

/** A ticket from an authenticated call, then the socket; waits for its hello. */
export async function openSocket(accountId: string, as: Caller): Promise<Socket> {
	const socket = await connect(accountId, await ticketFor(accountId, as));
	await socket.next((f) => f.type === "hello", "hello");
	return socket;
}

// ── Inside the AccountObjects ─────────────────────────────────────────────────

/** Every row of every table of the account's SQLite database, as text: to prove what is not there. */
export function dumpDatabase(accountId: string): Promise<string> {
	return inObject(accountId, (_instance, state) => {
		const tables = state.storage.sql
			.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
			.toArray()
			.map((t) => t.name);
		return tables.map((t) => `${t}: ${JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray())}`).join("\n");
	});
}

/** How many rows of `table` belong to request `id` (request_notes, request_audit, events, internal_notes). */
export function countRows(accountId: string, table: "request_notes" | "request_audit" | "events" | "internal_notes" | "inbox", id: string): Promise<number> {
	return inObject(accountId, (_instance, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE request_id = ?`, id).one().n);
}

/** Runs `fn` with the account's clock `offsetMs` ahead, then sets it back. */
export async function withClock<R>(accountId: string, offsetMs: number, fn: () => Promise<R>): Promise<R> {
	await setClock(accountId, offsetMs);
	try {
		return await fn();
	} finally {
		await setClock(accountId, 0);
	}
}

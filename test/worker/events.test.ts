// The events API (POST …/events): a monitoring tool's token opens a request for a provider's
// service by its name, repeats of the same (source, sourceId) land on the open request as notes
// marked as the event's, "resolved" completes it, and after that the key opens a new request.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { EventResult } from "../../worker/shared/event-api";
import { call, callError, callJson, type Caller, createToken, signUp, unique } from "./helpers";
import { answer, countIn, expectReplay, keyed, newKey } from "./idempotency-helpers";
import { activeSla, inboxOf, makeWorld, openSocket, requestsPath, view, type World } from "./request-helpers";
import { defineEmail, onboard, settle } from "./service-helpers";

let w: World;
/** The customer's monitoring token: events:write only. */
let monitor: Caller;
/** Its creator: the customer's administrator. */
let creatorId: string;

beforeAll(async () => {
	w = await makeWorld();
	const created = await createToken(w.customer, w.customer.accountId, ["events:write"], "Zabbix");
	monitor = { token: created.secret };
	creatorId = w.customer.session.person.id;
}, 60_000);

const eventsPath = (accountId: string) => `/accounts/${accountId}/events`;
const event = (body: Record<string, unknown> = {}) => ({ source: "zabbix", sourceId: unique("trigger"), service: "Email", subject: "Mail queue above 1000", impact: "high", ...body });

async function post(body: Record<string, unknown>, status: number, as: Caller = monitor): Promise<EventResult> {
	return callJson<EventResult>(eventsPath(w.customer.accountId), status, { as, body });
}

const requestsOfKey = (sourceId: string) => countIn(w.customer.accountId, "SELECT count(*) AS n FROM requests WHERE event_source = 'zabbix' AND event_source_id = ?", sourceId);

describe("a new event", () => {
	it("opens a request for the named service, from the token's creator, marked with its source, that appears live in the provider team's Inbox", async () => {
		const bobs = await openSocket(w.provider.accountId, w.bob);
		try {
			const body = event({ ci: "mx-01.acme.example", note: "Queue at 1432 messages." });
			const created = await post(body, 201);
			expect(created.outcome).toBe("created");
			expect(created.request).toMatchObject({
				subject: body.subject,
				impact: "high",
				category: "incident",
				status: "assigned",
				requestedBy: { id: creatorId },
				requestedFor: { id: creatorId },
				provider: { id: w.provider.accountId },
				service: { name: "Email" },
				team: { accountId: w.provider.accountId, id: w.model.team.id },
				event: { source: "zabbix", sourceId: body.sourceId, ci: "mx-01.acme.example" },
			});
			await bobs.next((f) => f.type === "event" && f.kind === "request.created" && f.requestId === created.request.id, "the request in Bob's Inbox");
			await settle(w.customer.accountId, w.provider.accountId);
			const inbox = await inboxOf(w.provider.accountId, w.bob);
			expect(inbox.items.find((i) => i.id === created.request.id)?.event).toEqual({ source: "zabbix", sourceId: body.sourceId, ci: "mx-01.acme.example" });
			// The request page of both sides: the event, and its first note marked as the event's.
			for (const [accountId, as] of [[w.customer.accountId, w.customer], [w.provider.accountId, w.bob]] as const) {
				const seen = await view(accountId, created.request.id, as);
				expect(seen.event).toEqual({ source: "zabbix", sourceId: body.sourceId, ci: "mx-01.acme.example" });
				expect(seen.notes.map((n) => [n.body, n.event])).toEqual([["Queue at 1432 messages.", { source: "zabbix", sourceId: body.sourceId }]]);
			}
		} finally {
			await bobs.close();
		}
	});

	it("is registered for the person requestedBy names, by their address", async () => {
		const created = await post(event({ requestedBy: w.alice.email.toUpperCase() }), 201);
		expect(created.request.requestedBy).toEqual({ id: w.alice.id, name: "Alice Archer" });
		expect(created.request.requestedFor).toEqual({ id: w.alice.id, name: "Alice Archer" });
	});

	it("refuses a requestedBy that is nobody of this account (a person of another account is nobody here), creating nothing", async () => {
		for (const email of [w.bob.email, "nobody@nowhere.example"]) {
			const body = event({ requestedBy: email });
			const refused = await callError(eventsPath(w.customer.accountId), 400, "invalid_input", { as: monitor, body });
			expect(refused.error.details).toEqual([{ path: "requestedBy", message: "Not a person of this account." }]);
			expect(await requestsOfKey(body.sourceId)).toBe(0);
		}
	});

	it("refuses a service the requester is not offered, saying which are, and creates nothing", async () => {
		const body = event({ service: "Printing" });
		const refused = await callError(eventsPath(w.customer.accountId), 400, "invalid_input", { as: monitor, body });
		expect(refused.error.message).toContain('No service named "Printing"');
		expect(refused.error.message).toContain("Offered: Email");
		expect(refused.error.details).toEqual([{ path: "service", message: "No such service in the requester's catalog." }]);
		expect(await requestsOfKey(body.sourceId)).toBe(0);
	});

	it("matches the service name whatever its case; a ci alone is not enough (no CIs in the model), and says so", async () => {
		expect((await post(event({ service: "  eMAIL " }), 201)).request.service.name).toBe("Email");
		const refused = await callError(eventsPath(w.customer.accountId), 400, "invalid_input", { as: monitor, body: { ...event(), service: undefined, ci: "mx-01" } });
		expect(refused.error.message).toContain("no configuration items");
	});

	it("refuses bad bodies with 400 and the field: missing or empty fields, unknown fields, a bad status or impact, a bad address", async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ ...event(), subject: undefined }, "subject"],
			[{ ...event(), source: "" }, "source"],
			[{ ...event(), sourceId: "x".repeat(201) }, "sourceId"],
			[{ ...event(), status: "closed" }, "status"],
			[{ ...event(), impact: "urgent" }, "impact"],
			[{ ...event(), requestedBy: "not-an-address" }, "requestedBy"],
			[{ ...event(), providerAccountId: w.provider.accountId }, ""],
		];
		for (const [body, path] of cases) {
			const refused = await callError(eventsPath(w.customer.accountId), 400, "invalid_input", { as: monitor, body });
			expect((refused.error.details as { path: string }[]).map((d) => d.path), JSON.stringify(body)).toContain(path);
		}
	});
});

describe("a repeat of the key", () => {
	it("while the request is open adds a note marked as the event's (200 noted); resolved completes it as solved (200 completed); then a resolved has nothing to complete (409)", async () => {
		const first = event({ note: "Queue at 1432." });
		const created = await post(first, 201);
		const again = await post({ ...first, note: "Queue at 2210." }, 200);
		expect(again.outcome).toBe("noted");
		expect(again.request.id).toBe(created.request.id);
		// A repeat without a note notes its subject.
		expect((await post({ ...first, note: undefined, subject: "Mail queue above 2000" }, 200)).outcome).toBe("noted");
		const resolved = await post({ ...first, status: "resolved", note: "Queue drained." }, 200);
		expect(resolved.outcome).toBe("completed");
		expect(resolved.request).toMatchObject({ id: created.request.id, status: "completed", completionReason: "solved" });
		expect(await requestsOfKey(first.sourceId)).toBe(1);

		const seen = await view(w.customer.accountId, created.request.id, w.customer);
		const key = { source: "zabbix", sourceId: first.sourceId };
		expect(seen.notes.map((n) => [n.body, n.event])).toEqual([
			["Queue at 1432.", key],
			["Queue at 2210.", key],
			["Mail queue above 2000", key],
			["Queue drained.", key],
		]);
		// The provider's specialist sees the same notes, marked the same way.
		await settle(w.customer.accountId, w.provider.accountId);
		expect((await view(w.provider.accountId, created.request.id, w.bob)).notes.map((n) => n.event)).toEqual([key, key, key, key]);

		const nothing = await callError(eventsPath(w.customer.accountId), 409, "invalid_transition", { as: monitor, body: { ...first, status: "resolved" } });
		expect(nothing.error.message).toContain(`#${created.request.number}`);
		expect(nothing.error.message).toContain("completed already");
	});

	it("after the request is completed opens a new request", async () => {
		const first = event();
		const created = await post(first, 201);
		await post({ ...first, status: "resolved" }, 200);
		const reopened = await post(first, 201);
		expect(reopened.outcome).toBe("created");
		expect(reopened.request.id).not.toBe(created.request.id);
		expect(reopened.request.status).toBe("assigned");
		expect(await requestsOfKey(first.sourceId)).toBe(2);
	});

	it("lands on the open request whatever its status, and whoever the repeat names as requester", async () => {
		const first = event();
		const created = await post(first, 201);
		await settle(w.customer.accountId, w.provider.accountId);
		await callJson(`${requestsPath(w.provider.accountId, created.request.id)}/actions`, 200, { as: w.bob, body: { type: "set_status", status: "in_progress" } });
		const noted = await post({ ...first, requestedBy: w.carol.email }, 200);
		expect(noted).toMatchObject({ outcome: "noted", request: { id: created.request.id, status: "in_progress", requestedBy: { id: creatorId } } });
	});

	it("a resolved event of a key that never opened a request answers 409 and creates nothing", async () => {
		const body = event({ status: "resolved" });
		const refused = await callError(eventsPath(w.customer.accountId), 409, "invalid_transition", { as: monitor, body });
		expect(refused.error.message).toContain("nothing to complete");
		expect(await requestsOfKey(body.sourceId)).toBe(0);
	});

	it("posted twice at once opens one request and notes the other on it", async () => {
		const body = event();
		const answers = await Promise.all(
			[0, 1].map(async () => {
				const res = await call(eventsPath(w.customer.accountId), { as: monitor, body });
				return { status: res.status, body: (await res.json()) as EventResult };
			}),
		);
		expect(answers.map((a) => a.body.outcome).sort()).toEqual(["created", "noted"]);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
		expect(new Set(answers.map((a) => a.body.request.id)).size).toBe(1);
		expect(await requestsOfKey(body.sourceId)).toBe(1);
	});
});

describe("Idempotency-Key", () => {
	it("a retry of a new event with the key answers the first answer, and opens nothing more", async () => {
		const key = newKey();
		const body = event();
		const first = await answer<EventResult>(keyed(eventsPath(w.customer.accountId), monitor, key, body), 201);
		const again = await answer<EventResult>(keyed(eventsPath(w.customer.accountId), monitor, key, body), 201);
		expectReplay(first, again);
		expect(await requestsOfKey(body.sourceId)).toBe(1);
	});

	it("a retry of a repeat with the key adds no second note; the key with another body is 422", async () => {
		const body = event();
		const created = await post(body, 201);
		const key = newKey();
		const repeat = { ...body, note: "Again" };
		const first = await answer<EventResult>(keyed(eventsPath(w.customer.accountId), monitor, key, repeat), 200);
		expectReplay(first, await answer<EventResult>(keyed(eventsPath(w.customer.accountId), monitor, key, repeat), 200));
		expect(await countIn(w.customer.accountId, "SELECT count(*) AS n FROM request_notes WHERE request_id = ? AND body = 'Again'", created.request.id)).toBe(1);
		await callError(eventsPath(w.customer.accountId), 422, "idempotency_key_reused", { as: monitor, body: { ...repeat, note: "Other" }, headers: { "Idempotency-Key": key } });
	});
});

describe("who may post events", () => {
	it("a token without events:write gets 403; an end user gets 403; the account's administrator may", async () => {
		const reader = await createToken(w.customer, w.customer.accountId, ["requests:read", "catalog:read"]);
		await callError(eventsPath(w.customer.accountId), 403, "forbidden", { as: { token: reader.secret }, body: event() });
		await callError(eventsPath(w.customer.accountId), 403, "forbidden", { as: w.alice, body: event() });
		const byAdmin = await post(event(), 201, w.customer);
		expect(byAdmin.request.requestedBy.id).toBe(creatorId);
	});

	it("a token of account A cannot post events to account B (404), and nothing is created in B", async () => {
		const other = await signUp();
		await callError(eventsPath(other.accountId), 404, "not_found", { as: monitor, body: event() });
		const provider = await callError(eventsPath(w.provider.accountId), 404, "not_found", { as: monitor, body: event() });
		expect(provider.error.message).toBe("No such account.");
		expect(await countIn(other.accountId, "SELECT count(*) AS n FROM requests")).toBe(0);
	});

	it("a token whose creator left the account must name the requester", async () => {
		// As when the person is deleted from the directory (api_tokens.created_by is set null).
		const created = await createToken(w.customer, w.customer.accountId, ["events:write"], "Orphan");
		await env.DB.prepare("UPDATE api_tokens SET created_by = NULL WHERE id = ?").bind(created.token.id).run();
		const refused = await callError(eventsPath(w.customer.accountId), 400, "invalid_input", { as: { token: created.secret }, body: event() });
		expect(refused.error.details).toEqual([{ path: "requestedBy", message: "Required for this token." }]);
		expect((await post(event({ requestedBy: w.alice.email }), 201, { token: created.secret })).request.requestedBy.id).toBe(w.alice.id);
	});
});

describe("ambiguous service names", () => {
	it("a service offered by two SLAs is ambiguous (400, naming the instances); its instance's name picks one", async () => {
		const provider = await signUp();
		await onboard(provider, w.customer);
		const model = await defineEmail(provider);
		const backup = await callJson<{ id: string }>(`/accounts/${provider.accountId}/service-instances`, 201, {
			as: provider,
			body: { serviceId: model.service.id, name: "Email Backup", firstLineTeamId: model.team.id },
		});
		await activeSla(provider, model, w.customer.accountId);
		await activeSla(provider, { ...model, instance: { ...model.instance, id: backup.id } }, w.customer.accountId);
		const ambiguous = await callError(eventsPath(w.customer.accountId), 400, "invalid_input", { as: monitor, body: event() });
		expect(ambiguous.error.message).toContain("more than one service");
		expect(ambiguous.error.message).toContain('"Email Backup"');
		const picked = await post(event({ service: "email backup" }), 201);
		expect(picked.request.service.instance).toEqual({ id: backup.id, name: "Email Backup" });
		expect(picked.request.team?.accountId).toBe(provider.accountId);
	});
});

// The realtime socket: one-time tickets that expire, the Origin check, per-account sequence
// numbers, resuming from the bounded event log, bad frames, and who receives which event.
import { evictDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { EVENT_LOG_SIZE } from "../../worker/account/realtime";
import type { ServerFrame } from "../../worker/shared/request-api";
import type { AffectedSlaList } from "../../worker/shared/sla-api";
import { addMember, callError, callJson, createToken, ORIGIN, signUp } from "./helpers";
import { act, connect, makeWorld, openSocket, quiet, register, setTeam, type Socket, ticketFor, until, type World } from "./request-helpers";
import { inObject, setClock, settle, stubOf } from "./service-helpers";

let w: World;
beforeAll(async () => {
	w = await makeWorld();
});

const upgrade = (accountId: string, query: string, headers: Record<string, string> = {}) =>
	exports.default.fetch(new Request(`${ORIGIN}/api/v1/accounts/${accountId}/realtime${query}`, { headers: { Upgrade: "websocket", ...headers } }));

async function expectRefused(socket: Socket): Promise<void> {
	await until(() => socket.closed !== null, "the close");
	expect(socket.frames).toEqual([{ type: "error", code: "unauthenticated", message: expect.stringMatching(/ticket/) }]);
	expect(socket.closed?.code).toBe(4001);
}

const seqs = (s: Socket) => s.events().map((e) => e.seq);

describe("tickets", () => {
	it("open one socket, once", async () => {
		const ticket = await ticketFor(w.customer.accountId, w.alice);
		const first = await connect(w.customer.accountId, ticket);
		expect(await first.next((f) => f.type === "hello", "hello")).toMatchObject({ type: "hello", protocol: 1 });
		await expectRefused(await connect(w.customer.accountId, ticket));
		await first.close();
	});

	it("expire after 30 seconds", async () => {
		const fresh = await ticketFor(w.customer.accountId, w.alice);
		const stale = await ticketFor(w.customer.accountId, w.alice);
		try {
			await setClock(w.customer.accountId, 29_000);
			const ok = await connect(w.customer.accountId, fresh);
			await ok.next((f) => f.type === "hello", "hello at 29 s");
			await ok.close();
			await setClock(w.customer.accountId, 31_000);
			await expectRefused(await connect(w.customer.accountId, stale));
		} finally {
			await setClock(w.customer.accountId, 0);
		}
	});

	it("missing, unknown or another account's: an error frame, then close 4001", async () => {
		await expectRefused(await connect(w.customer.accountId, null));
		await expectRefused(await connect(w.customer.accountId, ""));
		await expectRefused(await connect(w.customer.accountId, "made-up-ticket"));
		await expectRefused(await connect(w.customer.accountId, await ticketFor(w.provider.accountId, w.provider)));
	});

	it("are for signed-in people of the account only", async () => {
		const path = `/accounts/${w.customer.accountId}/realtime/tickets`;
		await callError(path, 401, "unauthenticated", { method: "POST" });
		await callError(path, 404, "not_found", { method: "POST", as: w.bob });
		const { secret } = await createToken(w.customer, w.customer.accountId);
		await callError(path, 403, "forbidden", { method: "POST", as: { token: secret } });
		await callError(path, 403, "csrf_failed", { method: "POST", as: { cookie: w.alice.cookie } });
	});

	it("a socket from another site is refused before the upgrade (403), and the ticket stays unused", async () => {
		const ticket = await ticketFor(w.customer.accountId, w.alice);
		const res = await upgrade(w.customer.accountId, `?ticket=${ticket}`, { Origin: "https://evil.example" });
		expect(res.status).toBe(403);
		expect(res.webSocket).toBeNull();
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
		const same = await connect(w.customer.accountId, ticket, { Origin: ORIGIN });
		await same.next((f) => f.type === "hello", "hello from the same origin");
		await same.close();
		// Not an upgrade (426); an unknown account (404, no object made up for it).
		const plain = await exports.default.fetch(new Request(`${ORIGIN}/api/v1/accounts/${w.customer.accountId}/realtime?ticket=x`));
		expect(plain.status).toBe(426);
		await plain.body?.cancel();
		const nobody = await upgrade("nobody-here", "?ticket=x");
		expect(nobody.status).toBe(404);
		await nobody.body?.cancel();
	});
});

describe("events", () => {
	it("carry increasing sequence numbers per account, the hello the current one", async () => {
		const alice = await openSocket(w.customer.accountId, w.alice);
		const bob = await openSocket(w.provider.accountId, w.bob);
		const helloSeq = (s: Socket) => (s.frames[0] as Extract<ServerFrame, { type: "hello" }>).seq;
		const req = await register(w, w.sla, w.alice);
		await act(w.provider.accountId, req.id, w.bob, { type: "accept" });
		// The provider's clock report of the acceptance reaches the owner before the note is written.
		await settle(w.customer.accountId, w.provider.accountId);
		await act(w.provider.accountId, req.id, w.bob, { type: "note", body: "On it" });
		await settle(w.customer.accountId, w.provider.accountId);
		await alice.next((f) => f.type === "event" && f.kind === "note.added", "Alice: note");
		await bob.next((f) => f.type === "event" && f.kind === "note.added", "Bob: note");
		// The owner also hears each report of the provider's SLA clocks (started; responded); the
		// provider's own sockets do not: its clocks changed with the request's message itself.
		const kinds = {
			alice: ["request.created", "request.updated", "request.updated", "request.updated", "note.added"],
			bob: ["request.created", "request.updated", "note.added"],
		};
		for (const [name, s] of [["alice", alice], ["bob", bob]] as const) {
			expect(seqs(s)).toHaveLength(kinds[name].length);
			expect(seqs(s)[0]).toBe(helloSeq(s) + 1);
			expect(seqs(s)).toEqual([...seqs(s)].sort((a, b) => a - b));
			expect(new Set(seqs(s)).size).toBe(kinds[name].length);
			expect(s.events().map((e) => e.kind)).toEqual(kinds[name]);
		}
		// Alice's events: registered without a target; the clock's report brings the response target;
		// accepted (still that target, until the provider's next report); responded: the resolution target.
		const { items: clocks } = await callJson<AffectedSlaList>(`/accounts/${w.customer.accountId}/requests/${req.id}/slas`, 200, { as: w.alice });
		expect(clocks).toHaveLength(1);
		expect(alice.events().map((e) => e.request?.nextTargetAt)).toEqual([null, clocks[0]?.responseTargetAt, clocks[0]?.responseTargetAt, clocks[0]?.resolutionTargetAt, clocks[0]?.resolutionTargetAt]);
		expect(clocks[0]?.nextTarget).toBe("resolution");
		const again = await openSocket(w.customer.accountId, w.alice);
		expect(again.frames[0]).toEqual({ type: "hello", seq: seqs(alice).at(-1), protocol: 1 });
		for (const s of [alice, bob, again]) await s.close();
	});

	it("reach sockets that outlived their object (hibernation): the first event after the restart too", async () => {
		const alice = await openSocket(w.customer.accountId, w.alice);
		const bob = await openSocket(w.provider.accountId, w.bob);
		await evictDurableObject(stubOf(w.customer.accountId));
		await evictDurableObject(stubOf(w.provider.accountId));
		const req = await register(w, w.sla, w.alice, { subject: "After a wake-up" });
		await alice.next((f) => f.type === "event" && f.requestId === req.id, "Alice: the first event after the restart");
		await bob.next((f) => f.type === "event" && f.requestId === req.id, "Bob: the first event after the restart");
		await alice.close();
		await bob.close();
	});
});

describe("resume", () => {
	it("replays exactly the missed events the viewer may see, in order", async () => {
		const watcher = await openSocket(w.customer.accountId, w.alice); // stays connected throughout
		const dropped = await openSocket(w.customer.accountId, w.alice);
		const req = await register(w, w.sla, w.alice);
		// Registered, and the provider's clock report (the response target) arrived.
		await dropped.next((f) => f.type === "event" && f.requestId === req.id && f.request?.nextTargetAt !== null, "before the drop");
		const lastSeen = seqs(dropped).at(-1) ?? 0;
		await dropped.close();
		// While Alice is away: her request changes, Adam notes internally, Carol registers her own.
		// (Settled after each step, so that the provider's clock reports come in a known order.)
		const both = () => settle(w.customer.accountId, w.provider.accountId);
		await act(w.provider.accountId, req.id, w.bob, { type: "accept" });
		await both();
		await act(w.customer.accountId, req.id, w.adam, { type: "note", body: "Acme only", internal: true });
		await act(w.provider.accountId, req.id, w.bob, { type: "set_status", status: "waiting_for_customer", note: "Which one?" });
		await both();
		await register(w, w.sla, w.carol, { subject: "Carol's" });
		await both();
		await watcher.next((f) => f.type === "event" && f.request?.status === "waiting_for_customer" && f.request.nextTargetAt === null, "the watcher has it all");
		await quiet();

		const back = await openSocket(w.customer.accountId, w.alice);
		back.send(JSON.stringify({ type: "resume", lastSeq: lastSeen }));
		const missed = watcher.events().filter((e) => e.seq > lastSeen);
		// Accepted; the clock's report (responded); waiting for her, with the note; the clock's report (stopped: no target).
		expect(missed.map((e) => [e.kind, e.request?.status, e.request?.nextTargetAt === null])).toEqual([
			["request.updated", "accepted", false],
			["request.updated", "accepted", false],
			["note.added", "waiting_for_customer", false],
			["request.updated", "waiting_for_customer", true],
		]);
		await until(() => back.events().length >= missed.length, "the replay");
		await quiet();
		expect(back.events()).toEqual(missed);
		expect(JSON.stringify(back.frames)).not.toMatch(/Acme only|Carol's/);
		for (const s of [watcher, back]) await s.close();
	});

	it("says reset when lastSeq is ahead of the log, or older than the log keeps (bounded to EVENT_LOG_SIZE)", async () => {
		const acct = w.customer.accountId;
		const socket = await openSocket(acct, w.adam);
		const hello = socket.frames[0] as Extract<ServerFrame, { type: "hello" }>;
		socket.send(JSON.stringify({ type: "resume", lastSeq: hello.seq + 5 }));
		expect(await socket.next((f) => f.type === "reset", "reset (ahead)")).toEqual({ type: "reset", seq: hello.seq });

		// Fill the log past its size with events nobody here may see, then write once: the log is pruned.
		const filler = EVENT_LOG_SIZE + EVENT_LOG_SIZE / 5;
		await inObject(acct, (_i, state) => {
			state.storage.sql.exec(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				 INSERT INTO events (at, kind, request_id, audience, request, note)
				 SELECT 0, 'request.updated', 'req_filler', '{"ownerAccountId":"elsewhere","requesterIds":[],"teamAccountId":null,"teamId":null,"internal":false}', NULL, NULL FROM n`,
				filler,
			);
		});
		const req = await register(w, w.sla, w.alice, { subject: "After the flood" });
		// A socket that was open all along gets the newest event, past the thousands before it.
		await socket.next((f) => f.type === "event" && f.requestId === req.id, "the live socket, past the flood");
		const bounds = await inObject(acct, (_i, state) => state.storage.sql.exec<{ lo: number; hi: number; n: number }>("SELECT min(seq) lo, max(seq) hi, count(*) n FROM events").one());
		// Pruned at the registration's write to the last EVENT_LOG_SIZE + 1; one more event since: the
		// provider's report of the request's SLA clock (register waits for it).
		expect(bounds.n).toBeLessThanOrEqual(EVENT_LOG_SIZE + 2);
		expect(bounds.hi - bounds.lo).toBe(bounds.n - 1);

		const fresh = await openSocket(acct, w.adam);
		fresh.send(JSON.stringify({ type: "resume", lastSeq: hello.seq }));
		expect(await fresh.next((f) => f.type === "reset", "reset (too old)")).toEqual({ type: "reset", seq: bounds.hi });
		// Just inside the log: caught up, no reset.
		const inside = await openSocket(acct, w.adam);
		inside.send(JSON.stringify({ type: "resume", lastSeq: bounds.lo - 1 }));
		await inside.next((f) => f.type === "event" && f.requestId === req.id, "the newest event, replayed");
		expect(inside.frames.some((f) => f.type === "reset")).toBe(false);
		for (const s of [socket, fresh, inside]) await s.close();
	});
});

describe("bad frames", () => {
	it("get an error frame and the socket stays open", async () => {
		const s = await openSocket(w.customer.accountId, w.alice);
		const bad = ["not json", "[]", '{"type":"subscribe"}', '{"type":"resume"}', '{"type":"resume","lastSeq":-1}', '{"type":"resume","lastSeq":"1"}', JSON.stringify({ type: "ping", pad: "x".repeat(5000) })];
		for (const frame of bad) s.send(frame);
		s.send(new Uint8Array([1, 2, 3]).buffer);
		await until(() => s.frames.filter((f) => f.type === "error").length === bad.length + 1, "an error frame for each bad frame");
		expect(s.frames.filter((f) => f.type === "error").every((f) => f.type === "error" && f.code === "invalid_frame")).toBe(true);
		expect(s.closed).toBeNull();
		s.send('{"type":"ping"}'); // answered by the runtime
		s.send('{ "type": "ping" }'); // answered by the object itself
		await until(() => s.frames.filter((f) => f.type === "pong").length === 2, "two pongs");
		const hello = s.frames[0] as Extract<ServerFrame, { type: "hello" }>;
		s.send(JSON.stringify({ type: "resume", lastSeq: hello.seq + 1 }));
		expect(await s.next((f) => f.type === "reset", "a resume after all that")).toEqual({ type: "reset", seq: hello.seq });
		await s.close();
	});
});

describe("who receives what", () => {
	it("end users their own requests; provider specialists their teams'; other accounts nothing", async () => {
		const stranger = await signUp();
		const providerEndUser = await addMember(w.provider, w.provider.accountId, ["end_user"]);
		const s = {
			alice: await openSocket(w.customer.accountId, w.alice),
			carol: await openSocket(w.customer.accountId, w.carol),
			adam: await openSocket(w.customer.accountId, w.adam),
			bob: await openSocket(w.provider.accountId, w.bob),
			sam: await openSocket(w.provider.accountId, w.sam),
			providerEndUser: await openSocket(w.provider.accountId, providerEndUser),
			stranger: await openSocket(stranger.accountId, stranger),
		};
		const alices = await register(w, w.sla, w.alice, { subject: "Alice's" });
		const carols = await register(w, w.sla, w.carol, { subject: "Carol's" });
		await act(w.provider.accountId, alices.id, w.bob, { type: "note", body: "For Alice" });
		await settle(w.customer.accountId, w.provider.accountId);
		await s.bob.next((f) => f.type === "event" && f.note?.body === "For Alice", "Bob");
		await s.alice.next((f) => f.type === "event" && f.note?.body === "For Alice", "Alice");
		await quiet();
		const about = (k: keyof typeof s) => [...new Set(s[k].events().map((e) => e.requestId))].sort();
		expect(about("alice")).toEqual([alices.id]);
		expect(about("carol")).toEqual([carols.id]);
		expect(about("adam")).toEqual([alices.id, carols.id].sort());
		expect(about("bob")).toEqual([alices.id, carols.id].sort());
		for (const k of ["sam", "providerEndUser", "stranger"] as const) expect(s[k].events(), k).toEqual([]);
		for (const socket of Object.values(s)) await socket.close();
	});
});

describe("when what a person may see changes", () => {
	it("their sockets are closed (4001) and a new ticket sees only what they may see now", async () => {
		const v = await makeWorld();
		const r1 = await register(v, v.sla, v.alice);
		const bob = await openSocket(v.provider.accountId, v.bob);
		const sam = await openSocket(v.provider.accountId, v.sam);
		const adam = await openSocket(v.customer.accountId, v.adam);
		const carol = await openSocket(v.customer.accountId, v.carol);
		const closedFor = async (s: Socket, what: string) => {
			await until(() => s.closed !== null, what);
			expect(s.closed?.code).toBe(4001);
		};
		// The team changes: Bob leaves, Sam joins. Both reconnect.
		await setTeam(v.provider, v.model.team.id, [v.sam.id]);
		await closedFor(bob, "Bob's socket");
		await closedFor(sam, "Sam's socket");
		// Adam is an end user now; Carol leaves the account.
		await callJson(`/accounts/${v.customer.accountId}/people/${v.adam.id}`, 200, { as: v.customer, method: "PATCH", body: { roles: ["end_user"] } });
		await closedFor(adam, "Adam's socket");
		await callJson(`/accounts/${v.customer.accountId}/people/${v.carol.id}`, 204, { as: v.customer, method: "DELETE" });
		await closedFor(carol, "Carol's socket");
		await callError(`/accounts/${v.customer.accountId}/realtime/tickets`, 404, "not_found", { method: "POST", as: v.carol });

		const again = { bob: await openSocket(v.provider.accountId, v.bob), sam: await openSocket(v.provider.accountId, v.sam), adam: await openSocket(v.customer.accountId, v.adam) };
		await act(v.customer.accountId, r1.id, v.alice, { type: "note", body: "After the changes" });
		await settle(v.customer.accountId, v.provider.accountId);
		await again.sam.next((f) => f.type === "event" && f.requestId === r1.id, "Sam, now in the team");
		await quiet();
		expect(again.bob.events()).toEqual([]);
		expect(again.adam.events()).toEqual([]);
		for (const s of [...Object.values(again), bob]) await s.close();
	});
});

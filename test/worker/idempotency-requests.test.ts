// Idempotency-Key on requests and their actions, the examples: a retry after a lost answer
// gets the first answer back, and nothing is registered twice — also when the retries race, when
// the provider's specialist acts (the owner records the key), and until the key expires.
import { beforeAll, describe, expect, it } from "vitest";
import type { RequestSummary } from "../../worker/shared/request-api";
import { callError, unique } from "./helpers";
import { accountKeys, answer, countIn, expectReplay, HOUR, keyed, newKey } from "./idempotency-helpers";
import { countRows, makeWorld, register, requestsPath, type World, withClock } from "./request-helpers";
import { settle } from "./service-helpers";

let w: World;
beforeAll(async () => {
	w = await makeWorld();
});

const registration = (subject = unique("Mailbox full")) => ({ providerAccountId: w.provider.accountId, slaId: w.sla.id, subject, impact: "medium" });
const requestsNamed = (subject: string) => countIn(w.customer.accountId, "SELECT count(*) AS n FROM requests WHERE subject = ?", subject);
const actions = (accountId: string, id: string) => `${requestsPath(accountId, id)}/actions`;

describe("registering a request with an Idempotency-Key", () => {
	it("answers a retry with the first answer (201, same body, marked replayed) and registers one request", async () => {
		const key = newKey();
		const body = registration();
		const first = await answer<RequestSummary>(keyed(requestsPath(w.customer.accountId), w.alice, key, body), 201);
		const again = await answer<RequestSummary>(keyed(requestsPath(w.customer.accountId), w.alice, key, body), 201);
		expectReplay(first, again);
		// The same JSON with its keys in another order is the same request.
		const reordered = { impact: body.impact, subject: body.subject, slaId: body.slaId, providerAccountId: body.providerAccountId };
		expectReplay(first, await answer<RequestSummary>(keyed(requestsPath(w.customer.accountId), w.alice, key, reordered), 201));
		expect(await requestsNamed(body.subject)).toBe(1);
		await settle(w.customer.accountId, w.provider.accountId);
		expect(await countIn(w.provider.accountId, "SELECT count(*) AS n FROM affected_slas WHERE request_id = ?", first.body.id)).toBe(1);
	});

	it("answers the same key with a different request 422 idempotency_key_reused, and registers nothing", async () => {
		const key = newKey();
		await answer(keyed(requestsPath(w.customer.accountId), w.alice, key, registration()), 201);
		const other = registration();
		const refused = await callError(requestsPath(w.customer.accountId), 422, "idempotency_key_reused", { as: w.alice, body: other, headers: { "Idempotency-Key": key } });
		expect(refused.error.details).toEqual([{ path: "Idempotency-Key", message: "Already used for a different request." }]);
		expect(await requestsNamed(other.subject)).toBe(0);
	});

	it("keeps keys per person: another requester's identical request with the same key is a request of its own", async () => {
		const key = newKey();
		const body = registration();
		const alices = await answer<RequestSummary>(keyed(requestsPath(w.customer.accountId), w.alice, key, body), 201);
		const carols = await answer<RequestSummary>(keyed(requestsPath(w.customer.accountId), w.carol, key, body), 201);
		expect(carols.replayed).toBe(false);
		expect(carols.body.id).not.toBe(alices.body.id);
		expect(carols.body.requestedBy.id).toBe(w.carol.id);
		expect(await requestsNamed(body.subject)).toBe(2);
	});

	it("registers one request for concurrent identical registrations with one key, and answers every one with it", async () => {
		const key = newKey();
		const body = registration();
		// Each waits for the provider's route between its first look at the key and its commit.
		const answers = await Promise.all(Array.from({ length: 4 }, () => answer<RequestSummary>(keyed(requestsPath(w.customer.accountId), w.alice, key, body), 201)));
		expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
		expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
		expect(await requestsNamed(body.subject)).toBe(1);
	});

	it("refuses a malformed key with 400 before registering anything; 255 visible characters are fine", async () => {
		for (const key of ["", "has space", "x".repeat(256), "caf\u00e9", "tab\there"]) {
			const body = registration();
			const res = await callError(requestsPath(w.customer.accountId), 400, "invalid_input", { as: w.alice, body, headers: { "Idempotency-Key": key } });
			expect(res.error.details).toEqual([{ path: "Idempotency-Key", message: "1 to 255 visible ASCII characters." }]);
			expect(await requestsNamed(body.subject)).toBe(0);
		}
		await answer(keyed(requestsPath(w.customer.accountId), w.alice, "~".repeat(255), registration()), 201);
	});
});

describe("acting on a request with an Idempotency-Key", () => {
	it("adds a retried note once, in the owner's account and through the provider's API", async () => {
		const r = await register(w, w.sla, w.alice);
		const key = newKey();
		const mine = await answer<RequestSummary>(keyed(actions(w.customer.accountId, r.id), w.alice, key, { type: "note", body: "Still full." }), 200);
		expectReplay(mine, await answer<RequestSummary>(keyed(actions(w.customer.accountId, r.id), w.alice, key, { type: "note", body: "Still full." }), 200));
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(1);

		// Bob works on it from the provider's account: the owner commits the note, and the key with it.
		const bobKey = newKey();
		const bobs = await answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, bobKey, { type: "note", body: "Looking." }), 200);
		expectReplay(bobs, await answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, bobKey, { type: "note", body: "Looking." }), 200));
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(2);
		expect((await accountKeys(w.customer.accountId)).filter((k) => k.key === bobKey).map((k) => k.principal)).toEqual([`${w.provider.accountId}/person:${w.bob.id}`]);
		expect((await accountKeys(w.provider.accountId)).filter((k) => k.key === bobKey)).toEqual([]);

		// An internal note stays in the provider's account, and so does its key.
		const internalKey = newKey();
		const internal = { type: "note", body: "Quota raise needs approval.", internal: true };
		const first = await answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, internalKey, internal), 200);
		expectReplay(first, await answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, internalKey, internal), 200));
		expect(await countRows(w.provider.accountId, "internal_notes", r.id)).toBe(1);
	});

	it("answers a different note with a used key 422 and adds nothing", async () => {
		const r = await register(w, w.sla, w.alice);
		const key = newKey();
		await answer(keyed(actions(w.provider.accountId, r.id), w.bob, key, { type: "note", body: "First." }), 200);
		await callError(actions(w.provider.accountId, r.id), 422, "idempotency_key_reused", { as: w.bob, body: { type: "note", body: "Second." }, headers: { "Idempotency-Key": key } });
		// The key is Bob's: the same key on another request is a different request too.
		const other = await register(w, w.sla, w.alice);
		await callError(actions(w.provider.accountId, other.id), 422, "idempotency_key_reused", { as: w.bob, body: { type: "note", body: "First." }, headers: { "Idempotency-Key": key } });
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(1);
		expect(await countRows(w.customer.accountId, "request_notes", other.id)).toBe(0);
	});

	it("replays a retried accept instead of refusing it as a transition from accepted", async () => {
		const r = await register(w, w.sla, w.alice);
		const key = newKey();
		const first = await answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, key, { type: "accept" }), 200);
		expectReplay(first, await answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, key, { type: "accept" }), 200));
		// Without the key, the same retry is a second accept, refused.
		await callError(actions(w.provider.accountId, r.id), 409, "invalid_transition", { as: w.bob, body: { type: "accept" } });
	});

	it("adds one note for concurrent identical notes with one key", async () => {
		const r = await register(w, w.sla, w.alice);
		const key = newKey();
		const answers = await Promise.all(
			Array.from({ length: 4 }, () => answer<RequestSummary>(keyed(actions(w.provider.accountId, r.id), w.bob, key, { type: "note", body: "Once." }), 200)),
		);
		expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(1);
	});

	it("forgets a key after 24 hours: the same note is then a new one, and expired keys are pruned", async () => {
		const r = await register(w, w.sla, w.alice);
		const key = newKey();
		const note = { type: "note", body: "Any news?" };
		await answer(keyed(actions(w.customer.accountId, r.id), w.alice, key, note), 200);
		await withClock(w.customer.accountId, 24 * HOUR - 60_000, async () => {
			expect((await answer(keyed(actions(w.customer.accountId, r.id), w.alice, key, note), 200)).replayed).toBe(true);
		});
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(1);
		const later = 24 * HOUR + 60_000;
		await withClock(w.customer.accountId, later, async () => {
			expect((await answer(keyed(actions(w.customer.accountId, r.id), w.alice, key, note), 200)).replayed).toBe(false);
			// Every key written before has expired by now and went with this write (fewer than a batch).
			const rows = await accountKeys(w.customer.accountId);
			expect(rows.map((k) => k.key)).toEqual([key]);
			expect(rows[0]?.expires_at).toBeGreaterThan(Date.now() + later);
		});
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(2);
	});
});

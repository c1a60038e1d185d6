// Issue 11, part 3: every create takes an Idempotency-Key — saving a filter too. A retry of a save
// whose answer was lost gets that answer (201), not the 409 of a name now taken; one filter is saved.
import { describe, expect, it } from "vitest";
import type { SavedFilter } from "../../worker/shared/saved-filter-api";
import { callError, callJson, signUp } from "./helpers";
import { answer, countIn, expectReplay, keyed, newKey } from "./idempotency-helpers";

describe("saving a filter with an Idempotency-Key", () => {
	it("answers a retry with the first answer and saves one filter; the key with another filter is 422; without a key a second save is 409", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}/saved-filters`;
		const body = { name: "Breached", view: "inbox", query: "sla=breached" };
		const key = newKey();
		const first = await answer<SavedFilter>(keyed(path, admin, key, body), 201);
		expectReplay(first, await answer<SavedFilter>(keyed(path, admin, key, body), 201));
		expect(await countIn(admin.accountId, "SELECT count(*) AS n FROM saved_filters WHERE name = 'Breached'")).toBe(1);
		await callError(path, 422, "idempotency_key_reused", { as: admin, body: { ...body, name: "Other" }, headers: { "Idempotency-Key": key } });
		await callError(path, 409, "conflict", { as: admin, body });
		expect((await callJson<{ items: SavedFilter[] }>(path, 200, { as: admin })).items.map((f) => f.id)).toEqual([first.body.id]);
	});
});

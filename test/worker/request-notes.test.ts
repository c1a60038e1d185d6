// Notes on a request: size limit, HTML kept as the exact text, and internal notes that never
// leave their account — not in a read, not in a socket frame, not in the other account's database.
import { describe, expect, it } from "vitest";
import { MAX_NOTE_BYTES } from "../../worker/shared/request-api";
import { callError } from "./helpers";
import { act, countRows, dumpDatabase, makeWorld, openSocket, quiet, register, requestsPath, view } from "./request-helpers";
import { settle } from "./service-helpers";

const HTML = `<img src=x onerror="alert('xss')"><script>document.cookie</script> &amp; & "quoted" </b>`;

describe("notes", () => {
	it("hold at most 64 KB (in UTF-8 bytes), in every action that takes one (400 beyond)", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		const exactly = "€".repeat(MAX_NOTE_BYTES / 4) + "a".repeat(MAX_NOTE_BYTES / 4); // 3 bytes each + 1 byte each
		expect(new TextEncoder().encode(exactly).length).toBe(MAX_NOTE_BYTES);
		const over = `${exactly}!`;
		const path = `${requestsPath(w.provider.accountId, r.id)}/actions`;
		for (const body of [
			{ type: "note", body: over },
			{ type: "note", body: over, internal: true },
			{ type: "set_status", status: "waiting_for", note: over },
		]) {
			await callError(path, 400, "invalid_input", { as: w.bob, body });
		}
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 400, "invalid_input", { as: w.alice, body: { type: "withdraw", note: over } });
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 400, "invalid_input", { as: w.alice, body: { type: "note", body: "  \n " } });
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(0);
		expect(await countRows(w.provider.accountId, "internal_notes", r.id)).toBe(0);
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: exactly });
		expect((await view(w.customer.accountId, r.id, w.alice)).notes.map((n) => n.body)).toEqual([exactly]);
	});

	it("keep HTML as the exact text, in the owner's account, the provider's, and on the sockets", async () => {
		const w = await makeWorld();
		const bobSocket = await openSocket(w.provider.accountId, w.bob);
		const aliceSocket = await openSocket(w.customer.accountId, w.alice);
		const r = await register(w, w.sla, w.alice, { note: HTML, subject: "<b>Mailbox</b> full" });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: `Re: ${HTML}` });
		await settle(w.customer.accountId, w.provider.accountId);
		for (const [account, who] of [
			[w.customer.accountId, w.alice],
			[w.customer.accountId, w.adam],
			[w.provider.accountId, w.bob],
		] as const) {
			const seen = await view(account, r.id, who);
			expect(seen.subject).toBe("<b>Mailbox</b> full");
			expect(seen.notes.map((n) => n.body)).toEqual([HTML, `Re: ${HTML}`]);
		}
		const noteFrames = (s: typeof bobSocket) => s.events().flatMap((e) => (e.note ? [e.note.body] : []));
		await bobSocket.next((f) => f.type === "event" && f.note?.body === `Re: ${HTML}`, "Bob's note on Bob's socket");
		await aliceSocket.next((f) => f.type === "event" && f.note?.body === `Re: ${HTML}`, "Bob's note on Alice's socket");
		expect(noteFrames(bobSocket)).toEqual([HTML, `Re: ${HTML}`]);
		expect(noteFrames(aliceSocket)).toEqual([HTML, `Re: ${HTML}`]);
		await bobSocket.close();
		await aliceSocket.close();
	});
});

describe("internal notes", () => {
	it("stay in their account: the customer's never reach the provider, the provider's never reach the customer", async () => {
		const w = await makeWorld();
		const sockets = {
			bob: await openSocket(w.provider.accountId, w.bob),
			providerAdmin: await openSocket(w.provider.accountId, w.provider),
			alice: await openSocket(w.customer.accountId, w.alice),
			adam: await openSocket(w.customer.accountId, w.adam),
		};
		const r = await register(w, w.sla, w.alice, { note: "Shared from the start" });
		const ACME_SECRET = "acme-internal-7f3a: VIP, handle with care";
		const WIDGET_SECRET = "widget-internal-91c2: quota raised by hand";
		await act(w.customer.accountId, r.id, w.adam, { type: "note", body: ACME_SECRET, internal: true });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: WIDGET_SECRET, internal: true });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "Shared by Bob" });
		// An end user cannot write an internal note; a provider specialist outside the team cannot either.
		await callError(`${requestsPath(w.customer.accountId, r.id)}/actions`, 403, "forbidden", { as: w.alice, body: { type: "note", body: "secret?", internal: true } });
		await callError(`${requestsPath(w.provider.accountId, r.id)}/actions`, 404, "not_found", { as: w.sam, body: { type: "note", body: "secret?", internal: true } });
		await settle(w.customer.accountId, w.provider.accountId);
		await sockets.alice.next((f) => f.type === "event" && f.note?.body === "Shared by Bob", "Alice hears Bob's shared note");
		await sockets.bob.next((f) => f.type === "event" && f.note?.body === "Shared by Bob", "Bob hears his shared note");
		await quiet();

		const bodies = async (account: string, who: Parameters<typeof view>[2]) => (await view(account, r.id, who)).notes.map((n) => `${n.visibility}:${n.body}`);
		expect(await bodies(w.customer.accountId, w.alice)).toEqual(["shared:Shared from the start", "shared:Shared by Bob"]);
		expect(await bodies(w.customer.accountId, w.adam)).toEqual(["shared:Shared from the start", `internal:${ACME_SECRET}`, "shared:Shared by Bob"]);
		expect(await bodies(w.provider.accountId, w.bob)).toEqual(["shared:Shared from the start", `internal:${WIDGET_SECRET}`, "shared:Shared by Bob"]);
		const adamsView = await view(w.customer.accountId, r.id, w.adam);
		expect(adamsView.notes.find((n) => n.visibility === "internal")?.account).toBe(w.customer.accountId);
		const bobsView = await view(w.provider.accountId, r.id, w.bob);
		expect(bobsView.notes.find((n) => n.visibility === "internal")?.account).toBe(w.provider.accountId);

		// Sockets: each account's internal note only on that account's staff sockets.
		const heard = (s: keyof typeof sockets) => JSON.stringify(sockets[s].frames);
		expect(heard("adam")).toContain(ACME_SECRET);
		expect(heard("bob")).toContain(WIDGET_SECRET);
		expect(heard("providerAdmin")).toContain(WIDGET_SECRET);
		for (const s of ["bob", "providerAdmin"] as const) expect(heard(s)).not.toContain(ACME_SECRET);
		for (const s of ["alice", "adam"] as const) expect(heard(s)).not.toContain(WIDGET_SECRET);
		expect(heard("alice")).not.toContain(ACME_SECRET);

		// Storage: not a byte of the other account's internal note in either database (outbox, events, index…).
		const [ownerDb, providerDb] = await Promise.all([dumpDatabase(w.customer.accountId), dumpDatabase(w.provider.accountId)]);
		expect(ownerDb).toContain(ACME_SECRET);
		expect(ownerDb).not.toContain(WIDGET_SECRET);
		expect(providerDb).toContain(WIDGET_SECRET);
		expect(providerDb).not.toContain(ACME_SECRET);
		expect(providerDb).toContain("Shared by Bob"); // what is shared does travel (as the owner's message)
		for (const s of Object.values(sockets)) await s.close();
	});

	it("the customer's own specialists see the request in the customer's account, with the customer's view of it", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "Looking into it, internally", internal: true });
		const adams = await view(w.customer.accountId, r.id, w.adam);
		expect(adams).toMatchObject({ id: r.id, owner: { id: w.customer.accountId }, status: "accepted", member: { name: "Bob Baker" }, team: { accountId: w.provider.accountId } });
		expect(adams.notes).toEqual([]);
		expect(adams.allowed).toEqual(["note", "internal_note"]);
		const admins = await view(w.customer.accountId, r.id, w.customer);
		expect(admins.allowed).toEqual(["note", "internal_note"]);
	});
});

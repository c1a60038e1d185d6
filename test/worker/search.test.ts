// Global search (worker/account/search.ts, routes/search.ts): FTS5 in each AccountObject — ranking,
// prefixes, diacritics, highlighted snippets as ranges of text; who finds what (end users their own
// requests, specialists their account's and the Inbox of their teams, internal notes only in the
// account that wrote them); user input that is never query syntax; and other accounts' data never.
import { describe, expect, it } from "vitest";
import migrations from "../../migrations/account/migrations.js";
import type { SearchHit, SearchResults } from "../../worker/shared/search-api";
import { addMember, type Caller, callError, callJson, createTeam, createToken, seedAccount, signUp, unique } from "./helpers";
import { act, makeWorld, register, type World } from "./request-helpers";
import { actOnTrust, inObject, settle, slaAction } from "./service-helpers";

function search(accountId: string, as: Caller, q: string, extra = ""): Promise<SearchResults> {
	return callJson<SearchResults>(`/accounts/${accountId}/search?q=${encodeURIComponent(q)}${extra}`, 200, { as });
}
const ids = (hits: SearchHit[]) => hits.map((h) => h.id);
const marked = (t: { text: string; marks: { start: number; end: number }[] }) => t.marks.map((m) => t.text.slice(m.start, m.end));

/** Two requests of Alice: one about a printer in its subject, one that mentions it only in a note. */
async function printers(w: World) {
	const subject = await register(w, w.sla, w.alice, { subject: "Printer toner empty" });
	const noted = await register(w, w.sla, w.alice, { subject: "Mailbox full", note: "Also, the printer next door jams." });
	return { subject, noted };
}

describe("the index", () => {
	it("is FTS5 in the AccountObject's SQLite (workerd builds it in)", async () => {
		const admin = await signUp();
		const found = await inObject(admin.accountId, (_, state) => {
			const sql = state.storage.sql;
			sql.exec("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')");
			sql.exec("INSERT INTO probe (x) VALUES ('Crème brûlée')");
			const hit = sql.exec<{ x: string }>("SELECT highlight(probe, 0, '[', ']') AS x FROM probe WHERE probe MATCH 'creme brul*' ORDER BY bm25(probe)").toArray();
			sql.exec("DROP TABLE probe");
			return hit.map((h) => h.x);
		});
		expect(found).toEqual(["[Crème] [brûlée]"]);
		const tables = await inObject(admin.accountId, (_, state) => state.storage.sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").one().sql);
		expect(tables).toMatch(/USING fts5\(.*remove_diacritics 2/);
	});

	it("ranks a match in the subject above one in a note; the last word is a prefix, the others whole words", async () => {
		const w = await makeWorld();
		const { subject, noted } = await printers(w);
		expect(ids((await search(w.customer.accountId, w.alice, "printer")).groups.requests)).toEqual([subject.id, noted.id]);
		expect(ids((await search(w.customer.accountId, w.alice, "print")).groups.requests)).toEqual([subject.id, noted.id]);
		expect(ids((await search(w.customer.accountId, w.alice, "printer ton")).groups.requests)).toEqual([subject.id]);
		expect(ids((await search(w.customer.accountId, w.alice, "print toner")).groups.requests)).toEqual([]); // "print" is not a word of either
		expect(ids((await search(w.customer.accountId, w.alice, `#${subject.number}`)).groups.requests)).toContain(subject.id);
		expect(ids((await search(w.customer.accountId, w.alice, subject.id)).groups.requests)).toEqual([subject.id]);
	});

	it("folds diacritics and case, both ways", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice, { subject: "Café crème machine broken" });
		const plain = await register(w, w.sla, w.alice, { subject: "Resume the naive cafe order" });
		expect(ids((await search(w.customer.accountId, w.alice, "CAFE creme")).groups.requests)).toEqual([r.id]);
		expect(ids((await search(w.customer.accountId, w.alice, "résumé naïve")).groups.requests)).toEqual([plain.id]);
	});

	it("highlights as ranges of plain text: the subject, and the best excerpt of the notes", async () => {
		const w = await makeWorld();
		const { subject, noted } = await printers(w);
		const hits = (await search(w.customer.accountId, w.alice, "printer")).groups.requests;
		const first = hits.find((h) => h.id === subject.id);
		const second = hits.find((h) => h.id === noted.id);
		expect(first?.title.text).toBe("Printer toner empty");
		expect(first && marked(first.title)).toEqual(["Printer"]);
		expect(first?.link).toBe(`/${w.customer.accountId}/requests/${subject.id}`);
		expect(second && marked(second.title)).toEqual([]);
		expect(second?.snippet.text).toBe("Also, the printer next door jams.");
		expect(second && marked(second.snippet)).toEqual(["printer"]);
		const html = await register(w, w.sla, w.alice, { subject: "<b>Bold</b> <script>x</script> request" });
		const hit = (await search(w.customer.accountId, w.alice, "bold")).groups.requests.find((h) => h.id === html.id);
		expect(hit?.title.text).toBe("<b>Bold</b> <script>x</script> request"); // text, as typed: the portal renders it as text
		expect(hit && marked(hit.title)).toEqual(["Bold"]);
	});

	it("follows changes: a new note is found, a renamed team and a changed service are found by their new names only", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice);
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body: "Quokka sightings on the roof" });
		expect(ids((await search(w.customer.accountId, w.alice, "quokka")).groups.requests)).toEqual([r.id]);
		const team = await createTeam(w.provider, w.provider.accountId, { name: "Zeppelin crew", description: "Handles airships" });
		expect(ids((await search(w.provider.accountId, w.provider, "zeppelin")).groups.teams)).toEqual([team.id]);
		expect(ids((await search(w.provider.accountId, w.provider, "airship")).groups.teams)).toEqual([team.id]);
		await callJson(`/accounts/${w.provider.accountId}/teams/${team.id}`, 200, { as: w.provider, method: "PATCH", body: { name: "Blimp crew" } });
		expect(ids((await search(w.provider.accountId, w.provider, "zeppelin")).groups.teams)).toEqual([]);
		expect(ids((await search(w.provider.accountId, w.provider, "blimp")).groups.teams)).toEqual([team.id]);
		await callJson(`/accounts/${w.provider.accountId}/teams/${team.id}`, 204, { as: w.provider, method: "DELETE" });
		expect(ids((await search(w.provider.accountId, w.provider, "blimp")).groups.teams)).toEqual([]);
		const services = (await search(w.provider.accountId, w.provider, "email")).groups.services;
		expect(services.map((s) => s.kind)).toContain("services");
		expect(services.length).toBeGreaterThan(0);
	});

	it("keeps every note's words through later notes and changes, on both sides", async () => {
		const w = await makeWorld();
		const r = await register(w, w.sla, w.alice, { subject: "Laptop fan noise", note: "Zebra pattern on screen" });
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "Giraffe sticker removed" });
		await act(w.customer.accountId, r.id, w.adam, { type: "note", body: "Okapi budget approved", internal: true });
		await settle(w.customer.accountId, w.provider.accountId);
		for (const word of ["zebra", "giraffe", "laptop"]) {
			expect(ids((await search(w.customer.accountId, w.alice, word)).groups.requests)).toEqual([r.id]);
			expect(ids((await search(w.provider.accountId, w.bob, word)).groups.requests)).toEqual([r.id]);
		}
		// The internal note: the customer's staff only.
		expect(ids((await search(w.customer.accountId, w.adam, "okapi")).groups.requests)).toEqual([r.id]);
		expect(ids((await search(w.customer.accountId, w.alice, "okapi")).groups.requests)).toEqual([]);
		expect(ids((await search(w.provider.accountId, w.bob, "okapi")).groups.requests)).toEqual([]);
	});

	it("is filled from existing rows when the migration runs (backfill)", async () => {
		const w = await makeWorld();
		const { subject } = await printers(w);
		await act(w.provider.accountId, subject.id, w.bob, { type: "note", body: "Hidden wombat", internal: true });
		const m0014 = migrations.migrations.m0014;
		for (const accountId of [w.customer.accountId, w.provider.accountId]) {
			await inObject(accountId, (_, state) => {
				state.storage.sql.exec("DROP TABLE search_fts");
				state.storage.sql.exec("DROP TABLE search_docs");
				for (const statement of m0014.split("--> statement-breakpoint")) if (statement.trim()) state.storage.sql.exec(statement);
			});
		}
		expect(ids((await search(w.customer.accountId, w.alice, "printer")).groups.requests)).toHaveLength(2);
		// The provider's Inbox keeps no shared notes (they came with messages): its rows are filled from what it holds.
		expect(ids((await search(w.provider.accountId, w.bob, "printer")).groups.requests)).toEqual([subject.id]);
		expect(ids((await search(w.provider.accountId, w.bob, "wombat")).groups.requests)).toEqual([subject.id]);
		expect(ids((await search(w.provider.accountId, w.provider, "email")).groups.teams).length).toBeGreaterThan(0);
	});
});

describe("who finds what", () => {
	it("an end user finds their own requests only; their account's specialists find all of them", async () => {
		const w = await makeWorld();
		const { subject, noted } = await printers(w);
		const forCarol = await register(w, w.sla, w.adam, { subject: "Printer for Carol", requestedForId: w.carol.id });
		expect(ids((await search(w.customer.accountId, w.alice, "printer")).groups.requests).sort()).toEqual([subject.id, noted.id].sort());
		expect(ids((await search(w.customer.accountId, w.carol, "printer")).groups.requests)).toEqual([forCarol.id]);
		expect(ids((await search(w.customer.accountId, w.adam, "printer")).groups.requests).sort()).toEqual([subject.id, noted.id, forCarol.id].sort());
		expect(ids((await search(w.customer.accountId, w.customer, "printer")).groups.requests)).toHaveLength(3);
	});

	it("a provider's specialist finds customers' requests assigned to their teams, with the shared notes that came with them; an overseer all; a specialist of no team none", async () => {
		const w = await makeWorld();
		const { subject, noted } = await printers(w);
		await act(w.customer.accountId, subject.id, w.alice, { type: "note", body: "Kerberos tickets expire too" });
		await settle(w.customer.accountId, w.provider.accountId);
		expect(ids((await search(w.provider.accountId, w.bob, "printer")).groups.requests).sort()).toEqual([subject.id, noted.id].sort());
		expect(ids((await search(w.provider.accountId, w.bob, "kerberos")).groups.requests)).toEqual([subject.id]);
		const hit = (await search(w.provider.accountId, w.bob, "printer")).groups.requests.find((h) => h.id === subject.id);
		expect(hit?.link).toBe(`/${w.provider.accountId}/requests/${subject.id}`);
		expect(ids((await search(w.provider.accountId, w.provider, "kerberos")).groups.requests)).toEqual([subject.id]);
		expect(ids((await search(w.provider.accountId, w.sam, "printer")).groups.requests)).toEqual([]);
		// And Bob's shared note reaches the customer's index through the owner.
		await act(w.provider.accountId, noted.id, w.bob, { type: "note", body: "Firmware updated" });
		await settle(w.customer.accountId, w.provider.accountId);
		expect(ids((await search(w.customer.accountId, w.alice, "firmware")).groups.requests)).toEqual([noted.id]);
		expect(ids((await search(w.provider.accountId, w.bob, "firmware")).groups.requests)).toEqual([noted.id]);
	});

	it("a request given to another team of the provider leaves the old team's search and joins the new one's", async () => {
		const w = await makeWorld();
		const { subject } = await printers(w);
		const other = await createTeam(w.provider, w.provider.accountId, { name: "Second line", memberIds: [w.sam.id] });
		await act(w.provider.accountId, subject.id, w.bob, { type: "assign", teamId: other.id });
		await settle(w.customer.accountId, w.provider.accountId);
		expect(ids((await search(w.provider.accountId, w.bob, "toner")).groups.requests)).toEqual([]);
		expect(ids((await search(w.provider.accountId, w.sam, "toner")).groups.requests)).toEqual([subject.id]);
	});

	it("internal notes match only for staff of the account that wrote them, and never show in anyone else's snippet", async () => {
		const w = await makeWorld();
		const { subject } = await printers(w);
		await act(w.customer.accountId, subject.id, w.adam, { type: "note", body: "Acme secret: printer budget frozen", internal: true });
		await act(w.provider.accountId, subject.id, w.bob, { type: "note", body: "Provider secret: escalate to vendor", internal: true });
		await settle(w.customer.accountId, w.provider.accountId);
		expect(ids((await search(w.customer.accountId, w.adam, "budget frozen")).groups.requests)).toEqual([subject.id]);
		expect(ids((await search(w.customer.accountId, w.alice, "budget")).groups.requests)).toEqual([]);
		expect(ids((await search(w.provider.accountId, w.bob, "budget")).groups.requests)).toEqual([]);
		expect(ids((await search(w.provider.accountId, w.bob, "escalate vendor")).groups.requests)).toEqual([subject.id]);
		expect(ids((await search(w.provider.accountId, w.sam, "escalate")).groups.requests)).toEqual([]);
		expect(ids((await search(w.customer.accountId, w.adam, "escalate")).groups.requests)).toEqual([]);
		expect(ids((await search(w.customer.accountId, w.alice, "escalate")).groups.requests)).toEqual([]);
		// Alice's word "printer" is in the internal note too: her excerpt comes from what she may read.
		const own = (await search(w.customer.accountId, w.alice, "printer")).groups.requests;
		for (const h of own) expect(`${h.title.text} ${h.snippet.text}`).not.toMatch(/secret|budget/i);
		const adams = (await search(w.customer.accountId, w.adam, "budget")).groups.requests[0];
		expect(adams && marked(adams.snippet)).toEqual(["budget"]);
	});

	it("across a trust that ended: the provider finds nothing of the customer any more", async () => {
		const w = await makeWorld();
		await printers(w);
		expect((await search(w.provider.accountId, w.bob, "printer")).groups.requests).toHaveLength(2);
		await slaAction(w.provider, w.sla.id, "expire");
		await settle(w.customer.accountId, w.provider.accountId);
		await actOnTrust(w.customer, w.provider.accountId, "deactivate");
		await settle(w.customer.accountId, w.provider.accountId);
		expect((await search(w.provider.accountId, w.bob, "printer")).groups.requests).toEqual([]);
		expect((await search(w.provider.accountId, w.provider, "printer")).groups.requests).toEqual([]);
		expect((await search(w.customer.accountId, w.alice, "printer")).groups.requests).toHaveLength(2);
	});

	it("kinds follow permissions: people, teams and services for staff and tokens with the scopes; requests for people only", async () => {
		const w = await makeWorld();
		await printers(w);
		const asAdmin = await search(w.customer.accountId, w.customer, "alice arch");
		expect(asAdmin.groups.people.map((p) => p.title.text)).toEqual(["Alice Archer"]);
		expect(asAdmin.groups.people[0] && marked(asAdmin.groups.people[0].title)).toEqual(["Alice", "Arch"]);
		expect(asAdmin.groups.people[0]?.id).toBe(w.alice.id);
		const asAlice = await search(w.customer.accountId, w.alice, "alice");
		expect(asAlice.groups.people).toEqual([]);
		expect(ids(asAlice.groups.requests)).toHaveLength(2); // she requested them
		const team = await createTeam(w.customer, w.customer.accountId, { name: "Printer wranglers" });
		expect((await search(w.customer.accountId, w.alice, "printer", "&kinds=teams")).groups.teams).toEqual([]);
		expect(ids((await search(w.customer.accountId, w.adam, "printer", "&kinds=teams")).groups.teams)).toEqual([team.id]);
		expect((await search(w.customer.accountId, w.adam, "printer", "&kinds=teams")).groups.requests).toEqual([]);
		const token = await createToken(w.customer, w.customer.accountId);
		const byToken = await search(w.customer.accountId, { token: token.secret }, "printer");
		expect(ids(byToken.groups.teams)).toEqual([team.id]);
		expect(byToken.groups.requests).toEqual([]);
		const narrow = await createToken(w.customer, w.customer.accountId, ["account:read"]);
		expect((await search(w.customer.accountId, { token: narrow.secret }, "printer")).groups.teams).toEqual([]);
	});
});

describe("bad input and isolation", () => {
	it("whatever is typed is words, never FTS syntax: no 500, quotes and operators are just characters", async () => {
		const w = await makeWorld();
		const { subject } = await printers(w);
		// Every word must occur, operators included: these find only what has all their words.
		for (const q of [`"printer`, `printer^`, `-printer`, `printer*"*`, `(printer)`, `printer:`]) {
			expect(ids((await search(w.customer.accountId, w.alice, q)).groups.requests), q).toContain(subject.id);
		}
		for (const q of [`printer AND OR (`, `NEAR(printer toner)`, `title:printer`, `{title}: printer`, `'; DROP TABLE requests; --`, `printer NOT toner`]) {
			expect(ids((await search(w.customer.accountId, w.alice, q)).groups.requests), q).toEqual([]);
		}
		for (const q of [`*`, `"""`, `()`, `   `, `-- :`]) {
			const err = await callError(`/accounts/${w.customer.accountId}/search?q=${encodeURIComponent(q)}`, 400, "invalid_input", { as: w.alice });
			expect(JSON.stringify(err.error)).toMatch(/search for/);
		}
		await callError(`/accounts/${w.customer.accountId}/search?q=printer&kinds=requests,tickets`, 400, "invalid_input", { as: w.alice });
		await callError(`/accounts/${w.customer.accountId}/search?q=printer&limit=0`, 400, "invalid_input", { as: w.alice });
		await callError(`/accounts/${w.customer.accountId}/search?q=${"a".repeat(201)}`, 400, "invalid_input", { as: w.alice });
		const many = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
		expect((await search(w.customer.accountId, w.alice, many)).groups.requests).toEqual([]);
	});

	it("another account's data never appears, and its search is 404 to strangers", async () => {
		const w = await makeWorld();
		await printers(w);
		const other = await seedAccount();
		await createTeam(other.admin, other.accountId, { name: "Printer people" });
		const word = unique("Zebra").toLowerCase().replace(/[^a-z0-9]/g, "");
		await register(w, w.sla, w.alice, { subject: `About ${word}` });
		for (const as of [other.admin, other.specialist, other.endUser, other.token]) {
			const res = await search(other.accountId, as, "printer");
			expect(res.groups.requests).toEqual([]);
			expect(res.groups.people).toEqual([]);
			expect((await search(other.accountId, as, word)).groups.requests).toEqual([]);
			await callError(`/accounts/${w.customer.accountId}/search?q=printer`, 404, "not_found", { as });
		}
		// The provider's own admin finds the customer's requests only through its Inbox, never Carol's people or teams.
		const provider = await search(w.provider.accountId, w.provider, "carol");
		expect(provider.groups.people).toEqual([]);
		const stranger = await addMember(other.admin, other.accountId, ["specialist"], "Printer Expert");
		expect((await search(w.customer.accountId, w.customer, "expert")).groups.people).toEqual([]);
		expect((await search(other.accountId, stranger, "printer")).groups.teams.map((t) => t.title.text)).toEqual(["Printer people"]);
	});
});

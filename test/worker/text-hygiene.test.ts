// Text hygiene at the edge: names, subjects and notes are stored NFC-normalized, and characters
// that hide or reorder text are refused with 400 and nothing written; only application/json
// bodies are read.
import { describe, expect, it } from "vitest";
import type { Team } from "../../worker/shared/api";
import { call, callError, callJson, createTeam, signUp, unique, callItems } from "./helpers";
import { act, countRows, makeWorld, register, requestsPath, view } from "./request-helpers";

const LONE = String.fromCharCode(0xd83d);

describe("text hygiene", () => {
	it("refuses control, bidi-override, zero-width characters and lone surrogates in names, and writes nothing", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}/teams`;
		for (const name of [`Night\u0000Shift`, `Night\u202EShift`, `Night\u200BShift`, `Night${LONE}Shift`, "\u2066Night Shift\u2069"]) {
			const { error } = await callError(path, 400, "invalid_input", { as: admin, body: { name } });
			expect(error.details).toEqual([{ path: "name", message: expect.stringMatching(/U\+[0-9A-F]{4}/) }]);
		}
		const description = "desc\u0000";
		await callError(path, 400, "invalid_input", { as: admin, body: { name: "Night Shift", description } });
		const teams = await callItems<Team>(path, { as: admin });
		expect(teams.filter((t) => t.name.startsWith("Night"))).toEqual([]);
	});

	it("stores names in NFC, so one name typed two ways is one name", async () => {
		const admin = await signUp();
		const decomposed = "Caf\u0065\u0301 Support";
		const team = await createTeam(admin, admin.accountId, { name: decomposed });
		expect(team.name).toBe("Caf\u00e9 Support");
		const renamed = await callJson<{ name: string }>(`/accounts/${admin.accountId}`, 200, { as: admin, method: "PATCH", body: { name: "  Zo\u0065\u0308 Corp  " } });
		expect(renamed.name).toBe("Zo\u00eb Corp");
	});

	it("refuses the same in request subjects and notes, in both accounts, and writes nothing", async () => {
		const w = await makeWorld();
		const create = requestsPath(w.customer.accountId);
		for (const subject of ["Invoice \u202Efdp.exe", "Mail\u0000box", `Mailbox${LONE}`, "Mail\u200Bbox", "Mailbox\nfull"]) {
			await callError(create, 400, "invalid_input", { as: w.alice, body: { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject } });
		}
		await callError(create, 400, "invalid_input", { as: w.alice, body: { providerAccountId: w.provider.accountId, slaId: w.sla.id, subject: "Mailbox", note: "hi\u0000" } });
		const r = await register(w, w.sla, w.alice, { subject: "Mailbox full" });
		for (const [accountId, as] of [[w.customer.accountId, w.alice], [w.provider.accountId, w.bob]] as const) {
			for (const body of [`see \u202Etxt.exe`, `nul\u0000`, `half ${LONE}`]) {
				await callError(`${requestsPath(accountId, r.id)}/actions`, 400, "invalid_input", { as, body: { type: "note", body } });
			}
		}
		expect(await countRows(w.customer.accountId, "request_notes", r.id)).toBe(0);
		// Line breaks, tabs and right-to-left text are what notes are for; CRLF is stored as LF.
		const body = "Line one\r\n\tשלום עולם\r\nLine three";
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body });
		expect((await view(w.customer.accountId, r.id, w.alice)).notes.map((n) => n.body)).toEqual(["Line one\n\tשלום עולם\nLine three"]);
	});

	it("reads only application/json bodies (with at most a UTF-8 charset)", async () => {
		const admin = await signUp();
		const path = `/accounts/${admin.accountId}/teams`;
		const name = unique("Team");
		for (const type of ["application/evil+json", "application/vnd.api+json", "application/json-patch+json", "text/json", "application/json; charset=latin1", "application/jsonx"]) {
			await callError(path, 415, "unsupported_media_type", { as: admin, raw: JSON.stringify({ name }), headers: { "Content-Type": type } });
		}
		expect((await callItems<Team>(path, { as: admin })).some((t) => t.name === name)).toBe(false);
		for (const type of ["application/json", "Application/JSON", "application/json; charset=utf-8", 'application/json;charset="UTF-8"']) {
			const res = await call(path, { as: admin, raw: JSON.stringify({ name: unique("Team") }), headers: { "Content-Type": type } });
			expect(res.status, type).toBe(201);
		}
	});
});

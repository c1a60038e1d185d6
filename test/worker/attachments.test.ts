// Attachments: limits (413, nothing stored), sniffed types, sanitized names, access per role and
// note visibility, across a trust and after it ends, live notes carrying their files, and the
// alarm's cleanup of uploads no note took.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ATTACHMENT_PENDING_MS } from "../../worker/account/attachments";
import { contentDisposition, sanitizeFileName, sniffType } from "../../worker/lib/files";
import type { UploadedAttachment } from "../../worker/shared/attachment-api";
import { call, type Caller, callError, createToken, signUp } from "./helpers";
import { act, makeWorld, openSocket, quiet, register, requestsPath, view, withClock, type World } from "./request-helpers";
import { actOnTrust, inObject, settle, slaAction, stubOf } from "./service-helpers";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const bytes = (s: string) => new TextEncoder().encode(s);

const filesPath = (accountId: string, requestId: string) => `${requestsPath(accountId, requestId)}/attachments`;

async function upload(accountId: string, requestId: string, as: Caller, body: Uint8Array, name = "file.bin", type = "application/octet-stream"): Promise<Response> {
	return call(`${filesPath(accountId, requestId)}?name=${encodeURIComponent(name)}`, { method: "POST", raw: body, as, headers: { "Content-Type": type, "Content-Length": String(body.byteLength) } });
}

async function uploaded(accountId: string, requestId: string, as: Caller, body: Uint8Array, name?: string, type?: string): Promise<UploadedAttachment> {
	const res = await upload(accountId, requestId, as, body, name, type);
	const text = await res.text();
	expect(res.status, text).toBe(201);
	return JSON.parse(text) as UploadedAttachment;
}

const download = (accountId: string, requestId: string, id: string, as: Caller, inline = false) =>
	call(`${filesPath(accountId, requestId)}/${id}${inline ? "?inline=1" : ""}`, { as });

async function objectKeys(prefix: string): Promise<string[]> {
	return (await env.ATTACHMENTS.list({ prefix })).objects.map((o) => o.key);
}

const attachmentRows = (accountId: string, requestId: string) =>
	inObject(accountId, (_i, state) => state.storage.sql.exec<{ id: string; status: string; note_id: string | null }>("SELECT id, status, note_id FROM attachments WHERE request_id = ?", requestId).toArray());

async function worldWithRequest(): Promise<World & { requestId: string; P: string; A: string }> {
	const w = await makeWorld();
	const r = await register(w, w.sla, w.alice);
	return { ...w, requestId: r.id, P: w.provider.accountId, A: w.customer.accountId };
}

describe("uploads", () => {
	it("over the file limit answer 413 before a byte is stored; without Content-Length 411; empty 400", async () => {
		const w = await worldWithRequest();
		const limit = Number(env.ATTACHMENT_MAX_FILE_BYTES);
		// The declared length decides: the body is never read.
		const res = await call(`${filesPath(w.A, w.requestId)}?name=big.bin`, { method: "POST", raw: bytes("x"), as: w.alice, headers: { "Content-Type": "application/octet-stream", "Content-Length": String(limit + 1) } });
		expect(res.status).toBe(413);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("attachment_too_large");
		const chunked = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(bytes("abc"));
				c.close();
			},
		});
		const noLength = await call(`${filesPath(w.A, w.requestId)}?name=x.txt`, { method: "POST", raw: chunked, as: w.alice, headers: { "Content-Type": "text/plain" } });
		expect(noLength.status).toBe(411);
		await callError(`${filesPath(w.A, w.requestId)}?name=e.txt`, 400, "invalid_input", { method: "POST", raw: new Uint8Array(0), as: w.alice, headers: { "Content-Type": "text/plain", "Content-Length": "0" } });
		expect(await attachmentRows(w.A, w.requestId)).toEqual([]);
		expect(await objectKeys(`${w.A}/${w.requestId}/`)).toEqual([]);
	});

	it("over the request's total answer 413 with nothing stored", async () => {
		const w = await worldWithRequest();
		const limit = Number(env.ATTACHMENT_MAX_REQUEST_BYTES);
		// Reserve most of the request's room with a row, as a large upload would.
		await inObject(w.A, (_i, state) => {
			state.storage.sql.exec(
				"INSERT INTO attachments (id, request_id, note_id, name, size, type, uploaded_by, uploader_account_id, internal_account, status, created_at) VALUES ('att_bigonebigone', ?, NULL, 'big', ?, 'application/zip', ?, ?, NULL, 'pending', ?)",
				w.requestId,
				limit - 10,
				w.alice.id,
				w.A,
				Date.now(),
			);
		});
		const res = await upload(w.A, w.requestId, w.alice, bytes("eleven byte"));
		expect(res.status).toBe(413);
		expect((await attachmentRows(w.A, w.requestId)).map((r) => r.id)).toEqual(["att_bigonebigone"]);
		expect(await objectKeys(`${w.A}/${w.requestId}/`)).toEqual([]);
		await uploaded(w.A, w.requestId, w.alice, bytes("ten bytes!"));
	});

	it("sniff the type from the bytes and ignore what the uploader says; names are sanitized", async () => {
		const w = await worldWithRequest();
		const png = await uploaded(w.A, w.requestId, w.alice, PNG, "../../etc/shot.png", "text/html");
		expect(png).toMatchObject({ type: "image/png", name: "shot.png", size: PNG.byteLength, status: "pending" });
		const html = await uploaded(w.A, w.requestId, w.alice, bytes("<html><script>alert(1)</script></html>"), "page.png", "image/png");
		expect(html.type).toBe("text/plain");
		const svg = await uploaded(w.A, w.requestId, w.alice, bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "logo.svg", "image/svg+xml");
		expect(svg.type).toBe("text/plain");
		const bin = await uploaded(w.A, w.requestId, w.alice, new Uint8Array([0, 1, 2, 0xff, 0xfe]), "C:\\Users\\x\\evil\u202Egpj.exe");
		expect(bin).toMatchObject({ type: "application/octet-stream", name: "evilgpj.exe" });
		expect(await objectKeys(`${w.A}/${w.requestId}/`)).toHaveLength(4);
	});

	it("are the business of those who may add notes: others get 404, tokens without a person 403", async () => {
		const w = await worldWithRequest();
		await callError(filesPath(w.A, w.requestId), 400, "invalid_input", { method: "POST", raw: PNG, as: w.alice, headers: { "Content-Type": "image/png" } });
		for (const [account, who] of [
			[w.A, w.carol],
			[w.P, w.sam],
		] as const) {
			const res = await upload(account, w.requestId, who, PNG, "x.png");
			expect(res.status).toBe(404);
		}
		const outsider = await signUp();
		expect((await upload(outsider.accountId, w.requestId, outsider, PNG)).status).toBe(404);
		expect((await upload(w.A, w.requestId, outsider, PNG)).status).toBe(404);
		const token = await createToken(w.customer, w.A); // every scope a token can have: requests are people's
		expect((await upload(w.A, w.requestId, { token: token.secret }, PNG)).status).toBe(403);
		expect(await attachmentRows(w.A, w.requestId)).toEqual([]);
	});
});

describe("notes with files", () => {
	it("carry them to both sides, live; downloads are attachments with nosniff, images inline only when asked", async () => {
		const w = await worldWithRequest();
		const aliceSocket = await openSocket(w.A, w.alice);
		const shot = await uploaded(w.P, w.requestId, w.bob, PNG, "screen shot.png");
		const page = await uploaded(w.P, w.requestId, w.bob, bytes("<html>hi</html>"), "page.html");
		// A pending upload is its uploader's alone.
		expect((await download(w.A, w.requestId, shot.id, w.alice)).status).toBe(404);
		await act(w.P, w.requestId, w.bob, { type: "note", body: "See the screenshot", attachmentIds: [shot.id, page.id] });
		await settle(w.P, w.A);
		const frame = await aliceSocket.next((f) => f.type === "event" && f.note?.body === "See the screenshot", "Bob's note on Alice's socket");
		const refs = frame.type === "event" ? frame.note?.attachments : undefined;
		expect(refs?.map((a) => [a.name, a.type, a.size])).toEqual([
			["screen shot.png", "image/png", PNG.byteLength],
			["page.html", "text/plain", 15],
		]);
		expect(refs?.[0]?.url).toBe(`requests/${w.requestId}/attachments/${shot.id}`);
		await aliceSocket.close();

		for (const [account, who] of [
			[w.A, w.alice],
			[w.A, w.adam],
			[w.P, w.bob],
		] as const) {
			const seen = await view(account, w.requestId, who);
			expect(seen.notes.find((n) => n.body === "See the screenshot")?.attachments?.map((a) => a.id)).toEqual([shot.id, page.id]);
		}

		const res = await download(w.A, w.requestId, shot.id, w.alice);
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Disposition")).toBe(contentDisposition("attachment", "screen shot.png"));
		expect(res.headers.get("Content-Disposition")).toContain("filename*=UTF-8''screen%20shot.png");
		expect(res.headers.get("Content-Type")).toBe("image/png");
		expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
		const preview = await download(w.A, w.requestId, shot.id, w.alice, true);
		expect(preview.headers.get("Content-Disposition")).toMatch(/^inline;/);
		expect(preview.headers.get("Content-Security-Policy")).toContain("sandbox");
		await preview.arrayBuffer();
		// HTML is never a page: octet-stream, attachment, even when asked inline.
		const html = await download(w.A, w.requestId, page.id, w.alice, true);
		expect(html.headers.get("Content-Type")).toBe("application/octet-stream");
		expect(html.headers.get("Content-Disposition")).toMatch(/^attachment;/);
		await html.arrayBuffer();
		// Carol, of the same account, is not on the request.
		expect((await download(w.A, w.requestId, shot.id, w.carol)).status).toBe(404);
		expect((await download(w.P, w.requestId, shot.id, w.sam)).status).toBe(404);
		expect((await attachmentRows(w.A, w.requestId)).map((r) => r.status)).toEqual(["attached", "attached"]);
	});

	it("take only the poster's own finished uploads on the same request, each once", async () => {
		const w = await worldWithRequest();
		const other = await register(w, w.sla, w.alice, { subject: "Another" });
		const bobs = await uploaded(w.P, w.requestId, w.bob, PNG);
		const elsewhere = await uploaded(w.A, other.id, w.alice, PNG);
		const path = `${requestsPath(w.A, w.requestId)}/actions`;
		await callError(path, 400, "invalid_input", { as: w.alice, body: { type: "note", body: "mine?", attachmentIds: [bobs.id] } });
		await callError(path, 400, "invalid_input", { as: w.alice, body: { type: "note", body: "mine?", attachmentIds: [elsewhere.id] } });
		await callError(path, 400, "invalid_input", { as: w.alice, body: { type: "note", body: "mine?", attachmentIds: ["att_doesnotexist0"] } });
		expect((await view(w.A, w.requestId, w.alice)).notes).toEqual([]);
		await act(w.P, w.requestId, w.bob, { type: "note", body: "first", attachmentIds: [bobs.id] });
		await callError(`${requestsPath(w.P, w.requestId)}/actions`, 400, "invalid_input", { as: w.bob, body: { type: "note", body: "again", attachmentIds: [bobs.id] } });
	});

	it("of an internal note are only for that account's staff", async () => {
		const w = await worldWithRequest();
		const secret = await uploaded(w.A, w.requestId, w.adam, bytes("internal log line\n"), "log.txt");
		await act(w.A, w.requestId, w.adam, { type: "note", body: "internal", internal: true, attachmentIds: [secret.id] });
		await settle(w.A, w.P);
		const adamRes = await download(w.A, w.requestId, secret.id, w.adam);
		expect(adamRes.status).toBe(200);
		expect(adamRes.headers.get("Content-Type")).toBe("application/octet-stream");
		expect(await adamRes.text()).toBe("internal log line\n");
		expect((await download(w.A, w.requestId, secret.id, w.alice)).status).toBe(404);
		expect((await download(w.P, w.requestId, secret.id, w.bob)).status).toBe(404);
		expect((await view(w.A, w.requestId, w.alice)).notes).toEqual([]);
	});

	it("of the provider's internal note (kept in the provider's account, the files with the request) are only for the provider's staff", async () => {
		const w = await worldWithRequest();
		const bobSocket = await openSocket(w.P, w.bob);
		const bobs = await uploaded(w.P, w.requestId, w.bob, bytes("provider-side trace\n"), "trace.txt");
		await act(w.P, w.requestId, w.bob, { type: "note", body: "ours", internal: true, attachmentIds: [bobs.id] });
		await settle(w.P, w.A);
		const frame = await bobSocket.next((f) => f.type === "event" && f.note?.body === "ours", "Bob's internal note on his socket");
		expect(frame.type === "event" ? frame.note?.attachments?.map((a) => a.id) : undefined).toEqual([bobs.id]);
		await bobSocket.close();
		const seen = await view(w.P, w.requestId, w.bob);
		expect(seen.notes.find((n) => n.body === "ours")).toMatchObject({ visibility: "internal", attachments: [{ id: bobs.id, name: "trace.txt", type: "text/plain" }] });
		const res = await download(w.P, w.requestId, bobs.id, w.bob);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe("provider-side trace\n");
		for (const who of [w.alice, w.adam, w.customer]) expect((await download(w.A, w.requestId, bobs.id, who)).status).toBe(404);
		expect((await view(w.A, w.requestId, w.adam)).notes).toEqual([]);
		// Attached once: a second note cannot take it.
		await callError(`${requestsPath(w.P, w.requestId)}/actions`, 400, "invalid_input", { as: w.bob, body: { type: "note", body: "again", attachmentIds: [bobs.id] } });
	});

	it("are out of the provider's reach once the trust ends", async () => {
		const w = await worldWithRequest();
		const shot = await uploaded(w.A, w.requestId, w.alice, PNG, "shot.png");
		await act(w.A, w.requestId, w.alice, { type: "note", body: "look", attachmentIds: [shot.id] });
		await settle(w.A, w.P);
		const before = await download(w.P, w.requestId, shot.id, w.bob);
		expect(before.status).toBe(200);
		await before.arrayBuffer();
		// Completed, the request keeps Bob's team after the trust ends (only open ones come back):
		// only the trust stands between Bob and the file then.
		await act(w.P, w.requestId, w.bob, { type: "set_status", status: "completed", completionReason: "solved" });
		await settle(w.P, w.A);
		await slaAction(w.provider, w.sla.id, "expire");
		await settle(w.P, w.A);
		await actOnTrust(w.provider, w.A, "deactivate");
		await settle(w.P, w.A);
		expect((await download(w.P, w.requestId, shot.id, w.bob)).status).toBe(404);
		// Even straight at the owner's object, the ended trust refuses.
		const asBob = { personId: w.bob.id, name: "Bob Baker", accountId: w.P, staff: true, teamIds: [w.model.team.id] };
		const direct = await stubOf(w.A).attachmentAs(w.P, asBob, w.requestId, { op: "open", id: shot.id });
		expect(direct.ok).toBe(false);
		const alice = await download(w.A, w.requestId, shot.id, w.alice);
		expect(alice.status).toBe(200);
		await alice.arrayBuffer();
	});

	it("cannot be read through another account's id or another request's path", async () => {
		const w = await worldWithRequest();
		const other = await register(w, w.sla, w.alice, { subject: "Another" });
		const shot = await uploaded(w.A, w.requestId, w.alice, PNG);
		await act(w.A, w.requestId, w.alice, { type: "note", body: "look", attachmentIds: [shot.id] });
		expect((await download(w.A, other.id, shot.id, w.alice)).status).toBe(404);
		const outsider = await signUp();
		expect((await download(outsider.accountId, w.requestId, shot.id, outsider)).status).toBe(404);
		expect((await download(w.A, w.requestId, shot.id, outsider)).status).toBe(404);
	});
});

describe("orphaned uploads", () => {
	it("are deleted, object and row, by the alarm once no note took them in time; attached ones stay", async () => {
		const w = await worldWithRequest();
		const orphan = await uploaded(w.A, w.requestId, w.alice, PNG, "orphan.png");
		const kept = await uploaded(w.A, w.requestId, w.alice, PNG, "kept.png");
		await act(w.A, w.requestId, w.alice, { type: "note", body: "with one", attachmentIds: [kept.id] });
		// The alarm is set no later than the orphan's deadline. (While an alarm that was due at once,
		// a message's delivery, is running, getAlarm answers null: ask again.)
		let alarmAt: number | null = null;
		for (let i = 0; i < 50 && alarmAt === null; i++) {
			alarmAt = await inObject(w.A, (_i, state) => state.storage.getAlarm());
			if (alarmAt === null) await quiet(50);
		}
		expect(alarmAt).not.toBeNull();
		expect(alarmAt ?? Infinity).toBeLessThanOrEqual(Date.parse(orphan.createdAt) + ATTACHMENT_PENDING_MS);
		// The alarm handler itself, at two moments of the account's clock (runDurableObjectAlarm
		// would need the alarm the handler just moved to still be set when it looks).
		const runAlarm = () => inObject(w.A, (instance) => instance.alarm());
		await withClock(w.A, ATTACHMENT_PENDING_MS - 60_000, async () => {
			await runAlarm();
			expect((await attachmentRows(w.A, w.requestId)).map((r) => r.id).sort()).toEqual([orphan.id, kept.id].sort());
		});
		await withClock(w.A, ATTACHMENT_PENDING_MS + 60_000, async () => {
			// Too late to attach it now.
			await callError(`${requestsPath(w.A, w.requestId)}/actions`, 400, "invalid_input", { as: w.alice, body: { type: "note", body: "late", attachmentIds: [orphan.id] } });
			await runAlarm();
		});
		expect((await attachmentRows(w.A, w.requestId)).map((r) => r.id)).toEqual([kept.id]);
		expect(await objectKeys(`${w.A}/${w.requestId}/`)).toEqual([`${w.A}/${w.requestId}/${kept.id}`]);
	});
});

describe("file helpers", () => {
	it("sniff known signatures, text and binary", () => {
		expect(sniffType(PNG)).toBe("image/png");
		expect(sniffType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
		expect(sniffType(bytes("GIF89a...."))).toBe("image/gif");
		expect(sniffType(bytes("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
		expect(sniffType(bytes("%PDF-1.7"))).toBe("application/pdf");
		expect(sniffType(new Uint8Array([0x50, 0x4b, 3, 4, 0]))).toBe("application/zip");
		expect(sniffType(bytes("héllo wörld\n\ttab"))).toBe("text/plain");
		expect(sniffType(new Uint8Array([0x68, 0x00, 0x69]))).toBe("application/octet-stream");
		expect(sniffType(new Uint8Array([0xc3]))).toBe("text/plain"); // a character cut by the head is still text
	});

	it("sanitize names: no path, control or bidi characters, bounded length, never empty", () => {
		expect(sanitizeFileName("/etc/passwd")).toBe("passwd");
		expect(sanitizeFileName("..\\..\\boot.ini")).toBe("boot.ini");
		expect(sanitizeFileName("a\u0000b\u0007c.txt")).toBe("abc.txt");
		expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
		expect(sanitizeFileName("\u2066x\u2069.png")).toBe("x.png");
		expect(sanitizeFileName("...")).toBe("file");
		expect(sanitizeFileName("")).toBe("file");
		const long = sanitizeFileName(`${"ä".repeat(300)}.jpeg`);
		expect([...long]).toHaveLength(120);
		expect(long.endsWith(".jpeg")).toBe(true);
		expect(contentDisposition("attachment", 'naïve "q".txt')).toBe(`attachment; filename="na_ve _q_.txt"; filename*=UTF-8''na%C3%AFve%20%22q%22.txt`);
	});
});

// Attachments of one account's requests: the metadata rows that every upload and download is
// checked against (the bytes are in R2, handled by the Worker: worker/routes/attachments.ts).
// An upload is pending until the note that names it is posted; then it shares that note's
// visibility. Pending uploads nobody attached are removed by the alarm after ATTACHMENT_PENDING_MS.
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { newId } from "../identity/crypto";
import { fail, ok, type Result } from "../lib/result";
import { attachmentPath, type AttachmentRef } from "../shared/attachment-api";
import type { AccountDb } from "./db";
import { requestAccess, type RequestActor } from "./requests";
import { attachments } from "./schema";

/** How long an upload may wait for its note: a day covers a long-drafted note, and no longer. */
export const ATTACHMENT_PENDING_MS = 24 * 60 * 60 * 1000;
/** At most this many files on one note (the note command's limit too). */
export const MAX_FILES_PER_NOTE = 10;

type Row = typeof attachments.$inferSelect;

/** One file as the Worker needs it to store or serve the bytes. Plain data: it crosses RPC. */
export interface StoredFile {
	id: string;
	requestId: string;
	key: string;
	name: string;
	size: number;
	/** Null until the bytes are stored and sniffed. */
	type: string | null;
	status: "pending" | "attached";
	createdAt: string;
}

export type AttachmentOp =
	/** Reserve a pending row before the bytes are read; the request's total is checked here. */
	| { op: "begin"; name: string; size: number; maxRequestBytes: number }
	/** The bytes are stored (`type` sniffed) or failed (`type` null: the row goes). */
	| { op: "finish"; id: string; type: string | null }
	/** Read access for a download. */
	| { op: "open"; id: string };

export const objectKey = (self: string, requestId: string, id: string) => `${self}/${requestId}/${id}`;

function stored(self: string, r: Row): StoredFile {
	return { id: r.id, requestId: r.requestId, key: objectKey(self, r.requestId, r.id), name: r.name, size: r.size, type: r.type, status: r.status, createdAt: r.createdAt.toISOString() };
}

/** One step of an upload or a download by `actor`, checked against the request's rules. */
export function attachmentStep(db: AccountDb, self: string, requestId: string, actor: RequestActor, op: AttachmentOp, now: number): Result<StoredFile> {
	const access = requestAccess(db, self, requestId, actor);
	if (!access.ok) return access;
	if (op.op === "begin") {
		if (!access.value.allowed.includes("note") && !access.value.allowed.includes("internal_note")) {
			return fail("forbidden", "You may not add notes, or files, to this request now.");
		}
		const used = db.select({ n: sql<number>`coalesce(sum(${attachments.size}), 0)` }).from(attachments).where(eq(attachments.requestId, requestId)).get()?.n ?? 0;
		if (used + op.size > op.maxRequestBytes) {
			return fail("attachment_too_large", `The files of one request may hold at most ${op.maxRequestBytes} bytes together; ${used} are used.`);
		}
		const id = newId("att");
		db.insert(attachments)
			.values({ id, requestId, noteId: null, name: op.name, size: op.size, type: null, uploadedBy: actor.personId, uploaderAccountId: actor.accountId, internalAccount: null, status: "pending", createdAt: new Date(now) })
			.run();
		return ok(stored(self, getRow(db, id) as Row));
	}
	const r = getRow(db, op.id);
	if (!r || r.requestId !== requestId) return fail("not_found", "No such attachment.");
	const uploader = r.uploadedBy === actor.personId && r.uploaderAccountId === actor.accountId;
	if (op.op === "finish") {
		if (!uploader || r.status !== "pending" || r.type !== null) return fail("not_found", "No such attachment.");
		if (op.type === null) db.delete(attachments).where(eq(attachments.id, r.id)).run();
		else db.update(attachments).set({ type: op.type }).where(eq(attachments.id, r.id)).run();
		return ok(stored(self, { ...r, type: op.type }));
	}
	// A pending upload is its uploader's alone (a preview before posting); an internal note's file
	// only its account's staff's, like the note.
	const readable = r.type !== null && (r.status === "pending" ? uploader : r.internalAccount === null || (actor.accountId === r.internalAccount && actor.staff));
	return readable ? ok(stored(self, r)) : fail("not_found", "No such attachment.");
}

/**
 * The uploads a new note names, checked before the note is written: the poster's own, stored,
 * still pending (and not about to be cleaned up), on this request.
 */
export function checkAttachable(db: AccountDb, requestId: string, ids: string[], actor: RequestActor, now: number): Result<Row[]> {
	if (ids.length === 0) return ok([]);
	const unique = [...new Set(ids)];
	if (unique.length > MAX_FILES_PER_NOTE) return fail("invalid_input", `A note can carry at most ${MAX_FILES_PER_NOTE} files.`);
	const rows = db.select().from(attachments).where(inArray(attachments.id, unique)).all();
	const usable = rows.filter((r) => r.requestId === requestId && r.status === "pending" && r.type !== null && r.uploadedBy === actor.personId && r.uploaderAccountId === actor.accountId && r.createdAt.getTime() > now - ATTACHMENT_PENDING_MS);
	if (usable.length !== unique.length) {
		return fail("invalid_input", "Some files are not your finished uploads on this request.", [{ path: "attachmentIds", message: "Upload each file to this request first; a file goes on one note only." }]);
	}
	return ok(unique.map((id) => usable.find((r) => r.id === id) as Row));
}

/** Inside the note's transaction: the files belong to the note now, with its visibility. */
export function attachToNote(db: AccountDb, self: string, rows: Row[], noteId: string, internalAccount: string | null): AttachmentRef[] {
	if (rows.length === 0) return [];
	db.update(attachments)
		.set({ noteId, status: "attached", internalAccount })
		.where(inArray(attachments.id, rows.map((r) => r.id)))
		.run();
	return rows.map((r) => refOf(self, { ...r, noteId }));
}

function refOf(_self: string, r: Row): AttachmentRef {
	return { id: r.id, name: r.name, size: r.size, type: r.type ?? "application/octet-stream", url: attachmentPath(r.requestId, r.id) };
}

/** The attached files of a request's notes, by note id, oldest first. */
export function filesByNote(db: AccountDb, self: string, requestId: string): Map<string, AttachmentRef[]> {
	const rows = db
		.select()
		.from(attachments)
		.where(and(eq(attachments.requestId, requestId), eq(attachments.status, "attached")))
		.orderBy(asc(attachments.createdAt))
		.all();
	const byNote = new Map<string, AttachmentRef[]>();
	for (const r of rows) {
		if (!r.noteId) continue;
		byNote.set(r.noteId, [...(byNote.get(r.noteId) ?? []), refOf(self, r)]);
	}
	return byNote;
}

/**
 * Owner side: files of `account`'s internal notes on one of this account's requests (those notes
 * are kept in `account`; their files here, with the request), by note id.
 */
export function filesOfInternalNotes(db: AccountDb, self: string, requestId: string, account: string): Record<string, AttachmentRef[]> {
	const rows = db
		.select()
		.from(attachments)
		.where(and(eq(attachments.requestId, requestId), eq(attachments.status, "attached"), eq(attachments.internalAccount, account)))
		.orderBy(asc(attachments.createdAt))
		.all();
	const out: Record<string, AttachmentRef[]> = {};
	for (const r of rows) if (r.noteId) out[r.noteId] = [...(out[r.noteId] ?? []), refOf(self, r)];
	return out;
}

/** Pending uploads older than ATTACHMENT_PENDING_MS: their R2 keys, to delete before `forgetFiles`. */
export function expiredUploads(db: AccountDb, self: string, now: number, limit = 500): StoredFile[] {
	return db
		.select()
		.from(attachments)
		.where(and(eq(attachments.status, "pending"), lte(attachments.createdAt, new Date(now - ATTACHMENT_PENDING_MS))))
		.limit(limit)
		.all()
		.map((r) => stored(self, r));
}

/** After their objects are deleted: the rows go (only while still pending: a note may have taken one since). */
export function forgetFiles(db: AccountDb, ids: string[]): void {
	if (ids.length === 0) return;
	db.delete(attachments).where(and(inArray(attachments.id, ids), eq(attachments.status, "pending"))).run();
}

/** When the oldest upload no note took arrived (epoch ms), null when none waits. A scalar query, for the scheduler's one read of every due date; `uploadsExpireAt` makes it the alarm's date. */
export const OLDEST_PENDING_UPLOAD_SQL = "SELECT min(created_at) FROM attachments WHERE status = 'pending'";

/** When the alarm should next look for orphaned uploads, or null when none is pending. */
export function uploadsExpireAt(oldestPending: number | null): number | null {
	return oldestPending === null ? null : oldestPending + ATTACHMENT_PENDING_MS;
}

const getRow = (db: AccountDb, id: string) => db.select().from(attachments).where(eq(attachments.id, id)).get();

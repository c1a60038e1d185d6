// Attachments: one raw-body upload per file, streamed by the Worker straight into R2, and the
// download streamed back out. Why a raw body and not multipart or presigned URLs: the Worker
// streams a body of known length into R2 without buffering it (a multipart form must be parsed,
// which buffers it), and presigned URLs need S3 credentials in the Worker and a second request
// the Worker cannot check. The AccountObject that owns the request checks every step
// (worker/account/attachments.ts); this file only moves bytes.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { PersonActor } from "../account/context";
import type { StoredFile } from "../account/attachments";
import type { AppEnv } from "../env";
import { accountScope, requireSession } from "../http/auth";
import { accountStub } from "../http/account-object";
import { AppError, unwrap } from "../http/errors";
import { AccountParams, errors, json, router } from "../http/openapi";
import { ATTACHMENT_CSP } from "../http/security-headers";
import { personActorOf } from "../identity/person-actor";
import { contentDisposition, sanitizeFileName, SNIFF_BYTES, sniffType } from "../lib/files";
import { isPreviewType } from "../shared/attachment-types";
import { ErrorBody } from "../shared/api";
import { AttachmentId, attachmentPath, DownloadQuery, UploadedAttachment, UploadQuery } from "../shared/attachment-api";
import { RequestId } from "../shared/request-api";

const DEFAULT_LIMIT = 25 * 1024 * 1024;

/** The configured limits in bytes (vars ATTACHMENT_MAX_FILE_BYTES, ATTACHMENT_MAX_REQUEST_BYTES). */
export function attachmentLimits(env: Env): { file: number; request: number } {
	const read = (v: string | undefined) => {
		const n = Number(v);
		return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_LIMIT;
	};
	return { file: read(env.ATTACHMENT_MAX_FILE_BYTES), request: read(env.ATTACHMENT_MAX_REQUEST_BYTES) };
}

/** The upload route's path: its body is a file, not JSON, and has its own limit (app.ts lets it through). */
export const isUpload = (method: string, path: string) => method === "POST" && /^\/api\/v1\/accounts\/[^/]+\/requests\/[^/]+\/attachments\/?$/.test(path);

const RequestParams = AccountParams.extend({ requestId: RequestId });
const FileParams = RequestParams.extend({ attachmentId: AttachmentId });

const personActor = (c: Context<AppEnv>): PersonActor => personActorOf(requireSession(c).person, c.get("account").roles);

const uploadFile = createRoute({
	method: "post",
	path: "/accounts/{accountId}/requests/{requestId}/attachments",
	tags: ["Attachments"],
	summary: "Upload one file to a request (pending until a note carries it)",
	description:
		"The body is the file itself (any Content-Type; the type is sniffed from its first bytes) with a Content-Length: 411 without one, 413 attachment_too_large over the file limit or the request's total (ATTACHMENT_MAX_FILE_BYTES, ATTACHMENT_MAX_REQUEST_BYTES; 25 MB each by default), nothing stored. " +
		"Then post a note with `attachmentIds`; uploads no note carries within 24 hours are deleted. Anyone who may add notes to the request may upload.",
	middleware: accountScope("requests:read"),
	request: {
		params: RequestParams,
		query: UploadQuery,
		body: { required: true, content: { "application/octet-stream": { schema: z.string().meta({ format: "binary" }) } } },
	},
	responses: {
		201: json(UploadedAttachment, "The stored file, pending."),
		...errors(400, 401, 403, 404),
		411: json(ErrorBody, "length_required: no Content-Length."),
		413: json(ErrorBody, "attachment_too_large: over the file or the request limit; nothing stored."),
	},
});

const downloadFile = createRoute({
	method: "get",
	path: "/accounts/{accountId}/requests/{requestId}/attachments/{attachmentId}",
	tags: ["Attachments"],
	summary: "Download a file of a request's note",
	description:
		"Checked like the note it belongs to: an internal note's files only for its account's staff; across a trust only while the trust lasts. " +
		"Always `Content-Disposition: attachment` and `application/octet-stream`, except png, jpeg, gif and webp images asked for with ?inline=1: those come inline with their type, for previews. Never rendered as a page (nosniff, a sandboxing CSP).",
	middleware: accountScope("requests:read"),
	request: { params: FileParams, query: DownloadQuery },
	responses: {
		200: { description: "The file's bytes.", content: { "application/octet-stream": { schema: z.string().meta({ format: "binary" }) } } },
		...errors(400, 401, 403, 404),
	},
});

function view(f: StoredFile) {
	return { id: f.id, name: f.name, size: f.size, type: f.type ?? "application/octet-stream", url: attachmentPath(f.requestId, f.id), status: f.status, createdAt: f.createdAt };
}

/**
 * Streams `body` into R2 under `key`, exactly `size` bytes (FixedLengthStream gives R2 the
 * length it needs, and errors if the body is longer or shorter), keeping the first bytes for
 * the sniffer.
 */
async function store(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, size: number): Promise<Uint8Array> {
	const head = new Uint8Array(Math.min(SNIFF_BYTES, size));
	let seen = 0;
	const tap = new TransformStream<Uint8Array, Uint8Array>({
		transform(chunk, controller) {
			if (seen < head.length) head.set(chunk.subarray(0, head.length - seen), seen);
			seen += chunk.byteLength;
			if (seen > size) throw new Error("The body is longer than its Content-Length.");
			controller.enqueue(chunk);
		},
	});
	const fixed = new FixedLengthStream(size);
	const piping = body.pipeThrough(tap).pipeTo(fixed.writable);
	await Promise.all([bucket.put(key, fixed.readable), piping]);
	return head;
}

export const attachmentRoutes = router()
	.openapi(uploadFile, async (c) => {
		const limits = attachmentLimits(c.env);
		const declared = c.req.header("Content-Length");
		if (declared === undefined || !/^\d+$/.test(declared)) throw new AppError("length_required", "Send the file with a Content-Length.");
		const size = Number(declared);
		// Checked before a byte is read: nothing of an oversized file is stored.
		if (size > limits.file) throw new AppError("attachment_too_large", `A file may hold at most ${limits.file} bytes.`);
		const body = c.req.raw.body;
		if (size === 0 || !body) throw new AppError("invalid_input", "The file is empty.");
		const { requestId } = c.req.valid("param");
		const name = sanitizeFileName(c.req.valid("query").name);
		const stub = accountStub(c.env, c.get("account").id);
		const person = personActor(c);
		const file = unwrap(await stub.attachment(person, requestId, { op: "begin", name, size, maxRequestBytes: limits.request }));
		let head: Uint8Array;
		try {
			head = await store(c.env.ATTACHMENTS, file.key, body, size);
		} catch {
			// A broken or lying upload leaves nothing behind: no object, no row.
			await c.env.ATTACHMENTS.delete(file.key);
			await stub.attachment(person, requestId, { op: "finish", id: file.id, type: null });
			throw new AppError("invalid_input", "The upload broke off, or its body did not match its Content-Length; nothing was stored.");
		}
		const done = unwrap(await stub.attachment(person, requestId, { op: "finish", id: file.id, type: sniffType(head) }));
		return c.json(view(done), 201);
	})
	.openapi(downloadFile, async (c) => {
		const { requestId, attachmentId } = c.req.valid("param");
		const file = unwrap(await accountStub(c.env, c.get("account").id).attachment(personActor(c), requestId, { op: "open", id: attachmentId }));
		const object = await c.env.ATTACHMENTS.get(file.key);
		if (!object) throw new AppError("not_found", "No such attachment.");
		const type = file.type ?? "application/octet-stream";
		const inline = c.req.valid("query").inline === "1" && isPreviewType(type);
		return new Response(object.body, {
			status: 200,
			headers: {
				"Content-Type": isPreviewType(type) ? type : "application/octet-stream",
				"Content-Length": String(object.size),
				"Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.name),
				"Content-Security-Policy": ATTACHMENT_CSP,
				"X-Content-Type-Options": "nosniff",
				"Cache-Control": "private, no-store",
			},
		});
	});

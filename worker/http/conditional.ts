// Conditional requests (RFC 9110 §13): an `ETag` on every JSON answer to a GET and to an update,
// `If-None-Match` → 304 on GETs, and `If-Match` on PATCH/PUT/DELETE of a resource that has a GET
// at the same path → 412 when the resource changed since the client read it.
//
// The ETag is the representation's own fingerprint: SHA-256 of the JSON body the GET answers
// (first 128 bits, base64url), so it changes whenever anything the client sees changes (a team's
// members' names as much as its own columns) and needs no version column in each of the D1 and
// AccountObject tables. It is a strong validator (the bytes are the bytes); a `W/` that a proxy
// adds when it compresses the answer is ignored when comparing, as the client cannot help it.
//
// If-Match reads the current representation with a GET through the same app (same credentials,
// so the same view) just before the update. It guards against the lost update it is for, a
// client writing over a change it has not seen; two writes racing within the same instant are
// still serialised by the owner (the AccountObject or D1), exactly as without If-Match. The read
// is an ordinary call (rate limit included: an update with If-Match counts twice). Without
// If-Match an update behaves as before; state conflicts stay 409.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "./errors";

const UPDATES = new Set(["PATCH", "PUT", "DELETE"]);
/** Headers of the original request that the internal read must not carry. */
const NOT_FORWARDED = ["If-Match", "If-None-Match", "Content-Type", "Content-Length", "Idempotency-Key"];

/** The ETag of a JSON body. */
export async function etagOf(body: ArrayBuffer): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body)).slice(0, 16);
	let binary = "";
	for (const b of digest) binary += String.fromCharCode(b);
	return `"${btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}"`;
}

/** The entity tags of an If-Match / If-None-Match value, W/ dropped; "*" stays "*". */
function tagsOf(header: string): string[] {
	return header
		.split(",")
		.map((t) => t.trim().replace(/^W\//, ""))
		.filter((t) => t.length > 0);
}

function isJson(res: Response): boolean {
	return (res.headers.get("Content-Type") ?? "").startsWith("application/json");
}

/**
 * The middleware. `read` runs a GET through the whole app (auth, the route, its view); the
 * caller passes it so this module needs no reference to the app it is part of.
 */
export function conditionalRequests(read: (c: Context<AppEnv>, request: Request) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const method = c.req.method;
		const ifMatch = c.req.header("If-Match");
		if (UPDATES.has(method) && ifMatch !== undefined) {
			const headers = new Headers(c.req.raw.headers);
			for (const name of NOT_FORWARDED) headers.delete(name);
			const current = await read(c, new Request(c.req.url, { method: "GET", headers }));
			// No GET at this path (405/404 from the router) or no such resource: the update itself
			// answers as it would (404, …); only a representation that exists can be compared.
			if (current.status === 200 && isJson(current)) {
				const tag = await etagOf(await current.arrayBuffer());
				const wanted = tagsOf(ifMatch);
				if (!wanted.includes("*") && !wanted.includes(tag)) {
					throw new AppError("precondition_failed", "The resource changed since you read it: read it again and retry the change.", undefined, { ETag: tag });
				}
			}
		}
		await next();
		const res = c.res;
		if (res.status !== 200 || !isJson(res) || !(method === "GET" || method === "HEAD" || UPDATES.has(method))) return;
		const tag = await etagOf(await res.clone().arrayBuffer());
		const ifNoneMatch = c.req.header("If-None-Match");
		if ((method === "GET" || method === "HEAD") && ifNoneMatch !== undefined) {
			const tags = tagsOf(ifNoneMatch);
			if (tags.includes("*") || tags.includes(tag)) {
				const headers = new Headers(res.headers);
				headers.delete("Content-Type");
				headers.delete("Content-Length");
				headers.set("ETag", tag);
				c.res = new Response(null, { status: 304, headers });
				return;
			}
		}
		c.res.headers.set("ETag", tag);
	};
}

type Document = ReturnType<import("@hono/zod-openapi").OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;
type Operation = NonNullable<NonNullable<Document["paths"]>[string]["get"]>;

const ETAG_HEADER = { $ref: "#/components/headers/ETag" };

/**
 * The conditional requests in the OpenAPI document, in one place like the rate limit: the ETag
 * header on 200 answers of GETs and updates, If-None-Match and 304 on GETs, If-Match and 412 on
 * the updates of a path that also has a GET (the only ones If-Match can be checked on).
 */
export function documentConditionalRequests(doc: Document): Document {
	doc.components ??= {};
	doc.components.headers ??= {};
	doc.components.parameters ??= {};
	doc.components.headers["ETag"] = {
		description: "The representation's entity tag (a strong validator: SHA-256 of the JSON body). Send it back in If-Match to update only what you read, or in If-None-Match to be told 304 when nothing changed.",
		schema: { type: "string", example: '"q2bW4Zl0x3mVb1cG9n1k8A"' },
	};
	doc.components.parameters["IfMatch"] = {
		name: "If-Match",
		in: "header",
		required: false,
		description: "Only change the resource if its ETag is still one of these (or `*`: if it exists). Otherwise 412 precondition_failed, with the current ETag. Without it, the change applies as it always did.",
		schema: { type: "string", example: '"q2bW4Zl0x3mVb1cG9n1k8A"' },
	};
	doc.components.parameters["IfNoneMatch"] = {
		name: "If-None-Match",
		in: "header",
		required: false,
		description: "The ETag you hold: 304 Not Modified, without a body, when it is still current.",
		schema: { type: "string", example: '"q2bW4Zl0x3mVb1cG9n1k8A"' },
	};
	const json200 = (op: Operation) => {
		const ok = op.responses?.["200"];
		return ok && !("$ref" in ok) && ok.content?.["application/json"] ? ok : undefined;
	};
	for (const item of Object.values(doc.paths ?? {})) {
		const get = item.get;
		if (get && json200(get)) {
			const ok = json200(get);
			if (ok) ok.headers = { ...ok.headers, ETag: ETAG_HEADER };
			get.parameters = [...(get.parameters ?? []), { $ref: "#/components/parameters/IfNoneMatch" }];
			get.responses ??= {};
			get.responses["304"] = { description: "Not modified: the ETag in If-None-Match is still current.", headers: { ETag: ETAG_HEADER } };
		}
		for (const method of ["patch", "put", "delete"] as const) {
			const op = item[method];
			if (!op) continue;
			const ok = json200(op);
			if (ok) ok.headers = { ...ok.headers, ETag: ETAG_HEADER };
			if (!get || !json200(get)) continue;
			op.parameters = [...(op.parameters ?? []), { $ref: "#/components/parameters/IfMatch" }];
			op.responses ??= {};
			op.responses["412"] = {
				description: "precondition_failed: If-Match named an ETag that is no longer the resource's; read it again. The current ETag is in this answer's ETag header.",
				headers: { ETag: ETAG_HEADER },
				content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
			};
		}
	}
	return doc;
}

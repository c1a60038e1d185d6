// The HTTP app: global middleware, the API routes under /api/v1, error mapping, and the portal
// (static assets) for everything else.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { directory } from "./db/client";
import { accountForHostname } from "./db/accounts";
import type { AppEnv } from "./env";
import { accountScope, authenticate, csrfProtection } from "./http/auth";
import { AppError, handleError, handleNotFound } from "./http/errors";
import { conditionalRequests } from "./http/conditional";
import { enforceRateLimit, startRateLimit } from "./http/rate-limit";
import { securityHeaders } from "./http/security-headers";
import { validationHook } from "./http/openapi";
import { accountRoutes } from "./routes/accounts";
import { appRoutes } from "./routes/apps";
import { authRoutes } from "./routes/auth";
import { emailVerificationRoutes } from "./routes/email-verification";
import { eventRoutes } from "./routes/events";
import { passwordResetRoutes } from "./routes/password-reset";
import { demoHistory } from "./routes/demo";
import { mountDocs } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { invitationRoutes } from "./routes/invitations";
import { peopleRoutes } from "./routes/people";
import { profileRoutes } from "./routes/profile";
import { teamRoutes } from "./routes/teams";
import { devMailboxList, devMailboxMessage, mailRoutes } from "./routes/mail";
import { webhookRoutes } from "./routes/webhooks";
import { messageRoutes } from "./routes/messages";
import { notificationRoutes } from "./routes/notifications";
import { savedFilterRoutes } from "./routes/saved-filters";
import { realtimeUpgrade } from "./routes/realtime";
import { requestRoutes } from "./routes/requests";
import { attachmentRoutes, isUpload } from "./routes/attachments";
import { searchRoutes } from "./routes/search";
import { slaReportRoutes } from "./routes/sla-reports";
import { serviceRoutes } from "./routes/services";
import { slaRoutes } from "./routes/slas";
import { tokenRoutes } from "./routes/tokens";
import { trustRoutes } from "./routes/trusts";

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Only `application/json`, with at most a UTF-8 charset (JSON is UTF-8, RFC 8259). Structured
 * suffixes such as `application/evil+json` name other formats and are refused.
 */
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export function apiRoutes() {
	return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
		.route("/", healthRoutes)
		.route("/", authRoutes)
		.route("/", passwordResetRoutes)
		.route("/", emailVerificationRoutes)
		.route("/", accountRoutes)
		.route("/", peopleRoutes)
		.route("/", invitationRoutes)
		.route("/", profileRoutes)
		.route("/", teamRoutes)
		.route("/", tokenRoutes)
		.route("/", trustRoutes)
		.route("/", serviceRoutes)
		.route("/", slaRoutes)
		.route("/", messageRoutes)
		.route("/", mailRoutes)
		.route("/", webhookRoutes)
		.route("/", requestRoutes)
		.route("/", attachmentRoutes)
		.route("/", slaReportRoutes)
		.route("/", searchRoutes)
		.route("/", notificationRoutes)
		.route("/", savedFilterRoutes)
		.route("/", eventRoutes)
		.route("/", appRoutes);
}

export function createApp() {
	const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

	// The socket upgrade comes first: header-setting middleware cannot touch a 101 response.
	app.get("/api/v1/accounts/:accountId/realtime", realtimeUpgrade);

	app.use("*", securityHeaders);
	app.use("/api/*", requestId(), startRateLimit);
	app.use("/api/*", async (c, next) => {
		c.header("Cache-Control", "no-store");
		// Bodies are JSON or nothing: anything else is refused before a handler sees it. A file
		// upload is the one exception: its body is the file (routes/attachments.ts).
		if (c.req.method !== "GET" && c.req.method !== "HEAD" && !isUpload(c.req.method, c.req.path)) {
			const type = c.req.header("Content-Type");
			const length = c.req.header("Content-Length");
			const hasBody = length !== undefined ? length !== "0" : c.req.raw.body !== null;
			if (type !== undefined ? !JSON_TYPE.test(type) : hasBody) {
				throw new AppError("unsupported_media_type", "Send the request body as application/json.");
			}
		}
		await next();
	});
	const jsonLimit = bodyLimit({
		maxSize: MAX_BODY_BYTES,
		onError: () => {
			throw new AppError("payload_too_large", "The request body is larger than 1 MB.");
		},
	});
	// Uploads have their own, configurable limit, checked by their route before it reads a byte.
	app.use("/api/*", (c, next) => (isUpload(c.req.method, c.req.path) ? next() : jsonLimit(c, next)));
	app.use("/api/*", authenticate, enforceRateLimit, csrfProtection);
	// ETag / If-None-Match / If-Match; If-Match reads the resource through this same app.
	app.use("/api/v1/*", conditionalRequests((c, read) => app.fetch(read, c.env, c.executionCtx)));

	app.route("/api/v1", apiRoutes());
	app.post("/api/v1/accounts/:accountId/demo/history", accountScope("account:write"), demoHistory);
	app.get("/api/dev/mailbox", devMailboxList);
	app.get("/api/dev/mailbox/:id", devMailboxMessage);
	mountDocs(app);

	// "/" on a hostname that an account has claimed opens that account's portal.
	app.get("/", async (c) => {
		const host = new URL(c.req.url).hostname;
		const accountId = await accountForHostname(directory(c.env.DB), host);
		if (accountId) return c.redirect(`/${accountId}/`, 302);
		return c.env.ASSETS.fetch(c.req.raw);
	});

	app.notFound(handleNotFound);
	app.onError(handleError);
	return { app };
}

export type AppType = ReturnType<typeof apiRoutes>;

// Worker entry: the HTTP app (API + portal fallback), the inbound e-mail handler and the
// Durable Object classes.
import { createApp } from "./app";
import { receiveEmail } from "./mail/inbound";

export { AccountObject } from "./account/account-object";
export { ApiRateLimiter } from "./limits/rate-limiter-object";

const { app } = createApp();

export default {
	fetch: app.fetch,
	async email(message, env) {
		const outcome = await receiveEmail(message, env);
		// What became of it, never what it said: the log holds no mail content or address.
		console.log(JSON.stringify({ at: "mail.inbound", action: outcome.action, ...("why" in outcome ? { why: outcome.why } : {}) }));
	},
} satisfies ExportedHandler<Env>;

// Worker entry: the HTTP app (API + portal fallback) and the Durable Object classes.
import { createApp } from "./app";

export { AccountObject } from "./account/account-object";
export { ApiRateLimiter } from "./limits/rate-limiter-object";

const { app } = createApp();

export default {
	fetch: app.fetch,
} satisfies ExportedHandler<Env>;

// The API rate limit's settings, from wrangler `[vars]`:
//   API_RATE_LIMIT_SESSION          requests per window for one signed-in session (default 600)
//   API_RATE_LIMIT_TOKEN            requests per window for one API token (default 1200)
//   API_RATE_LIMIT_WINDOW_SECONDS   the window, 1–60 seconds (default 60)
// A value that is not a whole number in range is ignored (the default applies) and logged, so a
// typo in the configuration never takes the API down.

export interface RateLimitConfig {
	sessionLimit: number;
	tokenLimit: number;
	windowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = { sessionLimit: 600, tokenLimit: 1200, windowMs: 60_000 };

/** The limiter keeps its count in memory, which an idle Durable Object keeps for at least 70 s. */
export const MAX_WINDOW_SECONDS = 60;

type RateLimitVars = Partial<Record<"API_RATE_LIMIT_SESSION" | "API_RATE_LIMIT_TOKEN" | "API_RATE_LIMIT_WINDOW_SECONDS", string>>;

function whole(vars: RateLimitVars, name: keyof RateLimitVars, min: number, max: number, fallback: number): number {
	const raw = vars[name];
	if (raw === undefined || raw.trim() === "") return fallback;
	const value = Number(raw);
	if (Number.isInteger(value) && value >= min && value <= max) return value;
	console.error(JSON.stringify({ level: "error", message: `${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}; using ${fallback}.` }));
	return fallback;
}

let cached: { key: string; config: RateLimitConfig } | undefined;

export function rateLimitConfig(vars: RateLimitVars): RateLimitConfig {
	const key = `${vars.API_RATE_LIMIT_SESSION}|${vars.API_RATE_LIMIT_TOKEN}|${vars.API_RATE_LIMIT_WINDOW_SECONDS}`;
	if (cached?.key === key) return cached.config;
	const config: RateLimitConfig = {
		sessionLimit: whole(vars, "API_RATE_LIMIT_SESSION", 1, 1_000_000_000, DEFAULT_RATE_LIMITS.sessionLimit),
		tokenLimit: whole(vars, "API_RATE_LIMIT_TOKEN", 1, 1_000_000_000, DEFAULT_RATE_LIMITS.tokenLimit),
		windowMs: whole(vars, "API_RATE_LIMIT_WINDOW_SECONDS", 1, MAX_WINDOW_SECONDS, DEFAULT_RATE_LIMITS.windowMs / 1000) * 1000,
	};
	cached = { key, config };
	return config;
}

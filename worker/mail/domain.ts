// Trustdesk's mail domain (wrangler.toml MAIL_DOMAIN): every address of ours is on it.
export const DEFAULT_MAIL_DOMAIN = "mail.trustdesk.localhost";

export function mailDomain(env: { MAIL_DOMAIN?: string }): string {
	return (env.MAIL_DOMAIN || DEFAULT_MAIL_DOMAIN).trim().toLowerCase();
}

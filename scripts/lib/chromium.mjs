// Where the browser tests find Chromium: $CHROMIUM_PATH, else the distribution's /usr/bin/chromium.
import { accessSync, constants } from "node:fs";

export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * The Chromium executable to use, or undefined when there is none.
 * @returns {string | undefined}
 */
export function findChromium() {
	const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : [DEFAULT_CHROMIUM_PATH];
	for (const candidate of candidates) {
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not there, or not executable.
		}
	}
	return undefined;
}

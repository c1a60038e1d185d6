// The account's brand colours as CSS variables (--brand, --accent and readable text on each).
// Set on the shell's element, and on the document root while the account is shown: dialogs,
// menus and toasts render in portals at the end of <body>, outside the branded element, and
// would otherwise fall back to Trustdesk's own blue.
import { createEffect, onCleanup, type JSX } from "solid-js";

/** Readable text on a brand colour: white on dark colours, near-black on light ones. */
export function contrastOn(hex: string): string {
	const n = Number.parseInt(hex.slice(1), 16);
	const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
	const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
	return luminance > 0.6 ? "#161b22" : "#ffffff";
}

export function brandStyle(design: { primaryColor: string; accentColor: string }): JSX.CSSProperties {
	return {
		"--brand": design.primaryColor,
		"--brand-contrast": contrastOn(design.primaryColor),
		"--accent": design.accentColor,
		"--accent-contrast": contrastOn(design.accentColor),
	};
}

/** Puts the design's variables on <html> while the calling component lives (and follows changes). */
export function useDocumentBrand(design: () => { primaryColor: string; accentColor: string } | undefined): void {
	const root = document.documentElement;
	let applied: string[] = [];
	const clear = () => {
		for (const name of applied) root.style.removeProperty(name);
		applied = [];
	};
	createEffect(() => {
		const d = design();
		clear();
		if (!d) return;
		for (const [name, value] of Object.entries(brandStyle(d))) {
			root.style.setProperty(name, String(value));
			applied.push(name);
		}
	});
	onCleanup(clear);
}

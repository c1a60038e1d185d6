// Focus after a navigation, as a single-page app owes it: the browser keeps focus on the link
// that was clicked (or drops it to <body> when that link is gone), so a screen reader says
// nothing about the new page. Moving focus to the new page's h1 announces it and starts the
// Tab order there.

const GIVE_UP_MS = 5000;
let pending: (() => void) | undefined;

/**
 * Focuses the page's h1 once there is one (a page may render its heading only when its data has
 * loaded), other than `skip` (the heading of what is being left, when it is still on screen).
 * Leaves focus alone when something on the new page took it on purpose (an autofocus field).
 */
export function focusPageHeading(skip: Element | null = null): void {
	pending?.();
	let frame = 0;
	const attempt = (): boolean => {
		const heading = document.querySelector<HTMLElement>("#main h1");
		if (!heading || heading === skip) return false;
		const active = document.activeElement;
		const main = document.getElementById("main");
		const tookFocus = active !== null && active !== document.body && active !== heading && main?.contains(active) === true && !skip?.contains(active);
		if (!tookFocus) {
			if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
			heading.focus();
		}
		return true;
	};
	const observer = new MutationObserver(() => {
		cancelAnimationFrame(frame);
		frame = requestAnimationFrame(() => {
			if (attempt()) stop();
		});
	});
	const timer = setTimeout(() => stop(), GIVE_UP_MS);
	const stop = () => {
		observer.disconnect();
		cancelAnimationFrame(frame);
		clearTimeout(timer);
		if (pending === stop) pending = undefined;
	};
	pending = stop;
	// After the frame the new page was committed in; then whenever the page changes.
	frame = requestAnimationFrame(() => {
		if (attempt()) stop();
		else observer.observe(document.body, { childList: true, subtree: true });
	});
}

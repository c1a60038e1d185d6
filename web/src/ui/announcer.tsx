// A polite live region for what changes on its own (a new Inbox item, a new note): screen readers
// read it when they are idle, without moving focus. Rendered once, by the account shell.
import { createSignal } from "solid-js";

const [message, setMessage] = createSignal("");
let clearTimer: ReturnType<typeof setTimeout> | undefined;

/** Says `text` politely. The same text twice in a row is said twice. */
export function announce(text: string): void {
	clearTimeout(clearTimer);
	setMessage("");
	// A new text node in a later frame: every screen reader notices the change.
	requestAnimationFrame(() => {
		setMessage(text);
		clearTimer = setTimeout(() => setMessage(""), 10_000);
	});
}

export function LiveAnnouncer() {
	return (
		<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-announcer">
			{message()}
		</div>
	);
}

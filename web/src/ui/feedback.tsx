// Alerts, toasts, spinners, empty states.
import { Toast, toaster } from "@kobalte/core/toast";
import { Show, type JSX, type ParentProps } from "solid-js";
import { Portal } from "solid-js/web";

export function Alert(props: ParentProps<{ kind: "error" | "success" | "warning" | "info" }>) {
	return (
		<div class={`alert alert-${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
			{props.children}
		</div>
	);
}

export function Spinner(props: { label?: string }) {
	return (
		<div class="loading" role="status">
			<div class="spinner" aria-hidden="true" />
			<span class="visually-hidden">{props.label ?? "Loading…"}</span>
		</div>
	);
}

export function EmptyState(props: ParentProps<{ title: string; action?: JSX.Element }>) {
	return (
		<div class="empty">
			<strong>{props.title}</strong>
			<div>{props.children}</div>
			<Show when={props.action}>{props.action}</Show>
		</div>
	);
}

/** The page each toast is about: when the person leaves that page, its toasts go too. */
const toastPages = new Map<number, string>();

/**
 * Announces the outcome of an action (polite live region). A toast belongs to the page it is shown
 * on; `page` names another when the action goes on to one (a request registered, then opened).
 */
export function notify(message: string, kind: "success" | "error" = "success", options: { page?: string } = {}): void {
	const id = toaster.show((p) => (
		<Toast toastId={p.toastId} class={`toast ${kind === "error" ? "toast-error" : ""}`}>
			<Toast.Description class="spacer">{message}</Toast.Description>
			<Toast.CloseButton class="btn btn-sm" aria-label="Dismiss">
				✕
			</Toast.CloseButton>
		</Toast>
	));
	toastPages.set(id, options.page ?? window.location.pathname);
}

/** Dismisses the toasts about other pages than `pathname` (called on every navigation). */
export function dismissToastsOutside(pathname: string): void {
	for (const [id, page] of toastPages) {
		if (page === pathname) continue;
		toaster.dismiss(id);
		toastPages.delete(id);
	}
}

/**
 * Bottom right, out of the way of forms, at most two at a time (newer ones wait their turn), each
 * for four seconds (longer while hovered or focused).
 */
export function ToastRegion() {
	return (
		<Portal>
			<Toast.Region duration={4000} limit={2} aria-label="Notifications">
				<Toast.List class="toast-list" />
			</Toast.Region>
		</Portal>
	);
}

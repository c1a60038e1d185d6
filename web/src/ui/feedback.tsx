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

/** Announces the outcome of an action (polite live region). */
export function notify(message: string, kind: "success" | "error" = "success"): void {
	toaster.show((p) => (
		<Toast toastId={p.toastId} class={`toast ${kind === "error" ? "toast-error" : ""}`}>
			<Toast.Description class="spacer">{message}</Toast.Description>
			<Toast.CloseButton class="btn btn-sm" aria-label="Dismiss">
				✕
			</Toast.CloseButton>
		</Toast>
	));
}

export function ToastRegion() {
	return (
		<Portal>
			<Toast.Region duration={4000} aria-label="Notifications">
				<Toast.List class="toast-list" />
			</Toast.Region>
		</Portal>
	);
}

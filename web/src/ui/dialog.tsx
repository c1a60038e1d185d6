// Modal dialogs (Kobalte: focus trap, Escape to close, labelled by the title).
// Namespace imports on purpose: Kobalte's compound `Dialog` and `AlertDialog` objects are built
// with Object.assign on one shared root function, so whichever loads last decides what
// `Dialog.Content` renders (every dialog became an "alertdialog"). The named exports are distinct.
import * as AlertDialog from "@kobalte/core/alert-dialog";
import * as K from "@kobalte/core/dialog";
import { createSignal, type ParentProps } from "solid-js";
import { messageOf } from "../api/client";
import { Alert } from "./feedback";

interface DialogProps extends ParentProps {
	open: boolean;
	onOpenChange: (open: boolean) => void;
	title: string;
	description?: string;
	/** Room for editors with tables (service offerings). */
	wide?: boolean;
}

export function Dialog(props: DialogProps) {
	return (
		<K.Root open={props.open} onOpenChange={props.onOpenChange}>
			<K.Portal>
				<K.Overlay class="dialog-overlay" />
				<div class="dialog-positioner">
					<K.Content class="dialog" classList={{ "dialog-wide": props.wide === true }}>
						<div class="dialog-header">
							<K.Title class="dialog-title">{props.title}</K.Title>
							<span class="spacer" />
							<K.CloseButton class="btn btn-ghost btn-sm" aria-label="Close">
								✕
							</K.CloseButton>
						</div>
						{props.description ? <K.Description class="muted">{props.description}</K.Description> : null}
						{props.children}
					</K.Content>
				</div>
			</K.Portal>
		</K.Root>
	);
}

interface ConfirmProps {
	/** Text of the small button that opens the confirmation. */
	triggerLabel: string;
	/** Accessible name of that button when its text alone is ambiguous ("Remove" which person?). */
	triggerAriaLabel?: string;
	/** Classes of that button (default: a small ghost button). */
	triggerClass?: string;
	title: string;
	description: string;
	confirmLabel: string;
	onConfirm: () => Promise<void>;
}

/** "Are you sure?" for destructive actions; shows the server's error if it refuses. */
export function Confirm(props: ConfirmProps) {
	const [open, setOpen] = createSignal(false);
	const [busy, setBusy] = createSignal(false);
	const [error, setError] = createSignal("");
	const confirm = async () => {
		setBusy(true);
		setError("");
		try {
			await props.onConfirm();
			setOpen(false);
		} catch (err) {
			setError(messageOf(err));
		} finally {
			setBusy(false);
		}
	};
	return (
		<>
			<button type="button" class={props.triggerClass ?? "btn btn-sm btn-ghost"} onClick={() => setOpen(true)} aria-label={props.triggerAriaLabel}>
				{props.triggerLabel}
			</button>
			<AlertDialog.Root open={open()} onOpenChange={setOpen}>
				<AlertDialog.Portal>
					<AlertDialog.Overlay class="dialog-overlay" />
					<div class="dialog-positioner">
						<AlertDialog.Content class="dialog">
							<AlertDialog.Title class="dialog-title">{props.title}</AlertDialog.Title>
							<AlertDialog.Description class="muted">{props.description}</AlertDialog.Description>
							{error() ? <Alert kind="error">{error()}</Alert> : null}
							<div class="dialog-footer">
								{/* Kobalte names close buttons "Dismiss" unless told otherwise: the visible word is the name. */}
								<AlertDialog.CloseButton class="btn" aria-label="Cancel">
									Cancel
								</AlertDialog.CloseButton>
								<button type="button" class="btn btn-danger" disabled={busy()} onClick={confirm}>
									{props.confirmLabel}
								</button>
							</div>
						</AlertDialog.Content>
					</div>
				</AlertDialog.Portal>
			</AlertDialog.Root>
		</>
	);
}

// Form submission state: busy flag, a form-level error and per-field errors from the API.
import { createSignal } from "solid-js";
import { ApiError, messageOf } from "../api/client";

export function createSubmission() {
	const [busy, setBusy] = createSignal(false);
	const [error, setError] = createSignal("");
	const [fieldErrors, setFieldErrors] = createSignal<Record<string, string>>({});

	/** Runs `action` for a form's submit event; errors land in `error` and `fieldErrors`. */
	const run = async (event: SubmitEvent | undefined, action: () => Promise<void>): Promise<boolean> => {
		event?.preventDefault();
		if (busy()) return false;
		setBusy(true);
		setError("");
		setFieldErrors({});
		try {
			await action();
			return true;
		} catch (err) {
			const fields = err instanceof ApiError ? err.fieldErrors() : {};
			setFieldErrors(fields);
			setError(Object.keys(fields).length > 0 ? "Please correct the highlighted fields." : messageOf(err));
			return false;
		} finally {
			setBusy(false);
		}
	};

	const reset = () => {
		setError("");
		setFieldErrors({});
	};

	/** The first message for `prefix` or anything below it ("targets.top" finds "targets.top.response"). */
	const under = (prefix: string): string | undefined => {
		const all = fieldErrors();
		if (all[prefix]) return all[prefix];
		const key = Object.keys(all).find((k) => k.startsWith(`${prefix}.`));
		return key === undefined ? undefined : all[key];
	};

	/** Every field message, for forms whose fields cannot all show their own. */
	const fields = () => Object.entries(fieldErrors()).map(([path, message]) => ({ path, message }));

	return { busy, error, field: (path: string) => fieldErrors()[path], under, fields, run, reset };
}

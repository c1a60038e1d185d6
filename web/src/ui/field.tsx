// Labelled text inputs (Kobalte TextField: label, description and error are wired to the input
// for screen readers).
import { TextField as K } from "@kobalte/core/text-field";
import { Show, splitProps, type JSX } from "solid-js";

interface FieldProps {
	label: string;
	value: string;
	onInput: (value: string) => void;
	name?: string;
	type?: "text" | "email" | "password" | "url" | "search" | "datetime-local";
	description?: JSX.Element;
	error?: string | undefined;
	required?: boolean;
	disabled?: boolean;
	autocomplete?: string;
	placeholder?: string;
	multiline?: boolean;
	autofocus?: boolean;
	inputMode?: "text" | "email" | "url" | "numeric";
	maxLength?: number;
}

export function TextField(props: FieldProps) {
	const [local] = splitProps(props, ["label", "description", "error", "multiline"]);
	return (
		<K
			class="field"
			value={props.value}
			onChange={props.onInput}
			name={props.name}
			required={props.required}
			disabled={props.disabled}
			validationState={props.error ? "invalid" : "valid"}
		>
			<K.Label class="field-label">{local.label}</K.Label>
			<Show
				when={local.multiline}
				fallback={
					<K.Input
						class="input"
						type={props.type ?? "text"}
						autocomplete={props.autocomplete}
						placeholder={props.placeholder}
						autofocus={props.autofocus}
						inputMode={props.inputMode}
						maxLength={props.maxLength}
					/>
				}
			>
				<K.TextArea class="textarea" placeholder={props.placeholder} maxLength={props.maxLength} />
			</Show>
			<Show when={local.description}>
				<K.Description class="field-description">{local.description}</K.Description>
			</Show>
			<K.ErrorMessage class="field-error">{local.error}</K.ErrorMessage>
		</K>
	);
}

interface SelectFieldProps {
	label: string;
	value: string;
	onChange: (value: string) => void;
	options: readonly { value: string; label: string }[];
	description?: string;
	error?: string | undefined;
	id: string;
	disabled?: boolean;
}

/** A native select: best on phones and with screen readers for long lists (time zones). */
export function SelectField(props: SelectFieldProps) {
	return (
		<div class="field">
			<label class="field-label" for={props.id}>
				{props.label}
			</label>
			<select
				id={props.id}
				class="select"
				value={props.value}
				disabled={props.disabled}
				onChange={(e) => props.onChange(e.currentTarget.value)}
				aria-invalid={props.error ? "true" : undefined}
				aria-describedby={props.description ? `${props.id}-description` : undefined}
			>
				{props.options.map((o) => (
					<option value={o.value} selected={o.value === props.value}>
						{o.label}
					</option>
				))}
			</select>
			<Show when={props.description}>
				<p id={`${props.id}-description`} class="field-description">
					{props.description}
				</p>
			</Show>
			<Show when={props.error}>
				<p class="field-error" role="alert">
					{props.error}
				</p>
			</Show>
		</div>
	);
}

interface ColorFieldProps {
	label: string;
	value: string;
	onChange: (value: string) => void;
	error?: string | undefined;
	id: string;
}

export function ColorField(props: ColorFieldProps) {
	return (
		<div class="field">
			<label class="field-label" for={props.id}>
				{props.label}
			</label>
			<div class="color-input">
				<input type="color" value={props.value} onInput={(e) => props.onChange(e.currentTarget.value)} aria-label={`${props.label} picker`} />
				<input
					id={props.id}
					class="input mono"
					value={props.value}
					onInput={(e) => props.onChange(e.currentTarget.value)}
					aria-invalid={props.error ? "true" : undefined}
					maxLength={7}
				/>
			</div>
			<Show when={props.error}>
				<p class="field-error">{props.error}</p>
			</Show>
		</div>
	);
}

interface DateFieldProps {
	label: string;
	value: string;
	onChange: (value: string) => void;
	id: string;
	description?: string;
	error?: string | undefined;
	required?: boolean;
	disabled?: boolean;
	min?: string;
}

/** A native date input (the browser's own picker, YYYY-MM-DD value); empty means no date. */
export function DateField(props: DateFieldProps) {
	const describedBy = () => [props.description ? `${props.id}-description` : "", props.error ? `${props.id}-error` : ""].filter(Boolean).join(" ") || undefined;
	return (
		<div class="field">
			<label class="field-label" for={props.id}>
				{props.label}
			</label>
			<input
				id={props.id}
				class="input"
				type="date"
				value={props.value}
				min={props.min}
				required={props.required}
				disabled={props.disabled}
				onInput={(e) => props.onChange(e.currentTarget.value)}
				aria-invalid={props.error ? "true" : undefined}
				aria-describedby={describedBy()}
			/>
			<Show when={props.description}>
				<p id={`${props.id}-description`} class="field-description">
					{props.description}
				</p>
			</Show>
			<Show when={props.error}>
				<p id={`${props.id}-error`} class="field-error">
					{props.error}
				</p>
			</Show>
		</div>
	);
}

/** What the portal says about a new password: the server's rule (worker/identity/password-policy.ts) in one sentence. */
const NEW_PASSWORD_HINT = "At least 10 characters, hard to guess, and not your e-mail address. A few unrelated words work well.";

/** A field for choosing a new password (sign-up, an invitation's sign-up, changing one's password). */
export function NewPasswordField(props: { label: string; value: string; onInput: (value: string) => void; error?: string | undefined }) {
	return <TextField label={props.label} type="password" autocomplete="new-password" value={props.value} onInput={props.onInput} description={NEW_PASSWORD_HINT} error={props.error} required />;
}

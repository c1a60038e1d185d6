import { Checkbox as K } from "@kobalte/core/checkbox";
import { For, Show } from "solid-js";

interface CheckboxProps {
	label: string;
	description?: string;
	checked: boolean;
	onChange: (checked: boolean) => void;
	disabled?: boolean;
}

export function Checkbox(props: CheckboxProps) {
	return (
		<K class="checkbox" checked={props.checked} onChange={props.onChange} disabled={props.disabled}>
			<K.Input class="checkbox-input" />
			<K.Control class="checkbox-control">
				<K.Indicator>
					<svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
						<path d="M2 6.5 4.8 9 10 3" fill="none" stroke="currentColor" stroke-width="2" />
					</svg>
				</K.Indicator>
			</K.Control>
			<div>
				<K.Label class="checkbox-label">{props.label}</K.Label>
				<Show when={props.description}>
					<K.Description class="checkbox-description">{props.description}</K.Description>
				</Show>
			</div>
		</K>
	);
}

interface CheckboxGroupProps<T extends string> {
	legend: string;
	options: readonly { value: T; label: string; description?: string }[];
	selected: readonly T[];
	onChange: (selected: T[]) => void;
	error?: string | undefined;
	scroll?: boolean;
}

/** A set of checkboxes under one legend (roles, scopes, team members). */
export function CheckboxGroup<T extends string>(props: CheckboxGroupProps<T>) {
	const toggle = (value: T, on: boolean) => {
		const rest = props.selected.filter((v) => v !== value);
		props.onChange(on ? [...rest, value] : rest);
	};
	return (
		<fieldset class="field">
			<legend class="field-label">{props.legend}</legend>
			<div class="choice-list" classList={{ scroll: props.scroll === true }}>
				<For each={props.options}>
					{(o) => (
						<Checkbox
							label={o.label}
							description={o.description}
							checked={props.selected.includes(o.value)}
							onChange={(on) => toggle(o.value, on)}
						/>
					)}
				</For>
			</div>
			<Show when={props.error}>
				<p class="field-error" role="alert">
					{props.error}
				</p>
			</Show>
		</fieldset>
	);
}

// A labelled group of radio buttons (Kobalte: arrow keys move between options, one tab stop).
// Namespace import, as in dialog.tsx: Kobalte's compound objects share a root function.
import * as R from "@kobalte/core/radio-group";
import { For, Show } from "solid-js";

interface RadioGroupProps<T extends string> {
	legend: string;
	options: readonly { value: T; label: string; description?: string }[];
	value: T;
	onChange: (value: T) => void;
	error?: string | undefined;
	/** Side by side when there is room. */
	inline?: boolean;
}

export function RadioGroup<T extends string>(props: RadioGroupProps<T>) {
	return (
		<R.Root class="field" value={props.value} onChange={(v) => props.onChange(v as T)} validationState={props.error ? "invalid" : "valid"}>
			<R.Label class="field-label">{props.legend}</R.Label>
			<div class="choice-list" classList={{ "choice-inline": props.inline === true }}>
				<For each={props.options}>
					{(o) => (
						<R.Item value={o.value} class="checkbox radio">
							<R.ItemInput class="checkbox-input" />
							<R.ItemControl class="radio-control">
								<R.ItemIndicator class="radio-indicator" />
							</R.ItemControl>
							<div>
								<R.ItemLabel class="checkbox-label">{o.label}</R.ItemLabel>
								<Show when={o.description}>
									<R.ItemDescription class="checkbox-description">{o.description}</R.ItemDescription>
								</Show>
							</div>
						</R.Item>
					)}
				</For>
			</div>
			<R.ErrorMessage class="field-error">{props.error}</R.ErrorMessage>
		</R.Root>
	);
}

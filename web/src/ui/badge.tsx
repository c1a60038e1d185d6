import type { ParentProps } from "solid-js";
import type { Tone } from "../lib/services";

/** A status in a coloured pill; the words carry the meaning, the colour only helps. */
export function StatusBadge(props: ParentProps<{ tone: Tone }>) {
	return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

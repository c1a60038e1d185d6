// An SLA instant as people should read it: in their own clock, with the zone named, and, when the
// provider's support hours run in another zone, the provider's local time as a tooltip (on hover
// and on keyboard focus) and for screen readers.
import { Show } from "solid-js";
import { formatZoned, sameClock } from "../lib/zones";

export function ZonedTime(props: { at: string; providerZone?: string | undefined; class?: string }) {
	const there = () => {
		const zone = props.providerZone;
		return zone && !sameClock(props.at, zone) ? `${formatZoned(props.at, zone)} at the provider (${zone})` : null;
	};
	return (
		<time datetime={props.at} class={`zoned-time ${props.class ?? ""}`} data-tip={there() ?? undefined} tabindex={there() ? 0 : undefined}>
			{formatZoned(props.at)}
			<Show when={there()}>{(t) => <span class="visually-hidden"> ({t()})</span>}</Show>
		</time>
	);
}

// Support hours, the way the catalog and the new-request form show them.
import { For } from "solid-js";
import type { Calendar } from "../../../../worker/shared/service-api";
import { weeklyHours } from "../../lib/services";

/** Support hours as people read them: "Mon–Fri 08:00–18:00", a line per group of days. */
export function WeeklyHoursList(props: { calendar: Pick<Calendar, "hours"> }) {
	return (
		<ul class="plain">
			<For each={weeklyHours(props.calendar)}>
				{(h) => (
					<li>
						<strong>{h.days}</strong> {h.hours}
					</li>
				)}
			</For>
		</ul>
	);
}

// The SLA clock of a request, explained: per affected SLA its targets and actuals, whether they
// were met, the clock's state and stopped time, and the timeline of everything that moved it. The
// provider keeps the clock; the customer's account shows the very same one. For the requester, one
// plain sentence says what to expect ("We will resolve this by …").
import { createSignal, For, Show } from "solid-js";
import type { AffectedSla } from "../../../../worker/shared/sla-api";
import type { Target } from "../../../../worker/shared/service-api";
import { messageOf } from "../../api/client";
import { IMPACT } from "../../lib/requests";
import { targetDuration, weeklyHours } from "../../lib/services";
import { CLOCK_EVENT, clockState, createNow, formatBusinessMinutes, NEXT_TARGET, promiseSentence, untilTarget } from "../../lib/sla";
import { StatusBadge } from "../../ui/badge";
import { Alert } from "../../ui/feedback";
import { ZonedTime } from "../../ui/zoned-time";
import { formatZoned } from "../../lib/zones";

/** The affected SLA the requester's promise comes from: the one whose provider is accountable. */
export function accountableSla(slas: readonly AffectedSla[]): AffectedSla | undefined {
	return slas.find((s) => s.accountability === "provider");
}

/** "We will resolve this by …", near the status, for the person who asked. */
export function RequesterPromise(props: { slas: readonly AffectedSla[] }) {
	const now = createNow();
	const sla = () => accountableSla(props.slas);
	const sentence = () => {
		const s = sla();
		// The reader's own clock, with its zone named: support hours may run elsewhere.
		return s ? promiseSentence(s, (iso) => formatZoned(iso), now()) : null;
	};
	return (
		<Show when={sentence()}>
			{(text) => (
				<p class="sla-promise" classList={{ "sla-promise-stopped": sla()?.nextTarget === "clock_stopped" }} data-testid="sla-promise">
					<svg class="sla-promise-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
						<circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5" />
						<Show when={sla()?.nextTarget === "clock_stopped"} fallback={<path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />}>
							<path d="M6.5 5.5v5M9.5 5.5v5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
						</Show>
					</svg>
					<span>{text()}</span>
				</p>
			)}
		</Show>
	);
}

/** The "Service level" card: every affected SLA of the request, with its clock. */
export function ServiceLevelCard(props: { slas: readonly AffectedSla[] | undefined; error: unknown; isRequester: boolean }) {
	// Whether each clock's timeline is unfolded: the person's choice survives live refreshes.
	const [unfolded, setUnfolded] = createSignal<Readonly<Record<string, boolean>>>({});
	const isOpen = (id: string) => unfolded()[id] ?? !props.isRequester;
	return (
		<Show when={(props.slas?.length ?? 0) > 0 || (props.error && !props.slas)}>
			<section class="card" aria-labelledby="sla-title" data-testid="sla-clock">
				<div class="card-header">
					<h2 id="sla-title">Service level</h2>
				</div>
				<div class="card-body stack">
					<Show when={props.error}>
						<Alert kind={props.slas ? "warning" : "error"}>Could not {props.slas ? "refresh" : "load"} the SLA clock: {messageOf(props.error)}</Alert>
					</Show>
					<For each={props.slas ?? []}>
						{(sla) => <SlaClock sla={sla} timelineOpen={isOpen(sla.id)} onToggle={(open) => setUnfolded((u) => ({ ...u, [sla.id]: open }))} />}
					</For>
				</div>
			</section>
		</Show>
	);
}

function SlaClock(props: { sla: AffectedSla; timelineOpen: boolean; onToggle: (open: boolean) => void }) {
	const now = createNow();
	const s = () => props.sla;
	const state = () => clockState(s());
	const titleId = () => `sla-${s().id}`;
	const next = () => {
		const at = s().nextTargetAt;
		return at && s().nextTarget !== "clock_stopped" ? untilTarget(at, now()) : null;
	};
	const openStop = () => s().stops.find((x) => x.until === null);
	const hours = () => weeklyHours(s().supportHours);
	/** When the offering's hours last changed under this clock (time before stays measured in the earlier hours). */
	const hoursSince = () => s().timeline.findLast((e) => e.kind === "support_hours_changed")?.at;
	const zone = () => s().supportHours.timeZone;

	return (
		<article class="sla-clock" aria-labelledby={titleId()}>
			<div class="item-head">
				<h3 id={titleId()}>{s().sla.name}</h3>
			</div>
			<div class="badges">
				<StatusBadge tone={state().tone}>{state().label}</StatusBadge>
				<Show when={s().responseBreached}>
					<StatusBadge tone="danger">Response breached</StatusBadge>
				</Show>
				<Show when={!s().responseBreached && s().actualResponseAt && s().responseTargetAt}>
					<StatusBadge tone="success">Responded in time</StatusBadge>
				</Show>
				<Show when={s().resolutionBreached}>
					<StatusBadge tone="danger">Resolution breached</StatusBadge>
				</Show>
				<Show when={!s().resolutionBreached && s().actualResolutionAt && s().resolutionTargetAt}>
					<StatusBadge tone="success">Resolved in time</StatusBadge>
				</Show>
			</div>
			<p class="muted sla-clock-meta">
				{s().offering.name} · {IMPACT[s().impact].label} impact · {s().provider.name} for {s().customer.name}
			</p>
			<Show when={s().accountability === "sla_not_affected"}>
				<p class="field-description">{s().provider.name} is no longer accountable for this request: the clock is kept for the record and left out of the reports.</p>
			</Show>
			<dl class="facts request-facts sla-facts">
				<Show when={next()}>
					{(n) => (
						<div class="fact">
							<dt>Next target</dt>
							<dd>
								{NEXT_TARGET[s().nextTarget]}{" "}
								<span class="target-when" classList={{ overdue: n().overdue }}>
									{n().text}
								</span>
							</dd>
						</div>
					)}
				</Show>
				<TargetFact label="Response target" target={s().responseTarget} at={s().responseTargetAt} zone={zone()} />
				<ActualFact label="Responded" at={s().actualResponseAt} minutes={s().responseMinutes} zone={zone()} />
				<TargetFact label="Resolution target" target={s().resolutionTarget} at={s().resolutionTargetAt} zone={zone()} />
				<Show when={s().desiredCompletionAt}>
					{(at) => (
						<div class="fact">
							<dt>Desired completion</dt>
							<dd>
								<ZonedTime at={at()} providerZone={zone()} />
							</dd>
						</div>
					)}
				</Show>
				<ActualFact label="Resolved" at={s().actualResolutionAt} minutes={s().resolutionMinutes} zone={zone()} />
				<div class="fact">
					<dt>Clock</dt>
					<dd>
						<Show when={s().clockStoppedAt} fallback={s().actualResolutionAt ? "Finished at the resolution" : s().accountability === "provider" ? "Running" : "Not counted"}>
							{(at) => (
								<>
									Stopped since <ZonedTime at={at()} providerZone={zone()} />
									<Show when={openStop()?.reason === "waiting_for_customer"}>
										<span class="muted block">waiting for the customer</span>
									</Show>
								</>
							)}
						</Show>
					</dd>
				</div>
				<div class="fact">
					<dt>Stopped time</dt>
					<dd>
						{formatBusinessMinutes(s().stoppedMinutes)}
						<Show when={s().stops.length > 0}>
							<span class="muted block">
								{s().stops.length === 1 ? "1 stop" : `${s().stops.length} stops`}, in support hours
							</span>
						</Show>
					</dd>
				</div>
				<div class="fact">
					<dt>Support hours</dt>
					<dd>
						<For each={hours()}>
							{(h) => (
								<span class="block">
									{h.days} {h.hours}
								</span>
							)}
						</For>
						<span class="muted block">{s().supportHours.timeZone}</span>
						<Show when={hoursSince()}>
							{(at) => (
								<span class="muted block" data-testid="sla-hours-since">
									since <ZonedTime at={at()} providerZone={zone()} />; time before is counted in the earlier hours
								</span>
							)}
						</Show>
					</dd>
				</div>
			</dl>
			<details class="history" open={props.timelineOpen} onToggle={(e) => props.onToggle(e.currentTarget.open)}>
				<summary>Clock timeline ({s().timeline.length === 1 ? "1 event" : `${s().timeline.length} events`})</summary>
				<ol class="timeline sla-timeline" aria-label={`Clock of ${s().sla.name}, oldest first`}>
					<For each={s().timeline}>
						{(e) => (
							<li data-kind={e.kind} data-tone={CLOCK_EVENT[e.kind].tone}>
								<span>
									<span class="clock-dot" aria-hidden="true" />
									{/* The provider's sentence says what happened; the label stands in when there is none. */}
									{e.text || CLOCK_EVENT[e.kind].label}
								</span>
								<ZonedTime class="muted" at={e.at} providerZone={zone()} />
							</li>
						)}
					</For>
				</ol>
			</details>
		</article>
	);
}

/** A target of the clock: its instant (or best effort) and what it allows in support hours. */
function TargetFact(props: { label: string; target: Target; at: string | null; zone: string }) {
	return (
		<div class="fact">
			<dt>{props.label}</dt>
			<dd>
				<Show when={props.target !== null && props.at} fallback="Best effort">
					{(at) => <ZonedTime at={at()} providerZone={props.zone} />}
				</Show>
				<Show when={targetDuration(props.target)}>{(d) => <span class="muted block">within {d()} of support hours</span>}</Show>
			</dd>
		</div>
	);
}

/** When a target was met (response, resolution), and after how much support-hours time. */
function ActualFact(props: { label: string; at: string | null; minutes: number | null; zone: string }) {
	return (
		<div class="fact">
			<dt>{props.label}</dt>
			<dd>
				<Show when={props.at} fallback={<span class="muted">Not yet</span>}>
					{(at) => (
						<>
							<ZonedTime at={at()} providerZone={props.zone} />
							<Show when={props.minutes !== null}>
								<span class="muted block">after {formatBusinessMinutes(props.minutes)}</span>
							</Show>
						</>
					)}
				</Show>
			</dd>
		</div>
	);
}

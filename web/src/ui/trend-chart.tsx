// A month-by-month trend, drawn by hand in SVG: bars for a count (requests), a line for a
// percentage (resolutions within target). Screen readers get it as one image whose description
// says every month's numbers; each month also has a <title> (a tooltip on hover). It follows its
// container's width, so text stays readable on a phone.
import { createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";

export interface TrendPoint {
	key: string;
	/** Under the bar: "Mar". */
	tick: string;
	/** In the description: "March 2026". */
	label: string;
	count: number;
	percent: number | null;
}

const HEIGHT = 240;
const M = { top: 14, right: 44, bottom: 30, left: 40 };

/** A round maximum for the count axis (at least 4, so the ticks are whole numbers). */
function niceMax(n: number): number {
	if (n <= 4) return 4;
	const magnitude = 10 ** Math.floor(Math.log10(n));
	for (const step of [1, 2, 2.5, 5, 10]) {
		const max = Math.ceil(n / (step * magnitude)) * step * magnitude;
		if (max / (step * magnitude) <= 8 && Number.isInteger(max / 4)) return max;
	}
	return Math.ceil(n / 4) * 4;
}

export function TrendChart(props: {
	id: string;
	title: string;
	points: readonly TrendPoint[];
	countLabel: string;
	percentLabel: string;
	formatPercent: (p: number | null) => string;
}) {
	let box: HTMLDivElement | undefined;
	const [width, setWidth] = createSignal(640);
	onMount(() => {
		if (!box) return;
		setWidth(Math.max(260, Math.floor(box.clientWidth)));
		const observer = new ResizeObserver((entries) => {
			const w = entries[0]?.contentRect.width;
			if (w) setWidth(Math.max(260, Math.floor(w)));
		});
		observer.observe(box);
		onCleanup(() => observer.disconnect());
	});

	const plotW = () => width() - M.left - M.right;
	const plotH = HEIGHT - M.top - M.bottom;
	const max = createMemo(() => niceMax(Math.max(0, ...props.points.map((p) => p.count))));
	const band = () => plotW() / Math.max(1, props.points.length);
	const barW = () => Math.max(4, Math.min(44, band() * 0.56));
	const cx = (i: number) => M.left + band() * (i + 0.5);
	const yCount = (n: number) => M.top + plotH * (1 - n / max());
	const yPercent = (p: number) => M.top + plotH * (1 - p / 100);
	// Every k-th month is labelled when they are crowded.
	const every = () => Math.max(1, Math.ceil(34 / band()));
	/** The percentage line, broken where a month has no targets. */
	const segments = createMemo(() => {
		const out: string[] = [];
		let current: string[] = [];
		props.points.forEach((p, i) => {
			if (p.percent === null) {
				if (current.length > 1) out.push(current.join(" "));
				current = [];
			} else current.push(`${cx(i).toFixed(1)},${yPercent(p.percent).toFixed(1)}`);
		});
		if (current.length > 1) out.push(current.join(" "));
		return out;
	});
	const ticks = () => [0, max() / 4, max() / 2, (max() * 3) / 4, max()];
	const describe = (p: TrendPoint) => `${p.label}: ${p.count} ${props.countLabel.toLowerCase()}, ${props.formatPercent(p.percent)} ${props.percentLabel.toLowerCase()}`;

	return (
		<figure class="trend-chart">
			<div class="chart-legend" aria-hidden="true">
				<span>
					<span class="chart-swatch chart-swatch-bar" />
					{props.countLabel}
				</span>
				<span>
					<span class="chart-swatch chart-swatch-line" />
					{props.percentLabel}
				</span>
			</div>
			<div class="chart-box" ref={box}>
				<svg width={width()} height={HEIGHT} viewBox={`0 0 ${width()} ${HEIGHT}`} role="img" aria-labelledby={`${props.id}-title ${props.id}-desc`}>
					<title id={`${props.id}-title`}>{props.title}</title>
					<desc id={`${props.id}-desc`}>{props.points.map(describe).join(". ")}.</desc>
					<g class="chart-grid">
						<For each={ticks()}>
							{(t) => (
								<>
									<line x1={M.left} x2={M.left + plotW()} y1={yCount(t)} y2={yCount(t)} />
									<text class="chart-axis" x={M.left - 6} y={yCount(t)} dy="0.32em" text-anchor="end">
										{Number.isInteger(t) ? t : t.toFixed(1)}
									</text>
								</>
							)}
						</For>
						<For each={[0, 50, 100]}>
							{(p) => (
								<text class="chart-axis chart-axis-percent" x={M.left + plotW() + 6} y={yPercent(p)} dy="0.32em" text-anchor="start">
									{p}%
								</text>
							)}
						</For>
					</g>
					<For each={props.points}>
						{(p, i) => (
							<g class="chart-month">
								<title>{describe(p)}</title>
								{/* The whole column answers the hover, not only the bar. */}
								<rect class="chart-hit" x={cx(i()) - band() / 2} y={M.top} width={band()} height={plotH} />
								<rect class="chart-bar" x={cx(i()) - barW() / 2} y={yCount(p.count)} width={barW()} height={Math.max(0, M.top + plotH - yCount(p.count))} rx="2" />
								<Show when={i() % every() === 0}>
									<text class="chart-axis" x={cx(i())} y={HEIGHT - M.bottom + 18} text-anchor="middle">
										{p.tick}
									</text>
								</Show>
							</g>
						)}
					</For>
					<For each={segments()}>{(points) => <polyline class="chart-line" points={points} />}</For>
					<For each={props.points}>
						{(p, i) => (
							<Show when={p.percent !== null}>
								<circle class="chart-dot" cx={cx(i())} cy={yPercent(p.percent as number)} r="3.5" />
							</Show>
						)}
					</For>
					<line class="chart-baseline" x1={M.left} x2={M.left + plotW()} y1={M.top + plotH} y2={M.top + plotH} />
				</svg>
			</div>
		</figure>
	);
}

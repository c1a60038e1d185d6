import { Show, type JSX, type ParentProps } from "solid-js";

export function PageHeader(props: { title: string; subtitle?: string; actions?: JSX.Element }) {
	return (
		<div class="page-header">
			<div class="titles">
				<h1>{props.title}</h1>
				<Show when={props.subtitle}>
					<p class="muted">{props.subtitle}</p>
				</Show>
			</div>
			<Show when={props.actions}>
				<div class="row">{props.actions}</div>
			</Show>
		</div>
	);
}

export function Card(props: ParentProps<{ title?: string; actions?: JSX.Element; class?: string }>) {
	return (
		<section class={`card ${props.class ?? ""}`}>
			<Show when={props.title}>
				<div class="card-header">
					<h2>{props.title}</h2>
					<span class="spacer" />
					{props.actions}
				</div>
			</Show>
			<div class="card-body">{props.children}</div>
		</section>
	);
}

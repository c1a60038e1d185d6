// The header's search box: a form that goes to the results page (loaded on demand), so the
// portal's first load carries only this. `/` anywhere outside a field focuses it; Escape clears it.
import { useLocation, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, on, onCleanup } from "solid-js";

const typing = (el: EventTarget | null) =>
	el instanceof HTMLElement && (el.isContentEditable || el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");

export function SearchBox(props: { accountId: string }) {
	const navigate = useNavigate();
	const location = useLocation();
	const [params] = useSearchParams();
	let input!: HTMLInputElement;
	const onKey = (e: KeyboardEvent) => {
		if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
		e.preventDefault();
		input.focus();
		input.select();
	};
	document.addEventListener("keydown", onKey);
	onCleanup(() => document.removeEventListener("keydown", onKey));
	// On the results page the box shows the query; elsewhere it starts empty.
	createEffect(
		on(
			() => [location.pathname, params.q] as const,
			([path, q]) => {
				input.value = path.endsWith("/search") && typeof q === "string" ? q : "";
			},
		),
	);
	return (
		<form
			role="search"
			class="header-search"
			onSubmit={(e) => {
				e.preventDefault();
				const q = input.value.trim();
				if (q) navigate(`/${props.accountId}/search?q=${encodeURIComponent(q)}`);
			}}
		>
			<label for="global-search" class="visually-hidden">
				Search
			</label>
			<input
				id="global-search"
				ref={input}
				type="search"
				name="q"
				maxLength={200}
				placeholder="Search  /"
				aria-keyshortcuts="/"
				autocomplete="off"
				onKeyDown={(e) => {
					if (e.key === "Escape") {
						input.value = "";
						input.blur();
					}
				}}
			/>
		</form>
	);
}

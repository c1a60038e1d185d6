// An address with nothing at it. At the top level the page is its own <main>; under an account
// the shell's <main> frames it, and a second one (with the same id) would break landmarks and
// the skip link.
import { A, useParams } from "@solidjs/router";

function NotFound(props: { home: string; homeLabel: string }) {
	return (
		<div class="auth-card card">
			<div class="card-body">
				<h1>Page not found</h1>
				<p class="muted">There is nothing at this address.</p>
				<A class="btn btn-primary" href={props.home}>
					{props.homeLabel}
				</A>
			</div>
		</div>
	);
}

export default function NotFoundPage() {
	return (
		<main class="auth-page" id="main">
			<NotFound home="/" homeLabel="Go to Trustdesk" />
		</main>
	);
}

/** Inside the account shell, which provides <main>: back to the account's home. */
export function NotFoundInAccount() {
	const params = useParams<{ accountId: string }>();
	return <NotFound home={`/${params.accountId}/`} homeLabel="Go to the home page" />;
}

import { A } from "@solidjs/router";

export default function NotFoundPage() {
	return (
		<main class="auth-page" id="main">
			<div class="auth-card card">
				<div class="card-body">
					<h1>Page not found</h1>
					<p class="muted">There is nothing at this address.</p>
					<A class="btn btn-primary" href="/">
						Go to Trustdesk
					</A>
				</div>
			</div>
		</main>
	);
}

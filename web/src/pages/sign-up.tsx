// Sign-up: a new account with its first account administrator. A signed-in person creates
// another account here too (they become its administrator).
import { A, useNavigate } from "@solidjs/router";
import { createMemo, createSignal, Show } from "solid-js";
import { api, request } from "../api/client";
import { useSession } from "../api/session";
import { createSubmission } from "../lib/form";
import { browserTimeZone, timeZones } from "../lib/zones";
import { SelectField, NewPasswordField, TextField } from "../ui/field";
import { Alert } from "../ui/feedback";
import { MyInvitations } from "./my-invitations";

/** "Widget Data Center" → "widget-data-center" */
export function slugify(name: string): string {
	return name
		.toLowerCase()
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-+|-+$/g, "")
		.slice(0, 32)
		.replace(/-+$/g, "");
}

export default function SignUpPage() {
	const navigate = useNavigate();
	const { session, set, refresh } = useSession();
	const [accountName, setAccountName] = createSignal("");
	const [accountId, setAccountId] = createSignal("");
	const [idTouched, setIdTouched] = createSignal(false);
	const [name, setName] = createSignal("");
	const [email, setEmail] = createSignal("");
	const [password, setPassword] = createSignal("");
	// Asked here, proposed from the browser: SLA dates and support hours count in this zone.
	const [timeZone, setTimeZone] = createSignal(browserTimeZone());
	const all = timeZones();
	// The browser may name its zone by an alias the list lacks ("Asia/Calcutta"): offer it as well.
	const zones = createMemo(() => (all.includes(timeZone()) ? all : [timeZone(), ...all]).map((z) => ({ value: z, label: z.replaceAll("_", " ") })));
	const form = createSubmission();
	const signedIn = () => session() ?? null;

	const onAccountName = (value: string) => {
		setAccountName(value);
		if (!idTouched()) setAccountId(slugify(value));
	};

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			if (signedIn()) {
				await request(api.accounts.$post({ json: { accountId: accountId(), accountName: accountName(), timeZone: timeZone() } }));
				await refresh();
			} else {
				const created = await request(
					api.signup.$post({
						json: { accountId: accountId(), accountName: accountName(), name: name(), email: email(), password: password(), timeZone: timeZone() },
					}),
				);
				set(created);
			}
			navigate(`/${accountId()}/`, { replace: true });
		});

	return (
		<main class="auth-page" id="main">
			<div class="auth-card">
				<div class="auth-brand">
					<div class="brand-mark" aria-hidden="true">T</div>
					<h1>{signedIn() ? "Create another account" : "Create your Trustdesk account"}</h1>
					<p class="muted">An account is your organisation's own service desk, with its own portal URL.</p>
				</div>
				<Show when={signedIn()}>
					<MyInvitations />
				</Show>
				<form class="card" onSubmit={submit} novalidate>
					<div class="card-body">
						<Show when={form.error()}>
							<Alert kind="error">{form.error()}</Alert>
						</Show>
						<TextField label="Organisation name" value={accountName()} onInput={onAccountName} error={form.field("accountName")} required autofocus />
						<TextField
							label="Account id"
							value={accountId()}
							onInput={(v) => {
								setIdTouched(true);
								setAccountId(v.toLowerCase());
							}}
							description={`Your portal: ${location.origin}/${accountId() || "your-id"}/`}
							error={form.field("accountId")}
							required
							maxLength={32}
						/>
						<SelectField
							id="signup-time-zone"
							label="Time zone"
							value={timeZone()}
							onChange={setTimeZone}
							options={zones()}
							description="Where your organisation works: SLA dates and support hours count in this zone. You can change it later under Settings."
							error={form.field("timeZone")}
						/>
						<Show when={!signedIn()}>
							<TextField label="Your name" autocomplete="name" value={name()} onInput={setName} error={form.field("name")} required />
							<TextField label="Your e-mail address" type="email" autocomplete="email" inputMode="email" value={email()} onInput={setEmail} error={form.field("email")} required />
							<NewPasswordField label="Password" value={password()} onInput={setPassword} error={form.field("password")} />
						</Show>
						<button type="submit" class="btn btn-primary" disabled={form.busy()}>
							{form.busy() ? "Creating…" : "Create account"}
						</button>
					</div>
				</form>
				<Show when={!signedIn()} fallback={<p class="muted" style={{ "text-align": "center" }}><A href="/">Back</A></p>}>
					<p class="muted" style={{ "text-align": "center" }}>
						Already have an account? <A href="/signin">Sign in</A>
					</p>
				</Show>
			</div>
		</main>
	);
}

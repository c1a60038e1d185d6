// Your profile: who you are signed in as, and changing your password (which signs out your other
// sessions). Reached from the account menu; the same for every account of yours.
import { A } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { api, ApiError, request } from "../../api/client";
import { useSession } from "../../api/session";
import { createSubmission } from "../../lib/form";
import { NewPasswordField, TextField } from "../../ui/field";
import { Alert } from "../../ui/feedback";
import { Card, PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

export default function ProfilePage() {
	const { session } = useSession();
	const { account } = useAccount();
	return (
		<>
			<PageHeader title="Your profile" subtitle="Your Trustdesk sign-in, the same in every account you belong to." />
			<div class="grid-2">
				<Card title="You">
					<dl class="facts">
						<dt>Name</dt>
						<dd>{session()?.person.name}</dd>
						<dt>E-mail address</dt>
						<dd>{session()?.person.email}</dd>
					</dl>
				</Card>
				<ChangePassword />
				<Card title="Notifications">
					<p>Choose what you hear of in this account, in the app and by e-mail.</p>
					<A class="btn" href={`/${account().id}/profile/notifications`}>
						Notification preferences
					</A>
				</Card>
			</div>
		</>
	);
}

function ChangePassword() {
	const [current, setCurrent] = createSignal("");
	const [next, setNext] = createSignal("");
	const [repeat, setRepeat] = createSignal("");
	const [done, setDone] = createSignal(false);
	const form = createSubmission();

	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			setDone(false);
			if (next() !== repeat()) {
				throw new ApiError("invalid_input", "The new passwords differ.", 400, [{ path: "repeat", message: "Type the same new password twice." }]);
			}
			await request(api.profile.password.$put({ json: { currentPassword: current(), password: next() } }));
			setCurrent("");
			setNext("");
			setRepeat("");
			setDone(true);
		});

	return (
		<section class="card" aria-labelledby="change-password-title">
			<div class="card-header">
				<h2 id="change-password-title">Change password</h2>
			</div>
			<form class="card-body stack" onSubmit={submit} novalidate>
				<Show when={done()}>
					<Alert kind="success">Your password was changed. Your other sessions were signed out; this one stays.</Alert>
				</Show>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField label="Current password" type="password" autocomplete="current-password" value={current()} onInput={setCurrent} error={form.field("currentPassword")} required />
				<NewPasswordField label="New password" value={next()} onInput={setNext} error={form.field("password")} />
				<TextField label="New password again" type="password" autocomplete="new-password" value={repeat()} onInput={setRepeat} error={form.field("repeat")} required />
				<div class="row">
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						{form.busy() ? "Changing…" : "Change password"}
					</button>
				</div>
			</form>
		</section>
	);
}

// Your notification preferences in this account: per kind your roles receive, in the app and/or
// by e-mail. Kinds you never changed follow your role's default.
import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import type { NotificationPreference } from "../../../../worker/shared/notification-api";
import { messageOf } from "../../api/client";
import { loadPreferences, savePreferences } from "../../lib/notifications";
import { Alert, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { useAccount } from "./context";

export default function NotificationPreferencesPage() {
	const { account } = useAccount();
	const [draft, setDraft] = createSignal<NotificationPreference[]>([]);
	const [saving, setSaving] = createSignal(false);
	const [saved, { mutate }] = createResource(
		() => account().id,
		async (accountId) => {
			const items = await loadPreferences(accountId);
			setDraft(items);
			return items;
		},
	);
	const changed = () => draft().filter((d) => {
		const s = saved()?.find((p) => p.kind === d.kind);
		return !s || s.inApp !== d.inApp || s.email !== d.email;
	});
	const set = (kind: string, field: "inApp" | "email", value: boolean) => setDraft((list) => list.map((p) => (p.kind === kind ? { ...p, [field]: value } : p)));

	const save = async (e: SubmitEvent) => {
		e.preventDefault();
		const items = changed().map(({ kind, inApp, email }) => ({ kind, inApp, email }));
		if (items.length === 0) return;
		setSaving(true);
		try {
			const after = await savePreferences(account().id, items);
			setDraft(after);
			mutate(after);
			notify("Your notification preferences are saved.");
		} catch (err) {
			notify(messageOf(err), "error");
		} finally {
			setSaving(false);
		}
	};

	return (
		<>
			<PageHeader
				title="Notification preferences"
				subtitle={`What you hear of in ${account().name}, in the app and by e-mail.`}
				actions={
					<A class="btn" href={`/${account().id}/notifications`}>
						Notifications
					</A>
				}
			/>
			<Show when={saved.error}>
				<Alert kind="error">Could not load your preferences: {messageOf(saved.error)}</Alert>
			</Show>
			<Show when={saved()} fallback={<Show when={!saved.error}><Spinner /></Show>}>
				<form class="card" onSubmit={(e) => void save(e)} aria-label="Notification preferences">
					<table class="table prefs-table">
						<thead>
							<tr>
								<th scope="col">When</th>
								<th scope="col">In the app</th>
								<th scope="col">By e-mail</th>
							</tr>
						</thead>
						<tbody>
							<For each={draft()}>
								{(p) => (
									<tr>
										<th scope="row">
											{p.label}
											<Show when={p.isDefault}>
												<span class="muted"> (default)</span>
											</Show>
										</th>
										<td data-label="In the app">
											<input type="checkbox" checked={p.inApp} onChange={(e) => set(p.kind, "inApp", e.currentTarget.checked)} aria-label={`${p.label}: in the app`} />
										</td>
										<td data-label="By e-mail">
											<input type="checkbox" checked={p.email} onChange={(e) => set(p.kind, "email", e.currentTarget.checked)} aria-label={`${p.label}: by e-mail`} />
										</td>
									</tr>
								)}
							</For>
						</tbody>
					</table>
					<div class="card-body row">
						<button type="submit" class="btn btn-primary" disabled={saving() || changed().length === 0}>
							Save preferences
						</button>
						<span class="muted">E-mails go to the address of your Trustdesk sign-in.</span>
					</div>
				</form>
			</Show>
		</>
	);
}

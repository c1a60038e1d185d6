// Account settings: name and time zone, e-mail in, the portal design (with a live preview), and
// the hostnames that open this account's portal.
import { createResource, createSignal, For, Show } from "solid-js";
import { api, request, requestAll } from "../../api/client";
import { createSubmission } from "../../lib/form";
import { Confirm } from "../../ui/dialog";
import { ColorField, SelectField, TextField } from "../../ui/field";
import { Alert, notify } from "../../ui/feedback";
import { Card, PageHeader } from "../../ui/layout";
import { useAccount } from "./context";
import { brandStyle } from "./shell";

const TIME_ZONES = (() => {
	try {
		return Intl.supportedValuesOf("timeZone");
	} catch {
		return ["UTC"];
	}
})();

export default function SettingsPage() {
	return (
		<>
			<PageHeader title="Settings" subtitle="How the account looks and where it lives." />
			<div class="grid-2">
				<AccountForm />
				<HostnamesCard />
			</div>
			<MailCard />
			<DesignForm />
		</>
	);
}

function AccountForm() {
	const { account, reload } = useAccount();
	const [name, setName] = createSignal(account().name);
	const [timeZone, setTimeZone] = createSignal(account().timeZone);
	const form = createSubmission();
	const zones = () => (TIME_ZONES.includes(timeZone()) ? TIME_ZONES : [timeZone(), ...TIME_ZONES]).map((z) => ({ value: z, label: z }));
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			await request(api.accounts[":accountId"].$patch({ param: { accountId: account().id }, json: { name: name(), timeZone: timeZone() } }));
			notify("Account saved.");
			await reload();
		});
	return (
		<Card title="Account">
			<form class="stack" onSubmit={submit} novalidate>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<TextField label="Account name" value={name()} onInput={setName} error={form.field("name")} required />
				<SelectField id="account-time-zone" label="Time zone" value={timeZone()} onChange={setTimeZone} options={zones()} error={form.field("timeZone")} />
				<p class="muted">
					Account id <code>{account().id}</code> · portal <a href={account().url}>{account().url}</a>
				</p>
				<div>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						Save account
					</button>
				</div>
			</form>
		</Card>
	);
}

function DesignForm() {
	const { account, reload } = useAccount();
	const design = account().design;
	const [title, setTitle] = createSignal(design.title);
	const [logoUrl, setLogoUrl] = createSignal(design.logoUrl ?? "");
	const [primaryColor, setPrimaryColor] = createSignal(design.primaryColor);
	const [accentColor, setAccentColor] = createSignal(design.accentColor);
	const [welcomeText, setWelcomeText] = createSignal(design.welcomeText);
	const form = createSubmission();
	const valid = (c: string) => /^#[0-9a-fA-F]{6}$/.test(c);
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			await request(
				api.accounts[":accountId"].design.$patch({
					param: { accountId: account().id },
					json: { title: title(), logoUrl: logoUrl().trim() || null, primaryColor: primaryColor(), accentColor: accentColor(), welcomeText: welcomeText() },
				}),
			);
			notify("Portal design saved.");
			await reload();
		});
	return (
		<Card title="Portal design">
			<div class="grid-2">
				<form class="stack" onSubmit={submit} novalidate>
					<Show when={form.error()}>
						<Alert kind="error">{form.error()}</Alert>
					</Show>
					<TextField label="Portal title" value={title()} onInput={setTitle} error={form.field("title")} required />
					<TextField label="Logo URL" type="url" value={logoUrl()} onInput={setLogoUrl} error={form.field("logoUrl")} description="An https:// address of an image; leave empty for none." />
					<div class="grid-2">
						<ColorField id="design-primary" label="Primary colour" value={primaryColor()} onChange={setPrimaryColor} error={form.field("primaryColor")} />
						<ColorField id="design-accent" label="Accent colour" value={accentColor()} onChange={setAccentColor} error={form.field("accentColor")} />
					</div>
					<TextField label="Welcome text" value={welcomeText()} onInput={setWelcomeText} error={form.field("welcomeText")} multiline maxLength={2000} />
					<div>
						<button type="submit" class="btn btn-primary" disabled={form.busy()}>
							Save design
						</button>
					</div>
				</form>
				<div class="stack-sm">
					<h3>Preview</h3>
					<div
						class="preview"
						style={brandStyle({
							primaryColor: valid(primaryColor()) ? primaryColor() : design.primaryColor,
							accentColor: valid(accentColor()) ? accentColor() : design.accentColor,
						})}
						aria-label="Preview of the portal design"
					>
						<div class="app-header-bar" style={{ background: "var(--surface)" }}>
							<span class="brand">
								<Show when={logoUrl().trim()} fallback={<span class="brand-mark">{title().slice(0, 1) || "?"}</span>}>
									<img class="brand-logo" src={logoUrl().trim()} alt="" />
								</Show>
								<span class="brand-title">{title()}</span>
							</span>
						</div>
						<div class="hero" style={{ "border-radius": 0 }}>
							<h2>Welcome</h2>
							<p>{welcomeText()}</p>
						</div>
					</div>
				</div>
			</div>
		</Card>
	);
}

function HostnamesCard() {
	const { account, reload } = useAccount();
	const [hostname, setHostname] = createSignal("");
	const form = createSubmission();
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			await request(api.accounts[":accountId"].hostnames.$post({ param: { accountId: account().id }, json: { hostname: hostname() } }));
			notify(`${hostname()} now opens this portal.`);
			setHostname("");
			await reload();
		});
	const remove = async (name: string) => {
		await request(api.accounts[":accountId"].hostnames[":hostname"].$delete({ param: { accountId: account().id, hostname: name } }));
		notify(`${name} was removed.`);
		await reload();
	};
	return (
		<Card title="Hostnames">
			<div class="stack">
				<p class="muted">Your own domain (e.g. support.example.com) can open this portal once it is routed to Trustdesk.</p>
				<Show when={account().hostnames.length > 0} fallback={<p class="muted">No hostnames yet.</p>}>
					<ul class="stack-sm" style={{ "padding-left": 0, "list-style": "none", margin: 0 }}>
						<For each={account().hostnames}>
							{(h) => (
								<li class="row">
									<code class="spacer">{h}</code>
									<Confirm
										title={`Remove ${h}?`}
										description="That hostname stops opening this portal."
										confirmLabel="Remove"
										onConfirm={() => remove(h)}
										triggerLabel="Remove"
										triggerAriaLabel={`Remove ${h}`}
									/>
								</li>
							)}
						</For>
					</ul>
				</Show>
				<form class="row" onSubmit={submit} novalidate style={{ "align-items": "flex-end" }}>
					<div class="spacer" style={{ "min-width": "12rem" }}>
						<TextField label="Add hostname" value={hostname()} onInput={setHostname} error={form.field("hostname") ?? (form.error() || undefined)} placeholder="support.example.com" />
					</div>
					<button type="submit" class="btn" disabled={form.busy()}>
						Add
					</button>
				</form>
			</div>
		</Card>
	);
}

/** "<provider> <sla>": how the intake setting names an SLA in the select. */
const intakeKey = (i: { providerAccountId: string; slaId: string } | null) => (i ? `${i.providerAccountId} ${i.slaId}` : "");

function MailCard() {
	const { account, can, reload } = useAccount();
	const [received] = createResource(
		() => (can("slas:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"]["received-slas"].$get({ param: { accountId }, query })),
	);
	const [choice, setChoice] = createSignal(intakeKey(account().mail.intake));
	const form = createSubmission();
	const options = () => [
		{ value: "", label: "None: the service whose words the subject shares, else triage here" },
		...(received() ?? [])
			.filter((r) => r.status === "active" || r.status === "scheduled_for_activation" || intakeKey(account().mail.intake) === `${r.provider.id} ${r.slaId}`)
			.map((r) => ({ value: `${r.provider.id} ${r.slaId}`, label: `${r.serviceName} · ${r.offeringName} (${r.provider.name}, ${r.name})` })),
	];
	const submit = (e: SubmitEvent) =>
		form.run(e, async () => {
			const [providerAccountId, slaId] = choice().split(" ");
			const mailIntake = providerAccountId && slaId ? { providerAccountId, slaId } : null;
			await request(api.accounts[":accountId"].$patch({ param: { accountId: account().id }, json: { mailIntake } }));
			notify("E-mail intake saved.");
			await reload();
		});
	return (
		<Card title="E-mail in">
			<form class="stack" onSubmit={submit} novalidate>
				<p class="muted">
					People of this account register a request by writing to <code>{account().mail.address}</code>; replies to our e-mails become notes on their
					request. Mail from anybody else is not registered.
				</p>
				<Show when={form.error()}>
					<Alert kind="error">{form.error()}</Alert>
				</Show>
				<SelectField id="account-mail-intake" label="Service for e-mailed requests" value={choice()} onChange={setChoice} options={options()} error={form.field("mailIntake.slaId")} />
				<div>
					<button type="submit" class="btn btn-primary" disabled={form.busy()}>
						Save e-mail intake
					</button>
				</div>
			</form>
		</Card>
	);
}

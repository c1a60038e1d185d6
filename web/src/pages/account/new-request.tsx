// A new request for a service from the catalog (reached from a catalog card's "Request this
// service"): subject, category, impact and what is going on. Shows which provider will handle it
// and what its offering promises for the chosen impact. The account's staff may register it on
// behalf of someone else of the account.
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, Show } from "solid-js";
import type { RequestCategory, RequestImpact } from "../../../../worker/shared/request-api";
import { isStaff } from "../../../../worker/shared/roles";
import type { CatalogEntry } from "../../../../worker/shared/service-api";
import { api, messageOf, request, requestAll } from "../../api/client";
import { useSession } from "../../api/session";
import { createSubmission } from "../../lib/form";
import { createRetryKeys } from "../../lib/retry-key";
import { CATEGORIES, CATEGORY, IMPACT, IMPACTS } from "../../lib/requests";
import { targetInWords } from "../../lib/services";
import { WeeklyHoursList } from "./support-hours";
import { SelectField, TextField } from "../../ui/field";
import { Alert, EmptyState, notify, Spinner } from "../../ui/feedback";
import { PageHeader } from "../../ui/layout";
import { RadioGroup } from "../../ui/radio";
import { useAccount } from "./context";

const entryKey = (e: Pick<CatalogEntry, "provider" | "sla">) => `${e.provider.id}/${e.sla.id}`;

export default function NewRequestPage() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const navigate = useNavigate();
	const [params] = useSearchParams<{ provider?: string; sla?: string }>();
	const [catalog] = createResource(
		() => account().id,
		(accountId) => request(api.accounts[":accountId"].catalog.$get({ param: { accountId } })),
	);
	const staff = () => isStaff(account().viewer.roles);
	const [people] = createResource(
		() => (staff() && can("people:read") ? account().id : undefined),
		(accountId) => requestAll((query) => api.accounts[":accountId"].people.$get({ param: { accountId }, query })),
	);

	const [chosen, setChosen] = createSignal(params.provider && params.sla ? `${params.provider}/${params.sla}` : "");
	const entries = () => catalog()?.entries ?? [];
	const entry = createMemo(() => entries().find((e) => entryKey(e) === chosen()) ?? (chosen() ? undefined : entries()[0]));
	const missing = () => catalog() !== undefined && chosen() !== "" && entry() === undefined;

	const [subject, setSubject] = createSignal("");
	const [category, setCategory] = createSignal<RequestCategory>("incident");
	const [impact, setImpact] = createSignal<RequestImpact>("low");
	const [note, setNote] = createSignal("");
	const [requestedFor, setRequestedFor] = createSignal("");
	/** "Needed by", as the browser's local date and time (datetime-local); empty: no wish. */
	const [neededBy, setNeededBy] = createSignal("");
	const [subjectError, setSubjectError] = createSignal("");
	const form = createSubmission();
	const retry = createRetryKeys();

	const submit = (e: SubmitEvent) => {
		e.preventDefault();
		const en = entry();
		if (!subject().trim()) {
			setSubjectError("Say in a few words what it is about.");
			document.querySelector<HTMLInputElement>("input[name=subject]")?.focus();
			return;
		}
		setSubjectError("");
		if (!en) return;
		void form.run(undefined, async () => {
			const json = {
				providerAccountId: en.provider.id,
				slaId: en.sla.id,
				subject: subject().trim(),
				category: category(),
				impact: impact(),
				...(note().trim() ? { note: note() } : {}),
				// A local "YYYY-MM-DDTHH:MM" read in the browser's zone, sent as an instant.
				...(neededBy() ? { desiredCompletionAt: new Date(neededBy()).toISOString() } : {}),
				...(requestedFor() && requestedFor() !== session()?.person.id ? { requestedForId: requestedFor() } : {}),
			};
			// Sent again after a lost answer, the same request is registered once.
			const created = await request(api.accounts[":accountId"].requests.$post({ param: { accountId: account().id }, json }, { headers: retry.headersFor(json) }));
			retry.done();
			const page = `/${account().id}/requests/${created.id}`;
			notify(`Request #${created.number} is registered${created.team ? ` and assigned to ${created.team.name}` : ""}.`, "success", { page });
			navigate(page);
		});
	};

	const promise = () => {
		const en = entry();
		if (!en) return null;
		const t = en.offering.targets[impact()];
		return { response: targetInWords("response", t.response), resolution: targetInWords("resolution", t.resolution) };
	};

	return (
		<>
			<PageHeader title="New request" subtitle="Tell us what you need. The service provider's team is told at once, and you can follow your request under My requests." />
			<Show when={catalog.error}>
				<Alert kind="error">Could not load the catalog: {messageOf(catalog.error)}</Alert>
			</Show>
			<Show when={catalog()} fallback={<Show when={!catalog.error}><Spinner label="Loading the catalog…" /></Show>}>
				<Show
					when={entries().length > 0}
					fallback={
						<div class="card">
							<EmptyState title="No services to request">{account().name} receives no services yet, so there is nothing to request.</EmptyState>
						</div>
					}
				>
					<Show when={missing()}>
						<Alert kind="warning">
							That service is not in your catalog (any more). Pick another one below, or go back to the <A href={`/${account().id}/catalog`}>catalog</A>.
						</Alert>
					</Show>
					<div class="request-form-layout">
						<form class="card card-body stack" onSubmit={submit} novalidate aria-label="New request">
							<Show when={form.error()}>
								<Alert kind="error">{form.error()}</Alert>
							</Show>
							<SelectField
								id="request-service"
								label="Service"
								value={entry() ? entryKey(entry() as CatalogEntry) : ""}
								onChange={setChosen}
								options={[
									...(entry() ? [] : [{ value: "", label: "Pick a service…" }]),
									...entries().map((e) => ({ value: entryKey(e), label: `${e.service.name} — ${e.offering.name} (${e.provider.name})` })),
								]}
								error={form.field("slaId") ?? form.field("providerAccountId")}
							/>
							<TextField
								label="Subject"
								name="subject"
								value={subject()}
								onInput={setSubject}
								required
								maxLength={200}
								autocomplete="off"
								error={subjectError() || form.field("subject")}
								description="In a few words, e.g. “Mailbox full”."
							/>
							<RadioGroup legend="What is it?" value={category()} onChange={setCategory} inline error={form.field("category")} options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY[c].label }))} />
							<RadioGroup
								legend="Impact"
								value={impact()}
								onChange={setImpact}
								error={form.field("impact")}
								options={IMPACTS.map((i) => ({ value: i, label: IMPACT[i].label, description: IMPACT[i].description }))}
							/>
							<TextField label="What is going on? (optional)" multiline value={note()} onInput={setNote} error={form.field("note")} description="What happens, since when, what you tried. Shown as plain text." />
							<TextField
								label="Needed by (optional)"
								type="datetime-local"
								name="neededBy"
								value={neededBy()}
								onInput={setNeededBy}
								error={form.field("desiredCompletionAt")}
								description="When it must be done. Later than the service level's resolution target, it becomes the target."
							/>
							<Show when={staff() && (people() ?? []).length > 0}>
								<SelectField
									id="request-for"
									label="Requested for"
									value={requestedFor() || (session()?.person.id ?? "")}
									onChange={setRequestedFor}
									options={(people() ?? []).map((p) => ({ value: p.id, label: p.id === session()?.person.id ? `${p.name} (you)` : `${p.name} — ${p.email}` }))}
									description={`As a specialist of ${account().name}, you may register a request on behalf of someone else.`}
									error={form.field("requestedForId")}
								/>
							</Show>
							<div class="row row-end">
								<A class="btn" href={`/${account().id}/catalog`}>
									Cancel
								</A>
								<button type="submit" class="btn btn-primary" disabled={form.busy() || !entry()}>
									{form.busy() ? "Registering…" : "Register request"}
								</button>
							</div>
						</form>
						<Show when={entry()}>
							{(en) => (
								<aside class="card" aria-labelledby="offering-title">
									<div class="card-body stack-sm">
										<h2 id="offering-title">{en().service.name}</h2>
										<p class="muted">
											{en().offering.name} · {en().instance.name}
										</p>
										<dl class="facts">
											<dt>Provider</dt>
											<dd>{en().provider.name}</dd>
											<dt>Agreement</dt>
											<dd>{en().sla.name}</dd>
										</dl>
										<h3>
											What {en().provider.name} promises for {IMPACT[impact()].label.toLowerCase()} impact
										</h3>
										<ul class="plain promise" aria-live="polite">
											<li>{promise()?.response}</li>
											<li>{promise()?.resolution}</li>
										</ul>
										<p class="muted">During support hours:</p>
										<WeeklyHoursList calendar={en().offering.supportHours} />
										<p class="muted">Time zone: {en().offering.supportHours.timeZone}</p>
									</div>
								</aside>
							)}
						</Show>
					</div>
				</Show>
			</Show>
		</>
	);
}

// Account home: the portal's welcome in the account's design, and what the viewer can do here.
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { ROLE_LABELS } from "../../../../worker/shared/roles";
import { useSession } from "../../api/session";
import { formatDate } from "../../lib/format";
import { Card } from "../../ui/layout";
import { useAccount } from "./context";

export default function HomePage() {
	const { account, can } = useAccount();
	const { session } = useSession();
	const firstName = () => session()?.person.name.split(/\s+/)[0] ?? "";
	const base = () => `/${account().id}/`;

	return (
		<>
			<section class="hero" aria-labelledby="welcome-title">
				<h1 id="welcome-title">
					Welcome{firstName() ? `, ${firstName()}` : ""}
				</h1>
				<p>{account().design.welcomeText}</p>
			</section>
			<Show when={can("catalog:read")}>
				<A class="card link-card" href={`${base()}catalog`}>
					<span class="link-card-icon" aria-hidden="true">
						▦
					</span>
					<span class="stack-sm spacer">
						<strong>Services you can request</strong>
						<span class="muted">The service catalog: what your service providers offer, with response times and support hours.</span>
					</span>
					<span aria-hidden="true" class="muted">
						→
					</span>
				</A>
			</Show>
			<div class="grid-2">
				<Card title="Your place here">
					<dl class="facts">
						<dt>Account</dt>
						<dd>{account().name}</dd>
						<dt>Your roles</dt>
						<dd>
							<div class="badges">
								<For each={account().viewer.roles}>{(r) => <span class="badge badge-brand">{ROLE_LABELS[r]}</span>}</For>
							</div>
						</dd>
						<dt>Portal URL</dt>
						<dd>
							<a href={account().url}>{account().url}</a>
						</dd>
						<dt>Time zone</dt>
						<dd>{account().timeZone}</dd>
						<dt>Since</dt>
						<dd>{formatDate(account().createdAt)}</dd>
					</dl>
				</Card>
				<Show when={can("people:read") || can("teams:read") || can("tokens:manage") || can("account:write") || can("trusts:read") || can("services:read")}>
					<Card title="Administration">
						<ul class="stack-sm" style={{ "padding-left": "1.25rem", margin: 0 }}>
							<Show when={can("trusts:read")}>
								<li>
									<A href={`${base()}trusts`}>Trusts</A> <span class="muted">— the accounts you provide services to, or receive them from</span>
								</li>
							</Show>
							<Show when={can("services:read")}>
								<li>
									<A href={`${base()}services`}>Services</A> <span class="muted">— services, instances and offerings with their targets</span>
								</li>
							</Show>
							<Show when={can("slas:read")}>
								<li>
									<A href={`${base()}slas`}>SLAs</A> <span class="muted">— agreements with customers and providers</span>
								</li>
							</Show>
							<Show when={can("people:read")}>
								<li>
									<A href={`${base()}people`}>People</A> <span class="muted">— who belongs to {account().name}, and their roles</span>
								</li>
							</Show>
							<Show when={can("teams:read")}>
								<li>
									<A href={`${base()}teams`}>Teams</A> <span class="muted">— groups of specialists with a coordinator</span>
								</li>
							</Show>
							<Show when={can("tokens:manage")}>
								<li>
									<A href={`${base()}api-tokens`}>API tokens</A> <span class="muted">— access for integrations, with scopes</span>
								</li>
							</Show>
							<Show when={can("messages:manage")}>
								<li>
									<A href={`${base()}deliveries`}>Deliveries</A> <span class="muted">— messages to other accounts still on their way</span>
								</li>
							</Show>
							<Show when={can("account:write")}>
								<li>
									<A href={`${base()}settings`}>Settings</A> <span class="muted">— portal design, time zone, hostnames</span>
								</li>
							</Show>
						</ul>
					</Card>
				</Show>
			</div>
		</>
	);
}

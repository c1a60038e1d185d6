// The account's navigation. The daily work (home, catalog, requests, Inbox, reports) is the first
// row; administration (trusts, the service model, SLAs, people, teams, deliveries, tokens,
// settings) is a second, lighter row of its own, labelled, so that an administrator's thirteen
// items all fit at 1280 px instead of scrolling Settings out of sight. Rows wrap rather than
// scroll when narrower; on a phone both fold behind the header's Menu button as one list. Plain
// links throughout: Tab reaches each one, the current page is marked aria-current.
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { Account } from "../../../../worker/shared/api";
import type { Permission } from "../../../../worker/shared/roles";

interface NavItem {
	path: string;
	label: string;
	permission?: Permission;
}

const WORK: NavItem[] = [
	{ path: "", label: "Home" },
	{ path: "catalog", label: "Catalog", permission: "catalog:read" },
	{ path: "requests", label: "My requests", permission: "requests:read" },
	{ path: "inbox", label: "Inbox", permission: "inbox:read" },
	{ path: "reports", label: "SLA reports", permission: "reports:read" },
];

const ADMINISTRATION: NavItem[] = [
	{ path: "trusts", label: "Trusts", permission: "trusts:read" },
	{ path: "services", label: "Services", permission: "services:read" },
	{ path: "slas", label: "SLAs", permission: "slas:read" },
	{ path: "people", label: "People", permission: "people:read" },
	{ path: "teams", label: "Teams", permission: "teams:read" },
	{ path: "deliveries", label: "Deliveries", permission: "messages:manage" },
	{ path: "api-tokens", label: "API tokens", permission: "tokens:manage" },
	{ path: "apps", label: "Apps", permission: "apps:manage" },
	{ path: "settings", label: "Settings", permission: "account:write" },
];

export function AccountNav(props: { account: Account; open: boolean }) {
	const base = () => `/${props.account.id}/`;
	const allowed = (items: NavItem[]) => items.filter((n) => !n.permission || props.account.viewer.permissions.includes(n.permission));
	const link = (item: NavItem) => (
		<li>
			<A href={`${base()}${item.path}`} end={item.path === "" || item.path === "requests"}>
				{item.label}
			</A>
		</li>
	);
	return (
		<nav class="app-nav" classList={{ open: props.open }} id="account-nav" aria-label="Account">
			<ul class="nav-row nav-work">
				<For each={allowed(WORK)}>{link}</For>
			</ul>
			<Show when={allowed(ADMINISTRATION).length > 0}>
				<div class="nav-row nav-admin" role="group" aria-labelledby="nav-admin-label">
					<span class="nav-admin-label" id="nav-admin-label">
						Administration
					</span>
					<ul class="nav-row">
						<For each={allowed(ADMINISTRATION)}>{link}</For>
					</ul>
				</div>
			</Show>
		</nav>
	);
}

// The account shell: everything under /:accountId. It loads the account (or shows the account's
// branded sign-in), applies the portal design, and frames pages with the header, the account
// switcher and the navigation.
import { DropdownMenu } from "@kobalte/core/dropdown-menu";
import { A, useLocation, useNavigate, useParams, type RouteSectionProps } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, lazy, Match, on, Show, Suspense, Switch, type JSX } from "solid-js";
import type { Account, PublicPortal } from "../../../../worker/shared/api";
import type { Permission } from "../../../../worker/shared/roles";
import { ROLE_LABELS } from "../../../../worker/shared/roles";
import { api, ApiError, request } from "../../api/client";
import { useSession } from "../../api/session";
import { initials } from "../../lib/format";
import { RealtimeProvider, useRealtime } from "../../realtime/context";
import { LiveAnnouncer } from "../../ui/announcer";
import { Alert, Spinner } from "../../ui/feedback";
import { LAST_ACCOUNT_KEY, SignInForm } from "../sign-in";

// Loaded only for a person whose address is unconfirmed: nothing on everyone else's first load.
const VerifyEmailBanner = lazy(() => import("./verify-banner").then((m) => ({ default: m.VerifyEmailBanner })));
import { AccountNav } from "./account-nav";
import { NotificationBell } from "./notification-bell";
import { SearchBox } from "./search-box";
import { brandStyle, useDocumentBrand } from "./brand";
import { AccountContext, useAccount } from "./context";
import { focusPageHeading } from "../../lib/route-focus";

export { brandStyle, contrastOn } from "./brand";

type Loaded = { kind: "account"; account: Account } | { kind: "no-access" } | { kind: "sign-in"; portal: PublicPortal | undefined };

export default function AccountShell(props: RouteSectionProps) {
	const params = useParams<{ accountId: string }>();
	const { session } = useSession();

	const [loaded, { refetch }] = createResource(
		() => (session.state === "ready" ? { id: params.accountId, signedIn: session() !== null } : undefined),
		async ({ id, signedIn }): Promise<Loaded> => {
			if (!signedIn) {
				try {
					return { kind: "sign-in", portal: await request(api.portals[":accountId"].$get({ param: { accountId: id } })) };
				} catch {
					return { kind: "sign-in", portal: undefined };
				}
			}
			try {
				return { kind: "account", account: await request(api.accounts[":accountId"].$get({ param: { accountId: id } })) };
			} catch (err) {
				if (err instanceof ApiError && err.status === 404) return { kind: "no-access" };
				throw err;
			}
		},
	);

	// Portals (dialogs, menus, toasts) render outside the shell's element: brand the document too.
	useDocumentBrand(() => {
		const l = loaded();
		return l?.kind === "account" ? l.account.design : l?.kind === "sign-in" ? l.portal?.design : undefined;
	});

	createEffect(() => {
		const l = loaded();
		if (l?.kind === "account") {
			localStorage.setItem(LAST_ACCOUNT_KEY, l.account.id);
			document.title = `${l.account.design.title} · Trustdesk`;
		}
	});

	return (
		<Switch fallback={<Spinner />}>
			<Match when={loaded.error}>
				<main class="page" id="main">
					<Alert kind="error">{loaded.error instanceof Error ? loaded.error.message : "Could not load the account."}</Alert>
				</main>
			</Match>
			<Match when={(() => { const l = loaded(); return l?.kind === "sign-in" ? l : undefined; })()}>
				{(l) => (
					<div style={l().portal ? brandStyle(l().portal!.design) : {}}>
						<SignInForm
							portal={l().portal}
							onSignedIn={() => {
								// The address stays; the page becomes the account's home: its heading takes the focus.
								focusPageHeading();
								void refetch();
							}}
						/>
					</div>
				)}
			</Match>
			<Match when={loaded()?.kind === "no-access"}>
				<NoAccess accountId={params.accountId} />
			</Match>
			<Match when={(() => { const l = loaded(); return l?.kind === "account" ? l.account : undefined; })()}>
				{(account) => (
					<AccountContext.Provider
						value={{
							account,
							reload: async () => {
								await refetch();
							},
							can: (p: Permission) => account().viewer.permissions.includes(p),
						}}
					>
						<Frame account={account()}>{props.children}</Frame>
					</AccountContext.Provider>
				)}
			</Match>
		</Switch>
	);
}

function NoAccess(props: { accountId: string }) {
	const { session } = useSession();
	return (
		<main class="auth-page" id="main">
			<div class="auth-card card">
				<div class="card-body">
					<h1>No access to “{props.accountId}”</h1>
					<p class="muted">This account does not exist, or you are not one of its people.</p>
					<Show when={(session()?.memberships.length ?? 0) > 0}>
						<h2>Your accounts</h2>
						<ul>
							<For each={session()?.memberships}>
								{(m) => (
									<li>
										<A href={`/${m.account.id}/`}>{m.account.name}</A>
									</li>
								)}
							</For>
						</ul>
					</Show>
				</div>
			</div>
		</main>
	);
}

function Frame(props: { account: Account; children: JSX.Element }) {
	const { session } = useSession();
	const base = () => `/${props.account.id}/`;
	// On a phone the navigation folds behind a Menu button; it folds again after each navigation.
	const location = useLocation();
	const [menuOpen, setMenuOpen] = createSignal(false);
	createEffect(on(() => location.pathname, () => setMenuOpen(false), { defer: true }));

	return (
		<RealtimeProvider accountId={props.account.id}>
		<div style={brandStyle(props.account.design)}>
			<a class="skip-link" href="#main">
				Skip to content
			</a>
			<header class="app-header">
				<div class="app-header-bar">
					<A class="brand" href={base()}>
						<Show when={props.account.design.logoUrl} fallback={<span class="brand-mark" aria-hidden="true">{props.account.design.title.slice(0, 1)}</span>}>
							{(logo) => <img class="brand-logo" src={logo()} alt="" />}
						</Show>
						<span class="brand-title">{props.account.design.title}</span>
					</A>
					<span class="spacer" />
					<SearchBox accountId={props.account.id} />
					<LiveIndicator />
					<NotificationBell accountId={props.account.id} />
					<button
						type="button"
						class="btn btn-ghost nav-toggle"
						aria-expanded={menuOpen()}
						aria-controls="account-nav"
						onClick={() => setMenuOpen(!menuOpen())}
					>
						<span aria-hidden="true">☰</span>
						<span>Menu</span>
					</button>
					<AccountSwitcher current={props.account} />
					<UserMenu />
				</div>
				<AccountNav account={props.account} open={menuOpen()} />
			</header>
			<main class="page" id="main" tabindex="-1">
				<Show when={session()?.emailVerified === false}>
					{/* Its own boundary: the rest of the page does not wait for the banner's code. */}
					<Suspense>
						<VerifyEmailBanner accountId={props.account.id} />
					</Suspense>
				</Show>
				{props.children}
			</main>
			<LiveAnnouncer />
		</div>
		</RealtimeProvider>
	);
}

const LIVE_WORDS = {
	live: { label: "Live", title: "Changes appear here as they happen." },
	connecting: { label: "Connecting…", title: "Opening the live connection." },
	reconnecting: { label: "Reconnecting…", title: "The live connection dropped. Trying again; missed changes are caught up." },
	outdated: { label: "Reload", title: "Trustdesk was updated: reload the page for live changes." },
	stopped: { label: "Not live", title: "Live changes are off. Reload the page to try again." },
} as const;

/** The live connection's state, discreetly: a dot and a word (the word alone on a phone). */
function LiveIndicator() {
	const realtime = useRealtime();
	const words = () => LIVE_WORDS[realtime.state()];
	return (
		<span class="live-indicator" data-state={realtime.state()} title={words().title} data-testid="live-indicator">
			<span class="live-dot" aria-hidden="true" />
			<span class="live-label">{words().label}</span>
		</span>
	);
}

function AccountSwitcher(props: { current: Account }) {
	const { session } = useSession();
	const navigate = useNavigate();
	return (
		<DropdownMenu>
			{/* Named by what it shows, then what it does (WCAG 2.5.3: the visible label starts the name). */}
			<DropdownMenu.Trigger class="btn btn-ghost switcher-trigger">
				<span>{props.current.name}</span>
				<span class="visually-hidden">. Switch account</span>
				<span aria-hidden="true">▾</span>
			</DropdownMenu.Trigger>
			<DropdownMenu.Portal>
				<DropdownMenu.Content class="menu">
					<DropdownMenu.Group>
						<DropdownMenu.GroupLabel class="menu-group-label">Switch account</DropdownMenu.GroupLabel>
						<For each={session()?.memberships ?? []}>
							{(m) => (
								<DropdownMenu.Item
									class="menu-item"
									data-current={m.account.id === props.current.id ? "" : undefined}
									onSelect={() => navigate(`/${m.account.id}/`)}
								>
									<DropdownMenu.ItemLabel class="menu-item-label">{m.account.name}</DropdownMenu.ItemLabel>
									<DropdownMenu.ItemDescription class="menu-item-description">
										{m.roles.map((r) => ROLE_LABELS[r]).join(", ")}
									</DropdownMenu.ItemDescription>
								</DropdownMenu.Item>
							)}
						</For>
					</DropdownMenu.Group>
					{/* A new account is a new organisation: offered to those who run this one, never to its end users. */}
					<Show when={props.current.viewer.roles.includes("account_administrator")}>
						<DropdownMenu.Separator class="menu-separator" />
						<DropdownMenu.Item class="menu-item" onSelect={() => navigate("/signup")}>
							<DropdownMenu.ItemLabel class="menu-item-label">Create another account…</DropdownMenu.ItemLabel>
						</DropdownMenu.Item>
					</Show>
				</DropdownMenu.Content>
			</DropdownMenu.Portal>
		</DropdownMenu>
	);
}

function UserMenu() {
	const { session, signOut } = useSession();
	const { account } = useAccount();
	const navigate = useNavigate();
	const [busy, setBusy] = createSignal(false);
	const name = () => session()?.person.name ?? "";
	return (
		<DropdownMenu>
			<DropdownMenu.Trigger class="btn btn-ghost icon-btn" aria-label={`Signed in as ${name()}. Open menu`}>
				<span class="avatar" aria-hidden="true">
					{initials(name())}
				</span>
			</DropdownMenu.Trigger>
			<DropdownMenu.Portal>
				<DropdownMenu.Content class="menu">
					<div class="menu-group-label">{name()}</div>
					<div class="menu-item-description" style={{ padding: "0 0.75rem 0.5rem" }}>
						{session()?.person.email}
					</div>
					<DropdownMenu.Separator class="menu-separator" />
					<DropdownMenu.Item class="menu-item" onSelect={() => navigate(`/${account().id}/profile`)}>
						<DropdownMenu.ItemLabel class="menu-item-label">Your profile</DropdownMenu.ItemLabel>
					</DropdownMenu.Item>
					<DropdownMenu.Item
						class="menu-item"
						disabled={busy()}
						onSelect={async () => {
							setBusy(true);
							try {
								await signOut();
							} finally {
								setBusy(false);
								navigate("/signin", { replace: true });
							}
						}}
					>
						<DropdownMenu.ItemLabel class="menu-item-label">Sign out</DropdownMenu.ItemLabel>
					</DropdownMenu.Item>
				</DropdownMenu.Content>
			</DropdownMenu.Portal>
		</DropdownMenu>
	);
}

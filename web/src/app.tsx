import { Route, Router, useLocation, type RouteSectionProps } from "@solidjs/router";
import { createEffect, lazy, on, Suspense } from "solid-js";
import { SessionProvider } from "./api/session";
import { focusPageHeading } from "./lib/route-focus";
import { dismissToastsOutside, Spinner, ToastRegion } from "./ui/feedback";

const StartPage = lazy(() => import("./pages/start"));
const SignInPage = lazy(() => import("./pages/sign-in"));
const SignUpPage = lazy(() => import("./pages/sign-up"));
const NotFoundPage = lazy(() => import("./pages/not-found"));
const InvitationPage = lazy(() => import("./pages/invitation"));
const ForgotPasswordPage = lazy(() => import("./pages/forgot-password"));
const ResetPasswordPage = lazy(() => import("./pages/reset-password"));
const VerifyEmailPage = lazy(() => import("./pages/verify-email"));
const AccountNotFoundPage = lazy(() => import("./pages/not-found").then((m) => ({ default: m.NotFoundInAccount })));
const AccountShell = lazy(() => import("./pages/account/shell"));
const HomePage = lazy(() => import("./pages/account/home"));
const PeoplePage = lazy(() => import("./pages/account/people"));
const TeamsPage = lazy(() => import("./pages/account/teams"));
const TokensPage = lazy(() => import("./pages/account/tokens"));
const AppsPage = lazy(() => import("./pages/account/apps"));
const SettingsPage = lazy(() => import("./pages/account/settings"));
const CatalogPage = lazy(() => import("./pages/account/catalog"));
const TrustsPage = lazy(() => import("./pages/account/trusts"));
const ServicesPage = lazy(() => import("./pages/account/services"));
const SlasPage = lazy(() => import("./pages/account/slas"));
const DeliveriesPage = lazy(() => import("./pages/account/deliveries"));
const MailLogPage = lazy(() => import("./pages/account/mail"));
const WebhooksPage = lazy(() => import("./pages/account/webhooks"));
const RequestsPage = lazy(() => import("./pages/account/requests"));
const NewRequestPage = lazy(() => import("./pages/account/new-request"));
const RequestPage = lazy(() => import("./pages/account/request"));
const InboxPage = lazy(() => import("./pages/account/inbox"));
const ReportsPage = lazy(() => import("./pages/account/reports"));
const ReportRequestsPage = lazy(() => import("./pages/account/report-requests"));
const ProfilePage = lazy(() => import("./pages/account/profile"));
const NotificationsPage = lazy(() => import("./pages/account/notifications"));
const SearchPage = lazy(() => import("./pages/account/search"));
const NotificationPreferencesPage = lazy(() => import("./pages/account/notification-preferences"));

/** What every navigation does: the last page's toasts go, focus goes to the new page's heading. */
function RouteEffects() {
	const location = useLocation();
	createEffect(
		on(
			() => location.pathname,
			(pathname) => {
				dismissToastsOutside(pathname);
				focusPageHeading();
			},
			{ defer: true },
		),
	);
	return null;
}

function Root(props: RouteSectionProps) {
	return (
		<SessionProvider>
			<RouteEffects />
			<Suspense fallback={<Spinner />}>{props.children}</Suspense>
			<ToastRegion />
		</SessionProvider>
	);
}

export function App() {
	return (
		<Router root={Root}>
			<Route path="/" component={StartPage} />
			<Route path="/signin" component={SignInPage} />
			<Route path="/signup" component={SignUpPage} />
			<Route path="/invitations/:token" component={InvitationPage} />
			<Route path="/forgot-password" component={ForgotPasswordPage} />
			<Route path="/reset-password" component={ResetPasswordPage} />
			<Route path="/verify-email" component={VerifyEmailPage} />
			<Route path="/:accountId" component={AccountShell}>
				<Route path="/" component={HomePage} />
				<Route path="/catalog" component={CatalogPage} />
				<Route path="/requests" component={RequestsPage} />
				<Route path="/requests/new" component={NewRequestPage} />
				<Route path="/requests/:requestId" component={RequestPage} />
				<Route path="/inbox" component={InboxPage} />
				<Route path="/trusts" component={TrustsPage} />
				<Route path="/services" component={ServicesPage} />
				<Route path="/slas" component={SlasPage} />
				<Route path="/reports" component={ReportsPage} />
				<Route path="/reports/requests" component={ReportRequestsPage} />
				<Route path="/deliveries" component={DeliveriesPage} />
				<Route path="/mail" component={MailLogPage} />
				<Route path="/webhooks" component={WebhooksPage} />
				<Route path="/people" component={PeoplePage} />
				<Route path="/teams" component={TeamsPage} />
				<Route path="/api-tokens" component={TokensPage} />
				<Route path="/apps" component={AppsPage} />
				<Route path="/settings" component={SettingsPage} />
				<Route path="/profile" component={ProfilePage} />
				<Route path="/profile/notifications" component={NotificationPreferencesPage} />
				<Route path="/notifications" component={NotificationsPage} />
				<Route path="/search" component={SearchPage} />
				<Route path="*" component={AccountNotFoundPage} />
			</Route>
			<Route path="*" component={NotFoundPage} />
		</Router>
	);
}

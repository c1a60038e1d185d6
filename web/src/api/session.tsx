// The signed-in person and their accounts, loaded once and shared through context.
import { createContext, createResource, useContext, type ParentProps, type Resource } from "solid-js";
import type { Session } from "../../../worker/shared/api";
import { api, ApiError, request, setCsrfToken } from "./client";

interface SessionContextValue {
	session: Resource<Session | null>;
	/** Replace the session (after sign-in or sign-up). */
	set(session: Session | null): void;
	/** Reload memberships (after creating an account, or roles changed). */
	refresh(): Promise<void>;
	signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue>();

async function loadSession(): Promise<Session | null> {
	try {
		const session = await request(api.session.$get());
		setCsrfToken(session.csrfToken);
		return session;
	} catch (err) {
		if (err instanceof ApiError && err.status === 401) return null;
		throw err;
	}
}

export function SessionProvider(props: ParentProps) {
	const [session, { mutate, refetch }] = createResource(loadSession);
	const value: SessionContextValue = {
		session,
		set(next) {
			if (next) setCsrfToken(next.csrfToken);
			mutate(next);
		},
		async refresh() {
			await refetch();
		},
		async signOut() {
			try {
				await request(api.session.$delete());
			} finally {
				setCsrfToken("");
				mutate(null);
			}
		},
	};
	return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
	const ctx = useContext(SessionContext);
	if (!ctx) throw new Error("useSession outside SessionProvider");
	return ctx;
}

import { createContext, useContext, type Accessor } from "solid-js";
import type { Account } from "../../../../worker/shared/api";
import type { Permission } from "../../../../worker/shared/roles";

export interface AccountContextValue {
	account: Accessor<Account>;
	reload(): Promise<void>;
	can(permission: Permission): boolean;
}

export const AccountContext = createContext<AccountContextValue>();

export function useAccount(): AccountContextValue {
	const ctx = useContext(AccountContext);
	if (!ctx) throw new Error("useAccount outside the account shell");
	return ctx;
}

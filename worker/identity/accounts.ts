// Creating accounts: the directory row and first administrator (D1), then the AccountObject.
import type { BatchItem } from "drizzle-orm/batch";
import type { Directory } from "../db/client";
import { findAccount } from "../db/accounts";
import { createAccountWithAdmin, type NewPerson } from "../db/people";
import { AppError } from "../http/errors";
import { accountStub } from "../http/account-object";

function isUniqueViolation(err: unknown): boolean {
	return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
}

/**
 * Creates an account with `admin` as its account administrator. The directory write is one
 * atomic batch; the AccountObject is initialized after it (idempotently, and again on first use
 * should this call fail half-way). `also` joins the directory batch (an idempotency key's record).
 */
export async function createAccount(
	env: Env,
	db: Directory,
	account: { id: string; name: string; timeZone?: string | undefined },
	admin: NewPerson | { existingPersonId: string },
	also: BatchItem<"sqlite">[] = [],
): Promise<void> {
	if (await findAccount(db, account.id)) {
		throw new AppError("conflict", `The account id "${account.id}" is taken.`, [{ path: "accountId", message: "This account id is taken." }]);
	}
	try {
		await createAccountWithAdmin(db, account, admin, also);
	} catch (err) {
		if (isUniqueViolation(err)) {
			const field = /people\.email/.test(String(err)) ? "email" : "accountId";
			throw new AppError("conflict", field === "email" ? "This e-mail address is already registered." : `The account id "${account.id}" is taken.`, [
				{ path: field, message: field === "email" ? "Already registered: sign in instead." : "This account id is taken." },
			]);
		}
		throw err;
	}
	await accountStub(env, account.id).initialize({ accountId: account.id, name: account.name, portalTitle: account.name, ...(account.timeZone ? { timeZone: account.timeZone } : {}) });
}

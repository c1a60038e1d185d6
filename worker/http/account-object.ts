// Reaching an account's Durable Object from the Worker. The account id given here must come
// from a checked source (a membership, a token, a directory row), never straight from input.
import type { AccountProfile } from "../account/profile";

export function accountStub(env: Env, accountId: string) {
	return env.ACCOUNT.getByName(accountId);
}

/**
 * The account's profile. If the AccountObject was never initialized (its initialization failed
 * after the directory row was written), it is initialized now from the directory's data.
 */
export async function loadProfile(env: Env, account: { id: string; name: string }): Promise<AccountProfile> {
	const stub = accountStub(env, account.id);
	return (await stub.getProfile()) ?? (await stub.initialize({ accountId: account.id, name: account.name, portalTitle: account.name }));
}

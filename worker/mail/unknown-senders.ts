// The account's memory of strangers it answered: an address that is nobody of this account gets
// one polite answer a day at most. The From of a mail is easy to forge, so without this memory
// anybody could make Trustdesk mail a third party as often as they like.
import { eq, lt } from "drizzle-orm";
import { transaction, type AccountDb } from "../account/db";
import { mailUnknownSenders } from "../account/schema";

export const UNKNOWN_SENDER_QUIET_MS = 24 * 60 * 60 * 1000;

/**
 * True when `address` may be answered now, and then records the answer (one transaction, so two
 * mails at once still get one answer). Forgets answers older than a day on the way.
 */
export function claimAnswer(db: AccountDb, address: string, now: number): boolean {
	const key = address.trim().toLowerCase();
	return transaction(db, () => {
		db.delete(mailUnknownSenders).where(lt(mailUnknownSenders.answeredAt, new Date(now - UNKNOWN_SENDER_QUIET_MS))).run();
		const last = db.select().from(mailUnknownSenders).where(eq(mailUnknownSenders.address, key)).get();
		if (last) return false;
		db.insert(mailUnknownSenders).values({ address: key, answeredAt: new Date(now) }).run();
		return true;
	});
}

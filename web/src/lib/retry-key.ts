// Idempotency keys for the portal's creates: a form sent again with the same content (after
// "Cannot reach Trustdesk", when the first try may well have gone through) carries the same
// Idempotency-Key, so the server answers it with the first answer instead of creating twice.
// Changed content, or the next create after a success, gets a new key.

/** A random key. Not crypto.randomUUID: that exists only on https and localhost. */
function newKey(): string {
	return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface RetryKeys {
	/** The `Idempotency-Key` header for sending `body`: the same key as the last unfinished send of the same body. */
	headersFor(body: unknown): { "Idempotency-Key": string };
	/** The create went through: the next one is a new create, even with the same content. */
	done(): void;
}

export function createRetryKeys(): RetryKeys {
	let pending: { body: string; key: string } | undefined;
	return {
		headersFor(body) {
			const text = JSON.stringify(body) ?? "";
			if (pending?.body !== text) pending = { body: text, key: newKey() };
			return { "Idempotency-Key": pending.key };
		},
		done() {
			pending = undefined;
		},
	};
}

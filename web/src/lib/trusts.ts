// A trust in words, for the Trusts page and the home card (a module of its own, so that the home
// page does not load the service model's words with it).
import type { Trust } from "../../../worker/shared/trust-api";

/** The relationship in one plain sentence, from this account's point of view. */
export function relation(t: Pick<Trust, "account" | "ourRole" | "status" | "initiatedBy">): string {
	const them = t.account.name;
	const theyProvide = t.ourRole === "customer";
	switch (t.status) {
		case "active":
			return theyProvide ? `${them} is your service provider.` : `${them} is your customer.`;
		case "pending":
			if (t.initiatedBy === "them") return theyProvide ? `${them} asks to become your service provider.` : `${them} asks you to become its service provider.`;
			return theyProvide
				? `You asked ${them} to become your service provider. Waiting for ${them} to answer.`
				: `You offered to become the service provider of ${them}. Waiting for ${them} to answer.`;
		case "rejected":
			return t.initiatedBy === "us" ? `${them} declined your request for a trust.` : `You declined the request of ${them}.`;
		case "cancelled":
			return t.initiatedBy === "us" ? "You withdrew your request for a trust." : `${them} withdrew its request for a trust.`;
		case "deactivated":
			return theyProvide ? `${them} was your service provider until the trust was deactivated.` : `${them} was your customer until the trust was deactivated.`;
	}
}

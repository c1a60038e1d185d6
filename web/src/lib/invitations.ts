// Words for invitations, shared by the People page, the invitee's home card and the accept page.
import type { Invitation, InvitationStatus } from "../../../worker/shared/invitation-api";
import { ROLE_LABELS, type Role } from "../../../worker/shared/roles";
import type { Tone } from "./services";

export const INVITATION_STATUS: Record<InvitationStatus, { label: string; tone: Tone }> = {
	pending: { label: "Pending", tone: "info" },
	accepted: { label: "Accepted", tone: "success" },
	declined: { label: "Declined", tone: "neutral" },
	revoked: { label: "Revoked", tone: "neutral" },
	expired: { label: "Expired", tone: "warning" },
};

/** "Specialist and End user" */
export function rolesText(roles: readonly Role[]): string {
	const labels = roles.map((r) => ROLE_LABELS[r]);
	if (labels.length <= 1) return labels.join("");
	return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

/** "Acme Corporation invites you to join as Specialist" */
export function invitationSentence(invitation: Invitation): string {
	return `${invitation.account.name} invites you to join as ${rolesText(invitation.roles)}`;
}

/** Copies text, quietly doing nothing where the browser refuses (the text stays on screen). */
export async function copyText(text: string): Promise<boolean> {
	try {
		await navigator.clipboard.writeText(text);
		return true;
	} catch {
		return false;
	}
}

// The trust handshake as a pure state machine. Each account keeps its own side of a trust; the
// two sides change only through commands of their own people and messages from the other side,
// delivered in order and exactly once. The rules below make both sides end in the same state
// whatever order crossing actions happen in (see test/unit/trust-machine.test.ts).
import type { TrustCapabilities, TrustRole, TrustStatus } from "../shared/trust-api";
import { NO_CAPABILITIES } from "../shared/trust-api";

export interface TrustState {
	/**
	 * Each request opens a new round with its own id; every answer names the round it answers, so
	 * a message about an earlier or a crossing request can never close the current one.
	 */
	round: string;
	ourRole: TrustRole;
	status: TrustStatus;
	initiatedBy: "us" | "them";
	capabilities: TrustCapabilities;
	proposedCapabilities: TrustCapabilities | null;
	proposedBy: "us" | "them" | null;
}

export type TrustCommand =
	| { type: "request"; ourRole: TrustRole; capabilities: TrustCapabilities; round: string }
	| { type: "accept" }
	| { type: "reject" }
	| { type: "cancel" }
	| { type: "deactivate" }
	| { type: "propose"; capabilities: TrustCapabilities }
	| { type: "accept-capabilities" }
	| { type: "reject-capabilities" };

/** What one side tells the other. `requested` names both parties, so roles cannot be confused. */
export type TrustMessage = { round: string } & (
	| { type: "requested"; customer: string; provider: string; capabilities: TrustCapabilities }
	| { type: "accepted"; capabilities: TrustCapabilities }
	| { type: "rejected" }
	| { type: "cancelled" }
	| { type: "deactivated" }
	| { type: "capabilities_proposed"; capabilities: TrustCapabilities }
	| { type: "capabilities_accepted"; capabilities: TrustCapabilities }
	| { type: "capabilities_rejected" }
);

export interface Outcome {
	state: TrustState | undefined;
	/** Messages for the other side, in order. */
	send: TrustMessage[];
	/** Entry for this side's history, or null when nothing happened. */
	action: string | null;
	detail?: string;
}

export type Decision = { ok: true; outcome: Outcome } | { ok: false; code: "conflict" | "not_found"; message: string };

// An ended trust grants nothing: its capabilities go back to none, on both sides alike (an
// answer to a proposal may cross the end and be applied on one side only).
const TERMINAL: ReadonlySet<TrustStatus> = new Set(["rejected", "cancelled", "deactivated"]);

export const sameCapabilities = (a: TrustCapabilities, b: TrustCapabilities) =>
	a.shareRoles === b.shareRoles && a.assignTasks === b.assignTasks && a.supportConfigurationItems === b.supportConfigurationItems;

const both = (a: TrustCapabilities, b: TrustCapabilities): TrustCapabilities => ({
	shareRoles: a.shareRoles && b.shareRoles,
	assignTasks: a.assignTasks && b.assignTasks,
	supportConfigurationItems: a.supportConfigurationItems && b.supportConfigurationItems,
});

/**
 * When both sides did the same kind of thing at once in incompatible ways (asked in opposite
 * directions, proposed different capabilities), the account with the smaller id wins on both
 * sides. Any fixed rule works; this one needs no clock.
 */
const weWin = (self: string, other: string) => self < other;

const unchanged = (state: TrustState | undefined): Decision => ({ ok: true, outcome: { state, send: [], action: null } });
const conflict = (message: string): Decision => ({ ok: false, code: "conflict", message });
const done = (state: TrustState, send: TrustMessage, action: string): Decision => ({ ok: true, outcome: { state, send: [send], action } });

function accepted(state: TrustState): Decision {
	const capabilities = state.proposedBy === "them" && state.proposedCapabilities ? state.proposedCapabilities : NO_CAPABILITIES;
	return done({ ...state, status: "active", capabilities, proposedCapabilities: null, proposedBy: null }, { type: "accepted", round: state.round, capabilities }, "accepted");
}

/** A command by a person of this account. `self` and `other` are the two account ids. */
export function decide(self: string, other: string, state: TrustState | undefined, cmd: TrustCommand): Decision {
	if (cmd.type === "request") {
		if (!state || TERMINAL.has(state.status)) {
			const next: TrustState = {
				round: cmd.round,
				ourRole: cmd.ourRole,
				status: "pending",
				initiatedBy: "us",
				capabilities: NO_CAPABILITIES,
				proposedCapabilities: cmd.capabilities,
				proposedBy: "us",
			};
			const [customer, provider] = cmd.ourRole === "customer" ? [self, other] : [other, self];
			return done(next, { type: "requested", round: cmd.round, customer, provider, capabilities: cmd.capabilities }, "requested");
		}
		if (state.status === "active") return conflict(`The trust with ${other} is already active.`);
		if (state.ourRole !== cmd.ourRole) {
			return conflict(
				state.initiatedBy === "them"
					? `${other} has asked for a trust the other way round. Accept or reject it first.`
					: `You have asked ${other} for a trust the other way round. Cancel that request first.`,
			);
		}
		// Asking for what the other side already asked for is agreeing to it.
		return state.initiatedBy === "them" ? accepted(state) : unchanged(state);
	}
	if (!state) return { ok: false, code: "not_found", message: `No trust with ${other}.` };

	switch (cmd.type) {
		case "accept":
			if (state.status === "active") return unchanged(state); // accepting twice is harmless
			if (state.status !== "pending") return conflict(`There is no pending trust request from ${other}.`);
			if (state.initiatedBy === "us") return conflict(`Waiting for ${other} to accept your request.`);
			return accepted(state);
		case "reject":
			if (state.status !== "pending" || state.initiatedBy !== "them") return conflict(`There is no pending trust request from ${other} to reject.`);
			return done({ ...state, status: "rejected", proposedCapabilities: null, proposedBy: null }, { type: "rejected", round: state.round }, "rejected");
		case "cancel":
			if (state.status !== "pending" || state.initiatedBy !== "us") return conflict(`You have no pending trust request to ${other} to cancel.`);
			return done({ ...state, status: "cancelled", proposedCapabilities: null, proposedBy: null }, { type: "cancelled", round: state.round }, "cancelled");
		case "deactivate":
			if (state.status === "deactivated") return unchanged(state);
			if (state.status !== "active") return conflict(`The trust with ${other} is not active.`);
			return done({ ...state, status: "deactivated", capabilities: NO_CAPABILITIES, proposedCapabilities: null, proposedBy: null }, { type: "deactivated", round: state.round }, "deactivated");
		case "propose":
			if (state.status !== "active") return conflict("Capabilities can only be changed on an active trust.");
			if (state.proposedBy === "them") return conflict(`${other} has proposed capabilities; accept or reject that first.`);
			// Answers name no proposal: if a second proposal could replace ours while the other side
			// answers the first, that answer would close the second here and leave it open there.
			if (state.proposedBy === "us") return conflict(`Wait for ${other} to answer your proposal first.`);
			if (sameCapabilities(cmd.capabilities, state.capabilities)) return conflict("These are the capabilities already agreed.");
			return done(
				{ ...state, proposedCapabilities: cmd.capabilities, proposedBy: "us" },
				{ type: "capabilities_proposed", round: state.round, capabilities: cmd.capabilities },
				"proposed capabilities",
			);
		case "accept-capabilities": {
			if (state.status !== "active" || state.proposedBy !== "them" || !state.proposedCapabilities) {
				return conflict(`There is no capability change from ${other} to accept.`);
			}
			const capabilities = state.proposedCapabilities;
			return done(
				{ ...state, capabilities, proposedCapabilities: null, proposedBy: null },
				{ type: "capabilities_accepted", round: state.round, capabilities },
				"accepted capabilities",
			);
		}
		case "reject-capabilities":
			if (state.status !== "active" || state.proposedBy !== "them") return conflict(`There is no capability change from ${other} to reject.`);
			return done({ ...state, proposedCapabilities: null, proposedBy: null }, { type: "capabilities_rejected", round: state.round }, "rejected capabilities");
	}
}

/** A message from the other side, already de-duplicated and in order. Never fails: a message
 * that no longer fits (the two sides crossed) is absorbed by the rules. */
export function apply(self: string, other: string, state: TrustState | undefined, msg: TrustMessage): Outcome {
	const same = (next: TrustState | undefined, action: string | null, detail?: string): Outcome =>
		detail === undefined ? { state: next, send: [], action } : { state: next, send: [], action, detail };

	if (msg.type === "requested") {
		const ourRole: TrustRole = msg.customer === self ? "customer" : "provider";
		const theirs: TrustState = {
			round: msg.round,
			ourRole,
			status: "pending",
			initiatedBy: "them",
			capabilities: NO_CAPABILITIES,
			proposedCapabilities: msg.capabilities,
			proposedBy: "them",
		};
		if (!state || TERMINAL.has(state.status)) return same(theirs, "requested");
		if (state.status === "active") return same(state, null);
		if (state.initiatedBy === "them") return same(theirs, null);
		// Both sides asked at once. The account with the smaller id keeps its request; the other
		// withdraws its own and answers the winner's: accepting it when both wanted the same thing.
		if (weWin(self, other)) return same(state, "set aside a crossing request", `${other} asked at the same time.`);
		const withdraw: TrustMessage = { type: "cancelled", round: state.round };
		if (state.ourRole === ourRole) {
			const capabilities = both(state.proposedCapabilities ?? NO_CAPABILITIES, msg.capabilities);
			return {
				state: { ...theirs, status: "active", capabilities, proposedCapabilities: null, proposedBy: null },
				send: [{ type: "accepted", round: msg.round, capabilities }, withdraw],
				action: "accepted",
				detail: "Both accounts asked at the same time.",
			};
		}
		return { state: theirs, send: [withdraw], action: "requested", detail: "Replaces our crossing request the other way round." };
	}
	if (!state || state.round !== msg.round) return same(state, null);

	switch (msg.type) {
		case "accepted":
			if (state.status === "pending" && state.initiatedBy === "us") {
				return same({ ...state, status: "active", capabilities: msg.capabilities, proposedCapabilities: null, proposedBy: null }, "accepted");
			}
			return same(state, null);
		case "rejected":
			// Withdrawing wins over rejecting (see "cancelled"): if we cancelled meanwhile, we stay cancelled.
			if (state.status === "pending" && state.initiatedBy === "us") {
				return same({ ...state, status: "rejected", proposedCapabilities: null, proposedBy: null }, "rejected");
			}
			return same(state, null);
		case "cancelled":
			// They withdrew this round: it ends cancelled here too, even if we had accepted, rejected or
			// already deactivated it meanwhile (the round never became active on their side). Their
			// withdrawal always reaches us, whereas our answer may find them on another round already
			// (a crossing request replaced theirs) and be ignored there: so the withdrawal must win.
			if (
				(state.status === "pending" && state.initiatedBy === "them") ||
				(state.status === "rejected" && state.initiatedBy === "them") ||
				state.status === "active" ||
				state.status === "deactivated"
			) {
				return same({ ...state, status: "cancelled", capabilities: NO_CAPABILITIES, proposedCapabilities: null, proposedBy: null }, "cancelled");
			}
			return same(state, null);
		case "deactivated":
			if (state.status === "active") return same({ ...state, status: "deactivated", capabilities: NO_CAPABILITIES, proposedCapabilities: null, proposedBy: null }, "deactivated");
			return same(state, null);
		case "capabilities_proposed":
			if (state.status !== "active") return same(state, null);
			if (state.proposedBy === "us" && weWin(self, other)) {
				return same(state, "set aside a crossing capability proposal", `${other} proposed other capabilities at the same time.`);
			}
			return same({ ...state, proposedCapabilities: msg.capabilities, proposedBy: "them" }, "proposed capabilities");
		case "capabilities_accepted":
			if (state.status === "active" && state.proposedBy === "us") {
				return same({ ...state, capabilities: msg.capabilities, proposedCapabilities: null, proposedBy: null }, "accepted capabilities");
			}
			return same(state, null);
		case "capabilities_rejected":
			if (state.status === "active" && state.proposedBy === "us") {
				return same({ ...state, proposedCapabilities: null, proposedBy: null }, "rejected capabilities");
			}
			return same(state, null);
	}
}

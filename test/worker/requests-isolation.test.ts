// Isolation of a request: every request endpoint and socket message, tried by people of initech
// (no trust), of globex (another customer of the same provider) and by an end user of the
// customer who is not the requester. Nothing is readable or changeable (404, state unchanged), and
// no socket frame of theirs ever mentions the request.
import { beforeAll, describe, expect, it } from "vitest";
import type { Request as RequestView, RequestSummary } from "../../worker/shared/request-api";
import { type AccountAdmin, addMember, call, type Caller, callJson, createTeam, expectError, signUp, callItems } from "./helpers";
import { act, activeSla, countRows, inboxOf, makeWorld, openSocket, quiet, register, requestsPath, type Socket, type World } from "./request-helpers";
import { onboard, settle } from "./service-helpers";

const SUBJECT = "Mailbox full of board minutes";
const SHARED = "shared-note-5d1e";
const ACME_INTERNAL = "acme-internal-0b7c";
const WIDGET_INTERNAL = "widget-internal-e24f";

let w: World;
let initech: AccountAdmin;
let globex: AccountAdmin;
let r: RequestSummary;
const OUTSIDERS = [
	"initech's administrator",
	"initech's specialist",
	"initech's end user",
	"globex's administrator",
	"globex's specialist",
	"globex's end user",
	"acme's end user Carol (not the requester)",
] as const;
/** Every outsider, the account they act in, and their own socket there. */
let outsiders: { label: (typeof OUTSIDERS)[number]; accountId: string; as: Caller; socket?: Socket }[] = [];
let before: { owner: RequestView; provider: RequestView; notes: number; audit: number; events: number };

const snapshot = async () => ({
	owner: await callJson<RequestView>(requestsPath(w.customer.accountId, r.id), 200, { as: w.adam }),
	provider: await callJson<RequestView>(requestsPath(w.provider.accountId, r.id), 200, { as: w.bob }),
	notes: await countRows(w.customer.accountId, "request_notes", r.id),
	audit: await countRows(w.customer.accountId, "request_audit", r.id),
	events: await countRows(w.provider.accountId, "events", r.id),
});

/** Every command the actions endpoint takes, each valid in itself. */
const commands = (teamId: string, memberId: string) => [
	{ type: "note", body: "Let me in" },
	{ type: "note", body: "Let me in", internal: true },
	{ type: "accept" },
	{ type: "set_status", status: "completed", completionReason: "solved" },
	{ type: "set_status", status: "in_progress" },
	{ type: "assign", teamId },
	{ type: "assign", memberId },
	{ type: "assign", teamId, memberId: null },
	{ type: "reopen" },
	{ type: "withdraw", note: "Withdrawn by someone else" },
];

beforeAll(async () => {
	w = await makeWorld();
	[initech, globex] = await Promise.all([signUp(), signUp()]);
	await onboard(w.provider, globex);
	const globexSla = await activeSla(w.provider, w.model, globex.accountId);
	const [iSpec, iUser, gSpec, gUser] = await Promise.all([
		addMember(initech, initech.accountId, ["specialist"]),
		addMember(initech, initech.accountId, ["end_user"]),
		addMember(globex, globex.accountId, ["specialist"]),
		addMember(globex, globex.accountId, ["end_user"]),
	]);
	// Globex has a request of its own with the same provider and team, and a team of its own.
	await register({ provider: w.provider, customer: globex }, globexSla, gUser, { subject: "Globex's own" });
	await createTeam(globex, globex.accountId, { name: "Globex Desk", memberIds: [gSpec.id] });

	r = await register(w, w.sla, w.alice, { subject: SUBJECT, note: SHARED });
	await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
	await act(w.customer.accountId, r.id, w.adam, { type: "note", body: ACME_INTERNAL, internal: true });
	await act(w.provider.accountId, r.id, w.bob, { type: "note", body: WIDGET_INTERNAL, internal: true });
	await settle(w.customer.accountId, w.provider.accountId);

	outsiders = [
		{ label: "initech's administrator", accountId: initech.accountId, as: initech },
		{ label: "initech's specialist", accountId: initech.accountId, as: iSpec },
		{ label: "initech's end user", accountId: initech.accountId, as: iUser },
		{ label: "globex's administrator", accountId: globex.accountId, as: globex },
		{ label: "globex's specialist", accountId: globex.accountId, as: gSpec },
		{ label: "globex's end user", accountId: globex.accountId, as: gUser },
		{ label: "acme's end user Carol (not the requester)", accountId: w.customer.accountId, as: w.carol },
	];
	for (const o of outsiders) o.socket = await openSocket(o.accountId, o.as);
	before = await snapshot();
}, 30_000);

describe.each(OUTSIDERS)("%s", (label) => {
	const o = () => {
		const found = outsiders.find((x) => x.label === label);
		if (!found) throw new Error(`no ${label}`);
		return found;
	};

	it("cannot read it on any account's path: 404", async () => {
		for (const account of new Set([o().accountId, w.customer.accountId, w.provider.accountId])) {
			await expectError(await call(requestsPath(account, r.id), { as: o().as }), 404, "not_found");
		}
	});

	it("cannot act on it with any command on any account's path: 404, just as for an id that does not exist", async () => {
		const teams = await callItems<{ id: string }>(`/accounts/${o().accountId}/teams`, { as: o().accountId === initech.accountId ? initech : o().accountId === globex.accountId ? globex : w.customer });
		const teamId = teams[0]?.id ?? w.model.team.id;
		const answer = async (account: string, id: string, body: unknown) => {
			const res = await call(`${requestsPath(account, id)}/actions`, { as: o().as, body });
			const { error } = (await res.json()) as { error: { code: string; details?: { path: string }[] } };
			return `${res.status} ${error.code} ${error.details?.map((d) => d.path).join(",") ?? ""}`;
		};
		for (const account of new Set([o().accountId, w.customer.accountId, w.provider.accountId])) {
			for (const body of [...commands(teamId, "psn_notamember000000"), ...commands(w.model.team.id, w.bob.id)]) {
				const got = await answer(account, r.id, body);
				const what = `${o().label} on ${account}: ${JSON.stringify(body)}`;
				// The same answer as for a made-up id: nothing tells the request exists.
				expect(got, what).toBe(await answer(account, "req_madeupmadeup000", body));
				// Only a member id that is no person of the account is refused first, whatever the request.
				const namesStranger = "memberId" in body && body.memberId !== null;
				expect(got, what).toBe(namesStranger && account === o().accountId ? "400 invalid_input memberId" : "404 not_found ");
			}
		}
	});

	it("finds it in no list and no Inbox", async () => {
		const lists = [`${requestsPath(o().accountId)}`, `${requestsPath(o().accountId)}?status=open`];
		for (const path of lists) {
			const res = await call(path, { as: o().as });
			expect(await res.text()).not.toContain(r.id);
		}
		const all = await call(`${requestsPath(o().accountId)}?scope=account`, { as: o().as });
		expect(await all.text()).not.toContain(r.id);
		const inbox = await call(`/accounts/${o().accountId}/inbox?status=accepted`, { as: o().as });
		expect(await inbox.text()).not.toContain(r.id);
	});

	it("hears nothing of it on the socket, live or replayed, whatever it sends", async () => {
		const socket = o().socket as Socket;
		for (const frame of [{ type: "resume", lastSeq: 0 }, { type: "resume", lastSeq: 0, requestId: r.id }, { type: "subscribe", requestId: r.id }, { type: "resume", lastSeq: 1, account: w.customer.accountId }]) {
			socket.send(JSON.stringify(frame));
		}
		await quiet();
		expect(socket.closed).toBeNull();
	});
});

describe("after every attempt", () => {
	it("the request is exactly as it was, on both sides", async () => {
		expect(await snapshot()).toEqual(before);
		expect(before.owner.status).toBe("accepted");
	});

	it("the people who may see it still can, and changes reach them but no outsider's socket", async () => {
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body: "Live after the attempts" });
		await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "waiting_for_customer" });
		await settle(w.customer.accountId, w.provider.accountId, globex.accountId, initech.accountId);
		expect((await inboxOf(w.provider.accountId, w.bob)).items.map((i) => i.id)).toContain(r.id);
		await quiet(150);
		for (const o of outsiders) {
			const heard = JSON.stringify(o.socket?.frames ?? []);
			for (const secret of [r.id, SUBJECT, SHARED, ACME_INTERNAL, WIDGET_INTERNAL, "Live after the attempts"]) {
				expect(heard, `${o.label} heard ${secret}`).not.toContain(secret);
			}
			await o.socket?.close();
		}
	});
});

// Notifications (issue 9, points 1 and 2): every kind, computed once in the account that owns the
// fact; never to the one who acted; internal notes never to requesters; one notification even
// when the cross-account message is delivered twice; pushed live to the recipient's sockets
// only; preferences with defaults by role; the API for one's own notifications only.
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { accountDb } from "../../worker/account/db";
import { notify, UNREAD_CAP } from "../../worker/account/notifications";
import type { Notification, NotificationPage, NotificationPreferences } from "../../worker/shared/notification-api";
import type { ServerFrame } from "../../worker/shared/request-api";
import { addMember, type Caller, callError, callJson, createToken, signUp } from "./helpers";
import { act, makeWorld, openSocket, quiet, register, setTeam, type World } from "./request-helpers";
import { actOnTrust, askTrust, inObject, setClock, settle, stubOf } from "./service-helpers";
import { freeze, testMonday, thaw, wall } from "./sla-helpers";

const MINUTE = 60_000;
const base = (accountId: string) => `/accounts/${accountId}/notifications`;

async function listOf(accountId: string, as: Caller, query = ""): Promise<NotificationPage> {
	return callJson<NotificationPage>(`${base(accountId)}${query ? `?${query}` : ""}`, 200, { as });
}

/** The person's notifications about one request (all pages are small here). */
async function about(accountId: string, as: Caller, requestId: string): Promise<Notification[]> {
	return (await listOf(accountId, as, "order=newest&limit=100")).items.filter((n) => n.request?.id === requestId);
}

const kindsOf = (ns: Notification[]) => ns.map((n) => n.kind);

type NotificationFrame = Extract<ServerFrame, { type: "notification" }>;
const isNotification = (f: ServerFrame): f is NotificationFrame => f.type === "notification";

let w: World;
beforeAll(async () => {
	w = await makeWorld();
	// Sam joins Bob's team: a second member, to see team-wide and member-only notifications apart.
	await setTeam(w.provider, w.model.team.id, [w.bob.id, w.sam.id]);
}, 60_000);

/** The notification e-mails an account queued (mail_outbox), oldest first. */
async function notificationMails(accountId: string): Promise<{ personId: string | null; subject: string; requestId: string | null; paragraphs: string[] }[]> {
	return inObject(accountId, (_i, state) =>
		state.storage.sql
			.exec<{ person_id: string | null; subject: string; request_id: string | null; content: string | null }>(
				"select person_id, subject, request_id, content from mail_outbox where kind = 'notification' order by created_at, rowid",
			)
			.toArray()
			.map((r) => ({ personId: r.person_id, subject: r.subject, requestId: r.request_id, paragraphs: r.content ? (JSON.parse(r.content) as { paragraphs: string[] }).paragraphs : [] })),
	);
}

describe("a request registered in a customer's account", () => {
	it("tells the provider's team (request_assigned) live on their own sockets, not the requester who registered it", async () => {
		const [bob, admin, alice] = await Promise.all([openSocket(w.provider.accountId, w.bob), openSocket(w.provider.accountId, w.provider), openSocket(w.customer.accountId, w.alice)]);
		const before = (await listOf(w.provider.accountId, w.bob)).unread;
		const r = await register(w, w.sla, w.alice, { subject: "Printer on fire", note: "Smoke everywhere" });
		const frame = (await bob.next((f) => isNotification(f) && f.notification.request?.id === r.id, "Bob's notification")) as NotificationFrame;
		expect(frame.notification).toMatchObject({
			kind: "request_assigned",
			title: expect.stringContaining(`#${r.number}`),
			body: "Smoke everywhere",
			request: { id: r.id, number: r.number, accountId: w.customer.accountId },
			link: `/${w.provider.accountId}/requests/${r.id}`,
			actorName: "Alice Archer",
			readAt: null,
		});
		expect(frame.unread).toBe(before + 1);
		await quiet();
		// The provider's administrator is in no team; Alice registered it herself.
		expect(admin.frames.filter(isNotification)).toEqual([]);
		expect(alice.frames.filter(isNotification)).toEqual([]);
		expect(kindsOf(await about(w.provider.accountId, w.bob, r.id))).toEqual(["request_assigned"]);
		expect(kindsOf(await about(w.provider.accountId, w.sam, r.id))).toEqual(["request_assigned"]);
		expect(await about(w.provider.accountId, w.provider, r.id)).toEqual([]);
		expect(await about(w.customer.accountId, w.alice, r.id)).toEqual([]);
		await Promise.all([bob.close(), admin.close(), alice.close()]);
	});

	it("is told once even when the message is delivered twice (the provider reset after applying it)", async () => {
		await inObject(w.provider.accountId, (instance) => {
			instance.hooks.abortAfterApply = true;
		});
		const r = await register(w, w.sla, w.alice, { subject: "Delivered twice" });
		try {
			// The customer saw no answer, so the message is still waiting; the provider did apply it.
			expect((await stubOf(w.customer.accountId).listOutbox()).map((m) => m.attempts)).toEqual([1]);
			await setClock(w.customer.accountId, 10 * MINUTE);
			await settle(w.customer.accountId, w.provider.accountId);
			expect(await stubOf(w.customer.accountId).listOutbox()).toEqual([]);
		} finally {
			await setClock(w.customer.accountId, 0);
		}
		expect(kindsOf(await about(w.provider.accountId, w.bob, r.id))).toEqual(["request_assigned"]);
		expect(kindsOf(await about(w.provider.accountId, w.sam, r.id))).toEqual(["request_assigned"]);
	});

	it("registered for someone else: that person hears of it (my_request_updated)", async () => {
		const r = await register(w, w.sla, w.adam, { subject: "For Carol", requestedForId: w.carol.id });
		expect(await about(w.customer.accountId, w.carol, r.id)).toMatchObject([{ kind: "my_request_updated", actorName: "Adam Price", link: `/${w.customer.accountId}/requests/${r.id}` }]);
		expect(await about(w.customer.accountId, w.adam, r.id)).toEqual([]);
	});
});

describe("changes to a request", () => {
	it("the requester hears of status changes and shared notes, never of internal ones; the actor never hears of their own act", async () => {
		const r = await register(w, w.sla, w.alice, { subject: "Changes" });
		const alice = await openSocket(w.customer.accountId, w.alice);
		// Bob picks it up: he becomes its member; Alice hears it is accepted.
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		await settle(w.provider.accountId, w.customer.accountId);
		const accepted = (await alice.next((f) => isNotification(f) && f.notification.request?.id === r.id, "Alice's notification")) as NotificationFrame;
		expect(accepted.notification).toMatchObject({ kind: "my_request_updated", title: expect.stringContaining("accepted"), actorName: "Bob Baker" });
		expect(kindsOf(await about(w.provider.accountId, w.bob, r.id))).toEqual(["request_assigned"]);

		// Sam's internal note: Bob (its member) hears of it in the provider's account; Alice never does.
		await act(w.provider.accountId, r.id, w.sam, { type: "note", body: "Internal: the quota is 2 GB", internal: true });
		const bobs = await about(w.provider.accountId, w.bob, r.id);
		expect(bobs[0]).toMatchObject({ kind: "request_updated", title: expect.stringContaining("internal note"), body: "Internal: the quota is 2 GB", actorName: "Sam Smith" });
		// Bob's shared note: Alice hears of it with an excerpt; Bob does not hear of his own note.
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: `Raised the quota.\n\n${"More detail. ".repeat(40)}` });
		await settle(w.provider.accountId, w.customer.accountId);
		const alices = await about(w.customer.accountId, w.alice, r.id);
		expect(kindsOf(alices)).toEqual(["my_request_updated", "my_request_updated"]);
		expect(alices[0]?.body).toMatch(/^Raised the quota\. More detail\./);
		expect(alices[0]?.body?.length).toBeLessThanOrEqual(200);
		expect(JSON.stringify(alices)).not.toContain("quota is 2 GB");
		expect(kindsOf(await about(w.provider.accountId, w.bob, r.id))).toEqual(["request_updated", "request_assigned"]);
		// An internal note of the customer's own specialist: its requester hears nothing, nor does the provider.
		await act(w.customer.accountId, r.id, w.adam, { type: "note", body: "Internal at Acme: Alice asked twice", internal: true });
		await settle(w.customer.accountId, w.provider.accountId);
		expect(kindsOf(await about(w.customer.accountId, w.alice, r.id))).toEqual(["my_request_updated", "my_request_updated"]);
		expect(kindsOf(await about(w.provider.accountId, w.bob, r.id))).toEqual(["request_updated", "request_assigned"]);
		await alice.close();
	});

	it("waiting for the customer tells the requester (waiting_for_me, by e-mail too); the answer tells the member", async () => {
		const r = await register(w, w.sla, w.alice, { subject: "Which mailbox?" });
		await act(w.provider.accountId, r.id, w.bob, { type: "accept" });
		await act(w.provider.accountId, r.id, w.bob, { type: "set_status", status: "waiting_for_customer", note: "Which mailbox is full?" });
		await settle(w.provider.accountId, w.customer.accountId);
		const waiting = await about(w.customer.accountId, w.alice, r.id);
		expect(waiting[0]).toMatchObject({ kind: "waiting_for_me", body: "Which mailbox is full?" });
		// End users want e-mail on every change to their requests: the seam got it, exactly once.
		const emails = await notificationMails(w.customer.accountId);
		expect(emails.filter((m) => m.requestId === r.id && m.subject === waiting[0]?.title).map((m) => m.personId)).toEqual([w.alice.id]);

		const before = kindsOf(await about(w.provider.accountId, w.bob, r.id));
		await act(w.customer.accountId, r.id, w.alice, { type: "note", body: "The sales one." });
		await settle(w.customer.accountId, w.provider.accountId);
		const bobs = await about(w.provider.accountId, w.bob, r.id);
		expect(kindsOf(bobs)).toEqual(["request_updated", ...before]);
		expect(bobs[0]).toMatchObject({ actorName: "Alice Archer", body: "The sales one." });
		// Alice answered herself: nothing new for her.
		expect(kindsOf(await about(w.customer.accountId, w.alice, r.id))).toEqual(kindsOf(waiting));
		// Specialists get request_updated in the app only (their default): no e-mail for Bob.
		const providerEmails = await notificationMails(w.provider.accountId);
		expect(providerEmails.some((m) => m.personId === w.bob.id && m.subject === bobs[0]?.title)).toBe(false);
	});

	it("assigning to a member tells that member only (request_assigned), by e-mail too", async () => {
		const r = await register(w, w.sla, w.alice, { subject: "For Sam" });
		await act(w.provider.accountId, r.id, w.bob, { type: "assign", memberId: w.sam.id });
		const sams = await about(w.provider.accountId, w.sam, r.id);
		expect(sams[0]).toMatchObject({ kind: "request_assigned", title: expect.stringContaining("assigned to you"), actorName: "Bob Baker" });
		expect(kindsOf(await about(w.provider.accountId, w.bob, r.id))).toEqual(["request_assigned"]);
		const emails = await notificationMails(w.provider.accountId);
		expect(emails.filter((m) => m.requestId === r.id && m.subject === sams[0]?.title).map((m) => m.personId)).toEqual([w.sam.id]);
	});
});

describe("SLA warnings and breaches", () => {
	it("the provider's alarm tells the member working on the request, once", async () => {
		const monday = testMonday();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		try {
			await freeze([P, C], wall(monday, 0, "10:00"));
			const r = await register(w, w.sla, w.alice, { subject: "Urgent", impact: "high" });
			await act(P, r.id, w.bob, { type: "assign", memberId: w.bob.id });
			const bob = await openSocket(P, w.bob);
			await freeze([P], wall(monday, 0, "11:05"));
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			const frame = (await bob.next((f) => isNotification(f) && f.notification.kind === "sla_breach" && f.notification.request?.id === r.id, "the breach")) as NotificationFrame;
			expect(frame.notification).toMatchObject({ title: expect.stringContaining("Response target breached"), request: { id: r.id } });
			expect(kindsOf(await about(P, w.bob, r.id))).toEqual(["sla_breach", "sla_warning", "request_assigned"]);
			// Sam is in the team but not working on it.
			expect(kindsOf(await about(P, w.sam, r.id))).toEqual(["request_assigned"]);
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			expect(kindsOf(await about(P, w.bob, r.id))).toEqual(["sla_breach", "sla_warning", "request_assigned"]);
			await bob.close();
		} finally {
			await thaw([P, C]);
		}
	});
});

describe("a team with a coordinator", () => {
	/** Names (or clears) the coordinator of the world's team, as its administrator does. */
	const coordinate = (coordinatorId: string | null) =>
		callJson(`/accounts/${w.provider.accountId}/teams/${w.model.team.id}`, 200, { as: w.provider, method: "PATCH", body: { coordinatorId } });

	it("its coordinator alone hears of the team's new work, in the app and by e-mail; every member again once it has none", async () => {
		const P = w.provider.accountId;
		await coordinate(w.sam.id);
		try {
			const r = await register(w, w.sla, w.alice, { subject: "For the coordinator" });
			const sams = await about(P, w.sam, r.id);
			expect(sams).toMatchObject([{ kind: "request_assigned", title: expect.stringContaining("assigned to") }]);
			expect(await about(P, w.bob, r.id)).toEqual([]);
			const emails = await notificationMails(P);
			expect(emails.filter((m) => m.requestId === r.id).map((m) => m.personId)).toEqual([w.sam.id]);
			// The coordinator hands it on: now Bob hears of it, as its member.
			await act(P, r.id, w.sam, { type: "assign", memberId: w.bob.id });
			expect(await about(P, w.bob, r.id)).toMatchObject([{ kind: "request_assigned", title: expect.stringContaining("assigned to you"), actorName: "Sam Smith" }]);
		} finally {
			await coordinate(null);
		}
		const r = await register(w, w.sla, w.alice, { subject: "No coordinator any more" });
		expect(kindsOf(await about(P, w.bob, r.id))).toEqual(["request_assigned"]);
		expect(kindsOf(await about(P, w.sam, r.id))).toEqual(["request_assigned"]);
	});

	it("a warning or breach of work nobody has picked up goes to the coordinator", async () => {
		const monday = testMonday();
		const P = w.provider.accountId;
		const C = w.customer.accountId;
		await coordinate(w.bob.id);
		try {
			await freeze([P, C], wall(monday, 0, "10:00"));
			const r = await register(w, w.sla, w.alice, { subject: "Unpicked", impact: "high" });
			await freeze([P], wall(monday, 0, "11:05"));
			expect(await runDurableObjectAlarm(stubOf(P))).toBe(true);
			expect(kindsOf(await about(P, w.bob, r.id))).toEqual(["sla_breach", "sla_warning", "request_assigned"]);
			expect(await about(P, w.sam, r.id)).toEqual([]);
		} finally {
			await thaw([P, C]);
			await coordinate(null);
		}
	});
});

describe("trusts", () => {
	it("a trust asked for, becoming active or ending tells the account's administrators, never the one who acted", async () => {
		const [provider, customer] = await Promise.all([signUp(), signUp()]);
		const secondAdmin = await addMember(provider, provider.accountId, ["account_administrator"], "Second Admin");
		const specialist = await addMember(provider, provider.accountId, ["specialist"], "Not An Admin");
		const trustKinds = async (accountId: string, as: Caller) => (await listOf(accountId, as, "order=newest")).items.filter((n) => n.trustAccountId !== null).map((n) => n.kind);

		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		const asked = (await listOf(provider.accountId, provider)).items[0];
		expect(asked).toMatchObject({ kind: "trust_asked", trustAccountId: customer.accountId, link: `/${provider.accountId}/trusts`, actorName: "Ada Admin" });
		expect(await trustKinds(provider.accountId, secondAdmin)).toEqual(["trust_asked"]);
		expect(await trustKinds(provider.accountId, specialist)).toEqual([]);
		expect(await trustKinds(customer.accountId, customer)).toEqual([]); // they asked themselves

		// The provider's administrator accepts: the other side's administrators and their own
		// co-administrator hear that it is active; the one who accepted does not.
		await actOnTrust(provider, customer.accountId, "accept");
		await settle(customer.accountId, provider.accountId);
		expect(await trustKinds(customer.accountId, customer)).toEqual(["trust_accepted"]);
		expect(await trustKinds(provider.accountId, secondAdmin)).toEqual(["trust_accepted", "trust_asked"]);
		expect(await trustKinds(provider.accountId, provider)).toEqual(["trust_asked"]);

		await actOnTrust(customer, provider.accountId, "deactivate");
		await settle(customer.accountId, provider.accountId);
		expect(await trustKinds(provider.accountId, provider)).toEqual(["trust_ended", "trust_asked"]);
		expect(await trustKinds(provider.accountId, secondAdmin)).toEqual(["trust_ended", "trust_accepted", "trust_asked"]);
		expect(await trustKinds(customer.accountId, customer)).toEqual(["trust_accepted"]);
		expect(await trustKinds(provider.accountId, specialist)).toEqual([]);
	});
});

describe("the list, unread count and marking read", () => {
	it("pages by cursor, unread first, and marks one or all read", async () => {
		const [provider, customer] = await Promise.all([signUp(), signUp()]);
		// Five trust events for the provider's administrator: asked, then ended and asked again twice.
		await askTrust(customer, provider.accountId, "customer");
		await settle(customer.accountId, provider.accountId);
		for (let i = 0; i < 2; i++) {
			await actOnTrust(provider, customer.accountId, "accept");
			await settle(customer.accountId, provider.accountId);
			await actOnTrust(customer, provider.accountId, "deactivate");
			await settle(customer.accountId, provider.accountId);
			await askTrust(customer, provider.accountId, "customer");
			await settle(customer.accountId, provider.accountId);
		}
		const P = provider.accountId;
		const all = await listOf(P, provider, "order=newest&limit=100");
		expect(all.items.length).toBe(5);
		expect(all.unread).toBe(5);
		expect(await callJson(`${base(P)}/unread-count`, 200, { as: provider })).toEqual({ unread: 5 });

		// Mark the second newest read: unread first puts it last.
		const second = all.items[1] as Notification;
		const marked = await callJson<{ notification: Notification; unread: number }>(`${base(P)}/${second.id}/read`, 200, { as: provider, method: "PUT" });
		expect(marked.unread).toBe(4);
		expect(marked.notification.readAt).not.toBeNull();
		// Again: no change.
		expect((await callJson<{ notification: Notification }>(`${base(P)}/${second.id}/read`, 200, { as: provider, method: "PUT" })).notification.readAt).toBe(marked.notification.readAt);

		const pages: Notification[][] = [];
		let cursor: string | null = null;
		do {
			const page: NotificationPage = await listOf(P, provider, `limit=2${cursor ? `&cursor=${cursor}` : ""}`);
			pages.push(page.items);
			cursor = page.nextCursor;
		} while (cursor && pages.length < 10);
		expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
		expect(pages.flat().map((n) => n.id)).toEqual([...all.items.filter((n) => n.id !== second.id).map((n) => n.id), second.id]);

		const newest: Notification[] = [];
		cursor = null;
		do {
			const page: NotificationPage = await listOf(P, provider, `order=newest&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
			newest.push(...page.items);
			cursor = page.nextCursor;
		} while (cursor);
		expect(newest.map((n) => n.id)).toEqual(all.items.map((n) => n.id));

		expect(await callJson(`${base(P)}/read-all`, 200, { as: provider, method: "PUT" })).toEqual({ marked: 4, unread: 0 });
		expect((await listOf(P, provider)).items.every((n) => n.readAt !== null)).toBe(true);
	});

	it("counts unread ones up to UNREAD_CAP: a push never scans more", async () => {
		const admin = await signUp();
		const personId = admin.session.person.id;
		await inObject(admin.accountId, (_i, state) => {
			const db = accountDb(state.storage);
			for (let i = 0; i < UNREAD_CAP + 5; i++) notify(db, { kind: "trust_asked", title: `Asked ${i}`, link: `/${admin.accountId}/trusts` }, [personId], Date.now());
		});
		expect(await callJson(`${base(admin.accountId)}/unread-count`, 200, { as: admin })).toEqual({ unread: UNREAD_CAP });
		expect(await callJson(`${base(admin.accountId)}/read-all`, 200, { as: admin, method: "PUT" })).toEqual({ marked: UNREAD_CAP + 5, unread: 0 });
	});

	it("refuses a bad cursor, limit, order or id with 400", async () => {
		await callError(`${base(w.customer.accountId)}?cursor=zz`, 400, "invalid_input", { as: w.alice });
		await callError(`${base(w.customer.accountId)}?limit=0`, 400, "invalid_input", { as: w.alice });
		await callError(`${base(w.customer.accountId)}?order=oldest`, 400, "invalid_input", { as: w.alice });
		await callError(`${base(w.customer.accountId)}/not-an-id/read`, 400, "invalid_input", { as: w.alice, method: "PUT" });
	});
});

describe("isolation", () => {
	it("a person reaches only their own notifications: not another person's, not through another account, not with a token", async () => {
		const C = w.customer.accountId;
		const mine = (await listOf(C, w.alice)).items[0] as Notification;
		expect(mine).toBeDefined();
		// Carol (same account) cannot mark it, nor see it.
		await callError(`${base(C)}/${mine.id}/read`, 404, "not_found", { as: w.carol, method: "PUT" });
		expect((await listOf(C, w.carol, "limit=100")).items.map((n) => n.id)).not.toContain(mine.id);
		// Bob (another account) cannot reach the customer's notifications at all.
		await callError(base(C), 404, "not_found", { as: w.bob });
		await callError(`${base(C)}/${mine.id}/read`, 404, "not_found", { as: w.bob, method: "PUT" });
		// Nor with his own account's id: the id is not his.
		await callError(`${base(w.provider.accountId)}/${mine.id}/read`, 404, "not_found", { as: w.bob, method: "PUT" });
		// Tokens are not people; anonymous callers are nobody.
		const { secret } = await createToken(w.customer, C);
		await callError(base(C), 403, "forbidden", { as: { token: secret } });
		await callError(`${base(C)}/read-all`, 403, "forbidden", { as: { token: secret }, method: "PUT" });
		await callError(base(C), 401, "unauthenticated");
		// Carol marking all hers read leaves Alice's unread.
		await callJson(`${base(C)}/read-all`, 200, { as: w.carol, method: "PUT" });
		expect((await listOf(C, w.alice, "limit=100")).items.find((n) => n.id === mine.id)?.readAt).toBe(mine.readAt);
	});
});

describe("preferences", () => {
	const prefsPath = (accountId: string) => `/accounts/${accountId}/notification-preferences`;
	const prefsOf = (accountId: string, as: Caller) => callJson<NotificationPreferences>(prefsPath(accountId), 200, { as });

	it("default by role: end users e-mail on their requests; specialists in the app, e-mail for assignments; administrators e-mail for trusts", async () => {
		expect((await prefsOf(w.customer.accountId, w.alice)).items).toEqual([
			{ kind: "my_request_updated", label: expect.any(String), inApp: true, email: true, isDefault: true },
			{ kind: "waiting_for_me", label: expect.any(String), inApp: true, email: true, isDefault: true },
		]);
		const bob = Object.fromEntries((await prefsOf(w.provider.accountId, w.bob)).items.map((p) => [p.kind, [p.inApp, p.email]]));
		expect(bob).toEqual({
			request_assigned: [true, true],
			request_updated: [true, false],
			my_request_updated: [true, true],
			waiting_for_me: [true, true],
			sla_warning: [true, false],
			sla_breach: [true, false],
		});
		const admin = (await prefsOf(w.provider.accountId, w.provider)).items.filter((p) => p.kind.startsWith("trust_"));
		expect(admin.map((p) => [p.kind, p.inApp, p.email])).toEqual([
			["trust_asked", true, true],
			["trust_accepted", true, true],
			["trust_ended", true, true],
		]);
	});

	it("a change holds for that person only and decides what they get", async () => {
		const C = w.customer.accountId;
		const changed = await callJson<NotificationPreferences>(prefsPath(C), 200, {
			as: w.alice,
			method: "PUT",
			body: { items: [{ kind: "my_request_updated", inApp: false, email: false }] },
		});
		expect(changed.items[0]).toMatchObject({ kind: "my_request_updated", inApp: false, email: false, isDefault: false });
		expect((await prefsOf(C, w.carol)).items[0]).toMatchObject({ kind: "my_request_updated", inApp: true, email: true, isDefault: true });

		const r = await register(w, w.sla, w.alice, { subject: "Quiet please" });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "Looking into it." });
		await settle(w.provider.accountId, w.customer.accountId);
		expect(await about(C, w.alice, r.id)).toEqual([]);
		const emails = await notificationMails(C);
		expect(emails.filter((m) => m.requestId === r.id)).toEqual([]);

		// E-mail only: no row in the app, an e-mail wanted.
		await callJson(prefsPath(C), 200, { as: w.alice, method: "PUT", body: { items: [{ kind: "my_request_updated", inApp: false, email: true }] } });
		await act(w.provider.accountId, r.id, w.bob, { type: "note", body: "Found it." });
		await settle(w.provider.accountId, w.customer.accountId);
		expect(await about(C, w.alice, r.id)).toEqual([]);
		const after = await notificationMails(C);
		expect(after.filter((m) => m.requestId === r.id).map((m) => [m.personId, m.paragraphs.at(-1)])).toEqual([[w.alice.id, "Bob Baker: “Found it.”"]]);

		// Back to the default: it follows the default again.
		const reset = await callJson<NotificationPreferences>(prefsPath(C), 200, { as: w.alice, method: "PUT", body: { items: [{ kind: "my_request_updated", inApp: true, email: true }] } });
		expect(reset.items[0]).toMatchObject({ isDefault: true });
	});

	it("refuses kinds the person's roles do not receive, duplicates and bad bodies (400), and tokens (403)", async () => {
		const C = w.customer.accountId;
		const put = (body: unknown, as: Caller = w.alice) => callError(prefsPath(C), 400, "invalid_input", { as, method: "PUT", body });
		await put({ items: [{ kind: "trust_asked", inApp: false, email: false }] });
		await put({ items: [{ kind: "request_assigned", inApp: false, email: false }] });
		await put({ items: [{ kind: "my_request_updated", inApp: false, email: false }, { kind: "my_request_updated", inApp: true, email: false }] });
		await put({ items: [] });
		await put({ items: [{ kind: "nonsense", inApp: true, email: true }] });
		await put({ items: [{ kind: "my_request_updated", inApp: "yes", email: true }] });
		expect((await prefsOf(C, w.alice)).items.every((p) => p.isDefault)).toBe(true);
		const { secret } = await createToken(w.customer, C);
		await callError(prefsPath(C), 403, "forbidden", { as: { token: secret } });
	});
});

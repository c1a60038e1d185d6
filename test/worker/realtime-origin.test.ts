// The Origin rule of the realtime socket (worker/routes/realtime.ts): this site's origin and no
// Origin at all (a program holding a ticket) are accepted; any other Origin, "null" included, is
// refused before the ticket is looked at, and the ticket stays usable.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type AccountAdmin, ORIGIN, signUp } from "./helpers";
import { connect, ticketFor } from "./request-helpers";

let admin: AccountAdmin;
beforeAll(async () => {
	admin = await signUp();
});

async function upgrade(ticket: string, headers: Record<string, string>): Promise<Response> {
	return exports.default.fetch(
		new Request(`${ORIGIN}/api/v1/accounts/${admin.accountId}/realtime?ticket=${encodeURIComponent(ticket)}`, { headers: { Upgrade: "websocket", ...headers } }),
	);
}

async function expectHello(headers: Record<string, string>): Promise<void> {
	const socket = await connect(admin.accountId, await ticketFor(admin.accountId, admin), headers);
	expect(await socket.next((f) => f.type === "hello", "hello")).toMatchObject({ type: "hello" });
	await socket.close();
}

describe("the realtime socket's Origin rule", () => {
	it("accepts a handshake from this site's origin", async () => {
		await expectHello({ Origin: ORIGIN });
	});

	it("accepts a handshake without Origin (not a browser) that holds a ticket", async () => {
		await expectHello({});
	});

	it("refuses another site's origin, 'null', another scheme or port and a lookalike with 403, leaving the ticket unused", async () => {
		const ticket = await ticketFor(admin.accountId, admin);
		for (const origin of ["https://evil.example", "null", `${ORIGIN}.evil.example`, "http://trustdesk.test:8080", "https://trustdesk.test"]) {
			const res = await upgrade(ticket, { Origin: origin });
			expect(res.status, `Origin: "${origin}"`).toBe(403);
			expect(res.webSocket).toBeNull();
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
		}
		const socket = await connect(admin.accountId, ticket, { Origin: ORIGIN });
		await socket.next((f) => f.type === "hello", "hello with the unused ticket");
		await socket.close();
	});

	it("still needs a valid ticket without Origin", async () => {
		const socket = await connect(admin.accountId, "made-up-ticket");
		await socket.next((f) => f.type === "error", "the error frame");
		expect(socket.frames[0]).toMatchObject({ type: "error", code: "unauthenticated" });
	});
});

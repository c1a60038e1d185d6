// The AccountObject itself: idempotent initialization, and the append-only migration history.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import migrations from "../../migrations/account/migrations.js";
import { migrate, MigrationHistoryError, type MigrationBundle } from "../../worker/account/migrate";
import { unique } from "./helpers";

function freshAccount() {
	const accountId = unique("do");
	return { accountId, stub: env.ACCOUNT.getByName(accountId) };
}

interface MigrationRow {
	idx: number;
	tag: string;
	hash: string;
	applied_at: number;
	[key: string]: SqlStorageValue;
}

function historyOf(storage: DurableObjectStorage): MigrationRow[] {
	return storage.sql.exec<MigrationRow>("SELECT idx, tag, hash, applied_at FROM _schema_migrations ORDER BY idx").toArray();
}

/** The account migrations this build ships, in order. */
const SHIPPED = ["0000_account", "0001_trusts_and_services", "0002_requests", "0003_sla_clocks", "0004_sla_report_index", "0005_returned_requests", "0006_idempotency_keys", "0007_open_clocks_by_offering", "0008_mail_secret", "0009_mail_outbox", "0010_mail_intake", "0011_notifications", "0012_saved_filters", "0013_attachments", "0014_search_index", "0015_request_events", "0016_webhooks", "0017_apps", "0018_inbox_sort_key", "0019_account_name"];
/** The index the next migration would get. */
const NEXT = SHIPPED.length;
const key = (idx: number) => `m${String(idx).padStart(4, "0")}`;
const EXTRA = `${String(NEXT).padStart(4, "0")}_extra`;

/** The real bundle plus one more migration. */
function withExtraMigration(sql: string, tag = EXTRA): MigrationBundle {
	return {
		journal: { entries: [...migrations.journal.entries, { idx: NEXT, tag }] },
		migrations: { ...migrations.migrations, [key(NEXT)]: sql },
	};
}

describe("initialize", () => {
	it("creates the profile with the default design and time zone", async () => {
		const { accountId, stub } = freshAccount();
		expect(await stub.getProfile()).toBeNull();
		const profile = await stub.initialize({ accountId, name: "Acme", portalTitle: "Acme" });
		expect(profile).toMatchObject({ id: accountId, name: "Acme", timeZone: "UTC", design: { title: "Acme", logoUrl: null, primaryColor: "#1d4ed8" } });
		expect(await stub.getProfile()).toEqual(profile);
	});

	it("is idempotent: a second call does not overwrite a changed design, time zone or name", async () => {
		const { accountId, stub } = freshAccount();
		const first = await stub.initialize({ accountId, name: "Original", portalTitle: "Original" });
		const changed = await stub.updateDesign({ title: "Changed", primaryColor: "#abcdef" });
		expect(changed.ok).toBe(true);
		await stub.updateTimeZone("Europe/Berlin");
		expect((await stub.updateName("Renamed")).ok).toBe(true);
		const second = await stub.initialize({ accountId, name: "Original", portalTitle: "Original", timeZone: "UTC" });
		expect(second.name).toBe("Renamed");
		expect(second.design.title).toBe("Changed");
		expect(second.design.primaryColor).toBe("#abcdef");
		expect(second.timeZone).toBe("Europe/Berlin");
		expect(second.createdAt).toBe(first.createdAt);
	});

	it("keeps its data across a restart of the object", async () => {
		const { accountId, stub } = freshAccount();
		await stub.initialize({ accountId, name: "Durable", portalTitle: "Durable" });
		const team = await stub.createTeam({ name: "Ops", description: "", coordinatorId: null, memberIds: [] });
		expect(team.ok).toBe(true);
		await evictDurableObject(stub);
		const again = env.ACCOUNT.getByName(accountId);
		expect((await again.getProfile())?.design.title).toBe("Durable");
		expect((await again.listTeams()).map((t) => t.name)).toEqual(["Ops"]);
	});

	it("answers design and time zone changes on an uninitialized account with not_found", async () => {
		const { stub } = freshAccount();
		expect(await stub.updateDesign({ title: "X" })).toMatchObject({ ok: false, error: { code: "not_found" } });
		expect(await stub.updateTimeZone("UTC")).toMatchObject({ ok: false, error: { code: "not_found" } });
		expect(await stub.getProfile()).toBeNull();
	});
});

describe("teams inside the object", () => {
	it("returns expected failures as values that keep their code across RPC", async () => {
		const { accountId, stub } = freshAccount();
		await stub.initialize({ accountId, name: "Teams", portalTitle: "Teams" });
		const created = await stub.createTeam({ name: "Desk", description: "", coordinatorId: null, memberIds: ["psn_aaaaaaaaaaaa"] });
		expect(created.ok).toBe(true);
		expect(await stub.createTeam({ name: "DESK", description: "", coordinatorId: null, memberIds: [] })).toMatchObject({ ok: false, error: { code: "conflict" } });
		expect(await stub.getTeam("team_missing00000")).toMatchObject({ ok: false, error: { code: "not_found" } });
		expect(await stub.removePersonFromTeams("psn_aaaaaaaaaaaa")).toBe(1);
		expect(await stub.removePersonFromTeams("psn_aaaaaaaaaaaa")).toBe(0);
	});
});

describe("the migration runner", () => {
	it("records each applied migration with its tag and hash in _schema_migrations", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const rows = historyOf(state.storage);
			expect(rows.map((r) => [r.idx, r.tag])).toEqual(SHIPPED.map((tag, idx) => [idx, tag]));
			expect(rows.map((r) => [r.idx, r.tag])).toEqual(migrations.journal.entries.map((e) => [e.idx, e.tag]));
			for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{8}$/);
			const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((r) => r.name);
			expect(tables).toEqual(expect.arrayContaining(["account", "teams", "team_members", "trusts", "trust_events", "services", "slas", "received_slas", "outbox", "inbox_cursors", "requests", "request_notes", "request_audit", "inbox", "internal_notes", "events", "socket_tickets", "affected_slas", "request_slas", "idempotency_keys"]));
		});
	});

	it("applies nothing when the history matches the bundle", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const before = historyOf(state.storage);
			expect(migrate(state.storage, migrations)).toEqual([]);
			expect(historyOf(state.storage)).toEqual(before);
		});
	});

	it("applies only a new migration, once, and records it", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const bundle = withExtraMigration("CREATE TABLE extra (x INTEGER);\n--> statement-breakpoint\nCREATE INDEX extra_x ON extra (x);");
			expect(migrate(state.storage, bundle, 1234)).toEqual([EXTRA]);
			expect(migrate(state.storage, bundle)).toEqual([]);
			const rows = historyOf(state.storage);
			expect(rows.map((r) => r.tag)).toEqual([...SHIPPED, EXTRA]);
			expect(rows[NEXT]?.applied_at).toBe(1234);
			state.storage.sql.exec("INSERT INTO extra (x) VALUES (1)");
		});
	});

	it("rolls back a failing migration completely and does not record it", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const bundle = withExtraMigration("CREATE TABLE half (x INTEGER);\n--> statement-breakpoint\nTHIS IS NOT SQL;");
			expect(() => migrate(state.storage, bundle)).toThrow();
			expect(historyOf(state.storage).map((r) => r.tag)).toEqual(SHIPPED);
			const half = state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'half'").toArray();
			expect(half).toEqual([]);
		});
	});

	it("throws MigrationHistoryError when an applied migration's stored hash was tampered with", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const [row] = historyOf(state.storage);
			state.storage.sql.exec("UPDATE _schema_migrations SET hash = 'deadbeef' WHERE idx = 0");
			expect(() => migrate(state.storage, migrations)).toThrow(MigrationHistoryError);
			state.storage.sql.exec("UPDATE _schema_migrations SET hash = ? WHERE idx = 0", row?.hash ?? "");
			expect(migrate(state.storage, migrations)).toEqual([]);
		});
	});

	it("throws MigrationHistoryError when an applied migration's text changed in the build", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const edited: MigrationBundle = { ...migrations, migrations: { ...migrations.migrations, m0000: `${migrations.migrations.m0000}\n-- edited` } };
			expect(() => migrate(state.storage, edited)).toThrow(MigrationHistoryError);
			const renamed: MigrationBundle = { ...migrations, journal: { entries: migrations.journal.entries.map((e) => (e.idx === 0 ? { idx: 0, tag: "0000_renamed" } : e)) } };
			expect(() => migrate(state.storage, renamed)).toThrow(/0000_renamed changed after it was applied/);
			const dropped: MigrationBundle = { ...migrations, journal: { entries: migrations.journal.entries.slice(0, 1) } };
			expect(() => migrate(state.storage, dropped)).toThrow(/0001_trusts_and_services is missing from this build/);
		});
	});

	it("throws MigrationHistoryError when the history holds an applied idx the build does not know", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			state.storage.sql.exec("INSERT INTO _schema_migrations (idx, tag, hash, applied_at) VALUES (?, 'future', 'cafebabe', 0)", NEXT);
			expect(() => migrate(state.storage, migrations)).toThrow(MigrationHistoryError);
			state.storage.sql.exec("DELETE FROM _schema_migrations WHERE idx = ?", NEXT);
		});
	});

	it("throws MigrationHistoryError when a journal entry has no SQL", async () => {
		const { stub } = freshAccount();
		await runInDurableObject(stub, (_instance, state) => {
			const bundle: MigrationBundle = { journal: { entries: [...migrations.journal.entries, { idx: NEXT, tag: "0004_missing" }] }, migrations: migrations.migrations };
			expect(() => migrate(state.storage, bundle)).toThrow(MigrationHistoryError);
			expect(historyOf(state.storage)).toHaveLength(SHIPPED.length);
		});
	});

	it("an object whose history diverged refuses to serve after a restart", async () => {
		const { accountId, stub } = freshAccount();
		await stub.initialize({ accountId, name: "Tampered", portalTitle: "Tampered" });
		await runInDurableObject(stub, (_instance, state) => {
			state.storage.sql.exec("UPDATE _schema_migrations SET hash = 'deadbeef' WHERE idx = 0");
		});
		await evictDurableObject(stub);
		// The refused start also surfaces in this isolate as an unhandled rejection of the object's
		// constructor; catch it here so that it is checked rather than reported as a stray error.
		const stray: unknown[] = [];
		const onRejection = (reason: unknown) => stray.push(reason);
		process.on("unhandledRejection", onRejection);
		try {
			await expect(env.ACCOUNT.getByName(accountId).getProfile()).rejects.toThrow(/append-only/);
			await expect(env.ACCOUNT.getByName(accountId).getProfile()).rejects.toThrow(/append-only/);
			await new Promise((resolve) => setTimeout(resolve, 50));
		} finally {
			process.off("unhandledRejection", onRejection);
		}
		expect(stray.every((e) => e instanceof Error && /append-only/.test(e.message))).toBe(true);
	});
});

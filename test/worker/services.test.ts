// The service model (services, instances, offerings) and the rules an SLA must meet before it is
// written: CRUD, conflicts, references, validation with nothing half-written, and who may write.
import { describe, expect, it } from "vitest";
import type { Service, ServiceInstance, ServiceOffering, Sla } from "../../worker/shared/service-api";
import { addMember, callError, callJson, createTeam, createToken, signUp, type AccountAdmin, callItems } from "./helpers";
import { createSla, daysFromToday, defineEmail, OFFICE_HOURS, onboard, TARGETS, today } from "./service-helpers";

interface ServiceModel {
	services: Service[];
	instances: ServiceInstance[];
	offerings: ServiceOffering[];
}

const base = (a: { accountId: string }) => `/accounts/${a.accountId}`;
const modelOf = (a: AccountAdmin) => callJson<ServiceModel>(`${base(a)}/service-model`, 200, { as: a });

describe("services, instances and offerings", () => {
	it("are created, listed, changed and deleted", async () => {
		const admin = await signUp();
		const { team, service, instance, offering } = await defineEmail(admin);
		expect(instance).toMatchObject({ serviceId: service.id, status: "in_production", firstLineTeamId: team.id, supportTeamId: team.id });
		expect(offering).toMatchObject({ serviceId: service.id, status: "available", targets: TARGETS, supportHours: OFFICE_HOURS });
		const model = await modelOf(admin);
		expect([model.services.map((s) => s.name), model.instances.map((i) => i.name), model.offerings.map((o) => o.name)]).toEqual([["Email"], ["Email Production"], ["Email Gold"]]);

		const renamed = await callJson<Service>(`${base(admin)}/services/${service.id}`, 200, { method: "PATCH", as: admin, body: { name: "E-mail", description: "Mail" } });
		expect(renamed).toMatchObject({ name: "E-mail", description: "Mail" });
		const moved = await callJson<ServiceInstance>(`${base(admin)}/service-instances/${instance.id}`, 200, { method: "PATCH", as: admin, body: { supportTeamId: null, status: "discontinued" } });
		expect(moved).toMatchObject({ supportTeamId: null, firstLineTeamId: team.id, status: "discontinued" });
		const hours = { ...OFFICE_HOURS, timeZone: "America/New_York", holidays: [{ name: "Half day", date: "2026-12-24", from: "12:00", until: "17:00" }] };
		const changed = await callJson<ServiceOffering>(`${base(admin)}/service-offerings/${offering.id}`, 200, {
			method: "PATCH",
			as: admin,
			body: { summary: "Around the clock", supportHours: hours, targets: { ...TARGETS, low: { response: null, resolution: null } } },
		});
		expect(changed).toMatchObject({ summary: "Around the clock", supportHours: hours, targets: { low: { response: null, resolution: null } } });

		await callJson(`${base(admin)}/service-offerings/${offering.id}`, 204, { method: "DELETE", as: admin });
		await callJson(`${base(admin)}/service-instances/${instance.id}`, 204, { method: "DELETE", as: admin });
		await callJson(`${base(admin)}/services/${service.id}`, 204, { method: "DELETE", as: admin });
		expect(await modelOf(admin)).toEqual({ services: [], instances: [], offerings: [] });
		await callError(`${base(admin)}/services/${service.id}`, 404, "not_found", { method: "DELETE", as: admin });
		await callError(`${base(admin)}/service-instances/${instance.id}`, 404, "not_found", { method: "PATCH", as: admin, body: { name: "Ghost" } });
		await callError(`${base(admin)}/service-offerings/${offering.id}`, 404, "not_found", { method: "PATCH", as: admin, body: { name: "Ghost" } });
	});

	it("refuses a second service of the same name, in any case (409)", async () => {
		const admin = await signUp();
		await callJson(`${base(admin)}/services`, 201, { as: admin, body: { name: "Email" } });
		const other = await callJson<Service>(`${base(admin)}/services`, 201, { as: admin, body: { name: "Workplace" } });
		await callError(`${base(admin)}/services`, 409, "conflict", { as: admin, body: { name: "EMAIL" } });
		await callError(`${base(admin)}/services/${other.id}`, 409, "conflict", { method: "PATCH", as: admin, body: { name: "email" } });
		expect((await modelOf(admin)).services.map((s) => s.name)).toEqual(["Email", "Workplace"]);
		// Renaming a service to its own name in another case is fine.
		await callJson(`${base(admin)}/services/${other.id}`, 200, { method: "PATCH", as: admin, body: { name: "WORKPLACE" } });
	});

	it("refuses deletion while something refers to it (409), and deletes once it is free", async () => {
		const provider = await signUp();
		const customer = await signUp();
		await onboard(provider, customer);
		const model = await defineEmail(provider);
		await createSla(provider, model, customer.accountId);
		const used = await callError(`${base(provider)}/services/${model.service.id}`, 409, "conflict", { method: "DELETE", as: provider });
		expect(used.error.message).toMatch(/instances and offerings/);
		await callError(`${base(provider)}/service-instances/${model.instance.id}`, 409, "conflict", { method: "DELETE", as: provider });
		await callError(`${base(provider)}/service-offerings/${model.offering.id}`, 409, "conflict", { method: "DELETE", as: provider });
		const after = await modelOf(provider);
		expect([after.services.length, after.instances.length, after.offerings.length]).toEqual([1, 1, 1]);
	});

	it("an instance's teams must be teams of this account (400), on create and on change", async () => {
		const admin = await signUp();
		const other = await signUp();
		const foreign = await createTeam(other, other.accountId);
		const { service, instance } = await defineEmail(admin);
		for (const field of ["firstLineTeamId", "supportTeamId"]) {
			await callError(`${base(admin)}/service-instances`, 400, "invalid_input", { as: admin, body: { serviceId: service.id, name: "X", [field]: foreign.id } });
			await callError(`${base(admin)}/service-instances/${instance.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { [field]: foreign.id } });
		}
		await callError(`${base(admin)}/service-instances`, 400, "invalid_input", { as: admin, body: { serviceId: "svc_0000000000000000", name: "Orphan" } });
		await callError(`${base(admin)}/service-offerings`, 400, "invalid_input", { as: admin, body: { serviceId: "svc_0000000000000000", name: "Orphan", targets: TARGETS, supportHours: OFFICE_HOURS } });
		const model = await modelOf(admin);
		expect(model.instances).toEqual([instance]);
		expect(model.offerings).toHaveLength(1);
	});
});

describe("offering validation: 400 with the error body, nothing written", () => {
	const hours = (h: { weekday: string; from: string; until: string }[]) => ({ ...OFFICE_HOURS, hours: h });
	it.each<[string, Record<string, unknown>, string]>([
		["overlapping hours", { supportHours: hours([{ weekday: "mon", from: "09:00", until: "13:00" }, { weekday: "mon", from: "12:00", until: "17:00" }]) }, "supportHours.hours.1"],
		["an interval that ends before it starts", { supportHours: hours([{ weekday: "tue", from: "17:00", until: "09:00" }]) }, "supportHours.hours.0.until"],
		["an unknown time zone", { supportHours: { ...OFFICE_HOURS, timeZone: "Europe/Atlantis" } }, "supportHours.timeZone"],
		["an impossible holiday date", { supportHours: { ...OFFICE_HOURS, holidays: [{ name: "Leap", date: "2026-02-30" }] } }, "supportHours.holidays.0.date"],
		["a part-day holiday without its end", { supportHours: { ...OFFICE_HOURS, holidays: [{ name: "Half", date: "2026-12-24", from: "12:00" }] } }, "supportHours.holidays.0"],
		["no support hours at all", { supportHours: hours([]) }, "supportHours.hours"],
		["a negative target", { targets: { ...TARGETS, top: { response: { minutes: -5 }, resolution: null } } }, "targets.top.response"],
		["a negative target in business days", { targets: { ...TARGETS, low: { response: null, resolution: { businessDays: -1 } } } }, "targets.low.resolution"],
		["overlapping hours across the whole day", { supportHours: hours([{ weekday: "fri", from: "00:00", until: "24:00" }, { weekday: "fri", from: "09:00", until: "17:00" }]) }, "supportHours.hours.1"],
		["a time zone that is only an abbreviation", { supportHours: { ...OFFICE_HOURS, timeZone: "CEST" } }, "supportHours.timeZone"],
		["a warning at 0 %", { warningPercent: 0 }, "warningPercent"],
		["a warning at 100 %", { warningPercent: 100 }, "warningPercent"],
		["a warning at a fraction of a percent", { warningPercent: 80.5 }, "warningPercent"],
		["a warning percentage as text", { warningPercent: "80" }, "warningPercent"],
		["a zero target", { targets: { ...TARGETS, low: { response: null, resolution: { businessDays: 0 } } } }, "targets.low.resolution"],
		["a missing impact", { targets: { top: TARGETS.top, high: TARGETS.high, medium: TARGETS.medium } }, "targets.low"],
		["a target in hours", { targets: { ...TARGETS, high: { response: { hours: 1 }, resolution: null } } }, "targets.high.response"],
		["an unknown field", { price: 100 }, ""],
	])("refuses %s", async (_what, change, path) => {
		const admin = await signUp();
		const { service, offering } = await defineEmail(admin);
		const before = await modelOf(admin);
		const created = await callError(`${base(admin)}/service-offerings`, 400, "invalid_input", {
			as: admin,
			body: { serviceId: service.id, name: "Broken", targets: TARGETS, supportHours: OFFICE_HOURS, ...change },
		});
		const paths = (created.error.details as { path: string }[]).map((d) => d.path);
		expect(paths.some((p) => p.startsWith(path)), JSON.stringify(created.error.details)).toBe(true);
		await callError(`${base(admin)}/service-offerings/${offering.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { name: "Changed", ...change } });
		expect(await modelOf(admin)).toEqual(before);
	});

	it("refuses a target the support hours cannot reach within the clock's horizon, naming the field and the largest that fits (issue 8, point 11)", async () => {
		const admin = await signUp();
		const { service, offering } = await defineEmail(admin);
		const before = await modelOf(admin);
		// A year of minutes on a 40-hour week: some four years of support hours, past the horizon. It
		// would have become best effort, never breached. The most that fits: 157 weeks of 2,400 minutes,
		// less Christmas Day (a Friday, 480) and 600 for the spring-forward days.
		const year = { ...TARGETS, low: { response: null, resolution: { minutes: 525_600 } } };
		const created = await callError(`${base(admin)}/service-offerings`, 400, "invalid_input", {
			as: admin,
			body: { serviceId: service.id, name: "Forever", targets: year, supportHours: OFFICE_HOURS },
		});
		expect(created.error.details).toEqual([
			{ path: "targets.low.resolution.minutes", message: "At most 375,720 minutes fit within the SLA clock's horizon of 1,100 days; a longer target could never be reached or breached." },
		]);
		await callError(`${base(admin)}/service-offerings/${offering.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { targets: year } });
		// In business days: Mondays only give 157 business days, less one per spring-forward day and the starting day.
		const mondays = { ...OFFICE_HOURS, hours: [{ weekday: "mon", from: "09:00", until: "17:00" }] };
		const days = await callError(`${base(admin)}/service-offerings/${offering.id}`, 400, "invalid_input", {
			method: "PATCH",
			as: admin,
			body: { supportHours: mondays, targets: { ...TARGETS, medium: { response: null, resolution: { businessDays: 152 } } } },
		});
		expect(days.error.details).toEqual([
			{ path: "targets.medium.resolution.businessDays", message: "At most 151 business days fit within the SLA clock's horizon of 1,100 days; a longer target could never be reached or breached." },
		]);
		expect(await modelOf(admin)).toEqual(before);
		// The largest that fits is accepted.
		const longest = { ...TARGETS, low: { response: null, resolution: { minutes: 375_720 } } };
		const saved = await callJson<ServiceOffering>(`${base(admin)}/service-offerings/${offering.id}`, 200, { method: "PATCH", as: admin, body: { targets: longest } });
		expect(saved.targets.low.resolution).toEqual({ minutes: 375_720 });
		// New support hours the existing targets no longer fit in are refused too, and say so.
		const mornings = { ...OFFICE_HOURS, hours: OFFICE_HOURS.hours.map((h) => ({ ...h, until: "13:00" })) };
		const shrunk = await callError(`${base(admin)}/service-offerings/${offering.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { supportHours: mornings } });
		expect(shrunk.error.details).toEqual([
			{
				path: "targets.low.resolution.minutes",
				message: "With these support hours, at most 187,560 minutes fit within the SLA clock's horizon of 1,100 days; a longer target could never be reached or breached.",
			},
		]);
		expect((await modelOf(admin)).offerings[0]?.supportHours).toEqual(OFFICE_HOURS);
	});

	it("warns at 80 % of a target by default; 1–99 may be set, on create and on change", async () => {
		const admin = await signUp();
		const { service, offering } = await defineEmail(admin);
		expect(offering.warningPercent).toBe(80);
		const early = await callJson<ServiceOffering>(`${base(admin)}/service-offerings`, 201, {
			as: admin,
			body: { serviceId: service.id, name: "Early", targets: TARGETS, supportHours: OFFICE_HOURS, warningPercent: 1 },
		});
		expect(early.warningPercent).toBe(1);
		const late = await callJson<ServiceOffering>(`${base(admin)}/service-offerings/${offering.id}`, 200, { method: "PATCH", as: admin, body: { warningPercent: 99 } });
		expect(late.warningPercent).toBe(99);
		expect((await modelOf(admin)).offerings.map((o) => [o.name, o.warningPercent]).sort()).toEqual([
			["Early", 1],
			["Email Gold", 99],
		]);
	});

	it("refuses unknown fields on services and instances too", async () => {
		const admin = await signUp();
		const { service, instance } = await defineEmail(admin);
		const before = await modelOf(admin);
		await callError(`${base(admin)}/services`, 400, "invalid_input", { as: admin, body: { name: "X", owner: "me" } });
		await callError(`${base(admin)}/services/${service.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { id: "svc_other" } });
		await callError(`${base(admin)}/service-instances/${instance.id}`, 400, "invalid_input", { method: "PATCH", as: admin, body: { serviceId: service.id } });
		await callError(`${base(admin)}/services`, 400, "invalid_input", { as: admin, body: { name: " " } });
		expect(await modelOf(admin)).toEqual(before);
	});
});

describe("SLA validation: refused before anything is written", () => {
	async function setup() {
		const provider = await signUp();
		const customer = await signUp();
		const stranger = await signUp();
		await onboard(provider, customer);
		const model = await defineEmail(provider);
		return { provider, customer, stranger, model };
	}
	const slasOf = (a: AccountAdmin) => callItems<Sla>(`${base(a)}/slas`, { as: a });

	it("an SLA for an account without an active trust is 409, also once the trust is pending or ended", async () => {
		const { provider, customer, stranger, model } = await setup();
		const refused = await callError(`${base(provider)}/slas`, 409, "conflict", {
			as: provider,
			body: { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: stranger.accountId, startDate: today() },
		});
		expect(refused.error.message).toMatch(/no active trust/);
		// Only a trust where the other account is the customer counts: a provider of ours is not one.
		await callError(`${base(customer)}/slas`, 409, "conflict", {
			as: customer,
			body: { offeringId: (await defineEmail(customer)).offering.id, serviceInstanceId: (await modelOf(customer)).instances[0]?.id, customerAccountId: provider.accountId, startDate: today() },
		});
		await callError(`${base(provider)}/slas`, 400, "invalid_input", {
			as: provider,
			body: { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: provider.accountId, startDate: today() },
		});
		expect(await slasOf(provider)).toEqual([]);
		expect(await slasOf(customer)).toEqual([]);
	});

	it.each<[string, Record<string, unknown>, string]>([
		["an expiry date before the start date", { startDate: daysFromToday(10), expiryDate: daysFromToday(5) }, "expiryDate"],
		["a notice date after the expiry date", { noticeDate: daysFromToday(30), expiryDate: daysFromToday(20) }, "noticeDate"],
		["a notice date before the start date", { startDate: daysFromToday(10), noticeDate: daysFromToday(1) }, "noticeDate"],
		["an impossible date", { startDate: "2027-02-29" }, "startDate"],
		["a date in another format", { startDate: "01/12/2026" }, "startDate"],
		["selected coverage without people", { coverage: { type: "people", personIds: [] } }, "coverage.personIds"],
		["an unknown field", { priority: "gold" }, ""],
	])("%s is 400", async (_what, change, path) => {
		const { provider, customer, model } = await setup();
		const body = { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer.accountId, startDate: today(), ...change };
		const refused = await callError(`${base(provider)}/slas`, 400, "invalid_input", { as: provider, body });
		expect((refused.error.details as { path: string }[]).some((d) => d.path.startsWith(path)), JSON.stringify(refused.error.details)).toBe(true);
		expect(await slasOf(provider)).toEqual([]);
	});

	it("an instance of another service, an unknown offering or a team of another account is 400", async () => {
		const { provider, customer, model } = await setup();
		const other = await defineEmail(provider, " 2");
		const stranger = await signUp();
		const foreignTeam = await createTeam(stranger, stranger.accountId);
		const body = { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer.accountId, startDate: today() };
		const mixed = await callError(`${base(provider)}/slas`, 400, "invalid_input", { as: provider, body: { ...body, serviceInstanceId: other.instance.id } });
		expect(JSON.stringify(mixed.error.details)).toContain("serviceInstanceId");
		await callError(`${base(provider)}/slas`, 400, "invalid_input", { as: provider, body: { ...body, offeringId: "so_0000000000000000" } });
		await callError(`${base(provider)}/slas`, 400, "invalid_input", { as: provider, body: { ...body, teamId: foreignTeam.id } });
		expect(await slasOf(provider)).toEqual([]);
	});

	it("covered people must be people of the customer account (400), on create and on change", async () => {
		const { provider, customer, model } = await setup();
		const alice = await addMember(customer, customer.accountId, ["end_user"]);
		const outsider = await addMember(provider, provider.accountId, ["end_user"]);
		const body = { offeringId: model.offering.id, serviceInstanceId: model.instance.id, customerAccountId: customer.accountId, startDate: today() };
		const refused = await callError(`${base(provider)}/slas`, 400, "invalid_input", { as: provider, body: { ...body, coverage: { type: "people", personIds: [alice.id, outsider.id] } } });
		expect(JSON.stringify(refused.error.details)).toContain(outsider.id);
		expect(JSON.stringify(refused.error.details)).not.toContain(alice.id);
		expect(await slasOf(provider)).toEqual([]);
		const sla = await createSla(provider, model, customer.accountId, { coverage: { type: "people", personIds: [alice.id] } });
		await callError(`${base(provider)}/slas/${sla.id}`, 400, "invalid_input", { method: "PATCH", as: provider, body: { coverage: { type: "people", personIds: [outsider.id] } } });
		expect((await callJson<Sla>(`${base(provider)}/slas/${sla.id}`, 200, { as: provider })).coverage).toEqual({ type: "people", personIds: [alice.id] });
	});

	it("a change that puts the dates out of order with the stored ones is 400 and changes nothing", async () => {
		const { provider, customer, model } = await setup();
		const sla = await createSla(provider, model, customer.accountId, { startDate: daysFromToday(10), expiryDate: daysFromToday(40) });
		await callError(`${base(provider)}/slas/${sla.id}`, 400, "invalid_input", { method: "PATCH", as: provider, body: { expiryDate: daysFromToday(5) } });
		await callError(`${base(provider)}/slas/${sla.id}`, 400, "invalid_input", { method: "PATCH", as: provider, body: { noticeDate: daysFromToday(50) } });
		const stored = await callJson<Sla>(`${base(provider)}/slas/${sla.id}`, 200, { as: provider });
		expect(stored).toEqual(sla);
	});
});

describe("who may define services", () => {
	it("service level managers and administrators write; specialists and auditors read; end users neither; tokens per scope", async () => {
		const admin = await signUp();
		const manager = await addMember(admin, admin.accountId, ["specialist", "service_level_manager"]);
		const specialist = await addMember(admin, admin.accountId, ["specialist"]);
		const auditor = await addMember(admin, admin.accountId, ["auditor"]);
		const endUser = await addMember(admin, admin.accountId, ["end_user"]);
		const reader = { token: (await createToken(admin, admin.accountId, ["services:read", "slas:read"])).secret };
		const writer = { token: (await createToken(admin, admin.accountId, ["services:read", "services:write"])).secret };

		const byManager = await callJson<Service>(`${base(admin)}/services`, 201, { as: manager, body: { name: "Managed" } });
		await callJson<Service>(`${base(admin)}/services`, 201, { as: writer, body: { name: "Scripted" } });
		for (const who of [specialist, auditor, endUser, reader]) {
			await callError(`${base(admin)}/services`, 403, "forbidden", { as: who, body: { name: "Mine" } });
			await callError(`${base(admin)}/services/${byManager.id}`, 403, "forbidden", { method: "DELETE", as: who });
		}
		for (const who of [specialist, auditor, reader, manager]) {
			expect((await callJson<ServiceModel>(`${base(admin)}/service-model`, 200, { as: who })).services.map((s) => s.name)).toEqual(["Managed", "Scripted"]);
			await callJson(`${base(admin)}/slas`, 200, { as: who });
		}
		await callError(`${base(admin)}/service-model`, 403, "forbidden", { as: endUser });
		await callError(`${base(admin)}/slas`, 403, "forbidden", { as: endUser });
		await callError(`${base(admin)}/slas`, 403, "forbidden", { as: specialist, body: { offeringId: "so_0000000000000000", serviceInstanceId: "si_0000000000000000", customerAccountId: "x-y", startDate: today() } });
	});
});

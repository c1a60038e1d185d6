// The SLA report calls of an account, over its context (context.ts): its own report as a provider,
// a provider's side of a customer's question (checked in report-access.ts), and the customer's
// side, which asks the provider (DO RPC). The figures are computed in sla-reports.ts.
import { fail, ok, type Result } from "../lib/result";
import type { SlaDrillPage, SlaReport, SlaReportTrust } from "../shared/sla-api";
import type { AccountContext } from "./context";
import * as access from "./report-access";
import * as reports from "./sla-reports";

/** This account's report as a provider (all customers, or the one filtered). */
export async function slaReport(ctx: AccountContext, filter: reports.ReportFilter, customerName?: string): Promise<SlaReport> {
	const customer = filter.customer ? { id: filter.customer, name: customerName ?? filter.customer } : null;
	return reports.slaReport(reportContext(ctx, await ctx.name(), customer, customer && access.customerStanding(ctx.db, customer.id)), filter);
}

export async function slaDrill(ctx: AccountContext, query: reports.DrillQuery): Promise<SlaDrillPage> {
	return reports.slaDrill(reportContext(ctx, await ctx.name(), null), query);
}

/**
 * Provider side, called by a customer's AccountObject: the same report, filtered to that
 * customer, for a customer of this account now or one with SLA history here (report-access.ts).
 */
export async function slaReportFor(ctx: AccountContext, customer: { id: string; name: string }, filter: reports.ReportFilter): Promise<Result<SlaReport>> {
	const standing = access.customerStanding(ctx.db, customer.id);
	if (!standing) return fail("not_found", "No trust with that account.");
	return ok(reports.slaReport(reportContext(ctx, await ctx.name(), customer, standing), { ...filter, customer: customer.id }));
}

export async function slaDrillFor(ctx: AccountContext, customer: string, query: reports.DrillQuery): Promise<Result<SlaDrillPage>> {
	if (!access.customerStanding(ctx.db, customer)) return fail("not_found", "No trust with that account.");
	return ok(reports.slaDrill(reportContext(ctx, await ctx.name(), null), { ...query, customer }));
}

/** Customer side: a provider's report of this account's SLAs, computed by the provider (after offboarding too); each side names itself. */
export async function providerSlaReport(ctx: AccountContext, provider: string, filter: reports.ReportFilter): Promise<Result<SlaReport>> {
	if (!access.mayAskProvider(ctx.db, provider)) return fail("not_found", "No trust with that provider.");
	return ctx.peer(provider).slaReportFor({ id: ctx.self(), name: await ctx.name() }, filter);
}

export async function providerSlaDrill(ctx: AccountContext, provider: string, query: reports.DrillQuery): Promise<Result<SlaDrillPage>> {
	if (!access.mayAskProvider(ctx.db, provider)) return fail("not_found", "No trust with that provider.");
	return ctx.peer(provider).slaDrillFor(ctx.self(), query);
}

function reportContext(ctx: AccountContext, selfName: string, customer: { id: string; name: string } | null, trust: SlaReportTrust | null = null): reports.ReportContext {
	return { sql: ctx.storage.sql, timeZone: ctx.timeZone(), now: ctx.now(), provider: { id: ctx.self(), name: selfName }, customer, trust };
}


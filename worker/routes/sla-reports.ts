// SLA reports: this account's own (as a provider, every customer), or a provider's report of the
// SLAs it gives this account (as a customer) — computed by the provider either way, so both sides
// read the same numbers; the requests behind any figure; and a CSV export.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { accountNames } from "../db/accounts";
import { directory } from "../db/client";
import type { AppEnv } from "../env";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { unwrap } from "../http/errors";
import { AccountParams, errors, json, router } from "../http/openapi";
import { pageResponse, pagedByNumber } from "../http/pagination";
import { SlaDrillPage, SlaDrillQuery, SlaReport, SlaReportQuery } from "../shared/sla-api";
import { reportCsv } from "../account/sla-reports";
import type { SlaDrillQuery as DrillQueryType, SlaReport as SlaReportType, SlaReportQuery as ReportQueryType } from "../shared/sla-api";

const getReport = createRoute({
	method: "get",
	path: "/accounts/{accountId}/sla-reports",
	tags: ["SLA reports"],
	summary: "An SLA report for a date range",
	description:
		"Without provider (or provider = this account): this account's report as a provider, every customer. With provider = another account: that provider's report of the SLAs it gives this account, computed by the provider — the same figures it sees for this customer.",
	middleware: accountScope("reports:read"),
	request: { params: AccountParams, query: SlaReportQuery },
	responses: { 200: json(SlaReport, "Figures in total, per service, customer, SLA, team and month."), ...errors(400, 401, 403, 404) },
});

const getDrill = createRoute({
	method: "get",
	path: "/accounts/{accountId}/sla-reports/requests",
	tags: ["SLA reports"],
	summary: "The requests behind one figure of a report",
	middleware: accountScope("reports:read"),
	request: { params: AccountParams, query: SlaDrillQuery },
	responses: { 200: pageResponse(SlaDrillPage, "A page of the requests, oldest first."), ...errors(400, 401, 403, 404) },
});

const exportCsv = createRoute({
	method: "get",
	path: "/accounts/{accountId}/sla-reports/export.csv",
	tags: ["SLA reports"],
	summary: "The report as CSV",
	description: "One line for the totals, then one per row of every dimension (service, customer, SLA, team, month).",
	middleware: accountScope("reports:read"),
	request: { params: AccountParams, query: SlaReportQuery },
	responses: { 200: { description: "text/csv", content: { "text/csv": { schema: { type: "string" } } } }, ...errors(400, 401, 403, 404) },
});

async function report(c: Context<AppEnv>, q: ReportQueryType): Promise<SlaReportType> {
	const account = c.get("account");
	const { provider, ...filter } = q;
	const stub = accountStub(c.env, account.id);
	if (provider === undefined || provider === account.id) {
		// An unknown customer filter finds no clocks; its id stands in for the name.
		const customer = filter.customer ? ((await accountNames(directory(c.env.DB), [filter.customer])).get(filter.customer) ?? filter.customer) : undefined;
		return stub.slaReport(filter, customer);
	}
	// As a customer: only this account's own figures, whatever customer filter was sent. Both
	// accounts name themselves (their profiles); an unknown provider is one without a trust (404).
	return unwrap(await stub.providerSlaReport(provider, { ...filter, customer: undefined }));
}

async function drill(c: Context<AppEnv>, q: DrillQueryType) {
	const account = c.get("account");
	const { provider, ...query } = q;
	const stub = accountStub(c.env, account.id);
	if (provider === undefined || provider === account.id) return stub.slaDrill(query);
	return unwrap(await stub.providerSlaDrill(provider, { ...query, customer: undefined }));
}

export const slaReportRoutes = router()
	.openapi(getReport, async (c) => c.json(await report(c, c.req.valid("query")), 200))
	.openapi(getDrill, async (c) => c.json(pagedByNumber(c, await drill(c, c.req.valid("query"))), 200))
	.openapi(exportCsv, async (c) => {
		const r = await report(c, c.req.valid("query"));
		const name = `sla-report-${r.provider.id}${r.customer ? `-${r.customer.id}` : ""}-${r.from}-${r.until}.csv`;
		return c.body(reportCsv(r), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` });
	});

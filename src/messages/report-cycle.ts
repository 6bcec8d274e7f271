/**
 * Messages of the monthly report cycle, rendered at send time so they show the report as it
 * stands then: the draft for a site's staff, the reminder, the submitted report (with its
 * spreadsheet) and the list of sites still missing, for the admins.
 */
import { getReport, statusOf } from "../report-cycle/cycle.ts";
import { draftButtons, reportText, reportWorkbook, siteNameOf } from "../report-cycle/render.ts";
import type { Template } from "../notify/template.ts";

const id = (params: Record<string, unknown>) => Number(params.reportId);

export const REPORT_CYCLE_TEMPLATES: Record<string, Template> = {
  /** params: reportId. Nothing once the report is submitted. */
  "reportCycle.draft": (ctx, params) => {
    const r = getReport(ctx.db, id(params));
    if (!r || r.submittedAt) return null;
    return {
      text: `${ctx.t("reports-cycle:draftIntro")}\n\n${reportText(ctx.t, ctx.locale, ctx.db, r, ctx.config.timezone)}`,
      reply_markup: draftButtons(ctx.t, r),
    };
  },
  /** params: reportId. Nothing if it was submitted in the meantime. */
  "reportCycle.remind": (ctx, params) => {
    const r = getReport(ctx.db, id(params));
    if (!r || r.submittedAt) return null;
    return {
      text: `${ctx.t("reports-cycle:remindIntro", { month: r.month })}\n\n${reportText(ctx.t, ctx.locale, ctx.db, r, ctx.config.timezone)}`,
      reply_markup: draftButtons(ctx.t, r),
    };
  },
  /** params: reportId. The whole report and its spreadsheet, for an admin. */
  "reportCycle.submitted": async (ctx, params) => {
    const r = getReport(ctx.db, id(params));
    if (!r?.submittedAt) return null;
    const site = siteNameOf(ctx.db, r.siteId, ctx.locale);
    const late = statusOf(r, ctx.now) === "late" ? ctx.t("reports-cycle:lateMark") : "";
    const bytes = await reportWorkbook(ctx.t, ctx.locale, ctx.db, r, ctx.config.timezone);
    return [
      { text: reportText(ctx.t, ctx.locale, ctx.db, r, ctx.config.timezone, true) },
      {
        text: ctx.t("reports-cycle:toAdmins", { site, month: r.month, late }),
        document: { bytes, filename: `report-${r.month}-${r.siteId}.xlsx` },
      },
    ];
  },
  /** params: month, reportIds. Those still unsubmitted when it goes out; nothing if none. */
  "reportCycle.missing": (ctx, params) => {
    const ids = Array.isArray(params.reportIds) ? params.reportIds.map(Number) : [];
    const names = ids
      .map((i) => getReport(ctx.db, i))
      .filter((r) => r !== undefined && r.submittedAt === null)
      .map((r) => `• ${siteNameOf(ctx.db, r!.siteId, ctx.locale)}`);
    if (names.length === 0) return null;
    return { text: ctx.t("reports-cycle:missing", { month: String(params.month), sites: names.join("\n") }) };
  },
};

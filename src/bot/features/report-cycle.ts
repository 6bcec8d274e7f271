/**
 * The monthly report cycle in the chat: staff write the sections of their school's draft and
 * submit it (the admins get it through the outbox); /monthly lists drafts waiting; /reports
 * shows the year's grid, school by month: on time, late, missing.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { GridStatus } from "../../report-cycle/cycle.ts";
import {
  getReport,
  isSection,
  submitReport,
  unsubmittedReports,
  yearGrid,
} from "../../report-cycle/cycle.ts";
import { draftButtons, reportRoutes, reportText, siteNameOf } from "../../report-cycle/render.ts";
import { staffScope } from "../../staff/access.ts";
import { localParts } from "../../time.ts";
import type { BotContext } from "../context.ts";
import { answer } from "../menu.ts";
import { REPORT_SECTION } from "../conversations/report-section.ts";
import { requireStaff, show } from "./staff-guard.ts";

const MARK: Record<GridStatus, string> = { submitted: "✅", late: "🕒", missing: "❌", open: "✏️", none: "·" };

/** Staff of the report's school (or of every school); otherwise refused. */
async function mayWrite(ctx: BotContext, reportId: number) {
  const r = getReport(ctx.deps.db, reportId);
  const scope = staffScope(ctx.deps.db, ctx.from!.id);
  if (r && (scope.allSites || scope.siteIds.includes(r.siteId))) return r;
  await answer(ctx, ctx.t(r ? "reports-cycle:denied" : "reports-cycle:notFound"), true);
  return undefined;
}

export function createReportCycleFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(reportRoutes.view.pattern, async (ctx) => {
    const r = await mayWrite(ctx, reportRoutes.view.read(ctx.match)[0]);
    if (!r) return;
    const text = reportText(ctx.t, ctx.locale, ctx.deps.db, r, ctx.deps.config.timezone);
    await show(
      ctx,
      text,
      r.submittedAt ? undefined : new InlineKeyboard(draftButtons(ctx.t, r).inline_keyboard),
    );
  });

  pm.callbackQuery(reportRoutes.write.pattern, async (ctx) => {
    const [reportId, section] = reportRoutes.write.read(ctx.match);
    const r = await mayWrite(ctx, reportId);
    if (!r || !isSection(section)) return;
    if (r.submittedAt) return answer(ctx, ctx.t("reports-cycle:alreadySubmitted"), true);
    await answer(ctx);
    await ctx.conversation.enter(REPORT_SECTION, r.id, section);
  });

  pm.callbackQuery(reportRoutes.submit.pattern, async (ctx) => {
    const r = await mayWrite(ctx, reportRoutes.submit.read(ctx.match)[0]);
    if (!r) return;
    const { db, clock } = ctx.deps;
    const result = submitReport(db, r.id, ctx.from.id, clock.now());
    if (result.kind === "already") return answer(ctx, ctx.t("reports-cycle:alreadySubmitted"), true);
    if (result.kind === "notFound") return answer(ctx, ctx.t("reports-cycle:notFound"), true);
    await show(ctx, ctx.t(result.late ? "reports-cycle:submittedLate" : "reports-cycle:submitted"));
  });

  pm.command("monthly", async (ctx) => {
    if (!(await requireStaff(ctx))) return;
    const { db } = ctx.deps;
    const scope = staffScope(db, ctx.from.id);
    const open = unsubmittedReports(db).filter((r) => scope.allSites || scope.siteIds.includes(r.siteId));
    if (open.length === 0) return void (await ctx.reply(ctx.t("reports-cycle:noDrafts")));
    const kb = new InlineKeyboard();
    for (const r of open.slice(0, 30))
      kb.text(`${siteNameOf(db, r.siteId, ctx.locale)} ${r.month}`, reportRoutes.view.data(r.id)).row();
    await ctx.reply(ctx.t("reports-cycle:openDrafts"), { reply_markup: kb });
  });

  pm.command("reports", async (ctx) => {
    if (!(await requireStaff(ctx))) return;
    const { db, clock, config } = ctx.deps;
    const asked = /^\d{4}$/.exec(ctx.match.trim())?.[0];
    const year = asked ? Number(asked) : localParts(clock.now(), config.timezone).year;
    const grid = yearGrid(db, year, clock.now());
    const width = Math.max(4, ...grid.map((g) => g.code.length));
    const lines = grid.map((g) => `${g.code.padEnd(width)} ${g.months.map((m) => MARK[m]).join(" ")}`);
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    await ctx.reply(`${ctx.t("reports-cycle:gridTitle", { year })}\n<pre>${esc(lines.join("\n"))}</pre>`, {
      parse_mode: "HTML",
    });
  });

  return composer;
}

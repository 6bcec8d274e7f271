/**
 * The staff entry: the "🛠 Staff" menu, /summary, /digest, /report, /grant and /revoke.
 * Every handler checks the caller's role in the database first; a resident pressing a forged
 * `stf:` button gets a refusal and nothing changes.
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { loadTargets } from "../../catalog/catalog-schema.ts";
import { siteIdByCode, sitesIn } from "../../catalog/lookups.ts";
import { computeDigestFigures } from "../../reports/digest.ts";
import { courseLines, digestMessages, periodLines } from "../../messages/digest-message.ts";
import { districtRow, monthlyComments, monthlyReport, monthRange } from "../../reports/monthly.ts";
import { parseReportArgs } from "../../reports/report-args.ts";
import { organisationRates } from "../../organisations/rates.ts";
import { organisationSheet } from "../../messages/organisations.ts";
import { computeSummary } from "../../reports/summary.ts";
import { workbookBytes } from "../../reports/xlsx.ts";
import { grantRole, revokeRole } from "../../staff/grants.ts";
import { localDate } from "../../time.ts";
import { refreshMenu } from "../commands.ts";
import type { BotContext } from "../context.ts";
import { answer, onMenuEntry } from "../menu.ts";
import { orgRoutes } from "../views/organisations.ts";
import { rosterRoutes } from "../views/roster.ts";
import { broadcastRoutes, courseAdminRoutes, staffRoutes } from "../../messages/staff-routes.ts";
import { attendanceRoutes } from "./attendance.ts";
import { feedbackRoutes } from "../../messages/feedback.ts";
import { shiftRoutes, volunteerRoutes } from "../../messages/volunteers.ts";
import { requireAdmin, requireAnyRole, requireStaff, scopeOf, show, siteName } from "./staff-guard.ts";
import { funnel } from "../../publicity/arrivals.ts";
import { funnelSheet } from "../../messages/funnel.ts";

async function showStaffMenu(ctx: BotContext): Promise<void> {
  if (!(await requireAnyRole(ctx))) return;
  const scope = scopeOf(ctx)!;
  const staff = scope.allSites || scope.siteIds.length > 0;
  const kb = new InlineKeyboard();
  if (staff)
    kb.text(ctx.t("staff:menu.summary"), staffRoutes.summary.data())
      .text(ctx.t("staff:menu.digest"), staffRoutes.digest.data())
      .row();
  kb.text(ctx.t("staff:menu.roster"), rosterRoutes.list.data(0))
    .text(ctx.t("staff:menu.attendance"), attendanceRoutes.list.data())
    .row();
  if (staff) {
    kb.text(ctx.t("staff:menu.courses"), courseAdminRoutes.list.data(0))
      .text(ctx.t("staff:menu.broadcast"), broadcastRoutes.start.data())
      .row();
    kb.text(ctx.t("staff:menu.volunteers"), volunteerRoutes.list.data())
      .text(ctx.t("staff:menu.shifts"), shiftRoutes.list.data())
      .row();
    kb.text(ctx.t("staff:menu.ratings"), feedbackRoutes.ratings.data()).text(
      ctx.t("staff:menu.report"),
      staffRoutes.report.data(),
    );
    kb.row().text(ctx.t("orgs:staff.menu"), orgRoutes.list.data());
  }
  await show(ctx, ctx.t(staff ? "staff:menu.title" : "staff:menu.teacherTitle"), kb);
}

/** The names of some sites in the reader's language, joined as the language joins a list. */
function siteNames(ctx: BotContext, siteIds: readonly number[]): string {
  return sitesIn(ctx.deps.db, siteIds)
    .map((r) => siteName(ctx, r))
    .join(ctx.t("common:listSep"));
}

async function showSummary(ctx: BotContext): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  const { db, config, clock } = ctx.deps;
  const scope = scopeOf(ctx)!;
  // Staff of some sites see theirs, with the district's week to compare; admins the district.
  const siteIds = scope.allSites ? undefined : scope.siteIds;
  const s = computeSummary(db, clock.now(), config.timezone, siteIds);
  const parts = [
    `<b>${ctx.t("staff:summary.title")}</b>${siteIds ? ctx.t("staff:summary.scope", { sites: siteNames(ctx, siteIds) }) : ctx.t("staff:summary.district")}`,
    `\n<b>${ctx.t("staff:summary.today")}</b>`,
    ...periodLines(ctx.t, s.today),
    `\n<b>${ctx.t("staff:summary.week")}</b>`,
    ...periodLines(ctx.t, s.week),
    ...(s.districtWeek
      ? [`\n<b>${ctx.t("staff:summary.districtWeek")}</b>`, ...periodLines(ctx.t, s.districtWeek)]
      : []),
    `\n${ctx.t("staff:summary.waitlisted", { n: s.waitlisted })}`,
    `\n<b>${ctx.t("staff:summary.fill")}</b>`,
    ...(s.fill.length > 0
      ? courseLines(
          ctx.t,
          ctx.locale,
          [...s.fill].sort((a, b) => (b.fillRate ?? 0) - (a.fillRate ?? 0)),
          10,
        )
      : [ctx.t("staff:summary.noCourses")]),
  ];
  if (s.underHalf.length > 0)
    parts.push(
      `\n<b>${ctx.t("staff:summary.underHalf")}</b>`,
      ...courseLines(ctx.t, ctx.locale, s.underHalf),
    );
  if (s.longWaitlists.length > 0)
    parts.push(
      `\n<b>${ctx.t("staff:summary.longWaitlists")}</b>`,
      ...courseLines(ctx.t, ctx.locale, s.longWaitlists),
    );
  await show(ctx, parts.join("\n"), new InlineKeyboard().text(ctx.t("common:back"), staffRoutes.menu.data()));
}

async function sendDigestNow(ctx: BotContext): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  await answer(ctx);
  const { db, config, clock } = ctx.deps;
  const scope = scopeOf(ctx)!;
  const figures = computeDigestFigures(db, {
    now: clock.now(),
    timezone: config.timezone,
    targets: loadTargets(config.targetsPath),
    ...(scope.allSites ? {} : { siteIds: scope.siteIds }),
  });
  for (const m of await digestMessages(ctx.t, ctx.locale, figures)) {
    if (m.photo)
      await ctx.replyWithPhoto(new InputFile(m.photo.bytes, m.photo.filename), {
        caption: m.text,
        parse_mode: "HTML",
      });
    else if (m.document)
      await ctx.replyWithDocument(new InputFile(m.document.bytes, m.document.filename), {
        caption: m.text,
        parse_mode: "HTML",
      });
    else
      await ctx.reply(m.text, {
        parse_mode: "HTML",
        ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
      });
  }
}

/** `/report [YYYY-MM] [site code]`: the monthly report as .xlsx; staff of one site get their sites only. */
async function sendMonthlyReport(ctx: BotContext, args: string): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  await answer(ctx);
  const { db, config, clock } = ctx.deps;
  const parsed = parseReportArgs(args, localDate(clock.now(), config.timezone).slice(0, 7));
  const range = parsed.ok ? monthRange(parsed.month, config.timezone) : undefined;
  if (!parsed.ok || !range) {
    await ctx.reply(ctx.t("staff:report.usage"), { parse_mode: "HTML" });
    return;
  }
  const { month, siteRef } = parsed;
  const scope = scopeOf(ctx)!;
  let siteIds: number[] | undefined;
  if (siteRef) {
    const id = siteIdByCode(db, siteRef);
    if (id === undefined) {
      await ctx.reply(ctx.t("staff:report.unknownSite", { code: siteRef }));
      return;
    }
    if (!scope.allSites && !scope.siteIds.includes(id)) {
      await ctx.reply(ctx.t("staff:denied"));
      return;
    }
    siteIds = [id];
  } else if (!scope.allSites) siteIds = scope.siteIds;
  const rows = siteIds
    ? siteIds.flatMap((id) => monthlyReport(db, range.from, range.to, id))
    : monthlyReport(db, range.from, range.to);
  // A site's report ends with the district's line, to compare with.
  const district =
    siteIds && !scope.allSites
      ? [
          districtRow(
            monthlyReport(db, range.from, range.to),
            ctx.t("staff:report.district", { lng: "zh" }),
            ctx.t("staff:report.district", { lng: "en" }),
          ),
        ]
      : [];
  const comments = siteIds
    ? siteIds.flatMap((id) => monthlyComments(db, range.from, range.to, id))
    : monthlyComments(db, range.from, range.to);
  const h = (k: string) => ctx.t(`staff:sheet.${k}`);
  const zh = ctx.locale === "zh";
  const bytes = await workbookBytes([
    {
      name: month,
      headers: [
        h("site"),
        h("courses"),
        h("sessions"),
        h("enrolments"),
        h("present"),
        h("newParticipants"),
        h("volunteerHours"),
        h("ratings"),
        h("average"),
        h("comments"),
      ],
      rows: [...rows, ...district].map((r) => [
        zh ? r.nameZh : r.nameEn,
        r.courses,
        r.sessionsHeld,
        r.enrolments,
        r.attendance,
        r.newParticipants,
        r.volunteerHours,
        r.ratings,
        r.averageRating,
        r.comments,
      ]),
    },
    {
      name: h("feedback"),
      headers: [h("site"), h("course"), h("stars"), h("comment"), h("name")],
      rows: comments.map((c) => [
        c.site,
        zh ? c.titleZh : c.titleEn,
        c.stars,
        c.text,
        c.name ?? ctx.t("staff:digest.anonymous"),
      ]),
    },
    funnelSheet(ctx.t, funnel(db, range.from, range.to)),
    // Rates for the report's year up to the month's end: where the organisations stood then.
    organisationSheet(
      ctx.t,
      organisationRates(db, {
        yearStart: monthRange(`${month.slice(0, 4)}-01`, config.timezone)!.from,
        now: new Date(Math.min(range.to.getTime(), clock.now().getTime())),
        siteIds,
      }),
      loadTargets(config.targetsPath).employee_continuing_education_rate,
    ),
  ]);
  await ctx.replyWithDocument(new InputFile(bytes, `report-${month}${siteRef ? `-${siteRef}` : ""}.xlsx`), {
    caption:
      siteIds?.length === 1 && rows[0]
        ? ctx.t("staff:report.captionSite", { month, site: zh ? rows[0].nameZh : rows[0].nameEn })
        : ctx.t("staff:report.caption", { month, sites: rows.length }),
  });
}

async function changeRole(ctx: BotContext, grant: boolean): Promise<void> {
  if (!(await requireAdmin(ctx))) return;
  const [user, role, scopeRef] = String(ctx.match ?? "")
    .trim()
    .split(/\s+/);
  if (!user || !role) {
    await ctx.reply(ctx.t("staff:grant.usage"), { parse_mode: "HTML" });
    return;
  }
  const { db, clock, i18n, config } = ctx.deps;
  const fn = grant ? grantRole : revokeRole;
  const r = fn(db, ctx.account!.id, user, role, scopeRef, clock.now());
  if (!r.ok) {
    await ctx.reply(ctx.t(`staff:grant.${r.problem}`, { user, role, ref: scopeRef ?? "" }), {
      parse_mode: "HTML",
    });
    return;
  }
  await refreshMenu(ctx.api, i18n, db, r.userId, config.defaultLocale).catch((err: unknown) =>
    ctx.log.warn({ err }, "could not update the command menu"),
  );
  const key = grant ? (r.changed ? "staff:grant.granted" : "staff:grant.already") : "staff:grant.revoked";
  await ctx.reply(ctx.t(key, { user: r.userId, role: ctx.t(`staff:role.${r.role}`), ref: scopeRef ?? "" }));
}

export function createStaff(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  onMenuEntry(pm, "staff", "staff", showStaffMenu);
  pm.command("summary", showSummary);
  pm.command("digest", sendDigestNow);
  pm.command("report", (ctx) => sendMonthlyReport(ctx, ctx.match));
  pm.command("grant", (ctx) => changeRole(ctx, true));
  pm.command("revoke", (ctx) => changeRole(ctx, false));
  composer.callbackQuery(staffRoutes.menu.pattern, showStaffMenu);
  composer.callbackQuery(staffRoutes.summary.pattern, showSummary);
  composer.callbackQuery(staffRoutes.digest.pattern, sendDigestNow);
  composer.callbackQuery(staffRoutes.report.pattern, (ctx) => sendMonthlyReport(ctx, ""));
  return composer;
}

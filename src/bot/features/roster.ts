/**
 * /roster: a course's participants for its staff and teachers, and an .xlsx export.
 * Callback data: rst:l:<page> (course list), rst:c:<courseId> (roster), rst:x:<courseId> (export).
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { workbookBytes } from "../../reports/xlsx.ts";
import { canSeeRoster } from "../../staff/access.ts";
import type { RosterEntry } from "../../staff/roster.ts";
import { courseHead, roster, rosterCourses } from "../../staff/roster.ts";
import type { BotContext } from "../context.ts";
import { staffRoutes } from "../../messages/staff-routes.ts";
import { answer, pagerButtons } from "../menu.ts";
import { rosterRoutes } from "../views/roster.ts";
import { teamRoutes } from "../views/teams.ts";
import { buttonMax, distinctLabels, paren } from "../labels.ts";
import { courseTitle, refuse, requireAnyRole, show } from "./staff-guard.ts";
import { escapeHtml, fitMessage } from "../../telegram-html.ts";

async function listCourses(ctx: BotContext, page: number): Promise<void> {
  if (!(await requireAnyRole(ctx))) return;
  const { courses, more } = rosterCourses(ctx.deps.db, ctx.account!.id, page);
  if (courses.length === 0 && page === 0) {
    await show(
      ctx,
      ctx.t("staff:roster.none"),
      new InlineKeyboard().text(ctx.t("common:back"), staffRoutes.menu.data()),
    );
    return;
  }
  const kb = new InlineKeyboard();
  const labels = distinctLabels(
    courses.map((c) => ({
      title: courseTitle(ctx, c),
      suffix: paren(ctx.locale, `${c.seats}/${c.capacity}`),
    })),
    buttonMax(ctx.locale),
  );
  for (const [i, c] of courses.entries()) kb.text(labels[i]!, rosterRoutes.course.data(c.id)).row();
  pagerButtons(kb, page, more, rosterRoutes.list);
  if (page > 0 || more) kb.row();
  await show(ctx, ctx.t("staff:roster.choose"), kb.text(ctx.t("common:back"), staffRoutes.menu.data()));
}

function entryLine(ctx: BotContext, e: RosterEntry, i: number): string {
  const family = e.family
    ? ` 👪 ${ctx.t("staff:roster.family", { relation: ctx.t(`codes:relation.${e.relation}`), holder: e.holder ?? "—" })}`
    : "";
  const phone = e.phone ? ` 📞 ${escapeHtml(e.phone)}` : "";
  const offered = e.status === "offered" ? ` ${ctx.t("staff:roster.offered")}` : "";
  return `${i + 1}. ${escapeHtml(e.name)}${family}${phone}${offered}`;
}

async function showRoster(ctx: BotContext, courseId: number): Promise<void> {
  if (!ctx.account || !canSeeRoster(ctx.deps.db, ctx.account.id, courseId)) return refuse(ctx);
  const course = courseHead(ctx.deps.db, courseId);
  if (!course) return answer(ctx, ctx.t("common:stale"), true);
  const list = roster(ctx.deps.db, courseId);
  const seated = list.filter((e) => e.status !== "waitlisted");
  const waiting = list.filter((e) => e.status === "waitlisted");
  const parts = [
    ctx.t("staff:roster.title", {
      title: courseTitle(ctx, course),
      n: seated.length,
      capacity: course.capacity,
    }),
  ];
  parts.push(
    seated.length > 0 ? seated.map((e, i) => entryLine(ctx, e, i)).join("\n") : ctx.t("staff:roster.empty"),
  );
  if (waiting.length > 0)
    parts.push(
      `\n${ctx.t("staff:roster.waitlist", { n: waiting.length })}`,
      waiting.map((e, i) => entryLine(ctx, e, i)).join("\n"),
    );
  const text = fitMessage(parts.join("\n"));
  const kb = new InlineKeyboard()
    .text(ctx.t("staff:roster.export"), rosterRoutes.export.data(courseId))
    .row()
    .text(ctx.t("teams:staff.button"), teamRoutes.staff.data(courseId))
    .row()
    .text(ctx.t("common:back"), rosterRoutes.list.data(0));
  await show(ctx, text, kb);
}

async function exportRoster(ctx: BotContext, courseId: number): Promise<void> {
  if (!ctx.account || !canSeeRoster(ctx.deps.db, ctx.account.id, courseId)) return refuse(ctx);
  const course = courseHead(ctx.deps.db, courseId);
  if (!course) return answer(ctx, ctx.t("common:stale"), true);
  await answer(ctx);
  const h = (k: string) => ctx.t(`staff:sheet.${k}`);
  const bytes = await workbookBytes([
    {
      name: h("roster"),
      headers: [h("no"), h("name"), h("status"), h("familyOf"), h("relation"), h("phone")],
      rows: roster(ctx.deps.db, courseId).map((e, i) => [
        i + 1,
        e.name,
        ctx.t(`staff:status.${e.status}`),
        e.holder,
        e.family ? ctx.t(`codes:relation.${e.relation}`) : null,
        e.phone,
      ]),
    },
  ]);
  await ctx.replyWithDocument(new InputFile(bytes, `roster-${courseId}.xlsx`), {
    caption: ctx.t("staff:roster.exportCaption", { title: courseTitle(ctx, course) }),
    parse_mode: "HTML",
  });
}

export function createRoster(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("roster", (ctx) => listCourses(ctx, 0));
  composer.callbackQuery(rosterRoutes.list.pattern, (ctx) =>
    listCourses(ctx, rosterRoutes.list.read(ctx.match)[0]),
  );
  composer.callbackQuery(rosterRoutes.course.pattern, (ctx) =>
    showRoster(ctx, rosterRoutes.course.read(ctx.match)[0]),
  );
  composer.callbackQuery(rosterRoutes.export.pattern, (ctx) =>
    exportRoster(ctx, rosterRoutes.export.read(ctx.match)[0]),
  );
  return composer;
}

/**
 * /broadcast: choose the audience, then the conversation broadcast-compose writes, previews
 * and queues the message. Callback data: bc:new · bc:new:<audience> (straight to writing) ·
 * bc:a:<audience> · bc:pc:<page> (pick a course) · bc:ps (pick a site); the audience codes are
 * news, vol, c<courseId>, s<siteId>. Confirm/cancel (bc:y, bc:n) live in the conversation.
 */
import { Composer, InlineKeyboard } from "grammy";
import { listSites, sitesIn } from "../../catalog/lookups.ts";
import { staffScope } from "../../staff/access.ts";
import { parseAudience } from "../../staff/broadcast.ts";
import { canBroadcastTo } from "../../staff/broadcast-access.ts";
import { managedCourses } from "../../staff/courses.ts";
import type { BotContext } from "../context.ts";
import { broadcastRoutes, staffRoutes } from "../../messages/staff-routes.ts";
import { answer, pagerButtons } from "../menu.ts";
import { buttonMax, distinctLabels } from "../labels.ts";
import { courseTitle, label, refuse, requireStaff, show, siteName } from "./staff-guard.ts";

async function chooseAudience(ctx: BotContext): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  const scope = staffScope(ctx.deps.db, ctx.account!.id);
  const kb = new InlineKeyboard();
  if (scope.allSites)
    kb.text(ctx.t("staff:broadcast.news"), broadcastRoutes.audience.data("news"))
      .row()
      .text(ctx.t("staff:broadcast.volunteers"), broadcastRoutes.audience.data("vol"))
      .row();
  kb.text(ctx.t("staff:broadcast.course"), broadcastRoutes.courses.data(0))
    .row()
    .text(ctx.t("staff:broadcast.site"), broadcastRoutes.sites.data())
    .row();
  kb.text(ctx.t("common:back"), staffRoutes.menu.data());
  await show(ctx, ctx.t("staff:broadcast.audience"), kb);
}

async function pickCourse(ctx: BotContext, page: number): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  const rows = managedCourses(ctx.deps.db, ctx.account!.id, ["open", "closed"], 9, page * 8);
  const kb = new InlineKeyboard();
  const shown = rows.slice(0, 8);
  const labels = distinctLabels(
    shown.map((c) => ({ title: courseTitle(ctx, c) })),
    buttonMax(ctx.locale),
  );
  for (const [i, c] of shown.entries()) kb.text(labels[i]!, broadcastRoutes.audience.data(`c${c.id}`)).row();
  pagerButtons(kb, page, rows.length > 8, broadcastRoutes.courses);
  await show(
    ctx,
    ctx.t("staff:broadcast.pickCourse"),
    kb.row().text(ctx.t("common:back"), broadcastRoutes.start.data()),
  );
}

async function pickSite(ctx: BotContext): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  const scope = staffScope(ctx.deps.db, ctx.account!.id);
  const rows = scope.allSites ? listSites(ctx.deps.db) : sitesIn(ctx.deps.db, scope.siteIds);
  const kb = new InlineKeyboard();
  for (const s of rows) kb.text(label(siteName(ctx, s)), broadcastRoutes.audience.data(`s${s.id}`)).row();
  await show(
    ctx,
    ctx.t("staff:broadcast.pickSite"),
    kb.text(ctx.t("common:back"), broadcastRoutes.start.data()),
  );
}

async function startWriting(ctx: BotContext, code: string): Promise<void> {
  const audience = parseAudience(code);
  if (!ctx.account || !audience || !canBroadcastTo(ctx.deps.db, ctx.account.id, audience)) return refuse(ctx);
  await answer(ctx);
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("broadcast-compose", code);
}

export function createBroadcast(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("broadcast", chooseAudience);
  composer.callbackQuery(broadcastRoutes.start.pattern, chooseAudience);
  composer.callbackQuery(broadcastRoutes.fromCourse.pattern, (ctx) =>
    startWriting(ctx, broadcastRoutes.fromCourse.read(ctx.match)[0]),
  );
  composer.callbackQuery(broadcastRoutes.audience.pattern, (ctx) =>
    startWriting(ctx, broadcastRoutes.audience.read(ctx.match)[0]),
  );
  composer.callbackQuery(broadcastRoutes.courses.pattern, (ctx) =>
    pickCourse(ctx, broadcastRoutes.courses.read(ctx.match)[0]),
  );
  composer.callbackQuery(broadcastRoutes.sites.pattern, pickSite);
  return composer;
}

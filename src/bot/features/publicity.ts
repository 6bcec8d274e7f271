import { courseSite, siteByCode, siteById, siteCode } from "../../catalog/lookups.ts";
/**
 * Publicity in chat: posters for staff (a button on the staff course screen, /poster), and the
 * deep links people share (a course, a site's courses, an event, the volunteer sign-up), which
 * open the right screen even for someone who has never written to the bot.
 * Callback data: pub:pc:<courseId> · pub:ps:<siteId> (poster of a course or a site).
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { getCourseView } from "../../catalog/queries.ts";
import { canManageCourse, isStaffScope, staffScope } from "../../staff/access.ts";
import { recordArrival } from "../../publicity/arrivals.ts";
import { resumeFeed, skipPost } from "../../publicity/channel-feed.ts";
import type { ParsedLink } from "../../publicity/links.ts";
import { parseStartPayload } from "../../publicity/links.ts";
import { findPosterTarget } from "../../publicity/poster-content.ts";
import { makePoster, posterFileName } from "../../publicity/posters.ts";
import type { BotContext } from "../context.ts";
import { publicityRoutes } from "../../messages/publicity.ts";
import { volunteerRoutes } from "../../messages/volunteers.ts";
import { answer, mainMenu } from "../menu.ts";
import { renderCourseCard } from "../views/course-card.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { pick } from "../../i18n/bilingual.ts";
import { courseRoutes, renderCourseList } from "../views/course-list.ts";

/** The staff course screen's poster button (course-admin adds it to its keyboard). */
export function posterButton(ctx: BotContext, courseId: number): { text: string; data: string } {
  return { text: ctx.t("publicity:staff.button"), data: publicityRoutes.coursePoster.data(courseId) };
}

function maySiteStaff(ctx: BotContext, siteId: number): boolean {
  if (!ctx.account) return false;
  const scope = staffScope(ctx.deps.db, ctx.account.id);
  return isStaffScope(scope) && (scope.allSites || scope.siteIds.includes(siteId));
}

async function sendPoster(ctx: BotContext, target: { kind: "course" | "site"; id: number }): Promise<void> {
  const { db, i18n, clock, config } = ctx.deps;
  await ctx.replyWithChatAction("upload_document").catch(() => undefined);
  const files = await makePoster(
    { db, i18n, botUsername: ctx.me.username, now: clock.now(), timezone: config.timezone },
    target,
  );
  if (!files) return void (await ctx.reply(ctx.t("common:stale")));
  const code =
    (target.kind === "course" ? courseSite(db, { id: target.id })?.code : siteCode(db, target.id)) ?? "";
  const title = ctx.locale === "zh" ? files.title : files.titleEn;
  const caption = ctx.t(
    target.kind === "course" ? "publicity:staff.caption" : "publicity:staff.siteCaption",
    {
      title,
      site: title,
    },
  );
  await ctx.replyWithDocument(new InputFile(files.pdf, posterFileName(code, "pdf")), {
    caption,
    // The title comes escaped for HTML (i18n escapes values); as plain text "&" would read "&amp;".
    parse_mode: "HTML",
  });
  await ctx.replyWithPhoto(new InputFile(files.png, posterFileName(code, "png")));
}

/** A person arriving by one of our links: record where from, then show what the link names. */
async function openLink(ctx: BotContext, link: ParsedLink): Promise<void> {
  const { db, clock } = ctx.deps;
  const account = ctx.account;
  if (!account) return;
  const t = link.target;
  const targetKey =
    t.kind === "volunteer" ? "v" : t.kind === "courseId" ? `n:${t.id}` : `${t.kind[0]}:${t.code}`;
  recordArrival(
    db,
    { userId: account.id, source: link.source, target: targetKey, isNew: account.isNew },
    clock.now(),
  );
  // Someone new gets one line of welcome and the main menu, then what they came for.
  if (account.isNew) {
    await ctx.reply(
      ctx.t("publicity:link.welcome", { name: account.firstName || ctx.from?.first_name || "" }),
      {
        parse_mode: "HTML",
        reply_markup: mainMenu(ctx),
      },
    );
  }
  const html = { parse_mode: "HTML" as const };
  if (t.kind === "volunteer") {
    const kb = new InlineKeyboard().text(ctx.t("publicity:link.volunteerStart"), volunteerRoutes.join.data());
    return void (await ctx.reply(ctx.t("publicity:link.volunteer"), { ...html, reply_markup: kb }));
  }
  if (t.kind === "site") {
    const site = siteByCode(db, t.code);
    if (!site)
      return void (await ctx.reply(ctx.t("publicity:link.endedNoSite"), { reply_markup: mainMenu(ctx) }));
    return showSiteList(ctx, site, "publicity:link.siteCourses");
  }
  const row = courseSite(db, t.kind === "courseId" ? { id: t.id } : { code: t.code });
  const view = row ? getCourseView(db, row.id, clock.now()) : undefined;
  const ended =
    !view ||
    view.status === "draft" ||
    view.status === "cancelled" ||
    view.availability.state === "finished" ||
    view.availability.state === "cancelled";
  const card = !ended && row ? renderCourseCard(ctx, row.id, courseRoutes.menu.data()) : undefined;
  if (card) return void (await ctx.reply(card.text, { ...html, reply_markup: card.reply_markup }));
  const site = row ? siteById(db, row.site_id) : undefined;
  if (!site) {
    return void (await ctx.reply(ctx.t("publicity:link.endedNoSite"), { reply_markup: mainMenu(ctx) }));
  }
  return showSiteList(ctx, site, "publicity:link.ended");
}

async function showSiteList(
  ctx: BotContext,
  site: { id: number; name_zh: string; name_en: string },
  key: string,
): Promise<void> {
  const name = escapeHtml(pick({ zh: site.name_zh, en: site.name_en }, ctx.locale));
  const list = renderCourseList(ctx, { type: "s", siteId: site.id }, 0);
  await ctx.reply(`${ctx.t(key, { site: name, interpolation: { escapeValue: false } })}\n\n${list.text}`, {
    parse_mode: "HTML",
    reply_markup: list.reply_markup,
  });
}

/**
 * Handles /start with one of the publicity links; true when it did. Called from /start before
 * the plain greeting, so that a shared link never ends in the generic welcome.
 */
export async function routeDeepLink(ctx: BotContext, payload: string): Promise<boolean> {
  const link = parseStartPayload(payload);
  if (!link) return false;
  await ctx.conversation.exitAll();
  await openLink(ctx, link);
  return true;
}

export function createPublicityFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");

  pm.command("start", async (ctx, next) => {
    if (!(await routeDeepLink(ctx, ctx.match))) await next();
  });

  pm.callbackQuery(publicityRoutes.coursePoster.pattern, async (ctx) => {
    const [id] = publicityRoutes.coursePoster.read(ctx.match);
    if (!ctx.account || !canManageCourse(ctx.deps.db, ctx.account.id, id)) {
      return answer(ctx, ctx.t("staff:denied"), true);
    }
    await answer(ctx, ctx.t("publicity:staff.making"));
    await sendPoster(ctx, { kind: "course", id });
  });

  pm.callbackQuery(publicityRoutes.sitePoster.pattern, async (ctx) => {
    const [id] = publicityRoutes.sitePoster.read(ctx.match);
    if (!maySiteStaff(ctx, id)) return answer(ctx, ctx.t("staff:denied"), true);
    await answer(ctx, ctx.t("publicity:staff.making"));
    await sendPoster(ctx, { kind: "site", id });
  });

  // The channel feed: a staff member skips a previewed post; an admin resumes a paused feed.
  pm.callbackQuery(publicityRoutes.skip.pattern, async (ctx) => {
    const scope = ctx.account ? staffScope(ctx.deps.db, ctx.account.id) : undefined;
    if (!scope || !isStaffScope(scope)) return answer(ctx, ctx.t("staff:denied"), true);
    const skipped = skipPost(ctx.deps.db, ...publicityRoutes.skip.read(ctx.match));
    await answer(ctx, ctx.t(skipped ? "publicity:channel.skipped" : "publicity:channel.tooLate"), true);
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  pm.callbackQuery(publicityRoutes.resume.pattern, async (ctx) => {
    const scope = ctx.account ? staffScope(ctx.deps.db, ctx.account.id) : undefined;
    if (!scope?.admin) return answer(ctx, ctx.t("staff:denied"), true);
    resumeFeed(ctx.deps.db);
    await answer(ctx, ctx.t("publicity:channel.resumed"), true);
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  pm.command("poster", async (ctx) => {
    const scope = ctx.account ? staffScope(ctx.deps.db, ctx.account.id) : undefined;
    if (!scope || !isStaffScope(scope)) return void (await ctx.reply(ctx.t("staff:denied")));
    const code = ctx.match.trim().toLowerCase();
    if (!code) return void (await ctx.reply(ctx.t("publicity:staff.usage")));
    const target = findPosterTarget(ctx.deps.db, code);
    if (!target) return void (await ctx.reply(ctx.t("publicity:staff.notFound", { code })));
    const allowed =
      target.kind === "course"
        ? canManageCourse(ctx.deps.db, ctx.account!.id, target.id)
        : maySiteStaff(ctx, target.id);
    if (!allowed) return void (await ctx.reply(ctx.t("publicity:staff.notYours")));
    await ctx.reply(ctx.t("publicity:staff.making"));
    await sendPoster(ctx, target);
  });

  return feature;
}

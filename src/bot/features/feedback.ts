/**
 * Feedback: the menu (/feedback, "💬 意见反馈"), star ratings from a request or the menu, then a
 * comment; suggestions and problem reports; and for staff /ratings.
 */
import { Composer, InlineKeyboard } from "grammy";
import { courseTitles } from "../../catalog/lookups.ts";
import { courseRatings, coursesTaken, rateCourse, ratedCourses } from "../../feedback/feedback.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { topWishes } from "../../feedback/wishes.ts";
import { feedbackRoutes, starsKeyboard, wishRoutes } from "../../messages/feedback.ts";
import { isStaff } from "../../people/roles.ts";
import type { BotContext } from "../context.ts";
import { answer, onMenuEntry } from "../menu.ts";
import { pick } from "../../i18n/bilingual.ts";
import { cutText } from "../../text.ts";
import { fitMessage } from "../../telegram-html.ts";
import { colon, paren } from "../labels.ts";

async function showFeedbackMenu(ctx: BotContext): Promise<void> {
  const kb = new InlineKeyboard()
    .text(ctx.t("feedback:menu.rate"), feedbackRoutes.rateMenu.data())
    .row()
    .text(ctx.t("feedback:menu.wish"), wishRoutes.start.data())
    .row()
    .text(ctx.t("feedback:menu.suggest"), feedbackRoutes.note.data("sug"))
    .row()
    .text(ctx.t("feedback:menu.problem"), feedbackRoutes.note.data("prob"));
  await ctx.reply(ctx.t("feedback:menu.prompt"), { reply_markup: kb });
}

async function showRatings(ctx: BotContext, courseId: number | null): Promise<void> {
  const { db } = ctx.deps;
  if (courseId === null) {
    const courses = ratedCourses(db, 10);
    const kb = new InlineKeyboard();
    for (const c of courses)
      kb.text(
        `${pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale)} · ${c.average}⭐${paren(ctx.locale, c.count)}`,
        feedbackRoutes.courseRatings.data(c.courseId),
      ).row();
    const wishes = topWishes(db, 8);
    const wishLines = wishes.map(
      (w) =>
        `• ${escapeHtml(ctx.t(`codes:category.${w.topic}`, { defaultValue: ctx.t("feedback:wish.otherTopic") }))}${colon(ctx.locale)}${w.people}` +
        (w.samples.length ? ` — ${w.samples.map((s) => `“${escapeHtml(cutText(s, 40))}”`).join(" ")}` : ""),
    );
    const text = [
      `<b>${ctx.t("feedback:staff.ratingsTitle")}</b>`,
      courses.length ? ctx.t("feedback:staff.pickCourse") : ctx.t("feedback:staff.noRatings"),
      "",
      `<b>${ctx.t("feedback:staff.wishesTitle")}</b>`,
      wishLines.length ? wishLines.join("\n") : ctx.t("feedback:staff.noWishes"),
    ].join("\n");
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: kb });
    return;
  }
  const r = courseRatings(db, courseId, 8);
  const titles = courseTitles(db, courseId);
  const title = titles && pick({ zh: titles.title_zh, en: titles.title_en }, ctx.locale);
  if (!title) return void (await ctx.reply(ctx.t("common:stale")));
  const bars = r.distribution
    .map((n, i) => `${"⭐".repeat(i + 1)} ${n}`)
    .reverse()
    .join("\n");
  const comments = r.recent.map(
    (c) =>
      `• ${c.stars ? `${c.stars}⭐ ` : ""}${escapeHtml(c.comment)} — ${c.name ? escapeHtml(c.name) : ctx.t("feedback:anonymous")}`,
  );
  await ctx.reply(
    fitMessage(
      [
        `<b>${escapeHtml(title)}</b>`,
        ctx.t("feedback:staff.summary", { average: r.average ?? "—", count: r.count }),
        bars,
        "",
        comments.length
          ? `${ctx.t("feedback:staff.recent")}\n${comments.join("\n")}`
          : ctx.t("feedback:staff.noComments"),
      ].join("\n"),
    ),
    { parse_mode: "HTML" },
  );
}

export function createFeedbackFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");

  onMenuEntry(pm, "feedback", "feedback", (ctx) => showFeedbackMenu(ctx));

  pm.callbackQuery(feedbackRoutes.rateMenu.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    await answer(ctx);
    const open = coursesTaken(ctx.deps.db, ctx.account.id, ctx.deps.clock.now()).filter((c) => !c.rated);
    if (open.length === 0) return void (await ctx.reply(ctx.t("feedback:rate.nothing")));
    const kb = new InlineKeyboard();
    for (const c of open.slice(0, 12)) {
      const title = pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale);
      const label = c.isSelf ? title : `${title} · ${c.personName}`;
      kb.text(label, feedbackRoutes.rateCourse.data(c.courseId, c.personId)).row();
    }
    await ctx.reply(ctx.t("feedback:rate.pick"), { reply_markup: kb });
  });

  pm.callbackQuery(feedbackRoutes.rateCourse.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    const [courseId, personId] = feedbackRoutes.rateCourse.read(ctx.match);
    const taken = coursesTaken(ctx.deps.db, ctx.account.id, ctx.deps.clock.now()).find(
      (c) => c.courseId === courseId && c.personId === personId,
    );
    if (!taken) return answer(ctx, ctx.t("feedback:rate.failed.not_taken"), true);
    if (taken.rated) return answer(ctx, ctx.t("feedback:rate.failed.already"), true);
    await answer(ctx);
    const title = pick({ zh: taken.titleZh, en: taken.titleEn }, ctx.locale);
    const text = taken.isSelf
      ? ctx.t("feedback:request.self", { course: title })
      : ctx.t("feedback:request.member", { course: title, name: taken.personName });
    await ctx.reply(text, { reply_markup: starsKeyboard(courseId, personId) });
  });

  pm.callbackQuery(feedbackRoutes.stars.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    const [courseId, personId, stars] = feedbackRoutes.stars.read(ctx.match);
    const r = rateCourse(
      ctx.deps.db,
      { accountId: ctx.account.id, courseId, personId, stars },
      ctx.deps.clock.now(),
    );
    if (!r.ok) return answer(ctx, ctx.t(`feedback:rate.failed.${r.reason}`), true);
    await answer(ctx, ctx.t("feedback:rate.thanks"));
    // The stars message itself turns into "rated, anything to add?": one answer, one message.
    await ctx.conversation.enter("feedback-comment", r.feedbackId, "⭐".repeat(stars));
  });

  pm.callbackQuery(feedbackRoutes.note.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter(
      "feedback-note",
      feedbackRoutes.note.read(ctx.match)[0] === "sug" ? "suggestion" : "problem",
    );
  });

  pm.command("ratings", async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return void (await ctx.reply(ctx.t("feedback:staffOnly")));
    await showRatings(ctx, null);
  });
  pm.callbackQuery(feedbackRoutes.ratings.pattern, async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return answer(ctx, ctx.t("feedback:staffOnly"), true);
    await answer(ctx);
    await showRatings(ctx, null);
  });
  pm.callbackQuery(feedbackRoutes.courseRatings.pattern, async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return answer(ctx, ctx.t("feedback:staffOnly"), true);
    await answer(ctx);
    await showRatings(ctx, feedbackRoutes.courseRatings.read(ctx.match)[0]);
  });

  return feature;
}

/**
 * Inline mode: `@bot 书法` in any chat lists matching courses; choosing one posts the course's
 * card there with an "Open in the bot" button (a deep link counted as "share"). Results carry
 * course facts only. Switched on with @BotFather (/setinline); see the README.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import type { CourseView } from "../../catalog/queries.ts";
import { formatDateTime } from "../../i18n/format.ts";
import { coursePayload, deepLink } from "../../publicity/links.ts";
import { inlineCourses } from "../../publicity/inline-search.ts";
import { fitMessage } from "../../telegram-html.ts";
import { cutText } from "../../text.ts";
import type { BotContext } from "../context.ts";
import { courseCardText } from "../views/course-card.ts";
import { pick } from "../../i18n/bilingual.ts";

/** Seconds Telegram may reuse an answer for the same query: short, seats change. */
const CACHE_SECONDS = 30;

function description(ctx: BotContext, view: CourseView): string {
  const a = view.availability;
  const plain = { interpolation: { escapeValue: false } };
  const parts: string[] = [];
  if (a.nextSessionAt) {
    parts.push(
      ctx.t("publicity:share.when", {
        when: formatDateTime(a.nextSessionAt, ctx.locale, ctx.deps.config.timezone),
        ...plain,
      }),
    );
  }
  parts.push(ctx.t("publicity:share.where", { site: pick(view.site.name, ctx.locale), ...plain }));
  parts.push(
    a.state === "full" ? ctx.t("publicity:share.full") : ctx.t("publicity:share.seats", { free: a.free }),
  );
  return cutText(parts.join(" · "), 200);
}

function article(ctx: BotContext, view: CourseView): InlineQueryResultArticle {
  const link = deepLink(ctx.me.username, coursePayload(view, "share"));
  return {
    type: "article",
    id: `c${view.id}`,
    title: cutText(pick(view.title, ctx.locale), 100),
    description: description(ctx, view),
    input_message_content: { message_text: fitMessage(courseCardText(ctx, view)), parse_mode: "HTML" },
    reply_markup: new InlineKeyboard().url(ctx.t("publicity:share.open"), link),
    url: link,
  };
}

function nothingFound(ctx: BotContext, query: string): InlineQueryResultArticle {
  return {
    type: "article",
    id: "none",
    title: ctx.t("publicity:share.nothing"),
    description: cutText(query, 60),
    input_message_content: {
      message_text: ctx.t("publicity:share.nothingText", { query: cutText(query, 60) }),
      parse_mode: "HTML",
    },
    reply_markup: new InlineKeyboard().url(ctx.t("publicity:share.open"), `https://t.me/${ctx.me.username}`),
  };
}

export function createInlineFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on("inline_query", async (ctx) => {
    const { db, clock, config } = ctx.deps;
    const query = ctx.inlineQuery.query;
    let courses: CourseView[] = [];
    try {
      courses = inlineCourses(db, query, clock.now(), config.timezone);
    } catch (err) {
      // Whatever was typed, the person sees "nothing found" rather than a spinner.
      ctx.log.warn({ err }, "inline search failed");
    }
    const results = courses.length > 0 ? courses.map((c) => article(ctx, c)) : [nothingFound(ctx, query)];
    await ctx.answerInlineQuery(results, { cache_time: CACHE_SECONDS, is_personal: false });
  });
  return feature;
}

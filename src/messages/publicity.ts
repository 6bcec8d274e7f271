/**
 * The channel feed's messages: the post itself (in the channel's language, dropped once past its
 * deadline or skipped), the preview staff may skip, and the one notice to admins that the
 * channel cannot be reached.
 */
import type { InlineKeyboardMarkup } from "grammy/types";
import { getPost } from "../publicity/channel-feed.ts";
import { channelPostText } from "../publicity/channel-text.ts";
import { formatDateTime } from "../i18n/format.ts";
import type { RenderContext, Template } from "../notify/template.ts";
import { cbRoute, field } from "../callback-data.ts";

/** Callback data of posters (by course or site id) and of the channel feed's staff buttons. */
export const publicityRoutes = {
  coursePoster: cbRoute("pub:pc", field.id),
  sitePoster: cbRoute("pub:ps", field.id),
  /** A planned channel post's key, e.g. "open:12" or "week:2026-03-02", ":" included. */
  skip: cbRoute("pub:sk", field.text),
  resume: cbRoute("pub:resume"),
};

const button = (text: string, callback_data: string): InlineKeyboardMarkup => ({
  inline_keyboard: [[{ text, callback_data }]],
});

function postFor(ctx: RenderContext, key: string, locale: "zh" | "en") {
  const post = getPost(ctx.db, key);
  if (!post) return undefined;
  const text = channelPostText(
    {
      db: ctx.db,
      t: ctx.i18n.getFixedT(locale),
      locale,
      timezone: ctx.config.timezone,
      now: ctx.now,
      botUsername: ctx.config.botUsername,
    },
    post,
  );
  return text ? { post, text } : undefined;
}

export const PUBLICITY_TEMPLATES: Record<string, Template> = {
  /** params: key (a channel_posts key). */
  "publicity.channelPost": (ctx, params) => {
    const found = postFor(ctx, String(params.key), ctx.config.publicChannelLocale);
    if (!found) return null;
    const { post, text } = found;
    // Skipped after queueing, or too late to be worth saying: dropped, not sent.
    if (post.state === "skipped" || post.deadline <= ctx.now.toISOString()) return null;
    const t = ctx.i18n.getFixedT(ctx.config.publicChannelLocale);
    return {
      text: text.text,
      ...(text.link
        ? { reply_markup: { inline_keyboard: [[{ text: t("publicity:channel.enrol"), url: text.link }]] } }
        : {}),
    };
  },

  /** params: key. Shown to staff in their language, with the post as the channel will see it. */
  "publicity.channelPreview": (ctx, params) => {
    const key = String(params.key);
    const found = postFor(ctx, key, ctx.config.publicChannelLocale);
    if (found?.post.state !== "planned") return null;
    return {
      text: ctx.t("publicity:channel.preview", {
        at: formatDateTime(found.post.postAt, ctx.locale, ctx.config.timezone),
        post: found.text.text,
        interpolation: { escapeValue: false },
      }),
      reply_markup: button(ctx.t("publicity:channel.skip"), publicityRoutes.skip.data(key)),
    };
  },

  /** params: reason (Telegram's words). */
  "publicity.channelDown": (ctx, params) => ({
    text: ctx.t("publicity:channel.down", { reason: String(params.reason ?? "") }),
    reply_markup: button(ctx.t("publicity:channel.resume"), publicityRoutes.resume.data()),
  }),
};

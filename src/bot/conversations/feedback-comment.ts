/**
 * After the stars: an optional comment (or Skip), and a choice to hide one's name from staff.
 * Entered with the id of the rating just saved and, from the stars' press, the stars given.
 */
import { InlineKeyboard } from "grammy";
import { commentOnRating, setAnonymous } from "../../feedback/feedback.ts";
import { MAX_COMMENT } from "../../feedback/text.ts";
import type { ConvContext } from "../context.ts";
import { answer, cb, mainMenu } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";
import { waitAnswer } from "./volunteer-wait.ts";

function commentKeyboard(ctx: ConvContext, feedbackId: number, anonymous: boolean): InlineKeyboard {
  return new InlineKeyboard()
    .text(
      ctx.t(anonymous ? "feedback:comment.anonymousOn" : "feedback:comment.anonymousOff"),
      cb("fb", "anon", feedbackId),
    )
    .row()
    .text(ctx.t("feedback:comment.skip"), cb("fb", "skip", feedbackId));
}

export async function feedbackComment(
  conversation: LifelongConversation,
  ctx: ConvContext,
  feedbackId: number,
  stars = "",
): Promise<void> {
  const accountId = ctx.from?.id ?? 0;
  let anonymous = false;
  const ask = ctx.t("feedback:comment.ask", { max: MAX_COMMENT });
  const options = { reply_markup: commentKeyboard(ctx, feedbackId, anonymous) };
  // Entered from the stars' press: that message says what was saved and asks, in place.
  const edited =
    stars && ctx.callbackQuery
      ? await ctx
          .editMessageText(`${ctx.t("feedback:rate.saved", { stars })}\n\n${ask}`, options)
          .then(() => true)
          .catch(() => false)
      : false;
  if (!edited) await ctx.reply(ask, options);
  for (;;) {
    const c = await waitAnswer(conversation, {
      text: true,
      prefixes: ["fb:anon:", "fb:skip:"],
      hint: ctx.t("feedback:comment.hint"),
    });
    const data = c.callbackQuery?.data;
    if (data?.startsWith("fb:anon:")) {
      anonymous = !anonymous;
      const flag = anonymous;
      await conversation.external((x) => setAnonymous(x.deps.db, accountId, feedbackId, flag));
      await answer(c, ctx.t(anonymous ? "feedback:comment.anonymousSet" : "feedback:comment.namedSet"));
      await c
        .editMessageReplyMarkup({ reply_markup: commentKeyboard(ctx, feedbackId, anonymous) })
        .catch(() => undefined);
      continue;
    }
    if (data) {
      await answer(c);
      await c.reply(ctx.t("feedback:comment.skipped"), { reply_markup: mainMenu(ctx) });
      return;
    }
    const text = c.message?.text ?? "";
    const result = await conversation.external((x) =>
      commentOnRating(x.deps.db, accountId, feedbackId, text),
    );
    if (!result.ok) {
      await c.reply(ctx.t(`feedback:comment.failed.${result.reason}`), { reply_markup: mainMenu(ctx) });
      if (result.reason === "empty") continue;
      return;
    }
    const note = result.truncated ? `${ctx.t("feedback:tooLong", { max: MAX_COMMENT })}\n` : "";
    await c.reply(`${note}${ctx.t("feedback:comment.saved")}`, { reply_markup: mainMenu(ctx) });
    return;
  }
}

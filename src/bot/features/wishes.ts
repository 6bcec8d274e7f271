/** Wishes: "What would you like to learn?" from the feedback menu or /wish. */
import { Composer, InlineKeyboard } from "grammy";
import { wishThreshold } from "../../feedback/targets.ts";
import { addWish } from "../../feedback/wishes.ts";
import type { BotContext } from "../context.ts";
import { wishRoutes } from "../../messages/feedback.ts";
import { answer } from "../menu.ts";
import { courseRoutes } from "../views/course-list.ts";

export function createWishesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");
  pm.command("wish", (ctx) => ctx.conversation.enter("feedback-wish"));
  pm.callbackQuery(wishRoutes.start.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter("feedback-wish");
  });
  // "Tell us you'd like this" under a search that found nothing: the typed words become a wish.
  pm.callbackQuery(wishRoutes.search.pattern, async (ctx) => {
    const [text] = wishRoutes.search.read(ctx.match);
    const { db, config, clock } = ctx.deps;
    addWish(db, { accountId: ctx.from.id, topics: [], text }, wishThreshold(config, ctx.log), clock.now());
    await answer(ctx);
    await ctx
      .editMessageText(ctx.t("resident:search.wished", { q: text }), {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text(ctx.t("resident:search.topics"), courseRoutes.menu.data()),
      })
      .catch(() => undefined);
  });
  return feature;
}

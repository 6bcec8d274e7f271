/** Wishes: "What would you like to learn?" from the feedback menu or /wish. */
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { answer } from "../menu.ts";

export function createWishesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");
  pm.command("wish", (ctx) => ctx.conversation.enter("feedback-wish"));
  pm.callbackQuery("wsh:start", async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter("feedback-wish");
  });
  return feature;
}

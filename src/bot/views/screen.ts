import { GrammyError } from "grammy";
import type { InlineKeyboard } from "grammy";
import type { BotContext, ConvContext } from "../context.ts";

/** One screen of the bot: HTML text and its buttons. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboard | undefined;
}

/**
 * Shows a screen in place of the message whose button was pressed, or as a new message after a
 * command. The one way a screen reaches the chat, so every feature edits and falls back alike.
 */
export async function showScreen(ctx: BotContext | ConvContext, screen: Screen): Promise<void> {
  const extra = {
    parse_mode: "HTML" as const,
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  };
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(screen.text, extra);
      return;
    } catch (err) {
      // A double tap edits to the same content; Telegram calls that an error, we call it done.
      if (err instanceof GrammyError && err.description.includes("message is not modified")) return;
      // Too old to edit, or not a text message: the screen comes as a new message instead.
      ctx.log.debug({ err }, "could not edit the message; sending a new one");
    }
  }
  await ctx.reply(screen.text, extra);
}

import { GrammyError } from "grammy";
import type { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotContext, ConvContext } from "../context.ts";

/** One screen of the bot: HTML text and its buttons. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboard | InlineKeyboardMarkup | undefined;
}

/** Telegram's refusal of an edit to exactly what the message already shows. */
export const isNotModified = (err: unknown): boolean =>
  err instanceof GrammyError && err.description.includes("message is not modified");

/**
 * Shows a screen in place of the message whose button was pressed, or as a new message after a
 * command or typed text. The one way a screen reaches the chat, so every feature edits and falls
 * back alike. Re-showing what a message already shows (a double tap, Back to where one is) is
 * done, not an error; a message that cannot take text (a photo, a file) or is too old to edit
 * gets the screen as a new message.
 */
export async function showScreen(ctx: BotContext | ConvContext, screen: Screen): Promise<void> {
  const extra = {
    parse_mode: "HTML" as const,
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  };
  const message = ctx.callbackQuery?.message;
  if (message && "text" in message && message.text !== undefined) {
    try {
      await ctx.editMessageText(screen.text, extra);
      return;
    } catch (err) {
      if (isNotModified(err)) return;
      ctx.log.debug({ err }, "could not edit the screen; sending it as a new message");
    }
  }
  await ctx.reply(screen.text, extra);
}

import { GrammyError, InlineKeyboard, Keyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { i18n as I18n } from "i18next";
import { LOCALES } from "../i18n/index.ts";
import { hasAnyRole } from "../people/roles.ts";
import type { BotContext, ConvContext } from "./context.ts";

/** The main menu's buttons, in the order shown: two big buttons a row. */
export const MENU_KEYS = ["courses", "mine", "volunteer", "feedback", "language", "help"] as const;
export type MenuKey = (typeof MENU_KEYS)[number] | "staff";

/** The persistent reply keyboard at the bottom of the chat; staff get one more row. */
export function mainMenu(ctx: ConvContext): Keyboard {
  const kb = new Keyboard();
  MENU_KEYS.forEach((key, i) => {
    kb.text(ctx.t(`common:menu.${key}`));
    if (i % 2 === 1) kb.row();
  });
  if (ctx.account && hasAnyRole(ctx.deps.db, ctx.account.id)) kb.text(ctx.t("common:menu.staff"));
  return kb.resized().persistent();
}

/** Matches a main-menu button's label in any language, so a switch of language never strands anyone. */
export function menuLabel(i18n: I18n, key: MenuKey): string[] {
  return LOCALES.map((lng) => i18n.getFixedT(lng)(`common:menu.${key}`));
}

/** Whether a text is one of the main menu's buttons, in any language (staff's included). */
export function isMainMenuLabel(i18n: I18n, text: string): boolean {
  return [...MENU_KEYS, "staff" as const].some((key) => menuLabel(i18n, key).includes(text));
}

/** One "Back" button to the given callback data, the last row of every screen below the top. */
export function backRow(ctx: ConvContext, data: string, keyboard = new InlineKeyboard()): InlineKeyboard {
  return keyboard.row().text(ctx.t("common:back"), data);
}

/** Callback data is limited to 64 bytes; build it here so a too-long one fails in tests, not in chat. */
export function cb(...parts: (string | number)[]): string {
  const data = parts.join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

/** Answers a callback query without letting a late or repeated answer break the handler. */
export async function answer(ctx: BotContext | ConvContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined).catch((err: unknown) => {
    ctx.log.debug({ err }, "callback answer failed");
  });
}

/** Telegram's refusal of an edit to exactly what the message already shows. */
export const isNotModified = (err: unknown): boolean =>
  err instanceof GrammyError && err.description.includes("message is not modified");

/**
 * Shows a screen in place of the message whose button was pressed, or as a new message after
 * a command or typed text. Re-showing the screen a message already shows (a double tap, Back to
 * where one is) is done, not an error; a message that cannot take text (a photo, a file) or is
 * too old to edit gets the screen as a new message.
 */
export async function showScreen(
  ctx: BotContext | ConvContext,
  text: string,
  keyboard?: InlineKeyboard | InlineKeyboardMarkup,
): Promise<void> {
  const extra = { parse_mode: "HTML" as const, ...(keyboard ? { reply_markup: keyboard } : {}) };
  const message = ctx.callbackQuery?.message;
  if (message && "text" in message && message.text !== undefined) {
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch (err) {
      if (isNotModified(err)) return;
      ctx.log.debug({ err }, "could not edit the screen; sending it as a new message");
    }
  }
  await ctx.reply(text, extra);
}

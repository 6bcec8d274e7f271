import type { Composer } from "grammy";
import { InlineKeyboard, Keyboard } from "grammy";
import type { i18n as I18n } from "i18next";
import { LOCALES } from "../i18n/index.ts";
import { hasAnyRole } from "../people/roles.ts";
import type { BotContext, ConvContext } from "./context.ts";

// Re-exported so that the features keep importing their button helpers from one place.
export { cb } from "../callback-data.ts";

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

/**
 * A main-menu entry: its /command and its reply-keyboard button (in either language) open the
 * same screen. One place for the pair, so no entry answers one and not the other.
 */
export function onMenuEntry<C extends BotContext>(
  composer: Composer<C>,
  key: MenuKey,
  command: string,
  open: (ctx: C) => unknown,
): void {
  composer.command(command, (ctx) => open(ctx));
  composer.on("message:text").filter(
    (ctx) => menuLabel(ctx.deps.i18n, key).includes(ctx.message.text),
    (ctx) => open(ctx),
  );
}

/** Whether a text is one of the main menu's buttons, in any language (staff's included). */
export function isMainMenuLabel(i18n: I18n, text: string): boolean {
  return [...MENU_KEYS, "staff" as const].some((key) => menuLabel(i18n, key).includes(text));
}

/** One "Back" button to the given callback data, the last row of every screen below the top. */
export function backRow(ctx: ConvContext, data: string, keyboard = new InlineKeyboard()): InlineKeyboard {
  return keyboard.row().text(ctx.t("common:back"), data);
}

/**
 * ◀️ / ▶️ under a paged list (the row is the caller's to end): each press re-reads that page
 * from the database, so a list that changed meanwhile shows as it is now. `route` takes the page.
 */
export function pagerButtons(
  kb: InlineKeyboard,
  page: number,
  more: boolean,
  route: { data(page: number): string },
): InlineKeyboard {
  if (page > 0) kb.text("◀️", route.data(page - 1));
  if (more) kb.text("▶️", route.data(page + 1));
  return kb;
}

/** Answers a callback query without letting a late or repeated answer break the handler. */
export async function answer(ctx: BotContext | ConvContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined).catch((err: unknown) => {
    ctx.log.debug({ err }, "callback answer failed");
  });
}

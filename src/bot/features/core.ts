import { Composer, InlineKeyboard } from "grammy";
import { isLocale } from "../../i18n/index.ts";
import { setLocale } from "../../people/accounts.ts";
import { menuKindOf, refreshMenu } from "../commands.ts";
import type { BotContext, ConvContext } from "../context.ts";
import { staffHelp } from "./staff-help.ts";
import { cbRoute, field } from "../../callback-data.ts";
import { answer, mainMenu, menuLabel } from "../menu.ts";

/** The greeting, the short privacy notice and the main menu: the way in for everyone. */
export async function greet(ctx: ConvContext): Promise<void> {
  const name = ctx.account?.firstName || ctx.from?.first_name || "";
  const key = ctx.account?.isNew ? "common:start.welcomeNew" : "common:start.welcomeBack";
  await ctx.reply(`${ctx.t(key, { name })}\n\n${ctx.t("common:privacy.short")}`, {
    parse_mode: "HTML",
    reply_markup: mainMenu(ctx),
  });
}

export async function showMainMenu(ctx: ConvContext): Promise<void> {
  await ctx.reply(ctx.t("common:menu.prompt"), { reply_markup: mainMenu(ctx) });
}

async function showHelp(ctx: ConvContext): Promise<void> {
  const extra = staffHelp(ctx);
  const text = extra ? `${ctx.t("common:help.text")}\n\n${extra}` : ctx.t("common:help.text");
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: mainMenu(ctx) });
}

/** Callback data of the language picker: `lang:<locale>`. */
export const languageRoute = cbRoute("lang", field.word);

async function showLanguageChoice(ctx: ConvContext): Promise<void> {
  const kb = new InlineKeyboard()
    .text("中文", languageRoute.data("zh"))
    .text("English", languageRoute.data("en"));
  await ctx.reply(ctx.t("common:language.prompt"), { reply_markup: kb });
}

export function createCore(): Composer<BotContext> {
  const core = new Composer<BotContext>();
  const pm = core.chatType("private");

  pm.command("help", showHelp);
  pm.command("menu", showMainMenu);
  pm.command("privacy", (ctx) => ctx.reply(ctx.t("common:privacy.full"), { parse_mode: "HTML" }));
  pm.command("language", showLanguageChoice);

  core
    .on("message:text")
    .filter((ctx) => menuLabel(ctx.deps.i18n, "help").includes(ctx.message.text), showHelp);
  core
    .on("message:text")
    .filter((ctx) => menuLabel(ctx.deps.i18n, "language").includes(ctx.message.text), showLanguageChoice);

  core.callbackQuery(languageRoute.pattern, async (ctx) => {
    const [chosen] = languageRoute.read(ctx.match);
    if (!isLocale(chosen) || !ctx.account) return answer(ctx, ctx.t("common:stale"));
    setLocale(ctx.deps.db, ctx.account.id, chosen);
    ctx.setLocale(chosen);
    await answer(ctx);
    // One message answers: it says the choice and carries the menu in the new language (a
    // reply keyboard cannot ride on an edited message); the picker only loses its buttons.
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await ctx.reply(ctx.t("common:language.chosen"), { reply_markup: mainMenu(ctx) });
    const { deps } = ctx;
    if (menuKindOf(deps.db, ctx.account.id).kind === "resident") return;
    await refreshMenu(ctx.api, deps.i18n, deps.db, ctx.account.id, deps.config.defaultLocale).catch(
      (err: unknown) => ctx.log.warn({ err }, "could not refresh the command menu"),
    );
  });

  return core;
}

/** The last word: anything no feature took gets a hint instead of silence. */
export function createFallback(): Composer<BotContext> {
  const fallback = new Composer<BotContext>();

  // Every stray callback query is answered, or the person's button spins until Telegram gives up.
  fallback.on("callback_query", (ctx) => answer(ctx, ctx.t("common:stale"), true));

  const pm = fallback.chatType("private");
  pm.command("start", greet); // a deep link nobody understood: greet as usual
  pm.on("message:text", async (ctx) => {
    const text = ctx.message.text;
    const key = text.startsWith("/") ? "common:unknownCommand" : "common:useButtons";
    await ctx.reply(ctx.t(key), { reply_markup: mainMenu(ctx) });
  });
  pm.on("message", (ctx) => ctx.reply(ctx.t("common:useButtons"), { reply_markup: mainMenu(ctx) }));
  return fallback;
}

import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { isMainMenuLabel, mainMenu } from "../menu.ts";
import { greet } from "./core.ts";

/**
 * Commands that must work even in the middle of a conversation (/start, /cancel) are here,
 * installed before the conversations; the rest of the basics are in `core` (core.ts).
 */
export function createEscapes(): Composer<BotContext> {
  const escapes = new Composer<BotContext>();
  const pm = escapes.chatType("private");

  pm.command("cancel", async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t(active ? "common:cancel.done" : "common:cancel.nothing"), {
      reply_markup: mainMenu(ctx),
    });
  });

  // /start always leads out of a form: plain, back to the top; with a deep link (a check-in
  // code scanned in the classroom), on to the feature that owns the link.
  pm.command("start", async (ctx, next) => {
    await ctx.conversation.exitAll();
    if (ctx.match) return next();
    await greet(ctx);
  });

  // A command or a main-menu button in the middle of a form means the person wants to go
  // elsewhere: the form ends (nothing half-written), one line says so, and the command or
  // button does what it always does.
  pm.on("message:text", async (ctx, next) => {
    const text = ctx.message.text;
    const command = ctx.message.entities?.some((e) => e.type === "bot_command" && e.offset === 0) ?? false;
    if (
      Object.keys(ctx.conversation.active()).length > 0 &&
      (command || isMainMenuLabel(ctx.deps.i18n, text))
    ) {
      await ctx.conversation.exitAll();
      await ctx.reply(ctx.t("resident:form.left"));
    }
    await next();
  });

  return escapes;
}

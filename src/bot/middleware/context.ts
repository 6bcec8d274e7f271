import type { MiddlewareFn } from "grammy";
import { botToken } from "../../config.ts";
import { resolveLocale } from "../../i18n/index.ts";
import { markReachable } from "../../notify/outbox.ts";
import { chatTag, chatTagKey } from "../../ops/chat-tag.ts";
import { touchAccount } from "../../people/accounts.ts";
import type { BotDeps, ConvContext } from "../context.ts";

/**
 * Puts deps, a child logger, the sender's account and their language on ctx. Installed
 * outside and, through the conversations plugin's `plugins`, inside every conversation,
 * because the contexts a conversation replays never pass through outer middleware.
 */
export function installContext(deps: BotDeps): MiddlewareFn<ConvContext> {
  return async (ctx, next) => {
    ctx.deps = deps;
    // Every line of this update's handling says which update and whose chat (a tag, not the id).
    const chat = ctx.chat ?? (ctx.from ? { id: ctx.from.id, type: "private" } : undefined);
    ctx.log = deps.logger.child({
      update_id: ctx.update.update_id,
      ...(chat ? { chat: chatTag(chat.id, chat.type, chatTagKey(botToken(deps.config))) } : {}),
    });
    const from = ctx.from;
    ctx.account = from && !from.is_bot ? touchAccount(deps.db, from, deps.clock.now()) : undefined;
    // Anything they send in private means the chat is open: messages held for them go out now.
    if (ctx.account && ctx.chat?.type === "private" && ctx.myChatMember?.new_chat_member.status !== "kicked")
      markReachable(deps.db, ctx.account.id);
    ctx.setLocale = (locale) => {
      ctx.locale = locale;
      ctx.t = deps.i18n.getFixedT(locale);
    };
    ctx.setLocale(resolveLocale(ctx.account?.locale, from?.language_code, deps.config.defaultLocale));
    const started = performance.now();
    await next();
    ctx.log.debug({ ms: Math.round(performance.now() - started) }, "update handled");
  };
}

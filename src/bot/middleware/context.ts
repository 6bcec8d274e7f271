import type { MiddlewareFn } from "grammy";
import { botToken } from "../../config.ts";
import { resolveLocale, translator } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { markReachable } from "../../notify/outbox.ts";
import { chatTag, chatTagKey } from "../../ops/chat-tag.ts";
import { recordContact, seeAccount, touchAccount } from "../../people/accounts.ts";
import type { BotDeps, ConvContext } from "../context.ts";

/** Callback data whose handler records first contact in its own transaction. */
export const FOLDS_CONTACT = /^enr:ok:/;

/**
 * Puts deps, a child logger, the sender's account and their language on ctx. Installed
 * outside and, through the conversations plugin's `plugins`, inside every conversation,
 * because the contexts a conversation replays never pass through outer middleware.
 */
export function installContext(deps: BotDeps): MiddlewareFn<ConvContext> {
  const tagKey = chatTagKey(botToken(deps.config));
  return async (ctx, next) => {
    ctx.deps = deps;
    // Every line of this update's handling says which update and whose chat (a tag, not the id).
    // Made on first use: most updates log nothing, and the tag is a keyed hash.
    let log: Logger | undefined;
    Object.defineProperty(ctx, "log", {
      configurable: true,
      enumerable: true,
      get: () => {
        if (!log) {
          const chat = ctx.chat ?? (ctx.from ? { id: ctx.from.id, type: "private" } : undefined);
          log = deps.logger.child({
            update_id: ctx.update.update_id,
            ...(chat ? { chat: chatTag(chat.id, chat.type, tagKey) } : {}),
          });
        }
        return log;
      },
    });
    const from = ctx.from;
    ctx.pendingContact = undefined;
    if (from && !from.is_bot) {
      const seen = seeAccount(deps.db, from, deps.clock.now());
      // The confirm press writes the account in its own transaction, so that it costs one commit.
      if (seen.needsWrite && FOLDS_CONTACT.test(ctx.callbackQuery?.data ?? "")) {
        ctx.account = seen.account;
        ctx.pendingContact = from;
      } else
        ctx.account = seen.needsWrite
          ? recordContact(deps.db, from, deps.clock.now(), seen.account.isNew)
          : seen.account;
    } else ctx.account = undefined;
    // Anything they send in private means the chat is open: messages held for them go out now.
    if (ctx.account && ctx.chat?.type === "private" && ctx.myChatMember?.new_chat_member.status !== "kicked")
      markReachable(deps.db, ctx.account.id);
    ctx.setLocale = (locale) => {
      ctx.locale = locale;
      ctx.t = translator(deps.i18n, locale);
    };
    ctx.setLocale(resolveLocale(ctx.account?.locale, from?.language_code, deps.config.defaultLocale));
    const started = performance.now();
    try {
      await next();
    } finally {
      // A press that did not reach its transaction (a stale button, a refusal) still counts as contact.
      if (ctx.pendingContact) {
        touchAccount(deps.db, ctx.pendingContact, deps.clock.now());
        ctx.pendingContact = undefined;
      }
    }
    if (deps.logger.isLevelEnabled("debug"))
      ctx.log.debug({ ms: Math.round(performance.now() - started) }, "update handled");
  };
}

import { autoRetry } from "@grammyjs/auto-retry";
import { conversations, createConversation } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError } from "grammy";
import type { ApiClientOptions, BotError, Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { menuOnStart } from "./commands.ts";
import type { BotContext, BotDeps, ConvContext } from "./context.ts";
import { CONVERSATIONS } from "./conversations/index.ts";
import { sqliteConversationStorage } from "./conversation-storage.ts";
import { createFallback } from "./features/core.ts";
import { CORE, createFeatures, ESCAPES, pressGated } from "./features/index.ts";
import { answer } from "./menu.ts";
import { installContext } from "./middleware/context.ts";
import { paceReplies } from "../notify/pace-replies.ts";
import type { Pacer } from "../notify/pacer.ts";
import { observeUpdates } from "./middleware/observe.ts";

export interface CreateBotOptions {
  token: string;
  /** Known bot identity: skips getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** grammY client options: apiRoot for a local Bot API, fetch for an in-memory one. */
  client?: ApiClientOptions;
  /** Retry 429s and network errors on the bot's own replies (off in throughput benchmarks). */
  autoRetry?: boolean;
  /** The Pacer the outbox sender uses: replies then wait their turn on it (see paceReplies). */
  pacer?: Pacer;
  /** API transformers installed inside auto-retry, so that they see every attempt (health). */
  transformers?: Transformer[];
}

/** A reply told to wait this long by a 429 still waits and goes out, rather than ending in the apology. */
export const REPLY_RETRY_MAX_DELAY_S = 60;

/**
 * Builds the bot: context, conversations, the features in a visible order, and
 * a last catch-all, all inside an error boundary. Does not start it.
 */
export function createBot(deps: BotDeps, options: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { apiRoot: deps.config.apiRoot, ...options.client },
  });
  for (const t of options.transformers ?? []) bot.api.config.use(t);
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: REPLY_RETRY_MAX_DELAY_S });
  // The pace goes in first, so that auto-retry (outside it) sends every retry through it again.
  const pace = options.pacer ? paceReplies(options.pacer) : undefined;
  if (pace) bot.api.config.use(pace);
  if (options.autoRetry !== false) bot.api.config.use(retry);

  const context = installContext(deps);
  // Updates of one chat run one after another (the runner handles chats concurrently);
  // a person's second tap waits for the first to finish.
  bot.use(sequentialize((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  if (deps.observer) bot.use(observeUpdates(deps.observer));
  bot.use(context);

  const guarded = bot.errorBoundary(handleError);
  guarded.use(
    conversations<BotContext, ConvContext>({
      storage: sqliteConversationStorage(deps.db, deps.clock),
      plugins: [
        context,
        async (ctx, next) => {
          if (pace) ctx.api.config.use(pace);
          if (options.autoRetry !== false) ctx.api.config.use(retry);
          await next();
        },
      ],
    }),
  );
  guarded.use(menuOnStart());
  guarded.use(pressGated(ESCAPES));
  for (const spec of CONVERSATIONS) {
    guarded.use(createConversation<BotContext, ConvContext>(spec.builder as never, { id: spec.id }));
  }
  guarded.use(pressGated(CORE));
  for (const feature of createFeatures()) guarded.use(feature);
  guarded.use(createFallback());
  return bot;
}

/** Logs with the update id and apologises in the person's language; never throws. */
async function handleError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  const log = ctx.log ?? ctx.deps?.logger;
  const e = err.error;
  const kind = e instanceof GrammyError ? "telegram" : e instanceof HttpError ? "network" : "internal";
  log?.error({ err: e, kind, update_id: ctx.update.update_id }, "update failed");
  ctx.deps?.observer?.failed(kind);
  try {
    await answer(ctx);
    if (ctx.chat?.type === "private" && ctx.t) await ctx.reply(ctx.t("common:error"));
  } catch (replyErr) {
    log?.warn({ err: replyErr }, "could not apologise");
  }
}

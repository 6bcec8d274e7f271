import { createServer } from "node:http";
import type { Server } from "node:http";
import { run } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import { webhookCallback } from "grammy";
import type { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import type { Db } from "./db/connection.ts";
import { migrate } from "./db/migrate.ts";
import { createI18n } from "./i18n/index.ts";
import type { Logger } from "./logger.ts";
import { ensureAdmins } from "./people/roles.ts";
import { registerChatCommands, registerDefaultCommands } from "./bot/commands.ts";
import { syncBotProfile } from "./bot/profile.ts";
import { createCatalogPageHandler } from "./publicity/catalog-page.ts";
import type { BotContext, BotDeps } from "./bot/context.ts";
import { createBot } from "./bot/create-bot.ts";
import { flushHandledUpdates } from "./bot/middleware/dedupe.ts";
import { JOBS } from "./jobs/index.ts";
import { startScheduler } from "./jobs/scheduler.ts";
import { createSender } from "./notify/sender.ts";
import type { Sender } from "./notify/sender.ts";
import { TEMPLATES } from "./notify/templates/index.ts";

/**
 * Updates handled at once. The work is SQLite on one thread, so more in flight only makes each
 * wait longer (with @grammyjs/runner's default of 500, a registration rush answers in seconds).
 * 8, each waiting ~100 ms for Telegram, still handles ~80 updates a second: more than the ~30
 * messages a second Telegram lets a bot send in reply.
 */
export const RUNNER_CONCURRENCY = 8;

/** An update still running after this is logged (a stuck chat is otherwise silent). */
const UPDATE_TIMEOUT_MS = 30_000;

export interface AppOptions {
  token: string;
  clock?: Clock;
  /** Skip getMe when the identity is known (tests). */
  botInfo?: UserFromGetMe;
  /** An already open database (the sandbox opens and seeds its own). */
  db?: Db;
}

export interface App {
  bot: Bot<BotContext>;
  deps: BotDeps;
  /** The outbox sender (the sandbox's time panel wakes it after running a job). */
  sender: Sender;
  stop(): Promise<void>;
}

/**
 * Starts everything that makes the bot run: database, bot, outbox sender, scheduled jobs, and
 * either long polling or the webhook server. `stop` undoes it in reverse order.
 */
export async function startApp(config: Config, logger: Logger, options: AppOptions): Promise<App> {
  const clock = options.clock ?? systemClock;
  const db = options.db ?? openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied.length > 0) logger.info({ applied }, "database migrated");
  ensureAdmins(db, config.adminIds, clock.now());

  const i18n = await createI18n(config.defaultLocale);
  const deps: BotDeps = { config, db, logger, i18n, clock };
  const bot = createBot(deps, {
    token: options.token,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  await bot.init();
  logger.info({ username: bot.botInfo.username }, "bot identity");

  await registerCommands(bot, deps);
  await syncBotProfile(bot.api, i18n, config.defaultLocale, logger);

  const sender = createSender({ db, api: bot.api, i18n, config, clock, logger, templates: TEMPLATES });
  sender.start();
  const scheduler = startScheduler({ db, config, logger, clock }, JOBS);

  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  if (config.mode === "webhook") {
    server = await startWebhookServer(bot, deps);
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: { fetch: { allowed_updates: ["message", "callback_query", "my_chat_member", "inline_query"] } },
      sink: {
        concurrency: RUNNER_CONCURRENCY,
        timeout: {
          milliseconds: UPDATE_TIMEOUT_MS,
          handler: (update) =>
            logger.error({ update_id: update.update_id }, "update still running after 30 s"),
        },
      },
    });
    logger.info("long polling started");
  }

  let stopped = false;
  return {
    bot,
    deps,
    sender,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Stop taking updates first, let those in flight finish, then the rest.
      if (runner?.isRunning()) await runner.stop();
      // runner.stop() ends fetching but does not wait for the updates being handled (and their
      // dedupe mark is already written): closing the database under them would lose a reply's
      // conversation state, leaving a half-filled form stuck after a restart. Drain, up to ~3 s.
      for (let i = 0; runner && runner.size() > 0 && i < 150; i++)
        await new Promise((r) => setTimeout(r, 20));
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      await scheduler.stop();
      await sender.stop();
      flushHandledUpdates(db);
      db.close();
      logger.info("stopped");
    },
  };
}

async function registerCommands(bot: Bot<BotContext>, deps: BotDeps): Promise<void> {
  const { db, i18n, config, logger } = deps;
  try {
    await registerDefaultCommands(bot.api, i18n, config.defaultLocale);
    const withRoles = db.prepare("SELECT DISTINCT user_id FROM roles").pluck().all() as number[];
    for (const id of withRoles) await registerChatCommands(bot.api, i18n, db, id, true, config.defaultLocale);
  } catch (err) {
    // A person who never opened the chat cannot get a chat-scoped menu; the bot still runs.
    logger.warn({ err }, "could not register every command menu");
  }
}

async function startWebhookServer(bot: Bot<BotContext>, deps: BotDeps): Promise<Server> {
  const { config, logger, db } = deps;
  const url = new URL(config.webhookUrl!);
  const handle = webhookCallback(bot, "http", { secretToken: config.webhookSecret!, onTimeout: "return" });
  const catalog = createCatalogPageHandler({ deps: () => deps, botUsername: () => bot.botInfo.username });
  const server = createServer((req, res) => {
    if (catalog(req, res)) return;
    if (req.method === "GET" && req.url === "/healthz") {
      let ok = true;
      try {
        db.prepare("SELECT 1").get();
      } catch {
        ok = false;
      }
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok, bot: bot.botInfo.username }));
      return;
    }
    if (req.method === "POST" && req.url === url.pathname) {
      handle(req, res).catch((err: unknown) => {
        logger.error({ err }, "webhook update failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  await bot.api.setWebhook(url.href, {
    secret_token: config.webhookSecret!,
    allowed_updates: ["message", "callback_query", "my_chat_member", "inline_query"],
  });
  logger.info({ port: config.port, url: url.href }, "webhook server listening");
  return server;
}

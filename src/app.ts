import { createServer } from "node:http";
import type { Server } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Api } from "grammy";
import type { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import type { Config, RunMode } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import type { Db } from "./db/connection.ts";
import { migrate } from "./db/migrate.ts";
import { createI18n } from "./i18n/index.ts";
import type { Logger } from "./logger.ts";
import { ensureAdmins } from "./people/roles.ts";
import { registerAllMenus } from "./bot/commands.ts";
import { syncBotProfile } from "./bot/profile.ts";
import { createCatalogPageHandler } from "./publicity/catalog-page.ts";
import type { BotContext, BotDeps } from "./bot/context.ts";
import { createBot } from "./bot/create-bot.ts";
import { createDispatcher, storeUpdates } from "./bot/inbox.ts";
import type { Dispatcher } from "./bot/inbox.ts";
import { startPolling } from "./bot/polling.ts";
import type { Polling } from "./bot/polling.ts";
import { JOBS } from "./jobs/index.ts";
import { startScheduler } from "./jobs/scheduler.ts";
import { Pacer, TELEGRAM_PACE } from "./notify/pacer.ts";
import { createSender } from "./notify/sender.ts";
import type { Sender } from "./notify/sender.ts";
import { TEMPLATES } from "./messages/index.ts";
import type { HealthThresholds } from "./ops/health.ts";
import { createOps } from "./ops/runtime.ts";
import type { Ops } from "./ops/runtime.ts";

/**
 * Updates handled at once. The work is SQLite on one thread, so more in flight only makes each
 * wait longer (with @grammyjs/runner's default of 500, a registration rush answers in seconds).
 * 8, each waiting ~100 ms for Telegram, still handles ~80 updates a second: more than the ~30
 * messages a second Telegram lets a bot send in reply.
 */
export const RUNNER_CONCURRENCY = 8;

/** An update still running after this is logged (a stuck chat is otherwise silent). */
const UPDATE_TIMEOUT_MS = 30_000;

const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "inline_query"] as const;

export interface AppOptions {
  token: string;
  clock?: Clock;
  /** Skip getMe when the identity is known (tests). */
  botInfo?: UserFromGetMe;
  /** An already open database (the sandbox opens and seeds its own). */
  db?: Db;
  /** Shorter /healthz thresholds (tests). */
  health?: Partial<HealthThresholds>;
}

export interface App {
  bot: Bot<BotContext>;
  deps: BotDeps;
  /** The outbox sender (the sandbox's time panel wakes it after running a job). */
  sender: Sender;
  /** Health and metrics (GET /healthz, /metrics). */
  ops: Ops;
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
  const ops = createOps({
    config,
    db,
    logger,
    clock,
    jobs: JOBS,
    ...(options.health ? { thresholds: options.health } : {}),
  });
  const deps: BotDeps = { config, db, logger, i18n, clock, observer: ops.observer };
  // One pace for the bot's replies and the outbox, so that together they draw no 429.
  const pacer = new Pacer(TELEGRAM_PACE);
  const bot = createBot(deps, {
    token: options.token,
    pacer,
    transformers: [ops.telegram.transformer],
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  await bot.init();
  logger.info({ username: bot.botInfo.username }, "bot identity");

  await registerCommands(bot, deps);
  await syncBotProfile(bot.api, i18n, config.defaultLocale, logger);

  const sender = createSender({
    db,
    api: bot.api,
    i18n,
    config,
    clock,
    logger,
    templates: TEMPLATES,
    pacer,
    onOutcome: ops.onOutcome,
  });
  sender.start();
  const scheduler = startScheduler({ db, config, logger, clock, onJobRun: ops.onJobRun }, JOBS);
  await ops.start(bot.api);

  // Updates stored but not handled when the last process ended are handled first: they are
  // the oldest in the inbox, and the inbox is handled in update_id order.
  const dispatcher = createDispatcher({
    db,
    clock,
    logger,
    handle: (update) => bot.handleUpdate(update),
    concurrency: RUNNER_CONCURRENCY,
    timeoutMs: UPDATE_TIMEOUT_MS,
  });
  dispatcher.wake();

  let polling: Polling | undefined;
  let server: Server | undefined;
  if (config.mode.kind === "webhook") {
    server = await startWebhookServer(bot, deps, config.mode, dispatcher, ops);
  } else {
    await bot.api.deleteWebhook();
    // Its own client, without the auto-retry the bot's replies use (it would wait up to an
    // hour between tries while Telegram is down); health still sees each poll reach Telegram.
    const pollApi = new Api(bot.api.token, bot.api.options);
    pollApi.config.use(ops.telegram.transformer);
    polling = startPolling({
      db,
      clock,
      logger,
      dispatcher,
      allowedUpdates: [...ALLOWED_UPDATES],
      getUpdates: (params, signal) => pollApi.getUpdates(params as never, signal as never),
    });
    logger.info("long polling started");
  }

  let stopped = false;
  return {
    bot,
    deps,
    sender,
    ops,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Stop taking updates first, let those in flight finish, then the rest. An update still
      // running when the wait ends stays unmarked in the inbox and is handled after the restart.
      await polling?.stop();
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.stop(3000);
      await ops.stop();
      await scheduler.stop();
      await sender.stop();
      db.close();
      logger.info("stopped");
    },
  };
}

async function registerCommands(bot: Bot<BotContext>, deps: BotDeps): Promise<void> {
  const { db, i18n, config, logger } = deps;
  const { set, failed } = await registerAllMenus(bot.api, i18n, db, config.defaultLocale, (userId, err) =>
    logger.warn({ err, user_id: userId }, "could not set a command menu"),
  );
  logger.info({ set, failed }, "command menus registered");
}

type WebhookMode = Extract<RunMode, { kind: "webhook" }>;

async function startWebhookServer(
  bot: Bot<BotContext>,
  deps: BotDeps,
  hook: WebhookMode,
  dispatcher: Dispatcher,
  ops: Ops,
): Promise<Server> {
  const { logger, db, clock } = deps;
  const url = new URL(hook.url);
  const secret = Buffer.from(hook.secret);
  const catalog = createCatalogPageHandler({ deps: () => deps, botUsername: () => bot.botInfo.username });
  const server = createServer((req, res) => {
    if (ops.handle(req, res)) return;
    if (catalog(req, res)) return;
    if (req.method === "POST" && req.url === url.pathname) {
      const given = Buffer.from(String(req.headers["x-telegram-bot-api-secret-token"] ?? ""));
      if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
        req.resume();
        res.writeHead(401).end();
        return;
      }
      // 200 only once the update is stored: Telegram resends it until then.
      readUpdate(req)
        .then((update) => {
          storeUpdates(db, [update], clock.now());
          res.writeHead(200).end();
          dispatcher.wake();
        })
        .catch((err: unknown) => {
          logger.error({ err }, "webhook update not stored");
          if (!res.headersSent) res.writeHead(500).end();
        });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(hook.port, resolve));
  await bot.api.setWebhook(url.href, {
    secret_token: hook.secret,
    allowed_updates: ALLOWED_UPDATES,
  });
  logger.info({ port: hook.port, url: url.href }, "webhook server listening");
  return server;
}

/** The update in a webhook request's body. */
async function readUpdate(req: IncomingMessage): Promise<Update> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Update;
  if (typeof update?.update_id !== "number") throw new Error("not an update");
  return update;
}

import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Api } from "grammy";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { JobSpec } from "../jobs/types.ts";
import type { Logger } from "../logger.ts";
import { checkHealth, HEALTH_THRESHOLDS } from "./health.ts";
import type { HealthReport, HealthThresholds } from "./health.ts";
import { createMetrics } from "./metrics.ts";
import type { OpsMetrics, SendOutcome } from "./metrics.ts";
import { TelegramWatch } from "./telegram-watch.ts";

export interface OpsDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  jobs: readonly JobSpec[];
  thresholds?: Partial<HealthThresholds>;
}

/** Health, metrics and the hooks that feed them, for one running app. */
export interface Ops {
  telegram: TelegramWatch;
  metrics: OpsMetrics | undefined;
  health(): HealthReport;
  /** For BotDeps.observer: every update handled or failed. */
  observer: { handled(type: string, seconds: number): void; failed(kind: string): void };
  /** For SenderDeps.onOutcome. */
  onOutcome(outcome: SendOutcome): void;
  /** For JobDeps.onJobRun. */
  onJobRun(name: string, seconds: number, ok: boolean): void;
  /** Answers GET /healthz and (with METRICS=1) GET /metrics; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Starts the HEALTH_PORT server (when set) and, in webhook mode, the periodic webhook probe. */
  start(api: Api): Promise<void>;
  /** http://host:port of the HEALTH_PORT server once started. */
  readonly healthUrl: string | undefined;
  stop(): Promise<void>;
}

export function createOps(deps: OpsDeps): Ops {
  const { config, db, logger, clock } = deps;
  const thresholds = { ...HEALTH_THRESHOLDS, ...deps.thresholds };
  const telegram = new TelegramWatch();
  const metrics = config.metrics ? createMetrics(db, () => clock.now()) : undefined;
  const startedAt = clock.now();
  let server: Server | undefined;
  let healthUrl: string | undefined;
  let probe: NodeJS.Timeout | undefined;

  const health = (): HealthReport =>
    checkHealth({
      db,
      jobs: deps.jobs,
      timezone: config.timezone,
      telegram,
      now: clock.now(),
      wallNow: Date.now(),
      startedAt,
      thresholds,
    });

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET") return false;
    if (path === "/healthz") {
      const report = db.open ? health() : { ok: false, failing: ["database"], checks: {} };
      if (!report.ok) logger.warn({ failing: report.failing }, "health check failing");
      res.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(report));
      return true;
    }
    if (path === "/metrics" && metrics) {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          logger.error({ err }, "metrics failed");
          res.writeHead(500).end();
        },
      );
      return true;
    }
    return false;
  };

  return {
    telegram,
    metrics,
    health,
    observer: {
      handled(type, seconds) {
        telegram.reached();
        metrics?.update(type, seconds);
      },
      failed: (kind) => metrics?.error(kind),
    },
    onOutcome: (outcome) => metrics?.send(outcome),
    onJobRun: (name, seconds, ok) => metrics?.jobRun(name, seconds, ok),
    handle,
    get healthUrl() {
      return healthUrl;
    },
    async start(api) {
      if (config.mode.kind === "webhook") {
        // With a webhook Telegram only calls when there are updates: ask it now and then, which
        // also tells whether its deliveries to us fail.
        const ask = () =>
          api.getWebhookInfo().then(
            (info) => {
              telegram.webhookError = info.last_error_message
                ? `${info.last_error_message} (${new Date((info.last_error_date ?? 0) * 1000).toISOString()})`
                : undefined;
            },
            (err: unknown) => logger.warn({ err }, "could not reach Telegram for getWebhookInfo"),
          );
        void ask();
        probe = setInterval(ask, Math.min(60_000, thresholds.telegramMs / 2));
        probe.unref();
      }
      if (config.healthPort === undefined) return;
      const s = createServer((req, res) => {
        if (!handle(req, res)) res.writeHead(404).end();
      });
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(config.healthPort, config.healthHost, resolve);
      });
      server = s;
      const { port } = s.address() as AddressInfo;
      const host = config.healthHost.includes(":") ? `[${config.healthHost}]` : config.healthHost;
      healthUrl = `http://${host}:${port}`;
      logger.info({ url: `${healthUrl}/healthz`, metrics: Boolean(metrics) }, "health server listening");
    },
    async stop() {
      clearInterval(probe);
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

import { botToken, ConfigError, loadConfig } from "./config.ts";
import type { Config } from "./config.ts";
import { createLogger } from "./logger.ts";
import { acquireInstanceLock, InstanceLockError } from "./ops/instance-lock.ts";
import type { InstanceLock } from "./ops/instance-lock.ts";
import { SANDBOX_DB } from "./sandbox/paths.ts";

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 5_000;

async function main(argv: string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Lifelong cannot start:\n${err.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel,
    pretty: config.logPretty,
    secrets: [botToken(config)],
  });

  // One process per database: a second poller makes Telegram answer 409, a second sender sends twice.
  const databasePath =
    config.mode.kind !== "sandbox" || config.databasePathSet ? config.databasePath : SANDBOX_DB;
  let lock: InstanceLock;
  try {
    lock = acquireInstanceLock(databasePath);
  } catch (err) {
    if (err instanceof InstanceLockError) {
      process.stderr.write(
        `Lifelong cannot start: it is already running on ${databasePath} (lock held by pid ${err.pid}).\n` +
          `  Stop that process first; if it is gone, remove ${err.file}.\n`,
      );
      process.exit(1);
    }
    throw err;
  }
  process.on("exit", () => lock.release());

  // Loaded only after the configuration is known to be good, so a bad one is reported at once.
  const mode = config.mode;
  const running =
    mode.kind === "sandbox"
      ? await (await import("./sandbox/start.ts")).startSandbox(config, logger, {
          fresh: argv.includes("--fresh"),
          port: mode.port,
        })
      : await (await import("./app.ts")).startApp(config, logger, { token: mode.token });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(
    `Lifelong failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});

import { rmSync } from "node:fs";
import type { Config } from "../config.ts";
import { openDatabase } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { importCatalogFile } from "../catalog/import.ts";
import { DEMO_PERSONAS, seedDemo } from "../demo/demo.ts";
import type { Logger } from "../logger.ts";
import { startApp } from "../app.ts";
import { JOBS } from "../jobs/index.ts";
import { ShiftableClock } from "./clock.ts";
import { SANDBOX_DB } from "./paths.ts";
import { createEmulator } from "./emulator/index.ts";
import { startWebChat } from "./web/server.ts";

/** The sandbox's own bot token: accepted by its emulator only, never by Telegram. */
export const SANDBOX_TOKEN = "1000001:sandbox-token-for-the-local-emulator";
export { SANDBOX_DB };

/**
 * The channel the sandbox's feed posts to when PUBLIC_CHANNEL is not set, so that the page can
 * show the school's channel; a real bot has no channel unless one is configured.
 */
export const SANDBOX_CHANNEL = -1001000000001;
const CHANNEL_TITLE = "Lifelong 频道 · channel";

export interface Sandbox {
  apiRoot: string;
  /** The web chat's address, http://127.0.0.1:<sandboxPort>. */
  webUrl: string;
  stop(): Promise<void>;
}

/** Imports the catalog and the demo data into an empty sandbox database; a kept one is left as it is. */
export function prepareSandboxData(db: Db, config: Config, now: Date): boolean {
  migrate(db);
  const empty = db.prepare("SELECT count(*) FROM courses").pluck().get() === 0;
  if (!empty) return false;
  importCatalogFile(db, config.catalogPath, { timezone: config.timezone, now });
  seedDemo(db, { timezone: config.timezone, now });
  return true;
}

/**
 * `npm start` without a token: the Bot API emulator, the real bot against it over HTTP, the
 * demo data in a database of its own (kept between runs unless `--fresh`), and the web chat.
 */
export async function startSandbox(
  config: Config,
  logger: Logger,
  options: { fresh: boolean; port: number },
): Promise<Sandbox> {
  const databasePath = config.databasePathSet ? config.databasePath : SANDBOX_DB;
  const removeDatabase = () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  };
  if (options.fresh) removeDatabase();
  // Real time plus what the web chat's time panel has moved it on; resumes after a kept database's last job run.
  const clock = new ShiftableClock();
  let db = openDatabase(databasePath);
  const seeded = prepareSandboxData(db, config, clock.now());
  clock.resumeFrom(db);

  const emulator = createEmulator({
    token: SANDBOX_TOKEN,
    botInfo: { first_name: "Lifelong", username: "lifelong_sandbox_bot" },
    logger: logger.child({ component: "emulator" }),
    now: () => clock.now().getTime(),
  });
  const { apiRoot } = await emulator.start(0);
  // The school's channel exists in the emulator so that the feed can post to it.
  const publicChannel = config.publicChannel ?? SANDBOX_CHANNEL;
  emulator.state.ensureChannel(publicChannel, CHANNEL_TITLE);
  const admins = DEMO_PERSONAS.filter((p) => p.role === "admin").map((p) => p.id);
  const sandboxConfig: Config = {
    ...config,
    apiRoot,
    mode: { kind: "polling", token: SANDBOX_TOKEN },
    databasePath,
    publicChannel,
    adminIds: [...new Set([...config.adminIds, ...admins])],
  };
  let app = await startApp(sandboxConfig, logger, { token: SANDBOX_TOKEN, db, clock });
  const web = await startWebChat(
    {
      state: emulator.state,
      clock,
      jobs: JOBS,
      logger: logger.child({ component: "web-chat" }),
      channel: { id: publicChannel, title: CHANNEL_TITLE },
      current: () => ({ deps: app.deps, wakeSender: () => app.sender.wake() }),
      async startAfresh() {
        await app.stop();
        emulator.state.reset();
        emulator.state.ensureChannel(publicChannel, CHANNEL_TITLE);
        removeDatabase();
        clock.reset();
        db = openDatabase(databasePath);
        prepareSandboxData(db, sandboxConfig, clock.now());
        app = await startApp(sandboxConfig, logger, { token: SANDBOX_TOKEN, db, clock });
      },
    },
    options.port,
  );

  const banner = [
    "",
    "  Lifelong is running in the local sandbox (no BOT_TOKEN set).",
    `  Web chat: ${web.url}`,
    `  Public course page: ${web.url}/courses`,
    `  Emulated Telegram Bot API: ${apiRoot}`,
    `  Database: ${databasePath}${seeded ? " (new, with the catalog and demo data)" : " (kept from the last run; --fresh starts afresh)"}`,
    "  Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(`${banner.join("\n")}\n`);

  return {
    apiRoot,
    webUrl: web.url,
    async stop() {
      await web.stop();
      await app.stop();
      await emulator.stop();
    },
  };
}

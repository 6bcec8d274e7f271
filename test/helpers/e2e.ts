import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { importCatalogFile } from "../../src/catalog/import.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { seedDemo } from "../../src/demo/demo.ts";
import { createDriver } from "../../src/sandbox/driver.ts";
import type { Driver } from "../../src/sandbox/driver.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";

export const E2E_TOKEN = "1000001:e2e-token-for-the-local-emulator";

/**
 * A `prepare` for startBotProcess: the sandbox's data as of now (the schema, data/catalog.yaml and
 * the demo people), then what `more` adds for one test.
 */
export function withDemoData(timezone: string, more?: (db: Db, now: Date) => void): (path: string) => void {
  return (path) => {
    const now = new Date();
    const db = openDatabase(path);
    try {
      migrate(db);
      importCatalogFile(db, "data/catalog.yaml", { timezone, now });
      seedDemo(db, { timezone, now });
      more?.(db, now);
    } finally {
      db.close();
    }
  };
}

/** A read-only look at a running bot's database: WAL lets a reader in while the bot writes. */
export function peekAt<T>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export interface BotProcess {
  emulator: Emulator;
  driver: Driver;
  databasePath: string;
  /** Output of the bot process so far, for failure messages. */
  output(): string;
  /** Kills the bot (SIGTERM, or SIGKILL for a crash) and starts it again on the same database. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real bot, as `npm start` runs it with a token, in a child process, talking over HTTP to
 * an emulator in this process. `prepare` may fill the database before the bot starts.
 */
export async function startBotProcess(
  options: {
    env?: Record<string, string>;
    prepare?: (databasePath: string) => void;
    rateLimit?: boolean;
  } = {},
): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), "lifelong-e2e-"));
  const databasePath = join(dir, "bot.db");
  options.prepare?.(databasePath);
  const emulator = createEmulator({
    token: E2E_TOKEN,
    botInfo: { first_name: "Lifelong", username: "lifelong_e2e_bot" },
    ...(options.rateLimit === false ? { rateLimit: false } : {}),
  });
  const { apiRoot } = await emulator.start(0);
  let child: ChildProcess | undefined;
  let log = "";

  const launch = async () => {
    const polls = emulator.state.stats.calls.getUpdates ?? 0;
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        BOT_TOKEN: E2E_TOKEN,
        BOT_API_ROOT: apiRoot,
        DATABASE_PATH: databasePath,
        BACKUP_DIR: join(dir, "backups"),
        LOG_LEVEL: "warn",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    // Ready when the bot has asked for updates.
    const deadline = Date.now() + 60_000;
    while ((emulator.state.stats.calls.getUpdates ?? 0) <= polls) {
      if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`bot did not start polling within 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const kill = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
    c.kill(signal);
    await exited;
  };

  await launch();
  return {
    emulator,
    driver: createDriver(emulator, { timeoutMs: 8000 }),
    databasePath,
    output: () => log,
    async restart(signal = "SIGTERM") {
      await kill(signal);
      await launch();
    },
    async stop() {
      await kill("SIGTERM");
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits for a child process to exit and reports how, with a time limit. */
export function exitOf(child: ChildProcess, limitMs: number): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${limitMs} ms`)), limitMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started });
    });
  });
}

/**
 * Shared pieces of the scenarios: the real bot on a given database with an in-memory Telegram
 * (like test/helpers/bot-harness.ts), update builders, a bounded concurrent feeder, percentiles.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { EmulatorState } from "../../src/sandbox/emulator/state.ts";
import { inMemoryTelegram, testBotInfo } from "../../src/sandbox/in-memory-telegram.ts";
import type { ApiCall, RefusedCall } from "../../src/sandbox/in-memory-telegram.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import type { Db } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createBot } from "../../src/bot/create-bot.ts";
import type { BotContext, BotDeps } from "../../src/bot/context.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import type { DistrictCounts } from "../district.ts";
import { DISTRICT_NOW } from "../district.ts";
import { enrolRoutes } from "../../src/bot/views/enrol.ts";

/** The repository root: scenarios spawn and read files relative to it, wherever the bench runs from. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const TOKEN = "42:BENCH_TOKEN_abcdefghijklmnopqrstuvwx";

export const BOT_INFO = testBotInfo("lifelong_bench_bot");

export type { ApiCall, RefusedCall };

/**
 * grammY's HTTP client replaced by the emulator in process; optionally records calls. The
 * district's residents never opened a chat, so every chat counts as started here.
 */
export const fakeTelegram = (record?: ApiCall[], refused?: RefusedCall[]) =>
  inMemoryTelegram({ ...(record ? { record } : {}), ...(refused ? { refused } : {}), state: benchTelegram });

/** The one Telegram every bench bot talks to, so that a press is on a message it knows. */
const benchTelegram = new EmulatorState({
  token: TOKEN,
  botInfo: { username: "lifelong_bench_bot" },
  rateLimit: false,
  anyChat: true,
  now: () => 1_780_000_000_000,
});

/**
 * A district database in a temporary file (WAL, as in production), built by a child process
 * (bench/build-district.ts) so that the bulk load's memory is not counted in this one.
 */
export function districtDb(
  scale: number,
  seed?: number,
): { db: Db; path: string; counts: DistrictCounts; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "lifelong-bench-"));
  const path = join(dir, "district.db");
  const args = [
    "--import",
    "tsx",
    fileURLToPath(new URL("../build-district.ts", import.meta.url)),
    path,
    String(scale),
  ];
  const built = spawnSync(process.execPath, seed === undefined ? args : [...args, String(seed)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (built.status !== 0) throw new Error(`building the district failed:\n${built.stderr}`);
  const counts = JSON.parse(built.stdout.trim().split("\n").pop() ?? "{}") as DistrictCounts;
  const db = openDatabase(path);
  migrate(db);
  return {
    db,
    path,
    counts,
    dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real bot (createBot: sequentialize, dedupe, context, conversations, features) on `db`,
 * talking to the in-memory Telegram, or to `telegram` (a wrapper around it).
 */
export async function realBot(
  db: Db,
  now: string,
  record?: ApiCall[],
  telegram: (url: string, init?: RequestInit) => Promise<Response> = fakeTelegram(record) as never,
): Promise<Bot<BotContext>> {
  const config = parseConfig({ BOT_TOKEN: TOKEN });
  const i18n = await createI18n(config.defaultLocale);
  const deps: BotDeps = { config, db, logger: silentLogger, i18n, clock: new ManualClock(now) };
  const bot = createBot(deps, {
    token: TOKEN,
    botInfo: BOT_INFO,
    client: { fetch: telegram as never },
    autoRetry: false,
  });
  await bot.init();
  return bot;
}

/** A bot being measured: the real bot, a resident's press for it, and the chats it has answered in. */
export interface BotUnderTest {
  bot: Bot<BotContext>;
  press(userId: number, data: string): Update;
  /** The chats the bot has sent or edited a message in so far. */
  repliedChats(): Set<number>;
}

/** The real bot with the strict in-memory Telegram, which checks and keeps every call. */
export async function strictBot(db: Db): Promise<BotUnderTest> {
  const calls: ApiCall[] = [];
  const bot = await realBot(db, DISTRICT_NOW, calls);
  const replies = (c: ApiCall) => c.method === "editMessageText" || c.method === "sendMessage";
  return {
    bot,
    press: pressUpdate,
    repliedChats: () => new Set(calls.filter(replies).map((c) => c.payload.chat_id as number)),
  };
}

/** A press on an inline button with `data`, by user `userId` in their private chat. */
export function pressUpdate(userId: number, data: string, zh = true): Update {
  const record = benchTelegram.requireChat(userId);
  benchTelegram.ensureUser({ id: userId, first_name: `用户${userId}`, language_code: zh ? "zh-hans" : "en" });
  // The message the button is on: the bot's last one in that chat, or a first one.
  const last = benchTelegram.messages(userId).findLast((m) => m.side === "bot");
  const messageId = last?.message_id ?? benchTelegram.addMessage(record, "bot", { text: "…" }).message_id;
  return benchTelegram.pressButton(userId, messageId, data, { forged: true }).update as unknown as Update;
}

/** The callback data of the real confirm press for oneself, with no flags (see enrollment.ts). */
export const confirmData = (courseId: number): string => enrolRoutes.confirm.data(courseId, "s", "-");

/**
 * Feeds updates with at most `concurrency` in flight, as @grammyjs/runner's sink does (its default
 * is 500), and returns each update's handling time in ms, in feed order.
 */
export async function feedConcurrently(
  handle: (u: Update) => Promise<void>,
  updates: Update[],
  concurrency = 500,
): Promise<number[]> {
  const latencies = new Array<number>(updates.length).fill(0);
  let next = 0;
  const worker = async () => {
    while (next < updates.length) {
      const i = next++;
      const u = updates[i] as Update;
      const t0 = performance.now();
      await handle(u);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, updates.length) }, worker));
  return latencies;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export const median = (values: number[]) => percentile(values, 50);

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export const rssMb = () => round(process.memoryUsage().rss / 1024 / 1024, 1);

let gc: (() => void) | undefined;

/**
 * A full garbage collection, so that RSS shows what is kept rather than what V8 has not yet
 * bothered to collect (on a machine with plenty of memory it lets garbage pile up).
 */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

/**
 * RSS once the process has settled: a full collection, a pause (V8 hands freed pages back to
 * the system in the background), and another collection. Right after a burst RSS still counts
 * pages that are already free.
 */
export async function settledRssMb(): Promise<number> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return rssMb();
}

/** A fresh, empty, migrated in-memory database. */
export function emptyDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  return db;
}

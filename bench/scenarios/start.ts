/**
 * Scenario 7: time from spawning the real bot as `npm start` runs it (`node dist/main.js`, the
 * bundle scripts/build.mjs makes, built once before measuring) until its reply to a /start
 * arrives at an emulator run here, against the time a bare `node -e ""` takes to start and exit.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDriver } from "../../src/sandbox/driver.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Figure } from "../report.ts";
import { median, REPO_ROOT, round } from "./common.ts";

const START_TOKEN = "1000001:bench-token-for-the-local-emulator";

export interface StartResult {
  botMs: number;
  bareNodeMs: number;
  replied: boolean;
}

async function bareNode(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    child.once("exit", () => resolve());
    child.once("error", reject);
  });
  return performance.now() - t0;
}

async function botOnce(userId: number): Promise<{ ms: number; replied: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), "lifelong-bench-start-"));
  const emulator = createEmulator({
    token: START_TOKEN,
    botInfo: { first_name: "Lifelong", username: "lifelong_bench_bot" },
    rateLimit: false,
  });
  const { apiRoot } = await emulator.start(0);
  const driver = createDriver(emulator, { timeoutMs: 20_000 });
  const user = driver.user({ id: userId, first_name: "王阿姨", language_code: "zh-hans" });
  let log = "";
  const t0 = performance.now();
  const child = spawn(process.execPath, ["dist/main.js"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      BOT_TOKEN: START_TOKEN,
      BOT_API_ROOT: apiRoot,
      DATABASE_PATH: join(dir, "bot.db"),
      BACKUP_DIR: join(dir, "backups"),
      LOG_LEVEL: "warn",
    },
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  try {
    // The /start waits in the emulator until the bot's first getUpdates takes it.
    await user.send("/start");
    await user.nextMessage({ timeoutMs: 20_000 });
    return { ms: performance.now() - t0, replied: true };
  } catch (err) {
    process.stderr.write(`start scenario: no reply (${String(err)})\n${log}\n`);
    return { ms: performance.now() - t0, replied: false };
  } finally {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of `repeat` starts of each. */
export async function startTime(repeat = 3): Promise<StartResult> {
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  const bare: number[] = [];
  const bot: number[] = [];
  let replied = true;
  for (let i = 0; i < repeat; i++) {
    bare.push(await bareNode());
    const r = await botOnce(2_000_001 + i);
    bot.push(r.ms);
    replied &&= r.replied;
  }
  return { botMs: round(median(bot), 0), bareNodeMs: round(median(bare), 0), replied };
}

export function startFigures(r: StartResult): Figure[] {
  const s = "7 start";
  return [
    { scenario: s, name: 'bare node -e ""', value: r.bareNodeMs, unit: "ms" },
    {
      scenario: s,
      name: "spawn to reply to /start",
      value: r.replied ? r.botMs : "no reply",
      unit: r.replied ? "ms" : "",
      goal: "< 1000 ms",
      met: r.replied && r.botMs < 1000,
    },
  ];
}

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acquireInstanceLock, InstanceLockError, lockHolder, lockPath } from "../../src/ops/instance-lock.ts";
import { E2E_TOKEN, exitOf, startBotProcess } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

describe("the instance lock", () => {
  const dir = mkdtempSync(join(tmpdir(), "lifelong-lock-"));
  const db = join(dir, "bot.db");
  afterEach(() => rmSync(lockPath(db), { force: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes our pid and removes the file on release", () => {
    const lock = acquireInstanceLock(db);
    expect(readFileSync(lockPath(db), "utf8").trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockPath(db))).toBe(false);
  });

  it("refuses while a live process holds it, naming its pid", async () => {
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      writeFileSync(lockPath(db), `${holder.pid}\n`);
      expect(lockHolder(db)).toBe(holder.pid);
      expect(() => acquireInstanceLock(db)).toThrow(InstanceLockError);
      expect(() => acquireInstanceLock(db)).toThrow(`pid ${holder.pid}`);
    } finally {
      holder.kill("SIGKILL");
      await exitOf(holder, 5000);
    }
    // Its process is gone: the lock is stale and taken over.
    expect(lockHolder(db)).toBeUndefined();
    const lock = acquireInstanceLock(db);
    expect(readFileSync(lockPath(db), "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock left with our own pid (a container restarted as pid 1) or garbage", () => {
    writeFileSync(lockPath(db), `${process.pid}\n`);
    acquireInstanceLock(db).release();
    writeFileSync(lockPath(db), "not a pid");
    acquireInstanceLock(db).release();
    expect(existsSync(lockPath(db))).toBe(false);
  });
});

describe("a second npm start on the same database", () => {
  let bot: BotProcess;
  beforeAll(async () => {
    bot = await startBotProcess({ rateLimit: false });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it("exits at once with the pid of the one running", async () => {
    const firstPid = readFileSync(lockPath(bot.databasePath), "utf8").trim();
    const polls = bot.emulator.state.stats.calls.getUpdates ?? 0;
    const second = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        BOT_TOKEN: E2E_TOKEN,
        BOT_API_ROOT: bot.emulator.apiRoot ?? "",
        DATABASE_PATH: bot.databasePath,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    second.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const { code } = await exitOf(second, 45_000);
    expect(code).toBe(1);
    expect(err).toContain(`lock held by pid ${firstPid}`);
    // It never reached Telegram, and the first one still holds the lock and answers.
    expect(bot.emulator.state.stats.calls.getMe ?? 0).toBe(1);
    expect(readFileSync(lockPath(bot.databasePath), "utf8").trim()).toBe(firstPid);
    const user = bot.driver.user({ id: 7301, first_name: "Li", language_code: "en" });
    await user.send("/help");
    expect((await user.nextMessage()).text).toContain("How it works");
    expect(bot.emulator.state.stats.calls.getUpdates ?? 0).toBeGreaterThan(polls);
  }, 60_000);
});

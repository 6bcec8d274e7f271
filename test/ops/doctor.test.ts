import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { backupFileName } from "../../src/jobs/backup.ts";
import { JOBS } from "../../src/jobs/index.ts";
import { runDoctor } from "../../src/ops/doctor.ts";
import type { CheckResult } from "../../src/ops/doctor.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { E2E_TOKEN, exitOf, startBotProcess } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

/** A database as a running bot leaves it: migrated, every job run just now, a backup beside it. */
async function prepareHealthy(databasePath: string, backupDir: string, now = new Date()): Promise<string> {
  const db = openDatabase(databasePath);
  migrate(db);
  for (const job of JOBS)
    db.prepare("INSERT INTO job_runs (name, last_run_at, last_result) VALUES (?, ?, '{}')").run(
      job.name,
      now.toISOString(),
    );
  mkdirSync(backupDir, { recursive: true });
  const file = join(backupDir, backupFileName(now));
  await db.backup(file);
  db.close();
  return file;
}

describe("doctor against a running bot and the emulator", () => {
  let bot: BotProcess;
  let backupDir = "";
  beforeAll(async () => {
    let ready: Promise<string> = Promise.resolve("");
    bot = await startBotProcess({
      rateLimit: false,
      prepare: (path) => {
        backupDir = join(dirname(path), "backups");
        ready = prepareHealthy(path, backupDir);
      },
    });
    await ready;
  }, 40_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it("says ok on every line and exits 0", async () => {
    // Not spawnSync: the emulator answering it lives in this process.
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "doctor"], {
      env: {
        PATH: process.env.PATH ?? "",
        BOT_TOKEN: E2E_TOKEN,
        BOT_API_ROOT: bot.emulator.apiRoot ?? "",
        DATABASE_PATH: bot.databasePath,
        BACKUP_DIR: backupDir,
        ADMIN_IDS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const { code } = await exitOf(child, 50_000);
    const res = { stdout, status: code };
    const lines = res.stdout.trim().split("\n");
    const checks = lines.slice(0, -1);
    expect(checks.map((l) => l.split(/\s+/)[1])).toEqual([
      "config",
      "token",
      "webhook",
      "running",
      "migrations",
      "integrity",
      "outbox",
      "jobs",
      "disk",
      "backup",
      "timezone",
    ]);
    for (const line of checks) expect(line, res.stdout).toMatch(/^ok /);
    expect(res.stdout).toContain("@lifelong_e2e_bot");
    expect(lines.at(-1)).toBe("0 failed, 0 warnings, 0 not checked");
    expect(res.status).toBe(0);
  }, 60_000);
});

describe("doctor against a broken setup", () => {
  let emulator: Emulator;
  let dir = "";
  let backup = "";
  const env = () => ({
    BOT_TOKEN: E2E_TOKEN,
    BOT_API_ROOT: emulator.apiRoot,
    DATABASE_PATH: join(dir, "bot.db"),
    BACKUP_DIR: join(dir, "backups"),
    ADMIN_IDS: "1",
  });
  const doctor = (overrides: Record<string, string> = {}) =>
    runDoctor({
      config: parseConfig({ ...env(), ...overrides }),
      jobs: JOBS,
      now: new Date(),
      timeoutSeconds: 3,
    });
  const line = (results: CheckResult[], name: string) => results.find((r) => r.name === name);

  beforeAll(async () => {
    emulator = createEmulator({ token: E2E_TOKEN, rateLimit: false });
    await emulator.start(0);
    dir = mkdtempSync(join(tmpdir(), "lifelong-doctor-"));
    backup = await prepareHealthy(join(dir, "bot.db"), join(dir, "backups"));
  });
  afterAll(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails a wrong token, saying where to get the right one", async () => {
    const results = await doctor({ BOT_TOKEN: "1000001:not-the-token-the-emulator-knows" });
    expect(line(results, "token")).toMatchObject({ status: "fail" });
    expect(line(results, "token")?.message).toContain("Telegram rejects BOT_TOKEN (401");
    expect(line(results, "token")?.message).toContain("@BotFather");
    expect(line(results, "webhook")?.status).toBe("skip");
  });

  it("fails a webhook that does not fit the mode, and shows Telegram's last delivery error", async () => {
    emulator.state.webhook = { url: "https://elsewhere.example/hook" };
    const polling = await doctor();
    expect(line(polling, "webhook")).toMatchObject({ status: "fail" });
    expect(line(polling, "webhook")?.message).toContain(
      "a webhook is set (https://elsewhere.example/hook) but BOT_MODE=polling",
    );
    const webhook = {
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://school.example/hook",
      WEBHOOK_SECRET: "s3cret",
    };
    const elsewhere = await doctor(webhook);
    expect(line(elsewhere, "webhook")?.message).toContain(
      "points at https://elsewhere.example/hook, not WEBHOOK_URL https://school.example/hook",
    );
    emulator.state.webhook = {
      url: "https://school.example/hook",
      last_error_date: 1_796_000_000,
      last_error_message: "SSL error {error:0A000086:SSL routines::certificate verify failed}",
    };
    const erring = await doctor(webhook);
    expect(line(erring, "webhook")).toMatchObject({ status: "warn" });
    expect(line(erring, "webhook")?.message).toContain("certificate verify failed");
    emulator.state.webhook = undefined;
    expect(line(await doctor(webhook), "webhook")?.message).toContain("no webhook set, but BOT_MODE=webhook");
    expect(line(await doctor(), "webhook")?.status).toBe("ok");
  });

  it("on the command line: prints the failing line and exits 1", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "doctor"], {
      env: { PATH: process.env.PATH ?? "", ...env(), BOT_TOKEN: "1000001:not-the-token-the-emulator-knows" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const { code } = await exitOf(child, 50_000);
    expect(stdout).toMatch(/^fail {2}token +Telegram rejects BOT_TOKEN/m);
    expect(stdout).toMatch(/^1 failed, /m);
    expect(code).toBe(1);
  }, 60_000);

  it("fails a stale backup, and one that does not open", async () => {
    const old = new Date(Date.now() - 3 * 86_400_000);
    utimesSync(backup, old, old);
    const stale = line(await doctor(), "backup");
    expect(stale).toMatchObject({ status: "fail" });
    expect(stale?.message).toContain("the last backup is 3 days old");
    const broken = join(dir, "backups", backupFileName(new Date()));
    writeFileSync(broken, "not a database");
    expect(line(await doctor(), "backup")?.message).toContain("does not open");
    rmSync(broken);
  });

  it("fails overdue jobs and exits non-zero, and says which checks it could not make without a network", async () => {
    const results = await doctor({ BOT_API_ROOT: "http://127.0.0.1:9" });
    expect(line(results, "token")).toMatchObject({ status: "skip" });
    expect(line(results, "token")?.message).toContain("could not check: http://127.0.0.1:9 did not answer");
    expect(line(results, "webhook")?.status).toBe("skip");
    expect(line(results, "running")?.status).toBe("warn");
    const db = openDatabase(join(dir, "bot.db"));
    db.prepare("UPDATE job_runs SET last_run_at = ? WHERE name = 'reminders'").run(
      new Date(Date.now() - 3_600_000).toISOString(),
    );
    db.close();
    const jobs = line(await doctor(), "jobs");
    expect(jobs).toMatchObject({ status: "fail" });
    expect(jobs?.message).toContain("reminders last ran 60 min ago (every 60 s)");
  });
});

import type { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import type { Db } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { JOBS } from "../../src/jobs/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { checkHealth, HEALTH_THRESHOLDS } from "../../src/ops/health.ts";
import { jobPeriodMs } from "../../src/ops/job-periods.ts";
import { createOps } from "../../src/ops/runtime.ts";
import type { Ops } from "../../src/ops/runtime.ts";
import { TelegramWatch } from "../../src/ops/telegram-watch.ts";

const NOW = new Date("2026-12-01T02:00:00Z");

function setup(): { db: Db; telegram: TelegramWatch } {
  const db = openDatabase(":memory:");
  migrate(db);
  const telegram = new TelegramWatch(() => NOW.getTime());
  telegram.reached();
  return { db, telegram };
}

const run = (db: Db, telegram: TelegramWatch, startedAt = new Date(NOW.getTime() - 60_000)) =>
  checkHealth({
    db,
    jobs: JOBS,
    timezone: "Asia/Shanghai",
    telegram,
    now: NOW,
    wallNow: NOW.getTime(),
    startedAt,
    thresholds: HEALTH_THRESHOLDS,
  });

describe("checkHealth", () => {
  it("reads each job's period from its cron expression", () => {
    expect(jobPeriodMs("* * * * *", "Asia/Shanghai")).toBe(60_000);
    expect(jobPeriodMs("*/15 * * * *", "Asia/Shanghai")).toBe(15 * 60_000);
    expect(jobPeriodMs("0 8 * * 1", "Asia/Shanghai")).toBe(7 * 24 * 3_600_000);
  });

  it("is ok on a fresh database just started", () => {
    const { db, telegram } = setup();
    expect(run(db, telegram)).toMatchObject({ ok: true, failing: [] });
  });

  it("fails the outbox when the oldest due row is more than 5 minutes late, not 4", () => {
    const { db, telegram } = setup();
    const add = (key: string, minutesAgo: number) =>
      db
        .prepare("INSERT INTO outbox (key, chat_id, template, due_at, created_at) VALUES (?, 1, 't', ?, ?)")
        .run(key, new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(), NOW.toISOString());
    add("a", 4);
    expect(run(db, telegram).ok).toBe(true);
    add("b", 6);
    const report = run(db, telegram);
    expect(report.failing).toEqual(["outbox"]);
    expect(report.checks.outbox).toMatchObject({ oldestDueLateSeconds: 360 });
    db.prepare("UPDATE outbox SET state = 'sent' WHERE key = 'b'").run();
    expect(run(db, telegram).ok).toBe(true);
  });

  it("fails the jobs that did not run within twice their period, naming them", () => {
    const { db, telegram } = setup();
    const ran = (name: string, minutesAgo: number) =>
      db
        .prepare("INSERT OR REPLACE INTO job_runs (name, last_run_at, last_result) VALUES (?, ?, '{}')")
        .run(name, new Date(NOW.getTime() - minutesAgo * 60_000).toISOString());
    for (const job of JOBS) ran(job.name, 1);
    expect(run(db, telegram).ok).toBe(true);
    ran("reminders", 3); // every minute: 3 minutes is more than twice
    ran("feedback-requests", 29); // every 15 minutes: 29 is within twice
    const report = run(db, telegram);
    expect(report.failing).toEqual(["jobs"]);
    expect(report.checks.jobs).toMatchObject({ overdue: [{ job: "reminders" }] });
  });

  it("a job that never ran is measured from the start of the process", () => {
    const { db, telegram } = setup();
    expect(run(db, telegram, new Date(NOW.getTime() - 60_000)).ok).toBe(true);
    const report = run(db, telegram, new Date(NOW.getTime() - 3 * 60_000));
    expect(report.failing).toEqual(["jobs"]);
  });

  it("fails telegram when it has not answered within the limit, and the database when it is closed", () => {
    const { db } = setup();
    const silent = new TelegramWatch(() => NOW.getTime());
    expect(run(db, silent).failing).toEqual(["telegram"]);
    db.close();
    const closed = run(db, silent);
    expect(closed.failing).toEqual(["database", "telegram"]);
  });
});

describe("the HEALTH_PORT server", () => {
  let ops: Ops | undefined;
  afterEach(async () => {
    await ops?.stop();
  });

  it("has no /metrics unless METRICS=1", async () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const config = parseConfig({ BOT_TOKEN: "42:TEST_TOKEN_abcdefghijklmnopqrstuv", HEALTH_PORT: "0" });
    ops = createOps({ config, db, logger: silentLogger, clock: new ManualClock(NOW), jobs: JOBS });
    await ops.start({} as Api);
    expect((await fetch(`${ops.healthUrl}/metrics`)).status).toBe(404);
    // Nothing reached Telegram here: the health check says so.
    const res = await fetch(`${ops.healthUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ failing: ["telegram"] });
  });
});

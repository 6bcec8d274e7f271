import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { lastRunAt, recordBaseline } from "../../src/jobs/runner.ts";
import { startScheduler } from "../../src/jobs/scheduler.ts";
import type { JobSpec } from "../../src/jobs/types.ts";
import { silentLogger } from "../../src/logger.ts";
import { ensureAdmins } from "../../src/people/roles.ts";
import { digestDueAt, digestJob } from "../../src/jobs/digest.ts";

const config = parseConfig({ TIMEZONE: "Asia/Shanghai" });

function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  ensureAdmins(db, [501], new Date("2026-11-01T00:00:00Z"));
  const count = () => db.prepare("SELECT count(*) FROM outbox WHERE template = 'staff.digest'").pluck().get();
  return { db, count };
}

describe("the weekly digest after downtime", () => {
  it("falls due on Monday 08:00 school time", () => {
    // Monday 30 Nov 2026, 08:00 in Shanghai is 00:00 UTC.
    expect(digestDueAt(new Date("2026-12-02T10:00:00Z"), "Asia/Shanghai").toISOString()).toBe(
      "2026-11-30T00:00:00.000Z",
    );
  });

  it("is not sent early, is made up later in the week, and only once", async () => {
    const { db, count } = setup();
    const deps = { db, config, logger: silentLogger, clock: new ManualClock("2026-11-29T23:00:00Z") };
    // Monday 07:00 local: last week's digest is not due yet.
    expect(await digestJob.run(deps, new Date("2026-11-29T23:00:00Z"), null)).toMatchObject({ queued: 0 });
    expect(count()).toBe(0);
    // The bot was down at 08:00; it comes back on Tuesday.
    expect(await digestJob.run(deps, new Date("2026-12-01T02:00:00Z"), null)).toMatchObject({
      week: "2026-11-23",
      queued: 1,
    });
    expect(await digestJob.run(deps, new Date("2026-12-01T03:00:00Z"), null)).toMatchObject({ queued: 0 });
    expect(count()).toBe(1);
  });

  it("makes up no digest on a fresh install, but does after a Monday missed while the bot was down", async () => {
    const { db, count } = setup();
    const start = async (at: string) => {
      const scheduler = startScheduler({ db, config, logger: silentLogger, clock: new ManualClock(at) }, [
        digestJob,
      ]);
      await new Promise((r) => setTimeout(r, 50));
      await scheduler.stop();
    };
    // First start ever, on a Tuesday: last Monday's 08:00 came before this bot existed.
    await start("2026-12-01T02:00:00Z");
    expect(count()).toBe(0);
    expect(lastRunAt(db, "digest")?.toISOString()).toBe("2026-12-01T02:00:00.000Z");
    // Down over the next Monday 08:00, back on Tuesday: that digest is made up, once.
    await start("2026-12-08T02:00:00Z");
    expect(count()).toBe(1);
    await start("2026-12-08T03:00:00Z");
    expect(count()).toBe(1);
  });

  it("runs catch-up jobs once when the scheduler starts (after a first run), and the others only on their tick", async () => {
    const { db } = setup();
    recordBaseline(db, "weekly", new Date("2026-11-20T00:00:00Z"));
    const ran: string[] = [];
    const job = (name: string, catchUpAtStart: boolean): JobSpec => ({
      name,
      schedule: "0 8 * * 1",
      catchUpAtStart,
      run: () => {
        ran.push(name);
        return {};
      },
    });
    const scheduler = startScheduler(
      { db, config, logger: silentLogger, clock: new ManualClock("2026-12-01T02:00:00Z") },
      [job("weekly", true), job("other", false)],
    );
    await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(ran).toEqual(["weekly"]);
  });
});

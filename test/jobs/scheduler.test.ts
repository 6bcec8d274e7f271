import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { startScheduler } from "../../src/jobs/scheduler.ts";
import { SCHEDULES } from "../../src/jobs/schedules.ts";
import type { JobSpec } from "../../src/jobs/types.ts";
import { silentLogger } from "../../src/logger.ts";
import { freshDb } from "../notify/fixtures.ts";

function deps(tz: string) {
  return {
    db: freshDb(),
    config: parseConfig({ TIMEZONE: tz }),
    logger: silentLogger,
    clock: new ManualClock("2026-03-01T00:00:00.000Z"),
  };
}

const digest: JobSpec = { name: "digest", schedule: SCHEDULES.weeklyDigest, run: () => ({}) };

describe("startScheduler", () => {
  it("reads cron expressions in the school's time zone (Monday 08:00)", async () => {
    const shanghai = startScheduler(deps("Asia/Shanghai"), [digest]);
    const berlin = startScheduler(deps("Europe/Berlin"), [{ ...digest, name: "digest-berlin" }]);
    try {
      const next = (s: ReturnType<typeof startScheduler>, name: string) =>
        s.tasks.get(name)?.getNextRun() ?? new Date(0);
      const sh = next(shanghai, "digest");
      // 08:00 in Shanghai is 00:00 UTC, on a Monday.
      expect(sh.getUTCHours()).toBe(0);
      expect(sh.getUTCMinutes()).toBe(0);
      expect(sh.getUTCDay()).toBe(1);
      const be = next(berlin, "digest-berlin");
      expect([6, 7]).toContain(be.getUTCHours()); // 08:00 CEST or CET
      expect(
        new Intl.DateTimeFormat("en-GB", {
          timeZone: "Europe/Berlin",
          hour: "2-digit",
          weekday: "short",
          hourCycle: "h23",
        }).format(be),
      ).toBe("Mon, 08");
    } finally {
      await shanghai.stop();
      await berlin.stop();
    }
  });

  it("a tick runs the job at the clock's now and records it; stop() ends the ticks", async () => {
    const d = deps("Asia/Shanghai");
    const seen: string[] = [];
    const every: JobSpec = {
      name: "every-second",
      schedule: "* * * * * *",
      run: (_d, now) => {
        seen.push(now.toISOString());
        return {};
      },
    };
    const s = startScheduler(d, [every]);
    await new Promise((r) => setTimeout(r, 2300));
    await s.stop();
    const count = seen.length;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toBe("2026-03-01T00:00:00.000Z");
    expect(d.db.prepare("SELECT last_run_at FROM job_runs WHERE name = 'every-second'").pluck().get()).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    await new Promise((r) => setTimeout(r, 1200));
    expect(seen.length).toBe(count);
  });
});

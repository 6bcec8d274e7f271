/**
 * Scenario 3: one tick of the reminders job (src/jobs/reminders.ts through src/jobs/runner.ts)
 * over a one-minute window. The window holds the probe course's session (course 1 meets alone
 * at 11:07 local), so the due work is the same at every scale and the ratio between the full
 * district and a tenth shows whether the cost follows the due work or the size of the tables.
 */
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import { remindersJob } from "../../src/jobs/reminders.ts";
import { runJob } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import { PROBE_COURSE_ID } from "../district.ts";
import { median, round } from "./common.ts";

/** 09:07 local on Monday 30 Nov: with the 2 h lead the window ends at the probe's 11:07 start. */
export const PROBE_TICK = "2026-11-30T01:07:00.000Z";

export interface TickResult {
  ms: number;
  queued: number;
  /** Enrolled people of the probe course: what the tick should queue. */
  expected: number;
}

/** Median of `repeat` ticks; the rows each tick queued are removed before the next. */
export async function reminderTick(db: Db, repeat = 7): Promise<TickResult> {
  const config = parseConfig({});
  const now = new Date(PROBE_TICK);
  const deps = { db, config, logger: silentLogger, clock: new ManualClock(PROBE_TICK) };
  const setLast = db.prepare(
    `INSERT INTO job_runs (name, last_run_at) VALUES ('reminders', ?)
     ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at`,
  );
  const clear = db.prepare("DELETE FROM outbox WHERE key LIKE 'reminder:%' AND created_at = ?");
  const times: number[] = [];
  let queued = 0;
  for (let i = 0; i < repeat; i++) {
    setLast.run(new Date(now.getTime() - 60_000).toISOString());
    const t0 = performance.now();
    const result = await runJob(deps, remindersJob, now);
    times.push(performance.now() - t0);
    queued = Number(result.queued ?? 0);
    clear.run(now.toISOString());
  }
  const expected = (
    db
      .prepare(
        `SELECT count(*) AS n FROM enrolments e JOIN people p ON p.id = e.person_id
         WHERE e.course_id = ? AND e.status = 'enrolled' AND p.account_id IS NOT NULL`,
      )
      .get(PROBE_COURSE_ID) as { n: number }
  ).n;
  return { ms: round(median(times)), queued, expected };
}

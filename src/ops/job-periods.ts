import cron from "node-cron";
import type { Db } from "../db/connection.ts";
import type { JobSpec } from "../jobs/types.ts";

const periods = new Map<string, number>();

/**
 * The longest gap between two wakes of a cron expression in a time zone (a weekly job: seven
 * days). Read from node-cron itself, so that it means what the scheduler means.
 */
export function jobPeriodMs(schedule: string, timezone: string): number {
  const key = `${schedule}|${timezone}`;
  const known = periods.get(key);
  if (known !== undefined) return known;
  const task = cron.createTask(schedule, () => undefined, { timezone });
  const runs = task.getNextRuns(6).map((d) => d.getTime());
  void task.destroy();
  let period = 0;
  for (let i = 1; i < runs.length; i++) period = Math.max(period, (runs[i] ?? 0) - (runs[i - 1] ?? 0));
  periods.set(key, period);
  return period;
}

export interface JobLateness {
  name: string;
  periodMs: number;
  /** The last recorded run, null if never. */
  lastRunAt: Date | null;
  /** Time since the last run (or since `since` when it never ran). */
  ageMs: number;
  /** Not run within twice its period. */
  overdue: boolean;
}

/**
 * Each job's last run against its period. A job that never ran is measured from `since` (the
 * process's start), so a fresh install is not overdue before it had the chance; without `since`
 * it is overdue.
 */
export function jobLateness(
  db: Db,
  jobs: readonly JobSpec[],
  timezone: string,
  now: Date,
  since?: Date,
): JobLateness[] {
  const rows = db.prepare("SELECT name, last_run_at FROM job_runs").all() as {
    name: string;
    last_run_at: string;
  }[];
  const last = new Map(rows.map((r) => [r.name, new Date(r.last_run_at)]));
  return jobs.map((job) => {
    const periodMs = jobPeriodMs(job.schedule, timezone);
    const lastRunAt = last.get(job.name) ?? null;
    const from = lastRunAt ?? since;
    const ageMs = from ? Math.max(0, now.getTime() - from.getTime()) : Number.POSITIVE_INFINITY;
    return { name: job.name, periodMs, lastRunAt, ageMs, overdue: ageMs > 2 * periodMs };
  });
}

/** Milliseconds the oldest due, unsent outbox row is late (0 when none is due). */
export function oldestDueLateMs(db: Db, now: Date): number {
  const oldest = db
    .prepare("SELECT min(due_at) FROM outbox WHERE state = 'pending' AND due_at <= ?")
    .pluck()
    .get(now.toISOString()) as string | null;
  return oldest ? Math.max(0, now.getTime() - Date.parse(oldest)) : 0;
}

/** Outbox rows by state. */
export function outboxByState(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT state, count(*) AS n FROM outbox GROUP BY state").all() as {
    state: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../logger.ts";

export interface JobDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Told after every run (metrics); absent in tests and the CLI. */
  onJobRun?: (name: string, seconds: number, ok: boolean) => void;
}

/** Counts a job reports for the log, the CLI and the sandbox's time panel. */
export type JobResult = Record<string, number | string>;

/**
 * A scheduled job. Cron only wakes it: `run` asks the database what is due between `since`
 * (the last recorded run, null the first time) and `now`, so downtime is caught up and two
 * overlapping ticks do no harm.
 */
export interface JobSpec {
  name: string;
  /** node-cron expression, read in the school's time zone. */
  schedule: string;
  run(deps: JobDeps, now: Date, since: Date | null): JobResult | Promise<JobResult>;
  /**
   * Also run once when the scheduler starts: for jobs that wake rarely (weekly), so that a tick
   * missed while the bot was down is made up at once instead of a week later. The job itself
   * decides from `since` and `now` whether anything is due. Not on the very first start (no run
   * recorded): then only the start is recorded, so a fresh install makes nothing up.
   */
  catchUpAtStart?: boolean;
}

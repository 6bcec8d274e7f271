import type { ScheduledTask } from "node-cron";
import cron from "node-cron";
import type { Logger } from "../logger.ts";
import { lastRunAt, recordBaseline, runJob } from "./runner.ts";
import type { JobDeps, JobSpec } from "./types.ts";

/** node-cron's logger interface over pino, so that it never writes to the console itself. */
function cronLogger(logger: Logger) {
  return {
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string | Error, err?: Error) => logger.error({ err: err ?? message }, String(message)),
    debug: (message: string | Error, err?: Error) => logger.debug({ err }, String(message)),
  };
}

export interface Scheduler {
  /** The cron tasks, by job name (tests read their next run times). */
  tasks: Map<string, ScheduledTask>;
  /** Stops every task and waits for runs in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Wakes each job on its cron expression, read in the school's time zone. A tick only calls
 * runJob, which asks the database what is due since the last recorded run; noOverlap keeps a
 * slow run from piling up ticks of the same job.
 */
export function startScheduler(deps: JobDeps, jobs: JobSpec[]): Scheduler {
  const logger = cronLogger(deps.logger.child({ module: "cron" }));
  cron.setLogger(logger);
  const running = new Set<Promise<unknown>>();
  const tasks = new Map<string, ScheduledTask>();
  const tick = (spec: JobSpec) => {
    const run = runJob(deps, spec, deps.clock.now());
    running.add(run);
    return run.finally(() => running.delete(run));
  };
  for (const spec of jobs) {
    const task = cron.schedule(spec.schedule, () => tick(spec), {
      name: spec.name,
      timezone: deps.config.timezone,
      noOverlap: true,
      logger,
    });
    tasks.set(spec.name, task);
  }
  deps.logger.info(
    { jobs: jobs.map((j) => `${j.name} ${j.schedule}`), timezone: deps.config.timezone },
    "scheduler started",
  );
  for (const spec of jobs) {
    if (!spec.catchUpAtStart) continue;
    // Catching up means "a tick was missed while the bot was down": with no run recorded there
    // was no earlier bot to miss it (a fresh install), so nothing is made up, only the start noted.
    if (lastRunAt(deps.db, spec.name) === null) recordBaseline(deps.db, spec.name, deps.clock.now());
    else void tick(spec);
  }
  return {
    tasks,
    async stop() {
      for (const task of tasks.values()) {
        await task.stop();
        await task.destroy();
      }
      await Promise.allSettled([...running]);
    },
  };
}

import { preparedFor } from "../db/connection.ts";
import { redactedError } from "../redact.ts";
import type { Db } from "../db/connection.ts";
import { JOBS } from "./index.ts";
import type { JobDeps, JobResult, JobSpec } from "./types.ts";

const stmts = preparedFor((db: Db) => ({
  last: db.prepare<[string], { last_run_at: string }>("SELECT last_run_at FROM job_runs WHERE name = ?"),
  record: db.prepare<[string, string, string]>(
    `INSERT INTO job_runs (name, last_run_at, last_result) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET last_run_at = MAX(last_run_at, excluded.last_run_at), last_result = excluded.last_result`,
  ),
}));

/**
 * Records `now` as the job's last run without running it: the starting point of a job that has
 * never run, so that a fresh install does not make up what fell due before it existed.
 */
export function recordBaseline(db: Db, name: string, now: Date): void {
  stmts(db).record.run(name, now.toISOString(), JSON.stringify({ baseline: "first start" }));
}

/** When the job last ran to completion, or null if never. */
export function lastRunAt(db: Db, name: string): Date | null {
  const row = stmts(db).last.get(name);
  return row ? new Date(row.last_run_at) : null;
}

/**
 * Runs a job for the window (last recorded run, now] and records `now` as its last run.
 * A job that throws is logged and not recorded, so its window is tried again at the next tick.
 * Never throws.
 */
export async function runJob(deps: JobDeps, spec: JobSpec, now: Date): Promise<JobResult> {
  const since = lastRunAt(deps.db, spec.name);
  const log = deps.logger.child({ job: spec.name });
  const started = performance.now();
  try {
    const result = await spec.run(deps, now, since);
    // MAX() keeps the later of two overlapping runs, so the window never goes backwards.
    stmts(deps.db).record.run(spec.name, now.toISOString(), JSON.stringify(result));
    deps.onJobRun?.(spec.name, (performance.now() - started) / 1000, true);
    log.info(
      { result, since: since?.toISOString() ?? null, ms: Math.round(performance.now() - started) },
      "job ran",
    );
    return result;
  } catch (err) {
    log.error({ err }, "job failed");
    deps.onJobRun?.(spec.name, (performance.now() - started) / 1000, false);
    return { error: redactedError(err) };
  }
}

/**
 * Runs one job by name, once, now (`npm run cli -- job <name>`). Throws for an unknown name,
 * listing the known ones.
 */
export async function runJobOnce(deps: JobDeps, name: string, jobs: JobSpec[] = JOBS): Promise<JobResult> {
  const list = jobs;
  const spec = list.find((j) => j.name === name);
  if (!spec) throw new Error(`no job named "${name}"; known jobs: ${list.map((j) => j.name).join(", ")}`);
  return runJob(deps, spec, deps.clock.now());
}

import type { Db } from "../db/connection.ts";
import type { JobSpec } from "../jobs/types.ts";
import { jobLateness, oldestDueLateMs } from "./job-periods.ts";
import type { TelegramWatch } from "./telegram-watch.ts";

/** When /healthz turns 503. Tests pass shorter ones. */
export interface HealthThresholds {
  /** Telegram must have answered within this. */
  telegramMs: number;
  /** The oldest due outbox row may be this late. */
  outboxLateMs: number;
}

export const HEALTH_THRESHOLDS: HealthThresholds = { telegramMs: 2 * 60_000, outboxLateMs: 5 * 60_000 };

export interface HealthInputs {
  db: Db;
  jobs: readonly JobSpec[];
  timezone: string;
  telegram: TelegramWatch;
  /** The app's clock (outbox and job times are in it). */
  now: Date;
  /** Wall-clock ms (when Telegram answered is measured in it). */
  wallNow: number;
  startedAt: Date;
  thresholds: HealthThresholds;
}

export interface HealthReport {
  ok: boolean;
  /** Names of the checks that failed. */
  failing: string[];
  checks: Record<string, { ok: boolean } & Record<string, unknown>>;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

/**
 * What /healthz answers: the database answers, Telegram was reached lately, the outbox is not
 * falling behind, and every job ran within twice its period. Never throws.
 */
export function checkHealth(input: HealthInputs): HealthReport {
  const { db, thresholds } = input;
  const checks: HealthReport["checks"] = {};
  let dbOk = true;
  try {
    db.prepare("SELECT 1").get();
    checks.database = { ok: true };
  } catch (err) {
    dbOk = false;
    checks.database = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }

  const reached = input.telegram.lastReached();
  const silentMs = reached === undefined ? Number.POSITIVE_INFINITY : input.wallNow - reached;
  checks.telegram = {
    ok: silentMs <= thresholds.telegramMs,
    lastReachedSecondsAgo: reached === undefined ? null : seconds(silentMs),
    limitSeconds: seconds(thresholds.telegramMs),
    ...(input.telegram.webhookError ? { webhookError: input.telegram.webhookError } : {}),
  };

  if (dbOk) {
    try {
      const lateMs = oldestDueLateMs(db, input.now);
      checks.outbox = {
        ok: lateMs <= thresholds.outboxLateMs,
        oldestDueLateSeconds: seconds(lateMs),
        limitSeconds: seconds(thresholds.outboxLateMs),
      };
      const overdue = jobLateness(db, input.jobs, input.timezone, input.now, input.startedAt)
        .filter((j) => j.overdue)
        .map((j) => ({
          job: j.name,
          lastRunAt: j.lastRunAt?.toISOString() ?? null,
          periodSeconds: seconds(j.periodMs),
        }));
      checks.jobs = { ok: overdue.length === 0, overdue };
    } catch (err) {
      checks.database = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
  const failing = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  return { ok: failing.length === 0, failing, checks };
}

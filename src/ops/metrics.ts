import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/connection.ts";
import { oldestDueLateMs, outboxByState } from "./job-periods.ts";

import type { SendOutcomeName } from "../notify/sender.ts";

/** What the sender reports once per send (SenderDeps.onOutcome). */
export type SendOutcome = SendOutcomeName;

const OUTBOX_STATES = ["pending", "sending", "sent", "failed", "cancelled", "uncertain", "dropped"];

export interface OpsMetrics {
  registry: Registry;
  update(type: string, seconds: number): void;
  error(kind: string): void;
  send(outcome: SendOutcome): void;
  jobRun(name: string, seconds: number, ok: boolean): void;
}

/**
 * The bot's Prometheus metrics, in a registry of its own (two apps in one test process must not
 * share counters). Gauges that describe the database are read from it when scraped.
 */
export function createMetrics(db: Db, now: () => Date): OpsMetrics {
  const registry = new Registry();
  const updates = new Counter({
    name: "lifelong_updates_total",
    help: "Telegram updates handled, by type",
    labelNames: ["type"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "lifelong_update_duration_seconds",
    help: "Time to handle one update",
    labelNames: ["type"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const errors = new Counter({
    name: "lifelong_update_errors_total",
    help: "Updates whose handling failed, by kind (telegram, network, internal)",
    labelNames: ["kind"],
    registers: [registry],
  });
  const sends = new Counter({
    name: "lifelong_sends_total",
    help: "Outbox send outcomes: sent, retried, rate_limited (429), blocked, expired, uncertain, failed",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: "lifelong_job_runs_total",
    help: "Scheduled job runs, by job and result (ok, error)",
    labelNames: ["job", "result"],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "lifelong_job_duration_seconds",
    help: "Time a scheduled job run took",
    labelNames: ["job"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [registry],
  });
  // The database is read only when scraped, from the one connection the bot already has.
  new Gauge({
    name: "lifelong_outbox_rows",
    help: "Outbox rows by state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const counts = outboxByState(db);
      for (const state of OUTBOX_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: "lifelong_outbox_oldest_due_age_seconds",
    help: "How late the oldest due, unsent outbox row is (0: none waiting)",
    registers: [registry],
    collect() {
      this.set(oldestDueLateMs(db, now()) / 1000);
    },
  });
  new Gauge({
    name: "lifelong_active_conversations",
    help: "Chats in the middle of a form (stored conversation states)",
    registers: [registry],
    collect() {
      this.set(db.prepare("SELECT count(*) FROM conversation_state").pluck().get() as number);
    },
  });
  return {
    registry,
    update(type, seconds) {
      updates.inc({ type });
      latency.observe({ type }, seconds);
    },
    error: (kind) => errors.inc({ kind }),
    send: (outcome) => sends.inc({ outcome }),
    jobRun(name, seconds, ok) {
      jobRuns.inc({ job: name, result: ok ? "ok" : "error" });
      jobDuration.observe({ job: name }, seconds);
    },
  };
}

import type { Db } from "../db/connection.ts";

export const OUTBOX_STATES = [
  "pending",
  "sending",
  "sent",
  "failed",
  "cancelled",
  "uncertain",
  "dropped",
] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxProblem {
  key: string;
  chatId: number;
  template: string;
  attempts: number;
  error: string | null;
  dueAt: string;
}

export interface OutboxReport {
  counts: Record<OutboxState, number>;
  /** Pending rows already due (a backlog the sender has not reached). */
  overdue: number;
  /** Most recent first, at most `limit` each. */
  failed: OutboxProblem[];
  uncertain: OutboxProblem[];
}

/** Counts by state and the failed and uncertain rows with why, for operators. */
export function outboxReport(db: Db, now = new Date(), limit = 20): OutboxReport {
  const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const r of db.prepare("SELECT state, count(*) AS n FROM outbox GROUP BY state").all() as {
    state: OutboxState;
    n: number;
  }[]) {
    counts[r.state] = r.n;
  }
  const overdue = db
    .prepare("SELECT count(*) FROM outbox WHERE state = 'pending' AND due_at <= ?")
    .pluck()
    .get(now.toISOString()) as number;
  const problems = (state: string) =>
    (
      db
        .prepare(
          `SELECT key, chat_id, template, attempts, last_error, due_at FROM outbox WHERE state = ?
           ORDER BY due_at DESC, id DESC LIMIT ?`,
        )
        .all(state, limit) as {
        key: string;
        chat_id: number;
        template: string;
        attempts: number;
        last_error: string | null;
        due_at: string;
      }[]
    ).map((r) => ({
      key: r.key,
      chatId: r.chat_id,
      template: r.template,
      attempts: r.attempts,
      error: r.last_error,
      dueAt: r.due_at,
    }));
  return { counts, overdue, failed: problems("failed"), uncertain: problems("uncertain") };
}

/** The report as plain lines for the terminal (`npm run cli -- outbox`). */
export function formatOutboxReport(report: OutboxReport): string {
  const lines = ["Outbox by state:"];
  for (const s of OUTBOX_STATES) lines.push(`  ${s.padEnd(10)} ${report.counts[s]}`);
  lines.push(`  (due and not yet sent: ${report.overdue})`);
  const list = (title: string, rows: OutboxProblem[]) => {
    if (rows.length === 0) return;
    lines.push("", title);
    for (const r of rows)
      lines.push(
        `  ${r.key} → chat ${r.chatId}, ${r.attempts} attempt(s): ${r.error ?? "no reason recorded"}`,
      );
  };
  list("Failed (why):", report.failed);
  list(
    "Uncertain (the process stopped mid-send; check with the recipient before resending):",
    report.uncertain,
  );
  return lines.join("\n");
}

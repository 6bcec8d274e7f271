import type { Db } from "../db/connection.ts";
import { redactSecrets } from "../redact.ts";

export const OUTBOX_STATES = [
  "pending",
  "sending",
  "sent",
  "failed",
  "cancelled",
  "uncertain",
  "dropped",
  "expired",
  "waiting",
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
  /** Not sent by their deadline. */
  expired: OutboxProblem[];
  /** Held for people who never opened the chat. */
  waiting: OutboxProblem[];
}

/** Counts by state and the failed, uncertain, expired and waiting rows with why, for operators. */
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
  return {
    counts,
    overdue,
    failed: problems("failed"),
    uncertain: problems("uncertain"),
    expired: problems("expired"),
    waiting: problems("waiting"),
  };
}

/**
 * The report as plain lines for the terminal (`npm run cli -- outbox`). Every line is redacted
 * (`secrets`: the bot token), so that rows stored before errors were redacted print no token.
 */
export function formatOutboxReport(
  report: OutboxReport,
  secrets: readonly (string | undefined)[] = [],
): string {
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
    "Uncertain (may have arrived: the process stopped or the connection broke mid-send; check with the recipient before resending):",
    report.uncertain,
  );
  list("Expired (not sent by their deadline; never sent late):", report.expired);
  list("Waiting (the person never opened the chat; sent when they do, within the deadline):", report.waiting);
  return redactSecrets(lines.join("\n"), secrets);
}

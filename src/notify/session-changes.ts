import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { cancelPending, enqueue } from "./outbox.ts";

/**
 * Tells every account with someone enrolled in the session's course that the session moved or
 * was cancelled (one message per account, naming the family members concerned), and cancels
 * reminders not yet sent for it. Reminders for a moved session follow the new time by
 * themselves: their key carries the start time, so the reminder job makes new ones.
 * Call it inside the transaction that moved or cancelled the session. Returns the messages queued.
 */
export function notifySessionChanged(
  db: Db,
  sessionId: number,
  change: "moved" | "cancelled",
  now: Date,
  oldStartsAt?: string | Date,
): number {
  return immediate(db, () => {
    const session = db.prepare("SELECT starts_at FROM sessions WHERE id = ?").get(sessionId) as
      | { starts_at: string }
      | undefined;
    if (!session) return 0;
    cancelPending(db, `reminder:${sessionId}:`);
    const rows = db
      .prepare(
        `SELECT p.account_id, p.name, p.is_self FROM enrolments e
         JOIN sessions s ON s.course_id = e.course_id JOIN people p ON p.id = e.person_id
         JOIN users u ON u.id = p.account_id
         WHERE s.id = ? AND e.status = 'enrolled' ORDER BY p.account_id, p.is_self DESC, p.id`,
      )
      .all(sessionId) as { account_id: number; name: string; is_self: number }[];
    const byAccount = new Map<number, string[]>();
    for (const r of rows) {
      const list = byAccount.get(r.account_id) ?? [];
      // Only family members are named: "your class" needs no name.
      if (r.is_self === 0) list.push(r.name);
      byAccount.set(r.account_id, list);
    }
    const old = oldStartsAt === undefined ? undefined : new Date(oldStartsAt).toISOString();
    let queued = 0;
    for (const [accountId, names] of byAccount) {
      const ok = enqueue(
        db,
        {
          key: `session:${sessionId}:${change}:${session.starts_at}:${accountId}`,
          chatId: accountId,
          template: change === "moved" ? "notify.sessionMoved" : "notify.sessionCancelled",
          params: { sessionId, newStartsAt: session.starts_at, ...(old ? { oldStartsAt: old } : {}), names },
          dueAt: now,
        },
        now,
      );
      if (ok) queued += 1;
    }
    return queued;
  });
}

/**
 * Broadcasts: staff pick an audience, write a message, confirm; one outbox row per recipient.
 * A broadcast is a row of its own (its id names the outbox keys), so the report job can tell
 * when all of its messages are settled and tell the sender how it went; the audit log notes who
 * sent it to whom.
 */

import { audit } from "../db/audit.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { enqueue } from "../notify/outbox.ts";

export type Audience =
  | { kind: "news" }
  | { kind: "course"; courseId: number }
  | { kind: "site"; siteId: number }
  | { kind: "volunteers" };

/** Short text form for callback data and storage: news, c<id>, s<id>, vol. */
export function audienceCode(a: Audience): string {
  return a.kind === "news"
    ? "news"
    : a.kind === "volunteers"
      ? "vol"
      : a.kind === "course"
        ? `c${a.courseId}`
        : `s${a.siteId}`;
}

export function parseAudience(code: string): Audience | null {
  if (code === "news") return { kind: "news" };
  if (code === "vol") return { kind: "volunteers" };
  const m = /^([cs])(\d+)$/.exec(code);
  if (!m) return null;
  return m[1] === "c" ? { kind: "course", courseId: Number(m[2]) } : { kind: "site", siteId: Number(m[2]) };
}

/**
 * Who receives a broadcast: residents who agreed to news; a course's participants (seat
 * holders' accounts); a site's residents (accounts with a live enrolment at the site);
 * approved volunteers.
 */
export function recipients(db: Db, audience: Audience): number[] {
  switch (audience.kind) {
    case "news":
      return db.prepare("SELECT id FROM users WHERE news_opt_in = 1 ORDER BY id").pluck().all() as number[];
    case "volunteers":
      return db
        .prepare("SELECT user_id FROM volunteers WHERE status = 'approved' ORDER BY user_id")
        .pluck()
        .all() as number[];
    case "course":
      return db
        .prepare(
          `SELECT DISTINCT account_id FROM enrolments
           WHERE course_id = ? AND status IN ('enrolled', 'offered') AND account_id IS NOT NULL ORDER BY account_id`,
        )
        .pluck()
        .all(audience.courseId) as number[];
    case "site":
      return db
        .prepare(
          `SELECT DISTINCT e.account_id FROM enrolments e JOIN courses c ON c.id = e.course_id
           WHERE c.site_id = ? AND e.status <> 'cancelled' AND e.account_id IS NOT NULL ORDER BY e.account_id`,
        )
        .pluck()
        .all(audience.siteId) as number[];
  }
}

/**
 * Records the broadcast and enqueues it to every recipient, all in one transaction, so that it
 * is either wholly queued or not at all. `html` must already have passed checkTelegramHtml.
 */
export function createBroadcast(
  db: Db,
  senderId: number,
  audience: Audience,
  html: string,
  now: Date,
): { id: number; count: number } {
  return immediate(db, () => {
    const to = recipients(db, audience);
    const at = now.toISOString();
    const code = audienceCode(audience);
    const id = Number(
      db
        .prepare(
          "INSERT INTO broadcasts (sender_id, audience, html, recipients, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .run(senderId, code, html, to.length, at).lastInsertRowid,
    );
    audit(db, at, senderId, "broadcast", code, { broadcast: id, count: to.length });
    for (const userId of to) {
      enqueue(
        db,
        {
          key: `broadcast:${id}:${userId}`,
          chatId: userId,
          template: "staff.broadcast",
          params: { id },
          dueAt: now,
        },
        now,
      );
    }
    return { id, count: to.length };
  });
}

/** The stored text of a broadcast. */
export function broadcastText(db: Db, id: number): string | undefined {
  return db.prepare("SELECT html FROM broadcasts WHERE id = ?").pluck().get(id) as string | undefined;
}

export interface BroadcastOutcome {
  total: number;
  delivered: number;
  unreachable: number;
  pending: number;
}

/** How the broadcast's messages ended up. */
export function broadcastOutcome(db: Db, id: number): BroadcastOutcome {
  const prefix = `broadcast:${id}:`;
  const r = db
    .prepare(
      `SELECT COUNT(*) AS total,
              COALESCE(SUM(state = 'sent'), 0) AS delivered,
              COALESCE(SUM(state IN ('pending', 'sending')), 0) AS pending
       FROM outbox WHERE key >= ? AND key < ?`,
    )
    .get(prefix, `${prefix}\uffff`) as { total: number; delivered: number; pending: number };
  return { ...r, unreachable: r.total - r.delivered - r.pending };
}

/**
 * Enqueues a report to the sender of every broadcast of the last `days` days whose messages
 * are all settled. The report's outbox key makes this safe to run on every tick.
 */
export function enqueueBroadcastReports(db: Db, now: Date, days = 7): number {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const rows = db
    .prepare(
      `SELECT id, sender_id FROM broadcasts
       WHERE reported_at IS NULL AND created_at >= ? AND sender_id IS NOT NULL ORDER BY id`,
    )
    .all(since) as { id: number; sender_id: number }[];
  const reported = db.prepare("UPDATE broadcasts SET reported_at = ? WHERE id = ?");
  let queued = 0;
  for (const b of rows) {
    if (broadcastOutcome(db, b.id).pending > 0) continue;
    const key = `broadcast-report:${b.id}`;
    if (
      enqueue(
        db,
        { key, chatId: b.sender_id, template: "staff.broadcastReport", params: { id: b.id }, dueAt: now },
        now,
      )
    )
      queued++;
    reported.run(now.toISOString(), b.id);
  }
  return queued;
}

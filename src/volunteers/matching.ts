/**
 * Who is asked to fill a shift. Approved volunteers whose skills fit, who said they are free at
 * that time of the week and who have no other accepted shift overlapping it; the best skill
 * fit first, then whoever was asked least lately, so the same few are not asked every time.
 */

import { DAY, HOUR } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { enqueue } from "../notify/outbox.ts";
import { shiftBit } from "./availability.ts";
import type { Shift } from "./shifts-store.ts";
import { getShift } from "./shifts-store.ts";

/** Pings older than this no longer count as "still waiting for an answer". */
export const PING_STALE_MS = 24 * HOUR;
/** The window in which earlier pings count against a volunteer's turn. */
export const FAIRNESS_WINDOW_MS = 30 * DAY;
/** Ask this many people for each free place. */
export const BATCH_FACTOR = 2;

export interface Candidate {
  userId: number;
  skillMatches: number;
  recentPings: number;
}

/** Ranked volunteers who could take the shift and have not been asked yet (or were told it was filled). */
export function shiftCandidates(
  db: Db,
  shift: Shift,
  timezone: string,
  now: Date,
  limit = 1000,
): Candidate[] {
  const bit = shiftBit(shift.startsAt, timezone);
  const rows = db
    .prepare(
      `SELECT v.user_id AS userId,
         (SELECT COUNT(*) FROM json_each(v.skills) vs JOIN json_each(@skills) ss ON ss.value = vs.value) AS skillMatches,
         (SELECT COUNT(*) FROM shift_assignments p WHERE p.volunteer_id = v.user_id AND p.pinged_at > @since) AS recentPings,
         v.last_pinged_at AS lastPinged
       FROM volunteers v
       WHERE v.status = 'approved'
         AND (v.availability & (1 << @bit)) <> 0
         AND NOT EXISTS (SELECT 1 FROM shift_assignments a WHERE a.shift_id = @shift AND a.volunteer_id = v.user_id
                           AND a.status <> 'filled')
         AND NOT EXISTS (SELECT 1 FROM shift_assignments a JOIN shifts o ON o.id = a.shift_id
                           WHERE a.volunteer_id = v.user_id AND a.status = 'accepted' AND o.id <> @shift
                             AND o.status <> 'cancelled' AND o.starts_at < @ends AND o.ends_at > @starts)`,
    )
    .all({
      skills: JSON.stringify(shift.skills),
      since: new Date(now.getTime() - FAIRNESS_WINDOW_MS).toISOString(),
      bit,
      shift: shift.id,
      starts: shift.startsAt,
      ends: shift.endsAt,
    }) as (Candidate & { lastPinged: string | null })[];
  return rows
    .filter((r) => shift.skills.length === 0 || r.skillMatches > 0)
    .sort(
      (a, b) =>
        b.skillMatches - a.skillMatches ||
        a.recentPings - b.recentPings ||
        (a.lastPinged ?? "").localeCompare(b.lastPinged ?? "") ||
        a.userId - b.userId,
    )
    .slice(0, limit)
    .map(({ userId, skillMatches, recentPings }) => ({ userId, skillMatches, recentPings }));
}

/** Places still free and answers still awaited (pings younger than PING_STALE_MS). */
export function shiftCounts(db: Db, shiftId: number, now: Date): { accepted: number; waiting: number } {
  return db
    .prepare(
      `SELECT COALESCE(SUM(status = 'accepted'), 0) AS accepted,
              COALESCE(SUM(status = 'pinged' AND pinged_at > ?), 0) AS waiting
       FROM shift_assignments WHERE shift_id = ?`,
    )
    .get(new Date(now.getTime() - PING_STALE_MS).toISOString(), shiftId) as {
    accepted: number;
    waiting: number;
  };
}

/**
 * Asks the next batch of volunteers to take an open, future shift: enough that
 * BATCH_FACTOR people are asked per free place, counting answers still awaited, or a whole
 * fresh batch when `force` (escalation). Call inside a transaction. Returns who was pinged.
 */
export function pingShift(db: Db, shiftId: number, timezone: string, now: Date, force = false): number[] {
  const shift = getShift(db, shiftId);
  if (shift?.status !== "open" || shift.startsAt <= now.toISOString()) return [];
  const { accepted, waiting } = shiftCounts(db, shiftId, now);
  const free = shift.needed - accepted;
  if (free <= 0) return [];
  const want = force ? free * BATCH_FACTOR : free * BATCH_FACTOR - waiting;
  if (want <= 0) return [];
  const at = now.toISOString();
  const chosen = shiftCandidates(db, shift, timezone, now, want);
  const upsert = db.prepare(
    `INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at) VALUES (?, ?, 'pinged', ?)
     ON CONFLICT (shift_id, volunteer_id) DO UPDATE SET status = 'pinged', pinged_at = excluded.pinged_at, responded_at = NULL`,
  );
  const touch = db.prepare("UPDATE volunteers SET last_pinged_at = ? WHERE user_id = ?");
  for (const c of chosen) {
    upsert.run(shiftId, c.userId, at);
    touch.run(at, c.userId);
    enqueue(
      db,
      {
        key: `shift-ping:${shiftId}:${c.userId}:${now.getTime()}`,
        chatId: c.userId,
        template: "volunteers.shiftPing",
        params: { shiftId, volunteerId: c.userId },
        dueAt: now,
      },
      now,
    );
  }
  return chosen.map((c) => c.userId);
}

/**
 * Ping messages already delivered to volunteers whose ping became "filled": the bot edits them
 * so nobody presses Accept on a full shift. Pings not yet sent are dropped by their template.
 */
export function filledPingMessages(db: Db, shiftId: number): { chatId: number; messageId: number }[] {
  return db
    .prepare(
      `SELECT o.chat_id AS chatId, o.message_id AS messageId FROM outbox o
       JOIN shift_assignments a ON a.shift_id = ? AND a.volunteer_id = o.chat_id AND a.status = 'filled'
       WHERE o.key >= ? AND o.key < ? AND o.state = 'sent' AND o.message_id IS NOT NULL`,
    )
    .all(shiftId, `shift-ping:${shiftId}:`, `shift-ping:${shiftId}:\uffff`) as {
    chatId: number;
    messageId: number;
  }[];
}

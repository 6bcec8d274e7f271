/**
 * The volunteer jobs. Cron only wakes them; each asks the database what is due now, and the
 * outbox's unique keys make a repeated or overlapping run harmless.
 */

import { HOUR } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import type { JobSpec } from "./types.ts";
import { enqueue, enqueueEach } from "../notify/outbox.ts";
import { pingShift, shiftCounts } from "../volunteers/matching.ts";
import { staffRecipients } from "../people/recipients.ts";
import { SCHEDULES } from "./schedules.ts";

/** A shift still short this close to its start pings a further batch and tells staff. */
export const ESCALATE_HOURS = 48;
/** Reminders before each accepted shift. */
export const SHIFT_REMINDER_LEADS = [24, 2] as const;

/** Tops up the pings of every open future shift that is short of volunteers. Returns how many were pinged. */
export function pingOpenShifts(db: Db, timezone: string, now: Date): number {
  return immediate(db, () => {
    const ids = db
      .prepare("SELECT id FROM shifts WHERE status = 'open' AND starts_at > ? ORDER BY starts_at")
      .pluck()
      .all(now.toISOString()) as number[];
    return ids.reduce((n, id) => n + pingShift(db, id, timezone, now).length, 0);
  });
}

/**
 * Shifts starting within `hours` that are still short: a fresh batch is pinged regardless of
 * answers still awaited, and staff are told once. Returns the escalated shift ids.
 */
export function escalateShortShifts(db: Db, timezone: string, now: Date, hours = ESCALATE_HOURS): number[] {
  return immediate(db, () => {
    const ids = db
      .prepare(
        "SELECT id FROM shifts WHERE status = 'open' AND escalated_at IS NULL AND starts_at > ? AND starts_at <= ? ORDER BY starts_at",
      )
      .pluck()
      .all(now.toISOString(), new Date(now.getTime() + hours * HOUR).toISOString()) as number[];
    const done: number[] = [];
    for (const id of ids) {
      const needed = db.prepare("SELECT needed FROM shifts WHERE id = ?").pluck().get(id) as number;
      const { accepted } = shiftCounts(db, id, now);
      if (accepted >= needed) continue;
      db.prepare("UPDATE shifts SET escalated_at = ? WHERE id = ?").run(now.toISOString(), id);
      const pinged = pingShift(db, id, timezone, now, true);
      enqueueEach(
        db,
        staffRecipients(db),
        {
          keyPrefix: `shift-short:${id}`,
          template: "volunteers.shiftShort",
          params: { shiftId: id, pinged: pinged.length },
          dueAt: now,
        },
        now,
      );
      done.push(id);
    }
    return done;
  });
}

/**
 * Reminders due now: for each accepted assignment of a shift not yet started, the shortest lead
 * whose time has come, unless the volunteer accepted inside that lead (they know already).
 */
export function enqueueShiftReminders(
  db: Db,
  now: Date,
  leads: readonly number[] = SHIFT_REMINDER_LEADS,
): number {
  const sorted = [...leads].sort((a, b) => a - b);
  const longest = sorted[sorted.length - 1] ?? 0;
  return immediate(db, () => {
    const rows = db
      .prepare(
        `SELECT a.id, a.volunteer_id, a.responded_at, s.id AS shift_id, s.starts_at FROM shift_assignments a
         JOIN shifts s ON s.id = a.shift_id
         WHERE a.status = 'accepted' AND a.checked_in_at IS NULL AND s.status <> 'cancelled' AND s.starts_at > ?
           AND s.starts_at <= ?`,
      )
      .all(now.toISOString(), new Date(now.getTime() + longest * HOUR).toISOString()) as {
      id: number;
      volunteer_id: number;
      responded_at: string | null;
      shift_id: number;
      starts_at: string;
    }[];
    let n = 0;
    for (const r of rows) {
      const start = new Date(r.starts_at).getTime();
      const lead = sorted.find((h) => start - h * HOUR <= now.getTime());
      if (lead === undefined) continue;
      if (r.responded_at && new Date(r.responded_at).getTime() >= start - lead * HOUR) continue;
      const added = enqueue(
        db,
        {
          key: `shift-reminder:${r.id}:${lead}h`,
          chatId: r.volunteer_id,
          template: "volunteers.shiftReminder",
          params: { assignmentId: r.id, shiftId: r.shift_id, lead },
          dueAt: now,
        },
        now,
      );
      if (added) n++;
    }
    return n;
  });
}

export const shiftPingsJob: JobSpec = {
  name: "shift-pings",
  schedule: SCHEDULES.shiftPings,
  run({ db, config }, now) {
    const escalated = escalateShortShifts(db, config.timezone, now);
    const pinged = pingOpenShifts(db, config.timezone, now);
    return { escalated: escalated.length, pinged };
  },
};

export const shiftRemindersJob: JobSpec = {
  name: "shift-reminders",
  schedule: SCHEDULES.shiftReminders,
  run({ db }, now) {
    return { reminders: enqueueShiftReminders(db, now) };
  },
};

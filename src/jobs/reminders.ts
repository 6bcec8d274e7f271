import { HOUR } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { immediate, preparedFor } from "../db/connection.ts";
import { enqueue } from "../notify/outbox.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobResult, JobSpec } from "./types.ts";

/** The reminder's unique key; it carries the start time, so a moved session gets fresh reminders. */
export function reminderKey(
  sessionId: number,
  personId: number,
  leadHours: number,
  startsAt: string,
): string {
  return `reminder:${sessionId}:${personId}:${leadHours}h:${startsAt}`;
}

interface DueRow {
  session_id: number;
  person_id: number;
  account_id: number;
  starts_at: string;
}

// Sessions whose reminder time (start - lead) falls in the window, with everyone enrolled
// who has an account to tell and has not already said they cannot come.
const dueQuery = preparedFor((db: Db) =>
  db.prepare<[string, string], DueRow>(
    `SELECT s.id AS session_id, p.id AS person_id, p.account_id, s.starts_at
     FROM sessions s
     JOIN courses c ON c.id = s.course_id AND c.status IN ('open', 'closed')
     JOIN enrolments e ON e.course_id = s.course_id AND e.status = 'enrolled'
     JOIN people p ON p.id = e.person_id AND p.account_id IS NOT NULL
     LEFT JOIN attendance a ON a.session_id = s.id AND a.person_id = p.id
     WHERE s.status = 'scheduled' AND s.starts_at > ? AND s.starts_at <= ? AND a.status IS NULL
     ORDER BY s.starts_at, s.id, p.id`,
  ),
);

/**
 * Queues the class reminders that fell due in (since, now]: for each lead time L, sessions
 * starting in (since + L, now + L]. After downtime a session that has not started still gets
 * its reminder (only the nearest lead, not one per missed lead); one already begun is dropped
 * and counted as missed. Keys are unique, so two overlapping runs queue nothing twice.
 */
export function queueDueReminders(db: Db, leadHours: number[], since: Date | null, now: Date): JobResult {
  const maxLead = Math.max(0, ...leadHours);
  // First run ever: look back one longest lead, so sessions soon to start are not forgotten.
  const from = since ?? new Date(now.getTime() - maxLead * HOUR);
  const stmt = dueQuery(db);
  const counts = { queued: 0, already: 0, superseded: 0, missed: 0 };
  if (from >= now) return counts;
  // Per (session, person), the smallest lead due in this window wins.
  const chosen = new Map<string, { row: DueRow; lead: number; dueAt: Date }>();
  for (const lead of [...leadHours].sort((a, b) => b - a)) {
    const lo = new Date(from.getTime() + lead * HOUR).toISOString();
    const hi = new Date(now.getTime() + lead * HOUR).toISOString();
    for (const row of stmt.all(lo, hi)) {
      if (Date.parse(row.starts_at) <= now.getTime()) {
        counts.missed += 1;
        continue;
      }
      const id = `${row.session_id}:${row.person_id}`;
      if (chosen.has(id)) counts.superseded += 1;
      chosen.set(id, { row, lead, dueAt: new Date(Date.parse(row.starts_at) - lead * HOUR) });
    }
  }
  immediate(db, () => {
    for (const { row, lead, dueAt } of chosen.values()) {
      const ok = enqueue(
        db,
        {
          key: reminderKey(row.session_id, row.person_id, lead, row.starts_at),
          chatId: row.account_id,
          template: "notify.reminder",
          params: { sessionId: row.session_id, personId: row.person_id, startsAt: row.starts_at, lead },
          dueAt,
        },
        now,
      );
      if (ok) counts.queued += 1;
      else counts.already += 1;
    }
  });
  return counts;
}

/** Every minute: class reminders config.reminderLeadHours before each session. */
export const remindersJob: JobSpec = {
  name: "reminders",
  schedule: SCHEDULES.reminders,
  run(deps, now, since) {
    return queueDueReminders(deps.db, deps.config.reminderLeadHours, since, now);
  },
};

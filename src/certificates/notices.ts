/**
 * Telling people their certificate of completion is ready, once a course has ended, instead of
 * waiting for them to think of /certificates. The rule for who completed a course is
 * completionOf's (issue.ts); this file only decides whom to tell and when.
 */
import { DAY } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { completionOf } from "./issue.ts";

/** Courses whose last session ended this many days ago or less are looked at on each run. */
export const NOTICE_LOOKBACK_DAYS = 14;

/** The outbox template of the notice (src/messages/certificates.ts). */
export const NOTICE_TEMPLATE = "certificates.completed";

/** The outbox key's prefix: one notice per course and participant, ever. */
export const noticeKeyPrefix = (courseId: number, personId: number) => `certificate:${courseId}:${personId}`;

/**
 * Queues one notice per participant who completed a course whose last scheduled session ended
 * within the last `lookbackDays` days, to the account holder who manages them. The outbox row is
 * the record that they were told (its key is unique and rows are kept; /forget deletes them
 * together with the link from the person to the account, so the person is not found again), so
 * a second run queues nothing. Looking back a fortnight rather than since the last run lets a
 * teacher's late attendance entry still earn the notice. Left out: cancelled enrolments, people
 * no longer linked to an account (/forget), cancelled courses, anyone already holding the
 * certificate, and lectures and events: "you completed the Spring Festival show, here is your
 * certificate" would be noise (/certificates still lists them for whoever wants one).
 * Returns how many notices were queued now.
 */
export function enqueueCompletionNotices(db: Db, now: Date, lookbackDays = NOTICE_LOOKBACK_DAYS): number {
  const from = new Date(now.getTime() - lookbackDays * DAY).toISOString();
  return immediate(db, () => {
    const rows = db
      .prepare(
        `SELECT e.course_id AS courseId, e.person_id AS personId, p.account_id AS accountId
         FROM (SELECT course_id, MAX(ends_at) AS last_end FROM sessions WHERE status = 'scheduled' GROUP BY course_id) l
         JOIN courses c ON c.id = l.course_id AND c.status <> 'cancelled' AND c.kind = 'course'
         JOIN enrolments e ON e.course_id = l.course_id AND e.status = 'enrolled'
         JOIN people p ON p.id = e.person_id AND p.account_id IS NOT NULL
         WHERE l.last_end > ? AND l.last_end <= ?
           AND NOT EXISTS (SELECT 1 FROM certificates k
                           WHERE k.kind = 'course' AND k.course_id = e.course_id AND k.person_id = e.person_id)
         ORDER BY e.course_id, e.person_id`,
      )
      .all(from, now.toISOString()) as { courseId: number; personId: number; accountId: number }[];
    let added = 0;
    for (const r of rows) {
      if (!completionOf(db, r.courseId, r.personId, now)?.eligible) continue;
      added += enqueueEach(
        db,
        [r.accountId],
        {
          keyPrefix: noticeKeyPrefix(r.courseId, r.personId),
          template: NOTICE_TEMPLATE,
          params: { courseId: r.courseId, personId: r.personId },
          dueAt: now,
        },
        now,
      );
    }
    return added;
  });
}

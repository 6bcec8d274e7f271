/**
 * Ratings (once per participant per course), suggestions and problem reports. A problem about a
 * course reaches that course's staff and teacher at once, through the outbox.
 */
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { enqueue } from "../notify/outbox.ts";
import { courseStaffRecipients, staffRecipients } from "../people/recipients.ts";
import { boundComment } from "./text.ts";

export interface TakenCourse {
  courseId: number;
  personId: number;
  personName: string;
  isSelf: boolean;
  titleZh: string;
  titleEn: string;
  rated: boolean;
}

/**
 * Courses an account's participants have taken: enrolled, with at least one session already
 * begun. These, and only these, can be rated.
 */
export function coursesTaken(db: Db, accountId: number, now: Date): TakenCourse[] {
  const rows = db
    .prepare(
      `SELECT c.id AS courseId, p.id AS personId, p.name AS personName, p.is_self AS isSelf, c.title_zh AS titleZh,
         c.title_en AS titleEn,
         EXISTS (SELECT 1 FROM feedback f WHERE f.kind = 'rating' AND f.course_id = c.id AND f.person_id = p.id) AS rated
       FROM enrolments e JOIN people p ON p.id = e.person_id JOIN courses c ON c.id = e.course_id
       WHERE p.account_id = ? AND e.status = 'enrolled'
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at <= ?)
       ORDER BY c.id, p.is_self DESC, p.id`,
    )
    .all(accountId, now.toISOString()) as (Omit<TakenCourse, "isSelf" | "rated"> & {
    isSelf: number;
    rated: number;
  })[];
  return rows.map((r) => ({ ...r, isSelf: r.isSelf === 1, rated: r.rated === 1 }));
}

export type RateResult =
  | { ok: true; feedbackId: number }
  | { ok: false; reason: "invalid" | "not_taken" | "already" };

/** Records 1–5 stars for a course a participant of this account took; once per participant per course. */
export function rateCourse(
  db: Db,
  input: { accountId: number; courseId: number; personId: number; stars: number },
  now: Date,
): RateResult {
  if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5)
    return { ok: false, reason: "invalid" };
  return immediate(db, (): RateResult => {
    const taken = coursesTaken(db, input.accountId, now).find(
      (c) => c.courseId === input.courseId && c.personId === input.personId,
    );
    if (!taken) return { ok: false, reason: "not_taken" };
    if (taken.rated) return { ok: false, reason: "already" };
    const r = db
      .prepare(
        `INSERT INTO feedback (kind, course_id, person_id, account_id, stars, created_at) VALUES ('rating', ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(input.courseId, input.personId, input.accountId, input.stars, now.toISOString());
    if (r.changes === 0) return { ok: false, reason: "already" };
    return { ok: true, feedbackId: Number(r.lastInsertRowid) };
  });
}

export type CommentResult =
  | { ok: true; truncated: boolean }
  | { ok: false; reason: "unknown" | "already" | "empty" };

/** Adds the optional comment to one's own rating, once. */
export function commentOnRating(
  db: Db,
  accountId: number,
  feedbackId: number,
  comment: string,
): CommentResult {
  const { text, truncated } = boundComment(comment);
  if (!text) return { ok: false, reason: "empty" };
  return immediate(db, (): CommentResult => {
    const row = db
      .prepare("SELECT comment FROM feedback WHERE id = ? AND account_id = ?")
      .get(feedbackId, accountId) as { comment: string | null } | undefined;
    if (!row) return { ok: false, reason: "unknown" };
    if (row.comment) return { ok: false, reason: "already" };
    db.prepare("UPDATE feedback SET comment = ? WHERE id = ?").run(text, feedbackId);
    return { ok: true, truncated };
  });
}

/** Hides (or shows) the writer's name to staff on one of their own feedback rows. */
export function setAnonymous(db: Db, accountId: number, feedbackId: number, anonymous: boolean): boolean {
  return (
    db
      .prepare("UPDATE feedback SET anonymous = ? WHERE id = ? AND account_id = ?")
      .run(anonymous ? 1 : 0, feedbackId, accountId).changes === 1
  );
}

export type SubmitResult =
  | { ok: true; feedbackId: number; truncated: boolean; notified: number }
  | { ok: false; reason: "empty" | "not_taken" };

/**
 * A suggestion or a problem report, about a course the account's family took or about the
 * school in general. A problem is sent at once to the course's staff, admins and teacher (or,
 * with no course, to every staff member).
 */
export function submitFeedback(
  db: Db,
  input: {
    accountId: number;
    kind: "suggestion" | "problem";
    courseId: number | null;
    comment: string;
    anonymous: boolean;
  },
  now: Date,
): SubmitResult {
  const { text, truncated } = boundComment(input.comment);
  if (!text) return { ok: false, reason: "empty" };
  return immediate(db, (): SubmitResult => {
    if (
      input.courseId !== null &&
      !coursesTaken(db, input.accountId, now).some((c) => c.courseId === input.courseId)
    ) {
      return { ok: false, reason: "not_taken" };
    }
    const r = db
      .prepare(
        "INSERT INTO feedback (kind, course_id, account_id, comment, anonymous, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(input.kind, input.courseId, input.accountId, text, input.anonymous ? 1 : 0, now.toISOString());
    const feedbackId = Number(r.lastInsertRowid);
    let notified = 0;
    if (input.kind === "problem") {
      const to = input.courseId !== null ? courseStaffRecipients(db, input.courseId) : staffRecipients(db);
      for (const staff of to) {
        if (
          enqueue(
            db,
            {
              key: `feedback-problem:${feedbackId}:${staff}`,
              chatId: staff,
              template: "feedback.problem",
              params: { feedbackId },
              dueAt: now,
            },
            now,
          )
        ) {
          notified++;
        }
      }
    }
    return { ok: true, feedbackId, truncated, notified };
  });
}

export interface CourseRatings {
  courseId: number;
  count: number;
  average: number | null;
  /** distribution[i] = how many gave i + 1 stars. */
  distribution: [number, number, number, number, number];
  recent: { stars: number | null; kind: string; comment: string; name: string | null; createdAt: string }[];
}

/**
 * A course's ratings for staff: average, count, distribution and recent comments. Anonymous
 * comments come without a name; names are raw text, to be escaped when shown.
 */
export function courseRatings(db: Db, courseId: number, recentLimit = 5): CourseRatings {
  const distribution: CourseRatings["distribution"] = [0, 0, 0, 0, 0];
  for (const r of db
    .prepare(
      "SELECT stars, COUNT(*) AS n FROM feedback WHERE kind = 'rating' AND course_id = ? GROUP BY stars",
    )
    .all(courseId) as { stars: number; n: number }[]) {
    distribution[r.stars - 1] = r.n;
  }
  const count = distribution.reduce((a, b) => a + b, 0);
  const sum = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
  const recent = (
    db
      .prepare(
        `SELECT f.stars, f.kind, f.comment, f.created_at AS createdAt,
           CASE WHEN f.anonymous = 1 THEN NULL ELSE COALESCE(p.name, u.first_name) END AS name
         FROM feedback f LEFT JOIN people p ON p.id = f.person_id LEFT JOIN users u ON u.id = f.account_id
         WHERE f.course_id = ? AND f.comment IS NOT NULL AND f.comment <> ''
         ORDER BY f.created_at DESC, f.id DESC LIMIT ?`,
      )
      .all(courseId, recentLimit) as CourseRatings["recent"]
  ).map((r) => ({ ...r, name: r.name ?? null }));
  return {
    courseId,
    count,
    average: count ? Math.round((sum / count) * 10) / 10 : null,
    distribution,
    recent,
  };
}

/** Courses with ratings, best known first; for the staff overview. */
export function ratedCourses(
  db: Db,
  limit = 10,
): { courseId: number; titleZh: string; titleEn: string; count: number; average: number }[] {
  return db
    .prepare(
      `SELECT c.id AS courseId, c.title_zh AS titleZh, c.title_en AS titleEn, COUNT(*) AS count, ROUND(AVG(f.stars), 1) AS average
       FROM feedback f JOIN courses c ON c.id = f.course_id WHERE f.kind = 'rating'
       GROUP BY c.id ORDER BY count DESC, c.id LIMIT ?`,
    )
    .all(limit) as { courseId: number; titleZh: string; titleEn: string; count: number; average: number }[];
}

/**
 * Courses whose last scheduled session ended in (since, now]: each enrolled participant with an
 * account gets one feedback request (key `feedback:<course>:<person>`). Returns how many were queued.
 */
export function enqueueFeedbackRequests(db: Db, since: Date | null, now: Date): number {
  // On the first run look back a week, so a fresh install does not ask about last year's courses.
  const from = (since ?? new Date(now.getTime() - 7 * 24 * 3600 * 1000)).toISOString();
  return immediate(db, () => {
    const rows = db
      .prepare(
        `SELECT e.course_id AS courseId, e.person_id AS personId, p.account_id AS accountId
         FROM (SELECT course_id, MAX(ends_at) AS last_end FROM sessions WHERE status = 'scheduled' GROUP BY course_id) l
         JOIN courses c ON c.id = l.course_id AND c.status <> 'cancelled'
         JOIN enrolments e ON e.course_id = l.course_id AND e.status = 'enrolled'
         JOIN people p ON p.id = e.person_id AND p.account_id IS NOT NULL
         WHERE l.last_end > ? AND l.last_end <= ?`,
      )
      .all(from, now.toISOString()) as { courseId: number; personId: number; accountId: number }[];
    let n = 0;
    for (const r of rows) {
      const added = enqueue(
        db,
        {
          key: `feedback:${r.courseId}:${r.personId}`,
          chatId: r.accountId,
          template: "feedback.request",
          params: { courseId: r.courseId, personId: r.personId },
          dueAt: now,
        },
        now,
      );
      if (added) n++;
    }
    return n;
  });
}

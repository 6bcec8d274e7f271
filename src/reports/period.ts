/**
 * Figures over a time range, all computed by SQL aggregates over indexed date ranges, never by
 * walking rows in JavaScript: the digest must stay fast over a year of data.
 *
 * Definitions (documented here because the tests and the bench compare against them):
 * - enrolments: enrolment rows created in the range that hold a seat now (enrolled or offered);
 * - cancellations: rows cancelled in the range;
 * - waitlistJoins: rows created in the range that are waitlisted now;
 * - sessionsHeld: scheduled sessions that started in the range (and before `now`);
 * - present: attendance marked present for those sessions;
 * - expected: for those sessions, the number of people enrolled in their course now;
 * - attendanceRate: present / expected (null when nothing was expected), at most 1;
 * - newVolunteers: volunteer sign-ups in the range, declined ones excluded;
 * - volunteerHours: hours recorded on shifts that started in the range;
 * - ratings / averageRating: course ratings given in the range.
 *
 * With `siteIds`, everything tied to a course or a shift counts only for those sites' courses
 * and shifts; new volunteers sign up with the district, not a site, so they stay district-wide.
 */
import type { Db } from "../db/connection.ts";

export interface PeriodFigures {
  enrolments: number;
  cancellations: number;
  waitlistJoins: number;
  sessionsHeld: number;
  present: number;
  expected: number;
  attendanceRate: number | null;
  newVolunteers: number;
  volunteerHours: number;
  ratings: number;
  averageRating: number | null;
}

/** A period in which nothing happened. */
export const emptyPeriodFigures = (): PeriodFigures => ({
  enrolments: 0,
  cancellations: 0,
  waitlistJoins: 0,
  sessionsHeld: 0,
  present: 0,
  expected: 0,
  attendanceRate: null,
  newVolunteers: 0,
  volunteerHours: 0,
  ratings: 0,
  averageRating: null,
});

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A CASE expression numbering the bucket [bounds[i], bounds[i+1]) that `column` falls in. */
function bucketOf(column: string, bounds: string[]): string {
  const whens = bounds.slice(1).map((b, i) => `WHEN ${column} < '${b}' THEN ${i}`);
  return `CASE ${whens.join(" ")} END`;
}

/**
 * Figures for consecutive ranges [bounds[i], bounds[i+1]) in one pass per table, so that
 * eight weeks cost about what one does. Sessions count only if they started before `now`.
 */
export function bucketFigures(
  db: Db,
  boundDates: Date[],
  now: Date,
  siteIds?: readonly number[],
): PeriodFigures[] {
  // Site ids are integers from the roles table, safe to inline like the bounds.
  const ids = siteIds?.map((id) => Math.trunc(id)).join(", ");
  const onCourses =
    ids === undefined ? "" : ` AND course_id IN (SELECT id FROM courses WHERE site_id IN (${ids}))`;
  const onShifts = ids === undefined ? "" : ` AND sh.site_id IN (${ids})`;
  const bounds = boundDates.map((d) => d.toISOString());
  const n = bounds.length - 1;
  const first = bounds[0]!;
  const last = bounds[n]!;
  const nowIso = now.toISOString();
  // ISO strings order like the instants they name.
  const untilSessions = [last, nowIso].sort()[0]!;
  const out: PeriodFigures[] = Array.from({ length: n }, emptyPeriodFigures);
  const each = <R extends { b: number | null }>(rows: R[], fn: (f: PeriodFigures, r: R) => void) => {
    for (const r of rows) if (r.b !== null && out[r.b]) fn(out[r.b]!, r);
  };
  // Bounds are our own ISO strings, safe to inline; they let SQLite use the date indexes.
  each(
    db
      .prepare(
        `SELECT ${bucketOf("created_at", bounds)} AS b, SUM(status IN ('enrolled', 'offered')) AS e, SUM(status = 'waitlisted') AS w
         FROM enrolments WHERE created_at >= ? AND created_at < ?${onCourses} GROUP BY b`,
      )
      .all(first, last) as { b: number; e: number; w: number }[],
    (f, r) => {
      f.enrolments = r.e;
      f.waitlistJoins = r.w;
    },
  );
  each(
    db
      .prepare(
        `SELECT ${bucketOf("cancelled_at", bounds)} AS b, COUNT(*) AS c FROM enrolments
         WHERE status = 'cancelled' AND cancelled_at >= ? AND cancelled_at < ?${onCourses} GROUP BY b`,
      )
      .all(first, last) as { b: number; c: number }[],
    (f, r) => {
      f.cancellations = r.c;
    },
  );
  // The attendance rule; review/slices.ts applies the same one per course.
  if (first < untilSessions) {
    each(
      db
        .prepare(
          `WITH held AS MATERIALIZED (
             SELECT id, course_id, ${bucketOf("starts_at", bounds)} AS b FROM sessions
             WHERE starts_at >= ? AND starts_at < ? AND status = 'scheduled'${onCourses}
           ), seats AS MATERIALIZED (
             SELECT course_id, COUNT(*) AS n FROM enrolments
             WHERE status = 'enrolled' AND course_id IN (SELECT DISTINCT course_id FROM held) GROUP BY course_id
           )
           SELECT held.b AS b, COUNT(*) AS sessions, COALESCE(SUM(seats.n), 0) AS expected,
             SUM((SELECT COUNT(*) FROM attendance a WHERE a.session_id = held.id AND a.status = 'present')) AS present
           FROM held LEFT JOIN seats ON seats.course_id = held.course_id GROUP BY held.b`,
        )
        .all(first, untilSessions) as { b: number; sessions: number; expected: number; present: number }[],
      (f, r) => {
        f.sessionsHeld = r.sessions;
        f.expected = r.expected;
        f.present = r.present;
        f.attendanceRate = r.expected > 0 ? round(Math.min(1, r.present / r.expected), 3) : null;
      },
    );
  }
  each(
    db
      .prepare(
        `SELECT ${bucketOf("created_at", bounds)} AS b, COUNT(*) AS c FROM volunteers
         WHERE created_at >= ? AND created_at < ? AND status <> 'declined' GROUP BY b`,
      )
      .all(first, last) as { b: number; c: number }[],
    (f, r) => {
      f.newVolunteers = r.c;
    },
  );
  each(
    db
      .prepare(
        `SELECT ${bucketOf("sh.starts_at", bounds)} AS b, SUM(sa.hours) AS h FROM shifts sh
         JOIN shift_assignments sa ON sa.shift_id = sh.id
         WHERE sh.starts_at >= ? AND sh.starts_at < ? AND sa.hours IS NOT NULL${onShifts} GROUP BY b`,
      )
      .all(first, last) as { b: number; h: number }[],
    (f, r) => {
      f.volunteerHours = round(r.h, 1);
    },
  );
  each(
    db
      .prepare(
        `SELECT ${bucketOf("created_at", bounds)} AS b, COUNT(*) AS c, AVG(stars) AS a FROM feedback
         WHERE kind = 'rating' AND created_at >= ? AND created_at < ?${onCourses} GROUP BY b`,
      )
      .all(first, last) as { b: number; c: number; a: number }[],
    (f, r) => {
      f.ratings = r.c;
      f.averageRating = round(r.a, 2);
    },
  );
  return out;
}

/** Figures for [from, to), sessions counted only if they started before `now`. */
export function periodFigures(
  db: Db,
  from: Date,
  to: Date,
  now: Date,
  siteIds?: readonly number[],
): PeriodFigures {
  return bucketFigures(db, [from, to], now, siteIds)[0]!;
}

export interface CourseFill {
  courseId: number;
  code: string;
  titleZh: string;
  titleEn: string;
  siteId: number;
  capacity: number;
  seats: number;
  waitlist: number;
  /** seats / capacity; null for a course without capacity. */
  fillRate: number | null;
}

/**
 * Seats taken and waitlist length of every open or closed course (drafts and cancelled ones
 * left out) that has a session from `since` on, or no session at all yet.
 */
export function courseFill(db: Db, since: Date): CourseFill[] {
  const rows = db
    .prepare(
      `WITH counts AS (
         SELECT course_id,
                SUM(status IN ('enrolled', 'offered')) AS seats,
                SUM(status = 'waitlisted') AS waitlist
         FROM enrolments WHERE status <> 'cancelled' GROUP BY course_id
       )
       SELECT c.id AS courseId, c.code, c.title_zh AS titleZh, c.title_en AS titleEn, c.site_id AS siteId,
              c.capacity, COALESCE(k.seats, 0) AS seats, COALESCE(k.waitlist, 0) AS waitlist
       FROM courses c LEFT JOIN counts k ON k.course_id = c.id
       WHERE c.status IN ('open', 'closed')
         AND (EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.starts_at >= ?)
              OR NOT EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id))
       ORDER BY c.id`,
    )
    .all(since.toISOString()) as Omit<CourseFill, "fillRate">[];
  return rows.map((r) => ({ ...r, fillRate: r.capacity > 0 ? round(r.seats / r.capacity, 3) : null }));
}

/** Courses under half full. */
export const underHalf = (fill: CourseFill[]): CourseFill[] =>
  fill.filter((c) => c.fillRate !== null && c.fillRate < 0.5);

/** Courses whose waitlist is longer than a fifth of their capacity. */
export const longWaitlists = (fill: CourseFill[]): CourseFill[] =>
  fill.filter((c) => c.waitlist > c.capacity / 5);

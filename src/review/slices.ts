/**
 * The half-year review's slices: the half per site and per category, and the half's own
 * figures from its months (definitions in figures.ts).
 */
import type { Db } from "../db/connection.ts";
import type { PeriodFigures } from "../reports/period.ts";
import { emptyPeriodFigures } from "../reports/period.ts";

export interface SliceFigures extends PeriodFigures {
  /** A site's code, or a category's code (named in the reader's language when rendered). */
  key: string;
  nameZh: string;
  nameEn: string;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The half's figures per site and per category: one grouped query per table by course (not one
 * bucketFigures per site: twenty sites would cost twenty times), summed into both slicings.
 * New volunteers sign up with the district, so they count in the months and the half only.
 */
export function groupedFigures(
  db: Db,
  from: Date,
  to: Date,
  now: Date,
): { sites: SliceFigures[]; categories: SliceFigures[] } {
  const f = from.toISOString();
  const t = to.toISOString();
  const n = new Date(Math.min(now.getTime(), to.getTime())).toISOString();
  const courses = db.prepare("SELECT id, site_id AS siteId, category FROM courses").all() as {
    id: number;
    siteId: number;
    category: string;
  }[];
  const enrolments = db
    .prepare(
      `SELECT course_id AS c, SUM(status IN ('enrolled', 'offered')) AS n, SUM(status = 'waitlisted') AS w
       FROM enrolments WHERE created_at >= ? AND created_at < ? GROUP BY course_id`,
    )
    .all(f, t) as { c: number; n: number; w: number }[];
  const cancelled = db
    .prepare(
      `SELECT course_id AS c, COUNT(*) AS n FROM enrolments
       WHERE status = 'cancelled' AND cancelled_at >= ? AND cancelled_at < ? GROUP BY course_id`,
    )
    .all(f, t) as { c: number; n: number }[];
  // Sessions held, seats expected and people present: the attendance rule of periodFigures
  // (reports/period.ts), grouped by course here instead of by week, so that one pass over the
  // half year's sessions serves every site and category. A change to the rule changes both.
  const held = db
    .prepare(
      `WITH held AS MATERIALIZED (
         SELECT id, course_id FROM sessions WHERE starts_at >= ? AND starts_at < ? AND status = 'scheduled'
       ), seats AS MATERIALIZED (
         SELECT course_id, COUNT(*) AS n FROM enrolments
         WHERE status = 'enrolled' AND course_id IN (SELECT DISTINCT course_id FROM held) GROUP BY course_id
       )
       SELECT held.course_id AS c, COUNT(*) AS sessions, COALESCE(SUM(seats.n), 0) AS expected,
         SUM((SELECT COUNT(*) FROM attendance a WHERE a.session_id = held.id AND a.status = 'present')) AS present
       FROM held LEFT JOIN seats ON seats.course_id = held.course_id GROUP BY held.course_id`,
    )
    .all(f, n) as { c: number; sessions: number; expected: number; present: number }[];
  const ratings = db
    .prepare(
      `SELECT course_id AS c, COUNT(*) AS n, SUM(stars) AS s FROM feedback
       WHERE kind = 'rating' AND created_at >= ? AND created_at < ? GROUP BY course_id`,
    )
    .all(f, t) as { c: number; n: number; s: number }[];
  // Shifts belong to a site; a category's hours are those of shifts tied to its courses.
  const hours = db
    .prepare(
      `SELECT sh.site_id AS site, sh.course_id AS c, SUM(sa.hours) AS h FROM shifts sh
       JOIN shift_assignments sa ON sa.shift_id = sh.id
       WHERE sh.starts_at >= ? AND sh.starts_at < ? AND sa.hours IS NOT NULL GROUP BY sh.site_id, sh.course_id`,
    )
    .all(f, n) as { site: number; c: number | null; h: number }[];
  const sites = new Map<number, SliceFigures>();
  for (const site of db
    .prepare("SELECT id, code, name_zh AS nameZh, name_en AS nameEn FROM sites ORDER BY id")
    .all() as { id: number; code: string; nameZh: string; nameEn: string }[])
    sites.set(site.id, { ...emptyPeriodFigures(), key: site.code, nameZh: site.nameZh, nameEn: site.nameEn });
  const categories = new Map<string, SliceFigures>();
  const category = (k: string): SliceFigures => {
    let c = categories.get(k);
    if (!c) {
      c = { ...emptyPeriodFigures(), key: k, nameZh: k, nameEn: k };
      categories.set(k, c);
    }
    return c;
  };
  const byId = new Map(courses.map((c) => [c.id, c]));
  const stars = new Map<SliceFigures, number>();
  /** Adds one course's row to its site's and its category's slice. */
  const add = (courseId: number, fn: (s: SliceFigures) => void) => {
    const c = byId.get(courseId);
    if (!c) return;
    const site = sites.get(c.siteId);
    if (site) fn(site);
    fn(category(c.category));
  };
  for (const r of enrolments)
    add(r.c, (s) => {
      s.enrolments += r.n;
      s.waitlistJoins += r.w;
    });
  for (const r of cancelled)
    add(r.c, (s) => {
      s.cancellations += r.n;
    });
  for (const r of held)
    add(r.c, (s) => {
      s.sessionsHeld += r.sessions;
      s.expected += r.expected;
      s.present += r.present;
    });
  for (const r of ratings)
    add(r.c, (s) => {
      s.ratings += r.n;
      stars.set(s, (stars.get(s) ?? 0) + r.s);
    });
  for (const r of hours) {
    const site = sites.get(r.site);
    if (site) site.volunteerHours += r.h;
    const c = r.c === null ? undefined : byId.get(r.c);
    if (c) category(c.category).volunteerHours += r.h;
  }
  const finish = (s: SliceFigures): SliceFigures => ({
    ...s,
    attendanceRate: s.expected > 0 ? round(Math.min(1, s.present / s.expected)) : null,
    averageRating: s.ratings > 0 ? round((stars.get(s) ?? 0) / s.ratings, 2) : null,
    volunteerHours: round(s.volunteerHours, 1),
  });
  return {
    sites: [...sites.values()].map(finish),
    categories: [...categories.values()]
      .map(finish)
      .sort((a, b) => b.enrolments - a.enrolments || a.key.localeCompare(b.key)),
  };
}

/** The half's figures as the sum of its months (one more pass over the tables would double the cost). */
export function wholeHalf(db: Db, months: PeriodFigures[], from: Date, to: Date): PeriodFigures {
  const sum = (k: keyof PeriodFigures) => months.reduce((a, m) => a + ((m[k] as number | null) ?? 0), 0);
  const rated = db
    .prepare(
      "SELECT COUNT(*) AS n, AVG(stars) AS a FROM feedback WHERE kind = 'rating' AND created_at >= ? AND created_at < ?",
    )
    .get(from.toISOString(), to.toISOString()) as { n: number; a: number | null };
  const expected = sum("expected");
  const present = sum("present");
  return {
    enrolments: sum("enrolments"),
    cancellations: sum("cancellations"),
    waitlistJoins: sum("waitlistJoins"),
    sessionsHeld: sum("sessionsHeld"),
    present,
    expected,
    attendanceRate: expected > 0 ? round(Math.min(1, present / expected)) : null,
    newVolunteers: sum("newVolunteers"),
    volunteerHours: round(sum("volunteerHours"), 1),
    ratings: rated.n,
    averageRating: rated.a === null ? null : round(rated.a, 2),
  };
}

/**
 * The weekly digest's figures: progress against the year's targets, the week just ended
 * against the one before, courses by fill, rating and demand. SQL aggregates only.
 */
import type { Targets } from "../catalog/catalog-schema.ts";
import type { Db } from "../db/connection.ts";
import type { OrganisationRates } from "../organisations/rates.ts";
import { organisationRates } from "../organisations/rates.ts";
import { addDays, localDate, localParts, startOfLocalWeek, zonedTimeToUtc } from "../time.ts";
import type { CourseFill, PeriodFigures } from "./period.ts";
import { bucketFigures, courseFill, longWaitlists, underHalf } from "./period.ts";
import type { FunnelRow } from "../publicity/arrivals.ts";
import { funnel } from "../publicity/arrivals.ts";

export interface YearFigures {
  /** Distinct people enrolled in a course running this year, or present at a session this year. */
  residentsEducated: number;
  /** Distinct categories of kind `course` with a session this year. */
  courseKinds: number;
  /** Events (kind `event`) with a session held this year. */
  events: number;
  /** Sum of sites.residents. */
  residents: number;
  /** residentsEducated / residents, null without a population. */
  participationRate: number | null;
  volunteerHours: number;
}

export interface RatedCourse {
  courseId: number;
  titleZh: string;
  titleEn: string;
  ratings: number;
  average: number;
  comments: { name: string | null; stars: number; text: string }[];
}

export interface DigestFigures {
  /** Local date (Monday) the reported week starts, and the next Monday. */
  weekStart: string;
  weekEnd: string;
  year: number;
  week: PeriodFigures;
  previousWeek: PeriodFigures;
  totals: YearFigures;
  targets: Targets;
  /** Oldest first: the 8 weeks ending with the reported one. */
  weekly: { weekStart: string; enrolments: number; present: number }[];
  fill: CourseFill[];
  underHalf: CourseFill[];
  longWaitlists: CourseFill[];
  best: RatedCourse[];
  worst: RatedCourse[];
  wishes: { topic: string; count: number }[];
  /** The sites the week's figures are about; undefined for the whole district. */
  siteIds?: number[];
  /** The reported week over the whole district, for comparison with a site's. */
  districtWeek?: PeriodFigures;
  /** Arrivals by deep link in the reported week, by source. */
  funnel: FunnelRow[];
  /** Learning organisations' training rates for the year so far. */
  organisations: OrganisationRates;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Figures for the calendar year (local) from its start up to `now`. */
export function yearFigures(db: Db, yearStart: Date, yearEnd: Date, now: Date): YearFigures {
  const ys = yearStart.toISOString();
  const ye = yearEnd.toISOString();
  const n = (now < yearEnd ? now : yearEnd).toISOString();
  // Materialized sets and a unary + keep SQLite from probing the enrolment index once per course.
  const residentsEducated = db
    .prepare(
      `WITH running AS MATERIALIZED (
         SELECT c.id FROM courses c WHERE EXISTS (
           SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.starts_at >= :ys AND s.starts_at < :n AND s.status = 'scheduled')
       ), educated AS MATERIALIZED (
         SELECT DISTINCT person_id FROM enrolments
         WHERE status = 'enrolled' AND (created_at >= :ys OR +course_id IN (SELECT id FROM running))
       )
       SELECT (SELECT COUNT(*) FROM educated) + (
         SELECT COUNT(DISTINCT e.person_id) FROM enrolments e
         -- IN, not <>: SQLite can search an index for a list of values, never for "not equal".
         WHERE e.status IN ('waitlisted', 'offered', 'cancelled') AND e.person_id NOT IN (SELECT person_id FROM educated)
           AND EXISTS (SELECT 1 FROM sessions s JOIN attendance a ON a.session_id = s.id AND a.person_id = e.person_id
                       WHERE s.course_id = e.course_id AND s.starts_at >= :ys AND s.starts_at < :n AND a.status = 'present'))`,
    )
    .pluck()
    .get({ ys, n }) as number;
  const courseKinds = db
    .prepare(
      `SELECT COUNT(DISTINCT c.category) FROM courses c
       WHERE c.kind = 'course' AND c.status IN ('open', 'closed')
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at >= ? AND s.starts_at < ?)`,
    )
    .pluck()
    .get(ys, ye) as number;
  const events = db
    .prepare(
      `SELECT COUNT(*) FROM courses c
       WHERE c.kind = 'event' AND c.status <> 'cancelled'
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at >= ? AND s.starts_at < ?)`,
    )
    .pluck()
    .get(ys, n) as number;
  const residents = db.prepare("SELECT COALESCE(SUM(residents), 0) FROM sites").pluck().get() as number;
  const hours = db
    .prepare(
      `SELECT COALESCE(SUM(sa.hours), 0) FROM shifts sh JOIN shift_assignments sa ON sa.shift_id = sh.id
       WHERE sh.starts_at >= ? AND sh.starts_at < ? AND sa.hours IS NOT NULL`,
    )
    .pluck()
    .get(ys, n) as number;
  return {
    residentsEducated,
    courseKinds,
    events,
    residents,
    participationRate: residents > 0 ? round(residentsEducated / residents) : null,
    volunteerHours: round(hours, 1),
  };
}

/** Best and worst rated courses since `since`, with their latest comments. */
export function ratedCourses(db: Db, since: Date, limit = 3): { best: RatedCourse[]; worst: RatedCourse[] } {
  const rows = db
    .prepare(
      `SELECT f.course_id AS courseId, c.title_zh AS titleZh, c.title_en AS titleEn,
              COUNT(*) AS ratings, ROUND(AVG(f.stars), 2) AS average
       FROM feedback f JOIN courses c ON c.id = f.course_id
       WHERE f.kind = 'rating' AND f.created_at >= ?
       GROUP BY f.course_id ORDER BY average DESC, ratings DESC, f.course_id`,
    )
    .all(since.toISOString()) as Omit<RatedCourse, "comments">[];
  const comments = db.prepare(
    `SELECT CASE WHEN f.anonymous = 1 THEN NULL ELSE p.name END AS name, f.stars, f.comment AS text
     FROM feedback f LEFT JOIN people p ON p.id = f.person_id
     WHERE f.course_id = ? AND f.kind = 'rating' AND f.comment IS NOT NULL AND TRIM(f.comment) <> '' AND f.created_at >= ?
     ORDER BY f.created_at DESC LIMIT 2`,
  );
  const withComments = (r: Omit<RatedCourse, "comments">): RatedCourse => ({
    ...r,
    comments: comments.all(r.courseId, since.toISOString()) as RatedCourse["comments"],
  });
  // The upper half (at most `limit`) is "best", the lower half "worst": a course is never both.
  const best = rows.slice(0, Math.min(limit, Math.ceil(rows.length / 2)));
  const worst = rows.slice(best.length).reverse().slice(0, limit);
  return { best: best.map(withComments), worst: worst.map(withComments) };
}

/** Local date of the Monday starting the last complete week before `now`. */
export function reportedWeekStart(now: Date, timezone: string): string {
  return addDays(localDate(startOfLocalWeek(now, timezone), timezone), -7);
}

/**
 * Everything the weekly digest shows, for the last complete week (Monday to Sunday, local)
 * before `now`. The bench calls this over a year of data; keep it to aggregate queries.
 */
export function computeDigestFigures(
  db: Db,
  options: { now: Date; timezone: string; targets: Targets; siteIds?: readonly number[] },
): DigestFigures {
  const { now, timezone: tz, targets, siteIds } = options;
  const weekStart = reportedWeekStart(now, tz);
  const weekEnd = addDays(weekStart, 7);
  const at = (date: string) => zonedTimeToUtc(date, "00:00", tz);
  const bounds = Array.from({ length: 9 }, (_, i) => at(addDays(weekStart, -7 * (8 - i)))).concat(
    at(weekEnd),
  );
  // Nine buckets: the eight weeks of the chart ending with the reported one, plus the week before them.
  const buckets = bucketFigures(db, bounds, now, siteIds);
  const week = buckets[8]!;
  const previousWeek = buckets[7]!;
  const year = localParts(at(weekStart), tz).year;
  const yearStart = at(`${year}-01-01`);
  const totals = yearFigures(db, yearStart, at(`${year + 1}-01-01`), now);
  const weekly = buckets.slice(1).map((b, i) => ({
    weekStart: addDays(weekStart, -7 * (7 - i)),
    enrolments: b.enrolments,
    present: b.present,
  }));
  // A site's staff read their courses; the year's targets stay the district's.
  const siteOf = new Map(
    (db.prepare("SELECT id, site_id FROM courses").all() as { id: number; site_id: number }[]).map((c) => [
      c.id,
      c.site_id,
    ]),
  );
  const mine = (courseId: number) => siteIds === undefined || siteIds.includes(siteOf.get(courseId) ?? -1);
  const fill = courseFill(db, at(weekStart)).filter((c) => mine(c.courseId));
  const allRated = ratedCourses(db, yearStart, siteIds === undefined ? 3 : 1000);
  const rated = {
    best: allRated.best.filter((c) => mine(c.courseId)).slice(0, 3),
    worst: allRated.worst.filter((c) => mine(c.courseId)).slice(0, 3),
  };
  const wishes = db
    .prepare(
      `SELECT topic, COUNT(*) AS count FROM wishes WHERE notified_course_id IS NULL AND created_at >= ?
       GROUP BY topic ORDER BY count DESC, topic LIMIT 5`,
    )
    .all(yearStart.toISOString()) as { topic: string; count: number }[];
  return {
    weekStart,
    weekEnd,
    year,
    week,
    previousWeek,
    totals,
    targets,
    weekly,
    fill,
    underHalf: underHalf(fill),
    longWaitlists: longWaitlists(fill).sort((a, b) => b.waitlist - a.waitlist),
    best: rated.best,
    worst: rated.worst,
    wishes,
    ...(siteIds === undefined
      ? {}
      : { siteIds: [...siteIds], districtWeek: bucketFigures(db, [bounds[8]!, bounds[9]!], now)[0]! }),
    funnel: funnel(db, at(weekStart), at(weekEnd)),
    organisations: organisationRates(db, { yearStart, now }),
  };
}

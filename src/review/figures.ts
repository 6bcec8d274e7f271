/**
 * The half-year review for the leading group's meeting: the year's targets with their figures
 * up to the end of the half year, the half's trend by month, per site and per category, the
 * learning organisations' rates, volunteer hours, satisfaction, wishes not yet served and the
 * sites' monthly reports.
 *
 * Definitions (the tests compare a hand-computed fixture against them):
 * - a half year is January-June ("H1") or July-December ("H2"), local time; figures stop at
 *   the earlier of its end and `now`;
 * - targets: the digest's year figures (src/reports/digest.ts) from 1 January to that stop, so
 *   a July review shows how far the year has come; the employee rate is the organisations'
 *   district rate; the monthly report figure is the share of the half's due reports sent
 *   (on time or late);
 * - months, sites, categories: src/reports/period.ts's figures (enrolments, sessions held,
 *   present, attendance rate, volunteer hours, ratings) for those slices of the half; a
 *   category's volunteer hours are those of shifts tied to its courses;
 * - satisfaction: the average of the course ratings given in the half;
 * - wishes not yet served: wishes made in the half whose topic no course answered yet.
 */
import type { Targets } from "../catalog/catalog-schema.ts";
import type { Db } from "../db/connection.ts";
import type { OrganisationRates } from "../organisations/rates.ts";
import { organisationRates } from "../organisations/rates.ts";
import type { GridStatus } from "../report-cycle/cycle.ts";
import { yearGrid } from "../report-cycle/cycle.ts";
import type { YearFigures } from "../reports/digest.ts";
import { yearFigures } from "../reports/digest.ts";
import type { PeriodFigures } from "../reports/period.ts";
import { bucketFigures } from "../reports/period.ts";
import { localParts, zonedTimeToUtc } from "../time.ts";

export type Half = 1 | 2;

export interface HalfYear {
  year: number;
  half: Half;
}

export interface TargetLine {
  /** The key in targets.yaml. */
  key: keyof Targets & string;
  target: number | boolean;
  /** The figure reached; null when it cannot be measured yet (no population, no organisation). */
  figure: number | null;
  /** figure ÷ target for numeric targets; null otherwise. */
  progress: number | null;
}

export interface SliceFigures extends PeriodFigures {
  /** A site's code, or a category's code (named in the reader's language when rendered). */
  key: string;
  nameZh: string;
  nameEn: string;
}

export interface ReportStatusLine {
  siteId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** The half's six months, in order. */
  months: GridStatus[];
}

export interface ReviewFigures {
  year: number;
  half: Half;
  /** `YYYY-MM` of the half's six months. */
  monthKeys: string[];
  from: string;
  to: string;
  targets: TargetLine[];
  totals: YearFigures;
  /** The half's own figures, all sites together. */
  halfFigures: PeriodFigures;
  months: PeriodFigures[];
  sites: SliceFigures[];
  categories: SliceFigures[];
  organisations: OrganisationRates;
  volunteerHours: { half: number; year: number };
  satisfaction: { ratings: number; average: number | null };
  wishes: { topic: string; count: number }[];
  reports: ReportStatusLine[];
  /** Reports of the half that fell due, and how many of them were sent. */
  reportsDue: number;
  reportsSent: number;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The half year that ended last before `now` (the one the 1 January and 1 July review is about). */
export function halfJustEnded(now: Date, timezone: string): HalfYear {
  const { year, month } = localParts(now, timezone);
  return month <= 6 ? { year: year - 1, half: 2 } : { year, half: 1 };
}

/** The half year `now` falls in. */
export function currentHalf(now: Date, timezone: string): HalfYear {
  const { year, month } = localParts(now, timezone);
  return { year, half: month <= 6 ? 1 : 2 };
}

/** Reads `2026H1` / `2026-h2`; undefined for anything else. */
export function parseHalf(text: string): HalfYear | undefined {
  const m = /^(\d{4})\s*-?\s*[hH]([12])$/.exec(text.trim());
  return m ? { year: Number(m[1]), half: Number(m[2]) as Half } : undefined;
}

/** `YYYY-MM` of the half's months. */
export function halfMonths(h: HalfYear): string[] {
  const first = h.half === 1 ? 1 : 7;
  return Array.from({ length: 6 }, (_, i) => `${h.year}-${String(first + i).padStart(2, "0")}`);
}

const mm = (month: number) => String(month).padStart(2, "0");

/**
 * The half's figures per site and per category: one grouped query per table by course (not one
 * bucketFigures per site: twenty sites would cost twenty times), summed into both slicings.
 * New volunteers sign up with the district, so they count in the months and the half only.
 */
function groupedFigures(
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
    sites.set(site.id, { ...emptyFigures(), key: site.code, nameZh: site.nameZh, nameEn: site.nameEn });
  const categories = new Map<string, SliceFigures>();
  const category = (k: string): SliceFigures => {
    let c = categories.get(k);
    if (!c) {
      c = { ...emptyFigures(), key: k, nameZh: k, nameEn: k };
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
function wholeHalf(db: Db, months: PeriodFigures[], from: Date, to: Date): PeriodFigures {
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

const emptyFigures = (): PeriodFigures => ({
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

/**
 * Everything the half-year review shows. Aggregate queries only: the bench runs it over a
 * district's year of data.
 */
export function computeReview(
  db: Db,
  options: { half: HalfYear; now: Date; timezone: string; targets: Targets },
): ReviewFigures {
  const { half: h, now, timezone: tz, targets } = options;
  const first = h.half === 1 ? 1 : 7;
  const at = (month: number, year = h.year) => zonedTimeToUtc(`${year}-${mm(month)}-01`, "00:00", tz);
  const bounds = Array.from({ length: 7 }, (_, i) => (first + i === 13 ? at(1, h.year + 1) : at(first + i)));
  const from = bounds[0]!;
  const to = bounds[6]!;
  const stop = new Date(Math.min(now.getTime(), to.getTime()));
  const yearStart = at(1);
  const totals = yearFigures(db, yearStart, at(1, h.year + 1), stop);
  const months = bucketFigures(db, bounds, stop);
  const halfFigures = wholeHalf(db, months, from, to);
  const slices = groupedFigures(db, from, to, stop);
  const organisations = organisationRates(db, { yearStart, now: stop });
  const monthKeys = halfMonths(h);
  const grid = yearGrid(db, h.year, now).map((g) => ({
    siteId: g.siteId,
    code: g.code,
    nameZh: g.nameZh,
    nameEn: g.nameEn,
    months: g.months.slice(first - 1, first + 5),
  }));
  const statuses = grid.flatMap((g) => g.months);
  const reportsDue = statuses.filter((s) => s === "submitted" || s === "late" || s === "missing").length;
  const reportsSent = statuses.filter((s) => s === "submitted" || s === "late").length;
  const wishes = db
    .prepare(
      `SELECT topic, COUNT(*) AS count FROM wishes
       WHERE notified_course_id IS NULL AND created_at >= ? AND created_at < ?
       GROUP BY topic ORDER BY count DESC, topic LIMIT 5`,
    )
    .all(from.toISOString(), to.toISOString()) as { topic: string; count: number }[];
  const line = (key: TargetLine["key"], figure: number | null): TargetLine => {
    const target = targets[key] as number | boolean;
    return {
      key,
      target,
      figure,
      progress: typeof target === "number" && target > 0 && figure !== null ? round(figure / target) : null,
    };
  };
  return {
    year: h.year,
    half: h.half,
    monthKeys,
    from: from.toISOString(),
    to: to.toISOString(),
    targets: [
      line("residents_educated", totals.residentsEducated),
      line("course_kinds", totals.courseKinds),
      line("events", totals.events),
      line("participation_rate", totals.participationRate),
      line("employee_continuing_education_rate", organisations.rate),
      line("volunteer_hours", totals.volunteerHours),
      line("monthly_report", reportsDue > 0 ? round(reportsSent / reportsDue) : null),
    ],
    totals,
    halfFigures,
    months,
    sites: slices.sites,
    categories: slices.categories,
    organisations,
    volunteerHours: { half: halfFigures.volunteerHours, year: totals.volunteerHours },
    satisfaction: { ratings: halfFigures.ratings, average: halfFigures.averageRating },
    wishes,
    reports: grid,
    reportsDue,
    reportsSent,
  };
}

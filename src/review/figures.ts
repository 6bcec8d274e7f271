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
import type { SliceFigures } from "./slices.ts";

export type { SliceFigures } from "./slices.ts";
import { groupedFigures, wholeHalf } from "./slices.ts";
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

/** /summary: today and this week at a glance, plus the courses that need attention. */
import type { Db } from "../db/connection.ts";
import { startOfLocalDay, startOfLocalWeek } from "../time.ts";
import type { CourseFill, PeriodFigures } from "./period.ts";
import { courseFill, longWaitlists, periodFigures, underHalf } from "./period.ts";

export interface Summary {
  /** The sites the figures are about; undefined for the whole district. */
  siteIds?: number[];
  /** This week over the whole district, for comparison when the figures are a site's. */
  districtWeek?: PeriodFigures;
  today: PeriodFigures;
  week: PeriodFigures;
  /** Waitlisted now, over all courses. */
  waitlisted: number;
  fill: CourseFill[];
  underHalf: CourseFill[];
  longWaitlists: CourseFill[];
}

/**
 * Today (local midnight to now) and this week (Monday to now), with fill and waitlists now.
 * With `siteIds` (staff of some sites), the figures are those sites', and the district's week
 * comes along for comparison.
 */
export function computeSummary(db: Db, now: Date, timezone: string, siteIds?: readonly number[]): Summary {
  const dayStart = startOfLocalDay(now, timezone);
  const weekStart = startOfLocalWeek(now, timezone);
  const mine = (siteId: number) => siteIds === undefined || siteIds.includes(siteId);
  const fill = courseFill(db, weekStart).filter((c) => mine(c.siteId));
  const waitlisted = (
    db
      .prepare(
        "SELECT c.site_id AS siteId, COUNT(*) AS n FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.status = 'waitlisted' GROUP BY c.site_id",
      )
      .all() as { siteId: number; n: number }[]
  )
    .filter((r) => mine(r.siteId))
    .reduce((sum, r) => sum + r.n, 0);
  const until = new Date(now.getTime() + 1);
  const scope =
    siteIds === undefined
      ? {}
      : { siteIds: [...siteIds], districtWeek: periodFigures(db, weekStart, until, now) };
  return {
    ...scope,
    today: periodFigures(db, dayStart, until, now, siteIds),
    week: periodFigures(db, weekStart, until, now, siteIds),
    waitlisted,
    fill,
    underHalf: underHalf(fill),
    longWaitlists: longWaitlists(fill).sort((a, b) => b.waitlist - a.waitlist),
  };
}

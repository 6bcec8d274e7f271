/** /summary: today and this week at a glance, plus the courses that need attention. */
import type { Db } from "../db/connection.ts";
import { startOfLocalDay, startOfLocalWeek } from "../time.ts";
import type { CourseFill, PeriodFigures } from "./period.ts";
import { courseFill, longWaitlists, periodFigures, underHalf } from "./period.ts";

export interface Summary {
  today: PeriodFigures;
  week: PeriodFigures;
  /** Waitlisted now, over all courses. */
  waitlisted: number;
  fill: CourseFill[];
  underHalf: CourseFill[];
  longWaitlists: CourseFill[];
}

/** Today (local midnight to now) and this week (Monday to now), with fill and waitlists now. */
export function computeSummary(db: Db, now: Date, timezone: string): Summary {
  const dayStart = startOfLocalDay(now, timezone);
  const weekStart = startOfLocalWeek(now, timezone);
  const fill = courseFill(db, weekStart);
  const waitlisted = db
    .prepare("SELECT COUNT(*) FROM enrolments WHERE status = 'waitlisted'")
    .pluck()
    .get() as number;
  return {
    today: periodFigures(db, dayStart, new Date(now.getTime() + 1), now),
    week: periodFigures(db, weekStart, new Date(now.getTime() + 1), now),
    waitlisted,
    fill,
    underHalf: underHalf(fill),
    longWaitlists: longWaitlists(fill).sort((a, b) => b.waitlist - a.waitlist),
  };
}

/** Scenario 8: the monthly report drafts (figures per course and category) of every site, for the month before DISTRICT_NOW. */
import type { Db } from "../../src/db/connection.ts";
import { byCategory, draftCoursesBySite } from "../../src/report-cycle/draft.ts";
import { previousMonth } from "../../src/report-cycle/cycle.ts";
import { monthRange } from "../../src/reports/monthly.ts";
import { localDate } from "../../src/time.ts";
import { DISTRICT_NOW, TIMEZONE } from "../district.ts";
import { median, round } from "./common.ts";

export interface MonthlyDraftsResult {
  ms: number;
  sites: number;
  courses: number;
}

/** Median of `repeat` runs over all sites, all sites in one pass. */
export function monthlyDrafts(db: Db, repeat = 5): MonthlyDraftsResult {
  const month = previousMonth(localDate(new Date(DISTRICT_NOW), TIMEZONE).slice(0, 7));
  const range = monthRange(month, TIMEZONE)!;
  const sites = db.prepare("SELECT id FROM sites ORDER BY id").pluck().all() as number[];
  const times: number[] = [];
  let courses = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    courses = 0;
    const bySite = draftCoursesBySite(db, range.from, range.to);
    for (const s of sites) {
      const list = bySite.get(s) ?? [];
      byCategory(list);
      courses += list.length;
    }
    times.push(performance.now() - t0);
  }
  return { ms: round(median(times)), sites: sites.length, courses };
}

/**
 * The working-day calendar (data/workdays.yaml): Chinese public holidays and the weekend days
 * worked in exchange. The monthly report falls due on the first working day of a month and is
 * late after the fifth, so both depend on it.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { addDays, weekdayOf } from "../time.ts";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, "is not a real date");

const yearSchema = z.strictObject({
  confirmed: z.boolean(),
  source: z.string().default(""),
  holidays: z.array(z.strictObject({ name: z.string().min(1), from: isoDate, to: isoDate })).default([]),
  workdays: z.array(isoDate).default([]),
});

const fileSchema = z.strictObject({ years: z.record(z.string().regex(/^\d{4}$/), yearSchema) });

/** A loaded calendar: which dates are holidays and which weekend days are worked. */
export interface WorkdayCalendar {
  holidays: Map<string, string>;
  workdays: Set<string>;
  /** Years listed, and whether each is the published arrangement. */
  years: Map<number, { confirmed: boolean; source: string }>;
}

export class WorkdaysError extends Error {}

/**
 * Checks and indexes a calendar: dates inside their year, ranges in order, adjusted working
 * days on a weekend and not also a holiday. Throws WorkdaysError naming every problem.
 */
export function parseWorkdays(input: unknown): WorkdayCalendar {
  const parsed = fileSchema.safeParse(input);
  if (!parsed.success)
    throw new WorkdaysError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const problems: string[] = [];
  const holidays = new Map<string, string>();
  const workdays = new Set<string>();
  const years = new Map<number, { confirmed: boolean; source: string }>();
  for (const [year, y] of Object.entries(parsed.data.years)) {
    years.set(Number(year), { confirmed: y.confirmed, source: y.source });
    for (const h of y.holidays) {
      if (!h.from.startsWith(year) || !h.to.startsWith(year))
        problems.push(`${year} ${h.name}: not in ${year}`);
      if (h.to < h.from) problems.push(`${year} ${h.name}: ends before it begins`);
      for (let d = h.from; d <= h.to && d.startsWith(year); d = addDays(d, 1)) holidays.set(d, h.name);
    }
    for (const w of y.workdays) {
      if (!w.startsWith(year)) problems.push(`${year} workday ${w}: not in ${year}`);
      if (weekdayOf(w) < 5) problems.push(`${year} workday ${w}: already a weekday`);
      workdays.add(w);
    }
  }
  for (const w of workdays) if (holidays.has(w)) problems.push(`${w}: both a holiday and a working day`);
  if (problems.length > 0) throw new WorkdaysError(problems.join("; "));
  return { holidays, workdays, years };
}

/** Reads and checks the calendar file. */
export function loadWorkdays(path: string): WorkdayCalendar {
  return parseWorkdays(parse(readFileSync(path, "utf8")));
}

/** Whether a local date (YYYY-MM-DD) is a working day. */
export function isWorkingDay(cal: WorkdayCalendar, date: string): boolean {
  if (cal.holidays.has(date)) return false;
  if (cal.workdays.has(date)) return true;
  return weekdayOf(date) < 5;
}

/** The n-th working day (1-based) of a month `YYYY-MM`. */
export function nthWorkingDay(cal: WorkdayCalendar, month: string, n: number): string {
  let d = `${month}-01`;
  let count = 0;
  for (;;) {
    if (isWorkingDay(cal, d)) count++;
    if (count === n) return d;
    d = addDays(d, 1);
  }
}

/**
 * Turns a course's schedule, written in the school's local time, into sessions in UTC.
 * Pure: no database, no clock. Local dates are `YYYY-MM-DD`, times `HH:MM` (24-hour).
 */
import { addDays, weekdayOf, zonedTimeToUtc } from "../time.ts";
import type { Weekday } from "./codes.ts";
import { WEEKDAYS } from "./codes.ts";

/** A term of weekly sessions: every listed weekday from `start` for `weeks` weeks, minus `skip` dates. */
export interface WeeklySchedule {
  start: string;
  weeks: number;
  weekdays: Weekday[];
  time: string;
  duration_minutes: number;
  /** Dates without a session (public holidays), local. */
  skip?: string[] | undefined;
}

/** One-off dates, for lectures and events. */
export interface DatedSchedule {
  dates: Array<{ date: string; time: string; duration_minutes: number }>;
}

export type Schedule = WeeklySchedule | DatedSchedule;

/** A session as the school sees it: local date, local time, length. */
export interface LocalSlot {
  date: string;
  time: string;
  durationMinutes: number;
}

/** A session ready for the database: seq 1..N in time order, UTC ISO strings. */
export interface PlannedSession {
  seq: number;
  startsAt: string;
  endsAt: string;
  localDate: string;
  localTime: string;
}

/** More than this many sessions in one course is almost certainly a typo in `weeks`. */
export const MAX_SESSIONS_PER_COURSE = 400;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a real calendar date written `YYYY-MM-DD` (so 2026-02-30 is false). */
export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}

/** True for a 24-hour `HH:MM` time, 00:00 to 23:59. */
export function isValidTime(value: string): boolean {
  return TIME_RE.test(value);
}

/**
 * Splits a local `YYYY-MM-DD HH:MM` (a `T` is accepted too) into date and time, or null when
 * it is not a valid local date-time.
 */
export function parseLocalDateTime(value: string): { date: string; time: string } | null {
  const m = /^(\S+)[ T](\S+)$/.exec(value.trim());
  if (!m || !isValidDate(m[1]!) || !isValidTime(m[2]!)) return null;
  return { date: m[1]!, time: m[2]! };
}

/** The UTC instant of a local `YYYY-MM-DD HH:MM` in `timezone`; throws on a malformed value. */
export function localDateTimeToUtc(value: string, timezone: string): Date {
  const parsed = parseLocalDateTime(value);
  if (!parsed) throw new Error(`not a local date-time (YYYY-MM-DD HH:MM): ${value}`);
  return zonedTimeToUtc(parsed.date, parsed.time, timezone);
}

/** True for a weekly term, false for a list of dates. */
export function isWeekly(schedule: Schedule): schedule is WeeklySchedule {
  return !("dates" in schedule);
}

/**
 * The local slots of a schedule, in date and time order. A weekly term covers the days from
 * `start` up to (not including) `start + 7 * weeks`, so a term starting on a Thursday with
 * Mondays and Thursdays has its first Monday in the second week.
 */
export function expandSchedule(schedule: Schedule): LocalSlot[] {
  const slots: LocalSlot[] = [];
  if (isWeekly(schedule)) {
    const days = new Set(schedule.weekdays.map((w) => WEEKDAYS.indexOf(w)));
    const skip = new Set(schedule.skip ?? []);
    for (let i = 0; i < schedule.weeks * 7; i++) {
      const date = addDays(schedule.start, i);
      if (days.has(weekdayOf(date)) && !skip.has(date)) {
        slots.push({ date, time: schedule.time, durationMinutes: schedule.duration_minutes });
      }
    }
  } else {
    for (const d of schedule.dates)
      slots.push({ date: d.date, time: d.time, durationMinutes: d.duration_minutes });
    slots.sort((a, b) =>
      a.date + a.time < b.date + b.time ? -1 : a.date + a.time > b.date + b.time ? 1 : 0,
    );
  }
  return slots;
}

/**
 * The sessions of a schedule in UTC. The wall-clock time stays the same across a DST change
 * (a 09:00 class is at 09:00 in summer and in winter), which is what the people in the room expect.
 * The length is real elapsed minutes, so a session spanning a change ends at the right instant.
 */
export function planSessions(schedule: Schedule, timezone: string): PlannedSession[] {
  const timed = expandSchedule(schedule).map((slot) => {
    const start = zonedTimeToUtc(slot.date, slot.time, timezone);
    return { slot, start: start.getTime(), end: start.getTime() + slot.durationMinutes * 60_000 };
  });
  // Local order and UTC order only differ inside a DST overlap; UTC order is the one that matters.
  timed.sort((a, b) => a.start - b.start);
  return timed.map((t, i) => ({
    seq: i + 1,
    startsAt: new Date(t.start).toISOString(),
    endsAt: new Date(t.end).toISOString(),
    localDate: t.slot.date,
    localTime: t.slot.time,
  }));
}

/**
 * A weekly term as staff type it in chat, "2026-12-07 mon,thu 09:00 90 10": start date,
 * weekdays, time, minutes, weeks. Null when any part is not a real date, time or weekday.
 */
export function parseWeekly(text: string): WeeklySchedule | null {
  const m = /^(\S+)\s+([a-z,]+)\s+(\d{2}:\d{2})\s+(\d{1,4})\s+(\d{1,3})$/i.exec(text.trim());
  if (!m) return null;
  const days = m[2]!.toLowerCase().split(",").filter(Boolean);
  if (
    !isValidDate(m[1]!) ||
    !isValidTime(m[3]!) ||
    days.some((d) => !(WEEKDAYS as readonly string[]).includes(d))
  )
    return null;
  const minutes = Number(m[4]);
  const weeks = Number(m[5]);
  if (minutes < 1 || minutes > 1439 || weeks < 1 || weeks > 52) return null;
  return {
    start: m[1]!,
    weekdays: [...new Set(days)] as Weekday[],
    time: m[3]!,
    duration_minutes: minutes,
    weeks,
  };
}

/**
 * Time-zone arithmetic with nothing but Intl: times are stored in UTC, and the school's
 * zone is applied only when a person reads or types a time.
 */

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Monday … 6 = Sunday
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    partsFormatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The wall-clock reading of `instant` in `tz`. */
export function localParts(instant: Date, tz: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of partsFormatter(tz).formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS.indexOf(out.weekday ?? ""),
  };
}

/** Offset of `tz` from UTC at `instant`, in minutes (Asia/Shanghai: +480). */
export function zoneOffsetMinutes(instant: Date, tz: string): number {
  const p = localParts(instant, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the wall clock in `tz` reads the given local date and time.
 * In a spring-forward gap the time is moved forward by the gap (02:30 → 03:30 in Berlin);
 * in an autumn overlap the earlier of the two instants is taken.
 */
export function zonedTimeToUtc(date: string, time: string, tz: string): Date {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi] = time.split(":").map(Number) as [number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  // The offsets a day either side bracket any transition on this date.
  const candidates = [-1, 1].map(
    (side) => naive - zoneOffsetMinutes(new Date(naive + side * 86_400_000), tz) * 60_000,
  );
  const valid = candidates.filter((c) => {
    const p = localParts(new Date(c), tz);
    return p.hour === h && p.minute === mi;
  });
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...candidates));
}

/** `YYYY-MM-DD` of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  const p = localParts(instant, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Adds whole calendar days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Monday (0) … Sunday (6) of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The instant local midnight starts the week (Monday) containing `instant`, in `tz`. */
export function startOfLocalWeek(instant: Date, tz: string): Date {
  const today = localDate(instant, tz);
  return zonedTimeToUtc(addDays(today, -weekdayOf(today)), "00:00", tz);
}

/** The instant local midnight starts the day containing `instant`, in `tz`. */
export function startOfLocalDay(instant: Date, tz: string): Date {
  return zonedTimeToUtc(localDate(instant, tz), "00:00", tz);
}

/** Time of day slot used for browsing and volunteer availability: 0 morning, 1 afternoon, 2 evening. */
export function daySlot(hour: number): 0 | 1 | 2 {
  if (hour < 12) return 0;
  if (hour < 18) return 1;
  return 2;
}

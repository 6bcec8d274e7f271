import type { Locale } from "./index.ts";

type Style = "datetime" | "date" | "time" | "weekday" | "month";

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, tz: string, style: Style): Intl.DateTimeFormat {
  const key = `${locale}|${tz}|${style}`;
  let f = cache.get(key);
  if (!f) {
    const tag = locale === "zh" ? "zh-CN" : "en-GB";
    const options: Intl.DateTimeFormatOptions =
      style === "datetime"
        ? {
            month: "short",
            day: "numeric",
            weekday: "short",
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
          }
        : style === "date"
          ? { year: "numeric", month: "short", day: "numeric", weekday: "short" }
          : style === "time"
            ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
            : style === "weekday"
              ? { weekday: "long" }
              : { month: "short" };
    f = new Intl.DateTimeFormat(tag, { ...options, timeZone: tz });
    cache.set(key, f);
  }
  return f;
}

/**
 * Formatted instants, kept: a list or a reply shows the same session times again and again, and
 * Intl's formatting costs some 10 µs a call. Bounded; emptied when full.
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 5_000;

function format(style: Style, at: Date | string, locale: Locale, tz: string): string {
  const ms = typeof at === "string" ? Date.parse(at) : at.getTime();
  const key = `${style}|${locale}|${tz}|${ms}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatter(locale, tz, style).format(ms);
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** "3月2日周一 09:00" / "Mon 2 Mar, 09:00", in the school's time zone. */
export function formatDateTime(at: Date | string, locale: Locale, tz: string): string {
  return format("datetime", at, locale, tz);
}

/** "2026年3月2日周一" / "Mon, 2 Mar 2026". */
export function formatDate(at: Date | string, locale: Locale, tz: string): string {
  return format("date", at, locale, tz);
}

/** "09:00". */
export function formatTime(at: Date | string, locale: Locale, tz: string): string {
  return format("time", at, locale, tz);
}

/** "星期一" / "Monday". */
export function formatWeekday(at: Date | string, locale: Locale, tz: string): string {
  return format("weekday", at, locale, tz);
}

/** Fee in yuan from cents; 0 is "free" and left to the caller's wording. */
export function formatFee(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "zh" ? "zh-CN" : "en-GB", {
    style: "currency",
    currency: "CNY",
  }).format(cents / 100);
}

/** "3月" / "Mar", for a `YYYY-MM` month (a chart's axis). */
export function formatMonth(month: string, locale: Locale): string {
  return formatter(locale, "UTC", "month").format(new Date(`${month}-15T00:00:00.000Z`));
}

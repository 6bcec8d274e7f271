/**
 * What a poster says, in Chinese and English, read from the same catalog views as the bot's card
 * (seats left are the bot's numbers). Layout and drawing are elsewhere: this is words only.
 */
import type { i18n as I18n, TFunction } from "i18next";
import { WEEKDAYS } from "../catalog/codes.ts";
import type { Bilingual, CourseView } from "../catalog/queries.ts";
import { compareForList, findCourses, getCourseView, weeklyPattern } from "../catalog/queries.ts";
import type { Db } from "../db/connection.ts";
import { formatDate, formatFee } from "../i18n/format.ts";
import type { Locale } from "../i18n/index.ts";
import { cutText } from "../text.ts";
import { coursePayload, deepLink, startPayload } from "./links.ts";

/** A line in both languages; either may be empty. */
export interface Pair {
  zh: string;
  en: string;
}

export interface CoursePoster {
  kind: "course";
  school: Pair;
  title: Pair;
  description: Pair;
  facts: Array<{ label: Pair; value: Pair }>;
  scan: Pair;
  link: string;
}

export interface SitePoster {
  kind: "site";
  school: Pair;
  title: Pair;
  address: Pair;
  courses: Array<{ title: Pair; when: Pair; seats: Pair }>;
  /** "3 more courses", when the site has more than fit. */
  more: Pair | undefined;
  scan: Pair;
  link: string;
}

export type Poster = CoursePoster | SitePoster;

/** A site poster lists at most this many courses; the QR leads to the rest. */
export const SITE_POSTER_MAX = 12;

interface Env {
  db: Db;
  i18n: I18n;
  botUsername: string;
  now: Date;
  timezone: string;
}

const LOCALES: readonly Locale[] = ["zh", "en"];

/** Plain text (posters are not HTML): i18next's escaping is for chat messages. */
function plain(t: TFunction, key: string, vars: Record<string, unknown> = {}): string {
  return t(key, { ...vars, interpolation: { escapeValue: false } }) as string;
}

function both(env: Env, build: (t: TFunction, locale: Locale) => string): Pair {
  const [zh, en] = LOCALES.map((l) => build(env.i18n.getFixedT(l), l));
  return { zh: zh ?? "", en: en ?? "" };
}

const text = (b: Bilingual): Pair => ({ zh: b.zh || b.en, en: b.en || b.zh });

function audience(t: TFunction, view: CourseView): string {
  const names = view.audiences.map((a) => plain(t, `codes:audience.${a}`, { defaultValue: a }));
  const { minAge: min, maxAge: max } = view;
  const ages =
    min !== null && max !== null
      ? plain(t, "courses:card.ageRange", { min, max })
      : min !== null
        ? plain(t, "courses:card.ageMin", { min })
        : max !== null
          ? plain(t, "courses:card.ageMax", { max })
          : "";
  const who = names.join(plain(t, "common:listSep"));
  if (who && ages) return who + plain(t, "courses:card.ages", { ages });
  return who || ages || plain(t, "publicity:poster.everyone");
}

function weekly(env: Env, t: TFunction, view: CourseView): string {
  const pattern = weeklyPattern(env.db, view.id, env.now, env.timezone);
  if (view.kind !== "course" || pattern.length === 0 || pattern.length > 7) return "";
  const byTime = new Map<string, number[]>();
  for (const p of pattern) byTime.set(p.time, [...(byTime.get(p.time) ?? []), p.weekday]);
  return [...byTime.entries()]
    .map(([time, days]) =>
      plain(t, "publicity:poster.weekly", {
        days: days
          .map((d) => plain(t, `codes:weekday.${WEEKDAYS[d] ?? "mon"}`))
          .join(plain(t, "courses:card.weekdayJoin")),
        time,
      }),
    )
    .join("; ");
}

function dates(env: Env, t: TFunction, locale: Locale, view: CourseView): string {
  const a = view.availability;
  const first = a.nextSessionAt ?? a.firstSessionAt;
  if (!first) return "";
  const last = a.lastSessionAt;
  const f = formatDate(first, locale, env.timezone);
  if (!last || last === first) return plain(t, "publicity:poster.oneDate", { date: f });
  return plain(t, "publicity:poster.dateRange", { first: f, last: formatDate(last, locale, env.timezone) });
}

function seats(t: TFunction, view: CourseView): string {
  const a = view.availability;
  if (a.state === "full") return plain(t, "publicity:poster.full");
  if (a.state === "open" || a.state === "starting_soon") {
    return plain(t, "publicity:poster.seatsLeft", { free: a.free, capacity: a.capacity });
  }
  return plain(t, "publicity:poster.closed");
}

function place(view: CourseView): Pair {
  const site = text(view.site.name);
  if (!view.venue) return site;
  const venue = text(view.venue.name);
  return { zh: `${site.zh} · ${venue.zh}`, en: `${site.en} · ${venue.en}` };
}

/**
 * The words of a course, lecture or event poster; undefined for a draft or a course that does
 * not exist. The QR's link opens the card in the bot and counts the arrival as "poster".
 */
export function coursePoster(env: Env, courseId: number): CoursePoster | undefined {
  const view = getCourseView(env.db, courseId, env.now);
  if (!view || view.status === "draft") return undefined;
  const label = (key: string) => both(env, (t) => plain(t, `publicity:poster.${key}`));
  const address = text(
    view.venue && (view.venue.address.zh || view.venue.address.en) ? view.venue.address : view.site.address,
  );
  const facts: CoursePoster["facts"] = [
    { label: label("for"), value: both(env, (t) => audience(t, view)) },
    { label: label("when"), value: both(env, (t) => weekly(env, t, view)) },
    { label: label("dates"), value: both(env, (t, l) => dates(env, t, l, view)) },
    { label: label("where"), value: place(view) },
    { label: label("address"), value: address },
    {
      label: label("fee"),
      value: both(env, (t, l) =>
        view.feeCents === 0 ? plain(t, "publicity:poster.free") : formatFee(view.feeCents, l),
      ),
    },
    { label: label("seats"), value: both(env, (t) => seats(t, view)) },
  ].filter((f) => f.value.zh || f.value.en);
  const description = text(view.description);
  return {
    kind: "course",
    school: label("school"),
    title: text(view.title),
    description: { zh: cutText(description.zh, 90), en: cutText(description.en, 180) },
    facts,
    scan: label("scan"),
    link: deepLink(env.botUsername, coursePayload(view, "poster")),
  };
}

/** The site's courses a poster or a link lists: open to look at, joinable first. */
export function siteCourses(db: Db, siteId: number, now: Date, timezone: string): CourseView[] {
  return findCourses(db, { siteId }, now, timezone)
    .filter((c) => c.status === "open")
    .sort(compareForList);
}

/** The words of "this term at <site>": up to 12 courses, one QR to the site's list. */
export function sitePoster(env: Env, siteId: number): SitePoster | undefined {
  const site = env.db
    .prepare("SELECT code, name_zh, name_en, address_zh, address_en FROM sites WHERE id = ?")
    .get(siteId) as
    | { code: string; name_zh: string; name_en: string; address_zh: string; address_en: string }
    | undefined;
  if (!site) return undefined;
  const all = siteCourses(env.db, siteId, env.now, env.timezone);
  const shown = all.slice(0, SITE_POSTER_MAX);
  const name = { zh: site.name_zh || site.name_en, en: site.name_en || site.name_zh };
  return {
    kind: "site",
    school: both(env, (t) => plain(t, "publicity:poster.school")),
    title: both(env, (t, l) => plain(t, "publicity:poster.siteTitle", { site: name[l] })),
    address: text({ zh: site.address_zh, en: site.address_en }),
    courses: shown.map((view) => ({
      title: text(view.title),
      when: both(env, (t, l) => {
        const w = weekly(env, t, view);
        const d = dates(env, t, l, view);
        return [w, d].filter(Boolean).join(" · ");
      }),
      seats: both(env, (t) => seats(t, view)),
    })),
    more:
      all.length > shown.length
        ? both(env, (t) => plain(t, "publicity:poster.siteMore", { n: all.length - shown.length }))
        : shown.length === 0
          ? both(env, (t) => plain(t, "publicity:poster.siteEmpty"))
          : undefined,
    scan: both(env, (t) => plain(t, "publicity:poster.siteScan")),
    link: deepLink(env.botUsername, startPayload({ kind: "site", code: site.code }, "poster")),
  };
}

/** What a code names: a course (or event) or a site. Courses win; codes are unique per table. */
export function findPosterTarget(
  db: Db,
  code: string,
): { kind: "course"; id: number; siteId: number } | { kind: "site"; id: number } | undefined {
  const course = db
    .prepare("SELECT id, site_id FROM courses WHERE code = ? AND status <> 'draft'")
    .get(code) as { id: number; site_id: number } | undefined;
  if (course) return { kind: "course", id: course.id, siteId: course.site_id };
  const site = db.prepare("SELECT id FROM sites WHERE code = ?").get(code) as { id: number } | undefined;
  return site ? { kind: "site", id: site.id } : undefined;
}

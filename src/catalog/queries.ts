/**
 * Read-only views of the catalog for browsing, search and the course card. Filtering and
 * joining happen in SQL; weekdays and times of day are taken in the school's time zone through
 * two SQL functions registered on the connection (sessions are stored in UTC).
 */
import type { Db } from "../db/connection.ts";
import { daySlot, localParts } from "../time.ts";
import type { Availability, AvailabilityRow, CourseState } from "./availability.ts";
import { AVAILABILITY_COLUMNS, availabilityFromRow } from "./availability.ts";
import type { Audience } from "./codes.ts";
import type { Bilingual } from "../i18n/bilingual.ts";

export type { Bilingual };

/** Everything a list line or a course card shows about one course. */
export interface CourseView {
  id: number;
  code: string;
  kind: "course" | "lecture" | "event";
  /** courses.status: draft, open, closed or cancelled (the resident-facing state is availability.state). */
  status: string;
  category: string;
  title: Bilingual;
  description: Bilingual;
  audiences: string[];
  keywords: string;
  minAge: number | null;
  maxAge: number | null;
  feeCents: number;
  teacherName: string;
  healthRelated: boolean;
  /** When enrolment opens and closes (UTC ISO), if the course limits it. */
  enrolOpensAt: string | null;
  enrolClosesAt: string | null;
  site: { id: number; name: Bilingual; address: Bilingual };
  venue: { name: Bilingual; address: Bilingual } | null;
  availability: Availability;
}

/** Audience groups offered for browsing: "for my child" covers pre-school and school children. */
export const AUDIENCE_GROUPS: Record<string, readonly Audience[]> = {
  children: ["preschool", "pupils"],
  seniors: ["seniors"],
  parents_to_be: ["parents_to_be"],
  parents: ["parents"],
  job_seekers: ["job_seekers"],
  adults: ["adults"],
  migrants: ["migrants"],
  women: ["women"],
  special_needs: ["special_needs"],
};

/** What a browse list is narrowed by; every field optional. weekday 0 = Monday, local. */
export interface CourseFilter {
  category?: string;
  audiences?: readonly string[];
  weekday?: number;
  slot?: 0 | 1 | 2;
  siteId?: number;
  /** Lectures and events only, upcoming, in date order. */
  eventsOnly?: boolean;
  ids?: readonly number[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}

export const PAGE_SIZE = 6;

/** Sort rank of a state in lists: what one can still join first. */
export const STATE_RANK: Record<CourseState, number> = {
  open: 0,
  starting_soon: 0,
  full: 1,
  closed: 2,
  finished: 3,
  cancelled: 4,
};

const registered = new WeakSet<Db>();

/** Registers lifelong_weekday(iso, tz) and lifelong_slot(iso, tz) on this connection, once. */
export function ensureTimeFunctions(db: Db): void {
  if (registered.has(db)) return;
  db.function(
    "lifelong_weekday",
    { deterministic: true },
    (iso: unknown, tz: unknown) => localParts(new Date(String(iso)), String(tz)).weekday,
  );
  db.function("lifelong_slot", { deterministic: true }, (iso: unknown, tz: unknown) =>
    daySlot(localParts(new Date(String(iso)), String(tz)).hour),
  );
  registered.add(db);
}

const VIEW_COLUMNS = `${AVAILABILITY_COLUMNS},
  c.code, c.kind, c.category, c.title_zh, c.title_en, c.description_zh, c.description_en,
  c.audiences, c.keywords, c.min_age, c.max_age, c.fee_cents, c.teacher_name, c.health_related,
  c.site_id, st.name_zh AS site_name_zh, st.name_en AS site_name_en,
  st.address_zh AS site_address_zh, st.address_en AS site_address_en,
  v.id AS venue_id, v.name_zh AS venue_name_zh, v.name_en AS venue_name_en,
  v.address_zh AS venue_address_zh, v.address_en AS venue_address_en`;

const VIEW_FROM = `FROM courses c JOIN sites st ON st.id = c.site_id LEFT JOIN venues v ON v.id = c.venue_id`;

interface ViewRow extends AvailabilityRow {
  code: string;
  kind: CourseView["kind"];
  category: string;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  audiences: string;
  keywords: string;
  min_age: number | null;
  max_age: number | null;
  fee_cents: number;
  teacher_name: string;
  health_related: number;
  site_id: number;
  site_name_zh: string;
  site_name_en: string;
  site_address_zh: string;
  site_address_en: string;
  venue_id: number | null;
  venue_name_zh: string | null;
  venue_name_en: string | null;
  venue_address_zh: string | null;
  venue_address_en: string | null;
}

function parseAudiences(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((a): a is string => typeof a === "string") : [];
  } catch {
    return [];
  }
}

function toView(row: ViewRow, now: Date): CourseView {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    status: row.status,
    category: row.category,
    title: { zh: row.title_zh, en: row.title_en },
    description: { zh: row.description_zh, en: row.description_en },
    audiences: parseAudiences(row.audiences),
    keywords: row.keywords,
    minAge: row.min_age,
    maxAge: row.max_age,
    feeCents: row.fee_cents,
    teacherName: row.teacher_name,
    healthRelated: row.health_related === 1,
    enrolOpensAt: row.enrol_opens_at,
    enrolClosesAt: row.enrol_closes_at,
    site: {
      id: row.site_id,
      name: { zh: row.site_name_zh, en: row.site_name_en },
      address: { zh: row.site_address_zh, en: row.site_address_en },
    },
    venue:
      row.venue_id === null
        ? null
        : {
            name: { zh: row.venue_name_zh ?? "", en: row.venue_name_en ?? "" },
            address: { zh: row.venue_address_zh ?? "", en: row.venue_address_en ?? "" },
          },
    availability: availabilityFromRow(row, now),
  };
}

/** One course with its site, venue and availability; undefined when there is no such course. */
export function getCourseView(db: Db, courseId: number, now: Date): CourseView | undefined {
  const row = db.prepare(`SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE c.id = :id`).get({
    id: courseId,
    now: now.toISOString(),
  }) as ViewRow | undefined;
  return row ? toView(row, now) : undefined;
}

/**
 * Every course a resident may look at (not draft, not cancelled) that passes `filter`, with
 * availability. Finished courses are left out unless asked for.
 */
export function findCourses(
  db: Db,
  filter: CourseFilter,
  now: Date,
  tz: string,
  options: { includeFinished?: boolean } = {},
): CourseView[] {
  ensureTimeFunctions(db);
  const where = ["c.status NOT IN ('draft', 'cancelled')"];
  const params: Record<string, unknown> = { now: now.toISOString(), tz };
  if (filter.category !== undefined) {
    where.push("c.category = :category");
    params.category = filter.category;
  }
  if (filter.audiences !== undefined) {
    where.push(
      "EXISTS (SELECT 1 FROM json_each(c.audiences) j WHERE j.value IN (SELECT value FROM json_each(:aud)))",
    );
    params.aud = JSON.stringify(filter.audiences);
  }
  if (filter.siteId !== undefined) {
    where.push("c.site_id = :site");
    params.site = filter.siteId;
  }
  if (filter.ids !== undefined) {
    where.push("c.id IN (SELECT value FROM json_each(:ids))");
    params.ids = JSON.stringify(filter.ids);
  }
  if (filter.eventsOnly) where.push("c.kind IN ('lecture', 'event')");
  if (filter.weekday !== undefined || filter.slot !== undefined) {
    const conds = ["s.course_id = c.id", "s.status = 'scheduled'", "s.starts_at > :now"];
    if (filter.weekday !== undefined) {
      conds.push("lifelong_weekday(s.starts_at, :tz) = :weekday");
      params.weekday = filter.weekday;
    }
    if (filter.slot !== undefined) {
      conds.push("lifelong_slot(s.starts_at, :tz) = :slot");
      params.slot = filter.slot;
    }
    where.push(`EXISTS (SELECT 1 FROM sessions s WHERE ${conds.join(" AND ")})`);
  }
  const rows = db
    .prepare(`SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE ${where.join(" AND ")}`)
    .all(params) as ViewRow[];
  return rows
    .map((r) => toView(r, now))
    .filter((v) => options.includeFinished || v.availability.state !== "finished");
}

/** Orders courses for a list: joinable first, then by next session, then by title. */
export function compareForList(a: CourseView, b: CourseView): number {
  return (
    STATE_RANK[a.availability.state] - STATE_RANK[b.availability.state] ||
    (a.availability.nextSessionAt ?? "~").localeCompare(b.availability.nextSessionAt ?? "~") ||
    a.title.en.localeCompare(b.title.en) ||
    a.id - b.id
  );
}

/** Cuts a sorted list into pages; a page past the end gives the last page. */
export function paginate<T>(all: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return { items: all.slice(p * size, p * size + size), total: all.length, page: p, pages };
}

/**
 * One page of a browse list. Lectures and events come in date order; everything else puts
 * what one can still join first.
 */
export function listCourses(db: Db, filter: CourseFilter, now: Date, tz: string, page = 0): Page<CourseView> {
  const all = findCourses(db, filter, now, tz);
  all.sort(
    filter.eventsOnly
      ? (a, b) =>
          (a.availability.nextSessionAt ?? "~").localeCompare(b.availability.nextSessionAt ?? "~") ||
          a.id - b.id
      : compareForList,
  );
  return paginate(all, page);
}

/** The distinct local weekday and time pairs of a course's upcoming sessions, Monday first. */
export function weeklyPattern(
  db: Db,
  courseId: number,
  now: Date,
  tz: string,
): Array<{ weekday: number; time: string; slot: 0 | 1 | 2 }> {
  const rows = db
    .prepare(
      `SELECT starts_at FROM sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at > ?
       ORDER BY starts_at LIMIT 60`,
    )
    .all(courseId, now.toISOString()) as Array<{ starts_at: string }>;
  const seen = new Map<string, { weekday: number; time: string; slot: 0 | 1 | 2 }>();
  for (const r of rows) {
    const p = localParts(new Date(r.starts_at), tz);
    const time = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
    seen.set(`${p.weekday}|${time}`, { weekday: p.weekday, time, slot: daySlot(p.hour) });
  }
  return [...seen.values()].sort((a, b) => a.weekday - b.weekday || a.time.localeCompare(b.time));
}

/** Local weekdays and day slots of every course's upcoming sessions, for search. */
export function upcomingSlots(
  db: Db,
  now: Date,
  tz: string,
): Map<number, Array<{ weekday: number; slot: number }>> {
  ensureTimeFunctions(db);
  const rows = db
    .prepare(
      `SELECT DISTINCT course_id, lifelong_weekday(starts_at, :tz) AS weekday, lifelong_slot(starts_at, :tz) AS slot
       FROM sessions WHERE status = 'scheduled' AND starts_at > :now`,
    )
    .all({ tz, now: now.toISOString() }) as Array<{ course_id: number; weekday: number; slot: number }>;
  const out = new Map<number, Array<{ weekday: number; slot: number }>>();
  for (const r of rows) {
    const list = out.get(r.course_id) ?? [];
    list.push({ weekday: r.weekday, slot: r.slot });
    out.set(r.course_id, list);
  }
  return out;
}

/** True when `value` names a browse audience group. */
export function isAudienceGroup(value: string): boolean {
  return Object.hasOwn(AUDIENCE_GROUPS, value);
}

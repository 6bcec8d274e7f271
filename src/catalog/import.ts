/**
 * Loads the staff-edited catalog into the database. The file is the source of truth for what it
 * lists; what people did in the bot (enrolments, attendance, cancelled sessions, check-in codes)
 * is never overwritten, and nothing missing from the file is deleted.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { addDays, zonedTimeToUtc } from "../time.ts";
import type { Catalog, CatalogCourse, CatalogShift } from "./catalog-schema.ts";
import { catalogProblems, loadSkills } from "./catalog-schema.ts";
import { CatalogError } from "./import-errors.ts";
import { problemLines, readStructuredFile } from "./import-file.ts";
import type { Row, SessionTally, Tally } from "./import-rows.ts";
import { freshCheckinCode, syncSessions, tally, upsertByCode } from "./import-rows.ts";
import { isValidDate, isValidTime, localDateTimeToUtc, parseLocalDateTime } from "./schedule.ts";

export type { SessionTally, Tally };
export { CatalogError };

export interface ImportOptions {
  /** The school's IANA time zone; every time in the file is local to it. */
  timezone: string;
  /** Stamps created_at/updated_at and decides which sessions are still in the future. */
  now: Date;
}

export interface ImportFileOptions extends ImportOptions {
  /**
   * skills.yaml to check shift skills against. Default: skills.yaml next to the catalog when it
   * exists; null: do not check.
   */
  skillsPath?: string | null;
}

export interface ImportResult {
  sites: Tally;
  venues: Tally;
  courses: Tally;
  shifts: Tally;
  sessions: SessionTally;
  /** Codes in the database that the file no longer lists: left alone, never deleted. */
  leftAlone: { sites: string[]; venues: string[]; courses: string[]; shifts: string[] };
  /** Things staff should look at, such as a capacity now below the seats already taken. */
  notes: string[];
}

/** A date opens at local midnight; a closing date is inclusive, so enrolment closes at the next midnight. */
function enrolmentInstant(value: string | undefined, timezone: string, closing: boolean): string | null {
  if (value === undefined) return null;
  if (isValidDate(value))
    return zonedTimeToUtc(closing ? addDays(value, 1) : value, "00:00", timezone).toISOString();
  return localDateTimeToUtc(value, timezone).toISOString();
}

function courseValues(c: CatalogCourse, siteId: number, venueId: number | null, timezone: string): Row {
  return {
    kind: c.kind,
    category: c.category,
    site_id: siteId,
    venue_id: venueId,
    title_zh: c.title.zh,
    title_en: c.title.en,
    description_zh: c.description.zh,
    description_en: c.description.en,
    audiences: JSON.stringify(c.audiences),
    keywords: c.keywords.replace(/\s+/g, " "),
    min_age: c.min_age ?? null,
    max_age: c.max_age ?? null,
    capacity: c.capacity,
    fee_cents: Math.round(c.fee * 100),
    teacher_name: c.teacher,
    health_related: c.health_related ? 1 : 0,
    needs_phone: c.needs_phone ? 1 : 0,
    enrol_opens_at: enrolmentInstant(c.enrolment?.opens, timezone, false),
    enrol_closes_at: enrolmentInstant(c.enrolment?.closes, timezone, true),
    status: c.status,
  };
}

function shiftTimes(s: CatalogShift, timezone: string): { starts_at: string; ends_at: string } {
  const start = parseLocalDateTime(s.start)!;
  const end = isValidTime(s.end) ? `${start.date} ${s.end}` : s.end;
  return {
    starts_at: zonedTimeToUtc(start.date, start.time, timezone).toISOString(),
    ends_at: localDateTimeToUtc(end, timezone).toISOString(),
  };
}

/** Codes present in `table` but absent from the file. */
function leftAlone(db: Db, table: string, inFile: readonly { code: string }[]): string[] {
  const listed = new Set(inFile.map((e) => e.code));
  return (
    db.prepare(`SELECT code FROM ${table} WHERE code IS NOT NULL ORDER BY code`).pluck().all() as string[]
  ).filter((c) => !listed.has(c));
}

/**
 * Writes a validated catalog in one IMMEDIATE transaction: sites, venues, courses and shifts are
 * upserted by code, sessions are generated from each schedule in `timezone` and matched by seq.
 * Running it twice with the same file changes nothing. Enrolments are never touched.
 */
export function importCatalog(db: Db, catalog: Catalog, opts: ImportOptions): ImportResult {
  const now = opts.now.toISOString();
  const result: ImportResult = {
    sites: tally(),
    venues: tally(),
    courses: tally(),
    shifts: tally(),
    sessions: { ...tally(), removed: 0, kept: 0 },
    leftAlone: { sites: [], venues: [], courses: [], shifts: [] },
    notes: [],
  };
  return immediate(db, () => {
    const siteIds = new Map<string, number>();
    // Parents first, so parent_id can be set in the same write; validation ruled out loops.
    let pending = [...catalog.sites];
    while (pending.length > 0) {
      const ready = pending.filter((s) => s.parent === undefined || siteIds.has(s.parent));
      if (ready.length === 0) throw new Error("site parents form a loop"); // validateCatalog prevents this
      for (const s of ready) {
        const values: Row = {
          kind: s.kind,
          parent_id: s.parent === undefined ? null : siteIds.get(s.parent)!,
          name_zh: s.name.zh,
          name_en: s.name.en,
          address_zh: s.address?.zh ?? "",
          address_en: s.address?.en ?? "",
          residents: s.residents,
        };
        siteIds.set(s.code, upsertByCode(db, "sites", s.code, values, {}, {}, result.sites));
      }
      pending = pending.filter((s) => !ready.includes(s));
    }

    const venueIds = new Map<string, number>();
    for (const v of catalog.venues) {
      const values: Row = {
        site_id: siteIds.get(v.site)!,
        name_zh: v.name.zh,
        name_en: v.name.en,
        address_zh: v.address?.zh ?? "",
        address_en: v.address?.en ?? "",
        capacity: v.capacity ?? null,
      };
      venueIds.set(v.code, upsertByCode(db, "venues", v.code, values, {}, {}, result.venues));
    }

    const courseIds = new Map<string, number>();
    const seatsTaken = db.prepare(
      "SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')",
    );
    for (const c of catalog.courses) {
      const venueId = c.venue === undefined ? null : venueIds.get(c.venue)!;
      const values = courseValues(c, siteIds.get(c.site)!, venueId, opts.timezone);
      const id = upsertByCode(
        db,
        "courses",
        c.code,
        values,
        { created_at: now, updated_at: now },
        { updated_at: now },
        result.courses,
      );
      courseIds.set(c.code, id);
      syncSessions(db, id, c.schedule, venueId, opts, result.sessions);
      const taken = seatsTaken.pluck().get(id) as number;
      if (taken > c.capacity) {
        result.notes.push(
          `${c.code}: capacity ${c.capacity} is below the ${taken} seats already taken; nobody was removed`,
        );
      }
    }

    for (const s of catalog.shifts) {
      const values: Row = {
        title_zh: s.title.zh,
        title_en: s.title.en,
        site_id: siteIds.get(s.site)!,
        venue_id: s.venue === undefined ? null : venueIds.get(s.venue)!,
        course_id: s.course === undefined ? null : courseIds.get(s.course)!,
        ...shiftTimes(s, opts.timezone),
        needed: s.needed,
        skills: JSON.stringify(s.skills),
      };
      upsertByCode(
        db,
        "shifts",
        s.code,
        values,
        { checkin_code: freshCheckinCode(db), created_at: now },
        {},
        result.shifts,
      );
    }

    result.leftAlone = {
      sites: leftAlone(db, "sites", catalog.sites),
      venues: leftAlone(db, "venues", catalog.venues),
      courses: leftAlone(db, "courses", catalog.courses),
      shifts: leftAlone(db, "shifts", catalog.shifts),
    };
    return result;
  });
}

/**
 * Reads, validates and imports a catalog file (YAML, or JSON by its extension). An invalid file
 * throws CatalogError with every problem, each with its path and line, and writes nothing.
 */
export function importCatalogFile(db: Db, path: string, opts: ImportFileOptions): ImportResult {
  const file = readStructuredFile(path);
  const skillsPath = opts.skillsPath === undefined ? join(dirname(path), "skills.yaml") : opts.skillsPath;
  const skills =
    skillsPath !== null && (opts.skillsPath !== undefined || existsSync(skillsPath))
      ? loadSkills(skillsPath).map((s) => s.code)
      : undefined;
  const { catalog, problems } = catalogProblems(file.data, { skills });
  if (!catalog) throw new CatalogError(problemLines(problems, file), path);
  return importCatalog(db, catalog, { timezone: opts.timezone, now: opts.now });
}

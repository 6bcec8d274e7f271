/**
 * Checks across entries of a catalog that a schema of one entry cannot see: references between
 * sections, duplicate codes, ranges whose two ends live in two fields. They run on the raw data,
 * guarded field by field, so that they still report when another part of the file is malformed.
 */

import type { Problem } from "./import-errors.ts";
import { suggestKey } from "./import-errors.ts";
import { isValidDate, isValidTime, parseLocalDateTime } from "./schedule.ts";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string): string | undefined =>
  typeof o[k] === "string" ? (o[k] as string) : undefined;
const num = (o: Obj, k: string): number | undefined =>
  typeof o[k] === "number" ? (o[k] as number) : undefined;

function entries(raw: Obj, section: string): Array<[number, Obj]> {
  const list = raw[section];
  if (!Array.isArray(list)) return [];
  return list.flatMap((e, i): Array<[number, Obj]> => (isObj(e) ? [[i, e]] : []));
}

/** Code → entry, reporting every code used twice in the same section. */
function indexByCode(section: string, list: Array<[number, Obj]>, problems: Problem[]): Map<string, Obj> {
  const byCode = new Map<string, Obj>();
  const firstIndex = new Map<string, number>();
  for (const [i, e] of list) {
    const code = str(e, "code");
    if (code === undefined) continue;
    const first = firstIndex.get(code);
    if (first !== undefined) {
      problems.push({
        path: [section, i, "code"],
        message: `"${code}" is already used by ${section}[${first}]`,
      });
      continue;
    }
    firstIndex.set(code, i);
    byCode.set(code, e);
  }
  return byCode;
}

function missing(what: string, code: string, known: Map<string, Obj>): string {
  const guess = suggestKey(code, [...known.keys()]);
  return `no ${what} with code "${code}"${guess ? ` (did you mean "${guess}"?)` : ""}`;
}

/** A comparable local `YYYY-MM-DD HH:MM`; a bare date means the start of that day (or its end, for `closes`). */
function localStamp(value: string | undefined, endOfDay = false): string | undefined {
  if (value === undefined) return undefined;
  if (isValidDate(value)) return `${value} ${endOfDay ? "24:00" : "00:00"}`;
  const dt = parseLocalDateTime(value);
  return dt ? `${dt.date} ${dt.time}` : undefined;
}

/**
 * Cross-reference problems of a raw catalog: duplicate codes; unknown site, venue, parent or
 * course references; a venue at another site than its course or shift; min_age above max_age;
 * enrolment closing before it opens; a shift ending before it starts; unknown skills.
 */
export function crossCheck(
  raw: unknown,
  options: { skills?: readonly string[] | undefined } = {},
): Problem[] {
  if (!isObj(raw)) return [];
  const problems: Problem[] = [];
  const add = (path: PropertyKey[], message: string) => problems.push({ path, message });
  const sites = indexByCode("sites", entries(raw, "sites"), problems);
  const venues = indexByCode("venues", entries(raw, "venues"), problems);
  const courses = indexByCode("courses", entries(raw, "courses"), problems);
  indexByCode("shifts", entries(raw, "shifts"), problems);

  for (const [i, site] of entries(raw, "sites")) {
    const parent = str(site, "parent");
    if (parent === undefined) continue;
    if (parent === str(site, "code")) add(["sites", i, "parent"], "a site cannot be its own parent");
    else if (!sites.has(parent)) add(["sites", i, "parent"], missing("site", parent, sites));
    else {
      // Walk up; a chain longer than the number of sites must loop.
      let at: string | undefined = parent;
      for (let steps = 0; at !== undefined && steps <= sites.size; steps++)
        at = str(sites.get(at) ?? {}, "parent");
      if (at !== undefined) add(["sites", i, "parent"], "the parent chain loops back on itself");
    }
  }

  for (const [i, venue] of entries(raw, "venues")) {
    const site = str(venue, "site");
    if (site !== undefined && !sites.has(site)) add(["venues", i, "site"], missing("site", site, sites));
  }

  /** The venue must exist and belong to the entry's own site, since rooms are booked per site. */
  const checkVenue = (
    path: PropertyKey[],
    venueCode: string | undefined,
    siteCode: string | undefined,
    what: string,
  ) => {
    if (venueCode === undefined) return;
    const venue = venues.get(venueCode);
    if (!venue) return add(path, missing("venue", venueCode, venues));
    const venueSite = str(venue, "site");
    if (siteCode !== undefined && venueSite !== undefined && venueSite !== siteCode) {
      add(
        path,
        `venue "${venueCode}" belongs to site "${venueSite}", not to the ${what}'s site "${siteCode}"`,
      );
    }
  };

  for (const [i, course] of entries(raw, "courses")) {
    const site = str(course, "site");
    if (site !== undefined && !sites.has(site)) add(["courses", i, "site"], missing("site", site, sites));
    checkVenue(["courses", i, "venue"], str(course, "venue"), site, "course");
    const minAge = num(course, "min_age");
    const maxAge = num(course, "max_age");
    if (minAge !== undefined && maxAge !== undefined && minAge > maxAge) {
      add(["courses", i, "max_age"], `must not be below min_age (${minAge})`);
    }
    const enrolment = course.enrolment;
    if (isObj(enrolment)) {
      const opens = localStamp(str(enrolment, "opens"));
      const closes = localStamp(str(enrolment, "closes"), true);
      if (opens !== undefined && closes !== undefined && closes <= opens) {
        add(["courses", i, "enrolment", "closes"], "must be after enrolment opens");
      }
    }
  }

  const knownSkills = options.skills ? new Set(options.skills) : undefined;
  for (const [i, shift] of entries(raw, "shifts")) {
    const site = str(shift, "site");
    if (site !== undefined && !sites.has(site)) add(["shifts", i, "site"], missing("site", site, sites));
    checkVenue(["shifts", i, "venue"], str(shift, "venue"), site, "shift");
    const course = str(shift, "course");
    if (course !== undefined && !courses.has(course))
      add(["shifts", i, "course"], missing("course", course, courses));
    const start = parseLocalDateTime(str(shift, "start") ?? "");
    const endRaw = str(shift, "end");
    if (start && endRaw !== undefined) {
      const end = isValidTime(endRaw) ? { date: start.date, time: endRaw } : parseLocalDateTime(endRaw);
      if (end && `${end.date} ${end.time}` <= `${start.date} ${start.time}`)
        add(["shifts", i, "end"], "must be after start");
    }
    const skills = shift.skills;
    if (knownSkills && Array.isArray(skills)) {
      skills.forEach((s, j) => {
        if (typeof s === "string" && !knownSkills.has(s)) {
          const guess = suggestKey(s, [...knownSkills]);
          add(
            ["shifts", i, "skills", j],
            `unknown skill "${s}"${guess ? ` (did you mean "${guess}"?)` : ""}`,
          );
        }
      });
    }
  }
  return problems;
}

/**
 * Small reads of the catalog's places and course titles, for pick lists and headings in chat.
 * Each statement is prepared once per database: these run on staff taps.
 */
import type { Db } from "../db/connection.ts";
import { preparedFor } from "../db/connection.ts";

/** A site or venue with its name in both languages. */
export interface PlaceName {
  id: number;
  name_zh: string;
  name_en: string;
}

/** A course with its title in both languages. */
export interface CourseTitle {
  id: number;
  title_zh: string;
  title_en: string;
}

const stmts = preparedFor((db: Db) => ({
  sites: db.prepare<[], PlaceName>("SELECT id, name_zh, name_en FROM sites ORDER BY id"),
  // The ids come as one JSON array, so that one statement serves any number of them.
  sitesIn: db.prepare<[string], PlaceName>(
    "SELECT id, name_zh, name_en FROM sites WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
  ),
  siteByCode: db.prepare<[string], { id: number }>("SELECT id FROM sites WHERE code = ?"),
  venues: db.prepare<[number], PlaceName>(
    "SELECT id, name_zh, name_en FROM venues WHERE site_id = ? ORDER BY id",
  ),
  openCourses: db.prepare<[number, number], CourseTitle>(
    "SELECT id, title_zh, title_en FROM courses WHERE site_id = ? AND status = 'open' ORDER BY id LIMIT ?",
  ),
  courseTitle: db.prepare<[number], CourseTitle>("SELECT id, title_zh, title_en FROM courses WHERE id = ?"),
}));

/** Every site, by id. */
export function listSites(db: Db): PlaceName[] {
  return stmts(db).sites.all();
}

/** The sites among `ids` that exist, by id; none for an empty list. */
export function sitesIn(db: Db, ids: readonly number[]): PlaceName[] {
  return stmts(db).sitesIn.all(JSON.stringify(ids));
}

/** The id of the site with this code, or undefined when there is none. */
export function siteIdByCode(db: Db, code: string): number | undefined {
  return stmts(db).siteByCode.get(code)?.id;
}

/** The venues of a site, by id. */
export function venuesOfSite(db: Db, siteId: number): PlaceName[] {
  return stmts(db).venues.all(siteId);
}

/** A site's courses open for enrolment, by id, at most `limit`. */
export function openCoursesAtSite(db: Db, siteId: number, limit = 10): CourseTitle[] {
  return stmts(db).openCourses.all(siteId, limit);
}

/** A course's titles, or undefined when there is no such course. */
export function courseTitles(db: Db, courseId: number): CourseTitle | undefined {
  return stmts(db).courseTitle.get(courseId);
}

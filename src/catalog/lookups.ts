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

/** Where a course belongs, and its code. */
export interface CourseSite {
  id: number;
  site_id: number;
  code: string;
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
  siteByCode: db.prepare<[string], PlaceName>("SELECT id, name_zh, name_en FROM sites WHERE code = ?"),
  siteById: db.prepare<[number], PlaceName>("SELECT id, name_zh, name_en FROM sites WHERE id = ?"),
  siteCode: db.prepare<[number], { code: string }>("SELECT code FROM sites WHERE id = ?"),
  // The school first: the example a staff member is shown should be a place they know.
  firstSiteCode: db.prepare<[], { code: string }>(
    "SELECT code FROM sites ORDER BY kind <> 'school', id LIMIT 1",
  ),
  courseById: db.prepare<[number], CourseSite>("SELECT id, site_id, code FROM courses WHERE id = ?"),
  courseByCode: db.prepare<[string], CourseSite>("SELECT id, site_id, code FROM courses WHERE code = ?"),
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

/** The site with this code, with its names; undefined when there is none. */
export function siteByCode(db: Db, code: string): PlaceName | undefined {
  return stmts(db).siteByCode.get(code);
}

/** The site with this id, with its names; undefined when there is none. */
export function siteById(db: Db, id: number): PlaceName | undefined {
  return stmts(db).siteById.get(id);
}

/** A site's code; for the first school when no id is given (examples in help texts). */
export function siteCode(db: Db, id?: number): string | undefined {
  return (id === undefined ? stmts(db).firstSiteCode.get() : stmts(db).siteCode.get(id))?.code;
}

/** A course's site and code, by id or by code; undefined when there is none. */
export function courseSite(db: Db, ref: { id: number } | { code: string }): CourseSite | undefined {
  return "id" in ref ? stmts(db).courseById.get(ref.id) : stmts(db).courseByCode.get(ref.code);
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

/**
 * The figures of a site's monthly report draft, per course and per category, from what the
 * bot already records. Definitions follow src/reports/monthly.ts: sessions held in the month,
 * enrolments created in it that hold a seat now, present marks at its sessions.
 */
import type { Db } from "../db/connection.ts";
import { preparedFor } from "../db/connection.ts";

export interface DraftCourse {
  siteId: number;
  courseId: number;
  code: string;
  titleZh: string;
  titleEn: string;
  category: string;
  sessions: number;
  enrolments: number;
  present: number;
}

export interface DraftCategory {
  category: string;
  courses: number;
  sessions: number;
  enrolments: number;
  present: number;
}

/** The query over one site (`:site`) or, with `all`, every site at once (one pass over the month). */
function courseSql(all: boolean): string {
  const site = (col: string) => (all ? "1" : `${col} = :site`);
  return `WITH held AS (
       SELECT s.id, s.course_id FROM sessions s JOIN courses c ON c.id = s.course_id
       WHERE ${site("c.site_id")} AND s.starts_at >= :f AND s.starts_at < :t AND s.status = 'scheduled'
     ), seats AS (
       SELECT e.course_id, COUNT(*) AS n FROM enrolments e JOIN courses c ON c.id = e.course_id
       WHERE ${site("c.site_id")} AND e.created_at >= :f AND e.created_at < :t AND e.status IN ('enrolled', 'offered')
       GROUP BY e.course_id
     ), marks AS (
       SELECT held.course_id, COUNT(*) AS n FROM held JOIN attendance a ON a.session_id = held.id
       WHERE a.status = 'present' GROUP BY held.course_id
     ), counted AS (
       SELECT course_id, COUNT(*) AS n FROM held GROUP BY course_id
     )
     SELECT c.site_id AS siteId, c.id AS courseId, c.code, c.title_zh AS titleZh, c.title_en AS titleEn, c.category,
            COALESCE(counted.n, 0) AS sessions, COALESCE(seats.n, 0) AS enrolments, COALESCE(marks.n, 0) AS present
     FROM courses c
     LEFT JOIN counted ON counted.course_id = c.id
     LEFT JOIN seats ON seats.course_id = c.id
     LEFT JOIN marks ON marks.course_id = c.id
     WHERE ${site("c.site_id")} AND (counted.n IS NOT NULL OR seats.n IS NOT NULL)
     ORDER BY c.site_id, c.category, c.code`;
}

const stmts = preparedFor((db: Db) => ({
  courses: db.prepare(courseSql(false)),
  allSites: db.prepare(courseSql(true)),
}));

/** A site's month, course by course (courses with a session or a new enrolment in it). */
export function draftCourses(db: Db, siteId: number, from: Date, to: Date): DraftCourse[] {
  return stmts(db).courses.all({ site: siteId, f: from.toISOString(), t: to.toISOString() }) as DraftCourse[];
}

/** The same month summed by category. */
export function byCategory(courses: DraftCourse[]): DraftCategory[] {
  const out = new Map<string, DraftCategory>();
  for (const c of courses) {
    const k = out.get(c.category) ?? {
      category: c.category,
      courses: 0,
      sessions: 0,
      enrolments: 0,
      present: 0,
    };
    k.courses++;
    k.sessions += c.sessions;
    k.enrolments += c.enrolments;
    k.present += c.present;
    out.set(c.category, k);
  }
  return [...out.values()];
}

/** Every site's month in one pass (the drafts of the whole district), by site id. */
export function draftCoursesBySite(db: Db, from: Date, to: Date): Map<number, DraftCourse[]> {
  const rows = stmts(db).allSites.all({ f: from.toISOString(), t: to.toISOString() }) as DraftCourse[];
  const out = new Map<number, DraftCourse[]>();
  for (const r of rows) {
    const list = out.get(r.siteId) ?? [];
    list.push(r);
    out.set(r.siteId, list);
  }
  return out;
}

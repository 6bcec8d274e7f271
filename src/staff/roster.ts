/** The participants of a course, as staff and teachers may see them. */
import type { Db } from "../db/connection.ts";
import { rosterCourseFilter } from "./access.ts";

export interface RosterCourse {
  id: number;
  title_zh: string;
  title_en: string;
  seats: number;
  capacity: number;
}

/** Open or closed courses whose roster the user may see, a page at a time. */
export function rosterCourses(
  db: Db,
  userId: number,
  page: number,
  pageSize = 8,
): { courses: RosterCourse[]; more: boolean } {
  const f = rosterCourseFilter(db, userId);
  const rows = db
    .prepare(
      `SELECT c.id, c.title_zh, c.title_en, c.capacity,
              (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status IN ('enrolled', 'offered')) AS seats
       FROM courses c WHERE c.status IN ('open', 'closed') AND ${f.where}
       ORDER BY c.id LIMIT ? OFFSET ?`,
    )
    .all(...f.params, pageSize + 1, page * pageSize) as RosterCourse[];
  return { courses: rows.slice(0, pageSize), more: rows.length > pageSize };
}

export interface RosterEntry {
  personId: number;
  name: string;
  status: "enrolled" | "offered" | "waitlisted";
  /** Not the account holder: a family member they enrolled. */
  family: boolean;
  relation: string;
  /** Name of the account holder who enrolled a family member. */
  holder: string | null;
  /** Only for courses that need a phone, and only when the holder shared it. */
  phone: string | null;
  waitlistSeq: number | null;
}

/** Seat holders first, then the waitlist in order. */
export function roster(db: Db, courseId: number): RosterEntry[] {
  const rows = db
    .prepare(
      `SELECT p.id AS personId, p.name, e.status, p.is_self AS isSelf, p.relation,
              u.first_name AS holder, CASE WHEN c.needs_phone = 1 THEN u.phone END AS phone, e.waitlist_seq AS waitlistSeq
       FROM enrolments e JOIN people p ON p.id = e.person_id JOIN courses c ON c.id = e.course_id
       LEFT JOIN users u ON u.id = e.account_id
       WHERE e.course_id = ? AND e.status IN ('enrolled', 'offered', 'waitlisted')
       ORDER BY e.status = 'waitlisted', e.waitlist_seq, p.name`,
    )
    .all(courseId) as (Omit<RosterEntry, "family" | "holder"> & { isSelf: number; holder: string | null })[];
  return rows.map(({ isSelf, holder, ...r }) => ({
    ...r,
    family: isSelf === 0,
    holder: isSelf === 0 ? holder : null,
  }));
}

export interface CourseHead {
  id: number;
  title_zh: string;
  title_en: string;
  capacity: number;
  status: string;
  site_id: number;
  needs_phone: number;
  health_related: number;
}

export function courseHead(db: Db, courseId: number): CourseHead | undefined {
  return db
    .prepare(
      "SELECT id, title_zh, title_en, capacity, status, site_id, needs_phone, health_related FROM courses WHERE id = ?",
    )
    .get(courseId) as CourseHead | undefined;
}

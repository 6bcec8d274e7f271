/**
 * Who may do what among staff, teachers and admins. Every check reads the roles table on each
 * call, so that a revoked role stops working at the next tap, not at the next restart.
 */
import type { Db } from "../db/connection.ts";
import { listSites } from "../catalog/lookups.ts";
import type { PlaceName } from "../catalog/lookups.ts";
import { rolesOf } from "../people/roles.ts";

/** What a person's roles add up to right now. */
export interface StaffScope {
  admin: boolean;
  /** Staff of every site (a staff role without a site), or admin. */
  allSites: boolean;
  /** Sites they are staff of (empty when allSites). */
  siteIds: number[];
  /** Courses they teach: teacher roles plus courses naming them as teacher. */
  teacherCourseIds: number[];
}

/** The scope of a user, read from the database now. */
export function staffScope(db: Db, userId: number): StaffScope {
  const roles = rolesOf(db, userId);
  const admin = roles.some((r) => r.role === "admin");
  const allSites = admin || roles.some((r) => r.role === "staff" && r.siteId === null);
  const siteIds = allSites
    ? []
    : roles.filter((r) => r.role === "staff" && r.siteId !== null).map((r) => r.siteId as number);
  const taught = db
    .prepare("SELECT id FROM courses WHERE teacher_user_id = ?")
    .pluck()
    .all(userId) as number[];
  const teacherCourseIds = [
    ...new Set([...roles.filter((r) => r.role === "teacher").map((r) => r.courseId as number), ...taught]),
  ];
  return { admin, allSites, siteIds, teacherCourseIds };
}

/** Admin or staff of any site: summaries, digest, broadcasts, course management. */
export function isStaffScope(scope: StaffScope): boolean {
  return scope.allSites || scope.siteIds.length > 0;
}

/** Staff, admin or teacher (of at least one course). */
export function hasStaffAccess(scope: StaffScope): boolean {
  return isStaffScope(scope) || scope.teacherCourseIds.length > 0;
}

interface CourseGate {
  site_id: number;
  health_related: number;
}

function courseGate(db: Db, courseId: number): CourseGate | undefined {
  return db.prepare("SELECT site_id, health_related FROM courses WHERE id = ?").get(courseId) as
    | CourseGate
    | undefined;
}

/** May manage the course (capacity, sessions, enrolment): admin, staff of all sites, or of its site. */
export function canManageCourse(db: Db, userId: number, courseId: number): boolean {
  const course = courseGate(db, courseId);
  if (!course) return false;
  const scope = staffScope(db, userId);
  return scope.allSites || scope.siteIds.includes(course.site_id);
}

/**
 * May see the course's participants. Health-related courses (pregnancy education) only for
 * admins and the staff of that very site; other courses also for staff of every site and the
 * course's teachers.
 */
export function canSeeRoster(db: Db, userId: number, courseId: number): boolean {
  const course = courseGate(db, courseId);
  if (!course) return false;
  const scope = staffScope(db, userId);
  if (course.health_related === 1) {
    if (scope.admin) return true;
    return (
      db
        .prepare("SELECT 1 FROM roles WHERE user_id = ? AND role = 'staff' AND site_id = ?")
        .get(userId, course.site_id) !== undefined
    );
  }
  return (
    scope.allSites || scope.siteIds.includes(course.site_id) || scope.teacherCourseIds.includes(courseId)
  );
}

/** Takes attendance and shows the check-in code: whoever may see the roster. */
export const canTakeAttendance = canSeeRoster;

/** The SQL condition (on alias `c`) and its parameters for courses a user may see the roster of. */
export function rosterCourseFilter(db: Db, userId: number): { where: string; params: number[] } {
  const scope = staffScope(db, userId);
  const parts: string[] = [];
  const params: number[] = [];
  if (scope.admin) return { where: "1 = 1", params };
  const strictSites = db
    .prepare("SELECT site_id FROM roles WHERE user_id = ? AND role = 'staff' AND site_id IS NOT NULL")
    .pluck()
    .all(userId) as number[];
  if (scope.allSites) parts.push("c.health_related = 0");
  else if (scope.siteIds.length > 0) {
    parts.push(`(c.health_related = 0 AND c.site_id IN (${scope.siteIds.map(() => "?").join(",")}))`);
    params.push(...scope.siteIds);
  }
  if (strictSites.length > 0) {
    parts.push(`(c.health_related = 1 AND c.site_id IN (${strictSites.map(() => "?").join(",")}))`);
    params.push(...strictSites);
  }
  if (scope.teacherCourseIds.length > 0) {
    parts.push(`(c.health_related = 0 AND c.id IN (${scope.teacherCourseIds.map(() => "?").join(",")}))`);
    params.push(...scope.teacherCourseIds);
  }
  return { where: parts.length > 0 ? `(${parts.join(" OR ")})` : "0 = 1", params };
}

/** The SQL condition (on alias `c`) for courses a user may manage. */
export function managedCourseFilter(db: Db, userId: number): { where: string; params: number[] } {
  const scope = staffScope(db, userId);
  if (scope.allSites) return { where: "1 = 1", params: [] };
  if (scope.siteIds.length === 0) return { where: "0 = 1", params: [] };
  return { where: `c.site_id IN (${scope.siteIds.map(() => "?").join(",")})`, params: scope.siteIds };
}

/** The sites a staff member manages, by id; null for someone who manages none. */
export function managedSites(db: Db, userId: number): PlaceName[] | null {
  const scope = staffScope(db, userId);
  if (!scope.allSites && scope.siteIds.length === 0) return null;
  const rows = listSites(db);
  return scope.allSites ? rows : rows.filter((s) => scope.siteIds.includes(s.id));
}

import type { Db } from "../db/connection.ts";

/** Every admin and staff member (any site): who gets the digest and hears about volunteers and shifts. */
export function staffRecipients(db: Db): number[] {
  return db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role IN ('admin', 'staff') ORDER BY user_id")
    .pluck()
    .all() as number[];
}

/**
 * Who hears about a course at once: admins, staff of the course's site (or of every site) and
 * the course's teacher (by account or by teacher role).
 */
export function courseStaffRecipients(db: Db, courseId: number): number[] {
  return db
    .prepare(
      `SELECT user_id FROM roles WHERE role = 'admin'
       UNION SELECT r.user_id FROM roles r JOIN courses c ON c.id = @course
         WHERE r.role = 'staff' AND (r.site_id IS NULL OR r.site_id = c.site_id)
       UNION SELECT r.user_id FROM roles r WHERE r.role = 'teacher' AND r.course_id = @course
       UNION SELECT teacher_user_id FROM courses WHERE id = @course AND teacher_user_id IS NOT NULL
       ORDER BY 1`,
    )
    .pluck()
    .all({ course: courseId }) as number[];
}

/** The district's admins. */
export function admins(db: Db): number[] {
  return db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role = 'admin' ORDER BY user_id")
    .pluck()
    .all() as number[];
}

/** A site's own staff; when it has none, the staff of every site (someone must hear). */
export function siteStaff(db: Db, siteId: number): number[] {
  const own = db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role = 'staff' AND site_id = ? ORDER BY user_id")
    .pluck()
    .all(siteId) as number[];
  if (own.length > 0) return own;
  return db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role = 'staff' AND site_id IS NULL ORDER BY user_id")
    .pluck()
    .all() as number[];
}

/** People with any role, and approved volunteers: everyone whose command menu is their own. */
export function peopleWithRolesOrVolunteering(db: Db): number[] {
  return db
    .prepare(
      `SELECT user_id FROM roles UNION SELECT user_id FROM volunteers WHERE status = 'approved' ORDER BY 1`,
    )
    .pluck()
    .all() as number[];
}

import type { Db } from "../db/connection.ts";

export type Role = "admin" | "staff" | "teacher";

export interface RoleGrant {
  role: Role;
  siteId: number | null;
  courseId: number | null;
}

/** Every role a user holds now. Read on each use: a revoked role stops working at once. */
export function rolesOf(db: Db, userId: number): RoleGrant[] {
  return (
    db.prepare("SELECT role, site_id, course_id FROM roles WHERE user_id = ?").all(userId) as {
      role: Role;
      site_id: number | null;
      course_id: number | null;
    }[]
  ).map((r) => ({ role: r.role, siteId: r.site_id, courseId: r.course_id }));
}

/** Admin or staff of any site. */
export function isStaff(db: Db, userId: number): boolean {
  return (
    db.prepare("SELECT 1 FROM roles WHERE user_id = ? AND role IN ('admin', 'staff') LIMIT 1").get(userId) !==
    undefined
  );
}

export function isAdmin(db: Db, userId: number): boolean {
  return (
    db.prepare("SELECT 1 FROM roles WHERE user_id = ? AND role = 'admin' LIMIT 1").get(userId) !== undefined
  );
}

/** Staff, admin or teacher: whoever gets the staff command menu. */
export function hasAnyRole(db: Db, userId: number): boolean {
  return db.prepare("SELECT 1 FROM roles WHERE user_id = ? LIMIT 1").get(userId) !== undefined;
}

/**
 * Makes the operators named in ADMIN_IDS admins. They may not have written to the bot yet,
 * so a bare account row is created for them.
 */
export function ensureAdmins(db: Db, ids: readonly number[], now: Date): void {
  const at = now.toISOString();
  const user = db.prepare("INSERT INTO users (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING");
  const role = db.prepare(
    "INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?) ON CONFLICT DO NOTHING",
  );
  db.transaction(() => {
    for (const id of ids) {
      user.run(id, at);
      role.run(id, at);
    }
  })();
}

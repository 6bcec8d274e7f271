/**
 * Granting and revoking roles, each recorded in audit_log. Only admins may do either; the
 * caller checks that against the database before calling.
 */

import { audit } from "../db/audit.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import type { Role } from "../people/roles.ts";

export type GrantProblem =
  | "unknownUser"
  | "badRole"
  | "unknownSite"
  | "unknownCourse"
  | "needsCourse"
  | "notHeld";

export type GrantResult =
  | { ok: true; changed: boolean; userId: number; role: Role; siteId: number | null; courseId: number | null }
  | { ok: false; problem: GrantProblem };

/** Finds an account by numeric id or @username. */
export function findUser(db: Db, ref: string): number | undefined {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) {
    return db.prepare("SELECT id FROM users WHERE id = ?").pluck().get(Number(trimmed)) as number | undefined;
  }
  const name = trimmed.replace(/^@/, "");
  return db.prepare("SELECT id FROM users WHERE username = ? COLLATE NOCASE").pluck().get(name) as
    | number
    | undefined;
}

function resolve(db: Db, userRef: string, role: string, scopeRef: string | undefined): GrantResult {
  const userId = findUser(db, userRef);
  if (userId === undefined) return { ok: false, problem: "unknownUser" };
  if (role !== "admin" && role !== "staff" && role !== "teacher") return { ok: false, problem: "badRole" };
  let siteId: number | null = null;
  let courseId: number | null = null;
  if (role === "teacher") {
    if (!scopeRef) return { ok: false, problem: "needsCourse" };
    const id = db
      .prepare("SELECT id FROM courses WHERE code = ? OR CAST(id AS TEXT) = ?")
      .pluck()
      .get(scopeRef, scopeRef) as number | undefined;
    if (id === undefined) return { ok: false, problem: "unknownCourse" };
    courseId = id;
  } else if (role === "staff" && scopeRef) {
    const id = db
      .prepare("SELECT id FROM sites WHERE code = ? OR CAST(id AS TEXT) = ?")
      .pluck()
      .get(scopeRef, scopeRef) as number | undefined;
    if (id === undefined) return { ok: false, problem: "unknownSite" };
    siteId = id;
  }
  return { ok: true, changed: false, userId, role, siteId, courseId };
}

/**
 * Gives `userRef` (id or @username) a role: admin; staff of one site (`scopeRef` = site code)
 * or of all sites; teacher of a course (`scopeRef` = course code). Idempotent.
 */
export function grantRole(
  db: Db,
  actorId: number,
  userRef: string,
  role: string,
  scopeRef: string | undefined,
  now: Date,
): GrantResult {
  const r = resolve(db, userRef, role, scopeRef);
  if (!r.ok) return r;
  return immediate(db, () => {
    const changes = db
      .prepare(
        `INSERT INTO roles (user_id, role, site_id, course_id, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(r.userId, r.role, r.siteId, r.courseId, actorId, now.toISOString()).changes;
    if (changes > 0) audit(db, now, actorId, "role.grant", `user:${r.userId}`, grantDetails(r));
    return { ...r, changed: changes > 0 };
  });
}

/**
 * Takes a role away (the same role with the same site or course). Its arguments and their
 * resolution repeat grantRole's on purpose: /grant and /revoke (chat and CLI) pass them alike.
 */
export function revokeRole(
  db: Db,
  actorId: number,
  userRef: string,
  role: string,
  scopeRef: string | undefined,
  now: Date,
): GrantResult {
  const r = resolve(db, userRef, role, scopeRef);
  if (!r.ok) return r;
  return immediate(db, () => {
    const changes = db
      .prepare(
        "DELETE FROM roles WHERE user_id = ? AND role = ? AND IFNULL(site_id, 0) = ? AND IFNULL(course_id, 0) = ?",
      )
      .run(r.userId, r.role, r.siteId ?? 0, r.courseId ?? 0).changes;
    if (changes === 0) return { ok: false, problem: "notHeld" } as const;
    audit(db, now, actorId, "role.revoke", `user:${r.userId}`, grantDetails(r));
    return { ...r, changed: true };
  });
}

function grantDetails(r: { role: Role; siteId: number | null; courseId: number | null }): object {
  return { role: r.role, siteId: r.siteId, courseId: r.courseId };
}

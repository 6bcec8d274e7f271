import type { Db } from "../db/connection.ts";
import { canManageCourse, staffScope } from "./access.ts";
import type { Audience } from "./broadcast.ts";

/**
 * May this user broadcast to this audience? News subscribers and volunteers reach the whole
 * district: staff of every site and admins only. A course: its managers. A site: its staff.
 */
export function canBroadcastTo(db: Db, userId: number, audience: Audience): boolean {
  const scope = staffScope(db, userId);
  switch (audience.kind) {
    case "news":
    case "volunteers":
      return scope.allSites;
    case "course":
      return canManageCourse(db, userId, audience.courseId);
    case "site":
      return (
        (scope.allSites || scope.siteIds.includes(audience.siteId)) &&
        db.prepare("SELECT 1 FROM sites WHERE id = ?").get(audience.siteId) !== undefined
      );
  }
}

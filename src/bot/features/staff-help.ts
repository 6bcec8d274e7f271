import { siteCode } from "../../catalog/lookups.ts";
/**
 * The part of /help that only people with a role see: their commands, each with an example
 * that works as typed (the site code in the examples is one of the reader's own sites).
 */
import type { ConvContext } from "../context.ts";
import { isStaffScope } from "../../staff/access.ts";
import { scopeOf } from "./staff-guard.ts";

/** The extra help for staff, teachers and admins; empty for everyone else. */
export function staffHelp(ctx: ConvContext): string {
  const scope = scopeOf(ctx);
  if (!scope) return "";
  const parts: string[] = [];
  if (isStaffScope(scope)) {
    const site = siteCode(ctx.deps.db, scope.allSites ? undefined : scope.siteIds[0]) ?? "north";
    parts.push(ctx.t("staff:help.staff", { site }));
    if (scope.admin) parts.push(ctx.t("staff:help.admin", { site }));
  } else if (scope.teacherCourseIds.length > 0) parts.push(ctx.t("staff:help.teacher"));
  return parts.join("\n\n");
}

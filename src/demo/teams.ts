/**
 * A learning team on the demo's finished course, so that the annual selection has a team to show:
 * the persona 王秀兰 and classmates who completed the course, formed by the demo's staff member
 * through the same domain function staff use. A second run finds the name taken and adds nothing.
 */
import { completionOf } from "../certificates/issue.ts";
import type { Db } from "../db/connection.ts";
import { formTeamAsStaff } from "../selection/team-forming.ts";
import { DEMO_FINISHED } from "./activity.ts";

/** The demo team's name. */
export const DEMO_TEAM = "反诈小分队";
/** The persona whose account holder leads the team, and the staff member who forms it. */
const LEADER_ACCOUNT = 100001;
const STAFF_ACCOUNT = 100006;
/** Members besides the leader. */
const CLASSMATES = 3;

/** Forms the demo team; true when it was formed by this run. */
export function writeTeamDemo(db: Db, now: Date): boolean {
  const courseId = db.prepare("SELECT id FROM courses WHERE code = ?").pluck().get(DEMO_FINISHED) as
    | number
    | undefined;
  if (courseId === undefined) return false;
  const enrolled = db
    .prepare(
      `SELECT p.id FROM enrolments e JOIN people p ON p.id = e.person_id
       WHERE e.course_id = ? AND e.status = 'enrolled' AND p.account_id IS NOT NULL
       ORDER BY p.account_id = ? DESC, p.id`,
    )
    .pluck()
    .all(courseId, LEADER_ACCOUNT) as number[];
  const completed = enrolled.filter((id) => completionOf(db, courseId, id, now)?.eligible);
  const personIds = completed.slice(0, CLASSMATES + 1);
  if (personIds.length < 2) return false;
  return formTeamAsStaff(db, { courseId, personIds, name: DEMO_TEAM }, STAFF_ACCOUNT, now).kind === "formed";
}

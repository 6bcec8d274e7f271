/**
 * What the team screens show: a resident's team on one of their enrolments, what an invite link
 * leads to, and a course's teams for its staff. Reads only; the changes are in team-forming.ts.
 */
import type { Db } from "../db/connection.ts";
import { getMyEnrolment } from "../enrollment/mine.ts";
import { canManageCourse, canSeeRoster } from "../staff/access.ts";
import { courseState } from "./team-forming.ts";
import type { Team, TeamMember } from "./teams.ts";
import { teamByCode, teamMembers, teamOfPerson, teamsOfCourse } from "./teams.ts";

export interface MyTeam {
  enrolmentId: number;
  courseId: number;
  personId: number;
  personName: string;
  titleZh: string;
  titleEn: string;
  /** The person's team on the course, if any. */
  team: Team | undefined;
  /** The course still runs, so a team may be formed or joined. */
  open: boolean;
}

/**
 * The team of the person of one of the account's enrolments. Only for a standing enrolment
 * ("enrolled"): a waitlisted or cancelled one has no team screen.
 */
export function myTeam(
  db: Db,
  enrolmentId: number,
  accountId: number,
  now: Date,
): { kind: "ok"; my: MyTeam } | { kind: "notYours" } | { kind: "gone" } {
  const r = getMyEnrolment(db, enrolmentId, accountId, now);
  if (r.kind === "notYours") return r;
  if (r.kind === "notFound" || !r.item || r.item.status !== "enrolled") return { kind: "gone" };
  const e = r.item;
  const c = courseState(db, e.courseId, now);
  return {
    kind: "ok",
    my: {
      enrolmentId,
      courseId: e.courseId,
      personId: e.personId,
      personName: e.personName,
      titleZh: e.titleZh,
      titleEn: e.titleEn,
      team: teamOfPerson(db, e.courseId, e.personId),
      open: c !== undefined && c.status !== "cancelled" && c.over === 0,
    },
  };
}

export interface Invite {
  team: Team;
  titleZh: string;
  titleEn: string;
  members: TeamMember[];
  /** The account's people enrolled in the course and in no team on it: who may join. */
  joinable: { personId: number; name: string }[];
  /** How many of the account's people are enrolled in the course (0: offer the course). */
  enrolled: number;
  /** The account's people already in this team. */
  already: { personId: number; name: string }[];
}

/** What an invite link leads to, for the account that opened it. */
export function teamInvite(
  db: Db,
  code: string,
  accountId: number,
  now: Date,
): { kind: "ok"; invite: Invite } | { kind: "unknown" } | { kind: "closed" } {
  const team = teamByCode(db, code);
  if (!team) return { kind: "unknown" };
  const c = courseState(db, team.courseId, now);
  if (!c || c.status === "cancelled" || c.over === 1) return { kind: "closed" };
  const titles = db
    .prepare("SELECT title_zh AS titleZh, title_en AS titleEn FROM courses WHERE id = ?")
    .get(team.courseId) as { titleZh: string; titleEn: string };
  const mine = db
    .prepare(
      `SELECT p.id AS personId, p.name,
         EXISTS (SELECT 1 FROM learning_team_members m WHERE m.team_id = :team AND m.person_id = p.id) AS here,
         EXISTS (SELECT 1 FROM learning_team_members m JOIN learning_teams t ON t.id = m.team_id
                 WHERE t.course_id = :course AND m.person_id = p.id) AS teamed
       FROM people p JOIN enrolments e ON e.person_id = p.id AND e.course_id = :course AND e.status = 'enrolled'
       WHERE p.account_id = :account ORDER BY p.is_self DESC, p.id`,
    )
    .all({ team: team.id, course: team.courseId, account: accountId }) as {
    personId: number;
    name: string;
    here: number;
    teamed: number;
  }[];
  return {
    kind: "ok",
    invite: {
      team,
      ...titles,
      members: teamMembers(db, team.id),
      enrolled: mine.length,
      joinable: mine.filter((m) => m.teamed === 0).map(({ personId, name }) => ({ personId, name })),
      already: mine.filter((m) => m.here === 1).map(({ personId, name }) => ({ personId, name })),
    },
  };
}

export interface StaffTeams {
  courseId: number;
  titleZh: string;
  titleEn: string;
  teams: (Team & { names: string[] })[];
  /** May form teams here: staff of the course's site (teachers only see the list). */
  canForm: boolean;
  /** People enrolled in the course and in no team yet, for the staff's picker. */
  free: { personId: number; name: string }[];
}

/** A course's teams as the roster shows them to staff; undefined for whoever may not see it. */
export function courseTeamsForStaff(db: Db, courseId: number, userId: number): StaffTeams | undefined {
  if (!canSeeRoster(db, userId, courseId)) return undefined;
  const teams = teamsOfCourse(db, courseId).map((t) => ({
    ...t,
    names: teamMembers(db, t.id).map((m) => m.name),
  }));
  const free = db
    .prepare(
      `SELECT p.id AS personId, p.name FROM enrolments e JOIN people p ON p.id = e.person_id
       WHERE e.course_id = ? AND e.status = 'enrolled' AND p.account_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM learning_team_members m JOIN learning_teams t ON t.id = m.team_id
                         WHERE t.course_id = e.course_id AND m.person_id = p.id)
       ORDER BY p.name, p.id`,
    )
    .all(courseId) as { personId: number; name: string }[];
  const titles = db
    .prepare("SELECT title_zh AS titleZh, title_en AS titleEn FROM courses WHERE id = ?")
    .get(courseId) as { titleZh: string; titleEn: string };
  return { courseId, ...titles, teams, canForm: canManageCourse(db, userId, courseId), free };
}

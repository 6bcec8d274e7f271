/**
 * Learning teams ("学习型团队"): residents who take one course together. Staff form one from the
 * course's roster; a resident forms one for themselves (or a family member) and shares its invite
 * link. A person is in at most one team per course. Teams whose members completed the course
 * together are the candidates for the annual selection.
 */
import type { Db } from "../db/connection.ts";
import { cleanName } from "../people/accounts.ts";
import { foldName } from "../organisations/register.ts";
import { graphemeLength } from "../text.ts";
import { COMPLETED_CTE, completedParams } from "./completed.ts";

export interface LearningTeamCandidate {
  teamId: number;
  name: string;
  courseId: number;
  titleZh: string;
  titleEn: string;
  siteId: number;
  members: number;
  completed: number;
  /** names of members who completed, as given */
  names: string[];
}

/**
 * The year's learning-team candidates: teams whose course's last session ended in
 * [yearStart, now] and at least two of whose members completed it (the course's share of its
 * sessions attended, as for certificates and learning families). A member counts while their
 * enrolment stands or once they completed; people forgotten through /forget never count.
 * Most completed first, then most members, then the oldest team.
 */
export function learningTeamCandidates(db: Db, yearStart: Date, now: Date): LearningTeamCandidate[] {
  const rows = db
    .prepare(
      `${COMPLETED_CTE}
       SELECT t.id AS teamId, t.name AS teamName, ended.id AS courseId, ended.title_zh AS titleZh,
              ended.title_en AS titleEn, ended.site_id AS siteId, p.name AS personName,
              done.person_id IS NOT NULL AS completed
       FROM learning_teams t JOIN ended ON ended.id = t.course_id
       JOIN learning_team_members m ON m.team_id = t.id
       JOIN people p ON p.id = m.person_id AND p.account_id IS NOT NULL
       LEFT JOIN enrolments e ON e.course_id = t.course_id AND e.person_id = p.id
       LEFT JOIN done ON done.person_id = p.id AND done.course_id = t.course_id
       WHERE done.person_id IS NOT NULL OR e.status = 'enrolled'
       ORDER BY t.id, m.joined_at, p.id`,
    )
    .all(completedParams(yearStart, now)) as {
    teamId: number;
    teamName: string;
    courseId: number;
    titleZh: string;
    titleEn: string;
    siteId: number;
    personName: string;
    completed: number;
  }[];
  const byTeam = new Map<number, LearningTeamCandidate>();
  for (const r of rows) {
    const t = byTeam.get(r.teamId) ?? {
      teamId: r.teamId,
      name: r.teamName,
      courseId: r.courseId,
      titleZh: r.titleZh,
      titleEn: r.titleEn,
      siteId: r.siteId,
      members: 0,
      completed: 0,
      names: [],
    };
    t.members++;
    if (r.completed === 1) {
      t.completed++;
      t.names.push(r.personName);
    }
    byTeam.set(r.teamId, t);
  }
  return [...byTeam.values()]
    .filter((t) => t.completed >= 2)
    .sort((a, b) => b.completed - a.completed || b.members - a.members || a.teamId - b.teamId);
}

/** Longest team name, in graphemes (what a reader counts as characters). */
export const MAX_TEAM_NAME = 30;
/** Fewest people staff pick for a team; a resident starts alone and invites the rest. */
export const MIN_STAFF_TEAM = 2;

export interface Team {
  id: number;
  courseId: number;
  name: string;
  formedBy: "staff" | "resident";
  /** The code of the invite link (t_<code>); null for a team staff formed. */
  inviteCode: string | null;
  /** Members, not counting people forgotten through /forget. */
  members: number;
}

export interface TeamMember {
  personId: number;
  name: string;
  joinedAt: string;
}

const TEAM_SELECT = `SELECT t.id, t.course_id AS courseId, t.name, t.formed_by AS formedBy, t.invite_code AS inviteCode,
  (SELECT COUNT(*) FROM learning_team_members m JOIN people p ON p.id = m.person_id
    WHERE m.team_id = t.id AND p.account_id IS NOT NULL) AS members
  FROM learning_teams t`;

/** One team, or undefined. */
export function getTeam(db: Db, teamId: number): Team | undefined {
  return db.prepare(`${TEAM_SELECT} WHERE t.id = ?`).get(teamId) as Team | undefined;
}

/** The team of an invite code, or undefined. */
export function teamByCode(db: Db, code: string): Team | undefined {
  return db.prepare(`${TEAM_SELECT} WHERE t.invite_code = ?`).get(code) as Team | undefined;
}

/** The teams of a course, oldest first. */
export function teamsOfCourse(db: Db, courseId: number): Team[] {
  return db.prepare(`${TEAM_SELECT} WHERE t.course_id = ? ORDER BY t.id`).all(courseId) as Team[];
}

/** The team a person is in on a course, if any. */
export function teamOfPerson(db: Db, courseId: number, personId: number): Team | undefined {
  return db
    .prepare(
      `${TEAM_SELECT} WHERE t.course_id = ? AND t.id IN (SELECT team_id FROM learning_team_members WHERE person_id = ?)`,
    )
    .get(courseId, personId) as Team | undefined;
}

/** A team's members in the order they joined; people forgotten through /forget are left out. */
export function teamMembers(db: Db, teamId: number): TeamMember[] {
  return db
    .prepare(
      `SELECT p.id AS personId, p.name, m.joined_at AS joinedAt FROM learning_team_members m
       JOIN people p ON p.id = m.person_id WHERE m.team_id = ? AND p.account_id IS NOT NULL
       ORDER BY m.joined_at, p.id`,
    )
    .all(teamId) as TeamMember[];
}

/** The teams of an account's people, with the course and the person, for /mydata and their screens. */
export function teamsOfAccount(
  db: Db,
  accountId: number,
): (Team & { personId: number; personName: string; titleZh: string; titleEn: string })[] {
  return db
    .prepare(
      `SELECT x.*, p.id AS personId, p.name AS personName, c.title_zh AS titleZh, c.title_en AS titleEn
       FROM (${TEAM_SELECT}) x JOIN learning_team_members m ON m.team_id = x.id JOIN people p ON p.id = m.person_id
       JOIN courses c ON c.id = x.courseId WHERE p.account_id = ? ORDER BY x.id, p.id`,
    )
    .all(accountId) as (Team & { personId: number; personName: string; titleZh: string; titleEn: string })[];
}

export type TeamNameResult =
  | { kind: "ok"; name: string }
  | { kind: "empty" }
  | { kind: "tooLong"; max: number };

/** A typed team name, trimmed: 1 to MAX_TEAM_NAME graphemes, not a command. */
export function parseTeamName(text: string): TeamNameResult {
  const name = cleanName(text, Number.MAX_SAFE_INTEGER);
  if (name === "" || name.startsWith("/")) return { kind: "empty" };
  if (graphemeLength(name) > MAX_TEAM_NAME) return { kind: "tooLong", max: MAX_TEAM_NAME };
  return { kind: "ok", name };
}

/** The name folded for comparison, as organisations' names are; a name of emoji alone keeps its emoji. */
export function teamNameKey(name: string): string {
  return foldName(name) || name.normalize("NFKC");
}

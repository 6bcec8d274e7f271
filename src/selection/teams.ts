/**
 * Learning teams ("学习型团队"): residents who take one course together. Staff form one from the
 * course's roster; a resident forms one for themselves (or a family member) and shares its invite
 * link. A person is in at most one team per course. Teams whose members completed the course
 * together are the candidates for the annual selection.
 */
import type { Db } from "../db/connection.ts";
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

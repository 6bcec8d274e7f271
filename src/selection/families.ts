/**
 * Candidates for the annual selection of "learning families": an account whose people include
 * at least two who completed a course this year. Completed = the course's last session ended in
 * [yearStart, now) and the person attended at least the course's share of its sessions (75 % by
 * default), as for certificates. An account that used /forget has no people left linked to it,
 * so it is never listed (its members stay only as anonymous counts).
 */
import type { Db } from "../db/connection.ts";
import { COMPLETED_CTE, completedParams } from "./completed.ts";

export interface LearningFamily {
  accountId: number;
  /** Names of the members who completed a course this year, account holder first. */
  members: string[];
  courses: number;
}

/** The year's learning-family candidates, most members first. */
export function learningFamilies(db: Db, yearStart: Date, now: Date): LearningFamily[] {
  const rows = db
    .prepare(
      `${COMPLETED_CTE}
       SELECT p.account_id AS accountId, p.id AS personId, p.name, p.is_self AS isSelf, COUNT(*) AS courses
       FROM done JOIN people p ON p.id = done.person_id
       WHERE p.account_id IS NOT NULL
       GROUP BY p.id ORDER BY p.account_id, p.is_self DESC, p.id`,
    )
    .all(completedParams(yearStart, now)) as {
    accountId: number;
    personId: number;
    name: string;
    courses: number;
  }[];
  const byAccount = new Map<number, LearningFamily>();
  for (const r of rows) {
    const f = byAccount.get(r.accountId) ?? { accountId: r.accountId, members: [], courses: 0 };
    f.members.push(r.name);
    f.courses += r.courses;
    byAccount.set(r.accountId, f);
  }
  return [...byAccount.values()]
    .filter((f) => f.members.length >= 2)
    .sort(
      (a, b) => b.members.length - a.members.length || b.courses - a.courses || a.accountId - b.accountId,
    );
}

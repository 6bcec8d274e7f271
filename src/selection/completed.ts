/**
 * Who completed which course in a period, as SQL shared by the annual selection's lists so that
 * learning families and learning teams count completion the same way (and as certificates do).
 */
import { DEFAULT_COMPLETION_SHARE } from "../certificates/issue.ts";

/**
 * A WITH clause defining `ended` (courses whose last scheduled session ended in [:ys, :n], with
 * their share and sessions held) and `done` (person_id, course_id of everyone who attended at
 * least the course's share of them). Bind it with completedParams().
 */
export const COMPLETED_CTE = `WITH ended AS MATERIALIZED (
   SELECT c.id, c.title_zh, c.title_en, c.site_id, COALESCE(c.completion_share, :dflt) AS share, COUNT(s.id) AS held
   FROM courses c JOIN sessions s ON s.course_id = c.id AND s.status = 'scheduled'
   GROUP BY c.id HAVING MAX(s.ends_at) >= :ys AND MAX(s.ends_at) <= :n
 ), done AS (
   SELECT a.person_id, ended.id AS course_id FROM ended
   JOIN sessions s ON s.course_id = ended.id AND s.status = 'scheduled'
   JOIN attendance a ON a.session_id = s.id AND a.status = 'present'
   GROUP BY a.person_id, ended.id
   HAVING COUNT(*) >= MAX(ended.share) * MAX(ended.held) - 1e-9
 )`;

/** The named parameters COMPLETED_CTE needs. */
export function completedParams(yearStart: Date, now: Date): { dflt: number; ys: string; n: string } {
  return { dflt: DEFAULT_COMPLETION_SHARE, ys: yearStart.toISOString(), n: now.toISOString() };
}

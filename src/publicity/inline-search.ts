/**
 * What `@bot <words>` in any chat finds: the bot's own search over open courses, never anything
 * about people. A query that is exactly a course's code (what the Share button puts in) finds
 * that course alone.
 */
import type { CourseView } from "../catalog/queries.ts";
import { compareForList, findCourses } from "../catalog/queries.ts";
import { searchCourses } from "../catalog/search.ts";
import type { Db } from "../db/connection.ts";

/** At most this many results: more is a wall on a phone (Telegram allows 50). */
export const INLINE_MAX_RESULTS = 20;

/** Telegram passes at most 256 characters; we read no more than that even if given more. */
const MAX_QUERY = 256;

/** Courses for an inline query, best first; empty when nothing matches or nothing was understood. */
export function inlineCourses(db: Db, query: string, now: Date, timezone: string): CourseView[] {
  const q = Array.from(query).slice(0, MAX_QUERY).join("").trim();
  const joinable = (c: CourseView) =>
    c.status === "open" && c.availability.state !== "finished" && c.availability.state !== "cancelled";
  if (q === "") {
    return findCourses(db, {}, now, timezone)
      .filter(joinable)
      .sort(compareForList)
      .slice(0, INLINE_MAX_RESULTS);
  }
  if (/^[a-z0-9][a-z0-9-]{0,62}$/.test(q)) {
    const id = db.prepare("SELECT id FROM courses WHERE code = ?").pluck().get(q) as number | undefined;
    if (id !== undefined) {
      const exact = findCourses(db, { ids: [id] }, now, timezone).filter(joinable);
      if (exact.length > 0) return exact;
    }
  }
  const result = searchCourses(db, q, now, timezone);
  // A query with nothing recognisable in it would otherwise list every course: say "nothing found".
  if (!result.understood) return [];
  return result.hits
    .map((h) => h.course)
    .filter(joinable)
    .slice(0, INLINE_MAX_RESULTS);
}

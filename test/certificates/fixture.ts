import type { Db } from "../../src/db/connection.ts";
import { addCourse, DAY_MS, NOW } from "../enrollment/fixture.ts";

/** Forty days before the fixture's now: a four-week course started then has ended. */
export const PAST = new Date(NOW.getTime() - 40 * DAY_MS);

/**
 * A course of 4 weekly 90-minute sessions (from `firstAt`, default PAST, so it has ended), the
 * person enrolled, with the first `present` sessions attended. Returns the course id.
 */
export function finished(
  db: Db,
  personId: number,
  present: number,
  o: { health?: boolean; share?: number; firstAt?: Date } = {},
): number {
  const firstAt = o.firstAt ?? PAST;
  const course = addCourse(db, {
    firstAt,
    sessions: 4,
    minutes: 90,
    ...(o.health ? { health: true } : {}),
  });
  if (o.share !== undefined)
    db.prepare("UPDATE courses SET completion_share = ? WHERE id = ?").run(o.share, course);
  db.prepare(
    "INSERT INTO enrolments (course_id, person_id, status, created_at, updated_at) VALUES (?, ?, 'enrolled', ?, ?)",
  ).run(course, personId, firstAt.toISOString(), firstAt.toISOString());
  const sessions = db
    .prepare("SELECT id FROM sessions WHERE course_id = ? ORDER BY seq")
    .pluck()
    .all(course) as number[];
  for (const s of sessions.slice(0, present))
    db.prepare(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
    ).run(s, personId, NOW.toISOString());
  return course;
}

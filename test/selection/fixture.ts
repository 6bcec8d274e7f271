/** What the selection tests write straight into the tables, so each rule is tested on its own. */
import type { Db } from "../../src/db/connection.ts";
import { NOW } from "../enrollment/fixture.ts";

/** The start of 2026 in the school's timezone (Asia/Shanghai). */
export const YEAR_START = new Date("2025-12-31T16:00:00.000Z");

/** Marks the person present at the first `present` sessions of the course. */
export function attended(db: Db, course: number, personId: number, present: number): void {
  for (const s of db
    .prepare("SELECT id FROM sessions WHERE course_id = ? ORDER BY seq")
    .pluck()
    .all(course)
    .slice(0, present))
    db.prepare(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
    ).run(s, personId, NOW.toISOString());
}

/** A learning team formed by staff, with these people in it. */
export function team(db: Db, course: number, name: string, people: number[]): number {
  const at = NOW.toISOString();
  const id = Number(
    db
      .prepare(
        "INSERT INTO learning_teams (course_id, name, name_key, formed_by, created_at) VALUES (?, ?, ?, 'staff', ?)",
      )
      .run(course, name, name, at).lastInsertRowid,
  );
  for (const p of people)
    db.prepare("INSERT INTO learning_team_members (team_id, person_id, joined_at) VALUES (?, ?, ?)").run(
      id,
      p,
      at,
    );
  return id;
}

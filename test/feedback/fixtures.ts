import type { Db } from "../../src/db/connection.ts";
import { NOW } from "../volunteers/fixtures.ts";

export { addStaff, addUser, freshDb, NOW, outbox } from "../volunteers/fixtures.ts";

/** A course at a site with sessions (start times, each an hour long). Returns the course id. */
export function addCourse(
  db: Db,
  opts: {
    id: number;
    siteId?: number;
    category?: string;
    sessions: string[];
    teacher?: number;
    status?: string;
  },
): number {
  const at = NOW.toISOString();
  db.prepare(
    `INSERT INTO courses (id, code, category, site_id, title_zh, title_en, capacity, created_at, updated_at, teacher_user_id, status)
     VALUES (?, ?, ?, ?, ?, ?, 20, ?, ?, ?, ?)`,
  ).run(
    opts.id,
    `c-${opts.id}`,
    opts.category ?? "arts",
    opts.siteId ?? 1,
    `课程${opts.id}`,
    `Course ${opts.id}`,
    at,
    at,
    opts.teacher ?? null,
    opts.status ?? "open",
  );
  opts.sessions.forEach((start, i) => {
    const end = new Date(new Date(start).getTime() + 3600_000).toISOString();
    db.prepare(
      "INSERT INTO sessions (course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, ?, ?, ?, ?)",
    ).run(opts.id, i + 1, start, end, `C${opts.id}S${i}`);
  });
  return opts.id;
}

/** The account's own participant row. */
export const selfPerson = (db: Db, accountId: number) =>
  db.prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1").pluck().get(accountId) as number;

export function enrol(db: Db, courseId: number, personId: number, status = "enrolled"): void {
  const account = db.prepare("SELECT account_id FROM people WHERE id = ?").pluck().get(personId) as
    | number
    | null;
  db.prepare(
    "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(courseId, personId, account, status, NOW.toISOString(), NOW.toISOString());
}

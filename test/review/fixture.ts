/**
 * A small district for the half-year review (expected figures worked out in figures.test.ts).
 * Asia/Shanghai; "now" is 1 July 2026, 10:00 local, so the half just ended is 2026 H1, whose
 * figures stop at 2026-07-01 00:00 local (2026-06-30T16:00Z).
 */
import type { Db } from "../../src/db/connection.ts";

export const NOW = new Date("2026-07-01T02:00:00.000Z");
export const TZ = "Asia/Shanghai";
// The same yearly targets as the weekly report's fixture.
export { TARGETS } from "../reports/fixture.ts";
export const ADMIN = 900;
export const STAFF = 901;

const T0 = "2025-06-01T00:00:00.000Z";

export function seedReviewFixture(db: Db): void {
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
  run(
    "INSERT INTO sites (id, code, kind, name_zh, name_en, residents) VALUES (1, 'north', 'school', '北街社区学校', 'North Street School', 100)",
  );
  run(
    "INSERT INTO sites (id, code, kind, name_zh, name_en, residents) VALUES (2, 'south', 'school', '南街社区学校', 'South Street School', 100)",
  );
  for (const id of [1, 2, 3, 4, ADMIN, STAFF])
    run("INSERT INTO users (id, first_name, created_at) VALUES (?, ?, ?)", id, `U${id}`, T0);
  run("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)", ADMIN, T0);
  run("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, 'staff', 1, ?)", STAFF, T0);
  for (const id of [1, 2, 3, 4])
    run(
      "INSERT INTO people (id, account_id, is_self, name, relation, created_at) VALUES (?, ?, 1, ?, 'self', ?)",
      id,
      id,
      `P${id}`,
      T0,
    );
  const course = (id: number, code: string, kind: string, category: string, site: number) =>
    run(
      `INSERT INTO courses (id, code, kind, category, site_id, title_zh, title_en, capacity, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 10, 'open', ?, ?)`,
      id,
      code,
      kind,
      category,
      site,
      `课程${code}`,
      `Course ${code}`,
      T0,
      T0,
    );
  course(1, "A", "course", "arts", 1);
  course(2, "B", "course", "exercise", 2);
  course(3, "E", "event", "culture", 1);
  const session = (id: number, courseId: number, seq: number, startsAt: string) =>
    run(
      "INSERT INTO sessions (id, course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
      id,
      courseId,
      seq,
      startsAt,
      startsAt.replace("T01:", "T02:"),
      `code${id}`,
    );
  session(1, 1, 1, "2026-02-10T01:00:00.000Z");
  session(2, 1, 2, "2026-03-10T01:00:00.000Z");
  session(3, 1, 3, "2026-07-10T01:00:00.000Z"); // after the half
  session(4, 2, 1, "2026-03-15T01:00:00.000Z");
  session(5, 2, 2, "2025-12-15T01:00:00.000Z"); // the year before
  session(6, 3, 1, "2026-05-20T01:00:00.000Z");
  const enrol = (courseId: number, personId: number, status: string, at: string, cancelledAt?: string) =>
    run(
      `INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at, cancelled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      courseId,
      personId,
      personId,
      status,
      at,
      cancelledAt ?? at,
      cancelledAt ?? null,
    );
  enrol(1, 1, "enrolled", "2026-01-20T01:00:00.000Z");
  enrol(1, 2, "enrolled", "2026-02-05T01:00:00.000Z");
  enrol(2, 3, "enrolled", "2026-03-01T01:00:00.000Z");
  enrol(2, 4, "cancelled", "2026-03-02T01:00:00.000Z", "2026-03-05T01:00:00.000Z");
  enrol(3, 4, "enrolled", "2026-05-01T01:00:00.000Z");
  const mark = (sessionId: number, personId: number, status: string) =>
    run(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, ?, 'staff', ?)",
      sessionId,
      personId,
      status,
      T0,
    );
  mark(1, 1, "present");
  mark(1, 2, "present");
  mark(2, 1, "present");
  mark(2, 2, "absent");
  mark(4, 3, "present");
  mark(6, 4, "present");
  const rate = (courseId: number, personId: number, stars: number, at: string) =>
    run(
      "INSERT INTO feedback (kind, course_id, person_id, stars, created_at) VALUES ('rating', ?, ?, ?, ?)",
      courseId,
      personId,
      stars,
      at,
    );
  rate(1, 1, 5, "2026-03-20T01:00:00.000Z");
  rate(2, 3, 3, "2026-04-01T01:00:00.000Z");
  rate(1, 2, 1, "2025-12-01T01:00:00.000Z"); // the year before
  run(
    "INSERT INTO volunteers (user_id, name, status, consent_at, created_at) VALUES (4, 'P4', 'approved', ?, ?)",
    "2026-01-05T01:00:00.000Z",
    "2026-01-05T01:00:00.000Z",
  );
  const shift = (id: number, site: number, startsAt: string, hours: number) => {
    run(
      `INSERT INTO shifts (id, title_zh, title_en, site_id, starts_at, ends_at, needed, checkin_code, created_at)
       VALUES (?, '值班', 'Shift', ?, ?, ?, 1, ?, ?)`,
      id,
      site,
      startsAt,
      startsAt.replace("T01:", "T05:"),
      `shift${id}`,
      T0,
    );
    run(
      "INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at, hours) VALUES (?, 4, 'filled', ?, ?)",
      id,
      startsAt,
      hours,
    );
  };
  shift(1, 1, "2026-04-10T01:00:00.000Z", 3);
  shift(2, 2, "2026-06-20T01:00:00.000Z", 2.5);
  shift(3, 1, "2026-07-05T01:00:00.000Z", 9); // after the half
  const wish = (topic: string, at: string, served: number | null = null) =>
    run("INSERT INTO wishes (topic, created_at, notified_course_id) VALUES (?, ?, ?)", topic, at, served);
  wish("computer", "2026-02-01T01:00:00.000Z");
  wish("computer", "2026-04-01T01:00:00.000Z");
  wish("language", "2026-05-01T01:00:00.000Z");
  wish("computer", "2026-05-02T01:00:00.000Z", 1); // served: a course was announced
  wish("language", "2025-12-01T01:00:00.000Z"); // the year before
  const org = (id: number, site: number, name: string, employees: number) =>
    run(
      `INSERT INTO organisations (id, site_id, kind, name, name_key, contact_name, employees, created_at, updated_at)
       VALUES (?, ?, 'enterprise', ?, ?, 'C', ?, ?, ?)`,
      id,
      site,
      name,
      name,
      employees,
      T0,
      T0,
    );
  org(1, 1, "北街超市", 4);
  org(2, 2, "南街工厂", 2);
  const member = (orgId: number, personId: number, leftAt: string | null) =>
    run(
      "INSERT INTO organisation_members (organisation_id, person_id, source, joined_at, left_at) VALUES (?, ?, 'contact', ?, ?)",
      orgId,
      personId,
      T0,
      leftAt,
    );
  member(1, 1, null);
  member(1, 4, null);
  member(1, 3, "2026-04-01T00:00:00.000Z"); // left, then joined the factory
  member(2, 3, null);
  const report = (site: number, month: string, dueAt: string, submittedAt: string | null) =>
    run(
      "INSERT INTO monthly_reports (site_id, month, opened_at, due_at, submitted_at) VALUES (?, ?, ?, ?, ?)",
      site,
      month,
      T0,
      dueAt,
      submittedAt,
    );
  report(1, "2026-01", "2026-02-06T16:00:00.000Z", "2026-02-03T01:00:00.000Z"); // on time
  report(1, "2026-02", "2026-03-06T16:00:00.000Z", "2026-03-10T01:00:00.000Z"); // late
  report(1, "2026-03", "2026-04-07T16:00:00.000Z", null); // missing
  report(1, "2026-06", "2026-07-06T16:00:00.000Z", null); // still open
  report(2, "2026-01", "2026-02-06T16:00:00.000Z", "2026-02-02T01:00:00.000Z"); // on time
}

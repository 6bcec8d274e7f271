/**
 * A small, hand-countable school for the report tests (expected figures are worked out in
 * digest.test.ts). Times: Asia/Shanghai; "now" is Monday 2026-11-30 10:00 local, so the
 * reported week is 2026-11-23..29 and the one before 2026-11-16..22.
 */
import type { Db } from "../../src/db/connection.ts";

export const NOW = new Date("2026-11-30T02:00:00.000Z");
export const TZ = "Asia/Shanghai";
export const TARGETS = {
  residents_educated: 2000,
  course_kinds: 10,
  events: 10,
  participation_rate: 0.5,
  employee_continuing_education_rate: 0.5,
  volunteer_hours: 1500,
  monthly_report: true,
  wish_threshold: 3,
};

export const USERS = {
  admin: 100,
  staff1: 101,
  staff2: 102,
  teacherA: 103,
  teacherB: 104,
  wang: 200,
  li: 201,
  zhao: 202,
  sun: 203,
  old: 204,
  volunteer: 300,
  declined: 301,
} as const;

export const COURSES = { A: 1, B: 2, C: 3, H: 4, E: 5, F: 6 } as const;
export const SESSIONS = { a1: 1, a2: 2, a3: 3, b1: 4, b2: 5, h1: 6, e1: 7, f1: 8 } as const;

const T0 = "2025-01-01T00:00:00.000Z";

export function seedFixture(db: Db): void {
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
  run(
    "INSERT INTO sites (id, code, kind, name_zh, name_en, residents) VALUES (1, 'north', 'school', '北街社区学校', 'North Street School', 1000)",
  );
  run(
    "INSERT INTO sites (id, code, kind, name_zh, name_en, residents) VALUES (2, 'south', 'school', '南街社区学校', 'South Street School', 500)",
  );
  run(
    "INSERT INTO venues (id, code, site_id, name_zh, name_en) VALUES (1, 'north-room', 1, '活动室', 'Activity room')",
  );
  const names: Record<number, string> = {
    100: "Admin",
    101: "Staff North",
    102: "Staff South",
    103: "Teacher A",
    104: "Teacher B",
    200: "王秀兰",
    201: "李明",
    202: "赵强",
    203: "孙丽",
    204: "周老",
    300: "Vol",
    301: "NoVol",
  };
  for (const [id, name] of Object.entries(names)) {
    run(
      "INSERT INTO users (id, first_name, created_at, phone) VALUES (?, ?, ?, ?)",
      Number(id),
      name,
      T0,
      id === "200" ? "+8613800000000" : null,
    );
  }
  run("INSERT INTO roles (user_id, role, granted_at) VALUES (100, 'admin', ?)", T0);
  run("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (101, 'staff', 1, ?)", T0);
  run("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (102, 'staff', 2, ?)", T0);
  // people: 1..3 and 5, 6 are account holders; 4 is Wang's grandchild.
  const person = (id: number, account: number, self: number, name: string, relation: string) =>
    run(
      "INSERT INTO people (id, account_id, is_self, name, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      id,
      account,
      self,
      name,
      relation,
      T0,
    );
  person(1, 200, 1, "王秀兰", "self");
  person(2, 201, 1, "李明", "self");
  person(3, 202, 1, "赵强", "self");
  person(4, 200, 0, "小宝", "grandchild");
  person(5, 203, 1, "孙丽", "self");
  person(6, 204, 1, "周老", "self");
  person(7, 300, 1, "Vol", "self");
  const course = (
    id: number,
    code: string,
    kind: string,
    category: string,
    site: number,
    cap: number,
    extra: { status?: string; teacher?: number; health?: number; phone?: number } = {},
  ) =>
    run(
      `INSERT INTO courses (id, code, kind, category, site_id, title_zh, title_en, capacity, status, teacher_user_id, health_related, needs_phone, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      code,
      kind,
      category,
      site,
      `课程${code}`,
      `Course ${code}`,
      cap,
      extra.status ?? "open",
      extra.teacher ?? null,
      extra.health ?? 0,
      extra.phone ?? 0,
      T0,
      T0,
    );
  course(1, "a", "course", "arts", 1, 10);
  course(2, "b", "course", "computer", 1, 4, { teacher: 104, phone: 1 });
  course(3, "c", "course", "crafts", 2, 20);
  course(4, "h", "course", "parenting", 1, 10, { health: 1 });
  course(5, "e", "event", "culture", 2, 100);
  course(6, "f", "course", "sports", 2, 10, { status: "closed" });
  run("INSERT INTO roles (user_id, role, course_id, granted_at) VALUES (103, 'teacher', 1, ?)", T0);
  const session = (id: number, courseId: number, seq: number, start: string, hours = 1.5) =>
    run(
      "INSERT INTO sessions (id, course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
      id,
      courseId,
      seq,
      start,
      new Date(Date.parse(start) + hours * 3_600_000).toISOString(),
      `CODE${id}`,
    );
  session(1, 1, 2, "2026-11-24T01:00:00.000Z");
  session(2, 1, 1, "2026-11-17T01:00:00.000Z");
  session(3, 1, 3, "2026-12-01T01:00:00.000Z");
  session(4, 2, 1, "2026-11-25T06:00:00.000Z");
  session(5, 2, 2, "2026-12-02T06:00:00.000Z");
  session(6, 4, 1, "2026-11-26T01:00:00.000Z");
  session(7, 5, 1, "2026-11-28T02:00:00.000Z");
  session(8, 6, 1, "2025-10-01T01:00:00.000Z");
  const enrol = (
    courseId: number,
    personId: number,
    account: number,
    status: string,
    created: string,
    extra: { seq?: number; cancelled?: string } = {},
  ) =>
    run(
      `INSERT INTO enrolments (course_id, person_id, account_id, status, waitlist_seq, created_at, updated_at, cancelled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      courseId,
      personId,
      account,
      status,
      extra.seq ?? null,
      created,
      created,
      extra.cancelled ?? null,
    );
  enrol(1, 1, 200, "enrolled", "2026-11-23T03:00:00.000Z");
  enrol(1, 2, 201, "enrolled", "2026-11-10T03:00:00.000Z");
  enrol(1, 4, 200, "enrolled", "2026-11-24T03:00:00.000Z");
  enrol(1, 3, 202, "cancelled", "2026-11-18T03:00:00.000Z", { cancelled: "2026-11-25T03:00:00.000Z" });
  for (const p of [
    [1, 200],
    [2, 201],
    [3, 202],
    [4, 200],
  ] as const)
    enrol(2, p[0], p[1], "enrolled", "2026-11-01T03:00:00.000Z");
  enrol(2, 5, 203, "waitlisted", "2026-11-26T03:00:00.000Z", { seq: 1 });
  enrol(3, 1, 200, "enrolled", "2026-11-20T03:00:00.000Z");
  enrol(4, 2, 201, "enrolled", "2026-10-01T03:00:00.000Z");
  enrol(5, 3, 202, "enrolled", "2026-11-27T03:00:00.000Z");
  enrol(6, 6, 204, "enrolled", "2025-09-01T03:00:00.000Z");
  const att = (session: number, personId: number, status: string) =>
    run(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, ?, 'checkin', ?)",
      session,
      personId,
      status,
      T0,
    );
  att(1, 1, "present");
  att(1, 2, "present");
  att(1, 4, "absent");
  att(4, 1, "present");
  att(4, 2, "present");
  att(4, 3, "present");
  att(6, 2, "present");
  att(2, 2, "present");
  att(8, 6, "present");
  run(
    "INSERT INTO volunteers (user_id, name, status, consent_at, created_at) VALUES (300, 'Vol', 'approved', ?, '2026-11-24T03:00:00.000Z')",
    T0,
  );
  run(
    "INSERT INTO volunteers (user_id, name, status, consent_at, created_at) VALUES (301, 'NoVol', 'declined', ?, '2026-11-25T03:00:00.000Z')",
    T0,
  );
  const shift = (id: number, start: string) =>
    run(
      "INSERT INTO shifts (id, title_zh, title_en, site_id, starts_at, ends_at, needed, checkin_code, created_at) VALUES (?, '值班', 'Shift', 1, ?, ?, 1, ?, ?)",
      id,
      start,
      new Date(Date.parse(start) + 3 * 3_600_000).toISOString(),
      `SHIFT${id}`,
      T0,
    );
  shift(1, "2026-11-26T01:00:00.000Z");
  shift(2, "2026-11-18T01:00:00.000Z");
  run(
    "INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at, hours) VALUES (1, 300, 'accepted', ?, 2.5)",
    T0,
  );
  run(
    "INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at, hours) VALUES (2, 300, 'accepted', ?, 3)",
    T0,
  );
  const rating = (
    courseId: number,
    personId: number,
    account: number,
    stars: number,
    comment: string | null,
    anonymous: number,
    at: string,
  ) =>
    run(
      "INSERT INTO feedback (kind, course_id, person_id, account_id, stars, comment, anonymous, created_at) VALUES ('rating', ?, ?, ?, ?, ?, ?, ?)",
      courseId,
      personId,
      account,
      stars,
      comment,
      anonymous,
      at,
    );
  rating(1, 1, 200, 5, "很好", 0, "2026-11-28T03:00:00.000Z");
  rating(2, 2, 201, 2, "太快了", 1, "2026-11-25T03:00:00.000Z");
  rating(2, 3, 202, 4, null, 0, "2026-10-05T03:00:00.000Z");
  for (const [topic, at] of [
    ["computer", "2026-06-01"],
    ["computer", "2026-07-01"],
    ["arts", "2026-08-01"],
  ] as const) {
    run(
      "INSERT INTO wishes (account_id, topic, created_at) VALUES (201, ?, ?)",
      topic,
      `${at}T00:00:00.000Z`,
    );
  }
}

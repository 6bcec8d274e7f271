import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSkills } from "../../src/catalog/catalog-schema.ts";
import { DEMO_CALLIGRAPHY, DEMO_FINISHED, DEMO_PERSONAS, seedDemo } from "../../src/demo/demo.ts";
import { importCatalogFile } from "../../src/catalog/import.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";

const DATA = fileURLToPath(new URL("../../data/", import.meta.url));
const OPTS = { timezone: "Asia/Shanghai", now: new Date("2026-11-28T04:00:00.000Z") };
const TABLES = [
  "users",
  "people",
  "roles",
  "enrolments",
  "attendance",
  "volunteers",
  "shifts",
  "shift_assignments",
  "feedback",
  "wishes",
  "learning_teams",
  "learning_team_members",
];

function seededDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  importCatalogFile(db, join(DATA, "catalog.yaml"), OPTS);
  seedDemo(db, OPTS);
  return db;
}

const counts = (db: Db) =>
  Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]));

describe("seedDemo", () => {
  let db: Db;
  beforeAll(() => {
    db = seededDb();
  });

  it("adds a plausible population and nothing on a second run", () => {
    const first = counts(db);
    expect(first.users).toBeGreaterThanOrEqual(67);
    expect(first.people).toBeGreaterThanOrEqual(67 + 25);
    expect(first.volunteers).toBeGreaterThanOrEqual(10);
    expect(first.attendance).toBeGreaterThan(100);
    const again = seedDemo(db, OPTS);
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    expect(counts(db)).toEqual(first);
  });

  it("is deterministic", () => {
    const other = seededDb();
    const dump = (d: Db) =>
      d
        .prepare(
          `SELECT c.code, p.name, e.status, e.waitlist_seq, e.created_at FROM enrolments e
           JOIN courses c ON c.id = e.course_id JOIN people p ON p.id = e.person_id ORDER BY c.code, p.name`,
        )
        .all();
    expect(dump(other)).toEqual(dump(db));
  });

  it("leaves the database consistent", () => {
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    // Never more seats taken than a course has.
    const over = db
      .prepare(
        `SELECT c.code FROM courses c JOIN enrolments e ON e.course_id = c.id AND e.status IN ('enrolled', 'offered')
         GROUP BY c.id HAVING COUNT(*) > c.capacity`,
      )
      .pluck()
      .all();
    expect(over).toEqual([]);
  });

  it("creates the personas with their roles and families", () => {
    for (const p of DEMO_PERSONAS) {
      const user = db.prepare("SELECT first_name, language_code, locale FROM users WHERE id = ?").get(p.id);
      expect(user).toEqual({ first_name: p.first_name, language_code: p.language_code, locale: p.locale });
      expect(
        db.prepare("SELECT COUNT(*) FROM people WHERE account_id = ? AND is_self = 1").pluck().get(p.id),
      ).toBe(1);
    }
    const roles = db
      .prepare("SELECT user_id, role, site_id, course_id FROM roles ORDER BY id")
      .all() as Array<{
      user_id: number;
      role: string;
      site_id: number | null;
      course_id: number | null;
    }>;
    expect(roles).toContainEqual({ user_id: 100006, role: "staff", site_id: null, course_id: null });
    expect(roles).toContainEqual({ user_id: 100007, role: "admin", site_id: null, course_id: null });
    const calligraphy = db
      .prepare("SELECT id, teacher_user_id, capacity FROM courses WHERE code = ?")
      .get(DEMO_CALLIGRAPHY) as {
      id: number;
      teacher_user_id: number;
      capacity: number;
    };
    expect(roles).toContainEqual({
      user_id: 100005,
      role: "teacher",
      site_id: null,
      course_id: calligraphy.id,
    });
    expect(calligraphy.teacher_user_id).toBe(100005);

    const family = (account: number) =>
      db
        .prepare(
          "SELECT relation, birth_year FROM people WHERE account_id = ? AND is_self = 0 ORDER BY birth_year",
        )
        .all(account);
    expect(family(100002)).toEqual([{ relation: "child", birth_year: 2019 }]);
    expect(family(100003)).toEqual([
      { relation: "parent", birth_year: 1954 },
      { relation: "child", birth_year: 2017 },
    ]);
    expect(db.prepare("SELECT status FROM volunteers WHERE user_id = 100004").pluck().get()).toBe("approved");
    // The volunteer persona has a shift ping to answer, for a shift still ahead.
    expect(
      db
        .prepare(
          `SELECT count(*) FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id
           WHERE a.volunteer_id = 100004 AND a.status = 'pinged' AND s.status = 'open' AND s.starts_at > ?`,
        )
        .pluck()
        .get(OPTS.now.toISOString()),
    ).toBe(1);
    // ... and the ping's message is waiting in the outbox, so the sandbox shows it to her.
    expect(
      db
        .prepare("SELECT count(*) FROM outbox WHERE chat_id = 100004 AND template = 'volunteers.shiftPing'")
        .pluck()
        .get(),
    ).toBe(1);
    expect(
      db.prepare("SELECT birth_year FROM people WHERE account_id = 100001 AND is_self = 1").pluck().get(),
    ).toBe(1952);
  });

  it("leaves room in calligraphy for the resident persona, and fills another course with a waiting list", () => {
    const calligraphy = db
      .prepare("SELECT id, capacity FROM courses WHERE code = ?")
      .get(DEMO_CALLIGRAPHY) as {
      id: number;
      capacity: number;
    };
    const taken = db
      .prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')")
      .pluck()
      .get(calligraphy.id) as number;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(calligraphy.capacity);
    expect(
      db
        .prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND account_id = 100001")
        .pluck()
        .get(calligraphy.id),
    ).toBe(0);

    const full = db
      .prepare(
        `SELECT c.code, c.capacity,
                SUM(e.status IN ('enrolled', 'offered')) AS taken, SUM(e.status = 'waitlisted') AS waiting
         FROM courses c JOIN enrolments e ON e.course_id = c.id GROUP BY c.id HAVING taken = c.capacity AND waiting > 0`,
      )
      .all();
    expect(full.length).toBeGreaterThan(0);

    const queue = db
      .prepare(
        "SELECT waitlist_seq, created_at FROM enrolments WHERE waitlist_seq IS NOT NULL ORDER BY waitlist_seq",
      )
      .all() as Array<{ waitlist_seq: number; created_at: string }>;
    expect(new Set(queue.map((q) => q.waitlist_seq)).size).toBe(queue.length);
    const times = queue.map((q) => q.created_at);
    expect(times).toEqual([...times].sort());
  });

  it("gives the finished course ratings, but leaves the resident persona hers to give", () => {
    const finished = db.prepare("SELECT id FROM courses WHERE code = ?").pluck().get(DEMO_FINISHED) as number;
    const ratings = db
      .prepare("SELECT stars, comment, anonymous FROM feedback WHERE kind = 'rating' AND course_id = ?")
      .all(finished) as Array<{ stars: number; comment: string | null; anonymous: number }>;
    expect(ratings.length).toBeGreaterThanOrEqual(5);
    expect(ratings.some((r) => r.comment !== null)).toBe(true);
    expect(ratings.some((r) => r.anonymous === 1)).toBe(true);
    expect(ratings.every((r) => r.stars >= 1 && r.stars <= 5)).toBe(true);
    expect(
      db
        .prepare("SELECT COUNT(*) FROM feedback WHERE course_id = ? AND account_id = 100001")
        .pluck()
        .get(finished),
    ).toBe(0);
    const attended = db
      .prepare(
        `SELECT COUNT(*) FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN people p ON p.id = a.person_id
         WHERE s.course_id = ? AND p.account_id = 100001 AND a.status = 'present'`,
      )
      .pluck()
      .get(finished) as number;
    expect(attended).toBeGreaterThan(0);
    // Attendance only ever for sessions that already happened.
    const future = db
      .prepare(
        "SELECT COUNT(*) FROM attendance a JOIN sessions s ON s.id = a.session_id WHERE s.starts_at >= ?",
      )
      .pluck()
      .get(OPTS.now.toISOString());
    expect(future).toBe(0);
  });

  it("gives volunteers known skills, availability bits and hours", () => {
    const known = new Set(loadSkills(join(DATA, "skills.yaml")).map((s) => s.code));
    const volunteers = db.prepare("SELECT skills, availability, status FROM volunteers").all() as Array<{
      skills: string;
      availability: number;
      status: string;
    }>;
    for (const v of volunteers) {
      for (const s of JSON.parse(v.skills) as string[]) expect(known).toContain(s);
      expect(v.availability).toBeGreaterThan(0);
      expect(v.availability).toBeLessThan(2 ** 21);
    }
    expect(new Set(volunteers.map((v) => v.status))).toEqual(new Set(["approved", "pending", "paused"]));
    const hours = db.prepare("SELECT SUM(hours) FROM shift_assignments").pluck().get() as number;
    expect(hours).toBeGreaterThan(0);
    expect(db.prepare("SELECT COUNT(DISTINCT topic) FROM wishes").pluck().get()).toBeGreaterThanOrEqual(3);
  });

  it("when run again months later, only fills courses it has not touched, and never overfills", () => {
    const other = seededDb();
    const perCourse = () =>
      other
        .prepare("SELECT course_id, COUNT(*) AS n FROM enrolments GROUP BY course_id ORDER BY course_id")
        .all() as Array<{
        course_id: number;
        n: number;
      }>;
    const before = perCourse();
    // By February the spring calligraphy term is open for enrolment.
    const later = seedDemo(other, { ...OPTS, now: new Date("2027-02-01T02:00:00.000Z") });
    expect(later.users).toBe(0);
    expect(later.people).toBe(0);
    const after = perCourse();
    for (const row of before) expect(after.find((a) => a.course_id === row.course_id)?.n).toBe(row.n);
    const spring = other
      .prepare("SELECT id FROM courses WHERE code = 'jt-calligraphy-spring'")
      .pluck()
      .get() as number;
    expect(after.find((a) => a.course_id === spring)?.n ?? 0).toBeGreaterThan(0);
    const over = other
      .prepare(
        `SELECT c.code FROM courses c JOIN enrolments e ON e.course_id = c.id AND e.status IN ('enrolled', 'offered')
         GROUP BY c.id HAVING COUNT(*) > c.capacity`,
      )
      .pluck()
      .all();
    expect(over).toEqual([]);
  });

  it("keeps the self row of a persona who used the bot before the demo was seeded", () => {
    const fresh = openDatabase(":memory:");
    migrate(fresh);
    importCatalogFile(fresh, join(DATA, "catalog.yaml"), OPTS);
    fresh
      .prepare("INSERT INTO users (id, first_name, created_at) VALUES (100001, '王秀兰', ?)")
      .run(OPTS.now.toISOString());
    fresh
      .prepare(
        "INSERT INTO people (id, account_id, is_self, name, relation, created_at) VALUES (5, 100001, 1, '王秀兰', 'self', ?)",
      )
      .run(OPTS.now.toISOString());
    seedDemo(fresh, OPTS);
    expect(fresh.prepare("SELECT id FROM people WHERE account_id = 100001").pluck().all()).toEqual([5]);
    expect(
      fresh.prepare("SELECT COUNT(*) FROM enrolments WHERE person_id = 5").pluck().get(),
    ).toBeGreaterThan(0);
  });

  it("refuses to run before the catalog is imported", () => {
    const empty = openDatabase(":memory:");
    migrate(empty);
    expect(() => seedDemo(empty, OPTS)).toThrow(/catalog/);
  });
});

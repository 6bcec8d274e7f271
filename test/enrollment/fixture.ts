import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { newCode } from "../../src/ids.ts";
import { touchAccount } from "../../src/people/accounts.ts";

export const NOW = new Date("2026-11-30T02:00:00.000Z");
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function freshDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  seedPlaces(db);
  return db;
}

/** One school and one venue, for courses to belong to. */
export function seedPlaces(db: Db): void {
  db.prepare(
    "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'S1', 'school', '东湖社区学校', 'East Lake school')",
  ).run();
  db.prepare(
    "INSERT INTO venues (id, code, site_id, name_zh, name_en, address_zh, address_en) VALUES (1, 'V1', 1, '活动室', 'Hall', '东湖路1号', '1 East Lake Rd')",
  ).run();
}

export interface CourseOptions {
  code?: string;
  capacity?: number;
  minAge?: number | null;
  maxAge?: number | null;
  audiences?: string[];
  health?: boolean;
  phone?: boolean;
  status?: string;
  opensAt?: string | null;
  closesAt?: string | null;
  /** First session start; weekly sessions follow. */
  firstAt?: Date;
  sessions?: number;
  minutes?: number;
}

let seq = 0;

/** A course with weekly sessions; returns its id. */
export function addCourse(db: Db, o: CourseOptions = {}): number {
  seq++;
  const at = NOW.toISOString();
  const id = Number(
    db
      .prepare(
        `INSERT INTO courses (code, category, site_id, venue_id, title_zh, title_en, audiences, min_age, max_age, capacity,
           health_related, needs_phone, enrol_opens_at, enrol_closes_at, status, created_at, updated_at)
         VALUES (?, 'arts', 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        o.code ?? `C${seq}`,
        `书法${seq}`,
        `Calligraphy ${seq}`,
        JSON.stringify(o.audiences ?? ["everyone"]),
        o.minAge ?? null,
        o.maxAge ?? null,
        o.capacity ?? 10,
        o.health ? 1 : 0,
        o.phone ? 1 : 0,
        o.opensAt ?? null,
        o.closesAt ?? null,
        o.status ?? "open",
        at,
        at,
      ).lastInsertRowid,
  );
  const first = (o.firstAt ?? new Date(NOW.getTime() + 2 * DAY_MS)).getTime();
  const n = o.sessions ?? 4;
  for (let i = 0; i < n; i++) {
    const start = new Date(first + i * 7 * DAY_MS);
    const end = new Date(start.getTime() + (o.minutes ?? 90) * 60_000);
    db.prepare(
      "INSERT INTO sessions (course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, ?, ?, ?, ?)",
    ).run(id, i + 1, start.toISOString(), end.toISOString(), newCode());
  }
  return id;
}

/** A Telegram user with their self participant; returns { accountId, selfId }. */
export function addUser(db: Db, id: number, name = `User${id}`) {
  touchAccount(db, { id, first_name: name }, NOW);
  const selfId = db
    .prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1")
    .pluck()
    .get(id) as number;
  return { accountId: id, selfId };
}

export const statusOf = (db: Db, enrolmentId: number) =>
  db.prepare("SELECT status FROM enrolments WHERE id = ?").pluck().get(enrolmentId) as string;

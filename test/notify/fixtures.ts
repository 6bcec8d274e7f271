import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { setLocale, touchAccount } from "../../src/people/accounts.ts";

/** A fresh in-memory database with one site, one venue and nothing else. */
export function freshDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  addSite(db);
  return db;
}

/** One site and one venue, for a database made elsewhere (the bot harness). */
export function addSite(db: Db): void {
  db.prepare(
    "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'S1', 'school', '幸福社区学校', 'Happiness School')",
  ).run();
  db.prepare(
    "INSERT INTO venues (id, code, site_id, name_zh, name_en) VALUES (1, 'V1', 1, '二楼活动室', 'Room 2F')",
  ).run();
}

let courseSeq = 0;
let codeSeq = 0;

export function addCourse(
  db: Db,
  titles: { zh: string; en: string } = { zh: "老年书法", en: "Calligraphy for seniors" },
): number {
  courseSeq += 1;
  const at = "2026-01-01T00:00:00.000Z";
  return Number(
    db
      .prepare(
        `INSERT INTO courses (code, category, site_id, venue_id, title_zh, title_en, capacity, created_at, updated_at)
         VALUES (?, 'arts', 1, 1, ?, ?, 2, ?, ?)`,
      )
      .run(`C${courseSeq}-${Math.random().toString(36).slice(2, 7)}`, titles.zh, titles.en, at, at)
      .lastInsertRowid,
  );
}

export function addSession(db: Db, courseId: number, startsAt: string, minutes = 90): number {
  codeSeq += 1;
  const seq = db
    .prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM sessions WHERE course_id = ?")
    .pluck()
    .get(courseId) as number;
  const ends = new Date(Date.parse(startsAt) + minutes * 60_000).toISOString();
  return Number(
    db
      .prepare(
        "INSERT INTO sessions (course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, ?, ?, ?, ?)",
      )
      .run(
        courseId,
        seq,
        new Date(startsAt).toISOString(),
        ends,
        `K${codeSeq}${Math.random().toString(36).slice(2, 8)}`,
      ).lastInsertRowid,
  );
}

export interface Resident {
  id: number;
  first_name: string;
  language_code?: string;
  locale?: "zh" | "en";
}

/** Records the account (as if they had written to the bot) and returns their own participant id. */
export function addResident(db: Db, r: Resident, now = new Date("2026-01-01T00:00:00Z")): number {
  touchAccount(db, { id: r.id, first_name: r.first_name, language_code: r.language_code }, now);
  if (r.locale) setLocale(db, r.id, r.locale);
  return db.prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1").pluck().get(r.id) as number;
}

export function addFamilyMember(db: Db, accountId: number, name: string): number {
  return Number(
    db
      .prepare(
        "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (?, 0, ?, 'child', '2026-01-01T00:00:00.000Z')",
      )
      .run(accountId, name).lastInsertRowid,
  );
}

export function enrol(
  db: Db,
  courseId: number,
  personId: number,
  accountId: number,
  status = "enrolled",
  seq: number | null = null,
): number {
  const at = "2026-01-01T00:00:00.000Z";
  return Number(
    db
      .prepare(
        `INSERT INTO enrolments (course_id, person_id, account_id, status, waitlist_seq, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(courseId, personId, accountId, status, seq, at, at).lastInsertRowid,
  );
}

export interface OutboxRow {
  key: string;
  chat_id: number;
  template: string;
  params: string;
  due_at: string;
  state: string;
  attempts: number;
  last_error: string | null;
  message_id: number | null;
  sent_at: string | null;
  next_attempt_at: string | null;
}

export const outboxRows = (db: Db): OutboxRow[] =>
  db.prepare("SELECT * FROM outbox ORDER BY id").all() as OutboxRow[];

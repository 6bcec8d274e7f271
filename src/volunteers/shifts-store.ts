/** Shifts as stored: reading them and creating them (from chat or the catalog). */
import type { Db } from "../db/connection.ts";
import { preparedFor } from "../db/connection.ts";
import { newCode } from "../ids.ts";

export type ShiftStatus = "open" | "filled" | "cancelled";

export interface Shift {
  id: number;
  code: string | null;
  titleZh: string;
  titleEn: string;
  siteId: number;
  venueId: number | null;
  courseId: number | null;
  startsAt: string;
  endsAt: string;
  needed: number;
  skills: string[];
  status: ShiftStatus;
  checkinCode: string;
  escalatedAt: string | null;
}

interface ShiftRow {
  id: number;
  code: string | null;
  title_zh: string;
  title_en: string;
  site_id: number;
  venue_id: number | null;
  course_id: number | null;
  starts_at: string;
  ends_at: string;
  needed: number;
  skills: string;
  status: ShiftStatus;
  checkin_code: string;
  escalated_at: string | null;
}

const toShift = (r: ShiftRow): Shift => ({
  id: r.id,
  code: r.code,
  titleZh: r.title_zh,
  titleEn: r.title_en,
  siteId: r.site_id,
  venueId: r.venue_id,
  courseId: r.course_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  needed: r.needed,
  skills: (JSON.parse(r.skills) as unknown[]).filter((s): s is string => typeof s === "string"),
  status: r.status,
  checkinCode: r.checkin_code,
  escalatedAt: r.escalated_at,
});

const COLUMNS =
  "id, code, title_zh, title_en, site_id, venue_id, course_id, starts_at, ends_at, needed, skills, status, checkin_code, escalated_at";

export function getShift(db: Db, id: number): Shift | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM shifts WHERE id = ?`).get(id) as ShiftRow | undefined;
  return row ? toShift(row) : undefined;
}

export function getShiftByCheckinCode(db: Db, code: string): Shift | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM shifts WHERE checkin_code = ?`).get(code) as
    | ShiftRow
    | undefined;
  return row ? toShift(row) : undefined;
}

export interface NewShift {
  code?: string | null;
  titleZh: string;
  titleEn: string;
  siteId: number;
  venueId?: number | null;
  courseId?: number | null;
  startsAt: Date;
  endsAt: Date;
  needed: number;
  skills?: string[];
  createdBy?: number | null;
}

/** Inserts a shift (status open) with a fresh check-in code; call inside the caller's transaction. */
export function insertShift(db: Db, input: NewShift, now: Date): number {
  const result = db
    .prepare(
      `INSERT INTO shifts (code, title_zh, title_en, site_id, venue_id, course_id, starts_at, ends_at, needed, skills,
         checkin_code, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      input.code ?? null,
      input.titleZh,
      input.titleEn,
      input.siteId,
      input.venueId ?? null,
      input.courseId ?? null,
      input.startsAt.toISOString(),
      input.endsAt.toISOString(),
      input.needed,
      JSON.stringify([...new Set(input.skills ?? [])]),
      newCode(),
      input.createdBy ?? null,
      now.toISOString(),
    );
  return Number(result.lastInsertRowid);
}

/** Upcoming shifts, soonest first; for staff lists. */
export function upcomingShifts(db: Db, now: Date, limit = 20): Shift[] {
  return (
    db
      .prepare(
        `SELECT ${COLUMNS} FROM shifts WHERE starts_at > ? AND status <> 'cancelled' ORDER BY starts_at LIMIT ?`,
      )
      .all(now.toISOString(), limit) as ShiftRow[]
  ).map(toShift);
}

/** A volunteer on a shift's roster, with the hours recorded so far (null before check-in). */
export interface RosterVolunteer {
  assignmentId: number;
  name: string;
  hours: number | null;
}

const assignmentReads = preparedFor((db: Db) => ({
  own: db.prepare<[number, number], { shift_id: number; status: string }>(
    "SELECT shift_id, status FROM shift_assignments WHERE id = ? AND volunteer_id = ?",
  ),
  roster: db.prepare<[number], { id: number; name: string; hours: number | null }>(
    `SELECT a.id, v.name, a.hours FROM shift_assignments a JOIN volunteers v ON v.user_id = a.volunteer_id
       WHERE a.shift_id = ? AND a.status = 'accepted' ORDER BY a.responded_at`,
  ),
}));

/** An assignment of this volunteer's (its shift and status), or undefined when it is not theirs. */
export function ownAssignment(
  db: Db,
  assignmentId: number,
  volunteerId: number,
): { shiftId: number; status: string } | undefined {
  const row = assignmentReads(db).own.get(assignmentId, volunteerId);
  return row ? { shiftId: row.shift_id, status: row.status } : undefined;
}

/** The volunteers who accepted a shift, in the order they answered. */
export function shiftRoster(db: Db, shiftId: number): RosterVolunteer[] {
  return assignmentReads(db)
    .roster.all(shiftId)
    .map((r) => ({ assignmentId: r.id, name: r.name, hours: r.hours }));
}

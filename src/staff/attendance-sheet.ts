/**
 * Taking attendance with toggle buttons and no server-side draft: the marks travel in the
 * buttons' callback data as a bit mask (1 = present), tied to the participant list by a short
 * hash, so a list that changed in between is noticed instead of marking the wrong person.
 */

import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { recordAttendance } from "../enrollment/attendance.ts";

export interface SheetSession {
  id: number;
  course_id: number;
  starts_at: string;
  status: string;
  checkin_code: string;
  title_zh: string;
  title_en: string;
}

export interface SheetEntry {
  personId: number;
  name: string;
  recorded: "present" | "absent" | "excused" | null;
}

export function sheetSession(db: Db, sessionId: number): SheetSession | undefined {
  return db
    .prepare(
      `SELECT s.id, s.course_id, s.starts_at, s.status, s.checkin_code, c.title_zh, c.title_en
       FROM sessions s JOIN courses c ON c.id = s.course_id WHERE s.id = ?`,
    )
    .get(sessionId) as SheetSession | undefined;
}

/** The people expected at a session (enrolled now) plus anyone already marked, in a stable order. */
export function sheetEntries(db: Db, sessionId: number): SheetEntry[] {
  return db
    .prepare(
      `SELECT p.id AS personId, p.name, a.status AS recorded FROM people p
       LEFT JOIN attendance a ON a.session_id = :sid AND a.person_id = p.id
       WHERE p.id IN (
         SELECT e.person_id FROM enrolments e JOIN sessions s ON s.course_id = e.course_id
         WHERE s.id = :sid AND e.status = 'enrolled'
         UNION SELECT person_id FROM attendance WHERE session_id = :sid)
       ORDER BY p.id`,
    )
    .all({ sid: sessionId }) as SheetEntry[];
}

/** 4 base-36 characters naming the list of people (FNV-1a). */
export function listHash(entries: SheetEntry[]): string {
  let h = 0x811c9dc5;
  for (const ch of entries.map((e) => e.personId).join(",")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 36 ** 4).toString(36).padStart(4, "0");
}

export const maskOf = (entries: SheetEntry[]): bigint =>
  entries.reduce((m, e, i) => (e.recorded === "present" ? m | (1n << BigInt(i)) : m), 0n);
export const encodeMask = (m: bigint): string => m.toString(36);
export function decodeMask(s: string): bigint | undefined {
  if (!/^[0-9a-z]{1,45}$/.test(s)) return undefined;
  let m = 0n;
  for (const ch of s) m = m * 36n + BigInt(Number.parseInt(ch, 36));
  return m;
}
export const isPresent = (m: bigint, i: number): boolean => ((m >> BigInt(i)) & 1n) === 1n;
export const toggle = (m: bigint, i: number): bigint => m ^ (1n << BigInt(i));

/**
 * Saves the marks: present where the bit is set, absent where not. Rows already saying the
 * same are left alone (a resident's own check-in keeps its source); an excused absence stays
 * excused unless marked present. Returns how many rows changed.
 */
export function saveSheet(
  db: Db,
  sessionId: number,
  entries: SheetEntry[],
  mask: bigint,
  by: number,
  now: Date,
): { present: number; absent: number; changed: number } {
  return immediate(db, () => {
    let changed = 0;
    let present = 0;
    entries.forEach((e, i) => {
      const want = isPresent(mask, i) ? "present" : e.recorded === "excused" ? "excused" : "absent";
      if (want === "present") present++;
      if (e.recorded === want) return;
      recordAttendance(db, { sessionId, personId: e.personId, status: want, source: "staff", by }, now);
      changed++;
    });
    return { present, absent: entries.length - present, changed };
  });
}

/** Sessions of the given courses from `from` to `to` (recent and today's), latest first. */
export function recentSessions(
  db: Db,
  where: string,
  params: number[],
  from: Date,
  to: Date,
): SheetSession[] {
  return db
    .prepare(
      `SELECT s.id, s.course_id, s.starts_at, s.status, s.checkin_code, c.title_zh, c.title_en
       FROM sessions s JOIN courses c ON c.id = s.course_id
       WHERE s.starts_at >= ? AND s.starts_at < ? AND s.status = 'scheduled' AND ${where}
       ORDER BY s.starts_at DESC LIMIT 12`,
    )
    .all(from.toISOString(), to.toISOString(), ...params) as SheetSession[];
}

import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";

/** A course as the enrolment rules need it. */
export interface CourseRow {
  id: number;
  code: string;
  kind: string;
  category: string;
  site_id: number;
  venue_id: number | null;
  title_zh: string;
  title_en: string;
  audiences: string;
  min_age: number | null;
  max_age: number | null;
  capacity: number;
  health_related: number;
  needs_phone: number;
  enrol_opens_at: string | null;
  enrol_closes_at: string | null;
  status: string;
}

export interface PersonRow {
  id: number;
  account_id: number | null;
  is_self: number;
  name: string;
  relation: string;
  birth_year: number | null;
}

export interface EnrolmentRow {
  id: number;
  course_id: number;
  person_id: number;
  account_id: number | null;
  status: "enrolled" | "waitlisted" | "offered" | "cancelled";
  waitlist_seq: number | null;
  offer_expires_at: string | null;
  consent_at: string | null;
}

/** Prepared statements shared by the enrolment modules, once per database. */
export const q = preparedFor((db: Db) => ({
  course: db.prepare<[number], CourseRow>(
    `SELECT id, code, kind, category, site_id, venue_id, title_zh, title_en, audiences, min_age, max_age, capacity,
              health_related, needs_phone, enrol_opens_at, enrol_closes_at, status FROM courses WHERE id = ?`,
  ),
  person: db.prepare<[number], PersonRow>(
    "SELECT id, account_id, is_self, name, relation, birth_year FROM people WHERE id = ?",
  ),
  selfPerson: db.prepare<[number], PersonRow>(
    "SELECT id, account_id, is_self, name, relation, birth_year FROM people WHERE account_id = ? AND is_self = 1",
  ),
  enrolment: db.prepare<[number], EnrolmentRow>(
    `SELECT id, course_id, person_id, account_id, status, waitlist_seq, offer_expires_at, consent_at
       FROM enrolments WHERE id = ?`,
  ),
  enrolmentOf: db.prepare<[number, number], EnrolmentRow>(
    `SELECT id, course_id, person_id, account_id, status, waitlist_seq, offer_expires_at, consent_at
       FROM enrolments WHERE course_id = ? AND person_id = ?`,
  ),
  nextSession: db.prepare<[number, string], { starts_at: string }>(
    `SELECT starts_at FROM sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at > ?
       ORDER BY starts_at LIMIT 1`,
  ),
  position: db.prepare<[number, number], { n: number }>(
    `SELECT count(*) AS n FROM enrolments WHERE course_id = ? AND status = 'waitlisted' AND waitlist_seq <= ?`,
  ),
  participantName: db.prepare<[number], { name: string }>(
    "SELECT p.name FROM enrolments e JOIN people p ON p.id = e.person_id WHERE e.id = ?",
  ),
  phone: db.prepare<[number], { phone: string | null }>("SELECT phone FROM users WHERE id = ?"),
}));

/** The start of the next scheduled session after `now`, or undefined when none is left. */
export function nextSessionAt(db: Db, courseId: number, now: Date): string | undefined {
  return q(db).nextSession.get(courseId, now.toISOString())?.starts_at;
}

/** 1-based place of a waitlisted enrolment in its course's line. */
export function positionOf(db: Db, row: Pick<EnrolmentRow, "course_id" | "waitlist_seq">): number {
  return row.waitlist_seq === null ? 0 : (q(db).position.get(row.course_id, row.waitlist_seq)?.n ?? 0);
}

/** The name of the participant of an enrolment (for messages). */
export function participantName(db: Db, enrolmentId: number): string | undefined {
  return q(db).participantName.get(enrolmentId)?.name;
}

/**
 * Every row the demo writes straight into the domain's tables, in one place. The domain's own
 * functions (touchAccount, addFamilyMember, enrol, grantRole, the volunteer sign-up) each take
 * an IMMEDIATE transaction and re-check their rules per row, some write an audit line, and all
 * stamp rows with the moment of the call. The demo seeds thousands of residents, enrolments and
 * attendances in one transaction in seconds, with the back-dated times, statuses and waitlist
 * places its story needs, and a second run must add nothing (INSERT OR IGNORE / ON CONFLICT DO
 * NOTHING). What is written here obeys the same schema, so its checks and unique keys still hold.
 */
import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";

/** The demo's insert statements, prepared once per database. */
export const demoRows = preparedFor((db: Db) => ({
  user: db.prepare(
    `INSERT OR IGNORE INTO users (id, first_name, last_name, username, language_code, locale, phone, news_opt_in, created_at, last_seen_at)
     VALUES (@id, @first_name, @last_name, @username, @language_code, @locale, @phone, @news_opt_in, @created_at, @last_seen_at)`,
  ),
  person: db.prepare(
    "INSERT INTO people (account_id, is_self, name, relation, birth_year, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ),
  enrolment: db.prepare(
    `INSERT OR IGNORE INTO enrolments
       (course_id, person_id, account_id, status, waitlist_seq, offer_expires_at, consent_at, created_at, updated_at, cancelled_at)
     VALUES (@course_id, @person_id, @account_id, @status,
       CASE WHEN @queued THEN (SELECT IFNULL(MAX(waitlist_seq), 0) + 1 FROM enrolments) END,
       @offer_expires_at, @consent_at, @created_at, @updated_at, @cancelled_at)`,
  ),
  attendance: db.prepare(
    `INSERT OR IGNORE INTO attendance (session_id, person_id, status, source, recorded_at, recorded_by)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ),
  rating: db.prepare(
    `INSERT OR IGNORE INTO feedback (kind, course_id, person_id, account_id, stars, comment, anonymous, created_at)
     VALUES ('rating', ?, ?, ?, ?, ?, ?, ?)`,
  ),
  note: db.prepare(
    "INSERT INTO feedback (kind, course_id, account_id, comment, anonymous, created_at) VALUES (?, ?, ?, ?, 0, ?)",
  ),
  wish: db.prepare(
    "INSERT INTO wishes (account_id, topic, for_whom, when_suits, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ),
  volunteer: db.prepare(
    `INSERT OR IGNORE INTO volunteers
       (user_id, name, phone, skills, skills_note, availability, languages, status, consent_at, decided_by, decided_at, created_at)
     VALUES (@user_id, @name, @phone, @skills, @note, @availability, @languages, @status, @created, @decided_by, @decided_at, @created)`,
  ),
  shift: db.prepare(
    `INSERT OR IGNORE INTO shifts (code, title_zh, title_en, site_id, starts_at, ends_at, needed, skills, checkin_code, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?)`,
  ),
  assignment: db.prepare(
    `INSERT OR IGNORE INTO shift_assignments (shift_id, volunteer_id, status, pinged_at, responded_at, checked_in_at, hours)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  role: db.prepare(
    "INSERT OR IGNORE INTO roles (user_id, role, site_id, course_id, granted_by, granted_at) VALUES (?, ?, NULL, ?, ?, ?)",
  ),
  teacherLink: db.prepare("UPDATE courses SET teacher_user_id = ? WHERE id = ? AND teacher_user_id IS NULL"),
  organisation: db.prepare(
    `INSERT INTO organisations (site_id, kind, name, name_key, contact_name, employees, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, name_key) DO NOTHING`,
  ),
  organisationMember: db.prepare(
    `INSERT INTO organisation_members (organisation_id, person_id, source, joined_at) VALUES (?, ?, 'resident', ?)
         ON CONFLICT DO NOTHING`,
  ),
  monthlyReport: db.prepare(
    `INSERT INTO monthly_reports (site_id, month, highlights, problems, next_plan, opened_at, due_at, submitted_at, submitted_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (site_id, month) DO NOTHING`,
  ),
  certificate: db.prepare(
    `INSERT INTO certificates (code, kind, person_id, course_id, name, title_zh, title_en, school_zh, school_en, hours, issued_at)
       VALUES (?, 'course', ?, ?, ?, ?, ?, ?, ?, 6, ?) ON CONFLICT DO NOTHING`,
  ),
}));

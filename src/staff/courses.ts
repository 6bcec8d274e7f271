/**
 * Course management by staff in chat: capacity, enrolment, sessions, new courses. Each change is
 * one IMMEDIATE transaction, audited; the caller has already checked the right to manage.
 */

import { audit } from "../db/audit.ts";
import type { WeeklySchedule } from "../catalog/schedule.ts";
import { planSessions } from "../catalog/schedule.ts";
import type { Db } from "../db/connection.ts";
import { immediate, preparedFor } from "../db/connection.ts";
import { offerFreedSeats } from "../enrollment/offers.ts";
import { newCode } from "../ids.ts";
import { notifySessionChanged } from "../notify/session-changes.ts";
import { notifyWishersOfCourse } from "../feedback/wishes.ts";
import { managedCourseFilter } from "./access.ts";

/** Seats held now (enrolled plus offered). */
export function seatsHeld(db: Db, courseId: number): number {
  return db
    .prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')")
    .pluck()
    .get(courseId) as number;
}

/** A course as a staff list line shows it. */
export interface ManagedCourse {
  id: number;
  title_zh: string;
  title_en: string;
  capacity: number;
  status: string;
}

/** A session as the staff session list and card show it. */
export interface SessionLine {
  id: number;
  course_id: number;
  starts_at: string;
  status: string;
}

const reads = preparedFor((db: Db) => ({
  waitlist: db
    .prepare<[number], number>(
      "SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status = 'waitlisted'",
    )
    .pluck(),
  upcomingSessions: db.prepare<[number, string, number], SessionLine>(
    "SELECT id, course_id, starts_at, status FROM sessions WHERE course_id = ? AND starts_at > ? ORDER BY starts_at LIMIT ?",
  ),
  session: db.prepare<[number], SessionLine>(
    "SELECT id, course_id, starts_at, status FROM sessions WHERE id = ?",
  ),
}));

/**
 * One page of the courses a user may manage whose status is one of `statuses`, by id. The
 * condition depends on the user's sites, so this statement is prepared on each call.
 */
export function managedCourses(
  db: Db,
  userId: number,
  statuses: readonly string[],
  limit: number,
  offset: number,
): ManagedCourse[] {
  const f = managedCourseFilter(db, userId);
  return db
    .prepare(
      `SELECT c.id, c.title_zh, c.title_en, c.capacity, c.status FROM courses c WHERE c.status IN (${statuses.map(() => "?").join(", ")}) AND ${f.where} ORDER BY c.id LIMIT ? OFFSET ?`,
    )
    .all(...statuses, ...f.params, limit, offset) as ManagedCourse[];
}

/** How many are on a course's waitlist now. */
export function waitlistCount(db: Db, courseId: number): number {
  return reads(db).waitlist.get(courseId) ?? 0;
}

/** A course's sessions starting after `now` (cancelled ones too), soonest first, at most `limit`. */
export function upcomingSessionsOf(db: Db, courseId: number, now: Date, limit = 10): SessionLine[] {
  return reads(db).upcomingSessions.all(courseId, now.toISOString(), limit);
}

/** One session, or undefined when there is no such session. */
export function sessionLine(db: Db, sessionId: number): SessionLine | undefined {
  return reads(db).session.get(sessionId);
}

export type CapacityResult =
  | { ok: true; from: number; to: number; offers: number }
  | { ok: false; problem: "notFound" | "invalid" }
  | { ok: false; problem: "belowSeats"; seats: number };

/**
 * Sets a course's capacity. Lower than the seats already held is refused (the caller asks what
 * to do; nobody is dropped silently). Raising it offers the new seats to the waitlist.
 */
export function setCapacity(
  db: Db,
  actorId: number,
  courseId: number,
  capacity: number,
  now: Date,
  options: { offerHours: number },
): CapacityResult {
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 100_000)
    return { ok: false, problem: "invalid" };
  const result = immediate(db, (): CapacityResult => {
    const from = db.prepare("SELECT capacity FROM courses WHERE id = ?").pluck().get(courseId) as
      | number
      | undefined;
    if (from === undefined) return { ok: false, problem: "notFound" };
    const seats = seatsHeld(db, courseId);
    if (capacity < seats) return { ok: false, problem: "belowSeats", seats };
    // A double tap sets the same value again: nothing to change or audit.
    if (capacity === from) return { ok: true, from, to: capacity, offers: 0 };
    db.prepare("UPDATE courses SET capacity = ?, updated_at = ? WHERE id = ?").run(
      capacity,
      now.toISOString(),
      courseId,
    );
    audit(db, now, actorId, "course.capacity", `course:${courseId}`, { from, to: capacity });
    return { ok: true, from, to: capacity, offers: 0 };
  });
  if (result.ok && result.to > result.from) {
    return { ...result, offers: offerFreedSeats(db, courseId, now, options) };
  }
  return result;
}

/** Closes (or reopens) enrolment: existing enrolments stay, new ones are refused. */
export function setEnrolmentOpen(
  db: Db,
  actorId: number,
  courseId: number,
  open: boolean,
  now: Date,
): boolean {
  return immediate(db, () => {
    const changed = db
      .prepare(
        "UPDATE courses SET status = ?, updated_at = ? WHERE id = ? AND status IN ('open', 'closed') AND status <> ?",
      )
      .run(open ? "open" : "closed", now.toISOString(), courseId, open ? "open" : "closed").changes;
    if (changed > 0)
      audit(db, now, actorId, open ? "course.reopen" : "course.close", `course:${courseId}`, {});
    return changed > 0;
  });
}

export type SessionChange =
  | { ok: true }
  | { ok: false; problem: "notFound" | "alreadyCancelled" | "past" | "clash" };

/** Cancels a session that has not started; participants are told and their reminders dropped. */
export function cancelSession(db: Db, actorId: number, sessionId: number, now: Date): SessionChange {
  return immediate(db, (): SessionChange => {
    const s = db.prepare("SELECT status, starts_at FROM sessions WHERE id = ?").get(sessionId) as
      | { status: string; starts_at: string }
      | undefined;
    if (!s) return { ok: false, problem: "notFound" };
    if (s.status === "cancelled") return { ok: false, problem: "alreadyCancelled" };
    if (s.starts_at <= now.toISOString()) return { ok: false, problem: "past" };
    db.prepare("UPDATE sessions SET status = 'cancelled' WHERE id = ?").run(sessionId);
    audit(db, now, actorId, "session.cancel", `session:${sessionId}`, { startsAt: s.starts_at });
    notifySessionChanged(db, sessionId, "cancelled", now);
    return { ok: true };
  });
}

/** Moves a session to a new start (same length); participants are told, reminders follow the move. */
export function moveSession(
  db: Db,
  actorId: number,
  sessionId: number,
  newStart: Date,
  now: Date,
): SessionChange {
  return immediate(db, (): SessionChange => {
    const s = db
      .prepare("SELECT course_id, status, starts_at, ends_at FROM sessions WHERE id = ?")
      .get(sessionId) as
      | { course_id: number; status: string; starts_at: string; ends_at: string }
      | undefined;
    if (!s) return { ok: false, problem: "notFound" };
    if (s.status === "cancelled") return { ok: false, problem: "alreadyCancelled" };
    if (s.starts_at <= now.toISOString() || newStart <= now) return { ok: false, problem: "past" };
    const length = Date.parse(s.ends_at) - Date.parse(s.starts_at);
    const startsAt = newStart.toISOString();
    const endsAt = new Date(newStart.getTime() + length).toISOString();
    const clash = db
      .prepare(
        "SELECT 1 FROM sessions WHERE course_id = ? AND id <> ? AND status = 'scheduled' AND starts_at < ? AND ends_at > ?",
      )
      .get(s.course_id, sessionId, endsAt, startsAt);
    if (clash) return { ok: false, problem: "clash" };
    db.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(
      startsAt,
      endsAt,
      sessionId,
    );
    audit(db, now, actorId, "session.move", `session:${sessionId}`, { from: s.starts_at, to: startsAt });
    notifySessionChanged(db, sessionId, "moved", now, s.starts_at);
    return { ok: true };
  });
}

export interface NewCourse {
  titleZh: string;
  titleEn: string;
  category: string;
  audiences: string[];
  capacity: number;
  siteId: number;
  venueId: number | null;
  teacherName: string;
  teacherUserId: number | null;
  schedule: WeeklySchedule;
}

/** Creates an open course with its weekly sessions; returns its id. */
export function createCourse(db: Db, actorId: number, input: NewCourse, timezone: string, now: Date): number {
  const planned = planSessions(input.schedule, timezone);
  const at = now.toISOString();
  return immediate(db, () => {
    const code = `chat-${newCode(6).toLowerCase()}`;
    const id = Number(
      db
        .prepare(
          `INSERT INTO courses (code, kind, category, site_id, venue_id, title_zh, title_en, audiences, capacity,
             teacher_name, teacher_user_id, health_related, status, created_at, updated_at)
           VALUES (?, 'course', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
        )
        .run(
          code,
          input.category,
          input.siteId,
          input.venueId,
          input.titleZh,
          input.titleEn,
          JSON.stringify(input.audiences),
          input.capacity,
          input.teacherName,
          input.teacherUserId,
          input.category === "parenting" && input.audiences.includes("parents_to_be") ? 1 : 0,
          at,
          at,
        ).lastInsertRowid,
    );
    const insert = db.prepare(
      "INSERT INTO sessions (course_id, seq, starts_at, ends_at, venue_id, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (const p of planned) insert.run(id, p.seq, p.startsAt, p.endsAt, input.venueId, newCode());
    audit(db, now, actorId, "course.create", `course:${id}`, { code, sessions: planned.length });
    // Residents who wished for this topic hear of it in the same transaction that opens it.
    notifyWishersOfCourse(db, id, now);
    return id;
  });
}

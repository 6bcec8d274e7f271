/**
 * How many seats a course has left and what a resident can do with it right now.
 * One SQL statement per course; the state rules live here so that browsing, the card and
 * enrolment all agree on what "full" or "closed" means.
 */
import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";

export type CourseState = "open" | "full" | "closed" | "starting_soon" | "finished" | "cancelled";

export interface Availability {
  courseId: number;
  capacity: number;
  taken: number;
  free: number;
  waitlist: number;
  state: CourseState;
  nextSessionAt: string | null;
  sessionsLeft: number;
  firstSessionAt: string | null;
  lastSessionAt: string | null;
}

/** A course is "starting soon" when its first session is at most this far away. */
export const STARTING_SOON_MS = 7 * 24 * 3600 * 1000;

/** The raw figures of one course, as the SQL below returns them. */
export interface AvailabilityRow {
  id: number;
  status: string;
  capacity: number;
  enrol_opens_at: string | null;
  enrol_closes_at: string | null;
  taken: number;
  waitlist: number;
  sessions_total: number;
  sessions_left: number;
  next_session_at: string | null;
  first_session_at: string | null;
  last_session_at: string | null;
}

/** SQL columns giving the figures of course `c` at instant `:now`; shared with the list queries. */
export const AVAILABILITY_COLUMNS = `
  c.id, c.status, c.capacity, c.enrol_opens_at, c.enrol_closes_at,
  (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status IN ('enrolled', 'offered')) AS taken,
  (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'waitlisted') AS waitlist,
  (SELECT COUNT(*) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled') AS sessions_total,
  (SELECT COUNT(*) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > :now) AS sessions_left,
  (SELECT MIN(s.starts_at) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > :now) AS next_session_at,
  (SELECT MIN(s.starts_at) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled') AS first_session_at,
  (SELECT MAX(s.starts_at) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled') AS last_session_at`;

const byId = preparedFor((db: Db) =>
  db.prepare<[{ id: number; now: string }], AvailabilityRow>(
    `SELECT ${AVAILABILITY_COLUMNS} FROM courses c WHERE c.id = :id`,
  ),
);
const takenStmt = preparedFor((db: Db) =>
  db.prepare<[number], { n: number }>(
    "SELECT COUNT(*) AS n FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')",
  ),
);

/**
 * Applies the state rules to one course's figures:
 * cancelled (course cancelled) → closed (draft) → finished (no scheduled session left) →
 * closed (course closed, enrolment not yet open or already closed, or no sessions at all) →
 * full (no free seat; the waitlist is still open) → starting_soon (first session within 7 days)
 * → open.
 */
export function availabilityFromRow(row: AvailabilityRow, now: Date): Availability {
  const free = Math.max(0, row.capacity - row.taken);
  const nowIso = now.toISOString();
  let state: CourseState;
  if (row.status === "cancelled") state = "cancelled";
  else if (row.status === "draft") state = "closed";
  else if (row.sessions_total > 0 && row.sessions_left === 0) state = "finished";
  else if (
    row.status === "closed" ||
    row.sessions_total === 0 ||
    (row.enrol_opens_at !== null && row.enrol_opens_at > nowIso) ||
    (row.enrol_closes_at !== null && row.enrol_closes_at < nowIso)
  )
    state = "closed";
  else if (free <= 0) state = "full";
  else if (
    row.first_session_at !== null &&
    row.first_session_at > nowIso &&
    Date.parse(row.first_session_at) - now.getTime() <= STARTING_SOON_MS
  )
    state = "starting_soon";
  else state = "open";
  return {
    courseId: row.id,
    capacity: row.capacity,
    taken: row.taken,
    free,
    waitlist: row.waitlist,
    state,
    nextSessionAt: row.next_session_at,
    sessionsLeft: row.sessions_left,
    firstSessionAt: row.first_session_at,
    lastSessionAt: row.last_session_at,
  };
}

/**
 * Seats, waitlist and state of a course at `now`; undefined when there is no such course.
 * taken = enrolments with status enrolled or offered; waitlist = status waitlisted.
 */
export function courseAvailability(db: Db, courseId: number, now: Date): Availability | undefined {
  const row = byId(db).get({ id: courseId, now: now.toISOString() });
  return row ? availabilityFromRow(row, now) : undefined;
}

/** Seats taken in a course: enrolments with status enrolled or offered. */
export function seatsTaken(db: Db, courseId: number): number {
  return takenStmt(db).get(courseId)?.n ?? 0;
}

/** True when a resident may ask for a seat or a waitlist place in this state. */
export function acceptsEnrolment(state: CourseState): boolean {
  return state === "open" || state === "starting_soon" || state === "full";
}

import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";

export type AttendanceStatus = "present" | "absent" | "excused";
export type AttendanceSource = "checkin" | "staff" | "reminder";

export interface AttendanceInput {
  sessionId: number;
  personId: number;
  status: AttendanceStatus;
  source: AttendanceSource;
  /** The staff member or teacher who recorded it, when not the participant. */
  by?: number;
}

const upsert = preparedFor((db: Db) =>
  db.prepare(
    `INSERT INTO attendance (session_id, person_id, status, source, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, person_id) DO UPDATE SET status = excluded.status, source = excluded.source,
         recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
  ),
);

/**
 * Records (or corrects) one participant's attendance at one session: one row per
 * (session, person), the latest word wins.
 */
export function recordAttendance(db: Db, input: AttendanceInput, now: Date): void {
  upsert(db).run(
    input.sessionId,
    input.personId,
    input.status,
    input.source,
    now.toISOString(),
    input.by ?? null,
  );
}

/**
 * Takes back a "can't come this time" (an excused absence) before the class: the row goes,
 * so the person counts as expected again. Returns whether there was one to take back.
 */
export function withdrawExcuse(db: Db, sessionId: number, personId: number): boolean {
  return (
    db
      .prepare("DELETE FROM attendance WHERE session_id = ? AND person_id = ? AND status = 'excused'")
      .run(sessionId, personId).changes > 0
  );
}

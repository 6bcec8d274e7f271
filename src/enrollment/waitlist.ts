import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import type { EnrolmentRow } from "./queries.ts";
import { positionOf } from "./queries.ts";

/**
 * The waitlist of a course is the enrolments with status 'waitlisted', ordered by waitlist_seq,
 * strictly first come, first served. The seqs are kept dense (1..n): whoever leaves the line
 * closes the gap behind them. That makes a newcomer's place simply max + 1, found through the
 * index in one step, however long the line, while leaving (rare) costs one UPDATE of the line.
 */

const gaps = preparedFor((db: Db) =>
  db.prepare<[number, number]>(
    "UPDATE enrolments SET waitlist_seq = waitlist_seq - 1 WHERE course_id = ? AND status = 'waitlisted' AND waitlist_seq > ?",
  ),
);

/**
 * Moves everyone behind `seq` one place up. Call after a waitlisted row left the line
 * (offered a seat, cancelled, forgotten), inside the same transaction.
 */
export function closeGap(db: Db, courseId: number, seq: number | null): void {
  if (seq === null) return;
  gaps(db).run(courseId, seq);
}

/** 1-based place of a waitlisted enrolment in its course's line (counted, so it is right even after outside edits). */
export function waitlistPosition(db: Db, row: Pick<EnrolmentRow, "course_id" | "waitlist_seq">): number {
  return positionOf(db, row);
}

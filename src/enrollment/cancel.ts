import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import type { OfferOptions } from "./offers.ts";
import { offerFreedSeats } from "./offers.ts";
import { q } from "./queries.ts";
import { closeGap } from "./waitlist.ts";

export type CancelResult =
  | { kind: "cancelled"; courseId: number; was: "enrolled" | "waitlisted" | "offered"; offersMade: number }
  | { kind: "alreadyCancelled"; courseId: number }
  | { kind: "notYours" }
  | { kind: "notFound" };

/**
 * Cancels an enrolment of one of the account's people. A seat it held (enrolled or offered)
 * is offered to the next in line at once, in the same IMMEDIATE transaction, so the freed seat
 * and the offer message exist together or not at all.
 */
export function cancelEnrolment(
  db: Db,
  input: { enrolmentId: number; accountId: number },
  now: Date,
  options: OfferOptions,
): CancelResult {
  return immediate(db, (): CancelResult => {
    const row = q(db).enrolment.get(input.enrolmentId);
    if (!row) return { kind: "notFound" };
    if (row.account_id !== input.accountId) return { kind: "notYours" };
    if (row.status === "cancelled") return { kind: "alreadyCancelled", courseId: row.course_id };
    const at = now.toISOString();
    db.prepare(
      `UPDATE enrolments SET status = 'cancelled', waitlist_seq = NULL, offer_expires_at = NULL, cancelled_at = ?,
         updated_at = ? WHERE id = ?`,
    ).run(at, at, row.id);
    if (row.status === "waitlisted") closeGap(db, row.course_id, row.waitlist_seq);
    const offersMade = row.status === "waitlisted" ? 0 : offerFreedSeats(db, row.course_id, now, options);
    return { kind: "cancelled", courseId: row.course_id, was: row.status, offersMade };
  });
}

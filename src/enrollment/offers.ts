import { seatsTaken } from "../catalog/availability.ts";
import { HOUR, MINUTE } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { immediate, preparedFor } from "../db/connection.ts";
import { enqueue } from "../notify/outbox.ts";
import { nextSessionAt, q } from "./queries.ts";
import { closeGap } from "./waitlist.ts";

export interface OfferOptions {
  /** How long an offer stays open when the course is not about to start (config.offerHours). */
  offerHours: number;
}

/** An offer never lasts less than this, even when the class is about to begin. */
export const MIN_OFFER_MS = 30 * MINUTE;

/**
 * When an offer made at `now` expires: `offerHours` later, but no later than half the time
 * left before the next session, so that the seat can still reach someone else before class;
 * never less than 30 minutes.
 */
export function offerDeadline(now: Date, nextAt: string, options: OfferOptions): Date {
  const left = Date.parse(nextAt) - now.getTime();
  const ms = Math.max(MIN_OFFER_MS, Math.min(options.offerHours * HOUR, Math.floor(left / 2)));
  return new Date(now.getTime() + ms);
}

const s = preparedFor((db: Db) => ({
  firstInLine: db.prepare<[number], { id: number; account_id: number | null; waitlist_seq: number | null }>(
    `SELECT id, account_id, waitlist_seq FROM enrolments WHERE course_id = ? AND status = 'waitlisted'
       ORDER BY waitlist_seq LIMIT 1`,
  ),
  offer: db.prepare<[string, string, number]>(
    "UPDATE enrolments SET status = 'offered', waitlist_seq = NULL, offer_expires_at = ?, updated_at = ? WHERE id = ?",
  ),
  capacity: db.prepare<[number], { capacity: number; status: string }>(
    "SELECT capacity, status FROM courses WHERE id = ?",
  ),
  offerCount: db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE key >= ? AND key < ?",
  ),
  expired: db.prepare<[string], { id: number; course_id: number; account_id: number | null }>(
    "SELECT id, course_id, account_id FROM enrolments WHERE status = 'offered' AND offer_expires_at <= ?",
  ),
  cancel: db.prepare<[string, string, number]>(
    `UPDATE enrolments SET status = 'cancelled', offer_expires_at = NULL, waitlist_seq = NULL, cancelled_at = ?,
         updated_at = ? WHERE id = ?`,
  ),
  accept: db.prepare<[string, number]>(
    "UPDATE enrolments SET status = 'enrolled', offer_expires_at = NULL, waitlist_seq = NULL, updated_at = ? WHERE id = ?",
  ),
}));

/**
 * Offers every free seat of a course to the people first in line, one offer each, with an
 * outbox message `enrollment.offer` keyed `offer:<enrolmentId>:<n>`. Call it whenever a seat
 * may have freed (a cancellation, a declined or expired offer, staff raising the capacity).
 * Runs in its own IMMEDIATE transaction, or as a savepoint inside the caller's.
 * Returns how many offers it made.
 */
export function offerFreedSeats(db: Db, courseId: number, now: Date, options: OfferOptions): number {
  return immediate(db, () => {
    const st = s(db);
    const course = st.capacity.get(courseId);
    if (course?.status !== "open") return 0;
    const nextAt = nextSessionAt(db, courseId, now);
    if (nextAt === undefined) return 0;
    let free = course.capacity - seatsTaken(db, courseId);
    let made = 0;
    const expires = offerDeadline(now, nextAt, options);
    const at = now.toISOString();
    while (free > 0) {
      const next = st.firstInLine.get(courseId);
      if (!next) break;
      st.offer.run(expires.toISOString(), at, next.id);
      closeGap(db, courseId, next.waitlist_seq);
      if (next.account_id !== null) {
        const prefix = `offer:${next.id}:`;
        const n = (st.offerCount.get(prefix, `${prefix}\uffff`)?.n ?? 0) + 1;
        enqueue(
          db,
          {
            key: `${prefix}${n}`,
            chatId: next.account_id,
            template: "enrollment.offer",
            params: { enrolmentId: next.id },
            dueAt: now,
          },
          now,
        );
      }
      free--;
      made++;
    }
    return made;
  });
}

/**
 * Offers whose time ran out are cancelled (the person is told) and their seats go to the next
 * in line. Returns how many offers expired. Used by the offer-expiry job.
 */
export function expireOffers(db: Db, now: Date, options: OfferOptions): number {
  return immediate(db, () => {
    const st = s(db);
    const rows = st.expired.all(now.toISOString());
    const at = now.toISOString();
    const courses = new Set<number>();
    for (const row of rows) {
      st.cancel.run(at, at, row.id);
      courses.add(row.course_id);
      if (row.account_id !== null) {
        enqueue(
          db,
          {
            key: `offerexp:${row.id}:${at}`,
            chatId: row.account_id,
            template: "enrollment.offerExpired",
            params: { enrolmentId: row.id, courseId: row.course_id },
            dueAt: now,
          },
          now,
        );
      }
    }
    for (const courseId of courses) offerFreedSeats(db, courseId, now, options);
    return rows.length;
  });
}

export type OfferAnswer =
  | { kind: "accepted"; courseId: number; nextSessionAt: string | undefined }
  | { kind: "declined"; courseId: number }
  | { kind: "expired"; courseId: number }
  | { kind: "notOpen"; courseId: number; status: string }
  | { kind: "notYours" }
  | { kind: "notFound" };

/**
 * The person's answer to an offer. An offer past its time is expired here and now (the job may
 * not have run yet), so an old Accept button never takes a seat that is no longer theirs.
 */
export function answerOffer(
  db: Db,
  input: { enrolmentId: number; accountId: number; accept: boolean },
  now: Date,
  options: OfferOptions,
): OfferAnswer {
  return immediate(db, (): OfferAnswer => {
    const row = q(db).enrolment.get(input.enrolmentId);
    if (!row) return { kind: "notFound" };
    if (row.account_id !== input.accountId) return { kind: "notYours" };
    if (row.status !== "offered") return { kind: "notOpen", courseId: row.course_id, status: row.status };
    const at = now.toISOString();
    const st = s(db);
    if (row.offer_expires_at !== null && row.offer_expires_at <= at) {
      st.cancel.run(at, at, row.id);
      offerFreedSeats(db, row.course_id, now, options);
      return { kind: "expired", courseId: row.course_id };
    }
    if (input.accept) {
      st.accept.run(at, row.id);
      return {
        kind: "accepted",
        courseId: row.course_id,
        nextSessionAt: nextSessionAt(db, row.course_id, now),
      };
    }
    st.cancel.run(at, at, row.id);
    offerFreedSeats(db, row.course_id, now, options);
    return { kind: "declined", courseId: row.course_id };
  });
}

import { describe, expect, it } from "vitest";
import { cancelEnrolment } from "../../src/enrollment/cancel.ts";
import { enrol } from "../../src/enrollment/enrol.ts";
import { answerOffer, expireOffers, offerDeadline, offerFreedSeats } from "../../src/enrollment/offers.ts";
import { addCourse, addUser, DAY_MS, freshDb, HOUR_MS, NOW, statusOf } from "./fixture.ts";

const opts = { offerHours: 24 };

/** A course of `capacity` with `n` people enrolled/waitlisted in order; returns ids. */
function full(capacity: number, n: number, firstAt?: Date) {
  const db = freshDb();
  const course = addCourse(db, { capacity, ...(firstAt ? { firstAt } : {}) });
  const ids = Array.from({ length: n }, (_, i) => {
    const u = addUser(db, 100 + i);
    const r = enrol(db, { courseId: course, personId: u.selfId, accountId: u.accountId }, NOW);
    if (r.kind !== "enrolled" && r.kind !== "waitlisted") throw new Error(r.kind);
    return r.enrolmentId;
  });
  return { db, course, ids };
}

const offers = (db: ReturnType<typeof freshDb>) =>
  db.prepare("SELECT key, chat_id, template, params FROM outbox ORDER BY id").all() as {
    key: string;
    chat_id: number;
    template: string;
    params: string;
  }[];

describe("cancellation and the offer chain", () => {
  it("a cancellation offers the seat to the first in line, through the outbox", () => {
    const { db, ids } = full(2, 4);
    const r = cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 100 }, NOW, opts);
    expect(r).toMatchObject({ kind: "cancelled", was: "enrolled", offersMade: 1 });
    expect(statusOf(db, ids[2]!)).toBe("offered");
    expect(statusOf(db, ids[3]!)).toBe("waitlisted");
    expect(offers(db)).toEqual([
      {
        key: `offer:${ids[2]}:1`,
        chat_id: 102,
        template: "enrollment.offer",
        params: JSON.stringify({ enrolmentId: ids[2] }),
      },
    ]);
    // The offered seat counts as taken: a newcomer goes to the waitlist, behind number 4.
    const late = addUser(db, 200);
    expect(enrol(db, { courseId: 1, personId: late.selfId, accountId: 200 }, NOW)).toMatchObject({
      kind: "waitlisted",
      position: 2,
    });
  });

  it("refuses to cancel someone else's enrolment", () => {
    const { db, ids } = full(2, 2);
    expect(cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 101 }, NOW, opts)).toEqual({
      kind: "notYours",
    });
    expect(statusOf(db, ids[0]!)).toBe("enrolled");
    expect(cancelEnrolment(db, { enrolmentId: 999, accountId: 101 }, NOW, opts)).toEqual({
      kind: "notFound",
    });
  });

  it("cancelling a waitlist place moves the others up and offers nothing", () => {
    const { db, ids } = full(1, 4);
    expect(cancelEnrolment(db, { enrolmentId: ids[1]!, accountId: 101 }, NOW, opts)).toMatchObject({
      offersMade: 0,
    });
    expect(enrol(db, { courseId: 1, personId: 4, accountId: 103 }, NOW)).toMatchObject({
      kind: "already",
      position: 2,
    });
    expect(offers(db)).toHaveLength(0);
    // The line stays dense, so a newcomer's place is max + 1.
    cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 100 }, NOW, opts);
    expect(
      db
        .prepare("SELECT waitlist_seq FROM enrolments WHERE status = 'waitlisted' ORDER BY waitlist_seq")
        .pluck()
        .all(),
    ).toEqual([1]);
    const late = addUser(db, 300);
    expect(enrol(db, { courseId: 1, personId: late.selfId, accountId: 300 }, NOW)).toMatchObject({
      kind: "waitlisted",
      position: 2,
    });
  });

  it("accept enrols; decline passes the seat on; an old button after that says so", () => {
    const { db, ids } = full(1, 4);
    cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 100 }, NOW, opts);
    expect(answerOffer(db, { enrolmentId: ids[1]!, accountId: 101, accept: false }, NOW, opts)).toMatchObject(
      { kind: "declined" },
    );
    expect(statusOf(db, ids[1]!)).toBe("cancelled");
    expect(statusOf(db, ids[2]!)).toBe("offered");
    expect(answerOffer(db, { enrolmentId: ids[2]!, accountId: 102, accept: true }, NOW, opts)).toMatchObject({
      kind: "accepted",
    });
    expect(statusOf(db, ids[2]!)).toBe("enrolled");
    expect(answerOffer(db, { enrolmentId: ids[2]!, accountId: 102, accept: false }, NOW, opts)).toMatchObject(
      { kind: "notOpen", status: "enrolled" },
    );
    expect(answerOffer(db, { enrolmentId: ids[3]!, accountId: 102, accept: true }, NOW, opts)).toEqual({
      kind: "notYours",
    });
    expect(statusOf(db, ids[3]!)).toBe("waitlisted");
  });

  it("expired offers pass to the next person; an accept after the deadline is refused", () => {
    const { db, ids } = full(1, 3);
    cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 100 }, NOW, opts);
    const deadline = db
      .prepare("SELECT offer_expires_at FROM enrolments WHERE id = ?")
      .pluck()
      .get(ids[1]!) as string;
    expect(deadline).toBe(new Date(NOW.getTime() + 24 * HOUR_MS).toISOString());
    expect(expireOffers(db, new Date(NOW.getTime() + 23 * HOUR_MS), opts)).toBe(0);
    const later = new Date(NOW.getTime() + 24 * HOUR_MS);
    expect(expireOffers(db, later, opts)).toBe(1);
    expect(statusOf(db, ids[1]!)).toBe("cancelled");
    expect(statusOf(db, ids[2]!)).toBe("offered");
    expect(offers(db).map((o) => o.template)).toEqual([
      "enrollment.offer",
      "enrollment.offerExpired",
      "enrollment.offer",
    ]);
    // The job has not run yet, but the deadline is past: the button must not take the seat.
    const after = new Date(later.getTime() + 25 * HOUR_MS);
    expect(
      answerOffer(db, { enrolmentId: ids[2]!, accountId: 102, accept: true }, after, opts),
    ).toMatchObject({ kind: "expired" });
    expect(statusOf(db, ids[2]!)).toBe("cancelled");
  });

  it("gives a shorter offer when the course starts sooner", () => {
    const soon = new Date(NOW.getTime() + 6 * HOUR_MS);
    const { db, ids } = full(1, 2, soon);
    cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 100 }, NOW, opts);
    const deadline = db
      .prepare("SELECT offer_expires_at FROM enrolments WHERE id = ?")
      .pluck()
      .get(ids[1]!) as string;
    expect(deadline).toBe(new Date(NOW.getTime() + 3 * HOUR_MS).toISOString());
    expect(
      offerDeadline(NOW, new Date(NOW.getTime() + 20 * 60_000).toISOString(), opts).getTime() - NOW.getTime(),
    ).toBe(30 * 60_000);
    expect(
      offerDeadline(NOW, new Date(NOW.getTime() + 10 * DAY_MS).toISOString(), { offerHours: 12 }).getTime() -
        NOW.getTime(),
    ).toBe(12 * HOUR_MS);
  });

  it("raising the capacity offers the new seats in line order", () => {
    const { db, ids, course } = full(2, 6);
    db.prepare("UPDATE courses SET capacity = 4 WHERE id = ?").run(course);
    expect(offerFreedSeats(db, course, NOW, opts)).toBe(2);
    expect(ids.map((id) => statusOf(db, id))).toEqual([
      "enrolled",
      "enrolled",
      "offered",
      "offered",
      "waitlisted",
      "waitlisted",
    ]);
    expect(offerFreedSeats(db, course, NOW, opts)).toBe(0);
  });

  it("makes no offer when the course has no session left", () => {
    const { db, ids, course } = full(1, 2, new Date(NOW.getTime() + HOUR_MS));
    db.prepare("DELETE FROM sessions WHERE course_id = ? AND seq > 1").run(course);
    const after = new Date(NOW.getTime() + 2 * HOUR_MS);
    expect(cancelEnrolment(db, { enrolmentId: ids[0]!, accountId: 100 }, after, opts)).toMatchObject({
      offersMade: 0,
    });
    expect(statusOf(db, ids[1]!)).toBe("waitlisted");
  });
});

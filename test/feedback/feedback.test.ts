import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/clock.ts";
import {
  commentOnRating,
  courseRatings,
  coursesTaken,
  enqueueFeedbackRequests,
  rateCourse,
  setAnonymous,
  submitFeedback,
} from "../../src/feedback/feedback.ts";
import { addCourse, addStaff, addUser, enrol, freshDb, NOW, outbox, selfPerson } from "./fixtures.ts";

const past = (h: number) => new Date(NOW.getTime() - h * HOUR).toISOString();
const future = (h: number) => new Date(NOW.getTime() + h * HOUR).toISOString();

function setup() {
  const db = freshDb();
  for (const id of [1, 2, 3]) addUser(db, id, `居民${id}`);
  addCourse(db, { id: 10, sessions: [past(100), past(5)] }); // finished
  addCourse(db, { id: 11, sessions: [future(10)] }); // not begun
  enrol(db, 10, selfPerson(db, 1));
  enrol(db, 10, selfPerson(db, 2));
  enrol(db, 11, selfPerson(db, 1));
  enrol(db, 10, selfPerson(db, 3), "cancelled");
  return db;
}

describe("ratings", () => {
  it("rates a taken course once per participant; never a course not taken", () => {
    const db = setup();
    const p1 = selfPerson(db, 1);
    expect(coursesTaken(db, 1, NOW).map((c) => c.courseId)).toEqual([10]);
    expect(rateCourse(db, { accountId: 1, courseId: 11, personId: p1, stars: 5 }, NOW)).toEqual({
      ok: false,
      reason: "not_taken",
    });
    expect(
      rateCourse(db, { accountId: 3, courseId: 10, personId: selfPerson(db, 3), stars: 5 }, NOW),
    ).toEqual({ ok: false, reason: "not_taken" });
    // Someone else's participant, by a forged button.
    expect(
      rateCourse(db, { accountId: 1, courseId: 10, personId: selfPerson(db, 2), stars: 1 }, NOW),
    ).toEqual({ ok: false, reason: "not_taken" });
    expect(rateCourse(db, { accountId: 1, courseId: 10, personId: p1, stars: 6 }, NOW)).toEqual({
      ok: false,
      reason: "invalid",
    });
    const r = rateCourse(db, { accountId: 1, courseId: 10, personId: p1, stars: 4 }, NOW);
    expect(r.ok).toBe(true);
    expect(rateCourse(db, { accountId: 1, courseId: 10, personId: p1, stars: 1 }, NOW)).toEqual({
      ok: false,
      reason: "already",
    });
    expect(courseRatings(db, 10)).toMatchObject({ count: 1, average: 4, distribution: [0, 0, 0, 1, 0] });
  });

  it("bounds a long comment, keeps HTML as typed, and hides anonymous names from staff", () => {
    const db = setup();
    const a = rateCourse(db, { accountId: 1, courseId: 10, personId: selfPerson(db, 1), stars: 5 }, NOW);
    const b = rateCourse(
      db,
      { accountId: 2, courseId: 10, personId: selfPerson(db, 2), stars: 2 },
      new Date(NOW.getTime() + 1000),
    );
    if (!a.ok || !b.ok) throw new Error("rating failed");
    expect(commentOnRating(db, 1, a.feedbackId, "好".repeat(5000))).toEqual({ ok: true, truncated: true });
    expect(commentOnRating(db, 1, a.feedbackId, "again")).toEqual({ ok: false, reason: "already" });
    expect(commentOnRating(db, 1, b.feedbackId, "not mine")).toEqual({ ok: false, reason: "unknown" });
    expect(commentOnRating(db, 2, b.feedbackId, "   ")).toEqual({ ok: false, reason: "empty" });
    expect(commentOnRating(db, 2, b.feedbackId, "<b>太吵</b>")).toEqual({ ok: true, truncated: false });
    expect(setAnonymous(db, 2, b.feedbackId, true)).toBe(true);
    expect(setAnonymous(db, 1, b.feedbackId, false)).toBe(false);
    const r = courseRatings(db, 10);
    expect(r).toMatchObject({ count: 2, average: 3.5, distribution: [0, 1, 0, 0, 1] });
    expect(r.recent.map((c) => [c.stars, c.name, c.comment.length])).toEqual([
      [2, null, "<b>太吵</b>".length],
      [5, "居民1", 1000],
    ]);
  });

  it("asks each participant once after the last session, not before", () => {
    const db = setup();
    addCourse(db, { id: 12, sessions: [future(1)] });
    enrol(db, 12, selfPerson(db, 3));
    expect(enqueueFeedbackRequests(db, new Date(NOW.getTime() - 10 * HOUR), NOW)).toBe(2);
    expect(outbox(db, "feedback:").map((o) => [o.key, o.chatId])).toEqual([
      [`feedback:10:${selfPerson(db, 1)}`, 1],
      [`feedback:10:${selfPerson(db, 2)}`, 2],
    ]);
    expect(enqueueFeedbackRequests(db, new Date(NOW.getTime() - 10 * HOUR), NOW)).toBe(0);
    // Course 12 ends at +2 h: asked on the run after that, its last session.
    expect(enqueueFeedbackRequests(db, NOW, new Date(NOW.getTime() + 3 * HOUR))).toBe(1);
  });
});

describe("suggestions and problems", () => {
  it("sends a problem about a course at once to its site's staff, admins and teacher only", () => {
    const db = setup();
    addStaff(db, 90, "staff", 1);
    addStaff(db, 91, "staff", 2); // another site
    addStaff(db, 92, "admin");
    addStaff(db, 93, "staff", null); // every site
    addUser(db, 94);
    db.prepare("UPDATE courses SET teacher_user_id = 94 WHERE id = 10").run();
    const r = submitFeedback(
      db,
      { accountId: 1, kind: "problem", courseId: 10, comment: "教室太冷", anonymous: false },
      NOW,
    );
    expect(r).toMatchObject({ ok: true, notified: 4 });
    expect(outbox(db, "feedback-problem:").map((o) => o.chatId)).toEqual([90, 92, 93, 94]);
    expect(
      submitFeedback(
        db,
        { accountId: 1, kind: "problem", courseId: 11, comment: "x", anonymous: false },
        NOW,
      ),
    ).toEqual({
      ok: false,
      reason: "not_taken",
    });
    expect(
      submitFeedback(
        db,
        { accountId: 1, kind: "suggestion", courseId: null, comment: "多开班", anonymous: true },
        NOW,
      ),
    ).toMatchObject({
      ok: true,
      notified: 0,
    });
  });
});

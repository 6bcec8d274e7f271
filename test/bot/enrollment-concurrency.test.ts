import { describe, expect, it } from "vitest";
import { addCourse, NOW, seedPlaces } from "../enrollment/fixture.ts";
import { createHarness } from "../helpers/bot-harness.ts";

describe("a rush on the last seats", () => {
  it("200 confirm presses at once on a 30-seat course: 30 enrolled, 170 waitlisted 1..170 in arrival order", async () => {
    const h = await createHarness({ now: NOW.toISOString() });
    seedPlaces(h.db);
    const courseId = addCourse(h.db, { capacity: 30 });
    const users = Array.from({ length: 200 }, (_, i) => ({
      id: 10_000 + i,
      first_name: `U${i}`,
      language_code: "zh",
    }));

    await Promise.all(users.map((u) => h.press(u, `enr:ok:${courseId}:s:s`)));

    const rows = h.db
      .prepare(
        "SELECT account_id, status, waitlist_seq FROM enrolments WHERE course_id = ? ORDER BY account_id",
      )
      .all(courseId) as { account_id: number; status: string; waitlist_seq: number | null }[];
    expect(rows).toHaveLength(200);
    expect(rows.filter((r) => r.status === "enrolled")).toHaveLength(30);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(170);
    // Arrival order: the first 30 presses got the seats, the rest queue in the order they came.
    expect(rows.slice(0, 30).every((r) => r.status === "enrolled")).toBe(true);
    expect(rows.slice(30).map((r) => r.waitlist_seq)).toEqual(Array.from({ length: 170 }, (_, i) => i + 1));
    // Every press was answered, and a second wave of presses changes nothing.
    expect(h.calls.filter((c) => c.method === "answerCallbackQuery")).toHaveLength(200);
    await Promise.all(users.slice(0, 50).map((u) => h.press(u, `enr:ok:${courseId}:s:s`)));
    expect(h.db.prepare("SELECT count(*) FROM enrolments").pluck().get()).toBe(200);
  });
});

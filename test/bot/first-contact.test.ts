import { describe, expect, it } from "vitest";
import { getAccount } from "../../src/people/accounts.ts";
import { addCourse, NOW, seedPlaces } from "../enrollment/fixture.ts";
import { createHarness, texts } from "../helpers/bot-harness.ts";

const gao = { id: 5101, first_name: "高秀英", language_code: "zh-hans" };

async function setup() {
  const h = await createHarness({ now: NOW.toISOString() });
  seedPlaces(h.db);
  return { h, courseId: addCourse(h.db) };
}

describe("a confirm press from someone the bot has not met yet", () => {
  it("records the person and enrols them, answering as for anyone else", async () => {
    const { h, courseId } = await setup();
    expect(getAccount(h.db, gao.id)).toBeUndefined();
    const done = await h.press(gao, `enr:ok:${courseId}:s:-`);
    expect(texts(done)[0]).toContain("报名成功");
    expect(getAccount(h.db, gao.id)?.firstName).toBe("高秀英");
    expect(h.db.prepare("SELECT count(*) FROM enrolments WHERE course_id = ?").pluck().get(courseId)).toBe(1);
  });

  it("records the person even when the press never reaches the enrolment (a course that is gone)", async () => {
    const { h, courseId } = await setup();
    await h.press(gao, `enr:ok:${courseId + 99}:s:-`);
    expect(getAccount(h.db, gao.id)?.firstName).toBe("高秀英");
    expect(h.db.prepare("SELECT count(*) FROM enrolments").pluck().get()).toBe(0);
  });

  it("records the person when the press matches no handler (a malformed button)", async () => {
    const { h } = await setup();
    await h.press(gao, "enr:ok:x");
    expect(getAccount(h.db, gao.id)?.firstName).toBe("高秀英");
  });
});

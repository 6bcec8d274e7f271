import { describe, expect, it } from "vitest";
import { reminderRoute } from "../../src/messages/reminders.ts";
import { createHarness, texts } from "../helpers/bot-harness.ts";
import { addCourse, addFamilyMember, addSession, addSite, enrol } from "./fixtures.ts";

const wang = { id: 5001, first_name: "王秀兰", language_code: "zh-hans" };
const stranger = { id: 5009, first_name: "Eve", language_code: "en" };

async function setup() {
  const h = await createHarness({ now: "2026-03-01T00:00:00.000Z" });
  await h.send(wang, "/start");
  await h.send(stranger, "/start");
  addSite(h.db);
  const course = addCourse(h.db);
  const child = addFamilyMember(h.db, wang.id, "小明");
  enrol(h.db, course, child, wang.id);
  const session = addSession(h.db, course, "2026-03-01T10:00:00.000Z");
  const answers = (calls: { method: string; payload: Record<string, unknown> }[]) =>
    calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text);
  return { h, course, child, session, answers };
}

describe("reminder buttons", () => {
  it("only the account looking after the participant may answer; others are told the button is stale", async () => {
    const s = await setup();
    const calls = await s.h.press(stranger, reminderRoute.data("c", s.session, s.child));
    expect(s.answers(calls)).toEqual(["This button is out of date. Please open the menu again."]);
    expect(s.h.db.prepare("SELECT count(*) FROM attendance").pluck().get()).toBe(0);
  });

  it("a double tap of 'can't come' records once, answers with one toast each, and can be taken back until class", async () => {
    const s = await setup();
    const sent = (calls: { method: string }[]) => calls.filter((c) => c.method === "sendMessage");
    const first = await s.h.press(wang, reminderRoute.data("c", s.session, s.child));
    expect(s.answers(first)[0]).toContain("已记下：小明这次请假");
    expect(sent(first)).toEqual([]);
    const markup = first.find((c) => c.method === "editMessageReplyMarkup")?.payload.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    expect(markup.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([
      reminderRoute.data("u", s.session, s.child),
      reminderRoute.data("d", s.session, s.child),
    ]);
    const second = await s.h.press(wang, reminderRoute.data("c", s.session, s.child));
    expect(s.answers(second)).toEqual(s.answers(first));
    expect(s.h.db.prepare("SELECT count(*) FROM attendance").pluck().get()).toBe(1);

    const undo = await s.h.press(wang, reminderRoute.data("u", s.session, s.child));
    expect(s.answers(undo)[0]).toContain("已撤销请假");
    expect(sent(undo)).toEqual([]);
    expect(s.h.db.prepare("SELECT count(*) FROM attendance").pluck().get()).toBe(0);

    // Once the class has begun, it can no longer be taken back.
    await s.h.press(wang, reminderRoute.data("c", s.session, s.child));
    s.h.clock.set("2026-03-01T10:01:00.000Z");
    const late = await s.h.press(wang, reminderRoute.data("u", s.session, s.child));
    expect(s.answers(late)).toEqual(["这次课已经开始或结束了。"]);
    expect(s.h.db.prepare("SELECT status FROM attendance").pluck().get()).toBe("excused");
  });

  it("asks before dropping a family member's course, and 'keep' keeps it", async () => {
    const s = await setup();
    const ask = await s.h.press(wang, reminderRoute.data("d", s.session, s.child));
    expect(texts(ask)[0]).toContain("确定让小明不上《老年书法》了吗");
    const keep = await s.h.press(wang, reminderRoute.data("k", s.session, s.child));
    expect(texts(keep)).toEqual(["好的，继续上《老年书法》。"]);
    expect(s.h.db.prepare("SELECT status FROM enrolments WHERE person_id = ?").pluck().get(s.child)).toBe(
      "enrolled",
    );
  });

  it("after the class has begun, 'coming' and 'can't come' say so and record nothing", async () => {
    const s = await setup();
    s.h.clock.set("2026-03-01T10:05:00.000Z");
    const calls = await s.h.press(wang, reminderRoute.data("c", s.session, s.child));
    expect(s.answers(calls)).toEqual(["这次课已经开始或结束了。"]);
    expect(s.h.db.prepare("SELECT count(*) FROM attendance").pluck().get()).toBe(0);
  });
});

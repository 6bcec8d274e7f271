import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import { rateCourse, submitFeedback } from "../../src/feedback/feedback.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import type { RenderedMessage } from "../../src/notify/template.ts";
import { addCourse, addStaff, addUser, enrol, freshDb, NOW, selfPerson } from "./fixtures.ts";

async function render(db: Db, template: string, params: Record<string, unknown>, chatId: number) {
  const i18n = await createI18n("zh");
  const fn = TEMPLATES[template]!;
  return (await fn(
    { db, config: parseConfig({}), i18n, t: i18n.getFixedT("zh"), locale: "zh", now: NOW, chatId },
    params,
  )) as RenderedMessage | null;
}

describe("feedback templates", () => {
  it("asks for stars until the course is rated", async () => {
    const db = freshDb();
    addUser(db, 1, "王");
    addCourse(db, { id: 10, sessions: ["2026-11-20T01:00:00.000Z"] });
    const p = selfPerson(db, 1);
    enrol(db, 10, p);
    const m = await render(db, "feedback.request", { courseId: 10, personId: p }, 1);
    expect(m?.text).toContain("课程10");
    const markup = m?.reply_markup as { inline_keyboard: { callback_data: string }[][] } | undefined;
    const kb = markup?.inline_keyboard.flat() ?? [];
    expect(kb.map((b) => b.callback_data)).toEqual([1, 2, 3, 4, 5].map((s) => `fb:r:10:${p}:${s}`));
    expect(await render(db, "feedback.request", { courseId: 10, personId: p }, 2)).toBeNull(); // not their participant
    rateCourse(db, { accountId: 1, courseId: 10, personId: p, stars: 5 }, NOW);
    expect(await render(db, "feedback.request", { courseId: 10, personId: p }, 1)).toBeNull();
  });

  it("escapes a problem report and hides the name when anonymous", async () => {
    const db = freshDb();
    addStaff(db, 90, "admin");
    addUser(db, 1, "王秀兰");
    addCourse(db, { id: 10, sessions: ["2026-11-20T01:00:00.000Z"] });
    enrol(db, 10, selfPerson(db, 1));
    const r = submitFeedback(
      db,
      { accountId: 1, kind: "problem", courseId: 10, comment: "<a href='x'>坏了</a>", anonymous: true },
      NOW,
    );
    if (!r.ok) throw new Error(r.reason);
    const m = await render(db, "feedback.problem", { feedbackId: r.feedbackId }, 90);
    expect(m?.text).toContain("&lt;a href=");
    expect(m?.text).not.toContain("<a ");
    expect(m?.text).not.toContain("王秀兰");
    expect(m?.text).toContain("匿名");
    const w = await render(db, "feedback.wishThreshold", { topic: "exercise", count: 3 }, 90);
    expect(w?.text).toContain("健身养生");
  });
});

import { describe, expect, it } from "vitest";
import { ensureAdmins } from "../../src/people/roles.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const alertOf = (calls: ApiCall[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text as string | undefined;
const admin = { id: 7100, first_name: "Admin", language_code: "en" };
const residents = [1, 2, 3].map((i) => ({ id: 7000 + i, first_name: `居民${i}`, language_code: "zh-hans" }));

async function withFinishedCourse() {
  const h = await createHarness();
  const db = h.db;
  const now = h.clock.now();
  const at = now.toISOString();
  for (const r of residents) await h.send(r, "/start");
  db.prepare(
    "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'c', 'centre', '中心', 'Centre')",
  ).run();
  for (const [id, start] of [
    [10, "2026-11-20T01:00:00.000Z"],
    [11, "2026-12-20T01:00:00.000Z"],
  ] as const) {
    db.prepare(
      "INSERT INTO courses (id, code, category, site_id, title_zh, title_en, capacity, created_at, updated_at) VALUES (?, ?, 'arts', 1, ?, ?, 20, ?, ?)",
    ).run(id, `c${id}`, `书法${id}`, `Calligraphy ${id}`, at, at);
    db.prepare(
      "INSERT INTO sessions (course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, 1, ?, ?, ?)",
    ).run(id, start, start.replace("T01", "T02"), `K${id}`);
  }
  const person = db
    .prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1")
    .pluck()
    .get(residents[0]!.id) as number;
  for (const c of [10, 11]) {
    db.prepare(
      "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (?, ?, ?, 'enrolled', ?, ?)",
    ).run(c, person, residents[0]!.id, at, at);
  }
  return { h, person };
}

describe("rating a course in chat", () => {
  it("rates with stars, then a comment (HTML kept as text, long ones cut), once only", async () => {
    const { h, person } = await withFinishedCourse();
    const wang = residents[0]!;
    const menu = await h.send(wang, "💬 意见反馈");
    expect(buttons(menu[0]).map((b) => b.data)).toEqual(["fb:m:rate", "wsh:start", "fb:m:sug", "fb:m:prob"]);
    const pick = await h.press(wang, "fb:m:rate");
    // Only the finished course: course 11 has not begun.
    expect(buttons(pick.find((c) => c.method === "sendMessage")).map((b) => b.data)).toEqual([
      `fb:c:10:${person}`,
    ]);
    const stars = await h.press(wang, `fb:c:10:${person}`);
    expect(buttons(stars.find((c) => c.method === "sendMessage")).map((b) => b.data)).toContain(
      `fb:r:10:${person}:5`,
    );

    expect(alertOf(await h.press(wang, `fb:r:11:${person}:5`))).toContain("上过的课");
    const rated = await h.press(wang, `fb:r:10:${person}:4`);
    expect(texts(rated).join()).toContain("跳过");
    // One answer, one message: the stars message itself says "rated" and asks for a comment.
    expect(rated.filter((c) => c.method === "sendMessage")).toHaveLength(0);
    expect(texts(rated.filter((c) => c.method === "editMessageText"))[0]).toMatch(
      /已打分.*\n\n还想说点什么/s,
    );
    await h.press(wang, `fb:anon:${1}`);
    const long = `<script>x</script>${"好".repeat(5000)}`;
    const saved = await h.send(wang, long);
    expect(texts(saved)[0]).toContain("1000");
    const row = h.db.prepare("SELECT stars, comment, anonymous FROM feedback WHERE course_id = 10").get() as {
      stars: number;
      comment: string;
      anonymous: number;
    };
    expect(row.stars).toBe(4);
    expect(row.anonymous).toBe(1);
    expect(Array.from(row.comment)).toHaveLength(1000);
    expect(row.comment.startsWith("<script>")).toBe(true);
    expect(alertOf(await h.press(wang, `fb:r:10:${person}:1`))).toContain("已经打过分");
    expect(h.db.prepare("SELECT COUNT(*) FROM feedback").pluck().get()).toBe(1);

    // Staff see it, anonymous and escaped.
    ensureAdmins(h.db, [admin.id], h.clock.now());
    const overview = await h.send(admin, "/ratings");
    expect(buttons(overview[0]).map((b) => b.data)).toEqual(["fb:s:10"]);
    const detail = texts(await h.press(admin, "fb:s:10"))[0] ?? "";
    expect(detail).toContain("&lt;script&gt;");
    expect(detail).toContain("anonymous");
    expect(detail).not.toContain("居民1");
    expect(texts(await h.send(wang, "/ratings"))[0]).toContain("工作人员");
    expect(alertOf(await h.press(wang, "fb:s:10"))).toContain("工作人员");
  });

  it("reports a problem to staff at once", async () => {
    const { h } = await createHarnessWithAdmin();
    const wang = residents[0]!;
    await h.send(wang, "/feedback");
    const which = await h.press(wang, "fb:m:prob");
    expect(buttons(which.find((c) => c.method === "sendMessage")).map((b) => b.data)).toEqual([
      "fb:nc:10",
      "fb:nc:0",
    ]);
    await h.press(wang, "fb:nc:10");
    expect(alertOf(await h.press(wang, "fb:nc:10"))).toContain("/cancel"); // a second tap is just answered
    expect(texts(await h.send(wang, "教室的灯坏了 <b>")).join()).toContain("转给");
    expect(
      h.db.prepare("SELECT chat_id, template FROM outbox WHERE key LIKE 'feedback-problem:%'").all(),
    ).toEqual([{ chat_id: admin.id, template: "feedback.problem" }]);
  });
});

async function createHarnessWithAdmin() {
  const r = await withFinishedCourse();
  ensureAdmins(r.h.db, [admin.id], r.h.clock.now());
  return r;
}

describe("wishes in chat", () => {
  it("three residents wishing for 太极 alert staff once", async () => {
    const { h } = await createHarnessWithAdmin();
    for (const r of residents) {
      await h.send(r, "/feedback");
      const ask = await h.press(r, "wsh:start");
      expect(buttons(ask.find((c) => c.method === "sendMessage")).map((b) => b.data)).toContain(
        "wsh:t:exercise",
      );
      expect(texts(await h.send(r, "太极")).join()).toContain("健身养生");
      await h.press(r, "wsh:w:self");
      expect(texts(await h.press(r, "wsh:n:weekend")).join()).toContain("谢谢");
    }
    expect(h.db.prepare("SELECT topic, text, for_whom, when_suits FROM wishes").all()).toHaveLength(3);
    expect(h.db.prepare("SELECT DISTINCT topic || '/' || text FROM wishes").pluck().all()).toEqual([
      "exercise/太极",
    ]);
    expect(
      h.db.prepare("SELECT key, chat_id, template FROM outbox WHERE key LIKE 'wish-alert:%'").all(),
    ).toEqual([
      { key: `wish-alert:exercise:3:${admin.id}`, chat_id: admin.id, template: "feedback.wishThreshold" },
    ]);
  });

  it("answers stray text and buttons while picking topics", async () => {
    const { h } = await createHarnessWithAdmin();
    const r = residents[1]!;
    await h.press(r, "wsh:start");
    expect(alertOf(await h.press(r, "wsh:ok"))).toContain("至少选一个");
    expect(alertOf(await h.press(r, "vol:ok:1"))).toContain("/cancel");
    await h.press(r, "wsh:t:computer");
    await h.press(r, "wsh:ok");
    expect(texts(await h.send(r, "随便")).join()).toContain("/cancel");
    await h.press(r, "wsh:w:elder");
    await h.press(r, "wsh:n:any");
    expect(h.db.prepare("SELECT topic, for_whom, when_suits FROM wishes").all()).toEqual([
      { topic: "computer", for_whom: "elder", when_suits: "any" },
    ]);
  });
});

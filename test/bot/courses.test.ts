import { describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const wang = { id: 6001, first_name: "王秀兰", language_code: "zh-hans" };
const emma = { id: 6002, first_name: "Emma", language_code: "en" };

async function setup() {
  const h = await createHarness(); // 2026-11-30 10:00 in Shanghai, a Monday
  importCatalogFile(h.db, "data/catalog.yaml", { timezone: "Asia/Shanghai", now: h.clock.now() });
  const idOf = (code: string) =>
    h.db.prepare("SELECT id FROM courses WHERE code = ?").pluck().get(code) as number;
  return { ...h, idOf };
}

/** The last message sent or edited among some calls. */
const screen = (calls: ApiCall[]) => [...calls].reverse().find((c) => /^(send|edit)Message/.test(c.method));
const answerOf = (calls: ApiCall[]) => calls.find((c) => c.method === "answerCallbackQuery")?.payload;
const data = (calls: ApiCall[]) => buttons(screen(calls)).map((b) => b.data);

function fill(
  db: import("../../src/db/connection.ts").Db,
  courseId: number,
  waitlisted = 0,
  name = "p",
): void {
  const capacity = db.prepare("SELECT capacity FROM courses WHERE id = ?").pluck().get(courseId) as number;
  const t = "2026-11-29T00:00:00.000Z";
  for (let i = 0; i < capacity + waitlisted; i++) {
    const person = db
      .prepare("INSERT INTO people (name, relation, created_at) VALUES (?, 'self', ?)")
      .run(`${name}${i}`, t).lastInsertRowid;
    db.prepare(
      "INSERT INTO enrolments (course_id, person_id, status, waitlist_seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(courseId, person, i < capacity ? "enrolled" : "waitlisted", i < capacity ? null : i, t, t);
  }
}

describe("browsing courses", () => {
  it("opens the browse menu from the main-menu button and /courses", async () => {
    const h = await setup();
    for (const how of ["📚 找课程", "/courses"]) {
      const calls = await h.send(wang, how);
      expect(screen(calls)?.method).toBe("sendMessage");
      // The topics themselves come first (a course is two taps away), then the other ways to look.
      expect(data(calls)).toContain("crs:l:0:c.arts");
      expect(data(calls).slice(-5)).toEqual(["crs:m:a", "crs:m:d", "crs:m:s", "crs:l:0:e", "crs:m:q"]);
      expect(texts(calls)[0]).toContain("找课程");
    }
  });

  it("goes topic → list → card → Back to the same list, editing one message", async () => {
    const h = await setup();
    await h.send(wang, "📚 找课程");
    const topics = await h.press(wang, "crs:m:c");
    expect(screen(topics)?.method).toBe("editMessageText");
    const labels = buttons(screen(topics));
    expect(labels.find((b) => b.data === "crs:l:0:c.arts")?.text).toContain("书法绘画");
    expect(labels.at(-1)).toEqual({ text: "⬅️ 返回", data: "crs:m" });

    const list = await h.press(wang, "crs:l:0:c.arts");
    const listText = texts(list)[0] ?? "";
    expect(listText).toContain("书法绘画");
    const id = h.idOf("jt-calligraphy-senior");
    const courseButton = buttons(screen(list)).find((b) => b.data === `crs:c:${id}:0:c.arts`);
    expect(courseButton?.text).toMatch(/老年书画班.* · 周二 09:00 · 可报名/);
    expect(data(list)).not.toContain(`crs:c:${h.idOf("pk-knitting")}:0:c.arts`);
    expect(data(list).at(-1)).toBe("crs:m");

    const card = await h.press(wang, `crs:c:${id}:0:c.arts`);
    expect(screen(card)?.method).toBe("editMessageText");
    // The Share button (inline mode, no callback data) sits between Enrol and Back.
    expect(data(card)).toEqual([`enr:${id}`, undefined, "crs:l:0:c.arts"]);
    const back = await h.press(wang, "crs:l:0:c.arts");
    expect(texts(back)[0]).toBe(listText);
    expect(data(back)).toEqual(data(list));
    expect(answerOf(back)).toBeDefined();
  });

  it("has Back at every level and lists lectures and events by date", async () => {
    const h = await setup();
    for (const [press, back] of [
      ["crs:m:a", "crs:m"],
      ["crs:m:d", "crs:m"],
      ["crs:m:s", "crs:m"],
      ["crs:m:q", "crs:l:0:c.arts"],
      ["crs:l:0:a.children", "crs:m:a"],
      ["crs:l:0:d.5", "crs:m:d"],
      ["crs:l:0:t.2", "crs:m:d"],
      ["crs:l:0:e", "crs:m"],
    ]) {
      const calls = await h.press(wang, press!);
      const d = data(calls);
      expect(d.includes(back!), `${press} → ${back}`).toBe(true);
    }
    // From the top menu again, so that the list is a change Telegram accepts as an edit.
    await h.press(wang, "crs:m");
    const events = await h.press(wang, "crs:l:0:e");
    expect(texts(events)[0]).toContain("讲座和活动");
    expect(data(events)).toContain(`crs:c:${h.idOf("jt-health-lectures")}:0:e`);
    expect(data(events)).not.toContain(`crs:c:${h.idOf("jt-calligraphy-senior")}:0:e`);
    const saturday = await h.press(wang, "crs:l:0:d.5");
    expect(data(saturday)).toContain(`crs:c:${h.idOf("pk-art-kids")}:0:d.5`);
    expect(data(saturday)).not.toContain(`crs:c:${h.idOf("jt-calligraphy-senior")}:0:d.5`);
  });

  it("paginates long lists with Prev and Next", async () => {
    const h = await setup();
    const first = await h.send(wang, "老人"); // every course for seniors
    expect(texts(first)[0]).toMatch(/第 1\/(\d) 页/);
    expect(data(first)).toContain("crs:l:1:q.老人");
    expect(data(first).filter((d) => d?.startsWith("crs:c:"))).toHaveLength(6);
    const second = await h.press(wang, "crs:l:1:q.老人");
    expect(texts(second)[0]).toMatch(/第 2\/\d 页/);
    expect(data(second)).toEqual(expect.arrayContaining(["crs:l:0:q.老人"]));
    const firstIds = data(first).filter((d) => d?.startsWith("crs:c:"));
    for (const d of data(second).filter((d) => d?.startsWith("crs:c:"))) expect(firstIds).not.toContain(d);
  });
});

describe("honest search", () => {
  it("says when nothing matches, points to the closest topic and records the wish in the person's words", async () => {
    const h = await setup();
    const none = await h.send(wang, "游泳");
    expect(texts(none)[0]).toContain("没有找到和“游泳”有关的课");
    expect(texts(none)[0]).toMatch(/最接近的类别：\S* ?体育运动/);
    expect(data(none)).not.toContain(expect.stringMatching(/^crs:c:/)); // no unrelated courses
    expect(data(none)).toEqual(["crs:l:0:c.sports", "wsh:q:游泳", "crs:m"]);
    const wished = await h.press(wang, "wsh:q:游泳");
    expect(texts(wished)[0]).toContain("已记下：您想学“游泳”");
    expect(h.db.prepare("SELECT topic, text FROM wishes WHERE account_id = ?").all(wang.id)).toEqual([
      { topic: "sports", text: "游泳" },
    ]);
    // Nonsense: no closest topic, still the wish and the topics.
    const nonsense = await h.send(emma, "qwzxv");
    expect(texts(nonsense)[0]).toContain("No course is about “qwzxv”");
    expect(data(nonsense)).toEqual(["wsh:q:qwzxv", "crs:m"]);
  });

  it("does not read markup or letters with digits as an age", async () => {
    const h = await setup();
    for (const typed of ["<b>x</b>", "a1", "x1y"]) {
      const calls = await h.send(emma, typed);
      expect(texts(calls)[0], typed).not.toMatch(/age \d/);
    }
  });

  it("finds a topic word's own category first: knitting is not an art class", async () => {
    const h = await setup();
    const calls = await h.send(emma, "knitting");
    const courses = data(calls).filter((d) => d?.startsWith("crs:c:"));
    const card = courses.length === 0 ? data(calls) : courses;
    expect(card.join()).toContain(String(h.idOf("pk-knitting")));
    expect(card.join()).not.toContain(`crs:c:${h.idOf("pk-art-kids")}:`);
  });
});

describe("empty lists", () => {
  it("say so and offer courses that are open instead, with Back", async () => {
    const h = await setup();
    h.db.prepare("UPDATE courses SET status = 'cancelled' WHERE category = 'exercise'").run();
    const calls = await h.press(emma, "crs:l:0:c.exercise");
    expect(texts(calls)[0]).toContain("There are no courses here right now.");
    expect(texts(calls)[0]).toContain("taking enrolments");
    const offered = data(calls).filter((d) => d?.startsWith("crs:c:"));
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every((d) => d?.endsWith(":0:c.exercise"))).toBe(true);
    expect(data(calls).at(-1)).toBe("crs:m");
    // The topic menu no longer offers the empty topic.
    expect(data(await h.press(emma, "crs:m:c"))).not.toContain("crs:l:0:c.exercise");
    const free = texts(await h.press(emma, `crs:c:${h.idOf("jt-calligraphy-senior")}:0:c.exercise`))[0];
    expect(free).toContain("Fee: Free");
    expect(free).toContain("20 seats left (of 20)");
  });
});

describe("searching by typing", () => {
  it("takes free text as a search and returns to the results from a card", async () => {
    const h = await setup();
    const id = h.idOf("jt-calligraphy-senior");
    // "书法" is in one course's title: its card comes at once, with Back to every result.
    const calls = await h.send(wang, "书法");
    expect(screen(calls)?.method).toBe("sendMessage");
    expect(texts(calls)[0]).toContain("<b>老年书画班（书法、国画）</b>");
    // The Share button (inline mode, no callback data) sits between Enrol and Back.
    expect(data(calls)).toEqual([`enr:${id}`, undefined, "crs:l:0:q.书法"]);
    const list = await h.press(wang, "crs:l:0:q.书法");
    expect(texts(list)[0]).toContain("书法");
    expect(data(list)[0]).toBe(`crs:c:${id}:0:q.书法`);
    const card = await h.press(wang, `crs:c:${id}:0:q.书法`);
    expect(data(card)).toContain("crs:l:0:q.书法");
    const back = await h.press(wang, "crs:l:0:q.书法");
    expect(texts(back)[0]).toBe(texts(list)[0]);
    // A word in several titles gets the list.
    expect(data(await h.send(wang, "乒乓球"))[0]).toMatch(/^crs:c:/);

    const kids = await h.send(emma, "for my 7-year-old on weekends");
    expect(data(kids)).toContain(`crs:c:${h.idOf("pk-art-kids")}:0:q.for my 7-year-old on weekends`);
    expect(texts(kids)[0]).toContain("age 7");
  });

  it("says when it did not understand, and keeps long queries within 64 bytes", async () => {
    const h = await setup();
    const none = await h.send(wang, "我想学");
    expect(texts(none)[0]).toContain("没看懂");
    expect(data(none)).toContain("crs:l:0:c.arts");
    const long = await h.send(wang, "我想给我七岁的孙女找一个周末上午的英语课或者画画课谢谢");
    for (const d of data(long)) expect(Buffer.byteLength(d ?? "")).toBeLessThanOrEqual(64);
    // Too long for callback data: boiled down to what matters, nothing lost.
    const token = (data(long)[0] ?? "").split(":0:q.")[1] ?? "";
    expect(token.split(" ").sort()).toEqual(["7岁", "上午", "周末", "画画", "英语"].sort());
    expect(data(long)[0]?.startsWith(`crs:c:${h.idOf("sp-english-kids")}:`)).toBe(true);
    expect(data(long).some((d) => d?.startsWith(`crs:c:${h.idOf("pk-art-kids")}:`))).toBe(true);
  });

  it("leaves commands and main-menu buttons to other features", async () => {
    const h = await setup();
    for (const text of ["📋 我的报名", "/nosuchcommand", "🌐 语言 Language"]) {
      const calls = await h.send(wang, text);
      expect(texts(calls).join("\n")).not.toContain("🔍");
    }
  });
});

describe("the course card", () => {
  it("shows teacher, place, schedule in Asia/Shanghai, fee and seats", async () => {
    const h = await setup();
    const id = h.idOf("jt-calligraphy-senior");
    const text = texts(await h.press(wang, `crs:c:${id}:0:c.arts`))[0] ?? "";
    expect(text).toContain("<b>老年书画班（书法、国画）</b>");
    expect(text).toContain("张老师");
    expect(text).toContain("书画室（二楼）");
    expect(text).toContain("景泰路128号");
    expect(text).toContain("每周二 09:00"); // 01:00 UTC
    expect(text).toContain("12月1日周二 09:00");
    expect(text).toMatch(/还剩 \d+ 次/);
    expect(text).toContain("免费");
    expect(text).toContain("还剩 20 个名额");
    expect(text).toContain("老年人");
    expect(text).toContain("50岁以上");

    const knitting = texts(await h.press(emma, `crs:c:${h.idOf("pk-knitting")}:0:c.crafts`))[0] ?? "";
    expect(knitting).toContain("Knitting Circle");
    expect(knitting).toMatch(/Fee: .*30\.00/);
    expect(knitting).toContain("Every Wed at 14:30");
    expect(knitting).toContain("12 seats left");
  });

  it("offers the waitlist when full and no button when finished", async () => {
    const h = await setup();
    const id = h.idOf("jt-computer-senior");
    fill(h.db, id, 5);
    const calls = await h.press(wang, `crs:c:${id}:0:c.computer`);
    expect(texts(calls)[0]).toContain("已满，候补 5 人");
    expect(buttons(screen(calls))[0]).toEqual({ text: "🕒 排队候补", data: `enr:${id}` });
    const en = await h.press(emma, `crs:c:${id}:0:c.computer`);
    expect(texts(en)[0]).toContain("Full — 5 on the waitlist");
    const finished = await h.press(wang, `crs:c:${h.idOf("pk-phone-safety")}:0:c.computer`);
    expect(texts(finished)[0]).toContain("已经结课");
    expect(data(finished)).toEqual(["crs:l:0:c.computer"]);
  });

  it("shows only counts for a health-related course, never who enrolled", async () => {
    const h = await setup();
    const id = h.idOf("pk-pregnancy");
    fill(h.db, id, 0, "李梅");
    const text = texts(await h.press(wang, `crs:c:${id}:0:c.parenting`))[0] ?? "";
    expect(text).toContain("🔒");
    expect(text).toContain("候补 0 人");
    expect(text).not.toContain("李梅");
  });

  it("answers stale or forged buttons clearly", async () => {
    const h = await setup();
    const forged = await h.press(wang, "crs:c:99999:0:c.arts");
    expect(answerOf(forged)).toMatchObject({ text: "这门课已经没有了，请重新找一找。", show_alert: true });
    expect(data(forged)).toContain(`crs:c:${h.idOf("jt-calligraphy-senior")}:0:c.arts`); // the list is redrawn
    for (const bad of ["crs:zzz", "crs:l:0:x.1", "crs:l:0:d.9", "crs:m:z"]) {
      const calls = await h.press(wang, bad);
      expect(answerOf(calls), bad).toMatchObject({ show_alert: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../src/messages/index.ts";
import { getAccount } from "../../src/people/accounts.ts";
import type { CourseOptions } from "../enrollment/fixture.ts";
import { addCourse, DAY_MS, NOW, seedPlaces } from "../enrollment/fixture.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const wang = { id: 5001, first_name: "王秀兰", language_code: "zh-hans" };
const emma = { id: 5002, first_name: "Emma", language_code: "en" };
const li = { id: 5003, first_name: "李强", language_code: "zh" };

async function setup(course: CourseOptions = {}) {
  const h = await createHarness({ now: NOW.toISOString() });
  seedPlaces(h.db);
  const courseId = addCourse(h.db, course);
  return { h, courseId };
}

const lastMarkup = (calls: ApiCall[]) =>
  [...calls].reverse().find((c) => c.payload.reply_markup !== undefined);
const datas = (calls: ApiCall[]) => buttons(lastMarkup(calls)).map((b) => b.data);
const count = (
  h: { db: { prepare(sql: string): { pluck(): { get(...a: unknown[]): unknown } } } },
  sql: string,
  ...a: unknown[]
) =>
  h.db
    .prepare(sql)
    .pluck()
    .get(...a) as number;

describe("enrolling for oneself", () => {
  it("Enrol → Confirm for someone without family, and a second press shows the same success", async () => {
    const { h, courseId } = await setup();
    await h.send(wang, "/start");
    // No family member: "for whom" is not asked; "someone else" stays on the confirmation.
    const confirm = await h.press(wang, `enr:${courseId}`);
    expect(texts(confirm)[0]).not.toContain("给谁报名");
    expect(datas(confirm)).toEqual([`enr:ok:${courseId}:s:s`, `enr:w:${courseId}`, "enr:no"]);
    const choice = await h.press(wang, `enr:w:${courseId}`);
    expect(texts(choice)[0]).toContain("给谁报名");
    expect(datas(choice)).toEqual([`enr:p:${courseId}:s:-`, `enr:a:${courseId}`, "enr:no"]);
    expect(texts(await h.press(wang, `enr:p:${courseId}:s:-`))[0]).toContain("请核对后确认");
    expect(texts(confirm)[0]).toContain("还有空位");
    expect(datas(confirm)[0]).toBe(`enr:ok:${courseId}:s:s`);
    expect(count(h, "SELECT count(*) FROM enrolments")).toBe(0); // only the confirm press writes
    const done = await h.press(wang, `enr:ok:${courseId}:s:s`);
    expect(done.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(texts(done)[0]).toContain("报名成功");
    expect(texts(done)[0]).toContain("12月2日"); // next class in the school's time zone
    // A double tap: the same success screen with its buttons (the edit to the same content is a no-op).
    const again = await h.press(wang, `enr:ok:${courseId}:s:s`);
    expect(texts(again)[0] ?? texts(done)[0]).toBe(texts(done)[0]);
    expect(again.filter((c) => c.method === "sendMessage")).toEqual([]);
    expect(datas(again).length === 0 || datas(again).join() === datas(done).join()).toBe(true);
    expect(count(h, "SELECT count(*) FROM enrolments")).toBe(1);
  });

  it("tells a waitlisted person their place, and says the last seat went meanwhile", async () => {
    const { h, courseId } = await setup({ capacity: 1 });
    const confirm = await h.press(emma, `enr:p:${courseId}:s:-`);
    expect(datas(confirm)[0]).toBe(`enr:ok:${courseId}:s:s`);
    await h.press(li, `enr:ok:${courseId}:s:-`); // someone else takes the seat first
    const r = await h.press(emma, `enr:ok:${courseId}:s:s`);
    expect(texts(r)[0]).toContain("last free seat was taken");
    expect(texts(r)[0]).toContain("number 1");
  });

  it("asks consent for a health course and records it", async () => {
    const { h, courseId } = await setup({ health: true });
    const step = await h.press(emma, `enr:p:${courseId}:s:-`);
    expect(texts(step)[0]).toContain("health-related");
    expect(datas(step)[0]).toBe(`enr:p:${courseId}:s:c`);
    const confirm = await h.press(emma, `enr:p:${courseId}:s:c`);
    expect(datas(confirm)[0]).toBe(`enr:ok:${courseId}:s:cs`);
    await h.press(emma, `enr:ok:${courseId}:s:cs`);
    expect(h.db.prepare("SELECT consent_at FROM enrolments").pluck().get()).toBe(NOW.toISOString());
  });

  it("asks for the phone with the share-contact button and accepts only the user's own", async () => {
    const { h, courseId } = await setup({ phone: true });
    const ask = await h.press(emma, `enr:p:${courseId}:s:-`);
    const kb = lastMarkup(ask)?.payload.reply_markup as { keyboard: { request_contact?: boolean }[][] };
    expect(kb.keyboard[0]?.[0]?.request_contact).toBe(true);
    expect(texts(await h.send(emma, "13800000000"))[0]).toContain("Share my number");
    expect(texts(await h.contact(emma, "+8613900000000", 999))[0]).toContain("your own number");
    expect(getAccount(h.db, emma.id)?.phone).toBeNull();
    const ok = await h.contact(emma, "8613800000000");
    expect(getAccount(h.db, emma.id)?.phone).toBe("+8613800000000");
    expect(texts(ok).join("\n")).toContain("Please check and confirm");
    expect(datas(ok)[0]).toBe(`enr:ok:${courseId}:s:s`);
    expect(texts(await h.press(emma, `enr:ok:${courseId}:s:s`))[0]).toContain("Done!");
  });

  it("warns about a clash and enrols only when asked to", async () => {
    const { h, courseId } = await setup();
    const other = addCourse(h.db, { firstAt: new Date(NOW.getTime() + 2 * DAY_MS + 30 * 60_000) });
    await h.press(emma, `enr:ok:${courseId}:s:-`);
    const warn = await h.press(emma, `enr:ok:${other}:s:-`);
    expect(texts(warn)[0]).toContain("same time");
    expect(datas(warn)[0]).toBe(`enr:p:${other}:s:x`);
    expect(count(h, "SELECT count(*) FROM enrolments")).toBe(1);
    const confirm = await h.press(emma, `enr:p:${other}:s:x`);
    await h.press(emma, datas(confirm)[0] ?? "");
    expect(count(h, "SELECT count(*) FROM enrolments WHERE status = 'enrolled'")).toBe(2);
  });
});

describe("titles in the reader's language", () => {
  it("shows the English title on English screens, and the Chinese one where none was entered", async () => {
    const { h, courseId } = await setup();
    const done = await h.press(emma, `enr:ok:${courseId}:s:-`);
    expect(texts(done)[0]).toMatch(/Calligraphy \d+/);
    expect(texts(done)[0]).not.toMatch(/书法\d+/);
    const other = addCourse(h.db, { firstAt: new Date(NOW.getTime() + 3 * DAY_MS) });
    h.db.prepare("UPDATE courses SET title_en = '' WHERE id = ?").run(other);
    const confirm = await h.press(emma, `enr:p:${other}:s:-`);
    expect(texts(confirm)[0]).toMatch(/书法\d+/);
  });
});

describe("family members", () => {
  it("adds a family member inside the flow, with hints for wrong input, and enrols them", async () => {
    const { h, courseId } = await setup({ minAge: 6, maxAge: 12, audiences: ["pupils"] });
    await h.press(wang, `enr:${courseId}`);
    expect(texts(await h.press(wang, `enr:a:${courseId}`))[0]).toContain("请输入家人的称呼");
    expect(texts(await h.send(wang, "\u200b\u202e"))[0]).toContain("请输入文字称呼");
    const rel = await h.send(wang, `<b>小明</b>${"🙂".repeat(3)}\u200b`);
    expect(texts(rel)[0]).toContain("&lt;b&gt;小明");
    expect(datas(rel)).toContain("enr:rel:child");
    expect(texts(await h.send(wang, "儿子"))[0]).toContain("请点上面的按钮");
    const stale = await h.press(wang, "my:l");
    expect(stale.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("请点上面的按钮");
    expect(texts(await h.press(wang, "enr:rel:child"))[0]).toContain("哪一年出生");
    expect(texts(await h.send(wang, "2031"))[0]).toContain("还没到");
    const done = await h.send(wang, "2018");
    // One message: "saved" rides on the confirmation.
    expect(texts(done)).toHaveLength(1);
    expect(texts(done)[0]).toContain("已把");
    expect(texts(done)[0]).toContain("请核对后确认");
    const ok = datas(done)[0] ?? "";
    expect(ok).toMatch(new RegExp(`^enr:ok:${courseId}:\\d+:s$`));
    expect(texts(await h.press(wang, ok))[0]).toContain("报名成功");
    // Remembered: the next enrolment offers them as a choice.
    const choice = await h.press(wang, `enr:${courseId}`);
    expect(buttons(lastMarkup(choice)).map((b) => b.text)).toContain("👤 <b>小明</b>🙂🙂🙂（子女）");
  });

  it("survives a restart in the middle of the form, and a menu button leaves the form", async () => {
    const { h, courseId } = await setup();
    await h.press(wang, `enr:a:${courseId}`);
    await h.send(wang, "奶奶");
    // A new bot process on the same database.
    const h2 = await createHarness({ now: NOW.toISOString(), db: h.db });
    expect(texts(await h2.press(wang, "enr:rel:grandparent"))[0]).toContain("哪一年出生");
    const menu = await h2.send(wang, "📋 我的报名");
    expect(texts(menu)[0]).toContain("已退出");
    expect(texts(menu)[1]).toContain("我的报名");
    expect(texts(await h2.send(wang, "1950"))[0]).not.toContain("已把");
    expect(count(h, "SELECT count(*) FROM people WHERE is_self = 0")).toBe(0);
  });

  it("/cancel in the middle leaves nothing written", async () => {
    const { h, courseId } = await setup();
    await h.press(wang, `enr:a:${courseId}`);
    await h.send(wang, "奶奶");
    await h.press(wang, "enr:rel:grandparent");
    expect(texts(await h.send(wang, "/cancel"))[0]).toContain("已取消");
    expect(count(h, "SELECT count(*) FROM people WHERE is_self = 0")).toBe(0);
    expect(texts(await h.send(wang, "1950"))[0]).not.toContain("已把");
  });

  it("refuses and logs a callback forged with someone else's participant or enrolment", async () => {
    const { h, courseId } = await setup();
    await h.press(wang, `enr:ok:${courseId}:s:-`);
    const enrolmentId = count(h, "SELECT id FROM enrolments");
    const personId = count(h, "SELECT person_id FROM enrolments");
    for (const data of [
      `my:xx:${enrolmentId}`,
      `my:e:${enrolmentId}`,
      `enr:ok:${courseId}:${personId}:-`,
      `off:a:${enrolmentId}`,
    ]) {
      const r = await h.press(emma, data);
      expect(r.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("not for you");
    }
    expect(h.db.prepare("SELECT status FROM enrolments").pluck().get()).toBe("enrolled");
    expect(
      count(
        h,
        "SELECT count(*) FROM audit_log WHERE action = 'refused_foreign_callback' AND actor_id = ?",
        emma.id,
      ),
    ).toBe(4);
  });
});

describe("my enrolments, offers and the calendar", () => {
  it("lists, cancels with confirmation and offers the freed seat; Accept enrols", async () => {
    const { h, courseId } = await setup({ capacity: 1 });
    await h.press(wang, `enr:ok:${courseId}:s:-`);
    await h.press(emma, `enr:ok:${courseId}:s:-`);
    const list = await h.send(emma, "📋 我的报名");
    expect(texts(list)[0]).toContain("Waitlist number 1");
    const mine = await h.send(wang, "/mine");
    const eid = count(h, "SELECT id FROM enrolments WHERE account_id = ?", wang.id);
    expect(datas(mine)).toEqual([`my:e:${eid}`]);
    expect(datas(await h.press(wang, `my:e:${eid}`))).toEqual([
      `my:ics:${eid}`,
      `tm:e:${eid}`,
      `my:c:${eid}`,
      `my:x:${eid}`,
      "my:l",
    ]);
    expect(texts(await h.press(wang, `my:x:${eid}`))[0]).toContain("确定取消");
    expect(count(h, "SELECT count(*) FROM enrolments WHERE status = 'cancelled'")).toBe(0);
    expect(texts(await h.press(wang, `my:xx:${eid}`))[0]).toContain("已取消");
    expect(texts(await h.press(wang, `my:xx:${eid}`))[0]).toContain("已经取消过了");
    const row = h.db.prepare("SELECT key, chat_id, template, params FROM outbox").get() as {
      key: string;
      chat_id: number;
      template: string;
      params: string;
    };
    const emmaEid = count(h, "SELECT id FROM enrolments WHERE account_id = ?", emma.id);
    expect(row).toMatchObject({ key: `offer:${emmaEid}:1`, chat_id: emma.id, template: "enrollment.offer" });
    const render = TEMPLATES["enrollment.offer"]!;
    const rc = {
      db: h.db,
      config: h.deps.config,
      i18n: h.deps.i18n,
      t: h.deps.i18n.getFixedT("en"),
      locale: "en" as const,
      now: NOW,
      chatId: emma.id,
    };
    const msg = (await render(rc, JSON.parse(row.params))) as { text: string; reply_markup: unknown };
    expect(msg.text).toContain("Please answer before");
    expect(msg.text).toContain("1 Dec"); // 24 h later, in Asia/Shanghai
    expect(JSON.stringify(msg.reply_markup)).toContain(`off:a:${emmaEid}`);
    expect(texts(await h.press(emma, `off:a:${emmaEid}`))[0]).toContain("The seat is yours");
    expect(await render(rc, JSON.parse(row.params))).toBeNull(); // no longer open
    expect(texts(await h.press(emma, `off:d:${emmaEid}`))[0]).toContain("no longer open");
    expect(h.db.prepare("SELECT status FROM enrolments WHERE id = ?").pluck().get(emmaEid)).toBe("enrolled");
  });

  it("sends an .ics file and shows the course card with a way back", async () => {
    const { h, courseId } = await setup();
    await h.press(emma, `enr:ok:${courseId}:s:-`);
    const eid = count(h, "SELECT id FROM enrolments");
    const ics = await h.press(emma, `my:ics:${eid}`);
    expect(ics.some((c) => c.method === "sendDocument")).toBe(true);
    const card = await h.press(emma, `my:c:${eid}`);
    expect(datas(card)).toContain(`my:e:${eid}`);
  });
});

describe("check-in and own data", () => {
  it("checks in through the deep link inside the window only", async () => {
    const { h, courseId } = await setup();
    await h.press(emma, `enr:ok:${courseId}:s:-`);
    const code = h.db
      .prepare("SELECT checkin_code FROM sessions WHERE course_id = ? AND seq = 1")
      .pluck()
      .get(courseId) as string;
    expect(texts(await h.send(emma, `/start ci_${code}`))[0]).toContain("opens at");
    h.clock.set(new Date(NOW.getTime() + 2 * DAY_MS - 10 * 60_000));
    expect(texts(await h.send(emma, `/start ci_${code}`))[0]).toContain("Checked in");
    expect(texts(await h.send(emma, `/start ci_${code}`))[0]).toContain("already checked in");
    expect(texts(await h.send(li, `/start ci_${code}`))[0]).toContain("没有人报名");
    expect(texts(await h.send(li, "/start ci_WRONG999"))[0]).toContain("签到码无效");
    expect(count(h, "SELECT count(*) FROM attendance WHERE status = 'present'")).toBe(1);
  });

  it("/mydata sends a file; /forget asks, then deletes and passes the seat on", async () => {
    const { h, courseId } = await setup({ capacity: 1 });
    await h.press(emma, `enr:ok:${courseId}:s:-`);
    await h.press(li, `enr:ok:${courseId}:s:-`);
    expect((await h.send(emma, "/mydata")).some((c) => c.method === "sendDocument")).toBe(true);
    const ask = await h.send(emma, "/forget");
    expect(datas(ask)).toEqual(["my:fy", "my:fn"]);
    expect(texts(await h.press(emma, "my:fn"))[0]).toContain("nothing was deleted");
    expect(count(h, "SELECT count(*) FROM users WHERE id = ?", emma.id)).toBe(1);
    const done = await h.press(emma, "my:fy");
    expect(texts(done)[0]).toContain("We deleted");
    expect(count(h, "SELECT count(*) FROM users WHERE id = ?", emma.id)).toBe(0);
    expect(h.db.prepare("SELECT status FROM enrolments WHERE account_id = ?").pluck().get(li.id)).toBe(
      "offered",
    );
  });
});

describe("a person the course does not fit", () => {
  it("offers to enrol someone else in the family, not a Back that leads nowhere", async () => {
    const { h, courseId } = await setup({ audiences: ["children"], minAge: 6, maxAge: 12 });
    await h.send(wang, "/start");
    const refused = await h.press(wang, `enr:p:${courseId}:s:-`);
    expect(texts(refused)[0]).toContain("给孩子上的课");
    expect(datas(refused)).toEqual([`enr:w:${courseId}`, "enr:no"]);
    expect(buttons(lastMarkup(refused)).map((b) => b.text)).toEqual(["👥 给别的家人报名", "✖️ 先不报了"]);
    const choice = await h.press(wang, `enr:w:${courseId}`);
    expect(texts(choice)[0]).toContain("给谁报名");
  });
});

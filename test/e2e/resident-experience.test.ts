import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriverUser } from "../../src/sandbox/driver.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";
import { startBotProcess, withDemoData } from "../helpers/e2e.ts";
import { buttonLabels, tapCounter } from "../helpers/taps.ts";
import type { BotProcess } from "../helpers/e2e.ts";

/**
 * What a resident lives through, measured on the real bot process: how many taps a course
 * takes, whether "your place" on the waitlist means one thing on every screen, whether a
 * command always gets out of a form, and check-in by the code typed alone.
 */

const TZ = "Asia/Shanghai";
const WANG = 100001; // 王秀兰, no family
const EMMA = 100002; // Emma Clark, parent of Lily (7)
const LI = 100003; // 李建国, mother 赵桂芳 and daughter 李朵朵

/** README's resident section states these; the test fails above them. */
const GOAL_ENROL_TAPS = 4;
const GOAL_FIND_TAPS = 3;

const labels = buttonLabels;

describe("a resident's experience, measured", () => {
  let bot: BotProcess;

  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(bot.databasePath, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: withDemoData(TZ),
    });
  }, 40_000);

  afterAll(async () => {
    await bot?.stop();
  });

  /** Presses whatever step stands between the person and the confirmation (a clash warning). */
  async function toConfirm(user: ReturnType<typeof tapCounter>, watcher: DriverUser): Promise<StoredMessage> {
    const screen = await watcher.waitFor((m) =>
      labels(m).some((l) => /确认报名|Confirm|照样报名|Enrol anyway/.test(l)),
    );
    if (!labels(screen).some((l) => /照样报名|anyway/i.test(l))) return screen;
    await user.press(/照样报名|anyway/i);
    return watcher.waitFor((m) => labels(m).some((l) => /确认报名|Confirm/.test(l)));
  }

  it.each([
    { id: WANG, name: "王秀兰", lang: "zh", typed: "太极拳", who: null, taps: 3 },
    { id: LI, name: "李建国", lang: "zh", typed: "太极拳", who: /^👤 赵桂芳/, taps: 4 },
    { id: EMMA, name: "Emma", lang: "en", typed: "weekend art", who: /^👤 Lily/, taps: 4 },
  ])(
    "$name enrols in a course they know by name in $taps taps",
    async ({ id, name, lang, typed, who, taps }) => {
      const watcher = bot.driver.user({ id, first_name: name, language_code: lang });
      await watcher.send("/start");
      await watcher.waitFor((m) => labels(m).length === 0 && m.text.length > 0);
      const user = tapCounter(watcher);
      await user.send(typed);
      await watcher.waitFor((m) => labels(m).some((l) => /报名|候补|Enrol|waitlist/i.test(l)));
      await user.press(/^(✍️ 报名|🕒 排队候补|✍️ Enrol|🕒 Join the waitlist)$/);
      if (who) {
        await watcher.waitFor((m) => labels(m).some((l) => who.test(l)));
        await user.press(who);
      }
      const confirm = await toConfirm(user, watcher);
      expect(
        labels(confirm).some((l) => /给别人报|Someone else/.test(l)),
        "someone else stays on it",
      ).toBe(true);
      await user.press(/^✅ (确认报名|Confirm)/);
      await watcher.waitFor((m) => /报名成功|候补名单|Done!|waiting list/i.test(m.text));
      expect(user.taps, `${name}: taps from /start to enrolled`).toBeLessThanOrEqual(
        Math.min(taps, GOAL_ENROL_TAPS),
      );
    },
  );

  it.each([
    {
      id: WANG,
      name: "王秀兰",
      lang: "zh",
      menu: "📚 找课程",
      topic: /书法绘画/,
      course: /^老年书画班（书法/,
    },
    {
      id: EMMA,
      name: "Emma",
      lang: "en",
      menu: /Courses/,
      topic: /Calligraphy & painting/,
      course: /^Calligraphy & P.*Seniors ·/,
    },
  ])(
    "$name finds a course by browsing in at most 3 taps",
    async ({ id, name, lang, menu, topic, course }) => {
      const watcher = bot.driver.user({ id, first_name: name, language_code: lang });
      await watcher.send("/start");
      await watcher.waitFor((m) => m.text.length > 0);
      const user = tapCounter(watcher);
      await user.pressReply(menu);
      await watcher.waitFor((m) => labels(m).some((l) => topic.test(l)));
      await user.press(topic);
      await watcher.waitFor((m) => labels(m).some((l) => course.test(l)));
      await user.press(course);
      await watcher.waitFor((m) => labels(m).some((l) => /报名|候补|Enrol|waitlist/i.test(l)));
      expect(user.taps, `${name}: taps from /start to the course card`).toBeLessThanOrEqual(GOAL_FIND_TAPS);
    },
  );

  it("shows one waitlist place on the confirmation, the success message and My enrolments, after cancellations and offers", async () => {
    // The demo's knitting circle is full with three waiting, numbered 5, 6, 7 by the demo's
    // counter: places are ranks (1, 2, 3), and a newcomer is 4th, whatever the numbers.
    const knitting = withDb(
      (db) => db.prepare("SELECT id FROM courses WHERE code = 'pk-knitting'").pluck().get() as number,
    );
    const waiting = () =>
      withDb(
        (db) =>
          db
            .prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status = 'waitlisted'")
            .pluck()
            .get(knitting) as number,
      );
    const base = waiting();
    expect(base).toBeGreaterThan(0);
    const people = [7601, 7602, 7603, 7604].map((id, i) =>
      bot.driver.user({ id, first_name: `居民${i + 1}`, language_code: "zh" }),
    );
    for (const [i, p] of people.entries()) {
      await p.send("/start");
      await p.waitFor((m) => m.text.includes("欢迎"));
      await p.send("巧手编织");
      await p.press("🕒 排队候补");
      const confirm = await p.waitFor((m) =>
        labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
      );
      if (labels(confirm).some((l) => l.includes("照样报名"))) await p.press("要，照样报名");
      const shown = await p.waitFor((m) => labels(m).includes("✅ 确认报名"));
      await p.press("✅ 确认报名");
      const done = await p.waitFor((m) => m.text.includes("候补名单"));
      expect(shown.text).toContain(`候补第${base + i + 1}位`);
      expect(done.text).toContain(`候补名单：第${base + i + 1}位`);
    }

    /** The place a waiting person reads on 我的报名. */
    const mine = async (p: DriverUser): Promise<number> => {
      await p.pressReply("📋 我的报名");
      const list = await p.waitFor((m) => m.text.includes("我的报名") && m.text.includes("候补"));
      return Number(/巧手编织班[^\n]*\n\s*⏳ 候补第(\d+)位/.exec(list.text)?.[1]);
    };
    for (const [i, p] of people.entries()) expect(await mine(p)).toBe(base + i + 1);

    // The second of them leaves the line: everyone behind moves up one.
    const leaver = people[1] as DriverUser;
    await leaver.pressReply("📋 我的报名");
    await leaver.press(/巧手编织班/);
    await leaver.press("✖️ 取消报名");
    await leaver.press("确定取消");
    await leaver.waitFor((m) => m.text.includes("已取消"));
    expect(await mine(people[0] as DriverUser)).toBe(base + 1);
    expect(await mine(people[2] as DriverUser)).toBe(base + 2);
    expect(await mine(people[3] as DriverUser)).toBe(base + 3);

    // Someone with a seat cancels: the first in line gets an offer, everyone behind moves up again.
    const holderId = withDb(
      (db) =>
        db
          .prepare(
            "SELECT account_id FROM enrolments WHERE course_id = ? AND status = 'enrolled' AND account_id IS NOT NULL LIMIT 1",
          )
          .pluck()
          .get(knitting) as number,
    );
    withDb((db) => db.prepare("UPDATE users SET locale = 'zh' WHERE id = ?").run(holderId));
    const holder = bot.driver.user({ id: holderId, first_name: "学员", language_code: "zh" });
    await holder.send("/mine");
    await holder.press(/巧手编织班/);
    await holder.press("✖️ 取消报名");
    await holder.press("确定取消");
    await holder.waitFor((m) => m.text.includes("已取消"));
    expect(waiting()).toBe(base + 3 - 1);
    const last = people[3] as DriverUser;
    const now = await mine(last);
    expect(now).toBe(base + 2);
    expect(await mine(people[0] as DriverUser)).toBe(base);
    // Enrolling again from the card says where they stand, with the same place.
    await last.press("🕒 排队候补");
    const again = await last.waitFor((m) => m.text.includes("已经在"));
    expect(again.text).toContain(`候补名单上：第${now}位`);
    // A newcomer is promised the place after the last, and gets it.
    const newcomer = bot.driver.user({ id: 7607, first_name: "新居民", language_code: "zh" });
    await newcomer.send("/start");
    await newcomer.waitFor((m) => m.text.includes("欢迎"));
    await newcomer.send("巧手编织");
    await newcomer.press("🕒 排队候补");
    let confirm = await newcomer.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    if (labels(confirm).some((l) => l.includes("照样报名"))) {
      await newcomer.press("要，照样报名");
      confirm = await newcomer.waitFor((m) => labels(m).includes("✅ 确认报名"));
    }
    expect(confirm.text).toContain(`候补第${now + 1}位`);
    await newcomer.press("✅ 确认报名");
    const done = await newcomer.waitFor((m) => m.text.includes("候补名单"));
    expect(done.text).toContain(`第${now + 1}位`);
    expect(await mine(newcomer)).toBe(now + 1);
  }, 60_000);

  it("leaves a form for any command or menu button, saying so in one line", async () => {
    const zhou = bot.driver.user({ id: 7701, first_name: "周大姐", language_code: "zh" });
    const intoForm = async () => {
      await zhou.send("太极拳");
      await zhou.press(/^(✍️ 报名|🕒 排队候补)$/);
      await zhou.press("👥 给别人报");
      await zhou.press("➕ 添加家人");
      await zhou.waitFor((m) => m.text.includes("请输入家人的称呼"));
    };
    for (const [action, expected] of [
      ["/help", "怎么用"],
      ["/mine", "我的报名"],
      ["/language", "请选择语言"],
      ["❓ 帮助", "怎么用"],
    ] as const) {
      await intoForm();
      await zhou.send(action);
      const left = await zhou.waitFor((m) => m.text.includes("已退出"));
      expect(left.text.split("\n")).toHaveLength(1);
      await zhou.waitFor((m) => m.text.includes(expected) || labels(m).some((l) => l.includes(expected)));
      // The form is closed: a name typed now is a search, not a family member.
      await zhou.send("周奶奶");
      await zhou.waitFor((m) => m.text.includes("周奶奶") && !m.text.includes("是您的什么人"));
    }
    await zhou.send("/cancel");
    const nothing = await zhou.waitFor((m) => m.text.includes("没有要取消"));
    expect(nothing.text).toContain("现在没有要取消的事情");
  }, 40_000);

  it("/mydata says in the person's language what is kept, why and since when, with the JSON attached", async () => {
    const li = bot.driver.user({ id: LI, first_name: "李建国", language_code: "zh" });
    await li.send("/mydata");
    const zh = await li.waitFor((m) => m.document !== undefined);
    expect(zh.text).toContain("我们保存的关于您和家人的信息");
    expect(zh.text).toContain("赵桂芳（父母）");
    expect(zh.text).toMatch(/从 \d{4}年\d{1,2}月\d{1,2}日周. 起/);
    expect(zh.text).toContain("为什么");
    expect(zh.text).not.toMatch(/news_opt_in|waitlist_seq|\dT\d/);
    const json = JSON.parse((await li.download(zh)).toString("utf8")) as { people: unknown[] };
    expect(json.people.length).toBe(3);
    const emma = bot.driver.user({ id: EMMA, first_name: "Emma", language_code: "en" });
    await emma.send("/mydata");
    const en = await emma.waitFor((m) => m.document !== undefined);
    expect(en.text).toContain("What we keep about you and your family");
    expect(en.text).toContain("Lily Clark (Child)");
    expect(en.text).toContain("Why:");
  });

  it("checks in by the code typed alone, in any case and with spaces, and by the link", async () => {
    const wu = bot.driver.user({ id: 7801, first_name: "吴阿姨", language_code: "zh" });
    await wu.send("太极拳");
    await wu.press(/^(✍️ 报名|🕒 排队候补)$/);
    const confirm = await wu.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    if (labels(confirm).some((l) => l.includes("照样报名"))) await wu.press("要，照样报名");
    await wu.press("✅ 确认报名");
    await wu.waitFor((m) => m.text.includes("报名成功"));
    // The next class begins in ten minutes (check-in opens 30 minutes before).
    const code = withDb((db) => {
      const course = db
        .prepare(
          "SELECT e.course_id FROM enrolments e JOIN people p ON p.id = e.person_id WHERE p.account_id = ? AND e.status = 'enrolled'",
        )
        .pluck()
        .get(7801) as number;
      const session = db
        .prepare(
          "SELECT id, checkin_code FROM sessions WHERE course_id = ? AND status = 'scheduled' ORDER BY starts_at LIMIT 1",
        )
        .get(course) as { id: number; checkin_code: string };
      const start = Date.now() + 10 * 60_000;
      db.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(
        new Date(start).toISOString(),
        new Date(start + 90 * 60_000).toISOString(),
        session.id,
      );
      return session.checkin_code;
    });
    const typed = `${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`;
    await wu.send(typed);
    const ok = await wu.waitFor((m) => m.text.includes("签到"));
    expect(ok.text).toContain("签到成功");
    await wu.send(`/start ci_${code}`);
    const again = await wu.waitFor((m) => m.text.includes("签"));
    expect(again.text).toContain("已经签过到了");
    // A word that is not a code is still a search.
    await wu.send("knitting");
    const search = await wu.waitFor((m) => m.text.length > 0);
    expect(search.text).not.toContain("签到码");
  }, 40_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CALLIGRAPHY } from "../../src/demo/demo.ts";
import type { DriverUser } from "../../src/sandbox/driver.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";
import { startOfLocalDay } from "../../src/time.ts";
import { peekAt, startBotProcess, withDemoData } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

/**
 * Residents' journeys through the real bot process (HTTP against the emulator): finding a course
 * by typing, enrolling a family member added inside the flow, the calendar file, cancelling with
 * the seat offered to the first on the waitlist, a restart in the middle of a form, and the
 * awkward inputs an elderly resident will produce (old buttons, text instead of a tap, /cancel).
 */

const TZ = "Asia/Shanghai";
const WANG = 100001; // 王秀兰, demo persona, no family yet
const EMMA = 100002; // Emma Clark, parent of Lily (7)
const LI = 100003; // 李建国, looks after his mother 赵桂芳 and daughter

const labels = (m: StoredMessage | undefined): string[] =>
  (m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : [])
    .flat()
    .map((b) => b.text);

/** Reads until `ok` holds (the bot saves a form's state just after its reply goes out), or gives the last value. */
async function eventually<T>(read: () => T, ok: (value: T) => boolean, limitMs = 5000): Promise<T> {
  const deadline = Date.now() + limitMs;
  let value = read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = read();
  }
  return value;
}

describe("residents' journeys through the bot process", () => {
  let bot: BotProcess;
  let calligraphyId = 0;

  /** A read-only look at the bot's database (WAL lets us read while it runs). */
  const peek = <T>(sql: string, ...params: unknown[]): T[] => peekAt<T>(bot.databasePath, sql, ...params);

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: withDemoData(TZ, (db) => {
        // One free seat left on the calligraphy course: Wang's mother takes it, and the next
        // person goes on the waitlist.
        const course = db.prepare("SELECT id FROM courses WHERE code = ?").get(DEMO_CALLIGRAPHY) as {
          id: number;
        };
        const taken = db
          .prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status IN ('enrolled','offered')")
          .pluck()
          .get(course.id) as number;
        db.prepare("UPDATE courses SET capacity = ? WHERE id = ?").run(taken + 1, course.id);
        calligraphyId = course.id;
      }),
    });
  }, 40_000);

  afterAll(async () => {
    await bot?.stop();
  });

  /** Presses through a clash warning if one comes up (the demo may have put the person in a class at that hour). */
  async function passClash(user: DriverUser, screen: StoredMessage): Promise<StoredMessage> {
    if (!labels(screen).some((l) => l.includes("照样报名"))) return screen;
    await user.press("要，照样报名");
    return user.waitFor((m) => labels(m).includes("✅ 确认报名"));
  }

  it("王秀兰 finds calligraphy by typing, enrols her mother, gets the calendar, cancels; the waitlisted resident takes the seat", async () => {
    const wang = bot.driver.user({ id: WANG, first_name: "王秀兰", language_code: "zh-hans" });
    await wang.send("/start");
    await wang.waitFor((m) => m.text.includes("王秀兰"));
    // The name typed opens the course's card at once.
    await wang.send("书法");
    const card = await wang.waitFor((m) => labels(m).includes("✍️ 报名"));
    expect(card.text).toContain("老年书画班（书法、国画）");
    expect(card.text).toContain("张老师");

    // She has no family member yet: the confirmation for herself comes first, "someone else" on it.
    await wang.press("✍️ 报名");
    await wang.waitFor((m) => labels(m).includes("👥 给别人报"));
    await wang.press("👥 给别人报");
    await wang.waitFor((m) => m.text.includes("给谁报名"));
    await wang.press("➕ 添加家人");
    await wang.waitFor((m) => m.text.includes("请输入家人的称呼"));
    await wang.send("刘桂英");
    await wang.waitFor((m) => m.text.includes("刘桂英是您的什么人"));
    await wang.press("父母");
    await wang.waitFor((m) => m.text.includes("刘桂英是哪一年出生的"));
    await wang.send("1946");
    let confirm = await wang.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    confirm = await passClash(wang, confirm);
    expect(confirm.text).toContain("刘桂英");
    expect(confirm.text).toContain("还有空位");
    await wang.press("✅ 确认报名");
    const done = await wang.waitFor((m) => m.text.includes("报名成功"));
    expect(done.text).toContain("刘桂英");

    // 我的报名 shows it with the next class.
    await wang.pressReply("📋 我的报名");
    const mine = await wang.waitFor((m) => m.text.includes("我的报名") && m.text.includes("刘桂英"));
    expect(mine.text).toMatch(/老年书画班（书法、国画）[^\n]*刘桂英\n\s*✅ 已报名 · 下次上课/);

    // The calendar file: a VCALENDAR with every class in UTC.
    await wang.press(/老年书画班（书法、国画） · 刘桂英/);
    await wang.waitFor((m) => labels(m).includes("🗓 加到手机日历"));
    await wang.press("🗓 加到手机日历");
    const file = await wang.waitFor((m) => m.document !== undefined);
    // Named after the course; each class located at the site, the room and the address.
    expect(file.document?.file_name).toBe("老年书画班-书法-国画.ics");
    const ics = (await wang.download(file)).toString("utf8");
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain(
      "LOCATION:景泰路街道社区学校，书画室（二楼），景泰路128号",
    );
    expect(ics).toContain("BEGIN:VCALENDAR");
    const starts = ics.match(/^DTSTART:\d{8}T\d{6}Z\r?$/gm) ?? [];
    // Only the classes from today on (past ones are no use in a phone's calendar).
    const sessions = peek<{ n: number }>(
      "SELECT COUNT(*) AS n FROM sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at >= ?",
      calligraphyId,
      startOfLocalDay(new Date(), TZ).toISOString(),
    )[0]?.n;
    const past = peek<{ n: number }>(
      "SELECT COUNT(*) AS n FROM sessions WHERE course_id = ? AND starts_at < ?",
      calligraphyId,
      startOfLocalDay(new Date(), TZ).toISOString(),
    )[0]?.n;
    expect(past, "the demo course has classes in the past").toBeGreaterThan(0);
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.length).toBe(sessions);
    expect(file.text).toContain(`${sessions}次课`);
    // Every class is Tuesday 09:00 in Shanghai, which is 01:00 UTC (China keeps no summer time).
    expect(starts.filter((l) => !l.includes("T010000Z"))).toEqual([]);

    // The course is full now: 李建国 puts his mother on the waitlist.
    const li = bot.driver.user({ id: LI, first_name: "李建国", language_code: "zh" });
    await li.send("书法");
    await li.waitFor((m) => labels(m).includes("🕒 排队候补"));
    await li.press("🕒 排队候补");
    await li.waitFor((m) => m.text.includes("给谁报名"));
    await li.press(/^👤 赵桂芳/);
    let liConfirm = await li.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    liConfirm = await passClash(li, liConfirm);
    expect(liConfirm.text).toContain("候补第1位");
    await li.press("✅ 确认报名");
    await li.waitFor((m) => m.text.includes("候补名单：第1位"));

    // 王秀兰 cancels, with a confirmation.
    await wang.pressReply("📋 我的报名");
    await wang.waitFor((m) => labels(m).some((l) => l.includes("刘桂英")));
    await wang.press(/老年书画班（书法、国画） · 刘桂英/);
    await wang.waitFor((m) => labels(m).includes("✖️ 取消报名"));
    await wang.press("✖️ 取消报名");
    const ask = await wang.waitFor((m) => m.text.includes("确定取消"));
    expect(ask.text).toContain("刘桂英");
    await wang.press("确定取消");
    await wang.waitFor((m) => m.text.includes("已取消：刘桂英不再参加"));

    // The "add to calendar" button left on the first 我的报名 message (still showing her as
    // enrolled) now says the enrolment is gone, and that message shows the current list.
    const old = await wang.press("🗓 加到手机日历");
    expect(old.answer?.text).toBe("这个报名已经不在了。");
    const redrawn = await wang.waitFor((m) => m.message_id === old.message.message_id && m.edited);
    expect(redrawn.text).toContain("我的报名");
    expect(redrawn.text).not.toContain("刘桂英");

    // The first on the waitlist gets the offer through the outbox, and takes it.
    const offer = await li.waitFor((m) => m.text.includes("空出一个名额"), { timeoutMs: 15_000 });
    expect(offer.text).toContain("赵桂芳");
    // Where, complete: the site and its address, not just the room.
    expect(offer.text).toContain("景泰路街道社区学校 · 书画室（二楼）");
    expect(offer.text).toContain("地址：景泰路128号");
    await li.press("✅ 要这个名额");
    const taken = await li.waitFor((m) => m.text.includes("名额是您的了"));
    expect(taken.text).toContain("赵桂芳");
    const rows = peek<{ status: string; name: string }>(
      `SELECT e.status, p.name FROM enrolments e JOIN people p ON p.id = e.person_id
         WHERE e.course_id = ? AND p.name IN ('赵桂芳', '刘桂英') ORDER BY p.name`,
      calligraphyId,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { status: "cancelled", name: "刘桂英" },
        { status: "enrolled", name: "赵桂芳" },
      ]),
    );
  }, 45_000);

  it("Emma finds a weekend course for her 7-year-old by typing in English", async () => {
    const emma = bot.driver.user({ id: EMMA, first_name: "Emma", last_name: "Clark", language_code: "en" });
    await emma.send("for my 7-year-old on weekends");
    const list = await emma.waitFor((m) => m.text.includes("I understood"));
    expect(list.text).toContain("age 7");
    expect(list.text).toContain("weekends");
    const courses = labels(list).filter((l) => / · /.test(l));
    expect(courses.length, list.text).toBeGreaterThan(0);
    expect(
      courses.filter((l) => !/\b(Sat|Sun)/.test(l)),
      "every course listed is on a weekend",
    ).toEqual([]);

    await emma.press(courses[0] ?? "");
    const card = await emma.waitFor((m) => m.text.includes("👥 For:"));
    expect(card.text).toMatch(/🗓 Every (Sat|Sun)/);
    const ages = card.text.match(/ages (\d+)(?:–(\d+)|\+)|up to age (\d+)/);
    expect(ages, card.text).not.toBeNull();
    const [, min = "0", max = ages?.[3] ?? "200"] = ages ?? [];
    expect(Number(min)).toBeLessThanOrEqual(7);
    expect(Number(max)).toBeGreaterThanOrEqual(7);
    expect(
      labels(card).some((l) => /Enrol|waitlist/i.test(l)),
      labels(card).join(" | "),
    ).toBe(true);
  });

  it("a restart in the middle of adding a family member loses nothing", async () => {
    const chen = bot.driver.user({ id: 7301, first_name: "陈阿姨", language_code: "zh" });
    await chen.send("书法");
    await chen.press(/^(✍️ 报名|🕒 排队候补)$/);
    await chen.press("👥 给别人报");
    await chen.waitFor((m) => m.text.includes("给谁报名"));
    await chen.press("➕ 添加家人");
    await chen.waitFor((m) => m.text.includes("请输入家人的称呼"));
    await chen.send("周老太");
    await chen.waitFor((m) => m.text.includes("周老太是您的什么人"));

    // SIGTERM right after the bot asked for the relation: the answer it had just taken must
    // have been saved (a shutdown that closes the database under an update loses it).
    await bot.restart();

    const relation = await chen.press("父母");
    expect(relation.answer?.text ?? "", "the form should be at the relation step").toBe("");
    await chen.waitFor((m) => m.text.includes("周老太是哪一年出生的"), { timeoutMs: 15_000 });
    await chen.send("1950");
    await chen.waitFor((m) => m.text.includes("已把周老太存进家人名单"));
    let confirm = await chen.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    confirm = await passClash(chen, confirm);
    await chen.press("✅ 确认报名");
    await chen.waitFor((m) => m.text.includes("周老太已进入") || m.text.includes("报名成功"));
    const people = peek<{ name: string; relation: string; birth_year: number }>(
      "SELECT name, relation, birth_year FROM people WHERE account_id = ? AND is_self = 0",
      7301,
    );
    expect(people).toEqual([{ name: "周老太", relation: "parent", birth_year: 1950 }]);
  }, 40_000);

  it("old buttons, text instead of a tap and /cancel get clear answers and write nothing", async () => {
    const zhao = bot.driver.user({ id: 7401, first_name: "赵大爷", language_code: "zh" });

    // Two confirmation screens for the same person; the second is used, then the first is pressed.
    await zhao.send("书法");
    await zhao.press(/^(✍️ 报名|🕒 排队候补)$/);
    await zhao.press("👥 给别人报");
    await zhao.waitFor((m) => m.text.includes("给谁报名"));
    await zhao.press("➕ 添加家人");
    await zhao.waitFor((m) => m.text.includes("请输入家人的称呼"));
    await zhao.send("赵奶奶");
    await zhao.waitFor((m) => m.text.includes("赵奶奶是您的什么人"));
    await zhao.press("父母");
    await zhao.waitFor((m) => m.text.includes("赵奶奶是哪一年出生的"));
    // A year the way people say it is not understood: the form says what it needs, and waits.
    await zhao.send("四九年");
    await zhao.waitFor((m) => m.text.includes("请输入4位数字的出生年份"));
    await zhao.send("1949");
    const first = await zhao.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    await passClash(zhao, first);

    // A second confirmation screen for the same person, from the same card.
    await zhao.press(/^(✍️ 报名|🕒 排队候补)$/);
    await zhao.waitFor((m) => labels(m).some((l) => l.startsWith("👤 赵奶奶")));
    await zhao.press(/^👤 赵奶奶/);
    const second = await zhao.waitFor((m) =>
      labels(m).some((l) => l === "✅ 确认报名" || l.includes("照样报名")),
    );
    await passClash(zhao, second);
    await zhao.press("✅ 确认报名");
    await zhao.waitFor((m) => /赵奶奶(已报上|已进入)/.test(m.text));
    // The older confirmation button, pressed after she is already in: the same result again
    // (never a weaker "already"), and no second row.
    const older = await zhao.press("✅ 确认报名");
    const again = await zhao.waitFor(
      (m) => m.message_id === older.message.message_id && /赵奶奶(已报上|已进入)/.test(m.text),
    );
    expect(again.text).toMatch(/报名成功|候补名单：第\d+位/);
    const rows = peek<{ n: number }>(
      `SELECT COUNT(*) AS n FROM enrolments e JOIN people p ON p.id = e.person_id
       WHERE p.account_id = ? AND e.status != 'cancelled'`,
      7401,
    );
    expect(rows[0]?.n).toBe(1);

    // Start adding another member; at the relation step, type instead of tapping.
    await zhao.press(/^(✍️ 报名|🕒 排队候补)$/);
    await zhao.waitFor((m) => m.text.includes("给谁报名"));
    await zhao.press("➕ 添加家人");
    await zhao.waitFor((m) => m.text.includes("请输入家人的称呼"));
    await zhao.send("赵小宝");
    await zhao.waitFor((m) => m.text.includes("赵小宝是您的什么人"));
    await zhao.send("孙子");
    const hint = await zhao.waitFor((m) => m.text.includes("请点上面的按钮"));
    expect(hint.text).toContain("/cancel");

    // /cancel in the middle: nothing about 赵小宝 is written.
    await zhao.send("/cancel");
    await zhao.waitFor((m) => m.text.includes("已取消"));
    const members = peek<{ name: string }>(
      "SELECT name FROM people WHERE account_id = ? AND is_self = 0 ORDER BY name",
      7401,
    );
    expect(members.map((m) => m.name)).toEqual(["赵奶奶"]);
    const form = await eventually(
      () => peek<{ value: string }>("SELECT value FROM conversation_state WHERE key = ?", "7401"),
      (rows) => !rows.some((r) => r.value.includes("enrol-member")),
    );
    expect(form.map((r) => r.value).join(""), "the form is closed").not.toContain("enrol-member");

    // The relation buttons of the cancelled form no longer act.
    const stale = await zhao.press("孙子孙女");
    expect(stale.answer?.text).toContain("过期");
    const after = peek<{ n: number }>(
      "SELECT COUNT(*) AS n FROM people WHERE account_id = ? AND is_self = 0",
      7401,
    );
    expect(after[0]?.n).toBe(1);
  }, 45_000);
});

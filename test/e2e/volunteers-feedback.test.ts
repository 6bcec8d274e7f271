/**
 * End-to-end journeys of volunteers and feedback: the real bot process against the emulator,
 * on a database with the catalog and the demo. Jobs are run from this process on the same
 * database file (WAL); the bot's outbox sender delivers what they queue.
 *
 * The bot process reads the real clock, so a shift cannot wait a day for its reminder or its
 * start. Instead "time passes" by moving the whole shift (its times, pings and answers) earlier
 * by the same amount: every relation between its instants stays as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR, MINUTE, ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { runJobOnce } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import type { DriverUser } from "../../src/sandbox/driver.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";
import { addDays, localDate } from "../../src/time.ts";
import { startBotProcess, withDemoData } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

const TZ = "Asia/Shanghai";
const LUCY = 100006; // demo staff, English
const WANG = 100001; // demo resident who finished pk-phone-safety
const VOLUNTEER = { id: 7201, first_name: "林志强", language_code: "zh-hans", phone: "+8613800138001" };
/** An approved volunteer with the same skill, so that a one-place shift pings two people. */
const OTHER_VOLUNTEER = { id: 7202, first_name: "周梅", language_code: "zh-hans" };
const SHIFT_TITLE = "Legal advice desk";

function seedOtherVolunteer(db: Db, now: Date): void {
  const at = now.toISOString();
  db.prepare(
    "INSERT INTO users (id, first_name, language_code, locale, created_at) VALUES (?, ?, 'zh-hans', 'zh', ?)",
  ).run(OTHER_VOLUNTEER.id, OTHER_VOLUNTEER.first_name, at);
  db.prepare(
    `INSERT INTO volunteers (user_id, name, phone, skills, availability, languages, status, consent_at, decided_at, created_at)
     VALUES (?, ?, '+8613800138002', '["law"]', ?, '["mandarin"]', 'approved', ?, ?, ?)`,
  ).run(OTHER_VOLUNTEER.id, OTHER_VOLUNTEER.first_name, (1 << 21) - 1, at, at, at);
}

/** Moves a shift and everything that happened about it `ms` earlier: as if `ms` had passed. */
function letTimePass(db: Db, shiftId: number, ms: number): void {
  const back = (column: string) =>
    `${column} = CASE WHEN ${column} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', julianday(${column}) - ${ms / 86_400_000}) END`;
  db.prepare(`UPDATE shifts SET ${back("starts_at")}, ${back("ends_at")} WHERE id = ?`).run(shiftId);
  db.prepare(
    `UPDATE shift_assignments SET ${back("pinged_at")}, ${back("responded_at")} WHERE shift_id = ?`,
  ).run(shiftId);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("volunteers and feedback, end to end", () => {
  let bot: BotProcess;
  let db: Db;
  let volunteer: DriverUser;
  let other: DriverUser;
  let lucy: DriverUser;
  let wang: DriverUser;
  let shiftId = 0;
  const config = parseConfig({ TIMEZONE: TZ });
  const runJob = (name: string, at: Date) =>
    runJobOnce({ db, config, logger: silentLogger, clock: new ManualClock(at) }, name);

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: withDemoData(TZ, seedOtherVolunteer),
    });
    db = openDatabase(bot.databasePath);
    volunteer = bot.driver.user(VOLUNTEER);
    other = bot.driver.user(OTHER_VOLUNTEER);
    lucy = bot.driver.user({ id: LUCY, first_name: "Lucy", last_name: "Zhou", language_code: "en" });
    wang = bot.driver.user({ id: WANG, first_name: "王秀兰", language_code: "zh-hans" });
    // The admin hears about applications too; give the messages a chat to land in.
    bot.driver.user({ id: 100007, first_name: "刘主任", language_code: "zh" });
    await Promise.all([volunteer, other, lucy, wang].map((u) => u.messages()));
    // A fresh install sends staff the weekly digest at start; its chart and spreadsheet take a
    // while to render on a slow machine, and the outbox sends one message at a time.
    await until("the digest's start-up catch-up", () =>
      db.prepare("SELECT 1 FROM job_runs WHERE name = 'digest'").get() ? true : undefined,
    ).catch(() => undefined); // no catch-up at start: nothing to wait for
    await until(
      "the start-up digest sent",
      () =>
        db.prepare("SELECT 1 FROM outbox WHERE key LIKE 'digest:%' AND state IN ('pending', 'sending')").get()
          ? undefined
          : true,
      30_000,
    );
  }, 40_000);

  afterAll(async () => {
    db?.close();
    await bot?.stop();
  });

  it("signs a volunteer up step by step, with hints for answers the step does not take", async () => {
    await volunteer.send("/volunteer");
    await volunteer.waitFor((m) => m.text.includes("欢迎加入社区教育志愿者"));
    await volunteer.press("📝 报名当志愿者");
    await volunteer.waitFor((m) => m.text.includes("怎么称呼您"));
    await volunteer.send("林志强");
    await volunteer.waitFor((m) => m.text.includes("分享您自己的手机号"));

    // A typed number is not taken: only the share button proves it is one's own.
    await volunteer.send("13800138001");
    const phoneHint = await volunteer.waitFor((m) => m.text.includes("请点下面的“📱 分享我的手机号”按钮"));
    expect(phoneHint.text).toContain("/cancel");
    await volunteer.pressReply("📱 分享我的手机号");
    await volunteer.waitFor((m) => m.text.includes("您有哪些特长"));

    await volunteer.press("法律咨询");
    await volunteer.press("心理疏导");
    await volunteer.press("✅ 心理疏导"); // toggled off again
    await volunteer.send("会做调解");
    await volunteer.waitFor((m) => m.text.includes("记下了"));
    await volunteer.press("✅ 选好了");
    await volunteer.waitFor((m) => m.text.includes("您一般什么时候有空"));

    // Free text where only the grid's buttons answer: told what the step wants.
    await volunteer.send("周末都有空");
    const gridHint = await volunteer.waitFor(
      (m) => m.text.includes("点格子选择") && m.text.includes("/cancel"),
    );
    expect(gridHint.reply_markup).toBeUndefined();
    // "Done" with nothing chosen is refused with an alert.
    const empty = await volunteer.press("✅ 选好了");
    expect(empty.answer?.show_alert).toBe(true);
    expect(empty.answer?.text).toContain("至少选一个");
    for (const day of ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]) await volunteer.press(day);
    await volunteer.waitFor(
      (m) => volunteer.buttons(m).filter((b) => /^✅ (上午|下午|晚上)$/.test(b)).length === 21,
    );
    await volunteer.press("✅ 选好了");
    // Languages share the last screen with consent; the person's own language is pre-ticked.
    const last = await volunteer.waitFor(
      (m) => m.text.includes("您会说哪些语言") && m.text.includes("您同意吗"),
    );
    expect(volunteer.buttons(last)).toContain("✅ 普通话");
    await volunteer.press("本地话");
    await volunteer.waitFor((m) => volunteer.buttons(m).includes("✅ 本地话"));
    await volunteer.press("✅ 同意，提交报名");
    await volunteer.waitFor((m) => m.text.includes("报名已提交"));

    const row = db
      .prepare("SELECT status, phone, skills, skills_note, languages FROM volunteers WHERE user_id = ?")
      .get(VOLUNTEER.id) as {
      status: string;
      phone: string;
      skills: string;
      skills_note: string;
      languages: string;
    };
    expect(row).toEqual({
      status: "pending",
      phone: "+8613800138001",
      skills: '["law"]',
      skills_note: "会做调解",
      languages: '["mandarin","dialect"]',
    });
  }, 40_000);

  it("refuses a forged staff Approve from a resident, and lets staff approve", async () => {
    const application = await lucy.waitFor(
      (m) => m.text.includes("New volunteer application") && m.text.includes("林志强"),
    );
    expect(lucy.buttons(application)).toEqual(["✅ Approve", "❌ Decline"]);

    // A modified client sends the staff button's data from a resident's chat.
    const wangChat = bot.emulator.state.getChat(WANG);
    if (!wangChat) throw new Error("no chat with 王秀兰");
    bot.emulator.state.addMessage(wangChat, "bot", {
      text: "forged",
      reply_markup: {
        inline_keyboard: [[{ text: "forged approve", callback_data: `vol:ok:${VOLUNTEER.id}` }]],
      },
    });
    const forged = await wang.press("forged approve");
    expect(forged.answer?.show_alert).toBe(true);
    expect(forged.answer?.text).toContain("只有工作人员");
    expect(db.prepare("SELECT status FROM volunteers WHERE user_id = ?").pluck().get(VOLUNTEER.id)).toBe(
      "pending",
    );

    await lucy.press("✅ Approve");
    await lucy.waitFor((m) => m.text.includes("Approved: 林志强"));
    await volunteer.waitFor((m) => m.text.includes("志愿者报名通过了"));
    expect(db.prepare("SELECT status FROM volunteers WHERE user_id = ?").pluck().get(VOLUNTEER.id)).toBe(
      "approved",
    );
  }, 30_000);

  it("staff create a shift in chat; both matching volunteers are asked; the second to accept hears it is full", async () => {
    const date = addDays(localDate(new Date(), TZ), 2);
    await lucy.send("/newshift");
    await lucy.waitFor((m) => m.text.includes("What is the task"));
    await lucy.send(SHIFT_TITLE);
    // The title in the other language is optional.
    await lucy.press("Skip");
    await lucy.press("Jingtai Road Community School");
    await lucy.press("No particular venue");
    await lucy.waitFor((m) => m.text.includes("Which day"));
    await lucy.send(date);
    await lucy.waitFor((m) => m.text.includes("Start time"));
    await lucy.send("09:00");
    await lucy.waitFor((m) => m.text.includes("End time"));
    await lucy.send("11:00");
    await lucy.waitFor((m) => m.text.includes("How many volunteers"));
    await lucy.send("lots");
    await lucy.waitFor((m) => m.text.includes("doesn't look right"));
    await lucy.send("1");
    await lucy.press("Legal advice");
    await lucy.press("✅ Done");
    await lucy.press("No course");
    await lucy.waitFor((m) => m.text.includes("Create it?"));
    await lucy.press("✅ Create");
    await lucy.waitFor((m) => m.text.includes("Volunteers asked: 2"));
    shiftId = db.prepare("SELECT id FROM shifts WHERE title_zh = ?").pluck().get(SHIFT_TITLE) as number;
    expect(shiftId).toBeGreaterThan(0);

    const pinged = (m: StoredMessage) => m.text.includes("您能来吗") && m.text.includes(SHIFT_TITLE);
    await volunteer.waitFor(pinged);
    await other.waitFor(pinged);
    // Once both pings are recorded as sent, the bot would edit the other's into "full"; that edit
    // fails here (as it may on Telegram), so the other still has a live Accept button.
    await until("both pings sent", () =>
      (db
        .prepare("SELECT COUNT(*) FROM outbox WHERE key LIKE ? AND state = 'sent' AND message_id IS NOT NULL")
        .pluck()
        .get(`shift-ping:${shiftId}:%`) as number) === 2
        ? true
        : undefined,
    );
    bot.emulator.state.injectError("editMessageText", {
      error_code: 400,
      description: "Bad Request: message can't be edited",
    });

    await volunteer.press("✅ 我能来");
    await volunteer.waitFor((m) => m.text.includes("已经给您排上了"));
    const late = await other.press("✅ 我能来");
    expect(late.answer?.show_alert).toBe(true);
    expect(late.answer?.text).toContain("已经招满了");
    // The ping no longer asks: it says the shift is full, with no buttons left.
    await other.waitFor(
      (m) =>
        m.message_id === late.message.message_id &&
        m.text.includes("已经招满了") &&
        m.reply_markup === undefined,
    );
    const statuses = db
      .prepare("SELECT volunteer_id, status FROM shift_assignments WHERE shift_id = ? ORDER BY volunteer_id")
      .all(shiftId);
    expect(statuses).toEqual([
      { volunteer_id: VOLUNTEER.id, status: "accepted" },
      { volunteer_id: OTHER_VOLUNTEER.id, status: "filled" },
    ]);
  }, 40_000);

  it("reminds the volunteer a day before, checks them in at the shift by link, and counts the hours", async () => {
    expect(shiftId).toBeGreaterThan(0);
    const startsAt = () =>
      new Date(
        db.prepare("SELECT starts_at FROM shifts WHERE id = ?").pluck().get(shiftId) as string,
      ).getTime();

    // A day before: the reminders job queues the 24-hour reminder.
    letTimePass(db, shiftId, startsAt() - (Date.now() + 24 * HOUR - MINUTE));
    const result = await runJob("shift-reminders", new Date());
    expect(result.error).toBeUndefined();
    // (The bot's own cron may have queued it a moment earlier; either way there is one.)
    const queued = db
      .prepare("SELECT COUNT(*) FROM outbox WHERE key LIKE 'shift-reminder:%:24h'")
      .pluck()
      .get();
    expect(queued).toBe(1);
    const reminder = await volunteer.waitFor((m) => m.text.includes("24 小时后有您的志愿服务"));
    expect(reminder.text).toContain(SHIFT_TITLE);
    const coming = await volunteer.press("👍 我会到");
    expect(coming.answer?.text).toContain("到时见");

    // The check-in link staff show at the door.
    await lucy.send("/shifts");
    const list = await lucy.waitFor((m) => m.text.includes(SHIFT_TITLE) && m.text.includes("Check-in link"));
    const block = list.text.split("\n\n").find((b) => b.includes(SHIFT_TITLE)) ?? "";
    expect(block).toContain("1/1");
    const code = /start=(vs_\w+)/.exec(block)?.[1];
    expect(code).toBeDefined();

    await volunteer.send(`/start ${code}`);
    await volunteer.waitFor((m) => m.text.includes("还没到签到时间"));

    // The shift is about to start.
    letTimePass(db, shiftId, startsAt() - (Date.now() + 30 * MINUTE));
    await other.send(`/start ${code}`);
    await other.waitFor((m) => m.text.includes("没有排您"));
    await volunteer.send(`/start ${code}`);
    const done = await volunteer.waitFor((m) => m.text.includes("签到成功"));
    expect(done.text).toContain(SHIFT_TITLE);
    expect(done.text).toContain("记 2 小时");
    await volunteer.send(`/start ${code}`);
    await volunteer.waitFor((m) => m.text.includes("已经签过到了"));

    await volunteer.send("/myshifts");
    const mine = await volunteer.waitFor((m) => m.text.includes("今年已服务"));
    expect(mine.text).toContain("今年已服务 2 小时");
    // The shift under way is listed without a "can't make it" button that could only fail.
    const card = await volunteer.waitFor((m) => m.text.startsWith(SHIFT_TITLE));
    expect(card.reply_markup).toBeUndefined();
  }, 30_000);

  it("a resident rates a finished course with a comment, and staff see it", async () => {
    const course = db
      .prepare("SELECT id, title_zh, title_en FROM courses WHERE code = 'pk-phone-safety'")
      .get() as { id: number; title_zh: string; title_en: string };
    await wang.send("/feedback");
    await wang.press("⭐ 给上过的课打分");
    await wang.press(course.title_zh);
    await wang.waitFor((m) => m.text.includes(`《${course.title_zh}》结课了`));
    await wang.press("⭐⭐⭐⭐");
    await wang.waitFor((m) => m.text.includes("还想说点什么吗"));
    const comment = "老师讲得很清楚，学会了识别诈骗电话。";
    await wang.send(comment);
    await wang.waitFor((m) => m.text.includes("收到，谢谢您的意见"));

    // Rated once: the course is no longer offered for rating.
    await wang.send("/feedback");
    await wang.press("⭐ 给上过的课打分");
    const again = await wang.waitFor(
      (m) => m.text.includes("给哪门课打分") || m.text.includes("没有可以打分的课"),
    );
    expect(wang.buttons(again)).not.toContain(course.title_zh);

    await lucy.send("/ratings");
    await lucy.waitFor((m) => m.text.includes("Course ratings"));
    await lucy.press(new RegExp(`^${course.title_en.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · `));
    const details = await lucy.waitFor((m) => m.text.includes(comment));
    expect(details.text).toContain(course.title_en);
    expect(details.text).toContain("4⭐");
    expect(details.text).toContain("王秀兰");
  }, 30_000);

  it("tells staff once three residents wish for 太极", async () => {
    const residents = [7301, 7302, 7303].map((id, i) =>
      bot.driver.user({
        id,
        first_name: ["张阿姨", "刘伯伯", "陈奶奶"][i] ?? "居民",
        language_code: "zh-hans",
      }),
    );
    const alert = (m: StoredMessage) => m.text.includes('would like to learn "🧘 Exercise & wellbeing"');
    for (const [i, resident] of residents.entries()) {
      if (i === 1) {
        // The second one comes through the feedback menu.
        await resident.send("/feedback");
        await resident.press("🌱 我想学……");
      } else {
        await resident.send("/wish");
      }
      await resident.waitFor((m) => m.text.includes("您想学什么"));
      await resident.send("太极");
      await resident.waitFor((m) => m.text.includes("归到“🧘 健身养生”"));
      await resident.press("我自己");
      await resident.press("周末");
      await resident.waitFor((m) => m.text.includes("想学的人多了"));
      if (i < 2) {
        const queued = db
          .prepare("SELECT COUNT(*) FROM outbox WHERE key LIKE 'wish-alert:exercise:%'")
          .pluck()
          .get();
        expect(queued, `staff alerted after ${i + 1} wishes`).toBe(0);
      }
    }
    const message = await lucy.waitFor(alert, { timeoutMs: 10_000 });
    expect(message.text).toContain("3 residents");
  }, 40_000);
});

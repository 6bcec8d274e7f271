import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/create-bot.ts";
import { HOUR, ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { remindersJob } from "../../src/jobs/reminders.ts";
import { runJob } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import { createSender } from "../../src/notify/sender.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/index.ts";
import { DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";
import { addCourse, addSession, enrol, freshDb } from "./fixtures.ts";
import { startEmulator, stopAll } from "./sender-setup.ts";

afterEach(stopAll);

const emma = { id: 6001, first_name: "Emma", language_code: "en-GB" };
const wang = { id: 6002, first_name: "王秀兰", language_code: "zh-hans" };
const li = { id: 6003, first_name: "李明", language_code: "zh-hans" };

async function world() {
  const emulator = await startEmulator(true);
  const apiRoot = emulator.apiRoot as string;
  const db = freshDb();
  const config = parseConfig({ BOT_API_ROOT: apiRoot });
  const i18n = await createI18n(config.defaultLocale);
  const clock = new ManualClock("2026-03-01T01:00:00.000Z");
  const deps = { config, db, logger: silentLogger, i18n, clock };
  const bot = createBot(deps, { token: DEFAULT_TOKEN, client: { apiRoot } });
  await bot.init();
  const sender = createSender({ ...deps, api: new Api(DEFAULT_TOKEN, { apiRoot }), templates: TEMPLATES });
  let offset = 0;
  /** Hands every pending update to the bot, as the runner would. */
  const pump = async () => {
    for (;;) {
      const updates = await bot.api.getUpdates({ offset, timeout: 0 });
      if (updates.length === 0) return;
      for (const u of updates) {
        offset = u.update_id + 1;
        await bot.handleUpdate(u);
      }
    }
  };
  for (const u of [emma, wang, li]) {
    emulator.state.ensureUser(u);
    emulator.state.sendText(u.id, "/start");
  }
  await pump();
  const course = addCourse(db, { zh: "老年书法", en: "Calligraphy for seniors" });
  const person = (id: number) =>
    db.prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1").pluck().get(id) as number;
  const [pe, pw, pl] = [person(emma.id), person(wang.id), person(li.id)];
  enrol(db, course, pe, emma.id);
  enrol(db, course, pw, wang.id);
  enrol(db, course, pl, li.id, "waitlisted", 1);
  const session = addSession(db, course, new Date(clock.now().getTime() + 24 * HOUR).toISOString());
  const last = (chatId: number): StoredMessage => {
    const all = emulator.state.messages(chatId).filter((m) => m.side === "bot");
    return all[all.length - 1] as StoredMessage;
  };
  const press = async (chatId: number, message: StoredMessage, data: string) => {
    const { queryId } = emulator.state.pressButton(chatId, message.message_id, data);
    await pump();
    expect(emulator.state.isQueryAnswered(queryId)).toBe(true);
  };
  const buttons = (m: StoredMessage) =>
    (m.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : []).flat();
  return { emulator, db, clock, deps, sender, session, course, pe, pw, pl, last, press, buttons };
}

describe("a class reminder, end to end", () => {
  it("arrives in each resident's language, and its three buttons do what they say", async () => {
    const w = await world();
    await runJob(w.deps, remindersJob, w.clock.now());
    const stats = await w.sender.drainOnce();
    expect(stats).toMatchObject({ sent: 2, failed: 0 });
    expect(w.emulator.state.stats.tooManyRequests).toBe(0);

    const en = w.last(emma.id);
    expect(en.text).toContain("Class reminder");
    expect(en.text).toContain("Calligraphy for seniors");
    // Several sites in a district: the reminder names the site as well as the room.
    expect(en.text).toContain("Where: Happiness School · Room 2F");
    expect(en.text).toContain("Mon 2 Mar, 09:00–10:30"); // 01:00Z in Asia/Shanghai
    expect(w.buttons(en).map((b) => b.text)).toEqual([
      "✅ I'm coming",
      "🙅 Can't come this time",
      "❌ Drop the course",
    ]);
    const zh = w.last(wang.id);
    expect(zh.text).toContain("上课提醒");
    expect(zh.text).toContain("老年书法");
    expect(zh.text).toContain("地点：幸福社区学校 · 二楼活动室");
    expect(w.buttons(zh).map((b) => b.text)).toEqual(["✅ 我会来", "🙅 这次来不了", "❌ 不上这门课了"]);

    // Coming: a friendly word, nothing recorded.
    const [coming, cantCome, drop] = w.buttons(en).map((b) => b.callback_data as string);
    // One response per press: the toast, no second message.
    const callbackAnswers = (chatId: number) =>
      w.emulator.state.log.since(0).filter((e) => e.type === "callbackAnswer" && e.chatId === chatId) as {
        text?: string;
      }[];
    await w.press(emma.id, en, coming as string);
    expect(callbackAnswers(emma.id).at(-1)?.text).toBe("Great, see you there! 👋");
    expect(w.last(emma.id).message_id).toBe(en.message_id);
    expect(w.db.prepare("SELECT count(*) FROM attendance").pluck().get()).toBe(0);

    // Can't come: an excused absence, and the buttons go away.
    const wangCant = w.buttons(zh)[1]?.callback_data as string;
    await w.press(wang.id, zh, wangCant);
    expect(
      w.db
        .prepare("SELECT status, source FROM attendance WHERE session_id = ? AND person_id = ?")
        .get(w.session, w.pw),
    ).toEqual({
      status: "excused",
      source: "reminder",
    });
    // The reminder now offers to take it back (until class starts) instead of coming / can't come.
    const redrawn = w.emulator.state.message(wang.id, zh.message_id);
    expect(redrawn ? w.buttons(redrawn).map((b) => b.text) : []).toEqual(["↩️ 我又能来了", "❌ 不上这门课了"]);
    expect(callbackAnswers(wang.id).at(-1)?.text).toContain("请假");
    expect(w.last(wang.id).message_id).toBe(zh.message_id);

    // Drop: asks first, then frees the seat for the waitlist at once.
    expect(cantCome).toMatch(/^rem:c:/);
    await w.press(emma.id, en, drop as string);
    const confirm = w.last(emma.id);
    expect(confirm.text).toContain("Drop “Calligraphy for seniors”?");
    expect(w.db.prepare("SELECT status FROM enrolments WHERE person_id = ?").pluck().get(w.pe)).toBe(
      "enrolled",
    );
    const yes = w.buttons(confirm)[0]?.callback_data as string;
    await w.press(emma.id, confirm, yes);
    expect(w.db.prepare("SELECT status FROM enrolments WHERE person_id = ?").pluck().get(w.pe)).toBe(
      "cancelled",
    );
    expect(w.db.prepare("SELECT status FROM enrolments WHERE person_id = ?").pluck().get(w.pl)).toBe(
      "offered",
    );
    expect(w.emulator.state.message(emma.id, confirm.message_id)?.text).toContain("You have left");

    // An old button acts on the current state: the seat is gone now.
    await w.press(emma.id, en, coming as string);
    const answers = w.emulator.state.log
      .since(0)
      .filter((e) => e.type === "callbackAnswer" && e.chatId === emma.id) as { text?: string }[];
    expect(answers[answers.length - 1]?.text).toBe("This course was already dropped.");
  });

  it("a reminder for a session cancelled before it went out is dropped, not sent", async () => {
    const w = await world();
    await runJob(w.deps, remindersJob, w.clock.now());
    w.db.prepare("UPDATE sessions SET status = 'cancelled' WHERE id = ?").run(w.session);
    expect(await w.sender.drainOnce()).toMatchObject({ sent: 0, dropped: 2 });
  });
});

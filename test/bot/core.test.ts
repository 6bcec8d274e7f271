import { describe, expect, it } from "vitest";
import { createDispatcher, storeUpdates } from "../../src/bot/inbox.ts";
import { silentLogger } from "../../src/logger.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const wang = { id: 5001, first_name: "王秀兰", language_code: "zh-hans" };
const emma = { id: 5002, first_name: "Emma", language_code: "en-GB" };

describe("first contact", () => {
  it("greets in Chinese, records the user and shows the main menu", async () => {
    const h = await createHarness();
    const calls = await h.send(wang, "/start");
    const reply = calls.find((c) => c.method === "sendMessage");
    expect(reply?.payload.text).toContain("王秀兰");
    expect(reply?.payload.text).toContain("/privacy");
    expect(buttons(reply).map((b) => b.text)).toEqual([
      "📚 找课程",
      "📋 我的报名",
      "🙋 志愿者",
      "💬 意见反馈",
      "🌐 语言 Language",
      "❓ 帮助",
    ]);
    expect(h.db.prepare("SELECT first_name, language_code FROM users WHERE id = ?").get(wang.id)).toEqual({
      first_name: "王秀兰",
      language_code: "zh-hans",
    });
    expect(
      h.db.prepare("SELECT count(*) FROM people WHERE account_id = ? AND is_self = 1").pluck().get(wang.id),
    ).toBe(1);
    const again = texts(await h.send(wang, "/start"))[0];
    expect(again).toContain("欢迎回来");
  });

  it("greets in English for an English app, and falls back to the default language otherwise", async () => {
    const h = await createHarness();
    expect(texts(await h.send(emma, "/start"))[0]).toContain("Welcome to the");
    expect(texts(await h.send({ id: 5003, first_name: "Juan", language_code: "es" }, "/start"))[0]).toContain(
      "欢迎",
    );
    const en = await createHarness({ config: { DEFAULT_LOCALE: "en" } });
    expect(
      texts(await en.send({ id: 5003, first_name: "Juan", language_code: "es" }, "/start"))[0],
    ).toContain("Welcome");
  });

  it("switches and remembers the language with /language", async () => {
    const h = await createHarness();
    const prompt = (await h.send(wang, "/language")).find((c) => c.method === "sendMessage");
    expect(buttons(prompt).map((b) => b.data)).toEqual(["lang:zh", "lang:en"]);
    const calls = await h.press(wang, "lang:en");
    expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(texts(calls).join("\n")).toContain("English");
    // One answer, one message: the confirmation itself carries the English menu.
    const sent = calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.payload.reply_markup)).toContain("Courses");
    expect(texts(await h.send(wang, "/help"))[0]).toContain("How it works");
    // The menu button of either language still works after the switch.
    expect(texts(await h.send(wang, "❓ 帮助"))[0]).toContain("How it works");
  });

  it("answers /help and /privacy, and a hint for unknown commands and stray text", async () => {
    const h = await createHarness();
    expect(texts(await h.send(emma, "/privacy"))[0]).toContain("/forget");
    expect(texts(await h.send(emma, "/nonsense"))[0]).toContain("don't know that command");
    expect(texts(await h.send(emma, "hello?"))[0]).toContain("buttons");
    expect(texts(await h.send(emma, "/cancel"))[0]).toContain("nothing to cancel");
  });

  it("answers a button from an old message instead of leaving it spinning", async () => {
    const h = await createHarness();
    const calls = await h.press(emma, "gone:123");
    const ans = calls.find((c) => c.method === "answerCallbackQuery");
    expect(ans?.payload.text).toContain("out of date");
  });

  it("handles a repeated update only once", async () => {
    const h = await createHarness();
    const update = {
      update_id: 777,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 9, type: "private" as const, first_name: "A" },
        from: { id: 9, is_bot: false, first_name: "A" },
        text: "/help",
        entities: [{ type: "bot_command" as const, offset: 0, length: 5 }],
      },
    };
    h.meet({ id: 9, first_name: "A" });
    // Telegram delivers it twice (at least once); the inbox keeps it once.
    const dispatcher = createDispatcher({
      db: h.db,
      clock: h.clock,
      logger: silentLogger,
      concurrency: 8,
      handle: (u) => h.bot.handleUpdate(u),
    });
    storeUpdates(h.db, [update], h.clock.now());
    await dispatcher.idle();
    storeUpdates(h.db, [update], h.clock.now());
    await dispatcher.idle();
    expect(h.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });
});

describe("when something breaks", () => {
  it("apologises in the person's language, answers the button, and keeps serving", async () => {
    const h = await createHarness();
    await h.send(wang, "/start");
    // A handler that fails: the catalog is gone from under it.
    h.db.pragma("foreign_keys = OFF");
    h.db.exec("DROP TABLE sessions");
    const calls = await h.press(wang, "crs:m:c");
    expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(texts(calls).join("\n")).toContain("抱歉，出了点问题");
    expect(texts(await h.send(wang, "/help"))[0]).toContain("怎么用");
  });
});

describe("a main-menu button in the middle of a form", () => {
  it("leaves the form and does what the button always does", async () => {
    const h = await createHarness();
    await h.send(wang, "/volunteer");
    await h.press(wang, "vol:join");
    expect(texts(await h.send(wang, "周丽")).join("\n")).toContain("手机号");
    const calls = await h.send(wang, "💬 意见反馈");
    expect(texts(calls).join("\n")).toContain("您想做什么");
    // The form is gone: typing now is not taken as the next answer.
    expect(h.db.prepare("SELECT count(*) FROM volunteers").pluck().get()).toBe(0);
    expect(texts(await h.send(wang, "13800000000")).join("\n")).not.toContain("分享");
  });
});

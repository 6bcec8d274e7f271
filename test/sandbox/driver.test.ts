import { Bot, InlineKeyboard, InputFile, Keyboard } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDriver } from "../../src/sandbox/driver.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";

let emu: Emulator;
let bot: Bot;
let polling: Promise<void>;

/** A tiny bot covering the flows a scenario test needs: command, inline press + edit, reply keyboard, contact, file. */
function tinyBot(token: string, apiRoot: string): Bot {
  const b = new Bot(token, { client: { apiRoot } });
  b.command("start", (ctx) =>
    ctx.reply("<b>欢迎</b>，请选择：", {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("课程", "courses").text("帮助", "help"),
    }),
  );
  b.callbackQuery("courses", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "加载中" });
    await ctx.editMessageText("课程列表：书法", {
      reply_markup: new InlineKeyboard().text("报名 书法", "enrol").text("不回应", "silent"),
    });
  });
  b.callbackQuery("enrol", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply("请分享手机号", {
      reply_markup: new Keyboard().requestContact("分享手机号").resized().oneTime(),
    });
  });
  b.callbackQuery("silent", () => undefined);
  b.on("message:contact", (ctx) =>
    ctx.reply(`已报名，手机 ${ctx.message.contact.phone_number}`, {
      reply_markup: { remove_keyboard: true },
    }),
  );
  b.command("file", (ctx) => ctx.replyWithDocument(new InputFile(Buffer.from("名单"), "list.txt")));
  return b;
}

beforeEach(async () => {
  emu = createEmulator({ rateLimit: false });
  const { apiRoot } = await emu.start(0);
  bot = tinyBot(emu.state.token, apiRoot);
  polling = bot.start({ timeout: 1 });
});

afterEach(async () => {
  await bot.stop();
  await polling;
  await emu.stop();
});

describe("sandbox driver", () => {
  it("runs a scenario in process: command, press, edit, reply keyboard, contact, download", async () => {
    const alice = createDriver(emu, { timeoutMs: 3000 }).user({
      id: 1001,
      first_name: "王阿姨",
      language_code: "zh-hans",
      phone: "+8613800000000",
    });
    await alice.send("/start");
    const welcome = await alice.nextMessage();
    expect(welcome).toMatchObject({ side: "bot", text: "欢迎，请选择：", html: "<b>欢迎</b>，请选择：" });
    expect(alice.buttons(welcome)).toEqual(["课程", "帮助"]);

    const pressed = await alice.press("课程");
    expect(pressed.answer).toMatchObject({ text: "加载中", show_alert: false });
    const edited = await alice.nextEdit();
    expect(edited).toMatchObject({ message_id: welcome.message_id, text: "课程列表：书法", edited: true });

    await alice.press(/^报名/);
    await alice.waitFor((m) => m.text === "请分享手机号");
    const contact = await alice.pressReply("分享手机号");
    expect(contact.contact).toMatchObject({ phone_number: "+8613800000000", user_id: 1001 });
    const done = await alice.waitFor((m) => m.text.includes("已报名"));
    expect(done.text).toBe("已报名，手机 +8613800000000");
    expect(emu.state.getChat(1001)?.replyKeyboard).toBeUndefined();

    await alice.send("/file");
    const doc = await alice.nextMessage();
    expect((await alice.download(doc)).toString("utf8")).toBe("名单");
    expect((await alice.lastMessage())?.message_id).toBe(doc.message_id);
  });

  it("fails readably: missing button, unanswered callback, nothing arriving", async () => {
    const bob = createDriver(emu.state, { timeoutMs: 300, settleMs: 100 }).user({
      id: 2002,
      first_name: "Bob",
    });
    await bob.send("/start");
    await bob.nextMessage();
    await expect(bob.press("不存在")).rejects.toThrow(
      /no inline button "不存在".*visible inline buttons: #\d+: 课程 \| 帮助[\s\S]*Last messages in chat 2002:[\s\S]*#1 user: \/start/,
    );
    await bob.press("课程");
    await bob.nextEdit();
    await expect(bob.press("不回应")).rejects.toThrow(/did not answer the callback query of "不回应"/);
    await expect(bob.nextMessage({ timeoutMs: 100 })).rejects.toThrow(
      /waiting for a bot message: nothing within 100 ms\nLast messages in chat 2002:\n.*#1 user: \/start\n.*#2 bot \(edited\): 课程列表：书法 \[报名 书法 \| 不回应\]/,
    );
  });

  it("drives the emulator over its HTTP control API, as an e2e test in another process would", async () => {
    const carol = createDriver(emu.apiRoot ?? "").user({ id: 3003, first_name: "Carol" });
    await carol.send("/start");
    expect((await carol.nextMessage()).text).toBe("欢迎，请选择：");
    expect((await carol.press("课程")).answer?.text).toBe("加载中");
    expect((await carol.nextEdit()).text).toBe("课程列表：书法");
    expect((await carol.messages()).map((m) => m.side)).toEqual(["user", "bot"]);
  });
});

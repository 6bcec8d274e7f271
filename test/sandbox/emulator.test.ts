import { Bot, GrammyError, InlineKeyboard, InputFile } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorEvent, EmulatorOptions } from "../../src/sandbox/emulator/index.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";

const ALICE = 1001;
let emu: Emulator;
let apiRoot: string;

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = createEmulator({ rateLimit: false, ...options });
  ({ apiRoot } = await emu.start(0));
  emu.state.ensureUser({ id: ALICE, first_name: "Alice", language_code: "zh-hans" });
  return emu;
}

afterEach(async () => {
  await emu?.stop();
});

type Answer = {
  ok: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: results are Telegram JSON of many shapes, checked by matchers
  result?: any;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
};

async function call(
  method: string,
  body: Record<string, unknown> = {},
  token = emu.state.token,
): Promise<Answer & { status: number }> {
  const res = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as Answer) };
}

const send = (text: string, extra: Record<string, unknown> = {}) =>
  call("sendMessage", { chat_id: ALICE, text, ...extra });

function expectError(answer: Answer & { status: number }, code: number, description: string): void {
  expect(answer).toMatchObject({ ok: false, status: code, error_code: code, description });
}

// A PNG header is all the emulator reads for a photo's size.
function tinyPng(width: number, height: number): Buffer {
  const png = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write("IHDR", 12, "latin1");
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

describe("telegram emulator: auth, shapes, getMe", () => {
  it("answers getMe through a real grammY bot and 401 for a wrong token", async () => {
    await start({ token: "4242:abc_DEF-123" });
    const bot = new Bot("4242:abc_DEF-123", { client: { apiRoot } });
    await bot.init();
    expect(bot.botInfo).toMatchObject({ id: 4242, is_bot: true, username: "lifelong_test_bot" });
    expectError(await call("getMe", {}, "4242:wrong"), 401, "Unauthorized");
    const wrong = new Bot("4242:wrong", { client: { apiRoot } });
    await expect(wrong.init()).rejects.toMatchObject({ error_code: 401 });
    expectError(await call("noSuchMethod"), 404, "Not Found");
  });
});

describe("telegram emulator: message validation", () => {
  it("parses HTML into plain text and entities, and keeps the original", async () => {
    await start();
    const ok = await send(
      '<b>报名</b> &lt;成功&gt; &#x4E2D;&#25991; <a href="https://x.org/a?b=1&amp;c=2">链接</a>',
      { parse_mode: "HTML" },
    );
    expect(ok.result.text).toBe("报名 <成功> 中文 链接");
    expect(ok.result.entities).toEqual([
      { type: "bold", offset: 0, length: 2 },
      { type: "text_link", offset: 11, length: 2, url: "https://x.org/a?b=1&c=2" },
    ]);
    const stored = emu.state.message(ALICE, ok.result.message_id);
    expect(stored?.html).toContain("<b>报名</b>");
    expect(stored?.text).toBe("报名 <成功> 中文 链接");
    const pre = await send('<pre><code class="language-ts">x</code></pre><span class="tg-spoiler">s</span>', {
      parse_mode: "HTML",
    });
    expect(pre.result.entities).toEqual([
      { type: "pre", offset: 0, length: 1, language: "ts" },
      { type: "spoiler", offset: 1, length: 1 },
    ]);
  });

  it("rejects bad HTML with Telegram's texts", async () => {
    await start();
    const bad = "Bad Request: can't parse entities: ";
    expectError(
      await send("<div>x</div>", { parse_mode: "HTML" }),
      400,
      `${bad}Unsupported start tag "div" at byte offset 0`,
    );
    expectError(
      await send("中<b>x", { parse_mode: "HTML" }),
      400,
      `${bad}Can't find end tag corresponding to start tag "b"`,
    );
    expectError(
      await send("<b><i>x</b></i>", { parse_mode: "HTML" }),
      400,
      `${bad}Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
    );
    expectError(
      await send("a < b", { parse_mode: "HTML" }),
      400,
      `${bad}Unsupported start tag "" at byte offset 2`,
    );
    expect(emu.state.messages(ALICE)).toHaveLength(0);
  });

  it("enforces empty text, 4096 characters after parsing and 1024 for captions", async () => {
    await start();
    expectError(await send(""), 400, "Bad Request: message text is empty");
    expectError(await send("  \n "), 400, "Bad Request: message text is empty");
    expectError(await send("x".repeat(4097)), 400, "Bad Request: message is too long");
    expect((await send(`<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" })).ok).toBe(true);
    const photo = emu.state.files.add(tinyPng(2, 2), { kind: "photo" });
    expectError(
      await call("sendPhoto", { chat_id: ALICE, photo: photo.file_id, caption: "y".repeat(1025) }),
      400,
      "Bad Request: message caption is too long",
    );
    expectError(await call("sendMessage", { text: "hi" }), 400, "Bad Request: chat_id is empty");
    expectError(await call("sendMessage", { chat_id: 999, text: "hi" }), 400, "Bad Request: chat not found");
  });

  it("counts callback_data in UTF-8 bytes and accepts markup as a JSON string in a form body", async () => {
    await start();
    const keyboard = (data: string) => ({ inline_keyboard: [[{ text: "课", callback_data: data }]] });
    expectError(
      await send("x", { reply_markup: keyboard("课".repeat(22)) }),
      400,
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect((await send("x", { reply_markup: keyboard("课".repeat(21)) })).ok).toBe(true);
    expectError(
      await send("x", { reply_markup: { inline_keyboard: [[{ text: "t" }]] } }),
      400,
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
    const form = new URLSearchParams({
      chat_id: String(ALICE),
      text: "form",
      reply_markup: JSON.stringify({ keyboard: [["A", { text: "📱", request_contact: true }]] }),
    });
    const res = await fetch(`${apiRoot}/bot${emu.state.token}/sendMessage`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(emu.state.getChat(ALICE)?.replyKeyboard?.keyboard[0]).toEqual([
      { text: "A" },
      { text: "📱", request_contact: true },
    ]);
  });
});

describe("telegram emulator: edits, deletes and callback queries", () => {
  it("refuses an edit that changes nothing, and unknown messages", async () => {
    await start();
    const markup = { inline_keyboard: [[{ text: "A", callback_data: "a" }]] };
    const sent = await send("<b>hi</b>", { parse_mode: "HTML", reply_markup: markup });
    const id = sent.result.message_id as number;
    expectError(
      await call("editMessageText", {
        chat_id: ALICE,
        message_id: id,
        text: "<b>hi</b>",
        parse_mode: "HTML",
        reply_markup: markup,
      }),
      400,
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message",
    );
    const edited = await call("editMessageText", { chat_id: ALICE, message_id: id, text: "hi" });
    expect(edited.result).toMatchObject({ text: "hi", edit_date: expect.any(Number) });
    expect(edited.result.reply_markup).toBeUndefined(); // no reply_markup on an edit removes the keyboard
    expect((await call("editMessageReplyMarkup", { chat_id: ALICE, message_id: id })).description).toMatch(
      /^Bad Request: message is not modified/,
    );
    expectError(
      await call("editMessageText", { chat_id: ALICE, message_id: 77, text: "x" }),
      400,
      "Bad Request: message to edit not found",
    );
    expect((await call("deleteMessage", { chat_id: ALICE, message_id: id })).result).toBe(true);
    expectError(
      await call("deleteMessage", { chat_id: ALICE, message_id: id }),
      400,
      "Bad Request: message to delete not found",
    );
    expectError(
      await call("editMessageText", { chat_id: ALICE, message_id: id, text: "x" }),
      400,
      "Bad Request: message to edit not found",
    );
    expect(emu.state.message(ALICE, id)).toMatchObject({ deleted: true, edited: true });
  });

  it("answers callback queries once, within the timeout, through a grammY bot", async () => {
    let now = 1_700_000_000_000;
    await start({ now: () => now, callbackQueryTimeoutMs: 15_000 });
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    const sent = await bot.api.sendMessage(ALICE, "选课", {
      reply_markup: new InlineKeyboard().text("数学", "math"),
    });
    const answers: EmulatorEvent[] = [];
    emu.state.events.on("callbackAnswer", (e) => answers.push(e));
    const first = emu.state.pressButton(ALICE, sent.message_id, "math");
    await bot.api.answerCallbackQuery(first.queryId, { text: "已选", show_alert: true });
    expect(answers).toMatchObject([
      { type: "callbackAnswer", chatId: ALICE, queryId: first.queryId, text: "已选", show_alert: true },
    ]);
    const tooOld = "Bad Request: query is too old and response timeout expired or query ID is invalid";
    await expect(bot.api.answerCallbackQuery(first.queryId)).rejects.toMatchObject({
      error_code: 400,
      description: tooOld,
    });
    await expect(bot.api.answerCallbackQuery("12345")).rejects.toMatchObject({ description: tooOld });
    const late = emu.state.pressButton(ALICE, sent.message_id, "math");
    now += 15_001;
    await expect(bot.api.answerCallbackQuery(late.queryId)).rejects.toMatchObject({ description: tooOld });
    expect(() => emu.state.pressButton(ALICE, sent.message_id, "nope")).toThrow(/no inline button/);
  });
});

describe("telegram emulator: limits, blocks and injected faults", () => {
  it("answers 429 with retry_after on a burst to one chat, and refills over time", async () => {
    let now = 1_700_000_000_000;
    await start({ now: () => now, rateLimit: { perChat: { capacity: 3, refillPerSecond: 1 } } });
    for (let i = 0; i < 3; i++) expect((await send(`m${i}`)).ok).toBe(true);
    const limited = await send("m3");
    expectError(limited, 429, "Too Many Requests: retry after 1");
    expect(limited.parameters).toEqual({ retry_after: 1 });
    now += 1000;
    expect((await send("m4")).ok).toBe(true);
    expect(emu.state.stats.tooManyRequests).toBe(1);
    expect(emu.state.stats.calls.sendMessage).toBe(5);
  });

  it("answers 429 when the global rate is exceeded across chats, seen by grammY as GrammyError", async () => {
    await start({ now: () => 1_700_000_000_000, rateLimit: { global: { capacity: 5, refillPerSecond: 5 } } });
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    for (let id = 1; id <= 5; id++) {
      emu.state.ensureUser({ id, first_name: `u${id}` });
      await bot.api.sendMessage(id, "hi");
    }
    emu.state.ensureUser({ id: 6, first_name: "u6" });
    const err = await bot.api.sendMessage(6, "hi").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect(err).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
  });

  it("answers 403 once a user blocked the bot, and tells the bot through my_chat_member", async () => {
    await start();
    emu.state.blockUser(ALICE);
    expectError(await send("hi"), 403, "Forbidden: bot was blocked by the user");
    expectError(
      await call("sendChatAction", { chat_id: ALICE, action: "typing" }),
      403,
      "Forbidden: bot was blocked by the user",
    );
    const updates = await call("getUpdates", { timeout: 0 });
    expect(updates.result[0].my_chat_member.new_chat_member).toMatchObject({ status: "kicked" });
    emu.state.unblockUser(ALICE);
    expect((await send("hi")).ok).toBe(true);
  });

  it("returns injected errors for the next N calls of a method", async () => {
    await start();
    emu.state.injectError(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 7", retry_after: 7 },
      2,
    );
    const first = await send("a");
    expect(first).toMatchObject({ status: 429, parameters: { retry_after: 7 } });
    expect((await send("b")).status).toBe(429);
    expect((await send("c")).ok).toBe(true);
    expect(emu.state.stats.errors[429]).toBe(2);
  });
});

describe("telegram emulator: files", () => {
  it("round-trips a multipart upload: sendDocument, getFile, download, re-send by file_id", async () => {
    await start();
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    const bytes = Buffer.from("姓名,电话\n王阿姨,138\n", "utf8");
    const msg = await bot.api.sendDocument(ALICE, new InputFile(bytes, "名单 2024.csv"), {
      caption: "<i>名单</i>",
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("刷新", "refresh"),
    });
    expect(msg.document).toMatchObject({
      file_name: "名单 2024.csv",
      mime_type: "text/csv",
      file_size: bytes.length,
    });
    expect(msg).toMatchObject({
      caption: "名单",
      caption_entities: [{ type: "italic", offset: 0, length: 2 }],
    });
    expect(msg.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ callback_data: "refresh" });
    const file = await bot.api.getFile(msg.document?.file_id ?? "");
    const res = await fetch(`${apiRoot}/file/bot${emu.state.token}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const again = await bot.api.sendDocument(ALICE, msg.document?.file_id ?? "");
    expect(again.document?.file_id).toBe(msg.document?.file_id);
    await expect(bot.api.sendDocument(ALICE, "no-such-file")).rejects.toMatchObject({
      description: "Bad Request: wrong file identifier/HTTP URL specified",
    });
    // By URL, Telegram downloads the file itself; the emulator's own download route serves as the source.
    const byUrl = await bot.api.sendDocument(
      ALICE,
      `${apiRoot}/file/bot${emu.state.token}/${file.file_path}`,
    );
    expect(byUrl.document).toMatchObject({
      file_size: bytes.length,
      file_name: expect.stringMatching(/\.csv$/),
    });
    await expect(
      bot.api.sendDocument(ALICE, `${apiRoot}/file/bot${emu.state.token}/missing`),
    ).rejects.toMatchObject({
      description: "Bad Request: failed to get HTTP URL content",
    });
  });

  it("reads a photo's size and rejects bytes that are not an image", async () => {
    await start();
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    const msg = await bot.api.sendPhoto(ALICE, new InputFile(tinyPng(640, 480), "chart.png"));
    expect(msg.photo?.[0]).toMatchObject({ width: 640, height: 480 });
    await expect(
      bot.api.sendPhoto(ALICE, new InputFile(Buffer.from("not an image"), "x.png")),
    ).rejects.toMatchObject({ description: "Bad Request: IMAGE_PROCESS_FAILED" });
  });
});

describe("telegram emulator: updates and commands", () => {
  it("holds a long poll until an update arrives, and confirms by offset", async () => {
    await start();
    const started = Date.now();
    const poll = call("getUpdates", { timeout: 5 });
    setTimeout(() => emu.state.sendText(ALICE, "/start hello"), 50);
    const got = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    const update = got.result[0];
    expect(update.message).toMatchObject({
      text: "/start hello",
      chat: { id: ALICE, type: "private", first_name: "Alice" },
      from: { id: ALICE, is_bot: false, language_code: "zh-hans" },
    });
    expect(update.message.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    expect((await call("getUpdates")).result).toHaveLength(1); // not confirmed yet
    expect((await call("getUpdates", { offset: update.update_id + 1 })).result).toHaveLength(0);
    emu.state.sendText(ALICE, "again");
    expect((await call("getUpdates", { offset: update.update_id + 1 })).result[0].update_id).toBe(
      update.update_id + 1,
    );
  });

  it("stores commands per scope and language and emits an event", async () => {
    await start();
    const events: EmulatorEvent[] = [];
    emu.state.events.on("commands", (e) => events.push(e));
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    await bot.api.setMyCommands([{ command: "start", description: "开始" }], { language_code: "zh" });
    await bot.api.setMyCommands([{ command: "admin", description: "管理" }], {
      scope: { type: "chat", chat_id: ALICE },
    });
    expect(await bot.api.getMyCommands({ language_code: "zh" })).toEqual([
      { command: "start", description: "开始" },
    ]);
    expect(await bot.api.getMyCommands()).toEqual([]);
    expect(events[1]).toMatchObject({ chatId: ALICE, commands: [{ command: "admin" }] });
    await expect(bot.api.setMyCommands([{ command: "Bad-Cmd", description: "x" }])).rejects.toMatchObject({
      description: "Bad Request: BOT_COMMAND_INVALID",
    });
  });
});

describe("telegram emulator: control API", () => {
  it("lets another process act as a user and follow events", async () => {
    await start();
    const base = emu.controlUrl ?? "";
    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(`${base}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json()) as Answer;
    expect((await post("/users", { id: 2002, first_name: "Bob" })).ok).toBe(true);
    const seq = ((await (await fetch(`${base}/health`)).json()) as Answer).result.last_seq as number;
    const polled = fetch(`${base}/events/poll?after=${seq}&chat_id=2002&timeout_ms=2000`).then(
      (r) => r.json() as Promise<Answer>,
    );
    expect((await post("/users/2002/text", { text: "/start" })).result).toMatchObject({
      side: "user",
      text: "/start",
    });
    expect((await polled).result.events[0]).toMatchObject({
      type: "message",
      chatId: 2002,
      message: { text: "/start" },
    });
    const sent = await send("hi", {
      chat_id: 2002,
      reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] },
    });
    const pressing = post("/users/2002/press", {
      message_id: sent.result.message_id,
      callback_data: "go",
      wait_ms: 2000,
    });
    const update = (await call("getUpdates", { timeout: 2 })).result.at(-1);
    await call("answerCallbackQuery", { callback_query_id: update.callback_query.id, text: "好" });
    expect((await pressing).result.answer).toMatchObject({ type: "callbackAnswer", text: "好" });
    const messages = ((await (await fetch(`${base}/chats/2002/messages`)).json()) as Answer).result;
    expect(messages.map((m: { side: string }) => m.side)).toEqual(["user", "bot"]);
    expect((await post("/users/9/text", { text: "x" })).error_code).toBe(404);
  });

  it("streams events as server-sent events", async () => {
    await start();
    const controller = new AbortController();
    const res = await fetch(`${emu.controlUrl}/events?chat_id=${ALICE}`, { signal: controller.signal });
    const reader = res.body?.getReader();
    await send("广播");
    let text = "";
    while (!text.includes("广播")) text += new TextDecoder().decode((await reader?.read())?.value);
    controller.abort();
    expect(text).toMatch(/\nid: \d+\nevent: message\ndata: .*广播/);
  });
});

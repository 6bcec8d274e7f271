/**
 * The bot's replies and the outbox write into the same chat at the same time, against an
 * emulator with Telegram's per-chat limit on (made ten times faster, with the pace to match,
 * so that the test takes seconds). Telegram answers one extra 429 with retry_after on top.
 */
import type { RunnerHandle } from "@grammyjs/runner";
import { run } from "@grammyjs/runner";
import { afterEach, describe, expect, it } from "vitest";
import type { BotDeps } from "../../src/bot/context.ts";
import { createBot } from "../../src/bot/create-bot.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import { Pacer } from "../../src/notify/pacer.ts";
import { createSender } from "../../src/notify/sender.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/index.ts";
import { createEmulator, DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";
import { freshDb, outboxRows } from "./fixtures.ts";
import { TEST_TEMPLATES } from "./sender-setup.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("one pace for replies and the outbox", () => {
  it("a conversation and the outbox in one chat, with a 429 from Telegram: no apology, nothing lost", async () => {
    // Telegram's per-chat bucket (3 at once, then 1 a second), ten times faster.
    const emulator = createEmulator({
      rateLimit: { enabled: true, perChat: { capacity: 3, refillPerSecond: 10 } },
    });
    const { apiRoot } = await emulator.start();
    cleanup.push(() => emulator.stop());
    const db = freshDb();
    const config = parseConfig({});
    const i18n = await createI18n(config.defaultLocale);
    const clock = new ManualClock("2026-03-01T00:00:00.000Z");
    const deps: BotDeps = { config, db, logger: silentLogger, i18n, clock };
    const pacer = new Pacer({ perSecond: 30, burst: 4, perChatIntervalMs: 100, perChatBurst: 3 });

    const bot = createBot(deps, { token: DEFAULT_TOKEN, client: { apiRoot }, pacer });
    await bot.init();
    const runner: RunnerHandle = run(bot, { runner: { fetch: { timeout: 1 } } });
    cleanup.push(() => (runner.isRunning() ? runner.stop() : undefined));
    const sender = createSender({
      db,
      api: bot.api,
      i18n,
      config,
      clock,
      logger: silentLogger,
      templates: TEST_TEMPLATES,
      pacer,
      pollMs: 20,
    });
    cleanup.push(() => sender.stop());

    const me = 8100;
    emulator.state.ensureUser({ id: me, first_name: "Emma", language_code: "en" });
    const bots = () => emulator.state.messages(me).filter((m) => m.side === "bot");
    const waitFor = async (what: string, pred: (m: StoredMessage) => boolean) => {
      for (let i = 0; i < 400; i++) {
        const found = bots().find(pred);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(
        `no ${what}; bot said: ${bots()
          .map((m) => m.text)
          .join(" | ")}`,
      );
    };
    const buttonWith = (prefix: string) => (m: StoredMessage) =>
      JSON.stringify(m.reply_markup ?? {}).includes(`"callback_data":"${prefix}`);
    const press = (m: StoredMessage, prefix: string) => {
      const rows = (m.reply_markup as { inline_keyboard: { callback_data?: string }[][] }).inline_keyboard;
      const data = rows.flat().find((b) => b.callback_data?.startsWith(prefix))?.callback_data as string;
      emulator.state.pressButton(me, m.message_id, data);
    };

    // Telegram answers the next send, whichever it is, with a 429.
    emulator.state.injectError("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      retry_after: 1,
    });
    emulator.state.sendText(me, "/wish");
    await waitFor("first question", buttonWith("wsh:t:"));
    // Now the outbox has fifteen messages for the same chat, while the form goes on.
    const now = clock.now();
    for (let i = 1; i <= 15; i++)
      enqueue(
        db,
        { key: `o:${i}`, chatId: me, template: "test.echo", params: { text: `notice ${i}` }, dueAt: now },
        now,
      );
    sender.start();
    emulator.state.sendText(me, "calligraphy");
    press(await waitFor("who", buttonWith("wsh:w:")), "wsh:w:");
    press(await waitFor("when", buttonWith("wsh:n:")), "wsh:n:");
    await waitFor("thanks", (m) => m.text.startsWith("✅ Thank you!"));
    await waitFor("last notice", (m) => m.text === "notice 15");

    const texts = bots().map((m) => m.text);
    const apology = i18n.getFixedT("en")("common:error");
    expect(texts).not.toContain(apology);
    for (let i = 1; i <= 15; i++) expect(texts.filter((t) => t === `notice ${i}`)).toHaveLength(1);
    // The last message may be in the chat a moment before the sender has recorded it.
    for (let i = 0; i < 100 && !outboxRows(db).every((r) => r.state === "sent"); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(outboxRows(db).every((r) => r.state === "sent")).toBe(true);
    expect(db.prepare("SELECT count(*) FROM wishes WHERE account_id = ?").pluck().get(me)).toBe(1);
    // The only 429 was Telegram's own; the pace never drew one from the per-chat limit.
    expect(emulator.state.stats.errors[429]).toBe(1);
    expect(emulator.state.stats.tooManyRequests).toBe(0);
  }, 30_000);
});

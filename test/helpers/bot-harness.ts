import type { Update } from "grammy/types";
import { inMemoryTelegram, testBotInfo } from "../../src/sandbox/in-memory-telegram.ts";
import type { ApiCall } from "../../src/sandbox/in-memory-telegram.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import type { Config } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import type { Db } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { createBot } from "../../src/bot/create-bot.ts";
import type { BotDeps } from "../../src/bot/context.ts";

const TEST_TOKEN = "42:TEST_TOKEN_abcdefghijklmnopqrstuv";

export const BOT_INFO = testBotInfo("lifelong_test_bot");

export type { ApiCall };

export interface TestUser {
  id: number;
  first_name: string;
  language_code?: string;
}

/**
 * The real bot on an in-memory database, with grammY's HTTP client replaced by a recorder
 * that answers like Telegram. Updates go in through bot.handleUpdate, as the runner does.
 */
export async function createHarness(
  options: { now?: string; config?: Record<string, string>; db?: Db } = {},
) {
  const config: Config = parseConfig({
    BOT_TOKEN: TEST_TOKEN,
    ...options.config,
  });
  const db = options.db ?? openDatabase(":memory:");
  if (!options.db) migrate(db);
  const clock = new ManualClock(options.now ?? "2026-11-30T02:00:00.000Z");
  const i18n = await createI18n(config.defaultLocale);
  const deps: BotDeps = { config, db, logger: silentLogger, i18n, clock };
  const calls: ApiCall[] = [];
  let messageId = 1000;
  let updateId = 1;
  let callbackId = 1;
  // One counter for the user's messages and the bot's, as in a real chat.
  const fakeFetch = inMemoryTelegram({
    record: calls,
    now: () => clock.now(),
    nextMessageId: () => ++messageId,
  });

  const bot = createBot(deps, {
    token: TEST_TOKEN,
    botInfo: BOT_INFO,
    client: { fetch: fakeFetch as never },
  });
  await bot.init();

  const chat = (u: TestUser) => ({ id: u.id, type: "private" as const, first_name: u.first_name });
  const from = (u: TestUser) => ({
    id: u.id,
    is_bot: false,
    first_name: u.first_name,
    language_code: u.language_code,
  });

  return {
    bot,
    deps,
    db,
    clock,
    calls,
    /** Sends text (a leading /command gets its entity) and returns the API calls it caused. */
    async send(user: TestUser, text: string): Promise<ApiCall[]> {
      const start = calls.length;
      const cmd = /^\/\w+/.exec(text);
      const update: Update = {
        update_id: updateId++,
        message: {
          message_id: ++messageId,
          date: Math.floor(clock.now().getTime() / 1000),
          chat: chat(user),
          from: from(user),
          text,
          ...(cmd ? { entities: [{ type: "bot_command" as const, offset: 0, length: cmd[0].length }] } : {}),
        },
      };
      await bot.handleUpdate(update);
      return calls.slice(start);
    },
    /** Presses an inline button with this callback data on message `onMessage`. */
    async press(user: TestUser, data: string, onMessage = messageId): Promise<ApiCall[]> {
      const start = calls.length;
      await bot.handleUpdate({
        update_id: updateId++,
        callback_query: {
          id: String(callbackId++),
          from: from(user),
          chat_instance: "ci",
          data,
          message: {
            message_id: onMessage,
            date: Math.floor(clock.now().getTime() / 1000),
            chat: chat(user),
            text: "…",
          },
        },
      });
      return calls.slice(start);
    },
    async contact(user: TestUser, phone: string, contactUserId = user.id): Promise<ApiCall[]> {
      const start = calls.length;
      await bot.handleUpdate({
        update_id: updateId++,
        message: {
          message_id: ++messageId,
          date: Math.floor(clock.now().getTime() / 1000),
          chat: chat(user),
          from: from(user),
          contact: { phone_number: phone, first_name: user.first_name, user_id: contactUserId },
        },
      });
      return calls.slice(start);
    },
  };
}

/** Text of the replies among some API calls. */
export const texts = (calls: ApiCall[]): string[] =>
  calls.filter((c) => typeof c.payload.text === "string").map((c) => c.payload.text as string);

/** Labels and data of every inline button in a call's reply_markup. */
export function buttons(call: ApiCall | undefined): { text: string; data?: string }[] {
  const markup = call?.payload.reply_markup as
    | { inline_keyboard?: { text: string; callback_data?: string }[][]; keyboard?: { text: string }[][] }
    | undefined;
  const rows = markup?.inline_keyboard ?? markup?.keyboard ?? [];
  return rows.flat().map((b) => {
    const data = (b as { callback_data?: string }).callback_data;
    return data === undefined ? { text: b.text } : { text: b.text, data };
  });
}

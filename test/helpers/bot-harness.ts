import type { Update } from "grammy/types";
import { inMemoryTelegram, testBotInfo } from "../../src/sandbox/in-memory-telegram.ts";
import type { ApiCall, RefusedCall } from "../../src/sandbox/in-memory-telegram.ts";
import type { TgUpdate } from "../../src/sandbox/emulator/types.ts";
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

export type { ApiCall, RefusedCall };

export interface TestUser {
  id: number;
  first_name: string;
  language_code?: string;
}

/**
 * The real bot on an in-memory database, with grammY's HTTP client replaced by the Bot API
 * emulator in process (as strict as Telegram). A person's first action opens their chat.
 * Updates go in through bot.handleUpdate, as the inbox dispatcher does.
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
  const refused: RefusedCall[] = [];
  // The emulator's own state and validation, in process: the bot gets Telegram's refusals.
  const fakeFetch = inMemoryTelegram({
    record: calls,
    refused,
    stateOptions: {
      token: TEST_TOKEN,
      botInfo: { first_name: BOT_INFO.first_name, username: BOT_INFO.username },
      rateLimit: false,
      now: () => clock.now().getTime(),
    },
  });
  const state = fakeFetch.state;

  const bot = createBot(deps, {
    token: TEST_TOKEN,
    botInfo: BOT_INFO,
    client: { fetch: fakeFetch as never },
  });
  await bot.init();

  /** The person opens the chat (Telegram knows them from then on); later calls change nothing. */
  const meet = (u: TestUser) => {
    if (state.getChat(u.id)) return;
    state.ensureUser({
      id: u.id,
      first_name: u.first_name,
      ...(u.language_code ? { language_code: u.language_code } : {}),
    });
  };

  const handle = async (update: TgUpdate): Promise<void> => {
    await bot.handleUpdate(update as unknown as Update);
  };

  /** The bot message a press lands on: the one asked for, else the newest with that button, else the newest. */
  function pressTarget(user: TestUser, data: string, onMessage?: number): number {
    const mine = state.messages(user.id).filter((m) => m.side === "bot");
    if (onMessage !== undefined && mine.some((m) => m.message_id === onMessage)) return onMessage;
    const withButton = mine
      .filter((m) =>
        m.reply_markup && "inline_keyboard" in m.reply_markup
          ? m.reply_markup.inline_keyboard.some((row) => row.some((b) => b.callback_data === data))
          : false,
      )
      .pop();
    const target = withButton ?? mine.pop();
    if (target) return target.message_id;
    // A press in a chat where the bot never wrote (a forged or very old button): give it a message to sit on.
    const record = state.getChat(user.id)!;
    return state.addMessage(record, "bot", { text: "…" }).message_id;
  }

  return {
    bot,
    deps,
    db,
    clock,
    calls,
    /** Calls Telegram (the emulator) refused. */
    refused,
    /** The emulator state: chats, messages, users. */
    state,
    /** The person opens the chat without sending anything yet. */
    meet,
    /** Sends text (a leading /command gets its entity) and returns the API calls it caused. */
    async send(user: TestUser, text: string): Promise<ApiCall[]> {
      const start = calls.length;
      meet(user);
      state.sendText(user.id, text);
      await handle(state.lastUpdate!);
      return calls.slice(start);
    },
    /**
     * Presses an inline button with this callback data, on message `onMessage` or the newest
     * bot message that has it. Data no message carries is sent as a modified client would.
     */
    async press(user: TestUser, data: string, onMessage?: number): Promise<ApiCall[]> {
      const start = calls.length;
      meet(user);
      const target = pressTarget(user, data, onMessage);
      const stored = state.message(user.id, target);
      const carries =
        stored?.reply_markup && "inline_keyboard" in stored.reply_markup
          ? stored.reply_markup.inline_keyboard.some((row) => row.some((b) => b.callback_data === data))
          : false;
      const { update } = state.pressButton(user.id, target, data, { forged: !carries });
      await handle(update);
      return calls.slice(start);
    },
    async contact(user: TestUser, phone: string, contactUserId = user.id): Promise<ApiCall[]> {
      const start = calls.length;
      meet(user);
      state.shareContact(user.id, { phone_number: phone, user_id: contactUserId });
      await handle(state.lastUpdate!);
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

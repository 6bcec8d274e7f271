/**
 * A Telegram that answers the bot's calls as Telegram does and keeps no state of its own: for
 * the measurements where Telegram's own work must not count as the bot's (the throughput clock,
 * the memory of the bot's process). What it is sent can be kept for the strict in-memory
 * Telegram to check afterwards (see throughput.ts); the presses it makes are shaped as
 * Telegram's, on a message it does not store.
 */
import type { Update } from "grammy/types";
import { jsonResponse } from "../../src/sandbox/in-memory-telegram.ts";
import type { Db } from "../../src/db/connection.ts";
import { DISTRICT_NOW } from "../district.ts";
import type { BotUnderTest } from "./common.ts";
import { BOT_INFO, realBot } from "./common.ts";

export type TelegramFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface SentCall {
  url: string;
  /** The JSON body: the scenarios send no files. */
  body: string;
}

const DATE = 1_780_000_000;

const botUser = {
  id: BOT_INFO.id,
  is_bot: true,
  first_name: BOT_INFO.first_name,
  username: BOT_INFO.username,
};

const privateChat = (id: unknown) => ({ id, first_name: `用户${String(id)}`, type: "private" });

/** Methods whose result is the message sent or edited; every other method answers true. */
const MESSAGE_RESULT = /^(send[A-Z]\w*|edit\w+|copyMessage|forwardMessage)$/;

/** The fetch for grammY's client. `keep` sees every call, in the order they are made. */
export function lightTelegram(keep?: (call: SentCall) => void): TelegramFetch {
  let nextMessageId = 1_000_000;
  return async (url, init) => {
    const body = typeof init?.body === "string" ? init.body : "";
    keep?.({ url, body });
    const method = url.slice(url.lastIndexOf("/") + 1);
    const p = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const result = MESSAGE_RESULT.test(method)
      ? {
          message_id: method.startsWith("edit") ? p.message_id : nextMessageId++,
          from: botUser,
          chat: privateChat(p.chat_id),
          date: DATE,
          ...(method.startsWith("edit") ? { edit_date: DATE + 1 } : {}),
          ...(typeof p.text === "string" ? { text: p.text } : {}),
          ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}),
        }
      : true;
    // The same light answer object the in-memory Telegram gives grammY's client.
    return jsonResponse(JSON.stringify({ ok: true, result }), 200);
  };
}

let nextUpdateId = 1;

/** A press on a button with `data`, by user `userId`, on a message the bot sent them earlier. */
export function lightPress(userId: number, data: string): Update {
  const id = nextUpdateId++;
  const from = { id: userId, is_bot: false, first_name: `用户${userId}`, language_code: "zh-hans" };
  return {
    update_id: id,
    callback_query: {
      id: String(id),
      from,
      message: { message_id: 1, date: DATE, chat: privateChat(userId), from: botUser, text: "…" },
      chat_instance: String(userId),
      data,
    },
  } as unknown as Update;
}

/** The real bot with the light Telegram: only the bot's own work and memory are in this process. */
export async function lightBot(db: Db): Promise<BotUnderTest> {
  const replied = new Set<number>();
  const keep = ({ url, body }: SentCall) => {
    if (/\/(editMessageText|sendMessage)$/.test(url))
      replied.add((JSON.parse(body) as { chat_id: number }).chat_id);
  };
  const bot = await realBot(db, DISTRICT_NOW, undefined, lightTelegram(keep));
  return { bot, press: lightPress, repliedChats: () => replied };
}

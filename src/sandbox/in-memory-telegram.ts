import type { UserFromGetMe } from "grammy/types";
import { MAX_CALLBACK_DATA_BYTES } from "../callback-data.ts";

/**
 * The smallest stand-in for the Bot API: a `fetch` for grammY's client that answers every
 * method at once in Telegram's shape, without a network. For bot tests and the benchmark, where
 * the HTTP emulator's realism would only add noise; end-to-end tests use the emulator.
 */

/** A bot identity, so that `bot.init()` needs no getMe. */
export function testBotInfo(username: string): UserFromGetMe {
  return {
    id: 42,
    is_bot: true,
    first_name: "Lifelong",
    username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as UserFromGetMe;
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

function callbackDataTooLong(markup: unknown): boolean {
  const rows = (markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard;
  return (rows ?? []).some((row) =>
    row.some(
      (b) => b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > MAX_CALLBACK_DATA_BYTES,
    ),
  );
}

/**
 * A `fetch` answering like Telegram: sends and edits return a message with a fresh id; every
 * other method returns true. Calls are appended to `record` when given.
 */
export function inMemoryTelegram(
  options: { record?: ApiCall[]; now?: () => Date; nextMessageId?: () => number } = {},
) {
  let messageId = 1000;
  const nextId = options.nextMessageId ?? (() => ++messageId);
  return async (url: string | URL, init?: { body?: unknown }): Promise<Response> => {
    const method = String(url).split("/").pop() ?? "";
    // Uploads (InputFile) arrive as a multipart stream, which the callers here never inspect.
    const payload =
      typeof init?.body === "string"
        ? (JSON.parse(init.body) as Record<string, unknown>)
        : { multipart: true };
    options.record?.push({ method, payload });
    // As Telegram: a button whose data is over 64 bytes refuses the whole message, so every
    // bot test that makes the bot send a keyboard also checks each button the bot produced.
    if (callbackDataTooLong(payload.reply_markup)) {
      return new Response(
        JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: BUTTON_DATA_INVALID" }),
        { headers: { "content-type": "application/json" } },
      );
    }
    let result: unknown = true;
    if (/^(send|edit)/.test(method)) {
      result = {
        message_id: nextId(),
        date: Math.floor((options.now?.() ?? new Date()).getTime() / 1000),
        chat: { id: payload.chat_id ?? 0, type: "private" },
        text: payload.text,
      };
    }
    return new Response(JSON.stringify({ ok: true, result }), {
      headers: { "content-type": "application/json" },
    });
  };
}

import type { Transformer } from "grammy";
import type { Pacer } from "./pacer.ts";

/** Bot API methods that put a new message into a chat: what Telegram's per-chat limit counts. */
const SENDING = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendMediaGroup",
  "sendAnimation",
  "sendAudio",
  "sendVideo",
  "sendVoice",
  "sendSticker",
  "sendLocation",
  "sendContact",
  "sendPoll",
  "copyMessage",
  "forwardMessage",
]);

/**
 * An API transformer that makes the bot's own messages wait their turn on the Pacer the outbox
 * sender uses, so that a reply and a reminder to the same chat never add up to a 429 the bot
 * caused itself. A 429 that still comes (Telegram's limits move) pauses the outbox as well.
 * Install it before auto-retry, so that every retry waits its turn too.
 */
export function paceReplies(pacer: Pacer): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (!SENDING.has(method) || typeof chatId !== "number") return prev(method, payload, signal);
    await pacer.acquireReply(chatId);
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 429) pacer.pause((res.parameters?.retry_after ?? 1) * 1000);
    return res;
  };
}

import { createHmac } from "node:crypto";

/**
 * How a chat appears in the logs. A private chat is a person: their id is replaced by a keyed
 * hash (stable, so one person's trouble can be followed through the lines, but not reversible
 * without the key; Telegram ids are few enough to guess through a plain hash). Group chats are
 * not personal and keep their id. The operator finds a person's tag with `npm run cli -- log-tag <id>`.
 */
export function chatTag(chatId: number, type: string | undefined, key: string): string | number {
  if (type !== undefined && type !== "private") return chatId;
  return `p-${createHmac("sha256", key).update(String(chatId)).digest("hex").slice(0, 12)}`;
}

/** The key: the bot token when there is one (secret already), so tags differ between bots. */
export const chatTagKey = (botToken: string | undefined): string => botToken ?? "lifelong-sandbox";

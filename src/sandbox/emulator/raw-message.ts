import type { StoredMessage, TgChat, TgMessage, TgUser } from "./types.ts";
import { hasInlineKeyboard } from "./validation.ts";

/** What a new message carries, whichever side sends it. */
export interface MessageContent {
  text: string;
  html?: string;
  parse_mode?: string;
  entities?: StoredMessage["entities"];
  reply_markup?: StoredMessage["reply_markup"];
  photo?: StoredMessage["photo"];
  document?: StoredMessage["document"];
  contact?: StoredMessage["contact"];
  reply_to_message_id?: number;
}

/** Fields of a stored message that are not in the Telegram-shaped `raw`. */
export type StoredWithoutRaw = Omit<StoredMessage, "raw">;

/**
 * Builds the Telegram-shaped message for a stored one. Media carry their text
 * as caption; only inline keyboards are echoed back, like the real API.
 */
export function buildRawMessage(
  m: StoredWithoutRaw & { reply_to_message_id?: number },
  from: TgUser,
  chat: TgChat,
  replyTo?: TgMessage,
): TgMessage {
  const raw: TgMessage = { message_id: m.message_id, from, chat, date: m.date };
  if (m.edit_date !== undefined) raw.edit_date = m.edit_date;
  if (replyTo) raw.reply_to_message = replyTo;
  const media = m.photo !== undefined || m.document !== undefined;
  if (m.photo) raw.photo = m.photo;
  if (m.document) raw.document = m.document;
  if (m.contact) raw.contact = m.contact;
  if (media) {
    if (m.text !== "") raw.caption = m.text;
    if (m.entities.length > 0) raw.caption_entities = m.entities;
  } else if (!m.contact) {
    raw.text = m.text;
    if (m.entities.length > 0) raw.entities = m.entities;
  }
  if (hasInlineKeyboard(m.reply_markup))
    raw.reply_markup = { inline_keyboard: m.reply_markup.inline_keyboard };
  return raw;
}

/** Builds a TgChat for a private chat with `user`. */
export function privateChatOf(user: TgUser): TgChat {
  const chat: TgChat = { id: user.id, type: "private", first_name: user.first_name };
  if (user.last_name !== undefined) chat.last_name = user.last_name;
  if (user.username !== undefined) chat.username = user.username;
  return chat;
}

/** The bot_command entities Telegram's clients attach to "/cmd" words. */
export function commandEntities(text: string): StoredMessage["entities"] {
  const out: StoredMessage["entities"] = [];
  const re = /(^|\s)(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s|[.,!?;:])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const lead = m[1] ?? "";
    const cmd = m[2] ?? "";
    out.push({ type: "bot_command", offset: m.index + lead.length, length: cmd.length });
  }
  return out;
}

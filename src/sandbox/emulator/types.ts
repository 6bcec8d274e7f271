/**
 * Telegram Bot API object shapes the emulator produces and stores.
 *
 * Kept local (instead of importing grammY's types) so the emulator stays a
 * self-contained piece that only needs node built-ins at run time and its
 * shapes can be read in one place.
 */

import type { TgMessageEntity } from "../../telegram-html-parser.ts";

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: "private";
  first_name: string;
  last_name?: string;
  username?: string;
}

// The parser of Telegram's HTML reports entities in this shape; the emulator keeps the one type.
export type { TgMessageEntity };

export interface TgInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [key: string]: unknown;
}

export interface TgKeyboardButton {
  text: string;
  request_contact?: boolean;
  request_location?: boolean;
  [key: string]: unknown;
}

export interface TgInlineKeyboardMarkup {
  inline_keyboard: TgInlineButton[][];
}

export interface TgReplyKeyboardMarkup {
  keyboard: TgKeyboardButton[][];
  resize_keyboard?: boolean;
  one_time_keyboard?: boolean;
  is_persistent?: boolean;
  input_field_placeholder?: string;
  selective?: boolean;
}

export interface TgReplyKeyboardRemove {
  remove_keyboard: true;
  selective?: boolean;
}

export interface TgForceReply {
  force_reply: true;
  input_field_placeholder?: string;
  selective?: boolean;
}

export type TgReplyMarkup =
  | TgInlineKeyboardMarkup
  | TgReplyKeyboardMarkup
  | TgReplyKeyboardRemove
  | TgForceReply;

export interface TgPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
}

export interface TgContact {
  phone_number: string;
  first_name: string;
  last_name?: string;
  user_id?: number;
}

/** A message exactly as the Bot API would serialize it. */
export interface TgMessage {
  message_id: number;
  from: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  caption_entities?: TgMessageEntity[];
  photo?: TgPhotoSize[];
  document?: TgDocument;
  contact?: TgContact;
  reply_markup?: TgInlineKeyboardMarkup;
  reply_to_message?: TgMessage;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message: TgMessage;
  chat_instance: string;
  data: string;
}

export interface TgChatMemberUpdated {
  chat: TgChat;
  from: TgUser;
  date: number;
  old_chat_member: Record<string, unknown>;
  new_chat_member: Record<string, unknown>;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: TgCallbackQuery;
  my_chat_member?: TgChatMemberUpdated;
  inline_query?: TgInlineQuery;
}

export interface TgBotCommand {
  command: string;
  description: string;
}

/** The profile a test or UI gives when it creates a simulated user. */
export interface UserProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/**
 * A message as the emulator keeps it for a UI or a driver: flat, always with a
 * `text` string (the caption for media) so predicates need no null checks.
 */
export interface StoredMessage {
  chat_id: number;
  message_id: number;
  /** Who sent it: the bot, or the simulated user. */
  side: "bot" | "user";
  date: number;
  /** Plain text with tags stripped and entities decoded; the caption for media; "" when none. */
  text: string;
  /** The original text or caption as the bot sent it, when parse_mode was HTML. */
  html?: string;
  parse_mode?: string;
  entities: TgMessageEntity[];
  /** Set only for media messages (mirrors `text`). */
  caption?: string;
  /** Any markup the bot attached, including reply keyboards (Telegram's own Message only echoes inline ones). */
  reply_markup?: TgReplyMarkup;
  photo?: TgPhotoSize[];
  document?: TgDocument;
  contact?: TgContact;
  reply_to_message_id?: number;
  edited: boolean;
  edit_date?: number;
  deleted: boolean;
  /** The Telegram-shaped object, as returned to the bot. */
  raw: TgMessage;
}

/** An error answer in Telegram's shape. */
export interface TgErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Minimal pino-compatible logger; the emulator never prints by itself. */
export interface EmulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface TgInlineQuery {
  id: string;
  from: TgUser;
  query: string;
  offset: string;
  chat_type?: string;
}

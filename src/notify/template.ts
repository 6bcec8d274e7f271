import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from "grammy/types";
import type { i18n as I18n, TFunction } from "i18next";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";

/** One Telegram message as the sender will send it. */
export interface RenderedMessage {
  /** Message text (HTML), or the caption of a photo or document. */
  text: string;
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup;
  photo?: { bytes: Uint8Array; filename: string };
  document?: { bytes: Uint8Array; filename: string };
}

/** What a template may use to render, at send time, in the recipient's current language. */
export interface RenderContext {
  db: Db;
  config: Config;
  i18n: I18n;
  t: TFunction;
  locale: Locale;
  now: Date;
  chatId: number;
}

/**
 * Turns an outbox row's params into messages. Returns null when the message no longer makes
 * sense (the offer was taken back, the session was cancelled): the row is then dropped, not sent.
 */
export type Template = (
  ctx: RenderContext,
  params: Record<string, unknown>,
) => RenderedMessage | RenderedMessage[] | null | Promise<RenderedMessage | RenderedMessage[] | null>;

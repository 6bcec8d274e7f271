import type { StoredMessage, TgInlineButton, TgKeyboardButton, TgReplyMarkup } from "./types.ts";
import { cutText } from "../../text.ts";

/** Inline buttons of a message, row by row (empty when it has none). */
export function inlineRows(markup: TgReplyMarkup | undefined): TgInlineButton[][] {
  return markup && "inline_keyboard" in markup ? markup.inline_keyboard : [];
}

/** Reply-keyboard buttons of a markup, row by row. */
export function replyRows(markup: TgReplyMarkup | undefined | null): TgKeyboardButton[][] {
  return markup && "keyboard" in markup ? markup.keyboard : [];
}

/** Flat list of the labels of every button a message shows (inline, or a reply keyboard it brought). */
export function buttonLabels(message: StoredMessage | undefined): string[] {
  if (!message) return [];
  return [...inlineRows(message.reply_markup), ...replyRows(message.reply_markup)].flat().map((b) => b.text);
}

/** True when `text` is `label` (exact) or matches it (RegExp). */
export function labelMatches(label: string | RegExp, text: string): boolean {
  return typeof label === "string" ? text === label : label.test(text);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\r?\n/g, " ⏎ ");
  return cutText(flat, max);
}

/** One message as a transcript line: `#5 bot (edited): text  [A | B] [C]`. */
export function formatMessage(m: StoredMessage): string {
  const flags = [m.edited ? "edited" : "", m.deleted ? "deleted" : ""].filter(Boolean).join(", ");
  const who = `${m.side}${flags ? ` (${flags})` : ""}`;
  let body = m.text;
  if (m.contact) body = `[contact ${m.contact.phone_number}]`;
  if (m.document) body = `[document ${m.document.file_name ?? m.document.file_id}] ${m.text}`;
  if (m.photo) body = `[photo] ${m.text}`;
  const rows = [...inlineRows(m.reply_markup), ...replyRows(m.reply_markup)];
  const keyboard = rows.map((row) => `[${row.map((b) => b.text).join(" | ")}]`).join(" ");
  const kind = m.reply_markup && "keyboard" in m.reply_markup ? " reply-kbd " : " ";
  return `  #${m.message_id} ${who}: ${oneLine(body.trim(), 160)}${keyboard ? `${kind}${keyboard}` : ""}`;
}

/** The last `count` messages of a chat as text, for error messages. */
export function formatTranscript(messages: StoredMessage[], count = 6): string {
  if (messages.length === 0) return "  (no messages in the chat)";
  const shown = messages.slice(-count);
  const skipped = messages.length - shown.length;
  return [skipped > 0 ? `  … ${skipped} earlier` : "", ...shown.map(formatMessage)]
    .filter(Boolean)
    .join("\n");
}

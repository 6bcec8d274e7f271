/**
 * Checks a message that staff typed with Telegram's HTML formatting before anything is sent:
 * a broadcast with a broken tag would fail for every recipient, so it is refused up front.
 */
import { parseHtml, TelegramHtmlError } from "../telegram-html-parser.ts";

/** Telegram's limit on a message's text, counted after the formatting is parsed. */
export const MAX_MESSAGE_CHARS = 4096;

export type HtmlCheck =
  | { ok: true; html: string; plainLength: number }
  | { ok: false; problem: "empty" | "tooLong" | "badFormat" };

const BARE_AMPERSAND = /&(?!(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);)/gi;

/** A link must carry its address, and no custom emoji (its numeric id is never typed by hand). */
const REFUSED_TAG = /<tg-emoji[\s>]|<a(?:\s(?![^>]*\bhref="[^"]+")[^>]*)?>/i;

/**
 * Validates Telegram HTML with the same parser the Bot API emulator uses (known tags only,
 * properly nested and closed), plus the broadcast's own rules (`<a>` with an href, no
 * `<tg-emoji>`). A bare `&` or `>` is escaped (people type "A & B"); a stray `<` is an error.
 */
export function checkTelegramHtml(input: string): HtmlCheck {
  if (REFUSED_TAG.test(input)) return { ok: false, problem: "badFormat" };
  // Tags stay as typed; in the text between them a bare & or > is escaped, as Telegram wants.
  const html = input.replace(
    /(<[^>]*>)|([^<]+)/g,
    (_, tag: string | undefined, text: string | undefined) =>
      tag ?? (text ?? "").replace(BARE_AMPERSAND, "&amp;").replace(/>/g, "&gt;"),
  );
  let plain: string;
  try {
    plain = parseHtml(html).text;
  } catch (err) {
    if (err instanceof TelegramHtmlError) return { ok: false, problem: "badFormat" };
    throw err;
  }
  if (plain === "") return { ok: false, problem: "empty" };
  const plainLength = [...plain].length;
  if (plainLength > MAX_MESSAGE_CHARS) return { ok: false, problem: "tooLong" };
  return { ok: true, html, plainLength };
}

/**
 * Checks a message that staff typed with Telegram's HTML formatting before anything is sent:
 * a broadcast with a broken tag would fail for every recipient, so it is refused up front.
 */
import { TELEGRAM_HTML_TAGS, TELEGRAM_NAMED_ENTITIES } from "../telegram-html.ts";

/** Telegram's limit on a message's text, counted after the formatting is parsed. */
export const MAX_MESSAGE_CHARS = 4096;

// Staff may use every tag Telegram knows but <tg-emoji>: a custom emoji needs its numeric id, which
// nobody types by hand, so a broadcast has never accepted one.
const TAGS = new Set([...TELEGRAM_HTML_TAGS].filter((tag) => tag !== "tg-emoji"));

export type HtmlCheck =
  | { ok: true; html: string; plainLength: number }
  | { ok: false; problem: "empty" | "tooLong" | "badFormat" };

/**
 * Validates Telegram HTML: known tags only, properly nested and closed, `<a>` with an href.
 * A bare `&` or `>` is escaped (people type "A & B"); a stray `<` is an error.
 */
export function checkTelegramHtml(input: string): HtmlCheck {
  const stack: string[] = [];
  let out = "";
  let plain = "";
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === "<") {
      const end = input.indexOf(">", i);
      if (end < 0) return { ok: false, problem: "badFormat" };
      const raw = input.slice(i + 1, end);
      const m = /^(\/?)([a-z-]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*$/i.exec(raw);
      if (!m) return { ok: false, problem: "badFormat" };
      const closing = m[1] === "/";
      const name = m[2]!.toLowerCase();
      if (!TAGS.has(name)) return { ok: false, problem: "badFormat" };
      if (closing) {
        if (m[3]!.trim() !== "" || stack.pop() !== name) return { ok: false, problem: "badFormat" };
      } else {
        if (name === "a" && !/\shref="[^"]+"/i.test(m[3]!)) return { ok: false, problem: "badFormat" };
        if (name === "span" && !/\sclass="tg-spoiler"/i.test(m[3]!))
          return { ok: false, problem: "badFormat" };
        stack.push(name);
      }
      out += input.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (ch === "&") {
      const m = /^&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/i.exec(input.slice(i, i + 12));
      if (m && (m[1]!.startsWith("#") || TELEGRAM_NAMED_ENTITIES.has(m[1]!.toLowerCase()))) {
        out += m[0];
        plain += "x";
        i += m[0].length;
        continue;
      }
      out += "&amp;";
      plain += "&";
      i += 1;
      continue;
    }
    out += ch === ">" ? "&gt;" : ch;
    plain += ch;
    i += 1;
  }
  if (stack.length > 0) return { ok: false, problem: "badFormat" };
  const plainLength = [...plain].length;
  if (plain.trim() === "") return { ok: false, problem: "empty" };
  if (plainLength > MAX_MESSAGE_CHARS) return { ok: false, problem: "tooLong" };
  return { ok: true, html: out, plainLength };
}

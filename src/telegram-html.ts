/**
 * Which HTML Telegram accepts in a message sent with parse_mode "HTML". The staff broadcast check
 * and the sandbox's Bot API emulator both go by this, so they cannot drift apart.
 */

/** The tags Telegram parses; any other tag makes it refuse the whole message. */
export const TELEGRAM_HTML_TAGS: ReadonlySet<string> = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "code",
  "pre",
  "tg-spoiler",
  "span",
  "blockquote",
  "tg-emoji",
]);

/**
 * The named character references Telegram decodes, and the character each stands for; any other
 * `&name;` is left as it was typed. (A Map, so a name like "constructor" is never found by accident.)
 */
export const TELEGRAM_NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
]);

/**
 * Text within Telegram's 4,096-character limit, cut at a line break so that no HTML tag is left
 * open (every tag the bot writes closes on its own line), with "…" to show something was cut.
 */
export function fitMessage(text: string, limit = 4000): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf("\n", limit - 2);
  return `${text.slice(0, cut > 0 ? cut : limit - 2)}\n…`;
}

/** Escapes text (user text, names from the database) for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
